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

/// The cybermonkey example's Authentik job, read by HashiCorp's parser: the
/// docker socket (seed 004:316) is mounted in the worker task only, which
/// runs as root (004:318); the server publishes the ports and binds its
/// blueprints from the task directory; both mount /media. The task-level
/// options are what put each mount where it belongs (before them, every
/// volume went into every task).
#[test]
fn the_authentik_worker_alone_mounts_the_docker_socket() {
    let Some(parser) = tool("hcl2json") else {
        return;
    };
    let dir = TempDir::new("authentik-tasks");
    let spec = specs::root().join("examples/cybermonkey/hecate.hcl");
    let models = specs::models(&spec);
    assert!(!models.is_empty());
    for model in models {
        let job = eosc::emit::nomad::emit(&model)
            .into_iter()
            .find(|a| a.path.ends_with("authentik.nomad.hcl"))
            .expect("an authentik job");
        let file = dir.write(&format!("{}.nomad.hcl", model.env.name), &job.contents);
        let parsed = hcl2json(&parser, &file).expect("hcl2json parses the job");
        let group = &parsed["job"]["authentik"][0]["group"]["authentik"][0];
        let task = |name: &str| group["task"][name][0].clone();
        let mounts = |name: &str| -> Vec<(String, String)> {
            task(name)["volume_mount"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| {
                    (
                        m["volume"].as_str().unwrap_or_default().to_string(),
                        m["destination"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        };
        let env = &model.env.name;
        let socket = ("docker".to_string(), "/var/run/docker.sock".to_string());
        let media = ("media".to_string(), "/media".to_string());
        assert_eq!(
            mounts("worker"),
            vec![media.clone(), socket.clone()],
            "{env}"
        );
        assert_eq!(mounts("server"), vec![media], "{env}");
        // The group claims the socket's host volume; the client offers it at
        // the socket's own path (cloud-init), not at a directory eosc makes.
        let volumes = group["volume"].as_object().expect("group volumes");
        assert_eq!(volumes["docker"][0]["source"], "docker-sock", "{env}");
        assert_eq!(task("worker")["user"], "root", "{env}");
        assert!(task("server").get("user").is_none(), "{env}");
        let server_config = &task("server")["config"][0];
        assert_eq!(
            server_config["ports"],
            json!(["http", "https", "metrics"]),
            "{env}"
        );
        assert!(task("worker")["config"][0].get("ports").is_none(), "{env}");
        assert_eq!(
            server_config["mount"][0],
            json!({"type": "bind", "source": "local/blueprints", "target": "/blueprints/custom", "readonly": true}),
            "{env}"
        );
        let user_data: String = eosc::emit::emit_planned(&model, &eosc::plan::plan(&model))
            .into_iter()
            .filter(|a| a.path.ends_with(".tf"))
            .map(|a| a.contents)
            .collect();
        assert!(
            user_data.contains(
                "host_volume \"docker-sock\" {\n          path      = \"/var/run/docker.sock\""
            ),
            "{env}: the client declares the socket's host volume at the socket"
        );
        assert!(
            !user_data.contains("mkdir -p /var/run/docker.sock"),
            "{env}: cloud-init must not make a directory where the socket goes"
        );
    }
}
