//! A sans-IO gzip reader that reads *every* member of a file (RFC 1952 §2.2: a gzip file is a
//! series of members), for front ends whose own decoder stops after the first. `cat a.gz b.gz`
//! and `gzip -c >> all.gz` make such files; the browser's `DecompressionStream` rejects them
//! (audit W5), so the page falls back to this reader when its fast path fails.
//!
//! Bytes in, decoded bytes out through a callback in bounded pieces: memory is constant
//! whatever the file expands to (a gzip bomb streams through in linear time).

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use miniz_oxide::inflate::stream::{InflateState, inflate};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// A member's header may carry a file name and a comment; past this it is not a log's.
const MAX_HEADER: usize = 64 * 1024;
/// Decoded bytes handed out at a time.
const OUT: usize = 64 * 1024;

/// Why the stream could not be read to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GzipError {
    /// The first bytes are not a gzip header.
    NotGzip,
    /// A member's header is malformed (an unknown method, a header longer than 64 KB).
    BadHeader,
    /// The compressed data is damaged.
    Damaged,
    /// The file ends inside a member (a download cut short).
    CutShort,
}

impl core::fmt::Display for GzipError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Short: the report's sentence (`report::gzip_cut_warning`) says the rest.
        f.write_str(match self {
            GzipError::NotGzip => "not a gzip file",
            GzipError::BadHeader => "a malformed member header",
            GzipError::Damaged => "damaged compressed data",
            GzipError::CutShort => "the file was cut short",
        })
    }
}

impl core::error::Error for GzipError {}

enum State {
    /// Collecting a member's header (the bytes so far).
    Header(Vec<u8>),
    Inflate,
    /// Bytes of the CRC-32 and size trailer still to skip.
    Trailer(usize),
    /// After a whole member: another member, or the end.
    Between,
    /// Bytes after the last member that are not another member (ignored, as gzip does).
    Trailing,
    Failed(GzipError),
}

/// Reads every member of a gzip stream.
pub struct Members {
    state: State,
    inflater: Box<InflateState>,
    out: Vec<u8>,
    members: u32,
    trailing: bool,
}

impl core::fmt::Debug for Members {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Members")
            .field("members", &self.members)
            .finish_non_exhaustive()
    }
}

impl Default for Members {
    fn default() -> Self {
        Self::new()
    }
}

/// The length of a complete member header at the start of `h`, `Ok(None)` when more bytes are
/// needed.
fn header_len(h: &[u8]) -> Result<Option<usize>, GzipError> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    if h.len() < 10 {
        return Ok(None);
    }
    if h[0] != 0x1f || h[1] != 0x8b {
        return Err(GzipError::NotGzip);
    }
    if h[2] != 8 || h[3] & 0xe0 != 0 {
        return Err(GzipError::BadHeader);
    }
    let flags = h[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let Some(len) = h.get(at..at + 2) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let Some(rest) = h.get(at..) else {
                return Ok(None);
            };
            match memchr::memchr(0, rest) {
                Some(nul) => at += nul + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((h.len() >= at).then_some(at))
}

impl Members {
    /// A reader at the start of a gzip stream.
    pub fn new() -> Self {
        Members {
            state: State::Header(Vec::new()),
            inflater: InflateState::new_boxed(DataFormat::Raw),
            out: vec![0; OUT],
            members: 0,
            trailing: false,
        }
    }

    /// Members read to their end so far.
    pub fn members(&self) -> u32 {
        self.members
    }

    /// Whether bytes that are not a gzip member followed the last member (ignored).
    pub fn had_trailing_bytes(&self) -> bool {
        self.trailing
    }

    /// Decodes the next compressed bytes; decoded bytes go to `out` as they come. After an
    /// error, every call returns it again.
    pub fn feed(&mut self, mut input: &[u8], mut out: impl FnMut(&[u8])) -> Result<(), GzipError> {
        while !input.is_empty() {
            match &mut self.state {
                State::Failed(e) => return Err(*e),
                State::Trailing => return Ok(()),
                State::Between => {
                    // Another member starts with the magic bytes; anything else ends the file.
                    if input[0] == 0x1f {
                        self.state = State::Header(Vec::new());
                    } else {
                        self.trailing = true;
                        self.state = State::Trailing;
                    }
                }
                State::Header(h) => {
                    let take = input.len().min(MAX_HEADER + 1 - h.len().min(MAX_HEADER));
                    let before = h.len();
                    h.extend_from_slice(&input[..take]);
                    match header_len(h) {
                        Ok(Some(len)) => {
                            // What followed the header in this piece is compressed data.
                            let used = len - before;
                            input = &input[used..];
                            self.inflater.reset(DataFormat::Raw);
                            self.state = State::Inflate;
                        }
                        Ok(None) if h.len() > MAX_HEADER => {
                            return self.fail(GzipError::BadHeader);
                        }
                        Ok(None) => input = &input[take..],
                        // A second "member" that is not one: trailing bytes, as gzip ignores.
                        Err(GzipError::NotGzip) if self.members > 0 => {
                            self.trailing = true;
                            self.state = State::Trailing;
                            return Ok(());
                        }
                        Err(e) => return self.fail(e),
                    }
                }
                State::Inflate => {
                    let r = inflate(&mut self.inflater, input, &mut self.out, MZFlush::None);
                    input = &input[r.bytes_consumed..];
                    if r.bytes_written > 0 {
                        out(&self.out[..r.bytes_written]);
                    }
                    match r.status {
                        Ok(MZStatus::StreamEnd) => self.state = State::Trailer(8),
                        Ok(_) | Err(MZError::Buf) => {}
                        Err(_) => return self.fail(GzipError::Damaged),
                    }
                }
                State::Trailer(left) => {
                    let skip = (*left).min(input.len());
                    *left -= skip;
                    input = &input[skip..];
                    if *left == 0 {
                        self.members += 1;
                        self.state = State::Between;
                    }
                }
            }
        }
        // The decoder may hold output it had no room for: drain it without new input.
        while matches!(self.state, State::Inflate) {
            let r = inflate(&mut self.inflater, &[], &mut self.out, MZFlush::None);
            if r.bytes_written > 0 {
                out(&self.out[..r.bytes_written]);
            }
            match r.status {
                Ok(MZStatus::StreamEnd) => self.state = State::Trailer(8),
                Ok(_) if r.bytes_written > 0 => {}
                Ok(_) | Err(MZError::Buf) => break,
                Err(_) => return self.fail(GzipError::Damaged),
            }
        }
        Ok(())
    }

    fn fail(&mut self, e: GzipError) -> Result<(), GzipError> {
        self.state = State::Failed(e);
        Err(e)
    }

    /// The stream ended: an error when it ended inside a member (or never began).
    pub fn finish(&self) -> Result<(), GzipError> {
        match &self.state {
            State::Failed(e) => Err(*e),
            State::Between | State::Trailing => Ok(()),
            State::Header(h) if h.is_empty() && self.members > 0 => Ok(()),
            State::Header(_) if self.members == 0 => Err(GzipError::NotGzip),
            _ => Err(GzipError::CutShort),
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// Made by `printf 'line one\nline two\n' | gzip -n` and `printf 'three\n' | gzip -n -N`
    /// with a name, so the second member has an FNAME field.
    fn member(text: &str, name: Option<&str>) -> Vec<u8> {
        // A stored (uncompressed) deflate block is enough to exercise the member framing.
        let mut m = vec![
            0x1f,
            0x8b,
            8,
            if name.is_some() { 8 } else { 0 },
            0,
            0,
            0,
            0,
            0,
            3,
        ];
        if let Some(n) = name {
            m.extend_from_slice(n.as_bytes());
            m.push(0);
        }
        m.extend(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 6));
        // CRC-32 and size are skipped by this reader (the log reader judges the content).
        m.extend_from_slice(&[0; 8]);
        m
    }

    fn decode(bytes: &[u8], piece: usize) -> (Vec<u8>, Result<(), GzipError>, u32) {
        let mut m = Members::new();
        let mut out = Vec::new();
        for chunk in bytes.chunks(piece.max(1)) {
            if let Err(e) = m.feed(chunk, |b| out.extend_from_slice(b)) {
                return (out, Err(e), m.members());
            }
        }
        let end = m.finish();
        (out, end, m.members())
    }

    #[test]
    fn audit_w5_every_member_in_any_pieces() {
        let mut file = member("line one\nline two\n", None);
        file.extend(member("three\n", Some("b.log")));
        for piece in [1, 2, 3, 7, 11, 64, 4096] {
            let (out, end, members) = decode(&file, piece);
            assert_eq!(out, b"line one\nline two\nthree\n", "piece {piece}");
            assert_eq!((end, members), (Ok(()), 2), "piece {piece}");
        }
    }

    #[test]
    fn cut_damaged_trailing_and_not_gzip() {
        let file = member(&"x\n".repeat(10_000), None);
        let (out, end, _) = decode(&file[..file.len() / 2], 100);
        assert_eq!(end, Err(GzipError::CutShort));
        assert!(!out.is_empty(), "what arrived is handed out");
        let mut damaged = file.clone();
        damaged[12] ^= 0xff;
        damaged[13] ^= 0xff;
        assert!(matches!(
            decode(&damaged, 100).1,
            Err(GzipError::Damaged | GzipError::CutShort)
        ));
        let mut trailing = file.clone();
        trailing.extend_from_slice(b"\0\0\0junk");
        let mut m = Members::new();
        let mut n = 0;
        m.feed(&trailing, |b| n += b.len()).unwrap();
        assert_eq!(
            (m.finish(), n, m.had_trailing_bytes()),
            (Ok(()), 20_000, true)
        );
        assert_eq!(decode(b"#Fields: x\n", 4).1, Err(GzipError::NotGzip));
        assert_eq!(decode(b"", 4).1, Err(GzipError::NotGzip));
    }

    #[test]
    fn a_bomb_streams_through_in_bounded_pieces() {
        let zeros = vec![0u8; 50 << 20];
        let file = member(core::str::from_utf8(&zeros).unwrap(), None);
        let mut m = Members::new();
        let (mut total, mut largest) = (0usize, 0usize);
        m.feed(&file, |b| {
            total += b.len();
            largest = largest.max(b.len());
        })
        .unwrap();
        assert_eq!((total, m.finish()), (50 << 20, Ok(())));
        assert!(largest <= OUT);
    }
}
