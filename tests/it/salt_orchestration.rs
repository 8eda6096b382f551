//! The deployment run by real Salt: `salt-call --local state.sls
//! hecate.orchestrate` executes the generated orchestration with Salt's own
//! state engine (requisites, onfail, results), in a user and mount
//! namespace whose `/srv` is a temporary directory (so `hecate.files`
//! really puts the artifacts in place and the record step really writes).
//! What a master would do, sending `salt.function` states to minions and
//! running nested orchestrations, a test-only `saltutil` stand-in does on
//! the one local minion (support/salt/standin/saltutil.py); `nomad`,
//! `terraform`, `consul` and `curl` are test-only stand-ins on `PATH` that
//! answer as their documented CLIs do (exit codes above all).
//!
//! A failed `nomad job run` in wave 1, or a wave-1 deployment that Nomad
//! reports failed, must stop wave 2 and fail the orchestration (and run
//! the rollback); with nothing failing, every wave runs, in order. A route
//! whose verify gets another status than the one it expects (404 for
//! 200), or a page without the text it must contain, fails the
//! orchestration and runs the rollback.

use crate::support::salt::model;
use crate::support::salt::real::SaltTree;
use crate::support::tools::TempDir;
use eosc::plan::StepKind;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

struct Run {
    ok: bool,
    /// `__id__` → (result, comment).
    states: std::collections::BTreeMap<String, (Value, String)>,
    /// One line per stand-in call, in order.
    log: Vec<String>,
    raw: String,
}

/// Whether `unshare --user --map-root-user --mount` works here.
fn namespaces() -> bool {
    let ok = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .status()
        .is_ok_and(|s| s.success())
        && Path::new("/srv").is_dir();
    if !ok {
        let msg =
            "salt_orchestration needs `unshare --user --mount` (util-linux) and a /srv directory";
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
    }
    ok
}

/// What one URL answers instead of what its check expects.
struct Answer<'a> {
    url: &'a str,
    status: u16,
    body: &'a str,
}

fn orchestrate(fail_run: &[&str], fail_deploy: &[&str]) -> Option<Run> {
    orchestrate_answering(fail_run, fail_deploy, &[])
}

fn orchestrate_answering(
    fail_run: &[&str],
    fail_deploy: &[&str],
    wrong: &[Answer<'_>],
) -> Option<Run> {
    run_orchestration(fail_run, fail_deploy, wrong, &[])
}

/// The deployment with extra environment for the stand-ins.
fn orchestrate_env(env: &[(&str, &str)]) -> Option<Run> {
    run_orchestration(&[], &[], &[], env)
}

fn run_orchestration(
    fail_run: &[&str],
    fail_deploy: &[&str],
    wrong: &[Answer<'_>],
    extra_env: &[(&str, &str)],
) -> Option<Run> {
    run_env_orchestration("staging", fail_run, fail_deploy, wrong, extra_env)
}

fn run_env_orchestration(
    env: &str,
    fail_run: &[&str],
    fail_deploy: &[&str],
    wrong: &[Answer<'_>],
    extra_env: &[(&str, &str)],
) -> Option<Run> {
    let m = model(env);
    let artifacts = eosc::emit::emit_all(&m);
    let tree = SaltTree::new(&m, &artifacts)?;
    if !namespaces() {
        return None;
    }
    let standin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/salt/standin");
    let conf_file = tree.root.join("conf/minion");
    let mut conf: Value =
        serde_json::from_str(&std::fs::read_to_string(&conf_file).expect("minion conf"))
            .expect("json");
    conf["module_dirs"] = serde_json::json!([standin.to_string_lossy()]);
    std::fs::write(&conf_file, conf.to_string()).expect("write conf");
    let scratch = TempDir::new("salt-orch");
    let srv = scratch.0.join("srv");
    std::fs::create_dir_all(&srv).expect("srv");
    let log = scratch.0.join("standin.log");
    std::fs::write(&log, "").expect("log");
    // Each route answers what its check expects (its status, a page with
    // its text, its headers), but for the `wrong` answers.
    let (mut statuses, mut bodies, mut headers) = (String::new(), String::new(), String::new());
    for w in wrong {
        statuses.push_str(&format!("{} {}\n", w.url, w.status));
        bodies.push_str(&format!("{} {}\n", w.url, w.body));
    }
    for s in &eosc::plan::plan(&m).deploy.steps {
        if let eosc::plan::Action::Run { commands, .. } = &s.action {
            for c in commands {
                if let eosc::plan::Command::Probe { url, expect } = c {
                    if wrong.iter().any(|w| w.url == url) {
                        continue;
                    }
                    match expect {
                        eosc::plan::Expect::Status(s) => {
                            statuses.push_str(&format!("{url} {s}\n"));
                        }
                        eosc::plan::Expect::Answer {
                            status,
                            body_contains,
                            headers: h,
                        } => {
                            statuses.push_str(&format!("{url} {status}\n"));
                            let text = body_contains.as_deref().unwrap_or("");
                            bodies.push_str(&format!("{url} <html><p>{text}</p></html>\n"));
                            for (k, v) in h {
                                headers.push_str(&format!("{url} {k}: {v}; charset=utf-8\n"));
                            }
                        }
                    }
                }
            }
        }
    }
    let curl_status = scratch.0.join("curl-status");
    std::fs::write(&curl_status, statuses).expect("statuses");
    let curl_body = scratch.0.join("curl-body");
    std::fs::write(&curl_body, bodies).expect("bodies");
    let curl_headers = scratch.0.join("curl-headers");
    std::fs::write(&curl_headers, headers).expect("headers");
    let path = format!(
        "{}:{}",
        standin.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg("mount --bind \"$1\" /srv && shift && exec \"$@\"")
        .arg("sh")
        .arg(&srv)
        .arg(&tree.exe)
        .args(["--local", "-c"])
        .arg(tree.root.join("conf"))
        .args([
            "--out",
            "json",
            "--retcode-passthrough",
            "state.sls",
            "hecate.orchestrate",
            &format!("saltenv={env}"),
            &format!("pillarenv={env}"),
        ])
        .env("PATH", path)
        .env("STANDIN_LOG", &log)
        .env("CURL_STATUS", &curl_status)
        .env("CURL_BODY", &curl_body)
        .env("CURL_HEADERS", &curl_headers)
        .env("NOMAD_FAIL_RUN", fail_run.join(" "))
        .env("NOMAD_FAIL_DEPLOY", fail_deploy.join(" "))
        .envs(extra_env.iter().copied())
        .output()
        .expect("unshare");
    let raw = String::from_utf8_lossy(&out.stdout).to_string();
    let json: Value = serde_json::from_str(&raw).unwrap_or(Value::Null);
    let mut states = std::collections::BTreeMap::new();
    for v in json["local"]
        .as_object()
        .into_iter()
        .flat_map(|o| o.values())
    {
        states.insert(
            v["__id__"].as_str().unwrap_or("?").to_string(),
            (
                v["result"].clone(),
                format!("{} {}", v["comment"].as_str().unwrap_or(""), v["changes"]),
            ),
        );
    }
    assert!(
        !states.is_empty(),
        "salt-call ran no state: {raw}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(Run {
        ok: out.status.success(),
        states,
        log: std::fs::read_to_string(&log)
            .expect("log")
            .lines()
            .map(str::to_string)
            .collect(),
        raw,
    })
}

/// `(wave, job, state id)` of every `nomad job run` in the plan.
fn jobs() -> Vec<(usize, String, String)> {
    eosc::plan::plan(&model("staging"))
        .deploy
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::NomadJob { wave, job } => Some((*wave, job.clone(), s.id.clone())),
            _ => None,
        })
        .collect()
}

/// The position of the stand-in log line that ran `job`, if it ran.
fn ran(run: &Run, job: &str) -> Option<usize> {
    let file = format!("/{job}.nomad.hcl");
    run.log
        .iter()
        .position(|l| l.starts_with("nomad job run ") && l.ends_with(&file))
}

fn result<'a>(run: &'a Run, id: &str) -> &'a (Value, String) {
    run.states
        .get(id)
        .unwrap_or_else(|| panic!("no state {id} in {}", run.raw))
}

/// Wave 1's first job fails (as `nomad job run` or as its deployment):
/// the rest of wave 1 still runs, no job of a later wave runs, the
/// orchestration fails and the rollback runs.
fn assert_wave_one_stops_the_rest(run: &Run, failed: &str) {
    let jobs = jobs();
    assert!(
        jobs.iter().any(|(w, _, _)| *w >= 2),
        "the fixture has a wave 2"
    );
    assert!(!run.ok, "the orchestration reported success");
    for (wave, job, id) in &jobs {
        match wave {
            0 | 1 => assert!(ran(run, job).is_some(), "wave {wave} job {job} did not run"),
            _ => {
                assert!(
                    ran(run, job).is_none(),
                    "{job} (wave {wave}) ran: {:?}",
                    run.log
                );
                let (r, comment) = result(run, id);
                assert_eq!(r, &Value::Bool(false), "{id}: {comment}");
                assert!(comment.contains("requisite"), "{id}: {comment}");
            }
        }
    }
    let (r, comment) = result(run, "hecate_wave1_healthy");
    assert_eq!(
        r,
        &Value::Bool(false),
        "wave 1 healthy: {comment} ({failed})"
    );
    let (r, _) = result(run, "hecate_caddy_load");
    assert_eq!(r, &Value::Bool(false));
    assert!(!run.log.iter().any(|l| l.contains("/load")), "Caddy loaded");
    let (r, comment) = result(run, "hecate_rollback");
    assert_eq!(r, &Value::Bool(true), "rollback: {comment}");
}

#[test]
fn a_failed_job_run_in_wave_one_stops_wave_two() {
    let (_, job, _) = jobs()
        .into_iter()
        .find(|(w, _, _)| *w == 1)
        .expect("wave 1");
    let Some(run) = orchestrate(&[&job], &[]) else {
        return;
    };
    let (r, comment) = result(&run, &eosc::plan::names::app_state_id(&job));
    assert_eq!(r, &Value::Bool(false), "{comment}");
    assert_wave_one_stops_the_rest(&run, &job);
}

#[test]
fn a_failed_deployment_in_wave_one_stops_wave_two() {
    let (_, job, _) = jobs()
        .into_iter()
        .find(|(w, _, _)| *w == 1)
        .expect("wave 1");
    let Some(run) = orchestrate(&[], &[&job]) else {
        return;
    };
    // `nomad job run` succeeded; the wait saw the failed deployment.
    let (r, comment) = result(&run, &eosc::plan::names::app_state_id(&job));
    assert_eq!(r, &Value::Bool(true), "{comment}");
    assert!(run
        .log
        .iter()
        .any(|l| l.starts_with("nomad job deployments -latest") && l.ends_with(&job)));
    assert_wave_one_stops_the_rest(&run, &job);
}

#[test]
fn with_nothing_failing_every_wave_runs_in_order() {
    let Some(run) = orchestrate(&[], &[]) else {
        return;
    };
    let failed: Vec<_> = run
        .states
        .iter()
        .filter(|(_, (r, _))| r == &Value::Bool(false))
        .collect();
    assert!(run.ok && failed.is_empty(), "{failed:#?}");
    let jobs = jobs();
    for (wa, a, _) in &jobs {
        for (wb, b, _) in &jobs {
            if wa < wb {
                let (ia, ib) = (ran(&run, a).expect(a), ran(&run, b).expect(b));
                assert!(ia < ib, "{a} (wave {wa}) ran after {b} (wave {wb})");
            }
        }
    }
    // The edge job is wave 0 and runs first.
    assert_eq!(jobs[0].1, eosc::plan::names::PROXY_JOB);
    assert!(run.log.iter().any(|l| l.contains("/load")), "Caddy loaded");
}

/// The verify steps of the staging plan whose probe asks `url`.
fn verify_step_of(url: &str) -> String {
    eosc::plan::plan(&model("staging"))
        .deploy
        .steps
        .iter()
        .find(|s| {
            matches!(s.kind, StepKind::Verify { .. })
                && matches!(&s.action, eosc::plan::Action::Run { commands, .. }
                    if commands.iter().any(|c| matches!(c, eosc::plan::Command::Probe { url: u, .. } if u == url)))
        })
        .map(|s| s.id.clone())
        .unwrap_or_else(|| panic!("no verify step probes {url}"))
}

/// A verify that fails: its step fails, the record step does not run, the
/// orchestration fails and the rollback runs.
fn assert_verify_fails(run: &Run, step: &str, why: &str) {
    assert!(!run.ok, "the orchestration reported success");
    let (r, comment) = result(run, step);
    assert_eq!(r, &Value::Bool(false), "{step}: {comment}");
    assert!(comment.contains(why), "{step}: {comment}");
    for id in ["hecate_record_nomad", "hecate_record_caddy"] {
        let (r, comment) = result(run, id);
        assert_eq!(r, &Value::Bool(false), "{id}: {comment}");
    }
    assert!(
        !run.log.iter().any(|l| l.contains("/deployment ")),
        "the deployment was recorded: {:?}",
        run.log
    );
    let (r, comment) = result(run, "hecate_rollback");
    assert_eq!(r, &Value::Bool(true), "rollback: {comment}");
}

#[test]
fn a_verify_answered_404_fails_and_rolls_back() {
    let url = "https://cybermonkey.dev/health";
    let step = verify_step_of(url);
    let Some(run) = orchestrate_answering(
        &[],
        &[],
        &[Answer {
            url,
            status: 404,
            body: "not found",
        }],
    ) else {
        return;
    };
    assert_verify_fails(&run, &step, "answered 404, not 200");
}

#[test]
fn a_page_without_its_text_fails_verify_and_rolls_back() {
    let url = "https://cybermonkey.dev/";
    let step = verify_step_of(url);
    let Some(run) = orchestrate_answering(
        &[],
        &[],
        &[Answer {
            url,
            status: 200,
            body: "<html>It works!</html>",
        }],
    ) else {
        return;
    };
    assert_verify_fails(&run, &step, "a body without");
}

/// The auth root (terraform-auth/) is a separate apply: after the Caddy
/// load (so after every wave, Authentik's among them), before every verify,
/// with the Authentik token Salt read from Vault; the infra root ran first
/// and without it.
#[test]
fn the_auth_root_applies_after_caddy_with_its_token_from_vault() {
    let Some(run) = orchestrate(&[], &[]) else {
        return;
    };
    assert!(run.ok, "{}", run.raw);
    let pos = |pred: &dyn Fn(&str) -> bool, what: &str| {
        run.log
            .iter()
            .position(|l| pred(l))
            .unwrap_or_else(|| panic!("no {what} in {:#?}", run.log))
    };
    let infra_apply = pos(
        &|l| l.starts_with("terraform apply") && l.contains("(in terraform;"),
        "infra apply",
    );
    let load = pos(&|l| l.contains("/load"), "Caddy load");
    let auth_plan = pos(
        &|l| l.starts_with("terraform plan") && l.contains("(in terraform-auth;"),
        "auth plan",
    );
    let auth_apply = pos(
        &|l| l.starts_with("terraform apply") && l.contains("(in terraform-auth;"),
        "auth apply",
    );
    let authentik = ran(&run, "authentik").expect("authentik ran");
    let first_probe = pos(
        &|l| l.starts_with("curl") && l.contains("%{http_code}") && !l.contains("2019"),
        "route probe",
    );
    assert!(
        infra_apply < authentik && authentik < load,
        "{:#?}",
        run.log
    );
    assert!(
        load < auth_plan && auth_plan < auth_apply && auth_apply < first_probe,
        "{:#?}",
        run.log
    );
    let token = "authentik_token=standin:secret/hecate/authentik/bootstrap_token:value";
    assert!(run.log[auth_plan].contains(token), "{}", run.log[auth_plan]);
    assert!(
        run.log[auth_apply].contains(token),
        "{}",
        run.log[auth_apply]
    );
    assert!(
        run.log[infra_apply].contains("authentik_token=unset"),
        "{}",
        run.log[infra_apply]
    );
}

/// A token Vault does not have fails the auth plan, names the path, and
/// runs the rollback; no verify runs.
#[test]
fn a_missing_authentik_token_fails_the_auth_apply_and_rolls_back() {
    let Some(run) =
        orchestrate_env(&[("VAULT_MISSING", "secret/hecate/authentik/bootstrap_token")])
    else {
        return;
    };
    assert!(!run.ok);
    let (r, comment) = result(&run, "hecate_terraform_auth_plan");
    assert_eq!(r, &Value::Bool(false), "{comment}");
    assert!(
        comment.contains("cannot read value of secret/hecate/authentik/bootstrap_token from Vault"),
        "{comment}"
    );
    assert!(!run
        .log
        .iter()
        .any(|l| l.starts_with("terraform plan") && l.contains("terraform-auth")));
    let (r, comment) = result(&run, "hecate_rollback");
    assert_eq!(r, &Value::Bool(true), "rollback: {comment}");
}

/// Production's deployment with Consul holding `kv` (key, value) pairs.
fn production_with(kv: &[(&str, &str)]) -> Option<Run> {
    let dir = TempDir::new("consul-kv");
    let text: String = kv.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
    let file = dir.write("kv", &text);
    let file = file.to_string_lossy().to_string();
    run_env_orchestration("production", &[], &[], &[], &[("CONSUL_KV", &file)])
}

const RELEASE_KEY: &str = "hecate/cybermonkey/staging/release";

/// Staging's record step writes what it verified, production's deployment
/// compares against it before anything else: the same release passes.
#[test]
fn production_deploys_the_release_staging_recorded() {
    let Some(staging) = orchestrate(&[], &[]) else {
        return;
    };
    assert!(staging.ok, "{}", staging.raw);
    let release = eosc::plan::release::release(&model("staging"));
    let put = format!("consul kv put {RELEASE_KEY} {release}");
    assert!(
        staging.log.contains(&put),
        "{put} not in {:#?}",
        staging.log
    );
    // What staging put is what production expects.
    assert_eq!(release, eosc::plan::release::release(&model("production")));
    let Some(run) = production_with(&[(RELEASE_KEY, &release)]) else {
        return;
    };
    assert!(run.ok, "{}", run.raw);
    let (r, comment) = result(&run, "hecate_promotion_check");
    assert_eq!(r, &Value::Bool(true), "{comment}");
    assert!(run.log.iter().any(|l| l.starts_with("terraform apply")));
}

/// Staging verified another image: production fails at its first step,
/// saying so, and nothing is shipped, applied or run.
#[test]
fn production_refuses_a_release_staging_did_not_verify() {
    let other = eosc::plan::release::release(&model("staging"))
        .replace("helen:2026.11.22", "helen:2026.11.21");
    let Some(run) = production_with(&[(RELEASE_KEY, &other)]) else {
        return;
    };
    assert!(!run.ok);
    let (r, comment) = result(&run, "hecate_promotion_check");
    assert_eq!(r, &Value::Bool(false), "{comment}");
    assert!(
        comment.contains("production would deploy other images than staging verified")
            && comment.contains("helen:2026.11.21"),
        "{comment}"
    );
    assert!(
        !run.log
            .iter()
            .any(|l| l.starts_with("terraform") || l.starts_with("nomad job run")),
        "{:#?}",
        run.log
    );
}

/// Staging never recorded a release: production fails and says to deploy
/// staging first.
#[test]
fn production_refuses_to_deploy_before_staging_verified() {
    let Some(run) = production_with(&[]) else {
        return;
    };
    assert!(!run.ok);
    let (r, comment) = result(&run, "hecate_promotion_check");
    assert_eq!(r, &Value::Bool(false), "{comment}");
    assert!(
        comment.contains("deploy and verify staging first"),
        "{comment}"
    );
    assert!(!run.log.iter().any(|l| l.starts_with("terraform")));
}
