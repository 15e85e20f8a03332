//! The gzip decoder alone, for `just bench`: decompresses the files given (as `cf503 logs`
//! does: flate2, the same backend, one file per thread on every core) and throws the bytes
//! away. `cf503 logs` on the same files should come within 10 % of this.

use std::io::Read;
use std::sync::Mutex;

fn main() {
    let files = Mutex::new(std::env::args().skip(1).collect::<Vec<_>>());
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let total: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0u64;
                    let mut buf = vec![0u8; 1 << 20];
                    loop {
                        let Some(f) = files.lock().expect("files").pop() else {
                            return n;
                        };
                        let file = std::io::BufReader::with_capacity(
                            256 * 1024,
                            std::fs::File::open(&f).expect("open"),
                        );
                        let mut d = flate2::bufread::MultiGzDecoder::new(file);
                        loop {
                            match d.read(&mut buf) {
                                Ok(0) => break,
                                Ok(k) => n += k as u64,
                                Err(e) => panic!("{f}: {e}"),
                            }
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).sum()
    });
    println!("{total}");
}
