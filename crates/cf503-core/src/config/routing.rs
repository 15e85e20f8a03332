//! Which distribution, cache behaviour and origin a request reaches, as CloudFront decides it
//! (sources `cf-path-pattern`, `cf-alternate-domain-wildcard` in docs/sources.md):
//!
//! - the Host names the distribution: its `DomainName`, or an alternate domain name; an exact
//!   alias wins over a wildcard one (`*.example.com` stands for any name ending `.example.com`);
//! - the path (no query string) picks the first cache behaviour, in the listed order, whose
//!   pattern matches, the default behaviour last: `*` matches any run of characters (`/`
//!   included), `?` exactly one, case counts, and a pattern's leading `/` is optional;
//! - the behaviour's target is an origin or an origin group (its members, primary first).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::model::{Behavior, Distribution, Origin, OriginGroup, Val};

/// Whether `path` matches a cache behaviour's `PathPattern`.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    // A pattern without its leading '/' means the same as with it (`images/*` = `/images/*`);
    // one that starts with a wildcard is compared as written (`*.jpg` matches `/a.jpg`).
    let path = path.as_bytes();
    match pattern.as_bytes() {
        p @ ([b'/' | b'*', ..] | []) => wildcard(p, path),
        p => path
            .strip_prefix(b"/")
            .is_some_and(|rest| wildcard(p, rest)),
    }
}

/// Glob match with `*` and `?`: linear, no recursion (the classic two-pointer back-tracking on
/// the last star), so a hostile pattern or path cannot blow the stack or take quadratic time
/// beyond pattern × path.
fn wildcard(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(&c) if c == b'?' || c == s[si] => {
                // `?` is one character: skip a whole UTF-8 sequence.
                si += if c == b'?' { utf8_len(s[si]) } else { 1 };
                pi += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The cache behaviour a path reaches: the first listed whose pattern matches, else the default.
pub fn behavior_for<'a>(d: &'a Distribution, path: &str) -> &'a Behavior {
    let path = path_only(path);
    d.behaviors
        .iter()
        .find(|b| {
            b.path_pattern
                .as_deref()
                .is_some_and(|p| path_matches(p, path))
        })
        .unwrap_or(&d.default_behavior)
}

/// The path of a URL or a path with a query string (`/a?b` → `/a`); `""` → `/`.
fn path_only(path: &str) -> &str {
    let p = path.split(['?', '#']).next().unwrap_or("");
    if p.is_empty() { "/" } else { p }
}

/// How a distribution was picked for a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Picked {
    /// The Host is its `DomainName`.
    DomainName,
    /// The Host is one of its alternate domain names.
    Alias(String),
    /// The Host matches a wildcard alternate domain name.
    WildcardAlias(String),
    /// The config holds one distribution whose names cannot be compared (none known, or the
    /// request's Host is unknown): used as the only candidate.
    OnlyOne,
}

/// Why no distribution was picked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotPicked {
    /// No distribution serves this Host (the names it has are listed).
    NoMatch {
        /// The request's Host.
        host: String,
        /// Every known name in the config (at most 12).
        known: Vec<String>,
    },
    /// Several distributions and no Host to tell them apart.
    NoHost {
        /// How many distributions.
        count: usize,
    },
}

impl core::fmt::Display for NotPicked {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            NotPicked::NoMatch { host, known } => write!(
                f,
                "no distribution in the config serves {host} (its names: {}): give the config of the distribution that does",
                if known.is_empty() {
                    "none known".into()
                } else {
                    known.join(", ")
                }
            ),
            NotPicked::NoHost { count } => write!(
                f,
                "the config holds {count} distributions and the request's URL is not known: give the URL (e.g. --url) to pick one"
            ),
        }
    }
}

/// The distribution a Host reaches.
pub fn distribution_for<'a>(
    distributions: &'a [Distribution],
    host: Option<&str>,
) -> Result<(&'a Distribution, Picked), NotPicked> {
    let Some(host) = host.map(normal_host).filter(|h| !h.is_empty()) else {
        return match distributions {
            [only] => Ok((only, Picked::OnlyOne)),
            _ => Err(NotPicked::NoHost {
                count: distributions.len(),
            }),
        };
    };
    for d in distributions {
        if d.domain_name.as_deref() == Some(host.as_str()) {
            return Ok((d, Picked::DomainName));
        }
    }
    for d in distributions {
        if let Some(a) = d
            .aliases
            .iter()
            .filter_map(Val::known)
            .find(|a| **a == host)
        {
            return Ok((d, Picked::Alias(a.clone())));
        }
    }
    // The longest (most specific) wildcard wins.
    let mut best: Option<(&Distribution, &String)> = None;
    for d in distributions {
        for a in d.aliases.iter().filter_map(Val::known) {
            if let Some(suffix) = a.strip_prefix('*')
                && suffix.starts_with('.')
                && host.ends_with(suffix)
                && host.len() > suffix.len()
                && best.is_none_or(|(_, b)| b.len() < a.len())
            {
                best = Some((d, a));
            }
        }
    }
    if let Some((d, a)) = best {
        return Ok((d, Picked::WildcardAlias(a.clone())));
    }
    // One distribution whose names are not all known (a template): it may still be the one.
    if let [only] = distributions
        && only.domain_name.is_none()
        && (only.aliases.is_empty() || only.aliases.iter().any(|a| a.known().is_none()))
    {
        return Ok((only, Picked::OnlyOne));
    }
    let mut known: Vec<String> = distributions
        .iter()
        .flat_map(|d| {
            d.domain_name
                .iter()
                .cloned()
                .chain(d.aliases.iter().filter_map(Val::known).cloned())
        })
        .collect();
    known.truncate(12);
    Err(NotPicked::NoMatch { host, known })
}

fn normal_host(h: &str) -> String {
    let h = h.trim();
    // Strip a port, but not from a bracketed IPv6 literal.
    let h = match h.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => h,
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// What a behaviour's `TargetOriginId` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// One origin.
    Origin(&'a Origin),
    /// An origin group and its member origins, primary first.
    Group(&'a OriginGroup, Vec<&'a Origin>),
    /// An id the config does not define.
    Missing(&'a str),
}

impl<'a> Target<'a> {
    /// The origin that receives the request first (a group's primary).
    pub fn first_origin(&self) -> Option<&'a Origin> {
        match self {
            Target::Origin(o) => Some(o),
            Target::Group(_, members) => members.first().copied(),
            Target::Missing(_) => None,
        }
    }
}

/// The target of a behaviour.
pub fn target<'a>(d: &'a Distribution, b: &'a Behavior) -> Target<'a> {
    if let Some(o) = d.origin(&b.target) {
        return Target::Origin(o);
    }
    if let Some(g) = d.group(&b.target) {
        return Target::Group(g, g.members.iter().filter_map(|m| d.origin(m)).collect());
    }
    Target::Missing(&b.target)
}

/// A request's route through a distribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route<'a> {
    /// The distribution.
    pub distribution: &'a Distribution,
    /// How it was picked.
    pub picked: Picked,
    /// The request's path, when known.
    pub path: Option<String>,
    /// The cache behaviour (the default one when the path is unknown).
    pub behavior: &'a Behavior,
    /// Whether the behaviour was chosen by the path (`false`: the path is unknown).
    pub by_path: bool,
    /// Where the behaviour sends the request.
    pub target: Target<'a>,
}

/// Routes a request (`url`: a full URL, or `None`) through the distributions of a config.
pub fn route<'a>(
    distributions: &'a [Distribution],
    url: Option<&str>,
) -> Result<Route<'a>, NotPicked> {
    let (host, path) = url.map(split_url).unwrap_or((None, None));
    let (distribution, picked) = distribution_for(distributions, host)?;
    let behavior = match path {
        Some(p) => behavior_for(distribution, p),
        None => &distribution.default_behavior,
    };
    Ok(Route {
        distribution,
        picked,
        path: path.map(|p| path_only(p).to_string()),
        behavior,
        by_path: path.is_some(),
        target: target(distribution, behavior),
    })
}

/// A URL's host and path-with-query (`https://h:443/p?q` → `h:443`, `/p?q`); a bare path has no
/// host.
pub fn split_url(url: &str) -> (Option<&str>, Option<&str>) {
    let url = url.trim();
    if url.starts_with('/') {
        return (None, Some(url));
    }
    let Some((_, rest)) = url.split_once("://") else {
        return (None, None);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let path = &rest[end..];
    (
        Some(host).filter(|h| !h.is_empty()),
        Some(if path.is_empty() { "/" } else { path }),
    )
}

impl Picked {
    /// How sure the pick is: a name match beats a wildcard, which beats "the only one".
    fn rank(&self) -> u8 {
        match self {
            Picked::DomainName | Picked::Alias(_) => 3,
            Picked::WildcardAlias(_) => 2,
            Picked::OnlyOne => 1,
        }
    }
}

/// Routes a request through several config documents (a folder of them): the surest pick wins;
/// on a tie, a deployed distribution (one with an id: the API's answer, a Terraform state) over a
/// template, then the first document. Returns the route and the form of the document it came from.
pub fn route_any<'a>(
    configs: &'a [super::Configs],
    url: Option<&str>,
) -> Result<(Route<'a>, super::Form), NotPicked> {
    if let [only] = configs {
        return route(&only.distributions, url).map(|r| (r, only.form));
    }
    let mut best: Option<(Route<'a>, super::Form)> = None;
    let mut first_err = None;
    for c in configs {
        match route(&c.distributions, url) {
            // With several documents, "the only one of this document" says nothing.
            Ok(r) if r.picked == Picked::OnlyOne && url.is_some() => {}
            Ok(r) => {
                let key = |r: &Route<'_>| (r.picked.rank(), r.distribution.id.is_some());
                if best.as_ref().is_none_or(|(b, _)| key(b) < key(&r)) {
                    best = Some((r, c.form));
                }
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    let total: usize = configs.iter().map(|c| c.distributions.len()).sum();
    best.ok_or_else(|| match (url.map(split_url), first_err) {
        (Some((Some(host), _)), _) => NotPicked::NoMatch {
            host: normal_host(host),
            known: configs
                .iter()
                .flat_map(|c| &c.distributions)
                .flat_map(|d| {
                    d.domain_name
                        .iter()
                        .cloned()
                        .chain(d.aliases.iter().filter_map(Val::known).cloned())
                })
                .take(12)
                .collect(),
        },
        (_, Some(e)) => e,
        _ => NotPicked::NoHost { count: total },
    })
}
