//! gzip files member by member (RFC 1952 §2.2: a gzip file is a series of members; `cat a.gz
//! b.gz` and `gzip -c >> all.gz` make such files), with one policy for every front end: a member
//! starts with the magic bytes; bytes after the last member that are not one, a file that ends
//! inside a member, damaged data and a decoder that stops moving are each an error that keeps
//! what was decoded before it (the front end warns and counts it).
//!
//! The inflating is the front end's, behind [`MemberDecoder`]: the CLI's zlib-rs (which checks
//! each member's header, CRC-32 and length itself, fused with decoding), or `Miniz` here (with
//! the `gzip` feature) for the page, whose browser decoder stops after the first member (audit
//! W5): it falls back to `Stream` when its fast path fails.
//!
//! Sans IO: bytes in, decoded bytes into the spare room of the caller's buffer. Memory is that
//! buffer whatever the file expands to (a gzip bomb streams through in linear time).

#[cfg(feature = "gzip")]
use alloc::boxed::Box;
use alloc::vec::Vec;

#[cfg(feature = "gzip")]
use miniz_oxide::inflate::stream::{InflateState, inflate};
#[cfg(feature = "gzip")]
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// A member's header may carry a file name and a comment; past this it is not a log's.
#[cfg(feature = "gzip")]
const MAX_HEADER: usize = 64 * 1024;
/// Decoded bytes handed out at a time by [`Stream`].
#[cfg(feature = "gzip")]
const OUT: usize = 64 * 1024;

/// The two bytes every member starts with.
const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why a gzip file could not be read to its end (what was decoded before still counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GzipError {
    /// The first bytes are not a gzip header.
    NotGzip,
    /// A member's header is malformed (an unknown method, a header longer than 64 KB).
    BadHeader,
    /// The compressed data is damaged: not deflate data, or not what the member's CRC-32 and
    /// length say (one kind: which of the two a damaged byte trips first differs between
    /// inflaters, and the remedy is the same).
    Damaged,
    /// The file ends inside a member (a download cut short).
    CutShort,
    /// Bytes after the last member are not another member (gzip(1) warns of them too).
    TrailingBytes,
    /// The decoder took no input and gave no output with both at hand (a decoder fault: the
    /// reading stops rather than spin).
    Stuck,
}

impl core::fmt::Display for GzipError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Short: the report's sentence (`report::gzip_cut_warning`) says the rest.
        f.write_str(match self {
            GzipError::NotGzip => "not a gzip file",
            GzipError::BadHeader => "a malformed member header",
            GzipError::Damaged => "damaged compressed data",
            GzipError::CutShort => "the file ends inside a gzip member",
            GzipError::TrailingBytes => "bytes after the last member are not gzip",
            GzipError::Stuck => "the gzip decoder made no progress",
        })
    }
}

impl core::error::Error for GzipError {}

/// What one call of a [`MemberDecoder`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// Input bytes taken.
    pub read: usize,
    /// The member ended (its trailer read and checked).
    pub ended: bool,
}

/// Decodes one member at a time (header, compressed data, trailer), with whatever inflater a
/// front end has.
pub trait MemberDecoder {
    /// Starts on a new member, whose first byte is the next input.
    fn begin(&mut self);
    /// Decodes from `input` into `out`'s spare room (`out.capacity() - out.len()`, which the
    /// caller leaves above zero), up to the member's end.
    fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<Decoded, GzipError>;
}

/// Where a walk through a file's members is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    /// Before the first member.
    Start,
    /// Inside a member.
    Member,
    /// After a member: another one, or the end.
    Between,
    /// The first magic byte was the last of an input, at the start (`true`) or between
    /// members; the next input says whether a member starts.
    HalfMagic(bool),
    Failed(GzipError),
}

/// Every member of a gzip file, in turn (see the module's documentation).
#[derive(Debug)]
pub struct Members<D> {
    decoder: D,
    walk: Walk,
    members: u32,
}

impl<D: MemberDecoder> Members<D> {
    /// A walk from the start of a file.
    pub fn new(decoder: D) -> Self {
        Members {
            decoder,
            walk: Walk::Start,
            members: 0,
        }
    }

    /// Members read to their end so far.
    pub fn members(&self) -> u32 {
        self.members
    }

    /// Decodes from `input` into `out`'s spare room until the room is full or the input is
    /// taken (and the decoder has nothing more to give from it); returns the input bytes taken.
    /// On an error, what was decoded before it is in `out`; every later call returns it again.
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, GzipError> {
        let mut used = 0;
        while out.len() < out.capacity() {
            let rest = &input[used..];
            match self.walk {
                Walk::Failed(e) => return Err(e),
                Walk::Start | Walk::Between => {
                    let at_start = self.walk == Walk::Start;
                    match rest {
                        [] => break,
                        [a, b, ..] if [*a, *b] == MAGIC => {
                            self.decoder.begin();
                            self.walk = Walk::Member;
                        }
                        [a] if *a == MAGIC[0] => {
                            used += 1;
                            self.walk = Walk::HalfMagic(at_start);
                        }
                        _ => return Err(self.fail(not_a_member(at_start))),
                    }
                }
                Walk::HalfMagic(at_start) => match rest.first() {
                    None => break,
                    Some(&b) if b == MAGIC[1] => {
                        self.decoder.begin();
                        self.walk = Walk::Member;
                        // The byte taken from the last input is the member's first.
                        let d = self.step(&MAGIC[..1], out)?;
                        if d.read != 1 {
                            return Err(self.fail(GzipError::Stuck));
                        }
                    }
                    Some(_) => return Err(self.fail(not_a_member(at_start))),
                },
                Walk::Member => {
                    let wrote_before = out.len();
                    let d = self.step(rest, out)?;
                    used += d.read;
                    if d.ended {
                        continue;
                    }
                    if d.read == 0 && out.len() == wrote_before {
                        if rest.is_empty() {
                            break; // it needs more input
                        }
                        return Err(self.fail(GzipError::Stuck));
                    }
                }
            }
        }
        Ok(used)
    }

    /// One call of the decoder inside a member.
    fn step(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<Decoded, GzipError> {
        let d = self.decoder.decode(input, out).map_err(|e| self.fail(e))?;
        if d.read > input.len() {
            return Err(self.fail(GzipError::Stuck));
        }
        if d.ended {
            self.members = self.members.saturating_add(1);
            self.walk = Walk::Between;
        }
        Ok(d)
    }

    fn fail(&mut self, e: GzipError) -> GzipError {
        self.walk = Walk::Failed(e);
        e
    }

    /// The input ended (every decoded byte taken): an error unless it ended after a member.
    pub fn finish(&self) -> Result<(), GzipError> {
        match self.walk {
            Walk::Between => Ok(()),
            Walk::Start | Walk::HalfMagic(true) => Err(GzipError::NotGzip),
            Walk::HalfMagic(false) => Err(GzipError::TrailingBytes),
            Walk::Member => Err(GzipError::CutShort),
            Walk::Failed(e) => Err(e),
        }
    }
}

/// What bytes that do not start a member are: no gzip at all at the start, trailing bytes after.
fn not_a_member(at_start: bool) -> GzipError {
    if at_start {
        GzipError::NotGzip
    } else {
        GzipError::TrailingBytes
    }
}

/// The length of a complete member header at the start of `h`, `Ok(None)` when more bytes are
/// needed.
#[cfg(feature = "gzip")]
fn header_len(h: &[u8]) -> Result<Option<usize>, GzipError> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    if h.len() < 10 {
        return Ok(None);
    }
    if h[..2] != MAGIC || h[2] != 8 || h[3] & 0xe0 != 0 {
        return Err(GzipError::BadHeader);
    }
    let flags = h[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let Some(len) = h.get(at..at + 2) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let Some(rest) = h.get(at..) else {
                return Ok(None);
            };
            match memchr::memchr(0, rest) {
                Some(nul) => at += nul + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((h.len() >= at).then_some(at))
}

/// A member decoder on miniz_oxide (pure Rust, no_std), for the page: it reads the header, the
/// raw deflate data and the trailer, whose CRC-32 and length it checks as zlib-rs does.
#[cfg(feature = "gzip")]
pub struct Miniz {
    stage: Stage,
    inflater: Box<InflateState>,
    crc: crc32fast::Hasher,
    /// The member's decoded length, modulo 2^32 (the trailer's ISIZE).
    size: u32,
}

#[cfg(feature = "gzip")]
enum Stage {
    /// Collecting the header (the bytes so far).
    Header(Vec<u8>),
    Data,
    /// The trailer's bytes so far.
    Trailer([u8; 8], usize),
}

#[cfg(feature = "gzip")]
impl core::fmt::Debug for Miniz {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Miniz").finish_non_exhaustive()
    }
}

#[cfg(feature = "gzip")]
impl Default for Miniz {
    fn default() -> Self {
        Miniz {
            stage: Stage::Header(Vec::new()),
            inflater: InflateState::new_boxed(DataFormat::Raw),
            crc: crc32fast::Hasher::new(),
            size: 0,
        }
    }
}

#[cfg(feature = "gzip")]
impl MemberDecoder for Miniz {
    fn begin(&mut self) {
        self.stage = Stage::Header(Vec::new());
        self.inflater.reset(DataFormat::Raw);
        self.crc = crc32fast::Hasher::new();
        self.size = 0;
    }

    fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<Decoded, GzipError> {
        let mut read = 0;
        loop {
            let rest = &input[read..];
            match &mut self.stage {
                Stage::Header(h) => {
                    if rest.is_empty() {
                        break;
                    }
                    let take = rest.len().min(MAX_HEADER + 1 - h.len().min(MAX_HEADER));
                    let before = h.len();
                    h.extend_from_slice(&rest[..take]);
                    match header_len(h)? {
                        // What followed the header in this piece is compressed data.
                        Some(len) => {
                            read += len - before;
                            self.stage = Stage::Data;
                        }
                        None if h.len() > MAX_HEADER => return Err(GzipError::BadHeader),
                        None => read += take,
                    }
                }
                Stage::Data => {
                    let len = out.len();
                    if len == out.capacity() {
                        break;
                    }
                    // miniz writes into initialised memory: the spare room, zeroed (the page's
                    // fallback path only; the CLI's decoder writes into it as it is).
                    out.resize(out.capacity(), 0);
                    let r = inflate(&mut self.inflater, rest, &mut out[len..], MZFlush::None);
                    out.truncate(len + r.bytes_written);
                    self.crc.update(&out[len..]);
                    // ISIZE is the length modulo 2^32: the truncation is the format's.
                    #[allow(clippy::cast_possible_truncation)]
                    let wrote = r.bytes_written as u32;
                    self.size = self.size.wrapping_add(wrote);
                    read += r.bytes_consumed;
                    match r.status {
                        Ok(MZStatus::StreamEnd) => self.stage = Stage::Trailer([0; 8], 0),
                        Ok(_) | Err(MZError::Buf) => break,
                        Err(_) => return Err(GzipError::Damaged),
                    }
                }
                Stage::Trailer(t, got) => {
                    let take = (8 - *got).min(rest.len());
                    t[*got..*got + take].copy_from_slice(&rest[..take]);
                    *got += take;
                    read += take;
                    if *got < 8 {
                        break;
                    }
                    let crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
                    let size = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
                    if crc != self.crc.clone().finalize() || size != self.size {
                        return Err(GzipError::Damaged);
                    }
                    return Ok(Decoded { read, ended: true });
                }
            }
        }
        Ok(Decoded { read, ended: false })
    }
}

/// A gzip file fed in pieces, decoded bytes handed out in pieces of at most 64 KB: the page's
/// reader of multi-member files ([`super::LogSession::feed_gzip`]).
#[cfg(feature = "gzip")]
#[derive(Debug)]
pub struct Stream {
    members: Members<Miniz>,
    out: Vec<u8>,
}

#[cfg(feature = "gzip")]
impl Default for Stream {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "gzip")]
impl Stream {
    /// A reader at the start of a gzip file.
    pub fn new() -> Self {
        Stream {
            members: Members::new(Miniz::default()),
            out: Vec::with_capacity(OUT),
        }
    }

    /// Members read to their end so far.
    pub fn members(&self) -> u32 {
        self.members.members()
    }

    /// Decodes the next compressed bytes; decoded bytes go to `out` as they come (those before
    /// an error too). After an error, every call returns it again.
    pub fn feed(&mut self, mut input: &[u8], mut out: impl FnMut(&[u8])) -> Result<(), GzipError> {
        loop {
            self.out.clear();
            let taken = self.members.decode(input, &mut self.out);
            if !self.out.is_empty() {
                out(&self.out);
            }
            input = &input[taken?..];
            // Room left: the input is taken and the decoder has nothing more from it.
            if self.out.len() < self.out.capacity() {
                return Ok(());
            }
        }
    }

    /// The file ended: an error when it ended inside a member, after bytes that are not gzip,
    /// or never began.
    pub fn finish(&self) -> Result<(), GzipError> {
        self.members.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "gzip")]
    use alloc::vec;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A member as gzip writes it: the header (with an FNAME field when named), deflate data,
    /// then the CRC-32 and length of the text.
    #[cfg(feature = "gzip")]
    fn member(text: &[u8], name: Option<&str>) -> Vec<u8> {
        let mut m = vec![
            0x1f,
            0x8b,
            8,
            if name.is_some() { 8 } else { 0 },
            0,
            0,
            0,
            0,
            0,
            3,
        ];
        if let Some(n) = name {
            m.extend_from_slice(n.as_bytes());
            m.push(0);
        }
        m.extend(miniz_oxide::deflate::compress_to_vec(text, 6));
        m.extend_from_slice(&crc32fast::hash(text).to_le_bytes());
        m.extend_from_slice(&u32::try_from(text.len()).unwrap().to_le_bytes());
        m
    }

    /// Everything a [`Stream`] hands out, fed in pieces of `piece` bytes, and how it ended.
    #[cfg(feature = "gzip")]
    fn decode(bytes: &[u8], piece: usize) -> (Vec<u8>, Result<(), GzipError>, u32) {
        let mut m = Stream::new();
        let mut out = Vec::new();
        for chunk in bytes.chunks(piece.max(1)) {
            if let Err(e) = m.feed(chunk, |b| out.extend_from_slice(b)) {
                return (out, Err(e), m.members());
            }
        }
        let end = m.finish();
        (out, end, m.members())
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn audit_w5_every_member_in_any_pieces() {
        let mut file = member(b"line one\nline two\n", None);
        file.extend(member(b"", None));
        file.extend(member(b"three\n", Some("b.log")));
        for piece in [1, 2, 3, 7, 11, 64, 4096] {
            let (out, end, members) = decode(&file, piece);
            assert_eq!(out, b"line one\nline two\nthree\n", "piece {piece}");
            assert_eq!((end, members), (Ok(()), 3), "piece {piece}");
        }
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn cut_damaged_trailing_and_not_gzip() {
        let text = "x\n".repeat(10_000);
        let file = member(text.as_bytes(), None);
        let (out, end, _) = decode(&file[..file.len() / 2], 100);
        assert_eq!(end, Err(GzipError::CutShort));
        assert!(!out.is_empty(), "what arrived is handed out");
        // A wrong CRC-32, a wrong length: the data decodes, the member is still damaged.
        for at in [file.len() - 8, file.len() - 1] {
            let mut wrong = file.clone();
            wrong[at] ^= 1;
            let (out, end, _) = decode(&wrong, 100);
            assert_eq!(
                (out.len(), end),
                (text.len(), Err(GzipError::Damaged)),
                "{at}"
            );
        }
        // Bytes after the last member: what came before counts, and it is said (as gzip does),
        // however the pieces fall (a lone first magic byte, or one split from the second).
        // A member that starts (the magic bytes) and is not one is a damaged or cut member.
        let tails: [(&[u8], GzipError); 6] = [
            (b"\0\0\0junk", GzipError::TrailingBytes),
            (b"\x1f", GzipError::TrailingBytes),
            (b"\x1f\x00", GzipError::TrailingBytes),
            (b"\x8b\x1f", GzipError::TrailingBytes),
            (b"\x1f\x8b\x09", GzipError::CutShort),
            (b"\x1f\x8b\x09\0\0\0\0\0\0\x03", GzipError::BadHeader),
        ];
        for (tail, want) in tails {
            let trailing = [file.as_slice(), tail].concat();
            for piece in [1, 3, 100, trailing.len()] {
                let (out, end, members) = decode(&trailing, piece);
                assert_eq!(
                    (out.len(), end, members),
                    (text.len(), Err(want), 1),
                    "{tail:?} in pieces of {piece}"
                );
            }
        }
        assert_eq!(decode(b"#Fields: x\n", 4).1, Err(GzipError::NotGzip));
        assert_eq!(decode(b"", 4).1, Err(GzipError::NotGzip));
        assert_eq!(decode(b"\x1f", 4).1, Err(GzipError::NotGzip));
    }

    /// Every way a two-member file can be cut gives a prefix of its text and, unless the cut
    /// falls between members, an error; every damaged byte gives an error or, where gzip cannot
    /// tell (a header's time, flags for the OS), the whole text.
    #[cfg(feature = "gzip")]
    #[test]
    fn every_cut_and_every_flipped_byte_ends_with_what_came_before() {
        let text: Vec<u8> = (0..200)
            .flat_map(|i| {
                alloc::format!("2026-11-26\t05:{:02}:00\t503\t/p{i}\n", i % 60).into_bytes()
            })
            .collect();
        let first = member(&text[..2000], None);
        let file = [first.clone(), member(&text[2000..], Some("b.log"))].concat();
        assert_eq!(decode(&file, 333), (text.clone(), Ok(()), 2));
        for cut in 0..file.len() {
            let (got, end, _) = decode(&file[..cut], 97);
            assert!(text.starts_with(&got), "cut at {cut}: not a prefix");
            assert_eq!(end.is_ok(), cut == first.len(), "cut at {cut}: {end:?}");
        }
        for at in 0..file.len() {
            let mut damaged = file.clone();
            damaged[at] ^= 0x5a;
            let (got, end, _) = decode(&damaged, 97);
            if end.is_ok() {
                assert_eq!(got, text, "damage at {at} not seen and the text changed");
            }
        }
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn a_bomb_streams_through_in_bounded_pieces() {
        let zeros = vec![0u8; 50 << 20];
        let file = member(&zeros, None);
        let mut m = Stream::new();
        let (mut total, mut largest) = (0usize, 0usize);
        m.feed(&file, |b| {
            total += b.len();
            largest = largest.max(b.len());
        })
        .unwrap();
        assert_eq!((total, m.finish()), (50 << 20, Ok(())));
        assert!(largest <= OUT);
    }

    /// A decoder that takes nothing and gives nothing: the walk says so and stops; it does
    /// not spin. One that claims more input than it had is stopped too.
    #[test]
    fn a_decoder_that_does_not_move_is_an_error_not_a_hang() {
        struct Stalled(usize);
        impl MemberDecoder for Stalled {
            fn begin(&mut self) {}
            fn decode(&mut self, _: &[u8], _: &mut Vec<u8>) -> Result<Decoded, GzipError> {
                Ok(Decoded {
                    read: self.0,
                    ended: false,
                })
            }
        }
        for claimed in [0, 1000] {
            let mut m = Members::new(Stalled(claimed));
            let mut out = Vec::with_capacity(16);
            assert_eq!(
                m.decode(b"\x1f\x8b\x08\x00", &mut out),
                Err(GzipError::Stuck)
            );
            assert_eq!(m.decode(b"\x1f\x8b", &mut out), Err(GzipError::Stuck));
            assert_eq!(m.finish(), Err(GzipError::Stuck));
        }
    }
}
