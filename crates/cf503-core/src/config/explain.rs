//! A distribution joined to a diagnosis: what the request's route through *this* distribution
//! says about the cause (the function, its version, event and log group in the edge's Region;
//! the origin and its settings; the configured error caching), and the config's risk findings.
//!
//! Values from a config land in commands the user copies: only names made of host-name, function
//! name and id characters are put in a command (a hostile config cannot inject shell syntax);
//! anything else is shown as text and the command left out.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::model::{Form, Origin, OriginType, Val};
use super::risks::{self, Platform, Risk};
use super::routing::{Picked, Route, Target};
use crate::causes::CauseId;
use crate::diagnose::Summary;
use crate::prose::{Part, Prose};

/// One fact about the route, shown beside the response's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigFact {
    /// Label, e.g. `Cache behavior`.
    pub label: &'static str,
    /// Value.
    pub value: String,
    /// Whether the value is a name or id as written in the config (shown in a code face).
    pub code: bool,
}

/// What the config adds to a diagnosis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    /// Which config was used, in words.
    pub source: String,
    /// The route's facts, in order.
    pub facts: Vec<ConfigFact>,
    /// Next steps per cause, to put before the catalogue's.
    pub steps: Vec<(CauseId, Vec<Prose>)>,
    /// The distribution's risk findings.
    pub risks: Vec<Risk>,
    /// The origin the request went to first, when its name can be checked in DNS.
    pub origin_domain: Option<String>,
}

impl Explained {
    /// The steps for a cause (none when the config adds nothing to it).
    pub fn steps_for(&self, cause: CauseId) -> &[Prose] {
        self.steps
            .iter()
            .find(|(c, _)| *c == cause)
            .map_or(&[], |(_, s)| s.as_slice())
    }
}

/// Safe to put in a shell command unquoted: host names, function names, ids, Regions.
fn shell_safe(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        && !s.starts_with('-')
}

/// The start time of a log search: an hour ago, in ms, as a shell expression (time is not an
/// input of the core; the user's shell knows it).
const START_TIME: &str = "$(( $(date +%s) - 3600 ))000";

fn filter_command(region: &str, group: &str, extra: &str) -> String {
    format!(
        "aws logs filter-log-events --region {region} --log-group-name {group} --start-time {START_TIME}{extra}"
    )
}

/// Explains a route for a diagnosis' summary.
pub fn explain(route: &Route<'_>, form: Form, summary: &Summary) -> Explained {
    let d = route.distribution;
    let mut facts = Vec::new();
    let mut fact = |label, value: String, code| facts.push(ConfigFact { label, value, code });
    fact("Config", form.label().to_string(), false);
    let name = match (&d.id, &d.domain_name, &d.label) {
        (Some(id), Some(domain), _) => format!("{id} ({domain})"),
        (Some(id), None, _) => id.clone(),
        (None, Some(domain), _) => domain.clone(),
        (None, None, Some(label)) => label.clone(),
        (None, None, None) => "the distribution in the config".into(),
    };
    fact("Distribution", name, true);
    fact(
        "Matched by",
        match &route.picked {
            Picked::DomainName => "the request's Host is its domain name".into(),
            Picked::Alias(a) => format!("the request's Host is its alternate domain name {a}"),
            Picked::WildcardAlias(a) => {
                format!("the request's Host matches its alternate domain name {a}")
            }
            Picked::OnlyOne => "the only distribution in the config (its names could not be compared with the request's Host)".into(),
        },
        false,
    );
    let behavior = route.behavior;
    fact(
        "Cache behavior",
        if route.by_path {
            format!(
                "{} (path {})",
                behavior.pattern_label(),
                route.path.as_deref().unwrap_or("/")
            )
        } else {
            format!(
                "{} (the request's path is unknown: give the URL for the behaviour it takes)",
                behavior.pattern_label()
            )
        },
        true,
    );
    match &route.target {
        Target::Origin(o) => {
            fact("Origin", origin_line(o), true);
        }
        Target::Group(g, members) => {
            fact(
                "Origin group",
                format!(
                    "{}: {} (fails over on {}; GET, HEAD and OPTIONS only)",
                    g.id,
                    members
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" → "),
                    if g.failover_codes.is_empty() {
                        "no status".into()
                    } else {
                        g.failover_codes
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                true,
            );
            for o in members {
                fact("Origin", origin_line(o), true);
            }
        }
        Target::Missing(id) => {
            fact("Origin", format!("{id} (not defined in this config)"), true);
        }
    }
    if let Some(o) = route.target.first_origin() {
        if let Some(t) = timeouts_line(o) {
            fact("Origin time-outs", t, false);
        }
        if let Some(c) = o.custom()
            && !c.ssl_protocols.is_empty()
        {
            fact("Origin SSL protocols", c.ssl_protocols.join(", "), true);
        }
        if let Some(shield) = &o.origin_shield {
            fact("Origin Shield", shield.shown(), true);
        }
        if !o.custom_header_names.is_empty() {
            fact(
                "Origin custom headers",
                format!("{} (values hidden)", o.custom_header_names.join(", ")),
                true,
            );
        }
    }
    for l in &behavior.lambdas {
        let value = match l.name_and_version() {
            Some((name, version)) => format!(
                "{}: {name}, version {}{}",
                l.event.as_str(),
                version.unwrap_or("unqualified ($LATEST cannot be associated: check the ARN)"),
                if l.include_body {
                    ", body included"
                } else {
                    ""
                }
            ),
            None => format!("{}: {}", l.event.as_str(), l.arn.shown()),
        };
        fact("Lambda@Edge", value, true);
    }
    for f in &behavior.functions {
        fact(
            "CloudFront Function",
            format!(
                "{}: {}",
                f.event.as_str(),
                f.name().map_or_else(|| f.arn.shown(), ToString::to_string)
            ),
            true,
        );
    }
    if let Some(status) = summary.status.filter(|s| (500..600).contains(s)) {
        let value = match d.error_response(status) {
            Some(e) => match &e.min_ttl {
                Some(Val::Known(ttl)) => format!("{ttl} s (custom error response for {status})"),
                Some(Val::Unresolved(expr)) => format!("unresolved in the template: {expr}"),
                None => format!(
                    "{} s (CloudFront's default; the custom error response for {status} sets none)",
                    super::model::defaults::ERROR_CACHING_MIN_TTL
                ),
            },
            None => format!(
                "{} s (CloudFront's default: no custom error response for {status})",
                super::model::defaults::ERROR_CACHING_MIN_TTL
            ),
        };
        fact("Error caching", value, false);
    }

    let origin_domain = origin_to_check(route).filter(|n| shell_safe(n));

    Explained {
        source: form.label().to_string(),
        steps: steps(route, summary, origin_domain.as_deref()),
        risks: risks::risks(d),
        facts,
        origin_domain,
    }
}

/// The origin a route sends the request to first, when its name can be checked in DNS from
/// outside: known (not a template expression), and not a VPC origin (private to its VPC).
pub fn origin_to_check(route: &Route<'_>) -> Option<String> {
    route
        .target
        .first_origin()
        .filter(|o| !matches!(o.kind, OriginType::Vpc { .. }))
        .and_then(|o| o.domain_name.known())
        .cloned()
}

fn origin_line(o: &Origin) -> String {
    let domain = o.domain_name.shown();
    let path = o.path.as_deref().unwrap_or("");
    let kind = match &o.kind {
        OriginType::Custom(c) => {
            let policy = c
                .protocol_policy
                .as_ref()
                .map_or_else(|| "protocol policy unset".into(), Val::shown);
            let port = |p: &Option<Val<u32>>, default: u32| match p {
                Some(Val::Known(n)) => n.to_string(),
                Some(Val::Unresolved(e)) => e.clone(),
                None => default.to_string(),
            };
            let mut s = format!(
                "{}, {policy}, HTTP port {}, HTTPS port {}",
                Platform::of(o).label(),
                port(&c.http_port, 80),
                port(&c.https_port, 443)
            );
            if let Some(ip) = &c.ip_address_type {
                s.push_str(&format!(", IP {ip}"));
            }
            if c.mtls_certificate.is_some() {
                s.push_str(", presents a client certificate (origin mTLS)");
            }
            s
        }
        OriginType::S3 { .. } => "Amazon S3".into(),
        OriginType::Vpc { vpc_origin_id, .. } => format!(
            "VPC origin {} (private: not reachable from outside the VPC)",
            vpc_origin_id.shown()
        ),
        OriginType::Unspecified => "kind not given".into(),
    };
    format!("{}: {domain}{path} ({kind})", o.id)
}

fn timeouts_line(o: &Origin) -> Option<String> {
    let read = o.read_timeout()?;
    let mut s = format!(
        "connect {} s × {} attempts, first byte {read} s",
        o.connection_timeout()?,
        o.connection_attempts()?
    );
    if let Some(k) = o.keepalive_timeout() {
        s.push_str(&format!(", keep-alive {k} s"));
    }
    if let Some(Val::Known(c)) = &o.response_completion_timeout {
        s.push_str(&format!(", response completion {c} s"));
    }
    if let Some(w) = risks::worst_case_wait(o) {
        s.push_str(&format!("; worst case before a 504: {w} s"));
    }
    Some(s)
}

fn steps(route: &Route<'_>, summary: &Summary, origin: Option<&str>) -> Vec<(CauseId, Vec<Prose>)> {
    use CauseId::*;
    let mut out = Vec::new();
    let region = summary.lambda_region.filter(|r| shell_safe(r));
    let behavior = route.behavior;
    let d = route.distribution;

    // Lambda@Edge: the function's own log group, in the Region of the edge that ran it.
    let mut lambda = Vec::new();
    for l in &behavior.lambdas {
        let Some((name, version)) = l.name_and_version() else {
            lambda.push(Prose(alloc::vec![
                Part::Text(format!("The {} function's ARN is ", l.event.as_str())),
                Part::Code(l.arn.shown()),
                Part::Text(": read the deployed config (`aws cloudfront get-distribution-config`) for the function and version.".into()),
            ]));
            continue;
        };
        if !shell_safe(name) {
            continue;
        }
        let group = format!("/aws/lambda/us-east-1.{name}");
        let mut p = Prose(alloc::vec![
            Part::Text(format!("{} function ", l.event.as_str())),
            Part::Code(name.into()),
        ]);
        if let Some(v) = version {
            p.push(Part::Text(" version ".into()));
            p.push(Part::Code(v.into()));
        }
        if l.include_body {
            p.push(Part::Text(" (IncludeBody: it gets the request body, truncated beyond 40 KB for viewer-request and 1 MB for origin-request triggers)".into()));
        }
        match region {
            Some(r) => {
                p.push(Part::Text(format!(": its log lines are in {r}, the Region of the edge location that ran it, log group ")));
                p.push(Part::Code(group.clone()));
                p.push(Part::Text(":".into()));
                p.push(Part::Command(filter_command(r, &group, "")));
            }
            None => {
                p.push(Part::Text(": its log lines are in the Region nearest the edge location that ran it, log group ".into()));
                p.push(Part::Code(group.clone()));
                p.push(Part::Text(
                    "; the edge location is unknown, so ask every Region:".into(),
                ));
                p.push(Part::Command(format!(
                    "for r in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do echo \"$r\"; {}; done",
                    filter_command("\"$r\"", &group, " --max-items 5")
                )));
            }
        }
        lambda.push(p);
    }
    if behavior.lambdas.is_empty() {
        let elsewhere: Vec<&str> = d
            .behaviors_in_order()
            .filter(|b| !b.lambdas.is_empty())
            .map(super::model::Behavior::pattern_label)
            .collect();
        let mut p = Prose::text(format!(
            "The cache behaviour {} has no Lambda@Edge function",
            behavior.pattern_label()
        ));
        if elsewhere.is_empty() {
            p.push(Part::Text(": neither has any behaviour of this config. Is it the deployed one (`aws cloudfront get-distribution-config`)?".into()));
        } else {
            p.push(Part::Text(format!(
                "; {} {}: is the request's path the one that failed?",
                if elsewhere.len() == 1 {
                    "this one has:"
                } else {
                    "these have:"
                },
                elsewhere.join(", ")
            )));
        }
        lambda.push(p);
    } else if behavior.lambdas.len() > 1 {
        lambda.push(Prose::text(
            "Which of these functions failed is in the log lines: each log group holds its own function's errors.",
        ));
    }
    let mut invalid = lambda.clone();
    if let Some(id) = d.id.as_deref().filter(|i| shell_safe(i)) {
        let group = format!("/aws/cloudfront/LambdaEdge/{id}");
        let mut p =
            Prose::text("CloudFront writes what failed validation (with the request id) to ");
        p.push(Part::Code(group.clone()));
        match region {
            Some(r) => {
                p.push(Part::Text(format!(" in {r}:")));
                p.push(Part::Command(filter_command(r, &group, "")));
            }
            None => p.push(Part::Text(
                ", in the Region nearest the edge location.".into(),
            )),
        }
        invalid.insert(0, p);
    }
    out.push((LambdaEdgeExecution, lambda.clone()));
    out.push((LambdaEdgeThrottled, lambda));
    out.push((LambdaEdgeInvalid, invalid));

    // CloudFront Functions: their logs are in us-east-1 whatever the edge.
    let mut functions = Vec::new();
    for f in &behavior.functions {
        let Some(name) = f.name().filter(|n| shell_safe(n)) else {
            continue;
        };
        let group = format!("/aws/cloudfront/function/{name}");
        let mut p = Prose(alloc::vec![
            Part::Text(format!("{} CloudFront Function ", f.event.as_str())),
            Part::Code(name.into()),
            Part::Text(": its log lines are in us-east-1, log group ".into()),
            Part::Code(group.clone()),
            Part::Text(":".into()),
        ]);
        p.push(Part::Command(filter_command("us-east-1", &group, "")));
        functions.push(p);
    }
    if behavior.functions.is_empty() {
        functions.push(Prose::text(format!(
            "The cache behaviour {} has no CloudFront Function: is the request's path the one that failed, and the config the deployed one?",
            behavior.pattern_label()
        )));
    }
    out.push((CloudFrontFunctionError, functions));

    // Origin causes: which origin, and its name in a ready command.
    if let Some(o) = route.target.first_origin() {
        let mut base = Prose::text("The request went to origin ");
        base.push(Part::Code(o.id.clone()));
        base.push(Part::Text(" at ".into()));
        base.push(Part::Code(o.domain_name.shown()));
        base.push(Part::Text(".".into()));
        if let OriginType::Vpc { .. } = o.kind {
            base.push(Part::Text(" It is a VPC origin: CloudFront reaches it inside the VPC, so checks from outside (DNS, TLS) do not show what CloudFront sees.".into()));
        }
        let with = |extra: Option<Prose>| {
            let mut v = alloc::vec![base.clone()];
            v.extend(extra);
            v
        };
        let dns = origin.map(|n| {
            let mut p = Prose::text("Check its DNS as CloudFront resolves it:");
            p.push(Part::Command(format!("cf503 dns {n}")));
            p
        });
        let tls = origin.map(|n| {
            let port = o
                .custom()
                .and_then(|c| c.https_port.as_ref())
                .and_then(Val::known)
                .copied()
                .unwrap_or(443);
            let mut p = Prose::text(
                "See the certificate and protocols it offers for the name CloudFront sends:",
            );
            p.push(Part::Command(format!(
                "openssl s_client -connect {n}:{port} -servername {n} -tls1_2 </dev/null"
            )));
            p
        });
        let timing = o.read_timeout().map(|read| {
            Prose::text(format!(
                "CloudFront waits {read} s for its first byte, {} attempt(s); an origin slower than that gets a 504, however healthy.",
                o.connection_attempts().unwrap_or(1)
            ))
        });
        out.push((OriginDns, with(dns.clone())));
        out.push((OriginConnect, with(dns)));
        out.push((OriginTls, with(tls.clone())));
        let mtls = match o.custom().and_then(|c| c.mtls_certificate.as_ref()) {
            Some(cert) => {
                let mut p = Prose::text("CloudFront presents the client certificate ");
                p.push(Part::Code(cert.shown()));
                p.push(Part::Text(" to this origin (OriginMtlsConfig): check it against the origin's trust store and its validity dates.".into()));
                p
            }
            None => Prose::text(
                "This origin has no OriginMtlsConfig in the config: CloudFront presents no client certificate to it, so mutual TLS is not the cause, unless the config is not the deployed one.",
            ),
        };
        let mut mtls_steps = with(tls);
        mtls_steps.insert(1, mtls);
        out.push((OriginMtls, mtls_steps));
        out.push((OriginTimeout, with(timing)));
        out.push((OriginOverloaded, with(None)));
        out.push((OriginInvalidResponse, with(None)));
    }
    out.retain(|(_, s)| !s.is_empty());
    out
}
