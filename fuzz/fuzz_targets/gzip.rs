#![no_main]
//! The page's gzip reader on any bytes, fed in three pieces cut anywhere: the same ending whatever
//! the cuts, and the same decoded bytes when the file is whole (before damage, how much is handed
//! out depends on where the decoder stopped: one is then a prefix of the other); each piece handed
//! out at most 64 KB at a time; a whole member before the bytes is always read.
use cf503_core::logs::gzip::Stream;
use libfuzzer_sys::fuzz_target;

/// `printf 'a\tb\n' | gzip -n`: a whole member, to put the fuzzer's bytes after.
const MEMBER: &[u8] = &[
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0xe4, 0x4c, 0xe2, 0x02,
    0x00, 0xce, 0x94, 0x11, 0x1a, 0x04, 0x00, 0x00, 0x00,
];

fn read(pieces: &[&[u8]]) -> (Vec<u8>, Result<(), cf503_core::logs::gzip::GzipError>) {
    let mut stream = Stream::new();
    let mut out = Vec::new();
    for piece in pieces {
        let fed = stream.feed(piece, |b| {
            assert!(b.len() <= 64 * 1024);
            out.extend_from_slice(b);
        });
        if let Err(e) = fed {
            // Every later call says the same.
            assert_eq!(stream.feed(b"\x1f\x8b", |_| panic!("output after an error")), Err(e));
            return (out, Err(e));
        }
    }
    (out, stream.finish())
}

fuzz_target!(|input: (u16, u16, bool, &[u8])| {
    let (a, b, after_member, bytes) = input;
    let file = if after_member { [MEMBER, bytes].concat() } else { bytes.to_vec() };
    let whole = read(&[&file]);
    let (mut a, mut b) = (usize::from(a) % (file.len() + 1), usize::from(b) % (file.len() + 1));
    if a > b {
        core::mem::swap(&mut a, &mut b);
    }
    let pieces = read(&[&file[..a], &file[a..b], &file[b..]]);
    assert_eq!(pieces.1, whole.1);
    if whole.1.is_ok() {
        assert_eq!(pieces.0, whole.0);
    } else {
        assert!(pieces.0.starts_with(&whole.0) || whole.0.starts_with(&pieces.0));
    }
    if after_member {
        assert!(whole.0.starts_with(b"a\tb\n"), "the whole member before the bytes is lost");
    }
});
