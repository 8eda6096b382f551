//! E0409: two environments that would own the same external thing. Each
//! environment is deployed by its own Terraform state and its own Salt run;
//! if two of them create one DNS rrset, one Caddy host or one Nomad job,
//! each apply undoes the other's. This compares every pair of
//! environments' models after each was checked on its own.
//!
//! Shared by design, and so not compared: a zone marked `existing = true`
//! (read by both, created by neither; its rrsets are still compared).

use super::model::{Model, PROXY_JOB};
use super::resolve::Symbols;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use indexmap::IndexMap;
use std::collections::HashMap;

/// What an environment owns outside itself, by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Thing {
    Zone,
    Rrset,
    RouteHost,
    Server,
    Job,
    ConsulKv,
    AuthentikSlug,
    TerraformState,
}

impl Thing {
    fn what(self) -> &'static str {
        match self {
            Thing::Zone => "DNS zone",
            Thing::Rrset => "DNS rrset",
            Thing::RouteHost => "route host",
            Thing::Server => "Hetzner server name",
            Thing::Job => "Nomad job",
            Thing::ConsulKv => "Consul KV path",
            Thing::AuthentikSlug => "Authentik application slug",
            Thing::TerraformState => "Terraform state path",
        }
    }

    fn help(self, later: &str) -> String {
        match self {
            Thing::Zone => "a zone both environments use is shared by design: mark it `existing = true` (create it once, outside eosc) and give the environments distinct record names with `host_suffix`".to_string(),
            Thing::Rrset | Thing::RouteHost | Thing::AuthentikSlug => format!(
                "give environment `{later}` its own names: `host_suffix = \"-{later}\"` in its `environment` block makes `api.example.com` `api-{later}.example.com` and renames its records the same way"
            ),
            Thing::Job => format!(
                "give environment `{later}` its own Nomad region (`region = \"{later}\"` in its `environment` block; its servers' agents join that region)"
            ),
            Thing::Server | Thing::ConsulKv | Thing::TerraformState => "these names are made from the environment's name; rename one of the environments so the names differ (Hetzner names are lower case, with `-` for `_`)".to_string(),
        }
    }
}

/// One owned thing: its identity, how it is shown, where the spec says it.
#[derive(Clone, Debug)]
pub struct Owned {
    pub thing: Thing,
    pub key: String,
    pub shown: String,
    /// Said after the name (the region of a job, the zone of an rrset).
    pub context: String,
    pub span: Span,
}

/// Everything `model` would own, in a stable order.
pub fn inventory(model: &Model, syms: &Symbols<'_>) -> Vec<Owned> {
    let env_span = syms
        .get("environment", &model.env.name)
        .and_then(|b| b.labels.first())
        .map(|l| l.span)
        .unwrap_or_default();
    let suffix = model.env.host_suffix.as_deref();
    let mut out = Vec::new();
    let mut push = |thing, key: String, shown: String, context: String, span| {
        out.push(Owned {
            thing,
            key,
            shown,
            context,
            span,
        })
    };
    for zone in model.zones.values() {
        let block = syms
            .of("dns")
            .find(|(n, _)| n.trim_end_matches('.').eq_ignore_ascii_case(&zone.name))
            .map(|(_, b)| *b);
        let zone_span = block
            .and_then(|b| b.labels.first())
            .map(|l| l.span)
            .unwrap_or(env_span);
        if !zone.existing {
            push(
                Thing::Zone,
                zone.name.clone(),
                zone.name.clone(),
                String::new(),
                zone_span,
            );
        }
        // The record blocks of this zone by their name as the environment
        // renames it (lower case), the first of each name: where a shared
        // record is reported. One map per zone, not a scan per record.
        let mut record_spans: HashMap<String, Span> = HashMap::new();
        for r in block
            .into_iter()
            .flat_map(|b| b.body.blocks.iter())
            .filter(|r| r.kind.name == "record")
        {
            if let Some(l) = r.labels.first() {
                let n = match suffix {
                    Some(s) => super::env_names::record_name(&l.name, s),
                    None => l.name.clone(),
                };
                record_spans.entry(n.to_ascii_lowercase()).or_insert(l.span);
            }
        }
        for rec in &zone.records {
            let span = record_spans
                .get(&rec.name.to_ascii_lowercase())
                .copied()
                .unwrap_or(zone_span);
            let fqdn = if rec.name == "@" || rec.name.is_empty() {
                zone.name.clone()
            } else {
                format!("{}.{}", rec.name, zone.name)
            };
            push(
                Thing::Rrset,
                format!("{}|{}|{}", zone.name, fqdn.to_ascii_lowercase(), rec.rtype),
                format!("{fqdn} {}", rec.rtype),
                format!(" in zone `{}`", zone.name),
                span,
            );
        }
    }
    let zone_names: Vec<&str> = model.zones.keys().map(String::as_str).collect();
    // Route blocks by their host as the environment renames it, the first
    // of each host.
    let mut route_spans: HashMap<String, Span> = HashMap::new();
    for b in &syms.routes {
        if let Some(l) = b.labels.first() {
            let n = l.name.to_ascii_lowercase();
            let n = match suffix {
                Some(s) => super::env_names::host(&n, &zone_names, s),
                None => n,
            };
            route_spans.entry(n).or_insert(l.span);
        }
    }
    let route_span = |host: &str| route_spans.get(host).copied().unwrap_or(env_span);
    let mut hosts: Vec<&str> = model.routes.iter().map(|r| r.host.as_str()).collect();
    hosts.dedup();
    for h in hosts {
        push(
            Thing::RouteHost,
            h.to_string(),
            h.to_string(),
            String::new(),
            route_span(h),
        );
    }
    for r in &model.routes {
        if let Some(auth) = &r.auth {
            let slug: String = format!("{auth}_{}", r.host)
                .to_ascii_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            push(
                Thing::AuthentikSlug,
                slug.clone(),
                slug,
                String::new(),
                route_span(&r.host),
            );
        }
    }
    for s in model.servers.values() {
        let span = syms
            .get("server", &s.name)
            .and_then(|b| b.labels.first())
            .map(|l| l.span)
            .unwrap_or(env_span);
        let name = model.cloud_name(&s.name);
        push(
            Thing::Server,
            name.clone(),
            format!("{name}-<n>"),
            String::new(),
            span,
        );
    }
    let region = &model.project.region;
    let mut jobs: Vec<(&str, Span)> = model
        .apps
        .keys()
        .map(|a| {
            let span = syms
                .get("app", a)
                .and_then(|b| b.labels.first())
                .map(|l| l.span)
                .unwrap_or(env_span);
            (a.as_str(), span)
        })
        .collect();
    if !model.routes.is_empty() || !model.streams.is_empty() {
        let span = syms
            .routes
            .first()
            .copied()
            .or_else(|| syms.of("stream").map(|(_, b)| *b).next())
            .and_then(|b| b.labels.first())
            .map(|l| l.span)
            .unwrap_or(env_span);
        jobs.push((PROXY_JOB, span));
    }
    for (job, span) in jobs {
        push(
            Thing::Job,
            format!("{region}|default|{job}"),
            job.to_string(),
            format!(" in region `{region}`, namespace `default`"),
            span,
        );
    }
    for root in ["terraform", "terraform-auth"] {
        let p = model.terraform_state_path(root);
        push(Thing::TerraformState, p.clone(), p, String::new(), env_span);
    }
    for leaf in ["deployment", "promoted", "release"] {
        let p = format!("{}/{leaf}", model.consul_prefix());
        push(Thing::ConsulKv, p.clone(), p, String::new(), env_span);
    }
    out
}

/// E0409 for every pair of environments and every kind they share: the
/// first shared name of that kind, on the later environment's spec text.
pub fn check(models: &[Model], syms: &Symbols<'_>) -> Vec<Diagnostic> {
    // One environment owns everything alone.
    if models.len() < 2 {
        return Vec::new();
    }
    let inventories: Vec<Vec<Owned>> = models.iter().map(|m| inventory(m, syms)).collect();
    let mut out = Vec::new();
    for (i, a) in models.iter().enumerate() {
        let a_keys: IndexMap<(Thing, &str), &Owned> = inventories[i]
            .iter()
            .map(|o| ((o.thing, o.key.as_str()), o))
            .collect();
        for (j, b) in models.iter().enumerate().skip(i + 1) {
            let mut reported: Vec<Thing> = Vec::new();
            for o in &inventories[j] {
                if reported.contains(&o.thing) {
                    continue;
                }
                let Some(first) = a_keys.get(&(o.thing, o.key.as_str())) else {
                    continue;
                };
                reported.push(o.thing);
                let (ea, eb) = (&a.env.name, &b.env.name);
                let mut d = Diagnostic::error(
                    Code::E0409,
                    o.span,
                    format!(
                        "environments `{ea}` and `{eb}` both own {} `{}`{}",
                        o.thing.what(),
                        o.shown,
                        o.context
                    ),
                )
                .label(format!("owned by `{ea}` and by `{eb}`"));
                if first.span != o.span {
                    d = d.with_secondary(first.span, format!("as `{ea}` names it"));
                }
                // The one to rename: the environment promoted from (staging
                // keeps production's names free), else the later one.
                let rename = if b.env.promote_from.as_deref() == Some(ea.as_str()) {
                    ea
                } else {
                    eb
                };
                out.push(d.help(o.thing.help(rename)));
            }
        }
    }
    out
}

/// E0411: an environment that promotes from another deploys the images its
/// source verified, unless it says `own_images = true`. The first app task
/// whose image differs is named, on its `image` attribute.
pub fn promoted_images(models: &[Model], syms: &Symbols<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in models {
        let Some(from) = m.env.promote_from.as_deref() else {
            continue;
        };
        if m.env.own_images {
            continue;
        }
        let Some(src) = models.iter().find(|s| s.env.name == from) else {
            continue;
        };
        let differing = m.apps.values().find_map(|app| {
            let theirs = src.apps.get(&app.name)?;
            app.tasks.iter().find_map(|t| {
                let other = theirs.tasks.iter().find(|o| o.name == t.name)?;
                (other.image != t.image).then(|| (app, t, other.image.clone()))
            })
        });
        let Some((app, task, theirs)) = differing else {
            continue;
        };
        let block = syms.get("app", &app.name);
        let span = block
            .and_then(|b| {
                b.body
                    .blocks_of("task")
                    .find(|tb| tb.labels.first().is_some_and(|l| l.name == task.name))
                    .and_then(|tb| tb.body.attr("image"))
                    .or_else(|| b.body.attr("image"))
                    .map(|a| a.value.span)
                    .or_else(|| b.labels.first().map(|l| l.span))
            })
            .unwrap_or_default();
        let env = &m.env.name;
        let mut d = Diagnostic::error(
            Code::E0411,
            span,
            format!(
                "environment `{env}` promotes from `{from}` but deploys `{}` as `{}`, where `{from}` deploys `{theirs}`",
                if app.tasks.len() > 1 { format!("{}/{}", app.name, task.name) } else { app.name.clone() },
                task.image
            ),
        )
        .label(format!("another image in `{env}` than in `{from}`"));
        if let Some(p) = syms
            .get("environment", env)
            .and_then(|b| b.body.attr("promote_from"))
        {
            d = d.with_secondary(
                p.value.span,
                format!("`{env}` deploys what `{from}` verified"),
            );
        }
        out.push(d.help(format!(
            "give both environments the same values for the variables in the image (their `vars`), so `{env}` deploys the build `{from}` verified; or set `own_images = true` in environment `{env}` if it deploys a build of its own"
        )));
    }
    out
}
