//! A structural JSON scanner for the HAR fast path.
//!
//! A support HAR is mostly bodies of successful responses. Fully parsing them (as a JSON parser
//! must) costs far more than finding the few failing entries, so this scanner walks the document
//! checking what structure needs: strings (delimited, escapes not decoded), bracket nesting,
//! scalar tokens (literals and number characters, not the full number grammar) and the end of
//! input. The entries that matter are handed to serde_json whole, which checks everything in
//! them. Iterative, so nesting depth cannot
//! overflow the stack; every step moves forward, so it cannot hang.

use alloc::vec::Vec;

/// Where and why scanning stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScanError {
    /// Byte offset.
    pub offset: usize,
    /// `true` when the input ended early.
    pub eof: bool,
    /// What was expected.
    pub expected: &'static str,
    /// `true` when the JSON is fine but not shaped like a HAR.
    pub schema: bool,
}

pub(crate) struct Scanner<'a> {
    b: &'a [u8],
    pub pos: usize,
    /// The brackets open in [`Scanner::skip_value`], kept for the next skip.
    stack: Vec<u8>,
}

/// Deeper nesting than this is refused (serde_json's own limit is 128).
const MAX_DEPTH: usize = 1024;

impl<'a> Scanner<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Self {
            b,
            pos: 0,
            stack: Vec::new(),
        }
    }

    fn err(&self, expected: &'static str) -> ScanError {
        ScanError {
            offset: self.pos.min(self.b.len()),
            eof: self.pos >= self.b.len(),
            expected,
            schema: false,
        }
    }

    /// A value of the wrong kind where the HAR format wants another.
    pub fn schema_err(&mut self, expected: &'static str) -> ScanError {
        self.ws();
        ScanError {
            schema: true,
            ..self.err(expected)
        }
    }

    pub fn ws(&mut self) {
        while let Some(c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    pub fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.pos).copied()
    }

    pub fn eat(&mut self, c: u8, expected: &'static str) -> Result<(), ScanError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(expected))
        }
    }

    /// A string; returns the span of its raw content (escapes not decoded).
    pub fn string(&mut self) -> Result<(usize, usize), ScanError> {
        self.eat(b'"', "a string")?;
        let start = self.pos;
        // Jump from quote to quote; a quote preceded by an odd run of backslashes is escaped.
        // Escapes themselves need no stop, which matters in escape-dense HTML bodies.
        loop {
            let Some(quote) = find_quote(self.b, self.pos) else {
                self.pos = self.b.len();
                return Err(self.err("the end of a string"));
            };
            let backslashes = self.b[start..quote]
                .iter()
                .rev()
                .take_while(|&&c| c == b'\\')
                .count();
            self.pos = quote + 1;
            if backslashes % 2 == 0 {
                return Ok((start, quote));
            }
        }
    }

    /// Skips one value of any kind; returns its span.
    pub fn skip_value(&mut self) -> Result<(usize, usize), ScanError> {
        // One stack for every skip (a new one was an allocation per skipped header object).
        let mut stack = core::mem::take(&mut self.stack);
        stack.clear();
        let skipped = self.skip_value_with(&mut stack);
        self.stack = stack;
        skipped
    }

    fn skip_value_with(&mut self, stack: &mut Vec<u8>) -> Result<(usize, usize), ScanError> {
        let start = match self.peek() {
            Some(_) => self.pos,
            None => return Err(self.err("a value")),
        };
        loop {
            match self.peek() {
                None => return Err(self.err("the end of a value")),
                Some(b'"') => {
                    self.string()?;
                }
                Some(c @ (b'{' | b'[')) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.err("less deeply nested data"));
                    }
                    stack.push(if c == b'{' { b'}' } else { b']' });
                    self.pos += 1;
                }
                Some(c @ (b'}' | b']')) => {
                    if stack.pop() != Some(c) {
                        return Err(self.err("a matching bracket"));
                    }
                    self.pos += 1;
                }
                Some(b',' | b':') if !stack.is_empty() => self.pos += 1,
                Some(_) => {
                    // A scalar: runs until the next structural byte.
                    let before = self.pos;
                    while let Some(&c) = self.b.get(self.pos) {
                        if matches!(
                            c,
                            b'"' | b'{'
                                | b'['
                                | b'}'
                                | b']'
                                | b','
                                | b':'
                                | b' '
                                | b'\t'
                                | b'\n'
                                | b'\r'
                        ) {
                            break;
                        }
                        self.pos += 1;
                    }
                    let token = &self.b[before..self.pos];
                    let number = token
                        .first()
                        .is_some_and(|c| *c == b'-' || c.is_ascii_digit())
                        && token
                            .iter()
                            .all(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'));
                    if !(number || matches!(token, b"true" | b"false" | b"null")) {
                        self.pos = before;
                        return Err(self.err("a value"));
                    }
                }
            }
            if stack.is_empty() {
                return Ok((start, self.pos));
            }
        }
    }

    /// Walks an object: calls `f(key_span, scanner)` for each key; `f` must consume the value.
    pub fn object(
        &mut self,
        mut f: impl FnMut(&[u8], &mut Self) -> Result<(), ScanError>,
    ) -> Result<(), ScanError> {
        self.eat(b'{', "an object")?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let (ks, ke) = self.string()?;
            self.eat(b':', "':'")?;
            let key = &self.b[ks..ke];
            f(key, self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("',' or '}'")),
            }
        }
    }

    /// Walks an array: calls `f(scanner)` for each element; `f` must consume it.
    pub fn array(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), ScanError>,
    ) -> Result<(), ScanError> {
        self.eat(b'[', "an array")?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("',' or ']'")),
            }
        }
    }

    /// The whole input.
    pub fn bytes(&self) -> &'a [u8] {
        self.b
    }

    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }
}

/// The first `"` at or after `from`, eight bytes a step (SWAR: the "has zero byte" bit trick on
/// the word XOR `"`; the lowest flagged byte is exact, false positives only sit above it).
fn find_quote(b: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let quote = LO * u64::from(b'"');
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]) ^ quote;
        let m = w.wrapping_sub(LO) & !w & HI;
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&c| c == b'"').map(|p| p + i)
}

/// 1-based line and column of a byte offset (computed only when reporting an error).
pub(crate) fn line_column(b: &[u8], offset: usize) -> (usize, usize) {
    let before = &b[..offset.min(b.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn skips_nested_values() {
        let doc = br#" {"a": [1, {"b": "x\"}]"}, true], "c": null} tail"#;
        let mut s = Scanner::new(doc);
        let (start, end) = s.skip_value().unwrap();
        assert_eq!(
            &doc[start..end],
            &br#"{"a": [1, {"b": "x\"}]"}, true], "c": null}"#[..]
        );
        let mut s = Scanner::new(b"200, 3");
        assert_eq!(s.skip_value().unwrap(), (0, 3));
    }

    #[test]
    fn mismatched_and_truncated() {
        assert!(!Scanner::new(b"[1, 2}").skip_value().unwrap_err().eof);
        assert!(Scanner::new(b"[1, \"abc").skip_value().unwrap_err().eof);
        assert!(Scanner::new(b"\"ab\\").skip_value().unwrap_err().eof);
        let deep = [b'['; 5000];
        assert!(!Scanner::new(&deep).skip_value().unwrap_err().eof);
    }

    #[test]
    fn swar_search_agrees_with_a_plain_search() {
        let text = br#"abc\"defgh"ijklmnop\\qrstuvwxyz0123456789"tail"#;
        for from in 0..text.len() {
            let plain = text[from..]
                .iter()
                .position(|&c| c == b'"')
                .map(|p| p + from);
            assert_eq!(find_quote(text, from), plain, "from {from}");
        }
        // Bytes just above and below '"', which trip naive bit tricks.
        let tricky = [0x21u8, 0x23, 0xa2, 0x01, 0xff, 0x00, 0x80, 0x02, 0x22];
        assert_eq!(find_quote(&tricky, 0), Some(8));
    }

    #[test]
    fn escaped_quotes_and_backslash_runs() {
        for (doc, end) in [
            (&br#""a\"b" x"#[..], 5),
            (&br#""a\\" x"#[..], 4),
            (&br#""a\\\"b" x"#[..], 7),
            (&br#""" x"#[..], 1),
        ] {
            let mut s = Scanner::new(doc);
            assert_eq!(
                s.string().unwrap(),
                (1, end),
                "{}",
                core::str::from_utf8(doc).unwrap()
            );
        }
        assert!(Scanner::new(br#""a\""#).string().unwrap_err().eof);
    }

    #[test]
    fn positions() {
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_column(b"abc", 0), (1, 1));
    }
}
