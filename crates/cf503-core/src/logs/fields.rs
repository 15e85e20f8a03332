//! CloudFront's log fields, in one table: each field's name (as a `#Fields:` line, a v2 JSON
//! key and a real-time log configuration spell it), what cf503 reads it as, and its column in
//! AWS's Athena table. The reader, the JSON lines reader, the SQL and the paste parser all read
//! this table; adding a field cf503 uses is a row here (and a [`Slot`]) plus where it is shown.
//!
//! Sources: the standard log fields in order (DeveloperGuide/standard-logs-reference.html: "33
//! fields", 35 listed), the v2 additions (standard-logging.html), the real-time names
//! (real-time-logs.html#real-time-logs-fields) and AWS's Athena DDL
//! (athena/latest/ug/create-cloudfront-table-standard-logs.html); all quoted in
//! `../shared/reference/cloudfront-logs.md` §1 and §2.1.

/// What cf503 reads a field as: a place in a [`super::Record`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Slot {
    /// `date` (UTC, `2026-11-26`).
    Date,
    /// `time` (UTC, `05:00:01`).
    Time,
    /// `timestamp`: seconds since the epoch, with milliseconds (real-time logs).
    Timestamp,
    /// `timestamp(ms)`: milliseconds since the epoch (v2).
    TimestampMs,
    /// The edge location.
    Pop,
    /// The status sent to the viewer.
    Status,
    /// `x-edge-result-type`.
    Result,
    /// `x-edge-response-result-type`.
    ResponseResult,
    /// `x-edge-detailed-result-type`.
    Detailed,
    /// The path, URL-encoded.
    Path,
    /// The host: CloudFront's domain (`cs(Host)`) or the viewer's `Host` header, the first
    /// field of the two a log has.
    Host,
    /// CloudFront's request id (`X-Amz-Cf-Id`).
    RequestId,
    /// The origin's first-byte latency (v2: empty when no origin was asked).
    OriginFirstByte,
    /// How long CloudFront took to answer, in seconds (`0.102`).
    TimeTaken,
    /// The content type of the response (read from pasted records only).
    ContentType,
}

impl Slot {
    /// How many slots a record has.
    pub const COUNT: usize = Slot::ContentType as usize + 1;
}

/// One log field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The name in a `#Fields:` line and as a v2 JSON key.
    pub name: &'static str,
    /// The same field's name in a real-time log configuration, where it differs.
    pub realtime: Option<&'static str>,
    /// What cf503 reads it as (`None`: a field cf503 does not use).
    pub slot: Option<Slot>,
    /// Its column in AWS's Athena table of standard logs, and the column's type (`None`: not
    /// one of the 33 columns of that table).
    pub athena: Option<(&'static str, &'static str)>,
    /// Whether a pasted log record's value is a response fact (its result types, edge
    /// location, request id and content type; the rest says nothing about the cause).
    pub pasted: bool,
}

const fn field(name: &'static str) -> Field {
    Field {
        name,
        realtime: None,
        slot: None,
        athena: None,
        pasted: false,
    }
}

const fn col(name: &'static str, column: &'static str, ty: &'static str) -> Field {
    Field {
        athena: Some((column, ty)),
        ..field(name)
    }
}

const fn read(mut f: Field, slot: Slot) -> Field {
    f.slot = Some(slot);
    f
}

const fn pasted(mut f: Field) -> Field {
    f.pasted = true;
    f
}

const fn realtime(mut f: Field, name: &'static str) -> Field {
    f.realtime = Some(name);
    f
}

/// Every field: first the 33 of a standard log since 2019 in their order (the columns of AWS's
/// Athena table, in the same order), then the later and v2/real-time-only ones.
pub const FIELDS: &[Field] = &[
    read(col("date", "date", "DATE"), Slot::Date),
    read(col("time", "time", "STRING"), Slot::Time),
    pasted(read(
        col("x-edge-location", "x_edge_location", "STRING"),
        Slot::Pop,
    )),
    col("sc-bytes", "sc_bytes", "BIGINT"),
    col("c-ip", "c_ip", "STRING"),
    col("cs-method", "cs_method", "STRING"),
    realtime(
        read(col("cs(Host)", "cs_host", "STRING"), Slot::Host),
        "cs-host",
    ),
    read(col("cs-uri-stem", "cs_uri_stem", "STRING"), Slot::Path),
    read(col("sc-status", "sc_status", "INT"), Slot::Status),
    realtime(col("cs(Referer)", "cs_referrer", "STRING"), "cs-referer"),
    realtime(
        col("cs(User-Agent)", "cs_user_agent", "STRING"),
        "cs-user-agent",
    ),
    col("cs-uri-query", "cs_uri_query", "STRING"),
    realtime(col("cs(Cookie)", "cs_cookie", "STRING"), "cs-cookie"),
    pasted(read(
        col("x-edge-result-type", "x_edge_result_type", "STRING"),
        Slot::Result,
    )),
    pasted(read(
        col("x-edge-request-id", "x_edge_request_id", "STRING"),
        Slot::RequestId,
    )),
    pasted(read(
        col("x-host-header", "x_host_header", "STRING"),
        Slot::Host,
    )),
    col("cs-protocol", "cs_protocol", "STRING"),
    col("cs-bytes", "cs_bytes", "BIGINT"),
    read(col("time-taken", "time_taken", "FLOAT"), Slot::TimeTaken),
    col("x-forwarded-for", "x_forwarded_for", "STRING"),
    col("ssl-protocol", "ssl_protocol", "STRING"),
    col("ssl-cipher", "ssl_cipher", "STRING"),
    pasted(read(
        col(
            "x-edge-response-result-type",
            "x_edge_response_result_type",
            "STRING",
        ),
        Slot::ResponseResult,
    )),
    col("cs-protocol-version", "cs_protocol_version", "STRING"),
    col("fle-status", "fle_status", "STRING"),
    col("fle-encrypted-fields", "fle_encrypted_fields", "INT"),
    col("c-port", "c_port", "INT"),
    col("time-to-first-byte", "time_to_first_byte", "FLOAT"),
    pasted(read(
        col(
            "x-edge-detailed-result-type",
            "x_edge_detailed_result_type",
            "STRING",
        ),
        Slot::Detailed,
    )),
    pasted(read(
        col("sc-content-type", "sc_content_type", "STRING"),
        Slot::ContentType,
    )),
    col("sc-content-len", "sc_content_len", "BIGINT"),
    col("sc-range-start", "sc_range_start", "BIGINT"),
    col("sc-range-end", "sc_range_end", "BIGINT"),
    // Later standard-log fields, v2's and real-time logs' own.
    field("distribution-tenant-id"),
    field("connection-id"),
    read(field("timestamp"), Slot::Timestamp),
    read(field("timestamp(ms)"), Slot::TimestampMs),
    read(field("origin-fbl"), Slot::OriginFirstByte),
    field("origin-lbl"),
    field("asn"),
    field("c-country"),
    field("cache-behavior-path-pattern"),
];

/// The field of a name as any log generation spells it (`#Fields:`, v2 JSON key, real-time
/// configuration).
pub fn by_name(name: &str) -> Option<&'static Field> {
    FIELDS
        .iter()
        .find(|f| f.name == name || f.realtime == Some(name))
}

/// The slot a field name is read into, if cf503 uses it.
pub fn slot_of(name: &str) -> Option<Slot> {
    by_name(name).and_then(|f| f.slot)
}

/// The name of the first field read into `slot` (for messages and pasted records).
pub fn name_of(slot: Slot) -> &'static str {
    FIELDS
        .iter()
        .find(|f| f.slot == Some(slot))
        .map_or("", |f| f.name)
}

/// The columns of AWS's Athena table of standard logs, in order, with their types.
pub fn athena_columns() -> impl Iterator<Item = (&'static str, &'static str)> {
    FIELDS.iter().filter_map(|f| f.athena)
}

/// Whether a field name, as logged, is one whose pasted value is a response fact.
pub fn is_pasted_fact(name: &str) -> bool {
    by_name(name).is_some_and(|f| f.pasted)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_athena_table_has_the_33_columns_in_order() {
        let cols: alloc::vec::Vec<_> = athena_columns().collect();
        assert_eq!(cols.len(), 33);
        assert_eq!(cols[0], ("date", "DATE"));
        assert_eq!(cols[8], ("sc_status", "INT"));
        assert_eq!(cols[32], ("sc_range_end", "BIGINT"));
    }

    #[test]
    fn names_are_unique_and_every_slot_is_read_from_some_field() {
        for (i, f) in FIELDS.iter().enumerate() {
            for g in &FIELDS[i + 1..] {
                assert_ne!(f.name, g.name);
                assert!(f.realtime.is_none() || f.realtime != g.realtime);
            }
        }
        for slot in [
            Slot::Date,
            Slot::Time,
            Slot::Timestamp,
            Slot::TimestampMs,
            Slot::Pop,
            Slot::Status,
            Slot::Result,
            Slot::ResponseResult,
            Slot::Detailed,
            Slot::Path,
            Slot::Host,
            Slot::RequestId,
            Slot::OriginFirstByte,
            Slot::TimeTaken,
            Slot::ContentType,
        ] {
            assert!(!name_of(slot).is_empty(), "{slot:?}");
            assert!((slot as usize) < Slot::COUNT);
        }
        assert_eq!(slot_of("cs-host"), Some(Slot::Host));
        assert_eq!(slot_of("cs(User-Agent)"), None);
        assert!(is_pasted_fact("x-edge-detailed-result-type"));
        assert!(!is_pasted_fact("cs(Cookie)"));
    }
}
