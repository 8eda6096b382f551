//! Every Nomad job of every example and valid case, per environment:
//! parsed by HashiCorp's HCL parser (hcl2json), left unchanged by hclwrite
//! (hclfmt, what `nomad fmt` runs), and accepted by the project's jobspec
//! structural check.
//!
//! The jobs of one spec and environment go through the tools in one file
//! (each tool start costs seconds): the jobs are independent top-level
//! blocks, each opened by its header comment, so neither parsing nor
//! formatting of one can depend on another.

use crate::support::nomad_jobspec;
use crate::support::specs;
use crate::support::tools;

use serde_json::json;
use tools::{hcl2json, hclfmt, tool, TempDir};

#[test]
fn every_job_of_every_spec_is_valid_and_canonical() {
    let (Some(parser), Some(fmt)) = (tool("hcl2json"), tool("hclfmt")) else {
        return;
    };
    let dir = TempDir::new("nomad-specs");
    let mut checked = 0;
    let mut failures = Vec::new();
    for spec in specs::all() {
        for model in specs::models(&spec) {
            let jobs = eosc::emit::nomad::emit(&model);
            if jobs.is_empty() {
                continue;
            }
            let label = format!("{} ({})", specs::name(&spec), model.env.name);
            let all: String = jobs.iter().map(|a| a.contents.as_str()).collect();
            let file = dir.write(
                &format!("{}-{}.nomad.hcl", specs::name(&spec), model.env.name),
                &all,
            );
            if hclfmt(&fmt, &file) != all {
                for a in &jobs {
                    let one = dir.write("one.nomad.hcl", &a.contents);
                    if hclfmt(&fmt, &one) != a.contents {
                        failures.push(format!("{label}: {} is not canonically formatted", a.path));
                    }
                }
            }
            let parsed = match hcl2json(&parser, &file) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{label}: {e}"));
                    continue;
                }
            };
            let by_name = parsed["job"].as_object().cloned().unwrap_or_default();
            assert_eq!(by_name.len(), jobs.len(), "{label}: one job block per app");
            for (name, body) in by_name {
                let errors = nomad_jobspec::check(&json!({ "job": { name.clone(): body } }));
                if !errors.is_empty() {
                    failures.push(format!("{label}: job {name}: {errors:#?}"));
                }
                checked += 1;
            }
            assert!(
                parsed
                    .as_object()
                    .is_some_and(|o| o.keys().all(|k| k == "job")),
                "{label}: {parsed}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("nomad: {checked} jobs parsed, canonical and structurally valid");
}
