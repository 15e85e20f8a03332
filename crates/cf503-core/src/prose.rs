//! Catalogue prose as typed parts: plain text, inline code, a command to copy, a link.
//!
//! The catalogue writes its next steps in a small Markdown-like notation (back-ticks around
//! names and commands, bare `https://` URLs). It is split into parts *before* observed values
//! are filled in, so a hostile value (a `Server` header holding back-ticks or a URL) lands inside
//! the part its placeholder stood in and can never become a link, a command or markup. Each front
//! end then draws parts its own way (text, Markdown, DOM), none of them re-parsing strings.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The first word of a back-ticked span that makes it a command to run (shown as a block with a
/// copy button) rather than a name. The catalogue's commands all start with one of these.
pub const COMMAND_WORDS: &[&str] = &["aws", "cf503", "curl", "dig", "for", "heroku", "openssl"];

/// Hosts a catalogue link may point to: AWS documentation and consoles. A link elsewhere is
/// shown as text.
const LINK_HOST_SUFFIXES: &[&str] = &[".aws.amazon.com"];

/// Placeholders whose values may appear inside a link: they come from cf503's own tables (the
/// Lambda@Edge Region of a POP), never from the response.
const LINK_PLACEHOLDERS: &[&str] = &["region"];

/// One part of a piece of prose.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Part {
    /// Plain words.
    Text(String),
    /// A name, header or value: shown in a code face.
    Code(String),
    /// A command to run: shown as a block, with a copy button where there is a pointer.
    Command(String),
    /// An `https://` link into AWS's documentation or console.
    Link(String),
}

impl Part {
    /// The part's text (for a link, its address).
    pub fn text(&self) -> &str {
        match self {
            Part::Text(s) | Part::Code(s) | Part::Command(s) | Part::Link(s) => s,
        }
    }
}

/// A sentence or two made of [`Part`]s.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Prose(pub Vec<Part>);

impl Prose {
    /// Plain text only.
    pub fn text(s: impl Into<String>) -> Self {
        Prose(alloc::vec![Part::Text(s.into())])
    }

    /// Appends a part, merging adjacent text.
    pub fn push(&mut self, part: Part) {
        if part.text().is_empty() {
            return;
        }
        if let (Some(Part::Text(last)), Part::Text(more)) = (self.0.last_mut(), &part) {
            last.push_str(more);
            return;
        }
        self.0.push(part);
    }

    /// The words alone, parts run together without marks (for a front end that shows plain
    /// text, such as the JSON's sentences).
    pub fn plain(&self) -> String {
        self.0.iter().map(Part::text).collect()
    }

    /// Whether any part contains `needle` (tests, filters).
    pub fn contains(&self, needle: &str) -> bool {
        alloc::string::ToString::to_string(self).contains(needle)
    }

    /// Splits a catalogue template into parts and fills its `{name}` placeholders with `value`.
    /// `None` when a placeholder has no value (the step does not apply), when a link would take
    /// a value from the response, or when a template is malformed (an unclosed back-tick or
    /// brace: a catalogue bug the catalogue test catches).
    pub fn from_template<'v>(
        template: &str,
        value: impl Fn(&str) -> Option<&'v str>,
    ) -> Option<Prose> {
        let mut out = Prose::default();
        for (i, segment) in template.split('`').enumerate() {
            if !i.is_multiple_of(2) {
                let filled = fill(segment, &value)?;
                let first_word = segment.split(' ').next().unwrap_or("");
                out.push(
                    if segment.contains(' ') && COMMAND_WORDS.contains(&first_word) {
                        Part::Command(filled)
                    } else {
                        Part::Code(filled)
                    },
                );
                continue;
            }
            let mut rest = segment;
            while let Some(at) = rest.find("https://") {
                out.push(Part::Text(fill(&rest[..at], &value)?));
                let url_end = rest[at..]
                    .find(char::is_whitespace)
                    .map_or(rest.len(), |e| at + e);
                // Sentence punctuation after a URL is not part of it.
                let url = rest[at..url_end].trim_end_matches(['.', ',', ';', ':', ')']);
                let url_end = at + url.len();
                let placeholders_ok = placeholders(url).all(|p| LINK_PLACEHOLDERS.contains(&p));
                let href = fill(url, &value)?;
                let host = href["https://".len()..]
                    .split(['/', '?', '#'])
                    .next()
                    .unwrap_or("");
                let safe = placeholders_ok
                    && LINK_HOST_SUFFIXES.iter().any(|s| host.ends_with(s))
                    && href.bytes().all(|b| {
                        b.is_ascii_graphic() && !matches!(b, b'"' | b'<' | b'>' | b'`' | b'\\')
                    });
                out.push(if safe {
                    Part::Link(href)
                } else {
                    Part::Text(href)
                });
                rest = &rest[url_end..];
            }
            out.push(Part::Text(fill(rest, &value)?));
        }
        // An odd number of back-ticks leaves the last span open.
        template
            .matches('`')
            .count()
            .is_multiple_of(2)
            .then_some(out)
    }
}

impl fmt::Display for Prose {
    /// The catalogue's own notation: code and commands in back-ticks, links as bare URLs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            match p {
                Part::Text(s) | Part::Link(s) => f.write_str(s)?,
                Part::Code(s) | Part::Command(s) => write!(f, "`{s}`")?,
            }
        }
        Ok(())
    }
}

/// The `{name}` placeholders of a template piece.
fn placeholders(s: &str) -> impl Iterator<Item = &str> {
    s.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name))
}

/// Fills `{name}` placeholders; `None` when one has no value or a brace is unclosed.
fn fill<'v>(piece: &str, value: &impl Fn(&str) -> Option<&'v str>) -> Option<String> {
    let mut out = String::with_capacity(piece.len() + 16);
    let mut rest = piece;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        out.push_str(value(&rest[open + 1..close])?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn values(name: &str) -> Option<&'static str> {
        match name {
            "region" => Some("us-east-1"),
            "server" => Some("evil`https://evil.example/` x"),
            _ => None,
        }
    }

    #[test]
    fn commands_names_and_links_become_parts() {
        let p = Prose::from_template(
            "Run `dig <origin-domain> @1.1.1.1`, look at `OriginLatency`; logs: https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logs.",
            values,
        )
        .unwrap();
        assert_eq!(
            p.0,
            [
                Part::Text("Run ".into()),
                Part::Command("dig <origin-domain> @1.1.1.1".into()),
                Part::Text(", look at ".into()),
                Part::Code("OriginLatency".into()),
                Part::Text("; logs: ".into()),
                Part::Link("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logs".into()),
                Part::Text(".".into()),
            ]
        );
        assert_eq!(
            p.to_string(),
            "Run `dig <origin-domain> @1.1.1.1`, look at `OriginLatency`; logs: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logs."
        );
    }

    #[test]
    fn observed_values_stay_in_their_part() {
        let p = Prose::from_template("The origin (`Server: {server}`) answered.", values).unwrap();
        assert_eq!(p.0.len(), 3);
        assert_eq!(
            p.0[1],
            Part::Code("Server: evil`https://evil.example/` x".into())
        );
        assert!(!p.0.iter().any(|p| matches!(p, Part::Link(_))));
        let p = Prose::from_template("See {server}", values).unwrap();
        assert_eq!(
            p.0,
            [Part::Text("See evil`https://evil.example/` x".into())]
        );
    }

    #[test]
    fn links_only_to_aws_and_only_with_table_values() {
        let p = Prose::from_template(
            "https://evil.example/x and https://docs.aws.amazon.com/a",
            values,
        )
        .unwrap();
        assert_eq!(p.0[0], Part::Text("https://evil.example/x and ".into()));
        assert_eq!(p.0[1], Part::Link("https://docs.aws.amazon.com/a".into()));
        let p = Prose::from_template("https://{server}.console.aws.amazon.com/", values).unwrap();
        assert!(!p.0.iter().any(|p| matches!(p, Part::Link(_))), "{p:?}");
    }

    #[test]
    fn missing_values_and_malformed_templates_give_none() {
        assert_eq!(Prose::from_template("at `{pop}`", values), None);
        assert_eq!(Prose::from_template("open `span", values), None);
        assert_eq!(Prose::from_template("open {brace", values), None);
    }
}
