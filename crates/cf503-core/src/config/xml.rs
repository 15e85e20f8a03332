//! The CloudFront API's XML, read into the same JSON value the AWS CLI prints for it, so one
//! reader serves both encodings of the API's shape: an element with children becomes an object,
//! a leaf its text, and the children of an `Items` element a list (the API wraps every list so:
//! `<Aliases><Quantity>2</Quantity><Items><CNAME>…</CNAME>…</Items></Aliases>`).
//!
//! Tokens come from `xmlparser` (no_std). A document type declaration is refused (CloudFront's
//! documents have none; refusing it rules out entity expansion), and depth is bounded.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};
use xmlparser::{ElementEnd, Token, Tokenizer};

use super::ConfigError;

/// How deep elements may nest (CloudFront's documents go ~8 deep).
const MAX_DEPTH: usize = 48;

/// The root element's local name and namespace, and the document as a value.
pub(crate) struct XmlDocument {
    pub root: String,
    pub namespace: Option<String>,
    pub value: Value,
}

struct Open {
    /// The namespace prefix as written (`""` for none): a closing tag must repeat it.
    prefix: String,
    name: String,
    children: Vec<(String, Value)>,
    text: String,
}

impl Open {
    fn close(self) -> (String, Value) {
        let value = if self.name == "Items" {
            Value::Array(self.children.into_iter().map(|(_, v)| v).collect())
        } else if self.children.is_empty() {
            Value::String(self.text.trim().to_string())
        } else {
            let mut map = Map::new();
            for (k, v) in self.children {
                map.insert(k, v);
            }
            Value::Object(map)
        };
        (self.name, value)
    }
}

pub(crate) fn read(text: &str) -> Result<XmlDocument, ConfigError> {
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<(String, Value)> = None;
    let mut root_name = None;
    let mut namespace = None;
    let err = |pos: usize, what: &str| ConfigError::Xml {
        offset: pos,
        message: what.to_string(),
    };
    for token in Tokenizer::from(text) {
        let token = token.map_err(|e| {
            let pos = e.pos();
            ConfigError::Xml {
                offset: line_col_offset(text, pos.row, pos.col),
                message: e.to_string(),
            }
        })?;
        match token {
            Token::DtdStart { span, .. } | Token::EmptyDtd { span, .. } => {
                return Err(err(
                    span.start(),
                    "a DOCTYPE declaration: CloudFront's documents have none, and cf503 reads none",
                ));
            }
            Token::ElementStart {
                prefix,
                local,
                span,
            } => {
                if root.is_some() {
                    return Err(err(span.start(), "a second root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(span.start(), "elements nested too deep"));
                }
                if stack.is_empty() {
                    root_name = Some(local.as_str().to_string());
                }
                stack.push(Open {
                    prefix: prefix.as_str().to_string(),
                    name: local.as_str().to_string(),
                    children: Vec::new(),
                    text: String::new(),
                });
            }
            Token::Attribute {
                prefix,
                local,
                value,
                ..
            } if stack.len() == 1 && prefix.is_empty() && local.as_str() == "xmlns" => {
                namespace = Some(value.as_str().to_string());
            }
            Token::ElementEnd { end, span } => match end {
                ElementEnd::Open => {}
                ElementEnd::Close(_, _) | ElementEnd::Empty => {
                    let Some(open) = stack.pop() else {
                        return Err(err(span.start(), "a closing tag without an opening one"));
                    };
                    // A closing tag names the element it closes: one that names another is a
                    // damaged document, whose elements would otherwise be read shifted (a
                    // setting under the wrong parent, or a list read as empty).
                    if let ElementEnd::Close(prefix, local) = end
                        && (prefix.as_str() != open.prefix || local.as_str() != open.name)
                    {
                        return Err(err(
                            span.start(),
                            &alloc::format!(
                                "a closing tag </{}> where <{}> is open",
                                super::short(&qualified(prefix.as_str(), local.as_str()), 60),
                                super::short(&qualified(&open.prefix, &open.name), 60),
                            ),
                        ));
                    }
                    let closed = open.close();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(closed),
                        None => root = Some(closed),
                    }
                }
            },
            Token::Text { text: t } | Token::Cdata { text: t, .. } => {
                if let Some(open) = stack.last_mut() {
                    unescape_into(t.as_str(), &mut open.text)
                        .map_err(|what| err(t.start(), what))?;
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(ConfigError::Xml {
            offset: text.len(),
            message: "the document ends inside an element (truncated?)".into(),
        });
    }
    let Some((_, value)) = root else {
        return Err(ConfigError::Xml {
            offset: 0,
            message: "no element".into(),
        });
    };
    Ok(XmlDocument {
        root: root_name.unwrap_or_default(),
        namespace,
        value,
    })
}

/// A tag's name as written, `prefix:local` or `local`, for a message: characters that do not
/// show (a zero-width space, a byte-order mark) are escaped, so two names that differ only by
/// one do not read as the same name.
fn qualified(prefix: &str, local: &str) -> String {
    let name = if prefix.is_empty() {
        local.to_string()
    } else {
        alloc::format!("{prefix}:{local}")
    };
    name.escape_debug().to_string()
}

/// Appends `raw` with the five predefined entities and character references decoded.
fn unescape_into(raw: &str, out: &mut String) -> Result<(), &'static str> {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .filter(|&i| i <= 10)
            .ok_or("an '&' that starts no entity")?;
        let name = &after[..semi];
        let ch = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or("an entity XML does not predefine")?
            }
        };
        out.push(ch);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// A byte offset from xmlparser's 1-based row and column (characters).
fn line_col_offset(text: &str, row: u32, col: u32) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(row.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let line = &text[line_start.min(text.len())..];
    line_start
        + line
            .char_indices()
            .nth(col.saturating_sub(1) as usize)
            .map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn items_become_lists_and_leaves_text() {
        let doc = read(
            r#"<?xml version="1.0"?><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Aliases><Quantity>2</Quantity><Items><CNAME>a.example</CNAME><CNAME>b&amp;c</CNAME></Items></Aliases><OriginPath /><Comment><![CDATA[x<y]]></Comment></DistributionConfig>"#,
        )
        .unwrap();
        assert_eq!(doc.root, "DistributionConfig");
        assert_eq!(
            doc.namespace.as_deref(),
            Some("http://cloudfront.amazonaws.com/doc/2020-05-31/")
        );
        assert_eq!(
            doc.value,
            serde_json::json!({"Aliases": {"Quantity": "2", "Items": ["a.example", "b&c"]}, "OriginPath": "", "Comment": "x<y"})
        );
    }

    #[test]
    fn hostile_documents_get_an_error() {
        for bad in [
            "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>",
            "<a><b></a>",
            "<a><b></c></a>",
            "<a><x:b></b></a>",
            "<a>",
            "<a></a><b></b>",
            "<a>&nope;</a>",
            "<a>&#xD800;</a>",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        // Names that differ by a character that does not show are told apart in the message.
        let e = read("<a><b\u{feff}c></bc></a>").err().unwrap().to_string();
        assert!(e.contains("</bc> where <b\\u{feff}c> is open"), "{e}");
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(read(&deep).is_err());
    }
}
