//! The distribution as cf503 reads it: the parts of a CloudFront distribution's configuration
//! that decide where a request goes and how it can fail (origins, origin groups, cache behaviours
//! and their function associations, custom error responses). Every reader (API JSON or XML,
//! CloudFormation, Terraform) fills the same types, so one distribution written in four forms
//! reads to one equal value.
//!
//! What the model never holds: the *values* of origin custom headers (often the shared secret that
//! locks an origin to CloudFront): readers keep their names only, so no report can show them.

use alloc::string::String;
use alloc::vec::Vec;

/// A setting as the config gives it: a value, or an expression a template leaves to deploy time
/// (CloudFormation's `Ref`, `Fn::GetAtt`, …), which cf503 shows as written and never guesses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Val<T> {
    /// The value.
    Known(T),
    /// Unresolved: the expression, e.g. `Ref AuthFunctionVersion`.
    Unresolved(String),
}

impl<T> Val<T> {
    /// The value, when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Val::Known(v) => Some(v),
            Val::Unresolved(_) => None,
        }
    }
}

impl Val<String> {
    /// The value, or the expression in words (`unresolved: Ref X`).
    pub fn shown(&self) -> String {
        match self {
            Val::Known(v) => v.clone(),
            Val::Unresolved(e) => alloc::format!("unresolved in the template: {e}"),
        }
    }
}

/// Which form the configuration came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Form {
    /// `aws cloudfront get-distribution-config` (JSON).
    ApiConfigJson,
    /// `aws cloudfront get-distribution` (JSON).
    ApiDistributionJson,
    /// `aws cloudfront list-distributions` (JSON).
    ApiListJson,
    /// The API's `DistributionConfig` XML document.
    ApiConfigXml,
    /// The API's `Distribution` XML document.
    ApiDistributionXml,
    /// The API's `DistributionList` XML document.
    ApiListXml,
    /// A CloudFormation (or `cdk synth`) template in JSON.
    CloudFormation,
    /// `terraform show -json` (state or plan).
    Terraform,
}

impl Form {
    /// In words, for the report's "which config was used".
    pub fn label(self) -> &'static str {
        match self {
            Form::ApiConfigJson => "aws cloudfront get-distribution-config (JSON)",
            Form::ApiDistributionJson => "aws cloudfront get-distribution (JSON)",
            Form::ApiListJson => "aws cloudfront list-distributions (JSON)",
            Form::ApiConfigXml => "CloudFront API DistributionConfig (XML)",
            Form::ApiDistributionXml => "CloudFront API Distribution (XML)",
            Form::ApiListXml => "CloudFront API DistributionList (XML)",
            Form::CloudFormation => "CloudFormation template (AWS::CloudFront::Distribution)",
            Form::Terraform => "terraform show -json (aws_cloudfront_distribution)",
        }
    }
}

/// One distribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// How the source names it: the distribution id (`E1AUTH…`), the template's logical id, or
    /// the Terraform address.
    pub label: Option<String>,
    /// `Id` (`E…`), when the form carries it.
    pub id: Option<String>,
    /// `DomainName` (`d111111abcdef8.cloudfront.net`), when the form carries it.
    pub domain_name: Option<String>,
    /// Alternate domain names (CNAMEs), lower case, sorted.
    pub aliases: Vec<Val<String>>,
    /// Origins, by id.
    pub origins: Vec<Origin>,
    /// Origin groups, by id.
    pub origin_groups: Vec<OriginGroup>,
    /// The default cache behaviour (`*`, matched last).
    pub default_behavior: Behavior,
    /// The other cache behaviours, in the order CloudFront evaluates them.
    pub behaviors: Vec<Behavior>,
    /// Custom error responses, by status.
    pub error_responses: Vec<ErrorResponse>,
    /// An Anycast static IP list: viewers reach the BGP-nearest edge whatever DNS says.
    pub anycast_ip_list: Option<String>,
}

/// One origin.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// `Id`, what behaviours and groups name.
    pub id: String,
    /// `DomainName`.
    pub domain_name: Val<String>,
    /// `OriginPath`, when not empty.
    pub path: Option<String>,
    /// What kind, with its settings.
    pub kind: OriginType,
    /// `ConnectionAttempts` (1–3; CloudFront's default 3).
    pub connection_attempts: Option<Val<u32>>,
    /// `ConnectionTimeout` in seconds (1–10; default 10).
    pub connection_timeout: Option<Val<u32>>,
    /// `ResponseCompletionTimeout` in seconds (≥ the read time-out), when set.
    pub response_completion_timeout: Option<Val<u32>>,
    /// Origin Shield's Region, when Origin Shield is on.
    pub origin_shield: Option<Val<String>>,
    /// The names of the custom headers CloudFront adds. Their values are never read.
    pub custom_header_names: Vec<String>,
}

/// The kind of an origin and its kind's settings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OriginType {
    /// `CustomOriginConfig`: any HTTP server (ALB, API Gateway, a Function URL, …).
    Custom(CustomOrigin),
    /// `S3OriginConfig` (or an S3 REST endpoint with origin access control).
    S3 {
        /// `S3OriginConfig.OriginReadTimeout`, when set.
        read_timeout: Option<Val<u32>>,
    },
    /// `VpcOriginConfig`: a private ALB, NLB or instance reached through a VPC origin.
    Vpc {
        /// `VpcOriginId`.
        vpc_origin_id: Val<String>,
        /// `OriginReadTimeout`.
        read_timeout: Option<Val<u32>>,
        /// `OriginKeepaliveTimeout`.
        keepalive_timeout: Option<Val<u32>>,
    },
    /// None of the three was given.
    Unspecified,
}

/// `CustomOriginConfig`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct CustomOrigin {
    /// `HTTPPort`.
    pub http_port: Option<Val<u32>>,
    /// `HTTPSPort`.
    pub https_port: Option<Val<u32>>,
    /// `OriginProtocolPolicy`: `http-only`, `https-only`, `match-viewer`.
    pub protocol_policy: Option<Val<String>>,
    /// `OriginSslProtocols` (`TLSv1.2`, `TLSv1.1`, `TLSv1`, `SSLv3`), sorted.
    pub ssl_protocols: Vec<String>,
    /// `OriginReadTimeout` in seconds (default 30).
    pub read_timeout: Option<Val<u32>>,
    /// `OriginKeepaliveTimeout` in seconds (default 5).
    pub keepalive_timeout: Option<Val<u32>>,
    /// `IpAddressType`: `ipv4`, `ipv6`, `dualstack`.
    pub ip_address_type: Option<String>,
    /// `OriginMtlsConfig.ClientCertificateArn`: CloudFront presents a client certificate.
    pub mtls_certificate: Option<Val<String>>,
}

/// One origin group (failover).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OriginGroup {
    /// `Id`, what behaviours name.
    pub id: String,
    /// `FailoverCriteria.StatusCodes`, sorted.
    pub failover_codes: Vec<u16>,
    /// Member origin ids, primary first.
    pub members: Vec<String>,
    /// `SelectionCriteria` is `media-quality-based` (not the default).
    pub media_quality_based: bool,
}

/// One cache behaviour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Behavior {
    /// `PathPattern`; `None` for the default behaviour.
    pub path_pattern: Option<String>,
    /// `TargetOriginId`: an origin or an origin group.
    pub target: String,
    /// `ViewerProtocolPolicy`.
    pub viewer_protocol_policy: Option<String>,
    /// `AllowedMethods`, upper case, sorted.
    pub allowed_methods: Vec<String>,
    /// Lambda@Edge associations, in event order.
    pub lambdas: Vec<LambdaAssociation>,
    /// CloudFront Functions associations, in event order.
    pub functions: Vec<FunctionAssociation>,
}

impl Behavior {
    /// The pattern as the console shows it (`Default (*)` for the default behaviour).
    pub fn pattern_label(&self) -> &str {
        self.path_pattern.as_deref().unwrap_or("Default (*)")
    }
}

/// Where in a request's life a function runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    /// `viewer-request`.
    ViewerRequest,
    /// `origin-request`.
    OriginRequest,
    /// `origin-response`.
    OriginResponse,
    /// `viewer-response`.
    ViewerResponse,
}

impl EventType {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ViewerRequest => "viewer-request",
            EventType::OriginRequest => "origin-request",
            EventType::OriginResponse => "origin-response",
            EventType::ViewerResponse => "viewer-response",
        }
    }

    /// From the API's (or Terraform's) name, any case.
    pub fn parse(s: &str) -> Option<Self> {
        [
            EventType::ViewerRequest,
            EventType::OriginRequest,
            EventType::OriginResponse,
            EventType::ViewerResponse,
        ]
        .into_iter()
        .find(|e| e.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// A Lambda@Edge association.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaAssociation {
    /// When it runs.
    pub event: EventType,
    /// `LambdaFunctionARN`, with its version.
    pub arn: Val<String>,
    /// `IncludeBody`.
    pub include_body: bool,
}

impl LambdaAssociation {
    /// The function's name and version from its ARN
    /// (`arn:aws:lambda:us-east-1:123456789012:function:auth:7` → `auth`, `7`).
    pub fn name_and_version(&self) -> Option<(&str, Option<&str>)> {
        let arn = self.arn.known()?;
        let rest = arn.split(":function:").nth(1)?;
        let mut parts = rest.splitn(2, ':');
        let name = parts.next().filter(|n| !n.is_empty())?;
        Some((name, parts.next().filter(|v| !v.is_empty())))
    }
}

/// A CloudFront Functions association.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionAssociation {
    /// When it runs (viewer-request or viewer-response).
    pub event: EventType,
    /// `FunctionARN`.
    pub arn: Val<String>,
}

impl FunctionAssociation {
    /// The function's name (`arn:aws:cloudfront::123456789012:function/rewrite` → `rewrite`).
    pub fn name(&self) -> Option<&str> {
        let arn = self.arn.known()?;
        arn.rsplit_once(":function/")
            .map(|(_, n)| n)
            .filter(|n| !n.is_empty())
    }
}

/// A custom error response.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ErrorResponse {
    /// `ErrorCode`: the origin's (or CloudFront's) status it applies to.
    pub code: u16,
    /// `ErrorCachingMinTTL` in seconds (CloudFront's default 10).
    pub min_ttl: Option<Val<u64>>,
    /// `ResponseCode` sent to viewers instead, when set.
    pub response_code: Option<u16>,
    /// `ResponsePagePath`, when set.
    pub page_path: Option<String>,
}

/// CloudFront's documented defaults, used where a config leaves a setting out (source
/// `cf-origin-settings` in docs/sources.md).
pub mod defaults {
    /// `OriginReadTimeout` (seconds).
    pub const READ_TIMEOUT: u32 = 30;
    /// `OriginKeepaliveTimeout` (seconds).
    pub const KEEPALIVE_TIMEOUT: u32 = 5;
    /// `ConnectionAttempts`.
    pub const CONNECTION_ATTEMPTS: u32 = 3;
    /// `ConnectionTimeout` (seconds).
    pub const CONNECTION_TIMEOUT: u32 = 10;
    /// `ErrorCachingMinTTL` (seconds) when no custom error response names the status.
    pub const ERROR_CACHING_MIN_TTL: u64 = 10;
}

impl Origin {
    /// The read time-out in force: the configured one, or CloudFront's default.
    pub fn read_timeout(&self) -> Option<u32> {
        let set = match &self.kind {
            OriginType::Custom(c) => c.read_timeout.as_ref(),
            OriginType::Vpc { read_timeout, .. } | OriginType::S3 { read_timeout } => {
                read_timeout.as_ref()
            }
            OriginType::Unspecified => None,
        };
        known_or(set, defaults::READ_TIMEOUT)
    }

    /// The keep-alive time-out in force (custom and VPC origins).
    pub fn keepalive_timeout(&self) -> Option<u32> {
        match &self.kind {
            OriginType::Custom(c) => {
                known_or(c.keepalive_timeout.as_ref(), defaults::KEEPALIVE_TIMEOUT)
            }
            OriginType::Vpc {
                keepalive_timeout, ..
            } => known_or(keepalive_timeout.as_ref(), defaults::KEEPALIVE_TIMEOUT),
            _ => None,
        }
    }

    /// Connection attempts in force.
    pub fn connection_attempts(&self) -> Option<u32> {
        known_or(
            self.connection_attempts.as_ref(),
            defaults::CONNECTION_ATTEMPTS,
        )
    }

    /// Connection time-out in force (seconds).
    pub fn connection_timeout(&self) -> Option<u32> {
        known_or(
            self.connection_timeout.as_ref(),
            defaults::CONNECTION_TIMEOUT,
        )
    }

    /// The custom origin settings, when it is one.
    pub fn custom(&self) -> Option<&CustomOrigin> {
        match &self.kind {
            OriginType::Custom(c) => Some(c),
            _ => None,
        }
    }
}

/// A configured value, CloudFront's default when absent, `None` when unresolved.
fn known_or(v: Option<&Val<u32>>, default: u32) -> Option<u32> {
    match v {
        None => Some(default),
        Some(Val::Known(n)) => Some(*n),
        Some(Val::Unresolved(_)) => None,
    }
}

impl Distribution {
    /// The origin with this id.
    pub fn origin(&self, id: &str) -> Option<&Origin> {
        self.origins.iter().find(|o| o.id == id)
    }

    /// The origin group with this id.
    pub fn group(&self, id: &str) -> Option<&OriginGroup> {
        self.origin_groups.iter().find(|g| g.id == id)
    }

    /// Every behaviour, the default last (CloudFront's evaluation order).
    pub fn behaviors_in_order(&self) -> impl Iterator<Item = &Behavior> {
        self.behaviors
            .iter()
            .chain(core::iter::once(&self.default_behavior))
    }

    /// The custom error response for a status.
    pub fn error_response(&self, status: u16) -> Option<&ErrorResponse> {
        self.error_responses.iter().find(|e| e.code == status)
    }

    /// Sorts what has no order in CloudFront (origins, groups, aliases, error responses), so the
    /// same distribution read from any form is equal.
    pub(crate) fn normalise(&mut self) {
        self.origins.sort();
        self.origin_groups.sort();
        self.aliases.sort();
        self.aliases.dedup();
        self.error_responses.sort();
    }
}
