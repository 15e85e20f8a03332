//! The DNS check's report: the dig session it replaces, and JSON.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt::Write as _;

use alloc::boxed::Box;

use serde_json::Value;

use super::{DNS_SCHEMA_VERSION, printable, to_pretty, wire};
use crate::dns::findings::ede_text;
use crate::dns::{Asked, DnsFinding, DnsReport, QueryResult, RType};

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

/// Markdown, for a ticket: the dig session as a fenced block (its fence longer than any run of
/// back-ticks inside, so nothing an answer holds can end it or become markup).
pub fn dns_markdown(r: &DnsReport) -> String {
    let text = dns_text(r);
    let fence = "`".repeat(super::longest_backtick_run(&text).max(2) + 1);
    format!(
        "## DNS check of {}\n\n{fence}text\n{text}{}{fence}\n",
        super::md_code(&r.origin),
        if text.ends_with('\n') { "" } else { "\n" }
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
        let _ = writeln!(o, "CNAME {}", printable(&link.to_string(), false));
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
            let name = if res.query == RType::Soa {
                r.apex.as_deref().unwrap_or("?")
            } else {
                r.origin.as_str()
            };
            let address = match res.asked {
                Asked::Server { address, .. } => address.to_string(),
                Asked::Resolver { .. } => "resolver".into(),
            };
            let _ = writeln!(
                o,
                "\n$ dig {name} {} @{address} +norec    # {}",
                res.query.as_str(),
                s.name
            );
            let mut line = format!("  {}", res.outcome);
            if res.aa() {
                line.push_str(" aa");
            }
            if let Some(serial) = res.serial {
                let _ = write!(line, "  serial {serial}");
            } else {
                for rr in &res.records {
                    let _ = write!(line, "  {}", rr.data);
                }
            }
            if let Some(t) = res.rtt_ms {
                let _ = write!(line, "  ({t} ms)");
            }
            let _ = writeln!(o, "{}", printable(&line, false));
        }
    }
    if !r.resolver.is_empty() {
        let several = r
            .resolver
            .iter()
            .any(|q| matches!(q.asked, Asked::Resolver { index, .. } if index > 0));
        let _ = writeln!(
            o,
            "\nThrough the resolver{}:",
            if several { "s" } else { "" }
        );
        for q in &r.resolver {
            let (index, cd) = match q.asked {
                Asked::Resolver { index, cd } => (index, cd),
                Asked::Server { .. } => (0, false),
            };
            if several {
                let _ = write!(o, "  [{}]", u16::from(index) + 1);
            }
            let _ = write!(
                o,
                "  {:<4}{} {:<9}",
                q.query.as_str(),
                if cd { " +cd" } else { "    " },
                q.outcome.to_string()
            );
            for rr in &q.records {
                let _ = write!(o, " {}", printable(&rr.data.to_string(), false));
            }
            if let Some(t) = q.rtt_ms {
                let _ = write!(o, "  ({t} ms)");
            }
            o.push('\n');
            for e in &q.ede {
                let _ = writeln!(
                    o,
                    "        extended error {}",
                    printable(&ede_text(e), false)
                );
            }
        }
    }
    if let Some(note) = r.scope_note() {
        let _ = writeln!(o, "\n({note})");
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

/// What every query result shows, whoever was asked.
fn query_wire(q: &QueryResult) -> wire::Query {
    wire::Query {
        query: q.query.as_str(),
        outcome: q.outcome.to_string(),
        rcode: q.rcode.map(crate::dns::wire::rcode_name),
        answers: q.records.iter().map(ToString::to_string).collect(),
        rtt_ms: q.rtt_ms,
    }
}

/// The DNS report as its wire type (schema `cf503.dns_report`).
pub fn dns_report(r: &DnsReport) -> wire::DnsReport {
    wire::DnsReport {
        schema: "cf503.dns_report",
        schema_version: DNS_SCHEMA_VERSION,
        origin: r.origin.clone(),
        apex: r.apex.clone(),
        parent: r.parent.clone(),
        cname_chain: r.cname_chain.iter().map(ToString::to_string).collect(),
        cloudfront_alias: r.cloudfront_alias().map(ToString::to_string),
        alias_summary: r.alias_summary(),
        scope_note: r.scope_note(),
        addresses: r.addresses.iter().map(ToString::to_string).collect(),
        direct: r.direct,
        findings: r
            .findings
            .iter()
            .map(|f| wire::DnsFinding {
                id: f.id.as_str(),
                severity: f.severity.as_str(),
                scope: f.scope.as_str(),
                server: f.server.clone(),
                summary: f.summary.clone(),
                evidence: f.evidence.clone(),
            })
            .collect(),
        servers: r
            .servers
            .iter()
            .map(|s| wire::DnsServer {
                name: s.name.clone(),
                addresses: s.addresses.iter().map(ToString::to_string).collect(),
                in_zone: s.in_zone,
                in_parent: s.in_parent,
                results: s
                    .results
                    .iter()
                    .map(|q| {
                        let (address, aa) = match q.asked {
                            Asked::Server { address, aa } => (Some(address.to_string()), Some(aa)),
                            Asked::Resolver { .. } => (None, None),
                        };
                        wire::ServerQuery {
                            query: query_wire(q),
                            address,
                            aa,
                            serial: q.serial,
                        }
                    })
                    .collect(),
            })
            .collect(),
        resolver: r
            .resolver
            .iter()
            .map(|q| {
                let (resolver, cd) = match q.asked {
                    Asked::Resolver { index, cd } => (Some(index), Some(cd)),
                    Asked::Server { .. } => (None, None),
                };
                wire::ResolverQuery {
                    query: query_wire(q),
                    resolver,
                    cd,
                    ede: q.ede.iter().map(ede_text).collect(),
                }
            })
            .collect(),
        queries: r.queries,
        depth: r.depth,
        elapsed_ms: r.elapsed_ms,
        cname_target: r.cname_target.as_deref().map(|t| Box::new(dns_report(t))),
    }
}

/// The DNS report as JSON (schema `cf503.dns_report`, version [`DNS_SCHEMA_VERSION`]).
pub fn dns_json_value(r: &DnsReport) -> Value {
    wire::value(&dns_report(r))
}

/// Pretty JSON text of a DNS report.
pub fn dns_json(r: &DnsReport) -> String {
    to_pretty(&dns_json_value(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// An answer with back-ticks cannot end the fence or become markup.
    #[test]
    fn the_markdown_fence_outlasts_any_backticks_inside() {
        let r = DnsReport {
            origin: "a````b.example.".into(),
            apex: None,
            parent: None,
            cname_chain: Vec::new(),
            addresses: Vec::new(),
            direct: true,
            servers: Vec::new(),
            resolver: Vec::new(),
            findings: Vec::new(),
            queries: 0,
            depth: 0,
            elapsed_ms: None,
            cname_target: None,
        };
        let md = dns_markdown(&r);
        assert!(md.contains("\n`````text\n"), "{md}");
        assert!(md.trim_end().ends_with("`````"), "{md}");
    }
}
