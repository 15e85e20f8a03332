//! SQL for logs beyond one machine: the table DDL for Athena (legacy standard logs, and v2
//! Parquet with partition projection over every hour) and a by-cause query whose
//! classification `CASE` is generated from the evidence rules ([`crate::diagnose::rules`]), so
//! Athena, DuckDB and `cf503 logs` count the same causes. The columns are the field table's
//! ([`crate::logs::fields`]).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::causes::CauseId;
use crate::diagnose::rules::{Fact, RULES, Stance, StatusIs};
use crate::logs::fields::athena_columns;

/// Which engine the SQL is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Amazon Athena (Trino).
    Athena,
    /// DuckDB, reading the log files where they are.
    DuckDb,
}

fn status_condition(s: StatusIs) -> String {
    match s {
        StatusIs::Any => String::new(),
        StatusIs::Is(x) => format!("sc_status = {x}"),
        StatusIs::Not(x) => format!("sc_status <> {x}"),
        // A log record always has a status: a row for a status-less paste never applies.
        StatusIs::Unknown => String::from("FALSE"),
        StatusIs::OtherServerError([]) => String::from("sc_status BETWEEN 500 AND 599"),
        StatusIs::OtherServerError(except) => format!(
            "sc_status BETWEEN 500 AND 599 AND sc_status NOT IN ({})",
            except
                .iter()
                .map(|s| format!("{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The classification `CASE`: the rows of the evidence table that a log record's result types
/// can trigger, strongest first (ties in the catalogue's order), which is how
/// [`crate::logs::classify`] picks a cause. Below 500 a record has none.
pub fn cause_case() -> String {
    let mut rows: Vec<(&'static crate::diagnose::rules::Rule, String)> = RULES
        .iter()
        .filter(|r| r.stance == Stance::For)
        .filter_map(|r| {
            let column_test = match r.fact {
                Fact::Result(t) => format!(
                    "(x_edge_result_type = '{0}' OR x_edge_response_result_type = '{0}')",
                    t.as_str()
                ),
                Fact::Detailed(t) => format!("x_edge_detailed_result_type = '{}'", t.as_str()),
                _ => return None,
            };
            let status = status_condition(r.status);
            let condition = if status.is_empty() {
                column_test
            } else {
                format!("{column_test} AND {status}")
            };
            Some((r, condition))
        })
        .collect();
    rows.sort_by(|(a, _), (b, _)| {
        b.weight
            .total_cmp(&a.weight)
            .then(a.cause.order().cmp(&b.cause.order()))
    });
    let mut s = String::from("CASE\n    WHEN sc_status IS NULL OR sc_status < 500 THEN NULL\n");
    for (r, cond) in rows {
        s.push_str(&format!("    WHEN {cond} THEN '{}'\n", r.cause.as_str()));
    }
    s.push_str(&format!("    ELSE '{}'\n  END", CauseId::Unknown.as_str()));
    s
}

/// Why an S3 location cannot go into the DDL.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocationError {
    /// It does not start with `s3://`.
    NotS3,
    /// It holds a character that could end or escape the SQL string it goes into (a quote, a
    /// backslash) or a control character.
    Unsafe(char),
}

impl core::fmt::Display for LocationError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LocationError::NotS3 => {
                f.write_str("the location must be an S3 URL such as s3://my-log-bucket/cloudfront/")
            }
            LocationError::Unsafe(c) => write!(
                f,
                "the location holds {c:?}, which S3 log locations do not need and which could end the SQL string: give the bucket and prefix only"
            ),
        }
    }
}

impl core::error::Error for LocationError {}

/// Checks an S3 location before it goes inside the DDL's string literals (audit Q4).
pub fn check_location(location: &str) -> Result<(), LocationError> {
    if !location.starts_with("s3://") {
        return Err(LocationError::NotS3);
    }
    match location
        .chars()
        .find(|c| matches!(c, '\'' | '\\' | '"' | '`') || c.is_control())
    {
        Some(c) => Err(LocationError::Unsafe(c)),
        None => Ok(()),
    }
}

/// `CREATE TABLE` statements: the legacy standard-log table and the v2 Parquet table with
/// partition projection over every hour (00–23: AWS's own example projects only 01–12). The
/// location is checked first ([`check_location`]): nothing from it can leave its string.
pub fn athena_ddl(location: &str) -> Result<String, LocationError> {
    check_location(location)?;
    let cols = |ty: bool| {
        athena_columns()
            .map(|(n, t)| {
                let name = if n == "date" { "`date`" } else { n };
                if ty {
                    format!("  {name} {t}")
                } else {
                    format!("  {name} string")
                }
            })
            .collect::<Vec<_>>()
            .join(",\n")
    };
    Ok(format!(
        "-- Standard logs (legacy): one row a log line, fields tab-separated.\n\
CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_standard_logs (\n{}\n)\n\
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t'\n\
LOCATION '{location}'\n\
TBLPROPERTIES ('skip.header.line.count' = '2');\n\n\
-- Standard logging v2, Parquet, partitioned by distribution and hour (every hour, 00 to 23).\n\
CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_logs_v2 (\n{}\n)\n\
PARTITIONED BY (distributionid string, year int, month int, day int, hour int)\n\
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n\
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n\
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n\
LOCATION '{location}'\n\
TBLPROPERTIES (\n  'projection.enabled' = 'true',\n  'projection.distributionid.type' = 'injected',\n  \
'projection.year.type' = 'integer', 'projection.year.range' = '2019,2099',\n  \
'projection.month.type' = 'integer', 'projection.month.range' = '01,12', 'projection.month.digits' = '2',\n  \
'projection.day.type' = 'integer', 'projection.day.range' = '01,31', 'projection.day.digits' = '2',\n  \
'projection.hour.type' = 'integer', 'projection.hour.range' = '00,23', 'projection.hour.digits' = '2',\n  \
'storage.location.template' = '{location}${{distributionid}}/${{year}}/${{month}}/${{day}}/${{hour}}/'\n);\n",
        cols(true),
        cols(false)
    ))
}

/// The by-cause query: errors per cause, minute and edge location, with the first request id.
/// For DuckDB, `source` is a `read_csv(…)` of the log files; for Athena, the table name.
pub fn by_cause_query(dialect: Dialect, source: &str) -> String {
    let status = match dialect {
        // The v2 Parquet table keeps every column as a string.
        Dialect::Athena | Dialect::DuckDb => "sc_status",
    };
    format!(
        "WITH classified AS (\n  SELECT\n    \"date\", substr(\"time\", 1, 5) AS hh_mm, x_edge_location, {status} AS sc_status, x_edge_request_id,\n    {} AS cause\n  FROM {source}\n)\n\
SELECT cause, \"date\", hh_mm, x_edge_location, count(*) AS errors, min(x_edge_request_id) AS sample_request_id\n\
FROM classified\nWHERE cause IS NOT NULL\nGROUP BY cause, \"date\", hh_mm, x_edge_location\nORDER BY errors DESC, cause, \"date\", hh_mm, x_edge_location",
        cause_case().replace('\n', "\n    ")
    )
}

/// DuckDB's `read_csv` of standard log files (33 fields, two header lines).
pub fn duckdb_source(glob: &str) -> String {
    let cols = athena_columns()
        .map(|(n, t)| {
            let ty = match t {
                "STRING" => "VARCHAR",
                "FLOAT" => "DOUBLE",
                other => other,
            };
            format!("'{n}': '{ty}'")
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "read_csv('{glob}', delim = '\\t', header = false, skip = 2, nullstr = '-', columns = {{{cols}}})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_case_is_the_rule_table() {
        let case = cause_case();
        // Every result-type row is there, strongest first.
        let dns = case
            .find("x_edge_detailed_result_type = 'OriginDnsError'")
            .unwrap();
        let error = case
            .find("x_edge_detailed_result_type = 'Error' AND sc_status BETWEEN 500 AND 599")
            .unwrap();
        assert!(dns < error, "decisive rows before strong ones");
        assert!(case.contains("THEN 'lambda_edge_throttled'"));
        assert!(case.ends_with("ELSE 'unknown'\n  END"));
        assert!(
            athena_ddl("s3://bucket/prefix/")
                .unwrap()
                .contains("'projection.hour.range' = '00,23'")
        );
    }

    /// Audit Q4: a location with a quote once ended the DDL's string and added a statement.
    #[test]
    fn audit_q4_a_location_cannot_leave_its_string() {
        use alloc::string::ToString;
        assert_eq!(
            athena_ddl("s3://bucket/logs/'; DROP TABLE cloudfront_standard_logs; --"),
            Err(LocationError::Unsafe('\''))
        );
        assert_eq!(athena_ddl("s3://b/\\'x"), Err(LocationError::Unsafe('\\')));
        assert_eq!(athena_ddl("s3://b/\nx"), Err(LocationError::Unsafe('\n')));
        assert_eq!(athena_ddl("/local/path"), Err(LocationError::NotS3));
        assert!(
            LocationError::NotS3
                .to_string()
                .contains("s3://my-log-bucket")
        );
        // Ordinary prefixes, dates and = signs (Hive partitions) pass.
        assert!(athena_ddl("s3://my-logs/cf/E2ABC/year=2026/").is_ok());
    }
}
