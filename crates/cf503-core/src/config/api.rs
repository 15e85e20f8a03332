//! The API's `DistributionConfig` shape, read from a JSON value: the AWS CLI's JSON, the API's XML
//! (through [`super::xml`], where every leaf is text) and a CloudFormation template's
//! `DistributionConfig` property (plain lists, a few keys spelt differently, and intrinsic
//! functions such as `Ref` that stay [`Val::Unresolved`]). One reader, so the three cannot drift.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::ConfigError;
use super::model::{
    Behavior, CustomOrigin, Distribution, ErrorResponse, EventType, FunctionAssociation,
    LambdaAssociation, Origin, OriginGroup, OriginType, Val,
};

/// Reads a `DistributionConfig` (or a `DistributionSummary`, which carries the same routing
/// parts).
pub(crate) fn distribution_config(v: &Value) -> Result<Distribution, ConfigError> {
    if !v.is_object() {
        return Err(field("DistributionConfig", "an object"));
    }
    let origins = list(v, &["Origins"])
        .into_iter()
        .map(origin)
        .collect::<Result<Vec<_>, _>>()?;
    if origins.is_empty() {
        return Err(field("Origins", "at least one origin"));
    }
    let default_behavior = behavior(
        get(v, &["DefaultCacheBehavior"])
            .ok_or_else(|| field("DefaultCacheBehavior", "present"))?,
        true,
    )?;
    let behaviors = list(v, &["CacheBehaviors"])
        .into_iter()
        .map(|b| behavior(b, false))
        .collect::<Result<Vec<_>, _>>()?;
    let origin_groups = list(v, &["OriginGroups"])
        .into_iter()
        .map(origin_group)
        .collect::<Result<Vec<_>, _>>()?;
    let error_responses = list(v, &["CustomErrorResponses"])
        .into_iter()
        .map(error_response)
        .collect::<Result<Vec<_>, _>>()?;
    let aliases = match get(v, &["Aliases"]) {
        Some(a) if intrinsic(a).is_some() => {
            alloc::vec![Val::Unresolved(intrinsic(a).unwrap_or_default())]
        }
        _ => list(v, &["Aliases"])
            .into_iter()
            .filter_map(|a| text(a, "Aliases").transpose())
            .map(|a| a.map(lower))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let mut d = Distribution {
        label: None,
        id: None,
        domain_name: None,
        aliases,
        origins,
        origin_groups,
        default_behavior,
        behaviors,
        error_responses,
        anycast_ip_list: plain_text(v, &["AnycastIpListId"]),
    };
    d.normalise();
    Ok(d)
}

fn lower(v: Val<String>) -> Val<String> {
    match v {
        Val::Known(s) => Val::Known(s.trim_end_matches('.').to_ascii_lowercase()),
        other => other,
    }
}

fn origin(o: &Value) -> Result<Origin, ConfigError> {
    let id = plain_text(o, &["Id"])
        .ok_or_else(|| field("Origins[].Id", "given (every origin has one)"))?;
    let at = |name: &str| format!("origin {id}: {name}");
    let domain_name = text(
        get(o, &["DomainName"]).unwrap_or(&Value::Null),
        &at("DomainName"),
    )?
    .ok_or_else(|| field(&at("DomainName"), "text"))?;
    let kind = if let Some(c) = get(o, &["CustomOriginConfig"]) {
        OriginType::Custom(CustomOrigin {
            http_port: number_at(c, &["HTTPPort"], &at("HTTPPort"))?,
            https_port: number_at(c, &["HTTPSPort"], &at("HTTPSPort"))?,
            protocol_policy: text_at(c, &["OriginProtocolPolicy"], &at("OriginProtocolPolicy"))?,
            ssl_protocols: {
                let mut p: Vec<String> = list(c, &["OriginSslProtocols", "OriginSSLProtocols"])
                    .into_iter()
                    .filter_map(|p| p.as_str().map(ToString::to_string))
                    .collect();
                p.sort();
                p
            },
            read_timeout: number_at(c, &["OriginReadTimeout"], &at("OriginReadTimeout"))?,
            keepalive_timeout: number_at(
                c,
                &["OriginKeepaliveTimeout"],
                &at("OriginKeepaliveTimeout"),
            )?,
            ip_address_type: plain_text(c, &["IpAddressType"]),
            mtls_certificate: match get(c, &["OriginMtlsConfig"]) {
                Some(m) => text_at(m, &["ClientCertificateArn"], &at("ClientCertificateArn"))?,
                None => None,
            },
        })
    } else if let Some(v) = get(o, &["VpcOriginConfig"]) {
        OriginType::Vpc {
            vpc_origin_id: text_at(v, &["VpcOriginId"], &at("VpcOriginId"))?
                .ok_or_else(|| field(&at("VpcOriginId"), "text"))?,
            read_timeout: number_at(v, &["OriginReadTimeout"], &at("OriginReadTimeout"))?,
            keepalive_timeout: number_at(
                v,
                &["OriginKeepaliveTimeout"],
                &at("OriginKeepaliveTimeout"),
            )?,
        }
    } else if let Some(s) = get(o, &["S3OriginConfig"]) {
        OriginType::S3 {
            read_timeout: number_at(s, &["OriginReadTimeout"], &at("OriginReadTimeout"))?,
        }
    } else {
        OriginType::Unspecified
    };
    let origin_shield = match get(o, &["OriginShield"]) {
        Some(s) if flag(s, &["Enabled"]) => Some(
            text_at(s, &["OriginShieldRegion"], &at("OriginShieldRegion"))?
                .unwrap_or(Val::Unresolved("no Region given".into())),
        ),
        _ => None,
    };
    let mut custom_header_names: Vec<String> = list(o, &["CustomHeaders", "OriginCustomHeaders"])
        .into_iter()
        .filter_map(|h| plain_text(h, &["HeaderName"]))
        .collect();
    custom_header_names.sort();
    Ok(Origin {
        domain_name,
        path: plain_text(o, &["OriginPath"]).filter(|p| !p.is_empty()),
        kind,
        connection_attempts: number_at(o, &["ConnectionAttempts"], &at("ConnectionAttempts"))?,
        connection_timeout: number_at(o, &["ConnectionTimeout"], &at("ConnectionTimeout"))?,
        response_completion_timeout: number_at(
            o,
            &["ResponseCompletionTimeout"],
            &at("ResponseCompletionTimeout"),
        )?,
        origin_shield,
        custom_header_names,
        id,
    })
}

fn origin_group(g: &Value) -> Result<OriginGroup, ConfigError> {
    let id = plain_text(g, &["Id"]).ok_or_else(|| field("OriginGroups[].Id", "text"))?;
    let codes = get(g, &["FailoverCriteria"])
        .map(|c| list(c, &["StatusCodes"]))
        .unwrap_or_default();
    let mut failover_codes = codes
        .into_iter()
        .map(|c| {
            status(c).ok_or_else(|| {
                field(
                    &format!("origin group {id}: FailoverCriteria.StatusCodes"),
                    "HTTP status codes",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    failover_codes.sort_unstable();
    let members = list(g, &["Members"])
        .into_iter()
        .filter_map(|m| plain_text(m, &["OriginId"]))
        .collect();
    Ok(OriginGroup {
        media_quality_based: plain_text(g, &["SelectionCriteria"])
            .is_some_and(|s| s.eq_ignore_ascii_case("media-quality-based")),
        id,
        failover_codes,
        members,
    })
}

fn behavior(b: &Value, default: bool) -> Result<Behavior, ConfigError> {
    let path_pattern = if default {
        None
    } else {
        Some(
            plain_text(b, &["PathPattern"])
                .ok_or_else(|| field("CacheBehaviors[].PathPattern", "text"))?,
        )
    };
    let where_ = path_pattern.as_deref().unwrap_or("default behaviour");
    let target = plain_text(b, &["TargetOriginId"])
        .ok_or_else(|| field(&format!("{where_}: TargetOriginId"), "text"))?;
    let mut allowed_methods: Vec<String> = list(b, &["AllowedMethods"])
        .into_iter()
        .filter_map(|m| m.as_str().map(str::to_ascii_uppercase))
        .collect();
    allowed_methods.sort();
    allowed_methods.dedup();
    let mut lambdas = list(b, &["LambdaFunctionAssociations"])
        .into_iter()
        .map(|l| {
            Ok(LambdaAssociation {
                event: event(l, where_)?,
                arn: text_at(l, &["LambdaFunctionARN"], "LambdaFunctionARN")?
                    .ok_or_else(|| field(&format!("{where_}: LambdaFunctionARN"), "an ARN"))?,
                include_body: flag(l, &["IncludeBody"]),
            })
        })
        .collect::<Result<Vec<_>, ConfigError>>()?;
    lambdas.sort_by_key(|l| l.event);
    let mut functions = list(b, &["FunctionAssociations"])
        .into_iter()
        .map(|f| {
            Ok(FunctionAssociation {
                event: event(f, where_)?,
                arn: text_at(f, &["FunctionARN"], "FunctionARN")?
                    .ok_or_else(|| field(&format!("{where_}: FunctionARN"), "an ARN"))?,
            })
        })
        .collect::<Result<Vec<_>, ConfigError>>()?;
    functions.sort_by_key(|f| f.event);
    Ok(Behavior {
        path_pattern,
        target,
        viewer_protocol_policy: plain_text(b, &["ViewerProtocolPolicy"]),
        allowed_methods,
        lambdas,
        functions,
    })
}

fn event(v: &Value, where_: &str) -> Result<EventType, ConfigError> {
    plain_text(v, &["EventType"])
        .and_then(|e| EventType::parse(&e))
        .ok_or_else(|| {
            field(
                &format!("{where_}: EventType"),
                "viewer-request, origin-request, origin-response or viewer-response",
            )
        })
}

fn error_response(e: &Value) -> Result<ErrorResponse, ConfigError> {
    let code = get(e, &["ErrorCode"])
        .and_then(status)
        .ok_or_else(|| field("CustomErrorResponses[].ErrorCode", "an HTTP status code"))?;
    let at = format!("custom error response {code}: ErrorCachingMinTTL");
    let min_ttl = match get(e, &["ErrorCachingMinTTL"]) {
        None | Some(Value::Null) => None,
        Some(v) => Some(number64(v).ok_or_else(|| field(&at, "a number of seconds"))?),
    };
    Ok(ErrorResponse {
        code,
        min_ttl,
        response_code: get(e, &["ResponseCode"]).and_then(status),
        page_path: plain_text(e, &["ResponsePagePath"]).filter(|p| !p.is_empty()),
    })
}

// ---- value helpers, shared with the Terraform reader -------------------------------------

pub(crate) fn field(name: &str, expected: &'static str) -> ConfigError {
    ConfigError::Field {
        field: name.to_string(),
        expected,
    }
}

/// The first of `names` present in object `v`.
pub(crate) fn get<'a>(v: &'a Value, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| v.get(n)).filter(|v| !v.is_null())
}

/// A list field: a `{Quantity, Items}` wrapper or a plain list; absent or empty → none.
pub(crate) fn list<'a>(v: &'a Value, names: &[&str]) -> Vec<&'a Value> {
    match get(v, names) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => match o.get("Items") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A CloudFormation intrinsic function in words (`Ref X`, `Fn::GetAtt A.B`, `Fn::Sub …`).
pub(crate) fn intrinsic(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    if o.len() != 1 {
        return None;
    }
    let (k, arg) = o.iter().next()?;
    // cf503's own marker for an expression kept from a template ([`super::export`]).
    if k == "Unresolved" {
        return arg.as_str().map(ToString::to_string);
    }
    if k != "Ref" && !k.starts_with("Fn::") {
        return None;
    }
    let arg = match arg {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("."),
        _ => String::new(),
    };
    let mut words = String::from(k.as_str());
    if !arg.is_empty() {
        words.push(' ');
        words.push_str(&arg[..crate::text::floor_char_boundary(&arg, 80)]);
    }
    Some(words)
}

/// Text, a number as text, or an intrinsic; `None` when absent.
pub(crate) fn text(v: &Value, at: &str) -> Result<Option<Val<String>>, ConfigError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(Val::Known(s.clone()))),
        Value::Number(n) => Ok(Some(Val::Known(n.to_string()))),
        other => match intrinsic(other) {
            Some(e) => Ok(Some(Val::Unresolved(e))),
            None => Err(field(at, "text")),
        },
    }
}

fn text_at(v: &Value, names: &[&str], at: &str) -> Result<Option<Val<String>>, ConfigError> {
    match get(v, names) {
        Some(x) => text(x, at),
        None => Ok(None),
    }
}

/// Text that must be literal (ids, names, enumerations); anything else reads as absent.
pub(crate) fn plain_text(v: &Value, names: &[&str]) -> Option<String> {
    match get(v, names)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number of seconds (or a port): JSON number, text of digits, or an intrinsic.
pub(crate) fn number(v: &Value) -> Option<Val<u32>> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Val::Known),
        Value::String(s) => s.trim().parse().ok().map(Val::Known),
        other => intrinsic(other).map(Val::Unresolved),
    }
}

fn number64(v: &Value) -> Option<Val<u64>> {
    match v {
        Value::Number(n) => n.as_u64().map(Val::Known),
        Value::String(s) => s.trim().parse().ok().map(Val::Known),
        other => intrinsic(other).map(Val::Unresolved),
    }
}

fn number_at(v: &Value, names: &[&str], at: &str) -> Result<Option<Val<u32>>, ConfigError> {
    match get(v, names) {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(x) => number(x)
            .map(Some)
            .ok_or_else(|| field(at, "a whole number")),
    }
}

/// An HTTP status (number or text), 100–599.
pub(crate) fn status(v: &Value) -> Option<u16> {
    let n = match v {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    u16::try_from(n).ok().filter(|n| (100..600).contains(n))
}

/// A boolean: JSON `true`, or the text `true` (XML); anything else is false.
pub(crate) fn flag(v: &Value, names: &[&str]) -> bool {
    match get(v, names) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}
