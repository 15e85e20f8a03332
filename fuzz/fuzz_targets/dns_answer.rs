#![no_main]
//! Any bytes as the answer to a DNS query: decoded or rejected, never a panic; and fed to a
//! running check, which must stay consistent.
use cf503_core::dns::{Check, Config, RType, wire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = wire::decode(bytes);
    let q = cf503_core::dns::Question {
        name: "www.example.test.".into(),
        rtype: RType::A,
    };
    let _ = wire::check_response(0x1234, &q, bytes);
    let Ok(mut check) = Check::new("www.example.test", Config::default(), 1) else {
        return;
    };
    let mut now = 0;
    while let Some(t) = check.poll_transmit(now) {
        // The answer takes the transmit's ID, so the fuzzer reaches past the ID check.
        let mut b = bytes.to_vec();
        if b.len() >= 2 {
            b[..2].copy_from_slice(&t.id.to_be_bytes());
        }
        check.handle_answer(t.token, &b, now);
        now += 1;
        if now > 200 {
            break;
        }
    }
    let _ = cf503_core::dns::DnsReport::from_check(&check);
});
