//! Round trip: eosc's own examples compiled to Nomad jobs, the jobs fed to
//! `eosc import nomad`, and the imported spec checked: it has no errors,
//! and every app agrees with the original on what a Nomad job carries —
//! type, count, ports, tasks (image, command, args, env, resources),
//! health checks, volumes, schedule. Not compared, because a job does not
//! say them in eosc's terms: `runs_on` (a node-class constraint),
//! `rollout` (the update block), `depends_on` (deployment order, not in
//! the job), `secrets` (Vault templates, W0601), the Consul `service` name.

use crate::support::loader;

use eosc::import::{import, Format, Input, Options};
use eosc::MemLoader;
use loader::FsLoader;

fn models(path: &str) -> Vec<eosc::Model> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let c = eosc::check(&FsLoader::root_name(&p), &FsLoader::new(&p)).expect("spec");
    assert!(!c.has_errors(), "{path} has errors");
    c.models
}

fn same_app(a: &eosc::sema::model::App, b: &eosc::sema::model::App) -> Vec<String> {
    let mut d = Vec::new();
    let mut cmp = |what: &str, x: String, y: String| {
        if x != y {
            d.push(format!("{}: {what}: {x} != {y}", a.name));
        }
    };
    cmp(
        "type",
        format!("{:?}", a.job_type),
        format!("{:?}", b.job_type),
    );
    cmp("count", a.count.to_string(), b.count.to_string());
    // As Nomad sees them: a range is one port block per port, and a job
    // does not say which protocol the firewall opens (documented loss).
    let nomad_ports = |app: &eosc::sema::model::App| {
        app.ports
            .values()
            .flat_map(|p| p.nomad_ports())
            .collect::<Vec<_>>()
    };
    cmp(
        "ports",
        format!("{:?}", nomad_ports(a)),
        format!("{:?}", nomad_ports(b)),
    );
    cmp(
        "health",
        format!("{:?}", a.health),
        format!("{:?}", b.health),
    );
    cmp(
        "volumes",
        format!("{:?}", a.volumes),
        format!("{:?}", b.volumes),
    );
    cmp(
        "schedule",
        format!("{:?}", a.schedule),
        format!("{:?}", b.schedule),
    );
    cmp(
        "tasks",
        a.tasks.len().to_string(),
        b.tasks.len().to_string(),
    );
    for (x, y) in a.tasks.iter().zip(&b.tasks) {
        cmp("image", x.image.clone(), y.image.clone());
        cmp(
            "command",
            format!("{:?}", x.command),
            format!("{:?}", y.command),
        );
        cmp("args", format!("{:?}", x.args), format!("{:?}", y.args));
        cmp("env", format!("{:?}", x.env), format!("{:?}", y.env));
        cmp(
            "resources",
            format!("{:?}", x.resources),
            format!("{:?}", y.resources),
        );
    }
    d
}

fn round_trip(path: &str) -> usize {
    let original = models(path);
    let prod = original
        .iter()
        .find(|m| m.env.name == "production")
        .expect("production");
    let trees = eosc::compile(std::slice::from_ref(prod));
    let inputs: Vec<Input> = trees[0]
        .1
        .iter()
        .filter(|a| a.path.starts_with("nomad/") && a.path.ends_with(".hcl"))
        // The edge is eosc's own job (the proxy runtime), not an app to import.
        .filter(|a| a.path != "nomad/hecate-proxy.nomad.hcl")
        .map(|a| Input {
            format: Format::Nomad,
            name: a.path.clone(),
            text: a.contents.clone(),
        })
        .collect();
    assert!(!inputs.is_empty(), "{path}: no Nomad jobs");
    let out = import(
        &inputs,
        &Options {
            project: "roundtrip".into(),
        },
    );
    assert!(
        !out.has_errors(),
        "{path}: import errors: {:?}",
        out.diagnostics
            .iter()
            .map(|d| (&d.code, &d.message))
            .collect::<Vec<_>>()
    );
    let back = eosc::check(
        "hecate.hcl",
        &MemLoader::new([("hecate.hcl".to_string(), out.spec.clone())]),
    )
    .expect("check");
    assert!(
        !back.has_errors(),
        "{path}: the imported spec has errors: {:?}\n{}",
        back.diagnostics
            .iter()
            .map(|d| (&d.code, &d.message))
            .collect::<Vec<_>>(),
        out.spec
    );
    let imported = &back.models[0];
    let mut diffs = Vec::new();
    for (name, a) in &prod.apps {
        match imported.apps.get(name) {
            Some(b) => diffs.extend(same_app(a, b)),
            None => diffs.push(format!("{name}: not imported")),
        }
    }
    assert!(
        diffs.is_empty(),
        "{path}:\n{}\n{}",
        diffs.join("\n"),
        out.spec
    );
    prod.apps.len()
}

#[test]
fn minimal_example_round_trips_through_nomad() {
    assert_eq!(round_trip("examples/minimal/hecate.hcl"), 1);
}

#[test]
fn cybermonkey_example_round_trips_through_nomad() {
    assert!(round_trip("examples/cybermonkey/hecate.hcl") > 3);
}
