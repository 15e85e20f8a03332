//! `terraform show -json` (a state's `values`, a plan's `planned_values`) and a raw state file
//! (`terraform.tfstate`, version 4): every `aws_cloudfront_distribution`, in any module. The
//! provider's attribute names are snake case and its nested blocks are lists of one object
//! (`custom_origin_config = [{…}]`). A plan's unknown values are absent, so they read as unset.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::ConfigError;
use super::api::{field, flag, number, plain_text, status};
use super::model::{
    Behavior, CustomOrigin, Distribution, ErrorResponse, EventType, FunctionAssociation,
    LambdaAssociation, Origin, OriginGroup, OriginType, Val,
};

const RESOURCE_TYPE: &str = "aws_cloudfront_distribution";

/// Whether a JSON document looks like Terraform's.
pub(crate) fn is_terraform(v: &Value) -> bool {
    v.get("format_version").is_some() && v.get("terraform_version").is_some()
        || v.get("terraform_version").is_some() && v.get("resources").is_some()
}

/// Every distribution in the document: (address, attributes).
pub(crate) fn distributions(v: &Value) -> Result<Vec<Distribution>, ConfigError> {
    let mut found = Vec::new();
    for root in ["values", "planned_values"] {
        if let Some(m) = v.get(root).and_then(|r| r.get("root_module")) {
            walk_module(m, &mut found, 0);
        }
    }
    // terraform.tfstate (version 4): resources[].instances[].attributes.
    if let Some(Value::Array(resources)) = v.get("resources") {
        for r in resources {
            if r.get("type").and_then(Value::as_str) == Some(RESOURCE_TYPE) {
                let name = plain_text(r, &["name"]).unwrap_or_default();
                let module = plain_text(r, &["module"]);
                let address = match module {
                    Some(m) => format!("{m}.{RESOURCE_TYPE}.{name}"),
                    None => format!("{RESOURCE_TYPE}.{name}"),
                };
                for i in r
                    .get("instances")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(a) = i.get("attributes") {
                        found.push((address.clone(), a));
                    }
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(address, values)| distribution(&address, values))
        .collect()
}

fn walk_module<'a>(m: &'a Value, out: &mut Vec<(String, &'a Value)>, depth: usize) {
    if depth > 32 {
        return;
    }
    for r in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if r.get("type").and_then(Value::as_str) == Some(RESOURCE_TYPE)
            && let Some(values) = r.get("values")
        {
            out.push((plain_text(r, &["address"]).unwrap_or_default(), values));
        }
    }
    for c in m
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk_module(c, out, depth + 1);
    }
}

/// The first object of a nested block (`[{…}]`), or the object itself.
fn block<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v.get(name)? {
        Value::Array(a) => a.first(),
        o @ Value::Object(_) => Some(o),
        _ => None,
    }
}

fn blocks<'a>(v: &'a Value, name: &str) -> impl Iterator<Item = &'a Value> {
    v.get(name).and_then(Value::as_array).into_iter().flatten()
}

fn seconds(v: &Value, name: &str, at: &str) -> Result<Option<Val<u32>>, ConfigError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => number(x)
            .map(Some)
            .ok_or_else(|| field(&format!("{at}: {name}"), "a whole number")),
    }
}

fn nonempty(v: &Value, name: &str) -> Option<String> {
    plain_text(v, &[name]).filter(|s| !s.is_empty())
}

fn distribution(address: &str, v: &Value) -> Result<Distribution, ConfigError> {
    let mut origins = Vec::new();
    for o in blocks(v, "origin") {
        let id = nonempty(o, "origin_id").ok_or_else(|| field("origin.origin_id", "text"))?;
        let at = format!("origin {id}");
        let kind = if let Some(c) = block(o, "custom_origin_config") {
            let mut ssl_protocols: Vec<String> = blocks(c, "origin_ssl_protocols")
                .filter_map(|p| p.as_str().map(ToString::to_string))
                .collect();
            ssl_protocols.sort();
            OriginType::Custom(CustomOrigin {
                http_port: seconds(c, "http_port", &at)?,
                https_port: seconds(c, "https_port", &at)?,
                protocol_policy: nonempty(c, "origin_protocol_policy").map(Val::Known),
                ssl_protocols,
                read_timeout: seconds(c, "origin_read_timeout", &at)?,
                keepalive_timeout: seconds(c, "origin_keepalive_timeout", &at)?,
                ip_address_type: nonempty(c, "ip_address_type"),
                mtls_certificate: block(c, "origin_mtls_config")
                    .and_then(|m| nonempty(m, "client_certificate_arn"))
                    .map(Val::Known),
            })
        } else if let Some(c) = block(o, "vpc_origin_config") {
            OriginType::Vpc {
                vpc_origin_id: Val::Known(nonempty(c, "vpc_origin_id").unwrap_or_default()),
                read_timeout: seconds(c, "origin_read_timeout", &at)?,
                keepalive_timeout: seconds(c, "origin_keepalive_timeout", &at)?,
            }
        } else if let Some(c) = block(o, "s3_origin_config") {
            OriginType::S3 {
                read_timeout: seconds(c, "origin_read_timeout", &at)?,
            }
        } else {
            OriginType::Unspecified
        };
        let mut custom_header_names: Vec<String> = blocks(o, "custom_header")
            .filter_map(|h| nonempty(h, "name"))
            .collect();
        custom_header_names.sort();
        origins.push(Origin {
            domain_name: Val::Known(nonempty(o, "domain_name").unwrap_or_default()),
            path: nonempty(o, "origin_path"),
            kind,
            connection_attempts: seconds(o, "connection_attempts", &at)?,
            connection_timeout: seconds(o, "connection_timeout", &at)?,
            response_completion_timeout: seconds(o, "response_completion_timeout", &at)?,
            origin_shield: block(o, "origin_shield")
                .filter(|s| flag(s, &["enabled"]))
                .map(|s| Val::Known(nonempty(s, "origin_shield_region").unwrap_or_default())),
            custom_header_names,
            id,
        });
    }
    if origins.is_empty() {
        return Err(field(&format!("{address}: origin"), "at least one origin"));
    }
    let origin_groups = blocks(v, "origin_group")
        .map(|g| {
            let id = nonempty(g, "origin_id").unwrap_or_default();
            let mut failover_codes: Vec<u16> = block(g, "failover_criteria")
                .into_iter()
                .flat_map(|c| blocks(c, "status_codes"))
                .filter_map(status)
                .collect();
            failover_codes.sort_unstable();
            OriginGroup {
                members: blocks(g, "member")
                    .filter_map(|m| nonempty(m, "origin_id"))
                    .collect(),
                media_quality_based: nonempty(g, "selection_criteria")
                    .is_some_and(|s| s == "media-quality-based"),
                id,
                failover_codes,
            }
        })
        .collect();
    let default_behavior = behavior(
        block(v, "default_cache_behavior")
            .ok_or_else(|| field(&format!("{address}: default_cache_behavior"), "present"))?,
        None,
    )?;
    let behaviors = blocks(v, "ordered_cache_behavior")
        .map(|b| {
            let pattern = nonempty(b, "path_pattern")
                .ok_or_else(|| field("ordered_cache_behavior.path_pattern", "text"))?;
            behavior(b, Some(pattern))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let error_responses = blocks(v, "custom_error_response")
        .map(|e| {
            let code = e
                .get("error_code")
                .and_then(status)
                .ok_or_else(|| field("custom_error_response.error_code", "an HTTP status"))?;
            Ok(ErrorResponse {
                code,
                min_ttl: e
                    .get("error_caching_min_ttl")
                    .and_then(Value::as_u64)
                    .map(Val::Known),
                response_code: e.get("response_code").and_then(status),
                page_path: nonempty(e, "response_page_path"),
            })
        })
        .collect::<Result<Vec<_>, ConfigError>>()?;
    let mut d = Distribution {
        label: Some(address.to_string()),
        id: nonempty(v, "id"),
        domain_name: nonempty(v, "domain_name"),
        aliases: blocks(v, "aliases")
            .filter_map(Value::as_str)
            .map(|a| Val::Known(a.trim_end_matches('.').to_ascii_lowercase()))
            .collect(),
        origins,
        origin_groups,
        default_behavior,
        behaviors,
        error_responses,
        anycast_ip_list: nonempty(v, "anycast_ip_list_id"),
    };
    d.normalise();
    Ok(d)
}

fn behavior(b: &Value, path_pattern: Option<String>) -> Result<Behavior, ConfigError> {
    let where_ = path_pattern
        .clone()
        .unwrap_or_else(|| "default_cache_behavior".into());
    let event = |v: &Value| {
        nonempty(v, "event_type")
            .and_then(|e| EventType::parse(&e))
            .ok_or_else(|| field(&format!("{where_}: event_type"), "a CloudFront event type"))
    };
    let mut lambdas = blocks(b, "lambda_function_association")
        .map(|l| {
            Ok(LambdaAssociation {
                event: event(l)?,
                arn: Val::Known(nonempty(l, "lambda_arn").unwrap_or_default()),
                include_body: flag(l, &["include_body"]),
            })
        })
        .collect::<Result<Vec<_>, ConfigError>>()?;
    lambdas.sort_by_key(|l| l.event);
    let mut functions = blocks(b, "function_association")
        .map(|f| {
            Ok(FunctionAssociation {
                event: event(f)?,
                arn: Val::Known(nonempty(f, "function_arn").unwrap_or_default()),
            })
        })
        .collect::<Result<Vec<_>, ConfigError>>()?;
    functions.sort_by_key(|f| f.event);
    let mut allowed_methods: Vec<String> = blocks(b, "allowed_methods")
        .filter_map(|m| m.as_str().map(str::to_ascii_uppercase))
        .collect();
    allowed_methods.sort();
    allowed_methods.dedup();
    Ok(Behavior {
        target: nonempty(b, "target_origin_id")
            .ok_or_else(|| field(&format!("{where_}: target_origin_id"), "text"))?,
        viewer_protocol_policy: nonempty(b, "viewer_protocol_policy"),
        allowed_methods,
        lambdas,
        functions,
        path_pattern,
    })
}
