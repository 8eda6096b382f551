//! The route checks of a deployment: one probe per route through Caddy,
//! with a state ID derived from host and path and the status it expects.

use super::command::Expect;
use crate::sema::model::{Model, Route, RouteAction};

/// A health check of one route through Caddy, from the controller.
#[derive(Clone, Debug)]
pub struct RouteCheck<'m> {
    pub id: String,
    pub route: &'m Route,
    pub url: String,
    pub expect: Expect,
}

/// One check per route, with unique IDs (`prefix` + host and path; a
/// suffix on a clash).
pub fn route_checks<'m>(model: &'m Model, prefix: &str) -> Vec<RouteCheck<'m>> {
    let mut out: Vec<RouteCheck> = Vec::new();
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for route in &model.routes {
        let mut base = format!("{prefix}{}", id_part(&route.host));
        if let Some(p) = &route.path {
            let p = id_part(p.trim_matches(|c| c == '/' || c == '*'));
            if !p.is_empty() {
                base.push('_');
                base.push_str(&p);
            }
        }
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let expect = match &route.action {
            RouteAction::Proxy(_) => Expect::Below500,
            RouteAction::Redirect { status, .. } => Expect::Status(*status),
            RouteAction::Respond { status, .. } => Expect::Status(*status),
        };
        out.push(RouteCheck {
            id,
            route,
            url: route_url(route),
            expect,
        });
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

/// `https://host/prefix`: the route's path up to its first wildcard.
pub fn route_url(route: &Route) -> String {
    let path = route
        .path
        .as_deref()
        .map(|p| p.split('*').next().unwrap_or(""))
        .unwrap_or("/");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    format!("https://{}{}", route.host, percent_encode(&path))
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
