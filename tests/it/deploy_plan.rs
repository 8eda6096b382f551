//! The deploy plan of every example and ok case: each orchestration lists
//! its steps in an order its requisites allow (every `require`/`onfail`
//! names an earlier step of the same orchestration, IDs unique), the Nomad
//! waves run in order with each wave after the previous wave's health
//! step, the edge first; and Salt renders exactly the plan's steps, in the
//! plan's order (state IDs of each SLS file, read back as YAML).

use crate::support::specs;
use eosc::plan::{Command, Gate, StepKind};
use std::collections::HashSet;

#[test]
fn every_plan_is_ordered_and_rendered_as_planned() {
    let mut checked = 0;
    for spec in specs::all() {
        let label = specs::name(&spec);
        for model in specs::models(&spec) {
            let plan = eosc::plan::plan(&model);
            let salt = eosc::emit::salt::emit(&model);
            for o in plan.orchestrations() {
                let mut seen: HashSet<&str> = HashSet::new();
                for s in &o.steps {
                    for r in s.require.iter().chain(&s.onfail) {
                        assert!(
                            seen.contains(r.as_str()),
                            "{label} {}: {} requires {r}, not an earlier step",
                            o.sls,
                            s.id
                        );
                    }
                    assert!(seen.insert(&s.id), "{label} {}: {} twice", o.sls, s.id);
                }
                let file = salt
                    .iter()
                    .find(|a| a.path == o.path)
                    .unwrap_or_else(|| panic!("{label}: no {}", o.path));
                let yaml: serde_yaml::Mapping =
                    serde_yaml::from_str(&file.contents).expect("SLS is YAML");
                let ids: Vec<&str> = yaml.keys().filter_map(|k| k.as_str()).collect();
                let want: Vec<&str> = o.steps.iter().map(|s| s.id.as_str()).collect();
                assert_eq!(ids, want, "{label} {}", o.path);
            }
            // Waves: in order, each job after the previous wave's health.
            let mut last_wave = 0;
            let mut gates: Vec<String> = Vec::new();
            for s in &plan.deploy.steps {
                match &s.kind {
                    StepKind::NomadJob { wave, job } => {
                        assert!(*wave >= last_wave, "{label}: wave {wave} after {last_wave}");
                        last_wave = *wave;
                        if *wave == 0 {
                            assert_eq!(job, eosc::plan::names::PROXY_JOB);
                        }
                        if let Some(g) = gates.last() {
                            assert!(s.require.contains(g), "{label}: {} without {g}", s.id);
                        }
                    }
                    StepKind::NomadWave { .. } => gates.push(s.id.clone()),
                    StepKind::CaddyLoad => {
                        for g in &gates {
                            assert!(s.require.contains(g), "{label}: Caddy before {g}");
                        }
                    }
                    _ => {}
                }
            }
            assert_eq!(
                eosc::emit::names::proxy_wanted(&model),
                plan.deploy
                    .steps
                    .iter()
                    .any(|s| matches!(&s.kind, StepKind::NomadJob { wave: 0, .. })),
                "{label}: the edge is wave 0 exactly when the spec has one"
            );
            let gates = plan.pipeline();
            assert!(matches!(gates.first(), Some(Gate::Preview { .. })));
            assert!(matches!(gates.get(1), Some(Gate::Deploy { .. })));
            assert!(matches!(gates.last(), Some(Gate::Promote { .. })));
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} plans");
}

/// The files a step's commands write (`ToFile`) and the last-good files
/// its reverts read (`RevertJob`).
fn written_and_read(steps: &[eosc::plan::Step]) -> (Vec<String>, Vec<(String, String)>) {
    let (mut written, mut read) = (Vec::new(), Vec::new());
    for s in steps {
        let eosc::plan::Action::Run { commands, .. } = &s.action else {
            continue;
        };
        for c in commands {
            match c {
                Command::ToFile { file, .. } => written.push(file.clone()),
                Command::RevertJob { job, file, .. } => read.push((job.clone(), file.clone())),
                _ => {}
            }
        }
    }
    (written, read)
}

/// Every job the rollback reverts, the edge job (`hecate-proxy`) among
/// them, has its last good version recorded by the deployment's record
/// step: a revert that reads a file nothing writes leaves the job as it is.
#[test]
fn the_record_step_saves_every_version_the_rollback_reverts_to() {
    let mut edges = 0;
    for spec in specs::all() {
        let label = specs::name(&spec);
        for model in specs::models(&spec) {
            let plan = eosc::plan::plan(&model);
            let record: Vec<eosc::plan::Step> = plan
                .deploy
                .steps
                .iter()
                .filter(|s| s.kind == StepKind::Record)
                .cloned()
                .collect();
            let (written, _) = written_and_read(&record);
            let (_, read) = written_and_read(&plan.rollback.steps);
            for (job, file) in &read {
                assert!(
                    written.contains(file),
                    "{label}: the rollback reverts {job} to {file}, which the record step never writes"
                );
                edges += usize::from(job == eosc::plan::names::PROXY_JOB);
            }
        }
    }
    assert!(edges > 5, "only {edges} plans with an edge job");
}
