//! A config as cf503 keeps it: the model written back in the API's own JSON shape (a
//! `list-distributions` answer), which [`super::read`] reads again to an equal model. It is what
//! the extension stores per distribution host, so no secret can be stored: the model never
//! holds origin custom header values (their names are kept, the values written empty), and
//! nothing the model leaves out (logging buckets, certificates, policies) is written.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value, json};

use super::Configs;
use super::model::{Behavior, Distribution, Origin, OriginType, Val};

/// The API JSON of every distribution of a config.
pub fn to_api_json(configs: &Configs) -> String {
    let items: Vec<Value> = configs.distributions.iter().map(distribution).collect();
    json!({"DistributionList": {"Quantity": items.len(), "Items": items}}).to_string()
}

fn items(v: Vec<Value>) -> Value {
    let quantity = v.len();
    json!({"Quantity": quantity, "Items": Value::Array(v)})
}

fn text(v: &Val<String>) -> Value {
    match v {
        Val::Known(s) => Value::String(s.clone()),
        Val::Unresolved(e) => json!({ "Unresolved": e }),
    }
}

fn num<T: Clone + Into<Value>>(v: &Val<T>) -> Value {
    match v {
        Val::Known(n) => n.clone().into(),
        Val::Unresolved(e) => json!({ "Unresolved": e }),
    }
}

fn put<T: Clone + Into<Value>>(m: &mut Map<String, Value>, key: &str, v: Option<&Val<T>>) {
    if let Some(v) = v {
        m.insert(key.into(), num(v));
    }
}

fn distribution(d: &Distribution) -> Value {
    let mut m = Map::new();
    if let Some(id) = &d.id {
        m.insert("Id".into(), id.clone().into());
    }
    if let Some(dn) = &d.domain_name {
        m.insert("DomainName".into(), dn.clone().into());
    }
    m.insert(
        "Aliases".into(),
        match d.aliases.as_slice() {
            // A template's alias list left to deploy time as a whole.
            [Val::Unresolved(e)] => json!({ "Unresolved": e }),
            list => items(list.iter().map(text).collect()),
        },
    );
    m.insert(
        "Origins".into(),
        items(d.origins.iter().map(origin).collect()),
    );
    m.insert(
        "OriginGroups".into(),
        items(
            d.origin_groups
                .iter()
                .map(|g| {
                    json!({
                        "Id": g.id,
                        "FailoverCriteria": {"StatusCodes": items(g.failover_codes.iter().map(|c| json!(c)).collect())},
                        "Members": items(g.members.iter().map(|m| json!({"OriginId": m})).collect()),
                        "SelectionCriteria": if g.media_quality_based { "media-quality-based" } else { "default" },
                    })
                })
                .collect(),
        ),
    );
    m.insert("DefaultCacheBehavior".into(), behavior(&d.default_behavior));
    m.insert(
        "CacheBehaviors".into(),
        items(d.behaviors.iter().map(behavior).collect()),
    );
    m.insert(
        "CustomErrorResponses".into(),
        items(
            d.error_responses
                .iter()
                .map(|e| {
                    let mut r = Map::new();
                    r.insert("ErrorCode".into(), e.code.into());
                    put(&mut r, "ErrorCachingMinTTL", e.min_ttl.as_ref());
                    if let Some(c) = e.response_code {
                        r.insert("ResponseCode".into(), c.to_string().into());
                    }
                    if let Some(p) = &e.page_path {
                        r.insert("ResponsePagePath".into(), p.clone().into());
                    }
                    Value::Object(r)
                })
                .collect(),
        ),
    );
    if let Some(a) = &d.anycast_ip_list {
        m.insert("AnycastIpListId".into(), a.clone().into());
    }
    Value::Object(m)
}

fn origin(o: &Origin) -> Value {
    let mut m = Map::new();
    m.insert("Id".into(), o.id.clone().into());
    m.insert("DomainName".into(), text(&o.domain_name));
    if let Some(p) = &o.path {
        m.insert("OriginPath".into(), p.clone().into());
    }
    m.insert(
        "CustomHeaders".into(),
        items(
            o.custom_header_names
                .iter()
                .map(|n| json!({"HeaderName": n, "HeaderValue": ""}))
                .collect(),
        ),
    );
    match &o.kind {
        OriginType::Custom(c) => {
            let mut cc = Map::new();
            put(&mut cc, "HTTPPort", c.http_port.as_ref());
            put(&mut cc, "HTTPSPort", c.https_port.as_ref());
            if let Some(p) = &c.protocol_policy {
                cc.insert("OriginProtocolPolicy".into(), text(p));
            }
            cc.insert(
                "OriginSslProtocols".into(),
                items(c.ssl_protocols.iter().map(|p| json!(p)).collect()),
            );
            put(&mut cc, "OriginReadTimeout", c.read_timeout.as_ref());
            put(
                &mut cc,
                "OriginKeepaliveTimeout",
                c.keepalive_timeout.as_ref(),
            );
            if let Some(ip) = &c.ip_address_type {
                cc.insert("IpAddressType".into(), ip.clone().into());
            }
            if let Some(cert) = &c.mtls_certificate {
                cc.insert(
                    "OriginMtlsConfig".into(),
                    json!({"ClientCertificateArn": text(cert)}),
                );
            }
            m.insert("CustomOriginConfig".into(), Value::Object(cc));
        }
        OriginType::S3 { read_timeout } => {
            let mut s = Map::new();
            put(&mut s, "OriginReadTimeout", read_timeout.as_ref());
            m.insert("S3OriginConfig".into(), Value::Object(s));
        }
        OriginType::Vpc {
            vpc_origin_id,
            read_timeout,
            keepalive_timeout,
        } => {
            let mut v = Map::new();
            v.insert("VpcOriginId".into(), text(vpc_origin_id));
            put(&mut v, "OriginReadTimeout", read_timeout.as_ref());
            put(&mut v, "OriginKeepaliveTimeout", keepalive_timeout.as_ref());
            m.insert("VpcOriginConfig".into(), Value::Object(v));
        }
        OriginType::Unspecified => {}
    }
    put(&mut m, "ConnectionAttempts", o.connection_attempts.as_ref());
    put(&mut m, "ConnectionTimeout", o.connection_timeout.as_ref());
    put(
        &mut m,
        "ResponseCompletionTimeout",
        o.response_completion_timeout.as_ref(),
    );
    if let Some(region) = &o.origin_shield {
        m.insert(
            "OriginShield".into(),
            json!({"Enabled": true, "OriginShieldRegion": text(region)}),
        );
    }
    Value::Object(m)
}

fn behavior(b: &Behavior) -> Value {
    let mut m = Map::new();
    if let Some(p) = &b.path_pattern {
        m.insert("PathPattern".into(), p.clone().into());
    }
    m.insert("TargetOriginId".into(), b.target.clone().into());
    if let Some(v) = &b.viewer_protocol_policy {
        m.insert("ViewerProtocolPolicy".into(), v.clone().into());
    }
    m.insert(
        "AllowedMethods".into(),
        items(b.allowed_methods.iter().map(|x| json!(x)).collect()),
    );
    m.insert(
        "LambdaFunctionAssociations".into(),
        items(
            b.lambdas
                .iter()
                .map(|l| json!({"LambdaFunctionARN": text(&l.arn), "EventType": l.event.as_str(), "IncludeBody": l.include_body}))
                .collect(),
        ),
    );
    m.insert(
        "FunctionAssociations".into(),
        items(
            b.functions
                .iter()
                .map(|f| json!({"FunctionARN": text(&f.arn), "EventType": f.event.as_str()}))
                .collect(),
        ),
    );
    Value::Object(m)
}
