//! The edges report (`cf503 edges`): text, Markdown and JSON of an [`EdgesReport`].

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::{md_code, md_prose, md_text, printable};
use crate::edges::EdgesReport;

fn attempts_line(e: &crate::edges::EdgeRow) -> String {
    e.attempts
        .iter()
        .map(|a| match (a.status, &a.error) {
            (Some(s), _) => {
                let mut t = s.to_string();
                if let Some(x) = &a.x_cache {
                    let _ = write!(t, " {x}");
                }
                if let Some(age) = a.age {
                    let _ = write!(t, " (Age {age})");
                }
                t
            }
            (None, Some(err)) => format!("no answer: {err}"),
            (None, None) => "no answer".into(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Terminal text.
pub fn edges_text(r: &EdgesReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Edges of {} ({}):", printable(&r.url, false), r.name);
    for s in &r.subnets {
        let _ = writeln!(
            o,
            "  viewers in {} ({}): {}",
            printable(&s.label, false),
            s.subnet,
            match &s.error {
                Some(e) => format!("no answer ({})", printable(e, false)),
                None => s.addresses.join(", "),
            }
        );
    }
    if r.same_everywhere {
        let _ = writeln!(
            o,
            "  (every place got the same edges: DNS does not choose the edge here, an Anycast static IP list, or the resolver drops client subnets)"
        );
    }
    let _ = writeln!(
        o,
        "\n  {:<16} {:<7} {:<16} answers",
        "edge", "POP", "Region"
    );
    for e in &r.edges {
        let _ = writeln!(
            o,
            "  {:<16} {:<7} {:<16} {}",
            e.address,
            e.pop.as_deref().unwrap_or("?"),
            e.region.unwrap_or("?"),
            printable(&attempts_line(e), false)
        );
    }
    let _ = writeln!(o, "\nVerdict: {}", printable(&r.summary, false));
    if let Some(c) = r.cause {
        let _ = writeln!(o, "  cause: {c}");
    }
    if !r.steps.is_empty() {
        let _ = writeln!(o, "\nNext steps:");
        for (i, s) in r.steps.iter().enumerate() {
            let _ = writeln!(o, "  {}. {}", i + 1, printable(&s.to_string(), false));
        }
    }
    o
}

/// Markdown, for a ticket.
pub fn edges_markdown(r: &EdgesReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## cf503 edges: {}\n", md_code(&r.url));
    let _ = writeln!(o, "{}\n", md_text(&r.summary));
    let _ = writeln!(o, "| Viewers in | Subnet | Edges |\n|---|---|---|");
    for s in &r.subnets {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            md_text(&s.label),
            md_code(&s.subnet),
            match &s.error {
                Some(e) => md_text(&format!("no answer ({e})")),
                None => md_code(&s.addresses.join(", ")),
            }
        );
    }
    let _ = writeln!(o, "\n| Edge | POP | Region | Answers |\n|---|---|---|---|");
    for e in &r.edges {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            md_code(&e.address),
            md_code(e.pop.as_deref().unwrap_or("?")),
            e.region.unwrap_or("?"),
            md_code(&attempts_line(e))
        );
    }
    if !r.steps.is_empty() {
        let _ = writeln!(o, "\n**Next steps**\n");
        for (i, s) in r.steps.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", i + 1, md_prose(s));
        }
    }
    o
}

/// JSON (`cf503.edges_report`).
pub fn edges_json(r: &EdgesReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default()
}
