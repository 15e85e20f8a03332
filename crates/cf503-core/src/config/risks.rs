//! Settings of a distribution that make 5xx errors likelier, found by reading its config (no
//! other checker looks at these: AWS Config, Security Hub, Checkov and Prowler check security).
//! Each finding has a stable id, a severity and a source in docs/sources.md; the table
//! [`RISKS`] is the one place they are listed, and README's list is checked against it.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::model::{Distribution, Origin, OriginType, Val};
use super::routing::{Target, target};

/// How much a finding matters: the DNS findings' three levels.
pub use crate::dns::Severity;

/// The findings, by stable id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RiskId {
    /// CloudFront gives up on the first byte before the origin's own limit.
    ReadTimeoutBelowOriginLimit,
    /// CloudFront keeps idle connections as long as (or longer than) the origin does.
    KeepaliveRace,
    /// Attempts × time-outs make a viewer wait long before a 504.
    WorstCase504Wait,
    /// A 5xx is cached for long.
    ErrorCacheLong,
    /// A viewer-request Lambda@Edge function runs on every request of the default behaviour.
    ViewerRequestLambdaOnDefault,
    /// The origin SSL protocols lack TLS 1.2, or list legacy ones.
    OriginSslProtocolsLegacy,
    /// An HTTP-only origin behind HTTPS viewers.
    HttpOnlyOriginWithHttpsViewer,
    /// An origin group that does not fail over on a 5xx its primary can send.
    FailoverCodesPartial,
    /// A behaviour targets an origin id the config does not define.
    TargetMissing,
}

/// One row of the table.
#[derive(Debug)]
pub struct RiskInfo {
    /// The id.
    pub id: RiskId,
    /// Stable machine name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Its source id in docs/sources.md.
    pub source: &'static str,
}

/// Every finding cf503 looks for.
pub const RISKS: &[RiskInfo] = &[
    RiskInfo {
        id: RiskId::ReadTimeoutBelowOriginLimit,
        name: "read_timeout_below_origin_limit",
        severity: Severity::Warning,
        source: "CFG-ORIGIN",
    },
    RiskInfo {
        id: RiskId::KeepaliveRace,
        name: "keepalive_race",
        severity: Severity::Warning,
        source: "CFG-KEEPALIVE",
    },
    RiskInfo {
        id: RiskId::WorstCase504Wait,
        name: "worst_case_504_wait",
        severity: Severity::Info,
        source: "CFG-ORIGIN",
    },
    RiskInfo {
        id: RiskId::ErrorCacheLong,
        name: "error_cache_long",
        severity: Severity::Warning,
        source: "DHSC",
    },
    RiskInfo {
        id: RiskId::ViewerRequestLambdaOnDefault,
        name: "viewer_request_lambda_on_default_behavior",
        severity: Severity::Info,
        source: "DQUOTA",
    },
    RiskInfo {
        id: RiskId::OriginSslProtocolsLegacy,
        name: "origin_ssl_protocols_legacy",
        severity: Severity::Warning,
        source: "D502",
    },
    RiskInfo {
        id: RiskId::HttpOnlyOriginWithHttpsViewer,
        name: "http_only_origin_with_https_viewer",
        severity: Severity::Info,
        source: "CFG-ORIGIN",
    },
    RiskInfo {
        id: RiskId::FailoverCodesPartial,
        name: "failover_codes_partial",
        severity: Severity::Info,
        source: "CFG-FAILOVER",
    },
    RiskInfo {
        id: RiskId::TargetMissing,
        name: "target_missing",
        severity: Severity::Error,
        source: "CFG-PATH",
    },
];

impl RiskId {
    /// Its row.
    pub fn info(self) -> &'static RiskInfo {
        RISKS.iter().find(|r| r.id == self).unwrap_or(&RISKS[0])
    }

    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    /// Which.
    pub id: RiskId,
    /// What it is about: `origin app`, `behavior /api/*`, `custom error response 503`.
    pub subject: String,
    /// What is wrong and what to do, in one or two sentences.
    pub text: String,
}

impl Risk {
    /// Severity from the table.
    pub fn severity(&self) -> Severity {
        self.id.info().severity
    }
}

/// What platform an origin's domain names, for the limits it brings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Platform {
    /// `*.lambda-url.<region>.on.aws`: a function runs up to its own time-out (≤ 900 s).
    FunctionUrl,
    /// `*.execute-api.<region>.amazonaws.com`: integrations time out at 29 s by default.
    ApiGateway,
    /// `*.elb.amazonaws.com`: an Application Load Balancer, idle time-out 60 s by default.
    LoadBalancer,
    /// Amazon S3.
    S3,
    /// Anything else: a server of the owner's.
    Other,
}

impl Platform {
    /// From an origin's domain name.
    pub fn of(origin: &Origin) -> Platform {
        let Some(name) = origin.domain_name.known() else {
            return Platform::Other;
        };
        let name = name.to_ascii_lowercase();
        if matches!(origin.kind, OriginType::S3 { .. })
            || name.contains(".s3.")
            || name.contains(".s3-")
            || name.ends_with(".s3.amazonaws.com")
        {
            Platform::S3
        } else if name.contains(".lambda-url.") && name.ends_with(".on.aws") {
            Platform::FunctionUrl
        } else if name.contains(".execute-api.") {
            Platform::ApiGateway
        } else if name.ends_with(".elb.amazonaws.com") {
            Platform::LoadBalancer
        } else {
            Platform::Other
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Platform::FunctionUrl => "Lambda Function URL",
            Platform::ApiGateway => "API Gateway",
            Platform::LoadBalancer => "Elastic Load Balancing",
            Platform::S3 => "Amazon S3",
            Platform::Other => "custom origin",
        }
    }
}

/// Node.js's default `server.keepAliveTimeout` (5 s), the most common origin idle time-out met
/// behind CloudFront, equal to CloudFront's default keep-alive (source `CFG-KEEPALIVE`).
const NODE_KEEPALIVE_SECONDS: u32 = 5;
/// An Application Load Balancer's default idle time-out.
const ALB_IDLE_SECONDS: u32 = 60;
/// API Gateway's default integration time-out (29 s).
const API_GATEWAY_SECONDS: u32 = 29;
/// A Lambda function's longest time-out (15 min).
const LAMBDA_MAX_SECONDS: u32 = 900;
/// How long an error may stay cached before it is worth a finding.
const ERROR_CACHE_LONG_SECONDS: u64 = 60;
/// Worst-case waits longer than CloudFront's defaults give (3 × (10 + 30) s).
const WORST_CASE_DEFAULT_SECONDS: u32 = 120;

/// The worst-case wait before CloudFront answers 504 for one request to an origin: every
/// connection attempt times out on connecting or on the first byte; `ResponseCompletionTimeout`,
/// when set, caps it.
pub fn worst_case_wait(o: &Origin) -> Option<u32> {
    let attempts = o.connection_attempts()?;
    let per_attempt = o.connection_timeout()? + o.read_timeout()?;
    let total = attempts.saturating_mul(per_attempt);
    Some(match &o.response_completion_timeout {
        Some(Val::Known(cap)) => total.min(*cap),
        _ => total,
    })
}

/// Every finding for a distribution, most severe first.
pub fn risks(d: &Distribution) -> Vec<Risk> {
    let mut out = Vec::new();
    for o in &d.origins {
        origin_risks(o, &mut out);
    }
    for e in &d.error_responses {
        if (500..600).contains(&e.code)
            && let Some(Val::Known(ttl)) = e.min_ttl
            && ttl > ERROR_CACHE_LONG_SECONDS
        {
            out.push(Risk {
                id: RiskId::ErrorCacheLong,
                subject: format!("custom error response {}", e.code),
                text: format!(
                    "a {} from the origin stays cached for {ttl} s (ErrorCachingMinTTL): after the origin recovers, viewers keep getting the error that long; CloudFront's default is 10 s",
                    e.code
                ),
            });
        }
    }
    if d.default_behavior
        .lambdas
        .iter()
        .any(|l| l.event == super::model::EventType::ViewerRequest)
    {
        out.push(Risk {
            id: RiskId::ViewerRequestLambdaOnDefault,
            subject: "behavior Default (*)".into(),
            text: "a viewer-request Lambda@Edge function runs on every request the default behaviour takes, cached or not: each counts against the Region's Lambda@Edge concurrency quota (1,000 by default), so a traffic peak becomes LambdaLimitExceeded 503s; a CloudFront Function, or an origin-request trigger, runs far less".into(),
        });
    }
    for b in d.behaviors_in_order() {
        let subject = format!("behavior {}", b.pattern_label());
        match target(d, b) {
            Target::Missing(id) => out.push(Risk {
                id: RiskId::TargetMissing,
                subject,
                text: format!(
                    "TargetOriginId {id} names no origin or origin group of this distribution"
                ),
            }),
            Target::Origin(o) => https_viewer_http_origin(b, o, &subject, &mut out),
            Target::Group(g, members) => {
                for o in &members {
                    https_viewer_http_origin(b, o, &subject, &mut out);
                }
                let missing: Vec<String> = [500u16, 502, 503, 504]
                    .iter()
                    .filter(|c| !g.failover_codes.contains(c))
                    .map(ToString::to_string)
                    .collect();
                if !missing.is_empty()
                    && !out
                        .iter()
                        .any(|r| r.subject == format!("origin group {}", g.id))
                {
                    out.push(Risk {
                        id: RiskId::FailoverCodesPartial,
                        subject: format!("origin group {}", g.id),
                        text: format!(
                            "it fails over on {} but not on {}: those errors from the primary origin reach viewers though a secondary is configured (failover applies to GET, HEAD and OPTIONS only)",
                            join(&g.failover_codes),
                            missing.join(", ")
                        ),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| b.severity().cmp(&a.severity()).then(a.id.cmp(&b.id)));
    out.dedup();
    out
}

fn join(codes: &[u16]) -> String {
    if codes.is_empty() {
        return "no status".into();
    }
    codes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn https_viewer_http_origin(
    b: &super::model::Behavior,
    o: &Origin,
    subject: &str,
    out: &mut Vec<Risk>,
) {
    let https_viewer = matches!(
        b.viewer_protocol_policy.as_deref(),
        Some("redirect-to-https" | "https-only")
    );
    let http_only = o
        .custom()
        .and_then(|c| c.protocol_policy.as_ref())
        .and_then(Val::known)
        .is_some_and(|p| p == "http-only");
    if https_viewer && http_only {
        out.push(Risk {
            id: RiskId::HttpOnlyOriginWithHttpsViewer,
            subject: subject.to_string(),
            text: format!(
                "viewers must use HTTPS, but CloudFront reaches origin {} over plain HTTP (OriginProtocolPolicy http-only): not a 5xx cause, but the origin sees no TLS and any HTTPS-only listener there answers nothing",
                o.id
            ),
        });
    }
}

fn origin_risks(o: &Origin, out: &mut Vec<Risk>) {
    let subject = format!("origin {}", o.id);
    let platform = Platform::of(o);
    let read = o.read_timeout();
    if let Some(read) = read {
        let limit = match platform {
            Platform::FunctionUrl => Some((
                LAMBDA_MAX_SECONDS,
                "a Lambda function may run up to 900 s (its own time-out)",
            )),
            Platform::LoadBalancer => Some((
                ALB_IDLE_SECONDS,
                "a load balancer waits for its targets up to its idle time-out (60 s by default)",
            )),
            Platform::ApiGateway => Some((
                API_GATEWAY_SECONDS,
                "API Gateway waits for its integration up to 29 s by default",
            )),
            _ => None,
        };
        if let Some((limit, why)) = limit
            && read < limit
        {
            out.push(Risk {
                id: RiskId::ReadTimeoutBelowOriginLimit,
                subject: subject.clone(),
                text: format!(
                    "{}: CloudFront waits {read} s for the first byte (OriginReadTimeout) and then answers 504, while {why}: keep the origin's own time-out below {read} s, or raise OriginReadTimeout (up to 120 s; more with a quota increase)",
                    platform.label()
                ),
            });
        }
    }
    if let Some(keepalive) = o.keepalive_timeout() {
        let origin_idle = match platform {
            Platform::LoadBalancer => {
                Some((ALB_IDLE_SECONDS, "a load balancer's default idle time-out"))
            }
            Platform::Other => Some((
                NODE_KEEPALIVE_SECONDS,
                "Node.js's default keep-alive time-out (and that of many servers)",
            )),
            _ => None,
        };
        if let Some((idle, whose)) = origin_idle
            && keepalive >= idle
        {
            out.push(Risk {
                id: RiskId::KeepaliveRace,
                subject: subject.clone(),
                text: format!(
                    "CloudFront keeps idle connections to it open {keepalive} s (OriginKeepaliveTimeout), as long as or longer than {whose}, {idle} s: when the origin closes one just as CloudFront reuses it, that request fails with an intermittent 502; keep the origin's idle time-out above CloudFront's keep-alive"
                ),
            });
        }
    }
    if let Some(wait) = worst_case_wait(o)
        && wait > WORST_CASE_DEFAULT_SECONDS
    {
        out.push(Risk {
            id: RiskId::WorstCase504Wait,
            subject: subject.clone(),
            text: format!(
                "a viewer can wait up to {wait} s before a 504: {} connection attempts × ({} s to connect + {} s for the first byte){}",
                o.connection_attempts().unwrap_or(0),
                o.connection_timeout().unwrap_or(0),
                read.unwrap_or(0),
                if o.response_completion_timeout.is_some() { ", capped by ResponseCompletionTimeout" } else { "" }
            ),
        });
    }
    if let Some(c) = o.custom() {
        let http_only = c
            .protocol_policy
            .as_ref()
            .and_then(Val::known)
            .is_some_and(|p| p == "http-only");
        let legacy: Vec<&str> = c
            .ssl_protocols
            .iter()
            .map(String::as_str)
            .filter(|p| matches!(*p, "SSLv3" | "TLSv1" | "TLSv1.1"))
            .collect();
        let has_12 = c.ssl_protocols.iter().any(|p| p == "TLSv1.2");
        if !http_only && !c.ssl_protocols.is_empty() && (!has_12 || !legacy.is_empty()) {
            out.push(Risk {
                id: RiskId::OriginSslProtocolsLegacy,
                subject,
                text: if has_12 {
                    format!(
                        "OriginSslProtocols also allows {}: CloudFront may settle for a protocol the origin's security policy refuses, or that is no longer safe; TLSv1.2 alone suits current origins",
                        legacy.join(", ")
                    )
                } else {
                    format!(
                        "OriginSslProtocols allows only {}, not TLSv1.2: an origin that accepts TLS 1.2 and later only (every current ALB, API Gateway and CDN policy) fails the handshake, and CloudFront answers 502",
                        legacy.join(", ")
                    )
                },
            });
        }
    }
}
