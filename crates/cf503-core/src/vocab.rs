//! Matching CloudFront's vocabulary the way people paste it: fragments of its sentences, in any
//! case, re-wrapped, HTML-entity or JSON escaped, quoted in Markdown, behind a tool's log prefix.
//!
//! Text is reduced to a stream of words (letters, digits and apostrophes, lower case; entities
//! and escapes decoded first); a catalogued sentence is recognised when at least
//! [`MIN_FRAGMENT_WORDS`] of its consecutive words appear consecutively in the text (the whole
//! sentence when it is shorter). Among sentences that match, the longest run wins, then table
//! order (the tables list the more specific sentences first). Linear in the text for a fixed
//! table: each text word is compared only with the table words equal to it.

use alloc::string::String;
use alloc::vec::Vec;

/// Consecutive words of a sentence that identify it (half of a typical CloudFront sentence: long
/// enough that ordinary prose does not produce it by chance).
pub const MIN_FRAGMENT_WORDS: usize = 6;

/// Decodes what wraps pasted text: HTML character references (`&#x27;`, `&#39;`, `&quot;`, …,
/// decoded as the page parser decodes them), JSON string escapes (`\"`, `\'`, `\n`,
/// `\u0027`), and typographic apostrophes. Other characters are kept.
pub fn unwrap_text(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    crate::parse::html::decode_entities_into(text, &mut decoded);
    let mut out = String::with_capacity(decoded.len());
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some('n' | 'r' | 't') => {
                    chars.next();
                    out.push(' ');
                }
                Some(q @ ('"' | '\'' | '/' | '\\')) => {
                    chars.next();
                    out.push(q);
                }
                Some('u') => {
                    let hex: String = chars.clone().skip(1).take(4).collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(u) if hex.len() == 4 => {
                            for _ in 0..5 {
                                chars.next();
                            }
                            out.push(u);
                        }
                        _ => out.push(c),
                    }
                }
                _ => out.push(c),
            },
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// Letters and digits (non-ASCII letters included), and apostrophes.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '\'' || !c.is_ascii() && !c.is_whitespace()
}

/// The words of a text: runs of letters, digits and inner apostrophes, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    let text = unwrap_text(text);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut flush = |word: &mut String| {
        let w = word.trim_matches('\'');
        if !w.is_empty() {
            out.push(String::from(w));
        }
        word.clear();
    };
    // ASCII folding only: CloudFront's sentences are ASCII, and Unicode case tables would cost
    // the browser's first-verdict module kilobytes. Other letters stay word characters.
    for c in text.chars() {
        if is_word_char(c) {
            word.push(c.to_ascii_lowercase());
        } else {
            flush(&mut word);
        }
    }
    flush(&mut word);
    out
}

/// The words of a catalogued sentence, as slices of it (no allocation per word): split as
/// [`words`] splits, case left as written (matching ignores ASCII case). A catalogued sentence
/// holds no entity or escape to decode (a test checks that this agrees with [`words`]).
fn sentence_words(sentence: &str) -> Vec<&str> {
    sentence
        .split(|c: char| !is_word_char(c))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// A table of sentences, each naming a value of `T`, split into words once (borrowed from the
/// table: building one costs a vector per sentence, not a string per word).
#[derive(Debug)]
pub struct Sentences<'a, T: Copy> {
    entries: Vec<(T, Vec<&'a str>)>,
}

/// What matched: the value, and how many consecutive words of its sentence the text held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<T> {
    /// The sentence's value.
    pub value: T,
    /// Consecutive words matched.
    pub words: usize,
}

impl<'a, T: Copy> Sentences<'a, T> {
    /// Prepares `(value, sentence)` rows, in priority order.
    pub fn new(rows: &[(T, &'a str)]) -> Self {
        Sentences {
            entries: rows.iter().map(|(v, s)| (*v, sentence_words(s))).collect(),
        }
    }

    /// The best-matching sentence in the words of a text (see the module).
    pub fn find_in(&self, text: &[String]) -> Option<Match<T>> {
        let mut best: Option<Match<T>> = None;
        for (value, sentence) in &self.entries {
            let run = longest_common_run(text, sentence);
            let needed = MIN_FRAGMENT_WORDS.min(sentence.len()).max(1);
            if run < needed || best.is_some_and(|b| run <= b.words) {
                continue;
            }
            best = Some(Match {
                value: *value,
                words: run,
            });
        }
        best
    }
}

/// The longest run of consecutive words of `sentence` standing consecutively in `text`. A run
/// is only followed from its start (where the previous words do not already match), so each
/// pair of positions is extended once; most comparisons end at the first byte.
fn longest_common_run(text: &[String], sentence: &[&str]) -> usize {
    // Text words are lower-cased already; a sentence's words are as written.
    let same = |a: &String, b: &&str| a.eq_ignore_ascii_case(b);
    let mut best = 0;
    for i in 0..text.len() {
        for j in 0..sentence.len() {
            if !same(&text[i], &sentence[j])
                || (i > 0 && j > 0 && same(&text[i - 1], &sentence[j - 1]))
            {
                continue;
            }
            let n = text[i..]
                .iter()
                .zip(&sentence[j..])
                .take_while(|(a, b)| same(a, b))
                .count();
            best = best.max(n);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A catalogued sentence split in place gives the words [`words`] gives it.
    #[test]
    fn sentence_words_are_the_words_of_the_sentence() {
        for (_, s) in crate::signals::cf_sentences() {
            let split: Vec<String> = sentence_words(s)
                .iter()
                .map(|w| w.to_ascii_lowercase())
                .collect();
            assert_eq!(split, words(s), "{s}");
        }
    }

    #[test]
    fn words_survive_the_wrappings_people_paste() {
        let want = ["we", "can't", "connect", "to", "the", "server"];
        for text in [
            "We can't connect to the server",
            "WE CAN&#x27;T CONNECT TO THE SERVER",
            "we can&#39;t\n   connect to\nthe server",
            "\"we can\\u0027t connect to the server\"",
            "> `We can’t connect` to the **server**",
            "2024-01-01T00:00:00Z ERROR we can\\'t connect to the server.",
        ] {
            let w = words(text);
            assert!(
                w.windows(want.len()).any(|win| win == want),
                "{text:?} -> {w:?}"
            );
        }
    }

    #[test]
    fn fragments_match_and_the_longest_run_wins() {
        let table = Sentences::new(&[
            (
                1,
                "The Lambda function associated with the CloudFront distribution was throttled.",
            ),
            (
                2,
                "The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.",
            ),
            (3, "504 Gateway Timeout ERROR"),
        ]);
        let find = |t: &str| table.find_in(&words(t)).map(|m| m.value);
        assert_eq!(
            find("error: distribution was throttled. we can't"),
            None,
            "5 words"
        );
        assert_eq!(
            find("with the CloudFront distribution was throttled, sorry"),
            Some(1)
        );
        assert_eq!(find("is invalid or doesn't have the required"), Some(2));
        // A shared prefix alone: table order decides.
        assert_eq!(
            find("lambda function associated with the cloudfront distribution"),
            Some(1)
        );
        // A short sentence must be whole.
        assert_eq!(find("got a 504 gateway timeout error today"), Some(3));
        assert_eq!(find("504 gateway timeout"), None);
        assert_eq!(find(""), None);
    }

    #[test]
    fn entities_and_escapes_decode() {
        assert_eq!(unwrap_text("a&amp;b &lt;x&gt; &#x3D;&#61;"), "a&b <x> ==");
        assert_eq!(
            unwrap_text("bad &#xZZ; &unknown; &"),
            "bad &#xZZ; &unknown; &"
        );
        assert_eq!(unwrap_text("\\u00e9\\n\\\"q\\\""), "é \"q\"");
        assert_eq!(unwrap_text("\\u12"), "\\u12");
    }
}
