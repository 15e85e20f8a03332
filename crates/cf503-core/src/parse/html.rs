//! HTML (and XML) body → the text a person sees.
//!
//! Not an HTML parser: a single linear pass that drops tags, comments, `<script>`, `<style>`,
//! `<title>` and friends, turns block-level tags into line breaks, decodes entities and folds
//! white space. That is all error-page matching needs, it never allocates more than the input,
//! and it cannot hang on malformed markup (every step moves forward).

use alloc::string::String;

/// Elements whose content is not visible text.
const HIDDEN: &[&str] = &["script", "style", "title", "noscript", "template", "svg"];

/// Elements that do not break a line (everything else, including unknown XML elements such as
/// S3's `<Code>`, does: it keeps `<Code>SlowDown</Code><Message>…` apart).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Whether `body` looks like markup worth stripping.
pub fn looks_like_markup(body: &str) -> bool {
    let head = body.trim_start();
    let head = &head[..crate::text::floor_char_boundary(head, 512)];
    let lower = head.to_ascii_lowercase();
    lower.starts_with('<')
        && (lower.contains("<html")
            || lower.contains("<!doctype")
            || lower.contains("<?xml")
            || lower.contains("<head")
            || lower.contains("<body")
            || lower.contains("<title")
            || lower.contains("<error")
            || lower.contains("<h1"))
}

/// The visible text of an HTML or XML document, one block per line.
pub fn visible_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len() / 2);
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if html[i..].starts_with("<!--") {
                i = find_from(html, i + 4, "-->").map_or(bytes.len(), |e| e + 3);
                continue;
            }
            let Some(close) = find_byte(bytes, i + 1, b'>') else {
                // An unterminated tag: the rest is not visible.
                break;
            };
            let tag = &html[i + 1..close];
            let (closing, name) = tag_name(tag);
            let lower_name = name.to_ascii_lowercase();
            i = close + 1;
            if !closing && HIDDEN.contains(&lower_name.as_str()) && !tag.ends_with('/') {
                // Skip to the matching close tag (case-insensitive); if none, drop the rest.
                i = find_close_tag(html, i, &lower_name).unwrap_or(bytes.len());
                continue;
            }
            if lower_name == "br" || !INLINE.contains(&lower_name.as_str()) {
                raw.push('\n');
            }
            continue;
        }
        let next = find_byte(bytes, i, b'<').unwrap_or(bytes.len());
        decode_entities_into(&html[i..next], &mut raw);
        i = next;
    }
    fold_whitespace(&raw)
}

fn tag_name(tag: &str) -> (bool, &str) {
    let t = tag.trim_start();
    let (closing, t) = match t.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let end = t
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(t.len());
    (closing, &t[..end])
}

fn find_close_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(lt) = find_byte(bytes, i, b'<') {
        let rest = &bytes[lt + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return Some(find_byte(bytes, lt, b'>').map_or(bytes.len(), |e| e + 1));
        }
        i = lt + 1;
    }
    None
}

fn find_byte(bytes: &[u8], from: usize, b: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&c| c == b)
        .map(|p| p + from)
}

fn find_from(s: &str, from: usize, pat: &str) -> Option<usize> {
    s.get(from..)?.find(pat).map(|p| p + from)
}

/// Decodes the character references a CloudFront or origin error page uses; unknown ones stay
/// as written.
pub fn decode_entities_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c == '<' || c.is_whitespace())
            .map(|p| p + 1);
        match end {
            Some(semi) if rest.as_bytes()[semi] == b';' && semi <= 12 => {
                if let Some(c) = entity(&rest[1..semi]) {
                    out.push(c);
                    rest = &rest[semi + 1..];
                    continue;
                }
                out.push('&');
                rest = &rest[1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "copy" => '©',
        "reg" => '®',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        _ => return None,
    })
}

/// Collapses runs of white space inside lines and drops empty lines.
pub fn fold_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let mut first = true;
        for word in line.split_whitespace() {
            if first {
                if !out.is_empty() {
                    out.push('\n');
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn cloudfront_page_becomes_lines() {
        let html = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" \"http://www.w3.org/TR/html4/loose.dtd\">\n<HTML><HEAD><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-1\">\n<TITLE>ERROR: The request could not be satisfied</TITLE>\n</HEAD><BODY>\n<H1>503 ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade size=\"1px\">\nThe Lambda function associated with the CloudFront distribution is invalid or doesn&#39;t have the required permissions.\n<BR clear=\"all\">\n<HR noshade size=\"1px\">\n<PRE>\nGenerated by cloudfront (CloudFront)\nRequest ID: abc==\n</PRE>\n<ADDRESS>\n</ADDRESS>\n</BODY></HTML>";
        let text = visible_text(html);
        assert_eq!(
            text,
            "503 ERROR\nThe request could not be satisfied.\nThe Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.\nGenerated by cloudfront (CloudFront)\nRequest ID: abc=="
        );
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        let t = visible_text(
            "<p>a<script>var x='<p>no</p>';</SCRIPT>b<!-- c -->d<style>p{}</style></p>",
        );
        assert_eq!(t, "abd");
    }

    #[test]
    fn xml_elements_stay_apart() {
        let t = visible_text(
            "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
        );
        assert_eq!(t, "SlowDown\nPlease reduce your request rate.");
    }

    #[test]
    fn entities() {
        let mut s = String::new();
        decode_entities_into("a &amp; b &#x41;&#66; &bogus; & &lt;", &mut s);
        assert_eq!(s, "a & b AB &bogus; & <");
    }

    #[test]
    fn malformed_markup_terminates() {
        assert_eq!(visible_text("<script>never closed"), "");
        assert_eq!(visible_text("text <unterminated"), "text");
        assert_eq!(visible_text("<!-- open comment"), "");
    }
}
