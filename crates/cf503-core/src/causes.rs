//! The cause catalogue: data, not code. Ids are stable across JSON, UI and tests: extend the
//! catalogue, never rename an id.
//!
//! Steps are templates: `{pop}`, `{pop_city}`, `{region}`, `{region_name}`, `{request_id}`,
//! `{status}`, `{server}` are filled from what was observed; a step whose placeholders cannot be
//! filled, or whose condition does not hold, is left out. Sources: `docs/sources.md`.

use crate::signals::OriginKind;

/// A cause of a CloudFront error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum CauseId {
    /// The origin itself answered 503 (or another 5xx): overloaded or unavailable.
    OriginOverloaded,
    /// CloudFront could not resolve the origin's domain name.
    OriginDns,
    /// The edge location lacked capacity.
    EdgeCapacity,
    /// A CloudFront quota was exceeded (`LimitExceeded`).
    CloudFrontQuota,
    /// The Lambda@Edge function is invalid (validation error, bad association).
    LambdaEdgeInvalid,
    /// The Lambda@Edge function failed while running.
    LambdaEdgeExecution,
    /// The Lambda@Edge function was throttled.
    LambdaEdgeThrottled,
    /// A CloudFront Function failed or is throttled.
    CloudFrontFunctionError,
    /// CloudFront could not connect to the origin.
    OriginConnect,
    /// The TLS handshake with the origin failed.
    OriginTls,
    /// The origin timed out.
    OriginTimeout,
    /// Mutual TLS to the origin failed.
    OriginMtls,
    /// The origin sent an invalid response.
    OriginInvalidResponse,
    /// An error of the CloudFront management API, not a viewer response.
    CloudFrontApi,
    /// The response did not come through CloudFront.
    NotCloudFront,
    /// The evidence does not say.
    Unknown,
}

/// When a step applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// The origin is of this kind.
    Origin(OriginKind),
    /// The origin's kind is not known, or is a generic server.
    GenericOrigin,
}

/// One next step.
#[derive(Debug)]
pub struct Step {
    /// When it applies.
    pub when: When,
    /// Template text (Markdown-flavoured: back-ticks mark commands and names).
    pub text: &'static str,
}

/// A catalogue entry.
#[derive(Debug)]
pub struct Cause {
    /// Stable id.
    pub id: CauseId,
    /// The stable machine name, e.g. `origin_overloaded`.
    pub name: &'static str,
    /// Short title.
    pub title: &'static str,
    /// The one question whose answer tells this cause from the others a response can look
    /// like (shown beside it when it is an alternative).
    pub question: &'static str,
    /// What it means, in a sentence or two.
    pub meaning: &'static str,
    /// Next steps.
    pub steps: &'static [Step],
    /// Documentation links.
    pub docs: &'static [&'static str],
    /// What the logs report tells to do about its errors.
    pub logs: LogsSteps,
}

/// Where a cause's errors in access logs lead: the logs report's next steps for it. Every
/// cause states one (a new cause cannot silently get another's steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogsSteps {
    /// An edge function's own logs, in the Region nearest each edge location that logged it
    /// (Lambda@Edge): the log groups to search, by Region.
    EdgeFunctionLogs {
        /// Throttled: the concurrency metrics and quota, not a log search.
        throttled: bool,
    },
    /// CloudFront Functions: their log group and metrics in us-east-1.
    FunctionLogsInUsEast1,
    /// Nothing to read on the customer's side: what AWS Support needs (edge locations, window,
    /// request ids).
    AwsSupport,
    /// The origin's domain, checked at every name server.
    OriginDns,
    /// The origin's own logs and metrics, by the request ids it received.
    OriginLogs,
}

const fn s(text: &'static str) -> Step {
    Step {
        when: When::Always,
        text,
    }
}

const fn on(kind: OriginKind, text: &'static str) -> Step {
    Step {
        when: When::Origin(kind),
        text,
    }
}

const D503: &str = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-503-service-unavailable.html";
const D502: &str =
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html";
const D504: &str = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-504-gateway-timeout.html";
const DEFL: &str =
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html";
const DLT: &str =
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/load-testing.html";
const DLOG: &str = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html";
const DQUOTA: &str =
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html";

/// The catalogue, in a fixed order (also the tie-break order of the ranking).
pub static CATALOGUE: &[Cause] = &[
    Cause {
        id: CauseId::OriginOverloaded,
        name: "origin_overloaded",
        title: "The origin is overloaded or unavailable",
        question: "Do the origin's own logs and metrics show errors or saturation (5xx, queueing, no healthy targets) at that minute?",
        meaning: "CloudFront reached the origin and passed on the error the origin answered with. The problem is at the origin, not at CloudFront.",
        steps: &[
            s(
                "Look at the origin's own logs and metrics for the time of the error; the origin answered {status} itself (`Server: {server}`).",
            ),
            on(
                OriginKind::S3,
                "Amazon S3 answers 503 `SlowDown` above about 3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second per key prefix, and during sudden spikes while it scales: spread keys over more prefixes, retry with exponential back-off, and raise cache TTLs so CloudFront forwards fewer requests.",
            ),
            on(
                OriginKind::S3,
                "Check the bucket's `5xxErrors` request metric and the S3 server access logs for `503 SlowDown`.",
            ),
            on(
                OriginKind::ApplicationLoadBalancer,
                "An Application Load Balancer answers 503 itself when the target group has no registered (or no in-use) targets or a rule forwards to an empty target group: run `aws elbv2 describe-target-health --target-group-arn <arn>` and check the `HTTPCode_ELB_503_Count` metric. (If all targets are unhealthy the ALB fails open and sends to them anyway.)",
            ),
            on(
                OriginKind::ClassicLoadBalancer,
                "A Classic Load Balancer answers 503 when no instance is healthy, no instance is in an enabled Availability Zone, or its surge queue is full: check `HealthyHostCount`, `SurgeQueueLength` (at most 1,024) and `SpilloverCount`.",
            ),
            on(
                OriginKind::ApiGateway,
                "API Gateway answers 503 when the backend integration cannot respond (overloaded or in maintenance): check the integration's logs and the API's `5XXError` and `IntegrationLatency` metrics; `x-amzn-ErrorType` names the gateway response.",
            ),
            on(
                OriginKind::LambdaFunctionUrl,
                "A Lambda function URL answers 503 when the function is throttled or unavailable: check the function's `Throttles` and `ConcurrentExecutions` metrics and its reserved concurrency.",
            ),
            on(
                OriginKind::Heroku,
                "Heroku's router answered: run `heroku logs --tail` and look for the H-code (H10 app crashed, H12 request timeout, H13 connection closed).",
            ),
            on(
                OriginKind::Nginx,
                "nginx answers 503 for `limit_req`/`limit_conn` rejections, upstreams marked down, or a maintenance `return 503`: check its error log.",
            ),
            on(
                OriginKind::Apache,
                "Apache httpd answers 503 when `MaxRequestWorkers` is reached or a mod_proxy backend is down: check its error log and worker usage (mod_status).",
            ),
            on(
                OriginKind::Iis,
                "IIS/HTTP.sys answers 503 when the application pool is stopped or has crashed (rapid-fail protection): check the pool's state and the HTTPERR log.",
            ),
            on(
                OriginKind::Envoy,
                "Envoy answers 503 `no healthy upstream` when no endpoint of the cluster is healthy, or when a circuit breaker trips: check the cluster's endpoint health and `upstream_rq_pending_overflow`.",
            ),
            Step {
                when: When::GenericOrigin,
                text: "For a custom origin (EC2 or your own servers): check CPU, memory, open connections and the application's worker pool; a larger instance type, or more instances behind a load balancer, adds capacity.",
            },
            s(
                "Cache more at CloudFront (longer TTLs, Origin Shield) so fewer requests reach the origin, and consider an origin group that fails over to a second origin on 503.",
            ),
        ],
        docs: &[
            D503,
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html",
        ],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::OriginDns,
        name: "origin_dns",
        title: "CloudFront cannot resolve the origin's domain name",
        question: "Does every name server of the origin's domain answer for it (cf503 dns ORIGIN_DOMAIN)?",
        meaning: "CloudFront resolves the origin's name with public DNS and got no usable answer. Today this is shown as 502 (`OriginDnsError`, error code `NonS3OriginDnsError`); before 2019 it was a 503.",
        steps: &[
            s("Find the zone's name servers: `dig <apex-domain> NS +short`."),
            s(
                "Ask each of them for the origin's name: `dig <origin-domain> @<name-server>`. Every server must answer authoritatively (the `aa` flag) with the same addresses; a server that times out, refuses, or answers without `aa` breaks resolution for some of CloudFront's resolvers.",
            ),
            s(
                "For a delegated subdomain, compare the parent zone's NS records with the zone's own NS set, and the SOA serial at every name server.",
            ),
            s(
                "Check through a public resolver with and without DNSSEC checking: `dig <origin-domain> @1.1.1.1` and `dig +cd <origin-domain> @1.1.1.1`; SERVFAIL only without `+cd` means broken DNSSEC.",
            ),
        ],
        docs: &[D502, D503],
        logs: LogsSteps::OriginDns,
    },
    Cause {
        id: CauseId::EdgeCapacity,
        name: "edge_capacity",
        title: "The edge location ran out of capacity",
        question: "Does the same URL fail through other edge locations too, or only through this one?",
        meaning: "The CloudFront edge location that took the request lacked the resources to serve it and could not send it to another location. This is on CloudFront's side, and often seen during load tests.",
        steps: &[
            s("The request was served by edge location `{pop}` ({pop_city})."),
            s(
                "If this happened during a load test: follow CloudFront's load-testing guidance. Send requests from several geographic Regions, let every client resolve DNS itself and spread over all the IP addresses returned (never pin one IP), and ramp up gradually. Load tests are not allowed on behaviours with viewer-side Lambda@Edge or on origins with Origin Shield.",
            ),
            s(
                "If it happens in production, open an AWS Support case with the request id `{request_id}`, the edge location `{pop}` and the time.",
            ),
            s(
                "Standard logs record these requests with `x-edge-result-type` = `CapacityExceeded`.",
            ),
        ],
        docs: &[D503, DLT, DLOG],
        logs: LogsSteps::AwsSupport,
    },
    Cause {
        id: CauseId::CloudFrontQuota,
        name: "cloudfront_quota",
        title: "A CloudFront quota was exceeded",
        question: "Is the distribution near a CloudFront quota (requests per second, data transfer rate) in Service Quotas?",
        meaning: "CloudFront refused the request because a quota of the distribution was exceeded (`LimitExceeded`). Default quotas are 250,000 requests per second and 150 Gbps per distribution.",
        steps: &[
            s(
                "Check the distribution's `Requests` and `BytesDownloaded` metrics (us-east-1) around the time of the error.",
            ),
            s(
                "Request a higher quota in Service Quotas (CloudFront) or through AWS Support, with the request id `{request_id}`.",
            ),
        ],
        docs: &[DQUOTA, DLOG],
        logs: LogsSteps::AwsSupport,
    },
    Cause {
        id: CauseId::LambdaEdgeInvalid,
        name: "lambda_edge_invalid",
        title: "The Lambda@Edge function is invalid or its response failed validation",
        question: "Does the function's CloudFront log group in the edge location's Region show a validation error for this request?",
        meaning: "CloudFront rejected what a Lambda@Edge function returned (invalid JSON, a read-only or disallowed header, a body over 40 KB for viewer or 1 MB for origin triggers), or the function's association or role is not valid. Current distributions report validation errors as 502; older ones showed 503.",
        steps: &[
            s(
                "CloudFront writes validation errors to the log group `/aws/cloudfront/LambdaEdge/<DistributionId>` in the Region where the function ran, most likely {region} ({region_name}), nearest to edge location `{pop}`: https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logsV2:log-groups",
            ),
            s("Search the entries for the request id `{request_id}`."),
            s(
                "Check the association: it must name a numbered version (not `$LATEST`) of a function in us-east-1, whose role can be assumed by `lambda.amazonaws.com` and `edgelambda.amazonaws.com`.",
            ),
            s(
                "Check the `LambdaValidationError` metric (namespace `AWS/CloudFront`, `Region=Global`, read in us-east-1).",
            ),
        ],
        docs: &[D502, D503, DEFL],
        logs: LogsSteps::EdgeFunctionLogs { throttled: false },
    },
    Cause {
        id: CauseId::LambdaEdgeExecution,
        name: "lambda_edge_execution",
        title: "The Lambda@Edge function failed while running",
        question: "Does the function's own log show an error or a time-out for this request?",
        meaning: "A Lambda@Edge function of this cache behaviour did not complete: an unhandled exception, a timeout (5 s for viewer, 30 s for origin triggers), a malformed association or an AWS dependency issue. Despite the error page's wording, this is rarely a permissions problem.",
        steps: &[
            s(
                "Lambda@Edge writes the function's logs in the Region where it ran, most likely {region} ({region_name}), the Region with a regional edge cache nearest to edge location `{pop}` ({pop_city}). Open the log group `/aws/lambda/us-east-1.<FunctionName>` there: https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logsV2:log-groups",
            ),
            s(
                "If the log group is not there, find the Region that has it: `for r in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do aws logs describe-log-groups --region $r --log-group-name-prefix /aws/lambda/us-east-1. --query 'logGroups[].logGroupName' --output text; done`",
            ),
            s(
                "Search the log streams for the request id `{request_id}`; look for `Task timed out`, unhandled exceptions and module-format errors.",
            ),
            s(
                "Check the `LambdaExecutionError` metric (namespace `AWS/CloudFront`, `Region=Global`, read in us-east-1), and test the function in the Lambda console with a CloudFront event for this path.",
            ),
        ],
        docs: &[D503, DEFL, DLOG],
        logs: LogsSteps::EdgeFunctionLogs { throttled: false },
    },
    Cause {
        id: CauseId::LambdaEdgeThrottled,
        name: "lambda_edge_throttled",
        title: "The Lambda@Edge function was throttled",
        question: "Did the function's Throttles metric rise in the Region of this edge location?",
        meaning: "Lambda throttled the Lambda@Edge invocation: the Region's concurrency quota (1,000 by default) or request-rate quota (10,000 per second) was reached.",
        steps: &[
            s(
                "Throttling is per Region: look at the function's `Throttles` and `ConcurrentExecutions` metrics in {region} ({region_name}), the Region nearest to edge location `{pop}` ({pop_city}).",
            ),
            s(
                "Request a higher concurrency quota for that Region in Service Quotas (AWS Lambda); move work out of viewer triggers where possible, and cache responses so fewer requests invoke the function.",
            ),
            s(
                "The `LambdaLimitExceededErrors` metric (namespace `AWS/CloudFront`, read in us-east-1) counts these errors.",
            ),
        ],
        docs: &[D503, DQUOTA],
        logs: LogsSteps::EdgeFunctionLogs { throttled: true },
    },
    Cause {
        id: CauseId::CloudFrontFunctionError,
        name: "cloudfront_function_error",
        title: "A CloudFront Function failed or is throttled",
        question: "Does the function fail in TestFunction, or do FunctionExecutionErrors or FunctionThrottles rise?",
        meaning: "A CloudFront Function of this cache behaviour threw an error or returned an invalid event object, or is throttled because it exceeded its compute budget, failed to compile, or saw unusually high request rates.",
        steps: &[
            s(
                "Test the function with this request's event: `aws cloudfront test-function --name <FunctionName> --if-match <ETag> --event-object fileb://event.json`; `FunctionErrorMessage` says what failed.",
            ),
            s(
                "Its `console.log` output is in us-east-1, log group `/aws/cloudfront/function/<FunctionName>`; lines start with the request id `{request_id}`.",
            ),
            s(
                "Check `FunctionExecutionErrors`, `FunctionThrottles` and `FunctionComputeUtilization` (us-east-1, dimension `FunctionName`). A throttle can persist for minutes after a fixed function is published.",
            ),
        ],
        docs: &[D503, DEFL],
        logs: LogsSteps::FunctionLogsInUsEast1,
    },
    Cause {
        id: CauseId::OriginConnect,
        name: "origin_connect",
        title: "CloudFront could not connect to the origin",
        question: "Does the origin accept a connection on the port and protocol CloudFront uses (HTTPS on 443 unless set otherwise)?",
        meaning: "CloudFront's connection to the origin was refused, reset or closed before a response (wrong port, server down, firewall).",
        steps: &[
            s(
                "Check that the origin listens on the HTTP/HTTPS port configured in the distribution's origin settings.",
            ),
            s(
                "Allow CloudFront's origin-facing addresses in security groups and firewalls (managed prefix list `com.amazonaws.global.cloudfront.origin-facing`); the origin must be reachable from the internet (private origins need VPC origins).",
            ),
            s(
                "From a host on the internet, run `curl -v https://<origin-domain>/` with the Host header CloudFront sends.",
            ),
        ],
        docs: &[D502, D504],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::OriginTls,
        name: "origin_tls",
        title: "The TLS handshake with the origin failed",
        question: "Does the origin's certificate cover the origin domain name, with its full chain and a protocol and cipher CloudFront offers?",
        meaning: "CloudFront reached the origin but could not establish TLS: a certificate that does not cover the origin domain (or the forwarded Host), an expired or self-signed certificate, an incomplete chain, or no protocol or cipher in common.",
        steps: &[
            s(
                "Inspect the certificate: `openssl s_client -connect <origin-domain>:443 -servername <origin-domain> -showcerts`; it must be issued by a trusted CA, valid today, and cover the origin domain name.",
            ),
            s(
                "Compare the origin's minimum TLS version and ciphers with the distribution's origin SSL protocols setting.",
            ),
        ],
        docs: &[D502],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::OriginTimeout,
        name: "origin_timeout",
        title: "The origin timed out",
        question: "Does the origin answer within the origin response time-out (30 s by default)?",
        meaning: "CloudFront timed out connecting to the origin (10 s per attempt, 3 attempts by default) or waiting for its response (30 s by default), or the origin itself answered 504.",
        steps: &[
            s(
                "Check the origin's latency (`OriginLatency` metric, origin logs) and that firewalls do not silently drop CloudFront's connections.",
            ),
            s(
                "Origins on private networks (internal load balancers, private IP addresses) cannot be reached: use VPC origins.",
            ),
            s(
                "If the origin is slow by design, raise the origin response timeout (up to 60 s) in the origin settings.",
            ),
        ],
        docs: &[D504],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::OriginMtls,
        name: "origin_mtls",
        title: "Mutual TLS to the origin failed",
        question: "Does the origin accept the client certificate CloudFront presents?",
        meaning: "The origin requires a client certificate, and CloudFront's repeated connection attempts with the configured certificate failed; CloudFront then answers 503 for a while.",
        steps: &[
            s(
                "Check the client certificate configured for the origin against the origin's trust store, and its validity dates.",
            ),
            s("Read the origin's TLS logs for rejected handshakes at the time of the error."),
        ],
        docs: &[D503],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::OriginInvalidResponse,
        name: "origin_invalid_response",
        title: "The origin sent an invalid response",
        question: "Does the origin send a well-formed response (headers within CloudFront's limits, a correct Content-Length)?",
        meaning: "CloudFront could not use the origin's response: malformed or oversized headers, a Content-Length that does not match, or an empty object where one was expected.",
        steps: &[
            s(
                "Fetch the object from the origin directly with `curl -v` and check the status line, header sizes and Content-Length.",
            ),
            s(
                "Standard logs give the detail in `x-edge-detailed-result-type` (`OriginInvalidResponseError`, `OriginHeaderTooBigError`, `OriginContentRangeLengthError`, `OriginZeroSizeObjectError`).",
            ),
        ],
        docs: &[D502, DLOG],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::CloudFrontApi,
        name: "cloudfront_api",
        title: "A CloudFront management-API error, not a viewer response",
        question: "Was this an API call (an invalidation, a deployment) rather than a page a viewer asked for?",
        meaning: "This is an error document of the CloudFront API (create-invalidation, update-distribution, …), not a response your viewers got.",
        steps: &[
            s(
                "`ServiceUnavailable` (\"CloudFront encountered an internal error\") and `Throttling` are transient: retry with exponential back-off (the AWS SDKs and CLI do; raise `max_attempts`).",
            ),
            s("Check the AWS Health Dashboard for CloudFront events if it persists."),
        ],
        docs: &["https://docs.aws.amazon.com/cloudfront/latest/APIReference/CommonErrors.html"],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::NotCloudFront,
        name: "not_cloudfront",
        title: "This response did not come through CloudFront",
        question: "Does the host name resolve to CloudFront (a *.cloudfront.net alias) from where the error was seen?",
        meaning: "The response has none of CloudFront's markers (`Via: … cloudfront.net (CloudFront)`, `X-Amz-Cf-Id`, `X-Amz-Cf-Pop`, `X-Cache: … from cloudfront`), so another server produced this {status}.",
        steps: &[
            s(
                "Check where the host name points: `dig +short <host>` should lead to a `*.cloudfront.net` name; the server it points to instead produced this error.",
            ),
            s("If a proxy or another CDN sits in front of CloudFront, look at its logs first."),
        ],
        docs: &[D503],
        logs: LogsSteps::OriginLogs,
    },
    Cause {
        id: CauseId::Unknown,
        name: "unknown",
        title: "Not enough evidence to name the cause",
        question: "What does the whole response say (curl -si URL: status line, headers and body)?",
        meaning: "What was given does not show which cause applies.",
        steps: &[
            s(
                "Collect the full response: `curl -si <url>` (headers and page text), or a HAR file from the browser's network panel (\"Save all as HAR\").",
            ),
            s(
                "Give the origin domain (from the distribution's origin settings) for the DNS checks.",
            ),
            s(
                "From standard or real-time logs, add `x-edge-result-type` and `x-edge-detailed-result-type` for the request id.",
            ),
        ],
        docs: &[D503, DLOG],
        logs: LogsSteps::OriginLogs,
    },
];

/// In the JSON Schemas: one of the catalogue's ids.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for CauseId {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "CauseId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: alloc::vec::Vec<&str> = CATALOGUE.iter().map(|c| c.name).collect();
        schemars::json_schema!({"type": "string", "enum": names})
    }
}

/// A cause is written as its id (`origin_dns`) in every JSON report.
impl serde::Serialize for CauseId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl CauseId {
    /// Every cause, in the enum's order: `ALL[c as usize] == c` (tested), so a cause is also
    /// an index (per-cause counts are arrays, not maps: one per edge location and minute).
    pub const ALL: [CauseId; 16] = [
        CauseId::OriginOverloaded,
        CauseId::OriginDns,
        CauseId::EdgeCapacity,
        CauseId::CloudFrontQuota,
        CauseId::LambdaEdgeInvalid,
        CauseId::LambdaEdgeExecution,
        CauseId::LambdaEdgeThrottled,
        CauseId::CloudFrontFunctionError,
        CauseId::OriginConnect,
        CauseId::OriginTls,
        CauseId::OriginTimeout,
        CauseId::OriginMtls,
        CauseId::OriginInvalidResponse,
        CauseId::CloudFrontApi,
        CauseId::NotCloudFront,
        CauseId::Unknown,
    ];

    /// Where this cause is in [`CauseId::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The catalogue entry.
    pub fn info(self) -> &'static Cause {
        CATALOGUE
            .iter()
            .find(|c| c.id == self)
            .expect("every CauseId has a catalogue entry (tested)")
    }

    /// The stable machine name.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// Parses a stable machine name.
    pub fn from_name(name: &str) -> Option<Self> {
        CATALOGUE.iter().find(|c| c.name == name).map(|c| c.id)
    }

    /// The cause's colour (`#RRGGBB`), the same wherever a cause is drawn: the terminal's
    /// verdict line, the page's timeline and legend. From colour-blind-safe palettes (source
    /// `PALETTE`: Okabe–Ito, and Paul Tol's muted scheme where eight are not enough), one hue
    /// family per kind of cause: blues and greens for the origin, oranges and reds for edge
    /// functions, purples for CloudFront's own limits, greys when nothing is known.
    pub fn colour(self) -> &'static str {
        match self {
            CauseId::OriginOverloaded => "#0072B2",
            CauseId::OriginDns => "#56B4E9",
            CauseId::OriginConnect => "#009E73",
            CauseId::OriginTls => "#44AA99",
            CauseId::OriginTimeout => "#117733",
            CauseId::OriginMtls => "#88CCEE",
            CauseId::OriginInvalidResponse => "#332288",
            CauseId::EdgeCapacity => "#CC79A7",
            CauseId::CloudFrontQuota => "#AA4499",
            CauseId::LambdaEdgeInvalid => "#882255",
            CauseId::LambdaEdgeExecution => "#D55E00",
            CauseId::LambdaEdgeThrottled => "#E69F00",
            CauseId::CloudFrontFunctionError => "#DDCC77",
            CauseId::CloudFrontApi => "#999933",
            CauseId::NotCloudFront => "#BBBBBB",
            CauseId::Unknown => "#777777",
        }
    }

    /// Position in the catalogue (tie-break order).
    pub fn order(self) -> usize {
        CATALOGUE
            .iter()
            .position(|c| c.id == self)
            .unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Every cause has its own colour, written `#RRGGBB`: a legend never shows two alike.
    #[test]
    fn each_cause_has_its_own_colour() {
        let mut seen = alloc::vec::Vec::new();
        for c in CATALOGUE {
            let colour = c.id.colour();
            assert!(
                colour.len() == 7
                    && colour.starts_with('#')
                    && colour[1..].bytes().all(|b| b.is_ascii_hexdigit()),
                "{colour}"
            );
            assert!(!seen.contains(&colour), "{} repeats {colour}", c.name);
            seen.push(colour);
        }
    }

    /// `ALL` lists every cause once, each at its own index: a cause added to the enum but not
    /// here fails the match below (no wildcard: within the crate it must be exhaustive).
    #[test]
    fn all_causes_are_listed_each_at_its_index() {
        for (i, c) in CauseId::ALL.iter().enumerate() {
            assert_eq!(c.index(), i, "{c:?}");
            match c {
                CauseId::OriginOverloaded
                | CauseId::OriginDns
                | CauseId::EdgeCapacity
                | CauseId::CloudFrontQuota
                | CauseId::LambdaEdgeInvalid
                | CauseId::LambdaEdgeExecution
                | CauseId::LambdaEdgeThrottled
                | CauseId::CloudFrontFunctionError
                | CauseId::OriginConnect
                | CauseId::OriginTls
                | CauseId::OriginTimeout
                | CauseId::OriginMtls
                | CauseId::OriginInvalidResponse
                | CauseId::CloudFrontApi
                | CauseId::NotCloudFront
                | CauseId::Unknown => {}
            }
        }
        assert_eq!(CauseId::ALL.len(), CATALOGUE.len());
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let names: alloc::vec::Vec<_> = CATALOGUE.iter().map(|c| c.name).collect();
        // These names are a public contract (JSON, UI, tests): never rename.
        for required in [
            "origin_overloaded",
            "origin_dns",
            "edge_capacity",
            "lambda_edge_invalid",
            "lambda_edge_execution",
            "lambda_edge_throttled",
            "cloudfront_function_error",
            "origin_connect",
            "origin_tls",
            "origin_timeout",
            "origin_mtls",
            "cloudfront_api",
            "not_cloudfront",
            "unknown",
        ] {
            assert!(names.contains(&required), "{required}");
        }
        for (i, a) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(a), "duplicate {a}");
            assert_eq!(CauseId::from_name(a).unwrap().as_str(), *a);
        }
    }

    #[test]
    fn every_step_splits_into_parts_and_commands_are_found() {
        let mut commands = 0;
        for c in CATALOGUE {
            for step in c.steps {
                let prose = crate::prose::Prose::from_template(step.text, |_| Some("x"))
                    .unwrap_or_else(|| panic!("{}: malformed step {:?}", c.name, step.text));
                commands += prose
                    .0
                    .iter()
                    .filter(|p| matches!(p, crate::prose::Part::Command(_)))
                    .count();
            }
        }
        assert!(commands >= 10, "only {commands} commands in the catalogue");
    }

    #[test]
    fn placeholders_are_known() {
        // The very list the template filler uses.
        const KNOWN: &[&str] = crate::diagnose::PLACEHOLDERS;
        for c in CATALOGUE {
            for text in c.steps.iter().map(|s| s.text).chain([c.meaning]) {
                let mut rest = text;
                while let Some(open) = rest.find('{') {
                    let close = rest[open..].find('}').expect("unclosed placeholder") + open;
                    let name = &rest[open + 1..close];
                    assert!(
                        KNOWN.contains(&name),
                        "{}: unknown placeholder {name}",
                        c.name
                    );
                    rest = &rest[close + 1..];
                }
            }
        }
    }
}
