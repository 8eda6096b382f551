//! Nomad jobs: one `nomad/<app>.nomad.hcl` per app, built with hcl-rs.
//!
//! Shape of a job: job-level placement (datacenters, region, type, meta,
//! `${node.class}` constraint, periodic), then one group named after the
//! app holding network, volumes, restart, update, services and the tasks.

mod placement;
pub mod proxy;
mod service;
mod task;
mod template;

use super::hcl_out::{self, string};
use super::names;
use super::{header, Artifact};
use crate::sema::model::{App, JobType, Model, Strategy};
use hcl::{Block, Body, Expression};

pub use crate::emit::names::service_name;
pub use template::{go_template_text, secrets_template};

/// Every Nomad job of the model: the proxy job when the spec has an edge
/// (routes or streams), then one per app, in app order.
pub fn emit(model: &Model) -> Vec<Artifact> {
    let mut out = Vec::new();
    if proxy::wanted(model) {
        out.push(Artifact::new(proxy::path(), proxy::job_text(model)));
    }
    out.extend(
        model
            .apps
            .values()
            .map(|app| Artifact::new(job_path(&app.name), job_text(model, app))),
    );
    out
}

pub use crate::emit::names::job_path;

/// The canonical HCL text of one app's job.
pub fn job_text(model: &Model, app: &App) -> String {
    let body = Body::builder().add_block(job(model, app)).build();
    hcl_out::render(&header(model, "#"), &body)
}

fn job(model: &Model, app: &App) -> Block {
    let mut job = Block::builder("job")
        .add_label(app.name.as_str())
        .add_attribute(("datacenters", strings(&model.project.datacenters)))
        .add_attribute(("region", string(&model.project.region)))
        .add_attribute(("type", string(app.job_type.as_str())))
        .add_block(meta(model, app));
    if let Some(class) = app
        .runs_on
        .as_ref()
        .and_then(|s| model.servers.get(s))
        .map(|s| &s.node_class)
    {
        // `${node.class}` is Nomad's own interpolation, not user text.
        job = job.add_block(
            Block::builder("constraint")
                .add_attribute(("attribute", hcl_out::template("${node.class}")))
                .add_attribute(("value", string(class)))
                .build(),
        );
    }
    for c in &app.scheduling.constraints {
        job = job.add_block(placement::constraint(c));
    }
    if let (JobType::Batch, Some(cron)) = (app.job_type, &app.schedule) {
        let mut periodic = Block::builder("periodic")
            .add_attribute(("crons", strings(std::slice::from_ref(cron))))
            .add_attribute(("prohibit_overlap", !app.scheduling.overlap_allowed));
        if let Some(tz) = &app.scheduling.time_zone {
            periodic = periodic.add_attribute(("time_zone", string(tz)));
        }
        job = job.add_block(periodic.build());
    }
    job.add_block(group(model, app)).build()
}

/// The hash of this app's part of the checked spec (the app and its
/// rollout). Job meta is part of the job: a hash of the whole spec would make
/// every job a new version, and redeploy every app, on any edit.
fn app_hash(model: &Model, app: &App) -> String {
    let rollout = app.rollout.as_deref().and_then(|r| model.rollouts.get(r));
    let doc = serde_json::json!({ "app": app, "rollout": rollout });
    crate::digest::json_hash(&doc)
}

fn meta(model: &Model, app: &App) -> Block {
    let mut meta = Block::builder("meta")
        .add_attribute(("eosc_version", string(env!("CARGO_PKG_VERSION"))))
        .add_attribute(("spec_hash", string(&app_hash(model, app))));
    if let Some(version) = app.tasks.first().and_then(|t| image_tag(&t.image)) {
        meta = meta.add_attribute(("version", string(version)));
    }
    // The user's keys after eosc's (sema refuses eosc's three names).
    for (k, v) in &app.scheduling.job_meta {
        meta = meta.add_attribute((k.as_str(), string(v)));
    }
    meta.build()
}

/// The tag of an image reference (`registry:5000/x:1.2` → `1.2`), if any.
fn image_tag(image: &str) -> Option<&str> {
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    last.split_once(':').map(|(_, tag)| tag)
}

fn group(model: &Model, app: &App) -> Block {
    let mut group = Block::builder("group").add_label(app.name.as_str());
    // System jobs place one allocation per eligible node; Nomad rejects a
    // count above one there.
    if app.job_type != JobType::System {
        group = group.add_attribute(("count", u64::from(app.count)));
    }
    if !app.ports.is_empty() || names::dials_consul(app) {
        group = group.add_block(network(app));
    }
    for v in &app.volumes {
        group = group.add_block(
            Block::builder("volume")
                .add_label(v.name.as_str())
                .add_attribute(("type", string("host")))
                .add_attribute(("source", string(&v.host)))
                .add_attribute(("read_only", v.read_only))
                .build(),
        );
    }
    if app.ephemeral_disk_mb.is_some() || app.scheduling.disk_flags() {
        group = group.add_block(placement::ephemeral_disk(app));
    }
    for a in &app.scheduling.affinities {
        group = group.add_block(placement::affinity(a));
    }
    for sp in &app.scheduling.spreads {
        group = group.add_block(placement::spread(sp));
    }
    group = group.add_block(restart(app));
    if let Some(r) = &app.scheduling.reschedule {
        group = group.add_block(placement::reschedule(r));
    }
    if let Some(m) = &app.scheduling.migrate {
        group = group.add_block(placement::migrate(m));
    }
    if let Some(update) = update(model, app) {
        group = group.add_block(update);
    }
    for s in service::services(model, app) {
        group = group.add_block(s);
    }
    for i in 0..app.tasks.len() {
        group = group.add_block(task::task(model, app, i));
    }
    group.build()
}

fn network(app: &App) -> Block {
    let mut net = Block::builder("network");
    // A static range is one port block per port (Nomad has no ranges).
    for (label, static_port, to) in app.ports.values().flat_map(|p| p.nomad_ports()) {
        net = net.add_block(port_block(&label, static_port, to));
    }
    // Containers cannot reach the host's resolver stub on 127.0.0.53: an
    // app that dials `*.service.consul` gets the stub on the Docker
    // bridge's gateway, which forwards `.consul` to the local Consul agent
    // (cloud-init) and everything else upstream.
    if names::dials_consul(app) {
        net = net.add_block(
            Block::builder("dns")
                .add_attribute(("servers", strings(&[names::CONTAINER_DNS.to_string()])))
                .build(),
        );
    }
    net.build()
}

pub(crate) fn port_block(label: &str, static_port: Option<u16>, to: Option<u16>) -> Block {
    let mut p = Block::builder("port").add_label(label);
    if let Some(s) = static_port {
        p = p.add_attribute(("static", u64::from(s)));
    }
    if let Some(to) = to {
        p = p.add_attribute(("to", u64::from(to)));
    }
    p.build()
}

/// The model's restart policy (`App::restart`) as Nomad's block.
fn restart(app: &App) -> Block {
    let r = app.restart();
    Block::builder("restart")
        .add_attribute(("attempts", u64::from(r.attempts)))
        .add_attribute(("interval", string(&go_duration(r.interval))))
        .add_attribute(("delay", string(&go_duration(r.delay))))
        .add_attribute(("mode", string(r.mode)))
        .build()
}

/// The rollout as Nomad's update block. Canary and blue/green deploy
/// canaries that wait for promotion (by the pipeline's traffic stages, or
/// the operator); batch jobs have no deployments.
fn update(model: &Model, app: &App) -> Option<Block> {
    if app.job_type == JobType::Batch {
        return None;
    }
    let rollout = model.rollouts.get(app.rollout.as_deref()?)?;
    let mut b = Block::builder("update")
        .add_attribute(("max_parallel", u64::from(rollout.max_parallel)))
        .add_attribute((
            "min_healthy_time",
            string(&go_duration(rollout.min_healthy_time)),
        ))
        .add_attribute((
            "healthy_deadline",
            string(&go_duration(rollout.healthy_deadline)),
        ))
        .add_attribute(("auto_revert", rollout.auto_revert));
    if let Some(p) = rollout.progress_deadline {
        b = b.add_attribute(("progress_deadline", string(&go_duration(p))));
    }
    if let Some(s) = rollout.stagger {
        b = b.add_attribute(("stagger", string(&go_duration(s))));
    }
    if let Some(h) = &rollout.health_check {
        b = b.add_attribute(("health_check", string(h)));
    }
    // System jobs cannot run canaries.
    let canaries = match (app.job_type, rollout.strategy) {
        (JobType::System, _) | (_, Strategy::Rolling) => None,
        (_, Strategy::Canary) => Some(u64::from(rollout.canaries.unwrap_or(1))),
        (_, Strategy::BlueGreen) => Some(u64::from(app.count.max(1))),
    };
    if let Some(n) = canaries {
        b = b
            .add_attribute(("canary", n))
            .add_attribute(("auto_promote", false));
    }
    Some(b.build())
}

/// Whether the app's services carry the stable/canary tags Caddy dials.
pub fn has_canaries(model: &Model, app: &App) -> bool {
    app.job_type == JobType::Service
        && app
            .rollout
            .as_deref()
            .and_then(|r| model.rollouts.get(r))
            .is_some_and(|r| r.strategy != Strategy::Rolling)
}

fn strings(items: &[String]) -> Expression {
    Expression::Array(items.iter().map(|s| string(s)).collect())
}

/// A Go `time.ParseDuration` string in the largest exact unit.
pub use crate::sema::model::go_duration;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(go_duration(Duration::from_secs(30)), "30s");
        assert_eq!(go_duration(Duration::from_secs(90)), "90s");
        assert_eq!(go_duration(Duration::from_secs(600)), "10m");
        assert_eq!(go_duration(Duration::from_secs(7200)), "2h");
        assert_eq!(go_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(go_duration(Duration::ZERO), "0ms");
    }

    #[test]
    fn tags() {
        assert_eq!(image_tag("registry.x:5000/helen:2026.1"), Some("2026.1"));
        assert_eq!(image_tag("registry.x:5000/helen"), None);
        assert_eq!(image_tag("postgres:16@sha256:abc"), Some("16"));
    }
}
