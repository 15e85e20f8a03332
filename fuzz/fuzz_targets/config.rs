#![no_main]
//! Any bytes as a distribution config: read, routed, explained and stored, never a panic; what
//! is stored reads back.
use cf503_core::config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(configs) = config::read(data) else {
        return;
    };
    let stored = config::export::to_api_json(&configs);
    assert!(config::read(stored.as_bytes()).is_ok(), "the stored form must read back");
    for d in &configs.distributions {
        let _ = config::risks::risks(d);
    }
    if let Ok(route) = config::routing::route(&configs.distributions, Some("https://www.example.com/api/x")) {
        let _ = config::explain::explain(&route, configs.form, &cf503_core::diagnose::Summary::default());
    }
});
