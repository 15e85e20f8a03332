#![no_main]
//! Any HTTP answer from a DoH resolver (status, content type, body): judged, never a panic.
use cf503_core::dns::doh::judge_doh;
use cf503_core::dns::{Check, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (u16, String, Vec<u8>)| {
    let (status, content_type, body) = data;
    let config = Config {
        can_target_servers: false,
        ..Config::default()
    };
    let Ok(mut check) = Check::new("www.example.test", config, 1) else {
        return;
    };
    if let Some(t) = check.poll_transmit(0) {
        let _ = judge_doh("https://dns.example/dns-query", &t, status, &content_type, &body);
    }
});
