//! Next steps: the catalogue's step templates, split into typed parts ([`Prose`]) and filled
//! with what was observed. One placeholder list ([`PLACEHOLDERS`]) serves the steps and the
//! catalogue's other texts.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Diagnosis, Summary};
use crate::causes::{CauseId, When};
use crate::prose::Prose;
use crate::signals::OriginKind;

/// Every placeholder a catalogue text may use.
pub const PLACEHOLDERS: &[&str] = &[
    "pop",
    "pop_city",
    "region",
    "region_name",
    "request_id",
    "server",
    "status",
];

/// Values for step templates.
pub(crate) struct Context<'a> {
    pairs: [(&'static str, Option<&'a str>); 6],
    status: Option<String>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(s: &'a Summary) -> Self {
        Self {
            pairs: [
                ("pop", s.pop.as_deref()),
                ("pop_city", s.pop_city.as_deref()),
                ("region", s.lambda_region),
                ("region_name", s.lambda_region_name),
                ("request_id", s.request_id.as_deref()),
                ("server", s.server.as_deref()),
            ],
            status: s.status.map(|v| v.to_string()),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        if name == "status" {
            return self.status.as_deref();
        }
        self.pairs
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
    }
}

pub(crate) fn tailored_steps(
    cause: CauseId,
    kind: Option<OriginKind>,
    ctx: &Context<'_>,
) -> Vec<Prose> {
    cause
        .info()
        .steps
        .iter()
        .filter(|step| match step.when {
            When::Always => true,
            When::Origin(k) => kind == Some(k),
            When::GenericOrigin => matches!(kind, None | Some(OriginKind::Other)),
        })
        .filter_map(|step| Prose::from_template(step.text, |name| ctx.get(name)))
        .collect()
}

/// Fills the `{…}` placeholders of a catalogue text (a cause's meaning) for one diagnosis;
/// placeholders without a value become `?`.
pub fn render_template(template: &str, d: &Diagnosis) -> String {
    let ctx = Context::new(&d.summary);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        out.push_str(ctx.get(&rest[open + 1..close]).unwrap_or("?"));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_placeholder_is_filled_from_the_summary() {
        let s = Summary {
            status: Some(503),
            pop: Some("IAD89-C1".into()),
            pop_city: Some("Washington, United States".into()),
            lambda_region: Some("us-east-1"),
            lambda_region_name: Some("US East (N. Virginia)"),
            request_id: Some("abc==".into()),
            server: Some("nginx".into()),
            ..Summary::default()
        };
        let ctx = Context::new(&s);
        for name in PLACEHOLDERS {
            assert!(ctx.get(name).is_some(), "{name}");
        }
        assert_eq!(ctx.get("nope"), None);
    }
}
