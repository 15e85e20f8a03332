//! Evidence → findings: a cause's confidence combines its supporting evidence as independent
//! indications (noisy-OR: `1 - Π(1 - w)`) and discounts it by the evidence against
//! (`× Π(1 - w)`). Thin input caps every confidence, so a bare status never yields a confident
//! verdict.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::facts::Observed;
use super::rules::{self, Stance};
use super::{Evidence, Finding, InputQuality, THIN_CAP, VALUE_DISPLAY_LIMIT};
use crate::causes::CauseId;
use crate::signals::names;

/// The evidence the rule table gives for the observed facts.
pub(crate) fn evidence(observed: &[Observed], status: Option<u16>) -> Vec<(CauseId, Evidence)> {
    let mut out = Vec::new();
    for o in observed {
        for rule in rules::rules_for(o.fact, status) {
            out.push((
                rule.cause,
                Evidence {
                    signal: o.signal,
                    value: shorten(&o.value),
                    supports: rule.stance == Stance::For,
                    weight: rule.weight,
                    note: rule.note.to_string(),
                },
            ));
        }
    }
    out
}

/// The `unknown` finding: first for thin input, the only one when nothing else scored.
pub(crate) fn unknown_finding(quality: InputQuality, status: Option<u16>) -> Finding {
    let thin = quality == InputQuality::Thin;
    let mut evidence = Vec::new();
    if thin {
        evidence.push(Evidence {
            signal: names::STATUS,
            value: status.map_or_else(|| "none".into(), |s| s.to_string()),
            supports: true,
            weight: 0.3,
            note: "a status code alone fits several causes".into(),
        });
    }
    Finding {
        cause: CauseId::Unknown,
        confidence: if thin { 0.3 } else { 0.2 },
        evidence,
        steps: Vec::new(),
    }
}

/// Evidence → findings with confidences, most likely first.
pub(crate) fn combine(evidence: Vec<(CauseId, Evidence)>, quality: InputQuality) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for (cause, e) in evidence {
        if e.weight <= 0.0 {
            continue;
        }
        match findings.iter_mut().find(|f| f.cause == cause) {
            Some(f) => f.evidence.push(e),
            None => findings.push(Finding {
                cause,
                confidence: 0.0,
                evidence: alloc::vec![e],
                steps: Vec::new(),
            }),
        }
    }
    for f in &mut findings {
        let mut miss = 1.0f32;
        let mut keep = 1.0f32;
        for e in &f.evidence {
            if e.supports {
                miss *= 1.0 - e.weight;
            } else {
                keep *= 1.0 - e.weight;
            }
        }
        let mut c = (1.0 - miss) * keep;
        if quality == InputQuality::Thin {
            c = c.min(THIN_CAP);
        }
        // Two decimals: stable in JSON and across platforms.
        f.confidence = round2(c);
    }
    findings.retain(|f| f.confidence >= 0.05 && f.evidence.iter().any(|e| e.supports));
    for f in &mut findings {
        // Strongest evidence first.
        f.evidence.sort_by(|a, b| {
            b.supports
                .cmp(&a.supports)
                .then(b.weight.total_cmp(&a.weight))
        });
    }
    findings.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.cause.order().cmp(&b.cause.order()))
    });
    findings
}

fn round2(x: f32) -> f32 {
    // Nothing seen from outside is certain: 0.99 at most.
    let x = x.clamp(0.0, 0.99);
    // no_std has no f32::round; confidences are in 0..=1 so truncating x*100+0.5 is exact enough.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // in 0.5..=99.5
    let hundredths = (x * 100.0 + 0.5) as u16;
    f32::from(hundredths) / 100.0
}

/// A value cut for display.
pub(crate) fn shorten(v: &str) -> String {
    if v.len() <= VALUE_DISPLAY_LIMIT {
        return v.to_owned();
    }
    let cut = crate::text::floor_char_boundary(v, VALUE_DISPLAY_LIMIT);
    format!("{}… ({} bytes)", &v[..cut], v.len())
}
