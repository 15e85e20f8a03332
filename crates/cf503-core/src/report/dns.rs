//! The DNS check's report: the dig session it replaces, and JSON.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::{Value, json};

use super::{DNS_SCHEMA_VERSION, printable, to_pretty};
use crate::dns::{DnsFinding, DnsReport};

/// One finding on one line: severity, id, summary, server.
pub(super) fn finding_line(f: &DnsFinding) -> String {
    format!(
        "  {:<7} {:<21} {}{}",
        f.severity.as_str().to_ascii_uppercase(),
        f.id.as_str(),
        printable(&f.summary, false),
        f.server
            .as_ref()
            .map(|s| format!(" [{}]", printable(s, false)))
            .unwrap_or_default()
    )
}

/// The DNS check as the dig session it replaces, then the findings.
pub fn dns_text(r: &DnsReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "DNS check of {}", r.origin);
    match (&r.apex, &r.parent) {
        (Some(a), Some(p)) => {
            let _ = writeln!(o, "zone apex (by SOA): {a}   parent zone: {p}");
        }
        (Some(a), None) => {
            let _ = writeln!(o, "zone apex (by SOA): {a}");
        }
        _ => {
            let _ = writeln!(
                o,
                "zone apex: not found (no SOA for the name or any parent)"
            );
        }
    }
    for link in &r.cname_chain {
        let _ = writeln!(o, "CNAME {}", printable(link, false));
    }
    if let Some(apex) = &r.apex {
        let _ = writeln!(o, "\n$ dig {apex} NS +short");
        for s in r.servers.iter().filter(|s| s.in_zone) {
            let _ = writeln!(o, "{}", s.name);
        }
        for s in r.servers.iter().filter(|s| s.in_parent && !s.in_zone) {
            let _ = writeln!(o, "{}    (only in the parent's delegation)", s.name);
        }
    }
    for s in &r.servers {
        for res in &s.results {
            let name = if res.query == "SOA" {
                r.apex.as_deref().unwrap_or("?")
            } else {
                r.origin.as_str()
            };
            let _ = writeln!(
                o,
                "\n$ dig {name} {} @{} +norec    # {}",
                res.query, res.address, s.name
            );
            let mut line = format!("  {}", res.outcome);
            if res.aa {
                line.push_str(" aa");
            }
            if let Some(serial) = res.serial {
                let _ = write!(line, "  serial {serial}");
            } else {
                for a in &res.answers {
                    let _ = write!(line, "  {}", a.rsplit(' ').next().unwrap_or(""));
                }
            }
            if let Some(t) = res.rtt_ms {
                let _ = write!(line, "  ({t} ms)");
            }
            let _ = writeln!(o, "{}", printable(&line, false));
        }
    }
    if !r.resolver.is_empty() {
        let several = r.resolver.iter().any(|q| q.resolver > 0);
        let _ = writeln!(
            o,
            "\nThrough the resolver{}:",
            if several { "s" } else { "" }
        );
        for q in &r.resolver {
            if several {
                let _ = write!(o, "  [{}]", u16::from(q.resolver) + 1);
            }
            let _ = write!(
                o,
                "  {:<4}{} {:<9}",
                q.query,
                if q.cd { " +cd" } else { "    " },
                q.outcome
            );
            for a in &q.answers {
                let _ = write!(
                    o,
                    " {}",
                    printable(a.rsplit(' ').next().unwrap_or(""), false)
                );
            }
            if let Some(t) = q.rtt_ms {
                let _ = write!(o, "  ({t} ms)");
            }
            o.push('\n');
            for e in &q.ede {
                let _ = writeln!(o, "        extended error {}", printable(e, false));
            }
        }
    }
    if !r.direct {
        let _ = writeln!(
            o,
            "\n(This transport cannot ask a chosen name server; only the resolver's view is shown.)"
        );
    }
    let _ = writeln!(o, "\nFindings:");
    for f in &r.findings {
        let _ = writeln!(o, "{}", finding_line(f));
        for e in &f.evidence {
            let _ = writeln!(o, "          {}", printable(e, false));
        }
    }
    let _ = writeln!(
        o,
        "\n{} queries in {} rounds{}",
        r.queries,
        r.depth,
        r.elapsed_ms
            .map(|t| format!(", {t} ms"))
            .unwrap_or_default()
    );
    o
}

/// The DNS report as JSON (schema `cf503.dns_report`, version [`DNS_SCHEMA_VERSION`]).
pub fn dns_json_value(r: &DnsReport) -> Value {
    json!({
        "schema": "cf503.dns_report",
        "schema_version": DNS_SCHEMA_VERSION,
        "origin": r.origin,
        "apex": r.apex,
        "parent": r.parent,
        "cname_chain": r.cname_chain,
        "cloudfront_alias": r.cloudfront_alias(),
        "addresses": r.addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "direct": r.direct,
        "findings": r.findings.iter().map(|f| json!({
            "id": f.id.as_str(),
            "severity": f.severity.as_str(),
            "server": f.server,
            "summary": f.summary,
            "evidence": f.evidence,
        })).collect::<Vec<_>>(),
        "servers": r.servers.iter().map(|s| json!({
            "name": s.name,
            "addresses": s.addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "in_zone": s.in_zone,
            "in_parent": s.in_parent,
            "results": s.results.iter().map(|q| json!({
                "address": q.address.to_string(),
                "query": q.query,
                "outcome": q.outcome,
                "rcode": q.rcode,
                "aa": q.aa,
                "answers": q.answers,
                "serial": q.serial,
                "rtt_ms": q.rtt_ms,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "resolver": r.resolver.iter().map(|q| json!({
            "resolver": q.resolver,
            "query": q.query,
            "cd": q.cd,
            "outcome": q.outcome,
            "rcode": q.rcode,
            "answers": q.answers,
            "ede": q.ede,
            "rtt_ms": q.rtt_ms,
        })).collect::<Vec<_>>(),
        "queries": r.queries,
        "depth": r.depth,
        "elapsed_ms": r.elapsed_ms,
        "cname_target": r.cname_target.as_deref().map(dns_json_value),
    })
}

/// Pretty JSON text of a DNS report.
pub fn dns_json(r: &DnsReport) -> String {
    to_pretty(&dns_json_value(r))
}
