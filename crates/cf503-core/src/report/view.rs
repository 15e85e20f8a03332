//! The report as every front end shows it, decided once: the headline, the facts worth a line and
//! their order, the verdict, evidence, next steps as typed parts, other causes, notes, what to
//! collect, the DNS findings. Terminal text and Markdown are drawn from a [`View`]; the JSON
//! report carries it (`view`), so the web page and the popup only lay it out.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde::Serialize;

use crate::causes::CauseId;
use crate::diagnose::{Diagnosis, InputQuality, render_template};
use crate::prose::Prose;
use crate::signals::{Generator, Through};

/// The whole report of one diagnosis, ready to lay out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct View {
    /// One line: status, who made the response, where.
    pub headline: String,
    /// The observed facts worth a line each, in order.
    pub facts: Vec<Fact>,
    /// The most likely cause.
    pub verdict: Verdict,
    /// The evidence for and against it.
    pub evidence: Vec<EvidenceLine>,
    /// What to do next, first things first.
    pub steps: Vec<Prose>,
    /// The other candidate causes, most likely first.
    pub others: Vec<Other>,
    /// Remarks true whatever the cause.
    pub notes: Vec<NoteLine>,
    /// What to add for a surer verdict.
    pub collect: Vec<Prose>,
    /// The DNS check's findings, when one ran.
    pub dns: Option<DnsSection>,
    /// What the distribution's config says, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<DistributionSection>,
    /// Where it fails, when several edge locations were compared (watch mode's record in the
    /// extension, `cf503 check --edges`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edges: Option<EdgesSection>,
}

/// Several edge locations compared, in brief: the full table is the edges report's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EdgesSection {
    /// How their answers were gathered.
    pub basis: crate::edges::Basis,
    /// Where it fails.
    pub verdict: crate::edges::EdgesVerdict,
    /// One or two sentences.
    pub summary: String,
    /// Each edge location and whether it failed.
    pub pops: Vec<crate::edges::PopLine>,
    /// What to do next about it.
    pub steps: Vec<Prose>,
}

/// The distribution's config as it bears on this request: the route's facts and the config's
/// risk findings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DistributionSection {
    /// Which config was used, in words.
    pub source: String,
    /// The route: distribution, behaviour, origin, functions, settings.
    pub facts: Vec<Fact>,
    /// The config's risk findings, most severe first.
    pub risks: Vec<RiskLine>,
}

/// One risk finding of the config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskLine {
    /// `info`, `warning`, `error`.
    pub severity: &'static str,
    /// Stable id (README lists them).
    pub id: &'static str,
    /// What it is about (`origin app`).
    pub subject: String,
    /// What is wrong and what to do.
    pub text: String,
}

/// How a fact's value is best shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// Words of cf503's own.
    Text,
    /// A value as observed (a header value, an id): shown in a code face.
    Observed,
    /// The request's URL (redacted): shown in a code face, never as a link.
    Url,
}

/// One observed fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fact {
    /// Its label, e.g. `Edge location`.
    pub label: &'static str,
    /// Its value.
    pub value: String,
    /// How to show it.
    pub kind: FactKind,
}

/// The verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Verdict {
    /// The cause's stable id.
    pub cause: &'static str,
    /// Its title.
    pub title: &'static str,
    /// 0..1.
    pub confidence: Confidence,
    /// What it means here.
    pub meaning: String,
    /// Documentation links.
    pub docs: &'static [&'static str],
}

/// One piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceLine {
    /// For (`true`) or against.
    pub supports: bool,
    /// Which signal.
    pub signal: &'static str,
    /// Its value as observed (redacted, shortened).
    pub value: String,
    /// Why it matters.
    pub note: String,
}

/// Another candidate cause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Other {
    /// Stable id.
    pub cause: &'static str,
    /// Title.
    pub title: &'static str,
    /// 0..1.
    pub confidence: Confidence,
    /// The question that tells it from the verdict.
    pub question: &'static str,
}

/// A remark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoteLine {
    /// Stable id.
    pub id: crate::diagnose::NoteId,
    /// Text.
    pub text: String,
}

/// The DNS check of the origin, in brief (the `dns` report has the details).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DnsSection {
    /// The name checked.
    pub origin: String,
    /// Its findings, most severe first.
    pub findings: Vec<DnsLine>,
}

/// One DNS finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DnsLine {
    /// `info`, `warning`, `error`.
    pub severity: &'static str,
    /// Stable id.
    pub id: &'static str,
    /// One sentence.
    pub summary: String,
    /// The server concerned.
    pub server: Option<String>,
}

/// A confidence in hundredths: shown as `0.99`, serialised as the f64 nearest to it (JSON shows
/// `0.99`, not `0.9900000095367432`). Integer arithmetic on purpose: `{:.2}` would link core's
/// float formatting (Grisu + Dragon, ~12 KB of wasm) for two digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Confidence(u32);

impl Confidence {
    /// From a score in 0..1.
    pub fn new(x: f32) -> Self {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // in 0.5..=100.5
        let hundredths = (x.clamp(0.0, 1.0) * 100.0 + 0.5) as u32;
        Confidence(hundredths)
    }
}

impl core::fmt::Display for Confidence {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Confidence {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "Confidence".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "number", "minimum": 0, "maximum": 1})
    }
}

impl Serialize for Confidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0) / 100.0)
    }
}

fn headline(d: &Diagnosis) -> String {
    let s = &d.summary;
    let mut out = String::new();
    match s.status {
        Some(code) => {
            let _ = write!(out, "{code}");
        }
        None => out.push_str("Response"),
    }
    out.push_str(match (s.through_cloudfront, s.generated_by) {
        (Through::Yes, Generator::CloudFront) => " generated by CloudFront",
        (Through::Yes, Generator::Origin) => " from the origin, relayed by CloudFront",
        (Through::Yes, _) => " through CloudFront",
        (Through::No, Generator::Origin) => " from the origin (not through CloudFront)",
        (Through::No, _) => " (not through CloudFront)",
        (Through::Unknown, Generator::Origin) => " from the origin",
        (Through::Unknown, _) => "",
    });
    if let Some(pop) = &s.pop {
        let _ = write!(out, " at edge location {pop}");
        if let Some(city) = &s.pop_city {
            let _ = write!(out, " ({city})");
        }
    }
    out
}

/// The observed facts worth a line each.
fn facts(d: &Diagnosis) -> Vec<Fact> {
    use FactKind::{Observed, Text, Url};
    let s = &d.summary;
    let mut v = Vec::new();
    let mut fact = |label, value: String, kind| v.push(Fact { label, value, kind });
    if let Some(url) = &s.url {
        fact("URL", url.clone(), Url);
    }
    // Thin input cannot tell; saying "unknown" would only add noise to a line of status.
    if d.input_quality != InputQuality::Thin || s.through_cloudfront == Through::Yes {
        fact(
            "Through CloudFront",
            format!("{} ({})", s.through_cloudfront.as_str(), s.through_evidence),
            Text,
        );
    }
    if let Some(x) = &s.server {
        fact("Server", x.clone(), Observed);
    }
    if let Some(p) = &s.pop {
        let value = match &s.pop_city {
            Some(city) => format!("{p} ({city})"),
            None => p.clone(),
        };
        fact("Edge location", value, Observed);
    }
    if let Some(x) = &s.x_cache {
        fact("X-Cache", x.clone(), Observed);
    }
    if let Some(x) = s.origin_kind.map(crate::signals::OriginKind::label) {
        fact("Origin", x.to_string(), Text);
    }
    if let Some(x) = s.page_phrase {
        fact("Page says", x.to_string(), Text);
    }
    // The Region only matters when a Lambda@Edge cause is among the two most likely.
    if let (Some(r), Some(n)) = (s.lambda_region, s.lambda_region_name)
        && d.findings.iter().take(2).any(|f| {
            matches!(
                f.cause,
                CauseId::LambdaEdgeExecution
                    | CauseId::LambdaEdgeInvalid
                    | CauseId::LambdaEdgeThrottled
            )
        })
    {
        fact("Lambda@Edge Region (likely)", format!("{r} ({n})"), Text);
    }
    if let Some(x) = &s.request_id {
        fact("Request ID", x.clone(), Observed);
    }
    if let Some(a) = s.age {
        fact("Age", format!("{a} s (served from cache)"), Text);
    }
    let timing: Vec<String> = [
        ("dns", s.timing_dns_ms),
        ("connect", s.timing_connect_ms),
        ("origin first byte", s.timing_upstream_fbl_ms),
    ]
    .iter()
    .filter_map(|(n, v)| v.map(|v| format!("{n} {v} ms")))
    .collect();
    if !timing.is_empty() {
        fact("Server-Timing", timing.join(", "), Text);
    }
    if let Some(x) = s.log_detailed_result.or(s.log_result) {
        fact("Log result type", x.as_str().to_string(), Observed);
    }
    v
}

/// The view of one diagnosis.
pub fn view(d: &Diagnosis) -> View {
    let top = d.top();
    let info = top.cause.info();
    View {
        headline: headline(d),
        facts: facts(d),
        verdict: Verdict {
            cause: info.name,
            title: info.title,
            confidence: Confidence::new(top.confidence),
            meaning: render_template(info.meaning, d),
            docs: info.docs,
        },
        evidence: top
            .evidence
            .iter()
            .map(|e| EvidenceLine {
                supports: e.supports,
                signal: e.signal,
                value: e.value.clone(),
                note: e.note.clone(),
            })
            .collect(),
        steps: top.steps.clone(),
        others: d.findings[1..]
            .iter()
            .map(|f| Other {
                cause: f.cause.as_str(),
                title: f.cause.info().title,
                confidence: Confidence::new(f.confidence),
                question: f.cause.info().question,
            })
            .collect(),
        notes: d
            .notes
            .iter()
            .map(|n| NoteLine {
                id: n.id,
                text: n.text.clone(),
            })
            .collect(),
        // Collect items are catalogue text without placeholders.
        collect: d
            .collect
            .iter()
            .map(|c| {
                Prose::from_template(c.text(), |_| None).unwrap_or_else(|| Prose::text(c.text()))
            })
            .collect(),
        dns: d.dns.as_ref().map(|dns| DnsSection {
            origin: dns.origin.clone(),
            findings: dns
                .findings
                .iter()
                .map(|f| DnsLine {
                    severity: f.severity.as_str(),
                    id: f.id.as_str(),
                    summary: f.summary.clone(),
                    server: f.server.clone(),
                })
                .collect(),
        }),
        edges: d.edges.as_deref().map(|e| EdgesSection {
            basis: e.basis,
            verdict: e.verdict.clone(),
            summary: e.summary.clone(),
            pops: e.pops.clone(),
            steps: e.steps.clone(),
        }),
        distribution: d.config.as_ref().map(|c| DistributionSection {
            source: c.source.clone(),
            facts: c
                .facts
                .iter()
                .map(|f| Fact {
                    label: f.label,
                    value: f.value.clone(),
                    kind: if f.code {
                        FactKind::Observed
                    } else {
                        FactKind::Text
                    },
                })
                .collect(),
            risks: c
                .risks
                .iter()
                .map(|r| RiskLine {
                    severity: r.severity().as_str(),
                    id: r.id.as_str(),
                    subject: r.subject.clone(),
                    text: r.text.clone(),
                })
                .collect(),
        }),
    }
}
