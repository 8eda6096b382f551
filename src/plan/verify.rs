//! The route checks of a deployment: one probe per `verify` block of a
//! route (one of the route's own URL when it has none) through Caddy, with
//! a state ID derived from host and path, the exact status it expects and,
//! where declared, a body substring and headers.

use super::command::Expect;
use crate::sema::model::{Model, Route};

/// A health check of one route through Caddy, from the controller.
#[derive(Clone, Debug)]
pub struct RouteCheck<'m> {
    pub id: String,
    pub route: &'m Route,
    pub url: String,
    pub expect: Expect,
}

/// One check per `verify` block of each route (one per route without),
/// with unique IDs (`prefix` + host and path; a suffix on a clash).
pub fn route_checks<'m>(model: &'m Model, prefix: &str) -> Vec<RouteCheck<'m>> {
    let mut out: Vec<RouteCheck> = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for route in &model.routes {
        let own = route_path(route);
        let checks: Vec<(String, Expect)> = if route.verify.is_empty() {
            vec![(own.clone(), Expect::Status(route.default_status()))]
        } else {
            route
                .verify
                .iter()
                .map(|v| {
                    let expect = if v.body_contains.is_none() && v.headers.is_empty() {
                        Expect::Status(v.status)
                    } else {
                        Expect::Answer {
                            status: v.status,
                            body_contains: v.body_contains.clone(),
                            headers: v
                                .headers
                                .iter()
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect(),
                        }
                    };
                    (v.path.clone().unwrap_or_else(|| own.clone()), expect)
                })
                .collect()
        };
        for (path, expect) in checks {
            let mut base = format!("{prefix}{}", id_part(&route.host));
            let p = id_part(path.trim_matches(|c| c == '/' || c == '*'));
            if !p.is_empty() {
                base.push('_');
                base.push_str(&p);
            }
            let id = super::names::unique_id(&mut taken, base);
            out.push(RouteCheck {
                id,
                route,
                url: format!("https://{}{}", route.host, percent_encode(&path)),
                expect,
            });
        }
    }
    out
}

fn id_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The route's path up to its first wildcard (`/` for the whole host).
fn route_path(route: &Route) -> String {
    let path = route
        .path
        .as_deref()
        .map(|p| p.split('*').next().unwrap_or(""))
        .unwrap_or("/");
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~/!$&()+,;=:@".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
