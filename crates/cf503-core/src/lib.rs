//! # cf503-core
//!
//! The diagnosis engine of cf503, a doctor for HTTP 503 (and 502/504) errors served by Amazon
//! CloudFront. Everything that decides lives here; front ends (CLI, web page, browser extension)
//! only move bytes and draw.
//!
//! The crate is `no_std` + `alloc`, deterministic and sans-IO: it reads no files, opens no
//! sockets and looks at no clock. Inputs are bytes and strings; outputs are values.
//!
//! ```
//! let input = b"HTTP/2 503\r\nserver: CloudFront\r\nx-cache: LambdaLimitExceeded from cloudfront\r\nx-amz-cf-pop: FRA56-P1\r\n\r\n";
//! let cf503_core::parse::Input::Response(obs) = cf503_core::parse_input(input).unwrap() else { panic!() };
//! let d = cf503_core::diagnose(&obs);
//! assert_eq!(d.top().cause.as_str(), "lambda_edge_throttled");
//! assert_eq!(d.summary.lambda_region, Some("eu-central-1"));
//! ```
//!
//! Pipeline: [`parse`] → [`Observation`] → [`signals::Signals`] → [`diagnose()`] →
//! [`Diagnosis`] → [`report`].
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    clippy::alloc_instead_of_core
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod capture;
pub mod causes;
pub mod config;
pub mod diagnose;
pub mod dns;
pub mod edges;
pub mod logs;
pub mod observation;
pub mod parse;
pub mod pops;
pub mod prose;
pub mod redact;
pub mod report;
pub mod share;
pub mod signals;
pub mod sql;
pub(crate) mod text;
pub mod vocab;

pub use causes::CauseId;
pub use diagnose::{Diagnosis, Finding, diagnose};
pub use observation::{Headers, Observation, Source};
pub use parse::{Input, ParseError};

/// Reads any supported input (see [`parse::parse_input_with`]); a HAR file keeps its failing
/// entries: 5xx, and 4xx that CloudFront generated ([`signals::is_failing`]). Parsing and this
/// policy meet here, so the parser applies no diagnosis policy of its own.
pub fn parse_input(bytes: &[u8]) -> Result<Input, ParseError> {
    parse::parse_input_with(bytes, signals::is_failing)
}

/// The crate README's example is compiled and run as a doctest: it cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Parses any supported input and diagnoses it: one diagnosis for a response, one per failing
/// entry for a HAR file.
pub fn analyze(bytes: &[u8]) -> Result<Analysis, ParseError> {
    analyze_with_dns(bytes, None)
}

/// [`analyze`], with a DNS check of the origin joined into every diagnosis.
pub fn analyze_with_dns(
    bytes: &[u8],
    dns: Option<&dns::DnsReport>,
) -> Result<Analysis, ParseError> {
    let run = |obs: &Observation| match dns {
        Some(d) => diagnose::diagnose_with_dns(obs, d),
        None => diagnose(obs),
    };
    Ok(match parse_input(bytes)? {
        Input::Response(obs) => {
            let diagnosis = run(&obs);
            Analysis::Response(alloc::boxed::Box::new((obs, diagnosis)))
        }
        Input::Har(har) => {
            let diagnoses = har.failing.iter().map(|e| run(&e.observation)).collect();
            Analysis::Har { har, diagnoses }
        }
    })
}

/// The result of [`analyze`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Analysis {
    /// One response and its diagnosis.
    Response(alloc::boxed::Box<(Observation, Diagnosis)>),
    /// A HAR file and a diagnosis per failing entry (same order as `har.failing`).
    Har {
        /// The parsed file.
        har: parse::Har,
        /// Diagnoses of `har.failing`.
        diagnoses: alloc::vec::Vec<Diagnosis>,
    },
}

impl Analysis {
    /// Joins a distribution's config (one document, or a folder's) to the diagnosis of every
    /// request it routes ([`config::routing::route_any`]): a response by `url` or the URL it
    /// carries; each failing HAR entry by its own URL (entries for other hosts keep no config).
    /// Fails when no request is served by a distribution of the config.
    pub fn join_config(
        &mut self,
        configs: &[config::Configs],
        url: Option<&str>,
    ) -> Result<(), config::routing::NotPicked> {
        use config::routing::route_any;
        match self {
            Analysis::Response(b) => {
                let d = &mut b.1;
                let url = url
                    .map(alloc::string::ToString::to_string)
                    .or_else(|| d.summary.url.clone());
                let (route, form) = route_any(configs, url.as_deref())?;
                let explained = config::explain::explain(&route, form, &d.summary);
                d.join_config(explained);
                Ok(())
            }
            Analysis::Har { diagnoses, .. } => {
                let mut first_err = None;
                let mut joined = false;
                for d in diagnoses.iter_mut() {
                    match route_any(configs, d.summary.url.as_deref()) {
                        Ok((route, form)) => {
                            let explained = config::explain::explain(&route, form, &d.summary);
                            d.join_config(explained);
                            joined = true;
                        }
                        Err(e) => {
                            first_err.get_or_insert(e);
                        }
                    }
                }
                match first_err {
                    Some(e) if !joined => Err(e),
                    _ => Ok(()),
                }
            }
        }
    }

    /// Renders the analysis in a format.
    pub fn render(&self, format: report::Format) -> alloc::string::String {
        match self {
            Analysis::Response(b) => report::render(&b.1, format),
            Analysis::Har { har, diagnoses } => {
                let items: alloc::vec::Vec<_> = har
                    .failing
                    .iter()
                    .zip(diagnoses.iter())
                    .map(|(entry, diagnosis)| report::HarItem { entry, diagnosis })
                    .collect();
                match format {
                    report::Format::Text => report::har_text(har, &items),
                    report::Format::Markdown => report::har_markdown(har, &items),
                    report::Format::Json => report::har_json(har, &items),
                }
            }
        }
    }
}
