//! The distribution's configuration: which function, origin and setting of *this* distribution is
//! behind a 5xx (issue 19).
//!
//! [`read`] takes what users have at hand: `aws cloudfront get-distribution-config`,
//! `get-distribution` or `list-distributions` output (JSON), the API's XML, a CloudFormation or
//! `cdk synth` template (JSON), or `terraform show -json` / a state file. Every form reads into one
//! [`Distribution`] model ([`model`]); [`routing`] finds the distribution for a Host and the cache
//! behaviour for a path as CloudFront does; [`risks`] lists the settings that make 5xx errors
//! likelier, each with a stable id and a cited source; [`explain`] joins a distribution to a
//! diagnosis (the function's ARN and its log group in the edge's Region, the origin's settings).
//!
//! Sans-IO like the rest of the core: bytes in, values out. The CloudFront API has no CORS, so the
//! browser cannot fetch a config; it can read one pasted or dropped, through the same code.

mod api;
pub mod explain;
pub mod export;
pub mod model;
pub mod risks;
pub mod routing;
mod terraform;
mod xml;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde_json::Value;

pub use model::{Distribution, Form};

/// The most bytes a config may have: a large account's whole `list-distributions` answer (1,000
/// distributions as the AWS CLI prints them: 8.4 MB) or a project's `terraform show -json` fits;
/// memory stays about ten times the input at most.
pub const MAX_CONFIG_BYTES: usize = 64 * 1024 * 1024;

/// CloudFormation's own limit on a template's size (1 MB, in S3): a larger "template" cannot be
/// deployed, so it is not a distribution's config.
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;

/// The XML namespace of the CloudFront API version cf503 reads.
pub const API_NAMESPACE: &str = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

/// Why a config could not be read. Each message says what was expected and what to give instead.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// Nothing but white space.
    Empty,
    /// More than [`MAX_CONFIG_BYTES`], or a CloudFormation template over
    /// [`MAX_TEMPLATE_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit it is over.
        limit: usize,
    },
    /// Not UTF-8.
    NotText,
    /// JSON that does not parse (truncated, or not JSON).
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// XML that does not parse.
    Xml {
        /// Byte offset.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// XML, but not one of CloudFront's documents.
    NotCloudFrontXml {
        /// The root element's name.
        root: String,
        /// Its namespace.
        namespace: Option<String>,
    },
    /// A YAML CloudFormation template: cf503 reads JSON templates.
    Yaml,
    /// A document of a known kind that holds no distribution (another service's JSON, a template
    /// without `AWS::CloudFront::Distribution`, a Terraform state without one).
    NoDistribution {
        /// What it is, in words (e.g. `a CloudFormation template with 3 resources (AWS::S3::Bucket, …)`).
        found: String,
    },
    /// A field with a value of the wrong kind, or a required field missing.
    Field {
        /// Where (`origin app: OriginReadTimeout`).
        field: String,
        /// What it must be.
        expected: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const GIVE: &str = "give `aws cloudfront get-distribution-config --id E…` output (JSON or XML), a CloudFormation template in JSON, or `terraform show -json`";
        match self {
            ConfigError::Empty => write!(f, "the config is empty: {GIVE}"),
            ConfigError::TooLarge { bytes, limit } if *limit == MAX_TEMPLATE_BYTES => write!(
                f,
                "this CloudFormation template is {}, more than the {} CloudFormation accepts: it cannot be a deployed distribution's; {GIVE}",
                megabytes(*bytes),
                megabytes(*limit)
            ),
            ConfigError::TooLarge { bytes, limit } => write!(
                f,
                "the config is {}, more than the {} cf503 reads: give only the distribution (`aws cloudfront get-distribution-config --id E…`, or `terraform show -json | jq '[.. | objects | select(.type? == \"aws_cloudfront_distribution\")]'`)",
                megabytes(*bytes),
                megabytes(*limit)
            ),
            ConfigError::NotText => write!(f, "the config is not text (UTF-8): {GIVE}"),
            ConfigError::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "the config's JSON breaks at line {line}, column {column} ({message}): is it cut short? {GIVE}"
            ),
            ConfigError::Xml { offset, message } => write!(
                f,
                "the config's XML breaks at byte {offset} ({message}): is it cut short? {GIVE}"
            ),
            ConfigError::NotCloudFrontXml { root, namespace } => write!(
                f,
                "this XML is a <{root}> document{}, not CloudFront's <DistributionConfig>, <Distribution> or <DistributionList> ({API_NAMESPACE})",
                namespace
                    .as_deref()
                    .map(|n| format!(" in namespace {n}"))
                    .unwrap_or_default()
            ),
            ConfigError::Yaml => write!(
                f,
                "this looks like a YAML template: cf503 reads CloudFormation templates in JSON (`cdk synth` writes them to cdk.out/<Stack>.template.json; `cfn-flip template.yaml` converts one), or give `aws cloudfront get-distribution-config --id E…`"
            ),
            ConfigError::NoDistribution { found } => {
                write!(f, "no CloudFront distribution in {found}: {GIVE}")
            }
            ConfigError::Field { field, expected } => write!(
                f,
                "the distribution's {field} is not {expected}: is this CloudFront's distribution config, unedited?"
            ),
        }
    }
}

impl core::error::Error for ConfigError {}

/// The distributions one config document holds, and its form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Configs {
    /// What the document was.
    pub form: Form,
    /// Its distributions (one, except for a list, a template or a state with several).
    pub distributions: Vec<Distribution>,
}

/// Reads a distribution config in any supported form.
pub fn read(bytes: &[u8]) -> Result<Configs, ConfigError> {
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let text = core::str::from_utf8(bytes).map_err(|_| ConfigError::NotText)?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ConfigError::Empty);
    }
    if text.starts_with('<') {
        return read_xml(text);
    }
    if !text.starts_with('{') {
        if looks_like_yaml(text) {
            return Err(ConfigError::Yaml);
        }
        // A member cut out of a larger document, as people copy one from a template or a blog
        // (`"CloudFrontDistribution": { "Type": … }` or `"DistributionConfig": { … }`): read it
        // as the object it came from.
        if text.starts_with('"') {
            let member = text.trim_end_matches(',');
            let mut wrapped = String::with_capacity(member.len() + 2);
            wrapped.push('{');
            wrapped.push_str(member);
            wrapped.push('}');
            if let Ok(value) = serde_json::from_str::<Value>(&wrapped) {
                return read_json(&value, text.len());
            }
        }
        return Err(ConfigError::NoDistribution {
            found: "text that is neither JSON nor XML".into(),
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::Json {
        line: e.line(),
        column: e.column(),
        message: json_error_words(&e),
    })?;
    read_json(&value, text.len())
}

/// A size in words: `8.4 MB`.
fn megabytes(bytes: usize) -> String {
    let tenths = bytes.saturating_mul(10) / 1_000_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Whether a JSON value is a CloudFormation resource of type `AWS::CloudFront::Distribution`.
fn is_distribution_resource(v: &Value) -> bool {
    v.get("Type").and_then(Value::as_str) == Some("AWS::CloudFront::Distribution")
}

fn json_error_words(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "it ends too early".into(),
        Category::Syntax => "not valid JSON there".into(),
        Category::Data => "unexpected data".into(),
        Category::Io => "could not be read".into(),
    }
}

fn looks_like_yaml(text: &str) -> bool {
    text.lines().take(20).any(|l| {
        let l = l.trim_start_matches("---").trim();
        l.starts_with("AWSTemplateFormatVersion:")
            || l.starts_with("Resources:")
            || l.starts_with("Type: AWS::")
            || l.starts_with("Type: 'AWS::")
    })
}

fn read_xml(text: &str) -> Result<Configs, ConfigError> {
    let doc = xml::read(text)?;
    let ours = doc
        .namespace
        .as_deref()
        .is_some_and(|n| n.starts_with("http://cloudfront.amazonaws.com/doc/"));
    let not_ours = || ConfigError::NotCloudFrontXml {
        root: doc.root.clone(),
        namespace: doc.namespace.clone(),
    };
    if !ours {
        return Err(not_ours());
    }
    let (form, distributions) = match doc.root.as_str() {
        "DistributionConfig" => (
            Form::ApiConfigXml,
            alloc::vec![api::distribution_config(&doc.value)?],
        ),
        "Distribution" => (
            Form::ApiDistributionXml,
            alloc::vec![full_distribution(&doc.value)?],
        ),
        "DistributionList" => (Form::ApiListXml, list_items(&doc.value)?),
        _ => return Err(not_ours()),
    };
    Ok(Configs {
        form,
        distributions,
    })
}

/// A `Distribution`: `Id`, `DomainName` and its `DistributionConfig`.
fn full_distribution(v: &Value) -> Result<Distribution, ConfigError> {
    let config = v
        .get("DistributionConfig")
        .ok_or_else(|| api::field("Distribution.DistributionConfig", "present"))?;
    let mut d = api::distribution_config(config)?;
    d.id = api::plain_text(v, &["Id"]);
    d.domain_name = api::plain_text(v, &["DomainName"]).map(|n| n.to_ascii_lowercase());
    d.label.clone_from(&d.id);
    Ok(d)
}

/// The summaries of a `DistributionList` (JSON or XML). An answer that lists nothing is no
/// configuration: read as one of no distribution, it would be stored as a record that no longer
/// reads back.
fn list_items(v: &Value) -> Result<Vec<Distribution>, ConfigError> {
    let distributions = api::list(v, &["Items"])
        .into_iter()
        .map(|s| {
            let mut d = api::distribution_config(s)?;
            d.id = api::plain_text(s, &["Id"]);
            d.domain_name = api::plain_text(s, &["DomainName"]).map(|n| n.to_ascii_lowercase());
            d.label.clone_from(&d.id);
            Ok(d)
        })
        .collect::<Result<Vec<_>, ConfigError>>()?;
    if distributions.is_empty() {
        return Err(ConfigError::NoDistribution {
            found: "an empty list-distributions answer".into(),
        });
    }
    Ok(distributions)
}

fn read_json(v: &Value, size: usize) -> Result<Configs, ConfigError> {
    let Some(obj) = v.as_object() else {
        return Err(ConfigError::NoDistribution {
            found: "JSON that is not an object".into(),
        });
    };
    let one = |form, d| {
        Ok(Configs {
            form,
            distributions: alloc::vec![d],
        })
    };
    if let Some(list) = obj.get("DistributionList") {
        let distributions = list_items(list)?;
        return Ok(Configs {
            form: Form::ApiListJson,
            distributions,
        });
    }
    if let Some(d) = obj.get("Distribution")
        && d.get("DistributionConfig").is_some()
    {
        return one(Form::ApiDistributionJson, full_distribution(d)?);
    }
    if let Some(c) = obj.get("DistributionConfig") {
        // get-distribution-config; a bare Distribution pasted without its wrapper also has Id.
        let mut d = api::distribution_config(c)?;
        if obj.contains_key("Id") {
            d = full_distribution(v)?;
            return one(Form::ApiDistributionJson, d);
        }
        d.label = None;
        return one(Form::ApiConfigJson, d);
    }
    if obj.contains_key("Origins") && obj.contains_key("DefaultCacheBehavior") {
        // The inner DistributionConfig, pasted on its own.
        return one(Form::ApiConfigJson, api::distribution_config(v)?);
    }
    if let Some(Value::Object(resources)) = obj.get("Resources") {
        if size > MAX_TEMPLATE_BYTES {
            return Err(ConfigError::TooLarge {
                bytes: size,
                limit: MAX_TEMPLATE_BYTES,
            });
        }
        return cloudformation(resources);
    }
    // One resource on its own, or resources without their `Resources` wrapper.
    if is_distribution_resource(v) {
        let mut one = serde_json::Map::new();
        one.insert("Distribution".into(), v.clone());
        return cloudformation(&one);
    }
    if obj.values().any(is_distribution_resource) {
        return cloudformation(obj);
    }
    if terraform::is_terraform(v) {
        let distributions = terraform::distributions(v)?;
        if distributions.is_empty() {
            return Err(ConfigError::NoDistribution {
                found: "a Terraform document without aws_cloudfront_distribution".into(),
            });
        }
        return Ok(Configs {
            form: Form::Terraform,
            distributions,
        });
    }
    Err(ConfigError::NoDistribution {
        found: format!("JSON with the keys {}", keys_in_words(obj)),
    })
}

fn cloudformation(resources: &serde_json::Map<String, Value>) -> Result<Configs, ConfigError> {
    let mut distributions = Vec::new();
    for (logical_id, r) in resources {
        if !is_distribution_resource(r) {
            continue;
        }
        let config = r
            .get("Properties")
            .and_then(|p| p.get("DistributionConfig"))
            .ok_or_else(|| {
                api::field(
                    &format!("{logical_id}: Properties.DistributionConfig"),
                    "present",
                )
            })?;
        let mut d = api::distribution_config(config)?;
        d.label = Some(logical_id.clone());
        distributions.push(d);
    }
    if distributions.is_empty() {
        let mut types: Vec<&str> = resources
            .values()
            .filter_map(|r| r.get("Type").and_then(Value::as_str))
            .collect();
        types.sort_unstable();
        types.dedup();
        types.truncate(5);
        return Err(ConfigError::NoDistribution {
            found: format!(
                "a CloudFormation template with {} resources ({})",
                resources.len(),
                types
                    .iter()
                    .map(|t| short(t, 60))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(Configs {
        form: Form::CloudFormation,
        distributions,
    })
}

/// The first few keys of an object, shortened: what the document is, never what it holds.
fn keys_in_words(obj: &serde_json::Map<String, Value>) -> String {
    let mut keys: Vec<String> = obj.keys().take(5).map(|k| short(k, 40)).collect();
    if obj.len() > 5 {
        keys.push("…".into());
    }
    if keys.is_empty() {
        return "none".into();
    }
    // Names, not values; still, a key shaped like a secret (an access key id, a token) is hidden.
    crate::redact::text(&keys.join(", ")).into_owned()
}

fn short(s: &str, max: usize) -> String {
    let cut = crate::text::floor_char_boundary(s, max);
    let mut out: String = s[..cut]
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if cut < s.len() {
        out.push('…');
    }
    out
}

/// Why a pasted config could not be joined to a diagnosis.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoinError {
    /// The config could not be read.
    Read(ConfigError),
    /// No distribution of the config serves the request.
    Route(routing::NotPicked),
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Read(e) => write!(f, "{e}"),
            JoinError::Route(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for JoinError {}

/// Reads a config (as pasted or dropped) and joins it to a diagnosis: the request is routed by
/// `url`, else by the URL the diagnosis carries. What the page and the popup call; the CLI does
/// the same through [`crate::Analysis::join_config`].
pub fn join(d: &mut crate::Diagnosis, config: &[u8], url: Option<&str>) -> Result<(), JoinError> {
    let configs = read(config).map_err(JoinError::Read)?;
    let url = url
        .map(ToString::to_string)
        .or_else(|| d.summary.url.clone());
    let (route, form) = routing::route_any(core::slice::from_ref(&configs), url.as_deref())
        .map_err(JoinError::Route)?;
    let explained = explain::explain(&route, form, &d.summary);
    d.join_config(explained);
    Ok(())
}
