//! DNS wire format: queries out, responses in, with hickory-proto (no_std, default features
//! off), and Extended DNS Errors (RFC 8914, EDNS option 15) parsed by hand because hickory-proto
//! has no type for them.
//!
//! Every response is checked against the query it claims to answer (ID, QR bit, question)
//! before anything in it is believed: a transport drops what fails the check.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hickory_proto::ProtoError;
use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::opt::{EdnsCode, EdnsOption};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::DecodeError;

/// The EDNS buffer size we advertise (the DNS Flag Day 2020 value: no IP fragmentation).
pub const EDNS_PAYLOAD: u16 = 1232;
/// No DNS message can be larger (TCP length prefix); anything larger is refused unread.
pub const MAX_MESSAGE: usize = 65_535;

/// Record types the checks ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum RType {
    A,
    Aaaa,
    Ns,
    Soa,
    Cname,
    Ptr,
}

impl RType {
    fn hickory(self) -> RecordType {
        match self {
            RType::A => RecordType::A,
            RType::Aaaa => RecordType::AAAA,
            RType::Ns => RecordType::NS,
            RType::Soa => RecordType::SOA,
            RType::Cname => RecordType::CNAME,
            RType::Ptr => RecordType::PTR,
        }
    }

    /// The mnemonic (`A`, `AAAA`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RType::A => "A",
            RType::Aaaa => "AAAA",
            RType::Ns => "NS",
            RType::Soa => "SOA",
            RType::Cname => "CNAME",
            RType::Ptr => "PTR",
        }
    }
}

/// Header flags a query sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Flags {
    /// Recursion desired (asking a resolver); off when asking an authoritative server.
    pub rd: bool,
    /// Checking disabled: the resolver skips DNSSEC validation.
    pub cd: bool,
    /// DNSSEC OK (EDNS DO bit).
    pub dnssec_ok: bool,
}

/// A question: a fully qualified, lower-case name and a type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Question {
    /// Name with a trailing dot, lower-case.
    pub name: String,
    /// Type.
    pub rtype: RType,
}

/// Why bytes could not be used as the answer to a query.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WireError {
    /// Not a valid domain name (to send).
    BadName(String),
    /// Larger than any DNS message.
    Oversize(usize),
    /// The bytes are not a DNS message (truncated, garbage, compression loop…), and why.
    Malformed(&'static str),
    /// A DNS message, but not an answer to this query (ID, QR bit or question differ).
    Mismatch(&'static str),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::BadName(n) => write!(f, "{n:?} is not a valid domain name"),
            WireError::Oversize(n) => write!(f, "{n} bytes is larger than any DNS message"),
            WireError::Malformed(e) => write!(f, "not a DNS message: {e}"),
            WireError::Mismatch(what) => write!(f, "an answer to another query ({what} differs)"),
        }
    }
}

impl core::error::Error for WireError {}

/// Normalises a user-given domain into a question name: trimmed, lower-case, trailing dot,
/// IDNA to ASCII; `None` if it is not a valid name.
pub fn normalise_name(name: &str) -> Result<String, WireError> {
    let trimmed = name.trim().trim_end_matches('.');
    if trimmed.is_empty() || trimmed.len() > 253 {
        return Err(WireError::BadName(name.to_string()));
    }
    let mut n = Name::from_utf8(trimmed).map_err(|_| WireError::BadName(name.to_string()))?;
    n.set_fqdn(true);
    Ok(n.to_ascii().to_ascii_lowercase())
}

fn parse_name(name: &str) -> Result<Name, WireError> {
    let mut n = Name::from_ascii(name).map_err(|_| WireError::BadName(name.to_string()))?;
    n.set_fqdn(true);
    Ok(n)
}

/// Encodes a query with EDNS (payload [`EDNS_PAYLOAD`]).
pub fn encode_query(id: u16, q: &Question, flags: Flags) -> Result<Vec<u8>, WireError> {
    encode_query_for_subnet(id, q, flags, None)
}

/// A client subnet for EDNS Client Subnet (RFC 7871): the address with its host bits cleared,
/// and the prefix length the resolver may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientSubnet {
    /// The network address.
    pub address: IpAddr,
    /// Source prefix length (at most 24 for IPv4 and 56 for IPv6, as RFC 7871 advises).
    pub prefix: u8,
}

impl ClientSubnet {
    /// From `ADDR/PREFIX` (`198.51.100.0/24`); host bits are cleared, the prefix capped at 24
    /// (IPv4) or 56 (IPv6) so no more of a viewer's address is sent than RFC 7871 advises.
    pub fn parse(s: &str) -> Option<Self> {
        let (addr, prefix) = s.trim().split_once('/')?;
        let address: IpAddr = addr.parse().ok()?;
        let prefix: u8 = prefix.parse().ok()?;
        let cap = if address.is_ipv4() { 24 } else { 56 };
        if prefix == 0 || prefix > if address.is_ipv4() { 32 } else { 128 } {
            return None;
        }
        let prefix = prefix.min(cap);
        let address = match address {
            IpAddr::V4(a) => {
                let mask = u32::MAX << (32 - u32::from(prefix));
                IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX << (128 - u32::from(prefix));
                IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
            }
        };
        Some(ClientSubnet { address, prefix })
    }
}

impl fmt::Display for ClientSubnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// Encodes a query with EDNS, and with an EDNS Client Subnet option when `subnet` is given
/// (what a resolver serving viewers there would send to CloudFront's name servers).
pub fn encode_query_for_subnet(
    id: u16,
    q: &Question,
    flags: Flags,
    subnet: Option<ClientSubnet>,
) -> Result<Vec<u8>, WireError> {
    let mut msg = Message::new(id, MessageType::Query, OpCode::Query);
    msg.metadata.recursion_desired = flags.rd;
    msg.metadata.checking_disabled = flags.cd;
    msg.add_query(Query::query(parse_name(&q.name)?, q.rtype.hickory()));
    let mut edns = Edns::new();
    edns.set_max_payload(EDNS_PAYLOAD);
    edns.set_dnssec_ok(flags.dnssec_ok);
    if let Some(sub) = subnet {
        edns.options_mut().insert(EdnsOption::Subnet(
            hickory_proto::rr::rdata::opt::ClientSubnet::new(sub.address, sub.prefix, 0),
        ));
    }
    msg.set_edns(edns);
    msg.to_vec()
        .map_err(|e| WireError::Malformed(malformed_reason(&e)))
}

/// Says why hickory-proto refused a message, without formatting its error: `ProtoError`'s
/// `Display` reaches the `Display` and `Debug` impls of every record type and, through
/// `Label`'s `Display`, the whole IDNA/ICU stack — about 70 KB of the wasm build for a
/// sentence nobody needs word for word.
fn malformed_reason(e: &ProtoError) -> &'static str {
    match e {
        ProtoError::FormError { error, .. } => malformed_reason(error),
        ProtoError::Decode(d) => decode_reason(d),
        _ => "it cannot be encoded",
    }
}

fn decode_reason(e: &DecodeError) -> &'static str {
    match e {
        DecodeError::InsufficientBytes => "it ends early (truncated)",
        DecodeError::PointerNotPriorToLabel { .. } | DecodeError::LabelOverlapsWithOther { .. } => {
            "a compressed name points forward or loops"
        }
        DecodeError::LabelBytesTooLong(_)
        | DecodeError::DomainNameTooLong(_)
        | DecodeError::UnrecognizedLabelCode(_) => "a name in it is not valid",
        _ => "a record in it cannot be decoded",
    }
}

/// The reverse-mapping name of an address (`127.0.0.11` → `11.0.0.127.in-addr.arpa.`).
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(a) => {
            let mut out = String::with_capacity(73);
            for byte in a.octets().iter().rev() {
                for nibble in [byte & 0xf, byte >> 4] {
                    out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
                    out.push('.');
                }
            }
            out.push_str("ip6.arpa.");
            out
        }
    }
}

/// base64url without padding (RFC 4648 §5), as RFC 8484 wants for `GET ?dns=`.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// The data of a record the checks look at.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RrData {
    /// IPv4 address.
    A(Ipv4Addr),
    /// IPv6 address.
    Aaaa(Ipv6Addr),
    /// Name server.
    Ns(String),
    /// Alias target.
    Cname(String),
    /// Reverse-mapping target (an address's name).
    Ptr(String),
    /// Start of authority.
    Soa {
        /// Primary name server.
        mname: String,
        /// Serial.
        serial: u32,
    },
    /// Any other type (its number).
    Other(u16),
}

/// One resource record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rr {
    /// Owner name, lower-case with a trailing dot.
    pub name: String,
    /// TTL in seconds.
    pub ttl: u32,
    /// Data.
    pub data: RrData,
}

impl fmt::Display for Rr {
    /// Presentation form: `name TYPE data`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.data {
            RrData::A(_) => "A",
            RrData::Aaaa(_) => "AAAA",
            RrData::Ns(_) => "NS",
            RrData::Cname(_) => "CNAME",
            RrData::Ptr(_) => "PTR",
            RrData::Soa { .. } => "SOA",
            RrData::Other(t) => return write!(f, "{} TYPE{t}", self.name),
        };
        write!(f, "{} {kind} {}", self.name, self.data)
    }
}

impl fmt::Display for RrData {
    /// The record's data alone, as `dig +short` shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RrData::A(a) => write!(f, "{a}"),
            RrData::Aaaa(a) => write!(f, "{a}"),
            RrData::Ns(n) | RrData::Cname(n) | RrData::Ptr(n) => f.write_str(n),
            RrData::Soa { mname, serial } => write!(f, "{mname} serial {serial}"),
            RrData::Other(t) => write!(f, "TYPE{t}"),
        }
    }
}

/// An Extended DNS Error (RFC 8914).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ede {
    /// INFO-CODE.
    pub code: u16,
    /// EXTRA-TEXT (UTF-8, lossy).
    pub text: String,
    /// A server address named in the text (resolvers name the authority that failed).
    pub server: Option<IpAddr>,
    /// An rcode named in the text (`rcode=REFUSED`, `rcode: SERVFAIL`).
    pub rcode: Option<String>,
}

impl Ede {
    /// The registered name of the code (IANA "Extended DNS Error Codes").
    pub fn name(&self) -> &'static str {
        match self.code {
            0 => "Other Error",
            1 => "Unsupported DNSKEY Algorithm",
            2 => "Unsupported DS Digest Type",
            3 => "Stale Answer",
            4 => "Forged Answer",
            5 => "DNSSEC Indeterminate",
            6 => "DNSSEC Bogus",
            7 => "Signature Expired",
            8 => "Signature Not Yet Valid",
            9 => "DNSKEY Missing",
            10 => "RRSIGs Missing",
            11 => "No Zone Key Bit Set",
            12 => "NSEC Missing",
            13 => "Cached Error",
            14 => "Not Ready",
            15 => "Blocked",
            16 => "Censored",
            17 => "Filtered",
            18 => "Prohibited",
            19 => "Stale NXDomain Answer",
            20 => "Not Authoritative",
            21 => "Not Supported",
            22 => "No Reachable Authority",
            23 => "Network Error",
            24 => "Invalid Data",
            _ => "Unassigned",
        }
    }

    /// Codes that mean DNSSEC validation failed.
    pub fn is_dnssec_failure(&self) -> bool {
        matches!(self.code, 1 | 2 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12)
    }
}

/// Parses the data of EDNS option 15.
pub fn parse_ede(data: &[u8]) -> Option<Ede> {
    if data.len() < 2 {
        return None;
    }
    let code = u16::from_be_bytes([data[0], data[1]]);
    let text = String::from_utf8_lossy(&data[2..])
        .trim_end_matches('\0')
        .to_string();
    let server = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .find_map(parse_address_token);
    let rcode = ["rcode=", "rcode: ", "rcode "].iter().find_map(|p| {
        let lower = text.to_ascii_lowercase();
        let at = lower.find(p)? + p.len();
        let word: String = text[at..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        (!word.is_empty()).then(|| word.to_ascii_uppercase())
    });
    Some(Ede {
        code,
        text,
        server,
        rcode,
    })
}

/// `1.2.3.4`, `1.2.3.4:53`, `1.2.3.4#53`, `[2001:db8::1]:53`, `2001:db8::1`.
fn parse_address_token(tok: &str) -> Option<IpAddr> {
    let t = tok.trim_matches(|c: char| c == '.' || c == '"' || c == '\'');
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    let host = t.split('#').next()?;
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(ip);
    }
    let (h, port) = host.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    h.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// A decoded response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Message ID.
    pub id: u16,
    /// Whether the QR bit says "response".
    pub is_response: bool,
    /// Response code, including the EDNS extended bits.
    pub rcode: u16,
    /// Authoritative answer.
    pub aa: bool,
    /// Truncated.
    pub tc: bool,
    /// Recursion available.
    pub ra: bool,
    /// Authentic data (validated by the resolver).
    pub ad: bool,
    /// The question it answers.
    pub question: Option<(String, u16)>,
    /// Answer section.
    pub answers: Vec<Rr>,
    /// Authority section.
    pub authority: Vec<Rr>,
    /// Additional section (OPT left out).
    pub additional: Vec<Rr>,
    /// Extended DNS Errors.
    pub ede: Vec<Ede>,
}

/// The usual name of a response code.
pub fn rcode_name(rcode: u16) -> String {
    match rcode {
        0 => "NOERROR".into(),
        1 => "FORMERR".into(),
        2 => "SERVFAIL".into(),
        3 => "NXDOMAIN".into(),
        4 => "NOTIMP".into(),
        5 => "REFUSED".into(),
        9 => "NOTAUTH".into(),
        16 => "BADVERS".into(),
        n => format!("RCODE{n}"),
    }
}

impl Response {
    /// The response code's name.
    pub fn rcode_name(&self) -> String {
        rcode_name(self.rcode)
    }
}

fn lower(n: &Name) -> String {
    let mut s = n.to_ascii().to_ascii_lowercase();
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

fn convert(r: &Record) -> Rr {
    let data = match &r.data {
        RData::A(a) => RrData::A(a.0),
        RData::AAAA(a) => RrData::Aaaa(a.0),
        RData::NS(n) => RrData::Ns(lower(&n.0)),
        RData::CNAME(n) => RrData::Cname(lower(&n.0)),
        RData::PTR(n) => RrData::Ptr(lower(&n.0)),
        RData::SOA(soa) => RrData::Soa {
            mname: lower(&soa.mname),
            serial: soa.serial,
        },
        other => RrData::Other(u16::from(other.record_type())),
    };
    Rr {
        name: lower(&r.name),
        ttl: r.ttl,
        data,
    }
}

fn is_in(r: &Record) -> bool {
    r.dns_class == DNSClass::IN
}

/// The CNAME links from `qname` (each owned by the previous target) and the addresses owned by
/// the chain's last name: records in the answer that belong to another name are ignored, so a
/// stray record cannot fake an alias or an address.
pub fn answer_chain<'r>(r: &'r Response, qname: &str) -> (Vec<(&'r str, &'r str)>, Vec<Rr>) {
    /// CNAME chains longer than this are not followed (resolvers stop at 8–16).
    const MAX_LINKS: usize = 16;
    let mut links: Vec<(&str, &str)> = Vec::new();
    let mut current: &str = qname;
    let owner = |rr: &Rr, name: &str| rr.name.eq_ignore_ascii_case(name);
    while links.len() < MAX_LINKS {
        let next = r.answers.iter().find_map(|rr| match &rr.data {
            RrData::Cname(t) if owner(rr, current) => Some((rr.name.as_str(), t.as_str())),
            _ => None,
        });
        match next {
            Some(link) if !links.contains(&link) => {
                links.push(link);
                current = link.1;
            }
            _ => break,
        }
    }
    let final_name = current;
    let addresses = r
        .answers
        .iter()
        .filter(|rr| matches!(rr.data, RrData::A(_) | RrData::Aaaa(_)) && owner(rr, final_name))
        .cloned()
        .collect();
    (links, addresses)
}

/// Decodes any DNS message.
pub fn decode(bytes: &[u8]) -> Result<Response, WireError> {
    if bytes.len() > MAX_MESSAGE {
        return Err(WireError::Oversize(bytes.len()));
    }
    let msg = Message::from_vec(bytes).map_err(|e| WireError::Malformed(decode_reason(&e)))?;
    let md = &msg.metadata;
    let mut ede = Vec::new();
    if let Some(edns) = &msg.edns {
        for (code, opt) in edns.options().as_ref() {
            if let (EdnsCode::Unknown(15), EdnsOption::Unknown(_, data)) = (code, opt)
                && let Some(e) = parse_ede(data)
            {
                ede.push(e);
            }
        }
    }
    Ok(Response {
        id: md.id,
        is_response: md.message_type == MessageType::Response,
        rcode: u16::from(md.response_code),
        aa: md.authoritative,
        tc: md.truncation,
        ra: md.recursion_available,
        ad: md.authentic_data,
        // Only class IN counts: a question or a record of another class (CH, HS, …) answers
        // nothing we asked.
        question: msg
            .queries
            .first()
            .filter(|q| q.query_class == DNSClass::IN)
            .map(|q| (lower(q.name()), u16::from(q.query_type()))),
        answers: msg
            .answers
            .iter()
            .filter(|r| is_in(r))
            .map(convert)
            .collect(),
        authority: msg
            .authorities
            .iter()
            .filter(|r| is_in(r))
            .map(convert)
            .collect(),
        additional: msg
            .additionals
            .iter()
            .filter(|r| r.record_type() != RecordType::OPT && is_in(r))
            .map(convert)
            .collect(),
        ede,
    })
}

/// How a transport should treat bytes that arrived for a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The answer to this query.
    Accept(Response),
    /// The answer, but truncated: ask again over TCP.
    Truncated(Response),
    /// Not the answer (wrong ID, question, not a response, garbage): drop it, keep waiting.
    Reject(WireError),
}

/// Checks that `bytes` answer the query `id`/`q`: a response (QR), the same ID, the same
/// question. Names compare case-insensitively (resolvers may echo 0x20 case changes).
pub fn check_response(id: u16, q: &Question, bytes: &[u8]) -> Verdict {
    let r = match decode(bytes) {
        Ok(r) => r,
        Err(e) => return Verdict::Reject(e),
    };
    if !r.is_response {
        return Verdict::Reject(WireError::Mismatch("QR bit"));
    }
    if r.id != id {
        return Verdict::Reject(WireError::Mismatch("message ID"));
    }
    match &r.question {
        Some((name, t))
            if name.eq_ignore_ascii_case(&q.name) && *t == u16::from(q.rtype.hickory()) => {}
        _ => return Verdict::Reject(WireError::Mismatch("question")),
    }
    if r.tc {
        Verdict::Truncated(r)
    } else {
        Verdict::Accept(r)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use alloc::vec;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Audit 2026-12 §7: records owned by other names are not the answer.
    #[test]
    fn stray_records_are_not_the_answer() {
        let mut cname = Vec::new();
        push_name(&mut cname, "lb.example.net");
        let mut evil = Vec::new();
        push_name(&mut evil, "d999evil.cloudfront.net");
        let b = response_bytes(
            7,
            0x8180,
            "www.example.test",
            1,
            &[
                ("stray.example.test", 5, evil),
                ("www.example.test", 5, cname),
                ("lb.example.net", 1, vec![192, 0, 2, 10]),
                ("other.example.test", 1, vec![10, 9, 9, 9]),
            ],
        );
        let Verdict::Accept(r) = check_response(7, &q("www.example.test", RType::A), &b) else {
            panic!()
        };
        let (links, addrs) = answer_chain(&r, "www.example.test.");
        assert_eq!(links, vec![("www.example.test.", "lb.example.net.")]);
        assert_eq!(addrs.len(), 1);
        assert_eq!(addrs[0].to_string(), "lb.example.net. A 192.0.2.10");
    }

    #[test]
    fn other_classes_are_not_answers() {
        let mut b = response_bytes(7, 0x8180, "www.example.test", 1, &[]);
        // The question's class (after the name and the type) set to CH (3).
        let n = b.len();
        b[n - 1] = 3;
        assert!(matches!(
            check_response(7, &q("www.example.test", RType::A), &b),
            Verdict::Reject(WireError::Mismatch("question"))
        ));
    }

    pub(crate) fn q(name: &str, rtype: RType) -> Question {
        Question {
            name: normalise_name(name).unwrap(),
            rtype,
        }
    }

    /// A response built by hand, byte by byte (the fixtures of the hostile-answer tests).
    pub(crate) fn response_bytes(
        id: u16,
        flags: u16,
        qname: &str,
        qtype: u16,
        answers: &[(&str, u16, Vec<u8>)],
    ) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&id.to_be_bytes());
        b.extend_from_slice(&flags.to_be_bytes());
        b.extend_from_slice(&1u16.to_be_bytes());
        b.extend_from_slice(&u16::try_from(answers.len()).unwrap().to_be_bytes());
        b.extend_from_slice(&[0, 0, 0, 0]);
        push_name(&mut b, qname);
        b.extend_from_slice(&qtype.to_be_bytes());
        b.extend_from_slice(&1u16.to_be_bytes());
        for (name, t, rdata) in answers {
            push_name(&mut b, name);
            b.extend_from_slice(&t.to_be_bytes());
            b.extend_from_slice(&1u16.to_be_bytes());
            b.extend_from_slice(&300u32.to_be_bytes());
            b.extend_from_slice(&u16::try_from(rdata.len()).unwrap().to_be_bytes());
            b.extend_from_slice(rdata);
        }
        b
    }

    fn push_name(b: &mut Vec<u8>, name: &str) {
        for label in name
            .trim_end_matches('.')
            .split('.')
            .filter(|l| !l.is_empty())
        {
            b.push(u8::try_from(label.len()).unwrap());
            b.extend_from_slice(label.as_bytes());
        }
        b.push(0);
    }

    #[test]
    fn query_bytes_are_exact() {
        let bytes = encode_query(
            0x1234,
            &q("Example.com", RType::Ns),
            Flags {
                rd: true,
                cd: true,
                dnssec_ok: true,
            },
        )
        .unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "123401100001000000000001076578616d706c6503636f6d0000020001000029\
             04d0000080000000"
        );
    }

    #[test]
    fn base64url_matches_rfc4648() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        // RFC 8484 §4.1.1's example query (www.example.com A, ID 0, RD).
        let q = [
            0u8, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, b'w', b'w', b'w', 7, b'e', b'x', b'a', b'm',
            b'p', b'l', b'e', 3, b'c', b'o', b'm', 0, 0, 1, 0, 1,
        ];
        assert_eq!(
            base64url(&q),
            "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"
        );
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            normalise_name(" WWW.Example.COM. ").unwrap(),
            "www.example.com."
        );
        assert_eq!(
            normalise_name("bücher.example").unwrap(),
            "xn--bcher-kva.example."
        );
        assert!(normalise_name("").is_err());
        assert!(normalise_name(&"a".repeat(300)).is_err());
    }

    #[test]
    fn good_answer_is_accepted() {
        let bytes = response_bytes(
            7,
            0x8580,
            "www.example.test",
            1,
            &[("www.example.test", 1, vec![3, 5, 0, 10])],
        );
        match check_response(7, &q("www.example.test", RType::A), &bytes) {
            Verdict::Accept(r) => {
                assert!(r.aa);
                assert_eq!(r.answers[0].data, RrData::A(Ipv4Addr::new(3, 5, 0, 10)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hostile_answers_are_rejected() {
        let question = q("www.example.test", RType::A);
        let good = response_bytes(7, 0x8580, "www.example.test", 1, &[]);
        // Wrong ID.
        assert_eq!(
            check_response(8, &question, &good),
            Verdict::Reject(WireError::Mismatch("message ID"))
        );
        // Wrong question (name, then type).
        let other = response_bytes(7, 0x8580, "evil.example.test", 1, &[]);
        assert_eq!(
            check_response(7, &question, &other),
            Verdict::Reject(WireError::Mismatch("question"))
        );
        let other_type = response_bytes(7, 0x8580, "www.example.test", 28, &[]);
        assert_eq!(
            check_response(7, &question, &other_type),
            Verdict::Reject(WireError::Mismatch("question"))
        );
        // A query, not a response.
        let query = response_bytes(7, 0x0100, "www.example.test", 1, &[]);
        assert_eq!(
            check_response(7, &question, &query),
            Verdict::Reject(WireError::Mismatch("QR bit"))
        );
        // Truncated message: every proper prefix is rejected, never a panic.
        let full = response_bytes(
            7,
            0x8580,
            "www.example.test",
            1,
            &[("www.example.test", 1, vec![1, 2, 3, 4])],
        );
        for cut in 0..full.len() {
            assert!(
                matches!(
                    check_response(7, &question, &full[..cut]),
                    Verdict::Reject(_)
                ),
                "cut {cut}"
            );
        }
        // TC bit: truncated by the server, ask again over TCP.
        let tc = response_bytes(7, 0x8780, "www.example.test", 1, &[]);
        assert!(matches!(
            check_response(7, &question, &tc),
            Verdict::Truncated(_)
        ));
        // Oversize.
        let huge = vec![0u8; MAX_MESSAGE + 1];
        assert!(matches!(
            check_response(7, &question, &huge),
            Verdict::Reject(WireError::Oversize(_))
        ));
    }

    #[test]
    fn compression_loops_are_rejected() {
        // Header, then a question whose name is a pointer to itself (offset 12).
        let mut b = vec![0, 7, 0x85, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
        b.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
        assert!(matches!(
            check_response(7, &q("a.test", RType::A), &b),
            Verdict::Reject(WireError::Malformed(_))
        ));
        // Two pointers pointing at each other, in an answer.
        let mut b = response_bytes(7, 0x8580, "a.test", 1, &[]);
        b[7] = 1; // one answer
        let at = u8::try_from(b.len()).unwrap();
        b.extend_from_slice(&[0xc0, at + 2, 0xc0, at]);
        b.extend_from_slice(&[0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 1, 2, 3, 4]);
        assert!(matches!(
            check_response(7, &q("a.test", RType::A), &b),
            Verdict::Reject(WireError::Malformed(_))
        ));
    }

    #[test]
    fn ede_with_server_and_rcode() {
        let mut data = 23u16.to_be_bytes().to_vec();
        data.extend_from_slice(b"192.0.2.53:53 rcode=REFUSED for www.example.test A");
        let e = parse_ede(&data).unwrap();
        assert_eq!(e.code, 23);
        assert_eq!(e.name(), "Network Error");
        assert_eq!(e.server, Some("192.0.2.53".parse().unwrap()));
        assert_eq!(e.rcode.as_deref(), Some("REFUSED"));

        let mut data = 9u16.to_be_bytes().to_vec();
        data.extend_from_slice(b"validation failure <www.bogus.example.test. A IN>: No DNSKEY record from 127.0.0.2 for key bogus.example.test. while building chain of trust");
        let e = parse_ede(&data).unwrap();
        assert!(e.is_dnssec_failure());
        assert_eq!(e.server, Some("127.0.0.2".parse().unwrap()));

        let e = parse_ede(&[0, 22]).unwrap();
        assert_eq!((e.code, e.text.as_str(), e.server), (22, "", None));
        assert!(parse_ede(&[1]).is_none());
        let e = parse_ede(&[
            0, 23, b'[', b'2', b'0', b'0', b'1', b':', b'd', b'b', b'8', b':', b':', b'1', b']',
            b':', b'5', b'3', 0xff,
        ])
        .unwrap();
        assert_eq!(e.server, Some("2001:db8::1".parse().unwrap()));
    }
}
