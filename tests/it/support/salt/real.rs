//! Drives `salt-call --local` over an emitted tree: one minion config per
//! worker, the environment's saltenv/pillarenv pointing at `out/<env>/`.

use super::{run, tool, write, TempDir};
use eosc::emit::Artifact;
use eosc::sema::model::Model;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// An emitted environment on disk with a minion configured to read it.
pub struct SaltTree {
    pub exe: PathBuf,
    pub root: PathBuf,
    pub out: PathBuf,
    pub env: String,
    _cleanup: TempDir,
}

pub struct CallResult {
    pub ok: bool,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
}

impl SaltTree {
    /// Writes the artifacts of `model` under a fresh `out/<env>/`.
    pub fn new(model: &Model, artifacts: &[Artifact]) -> Option<SaltTree> {
        let exe = tool("salt-call")?;
        let dir = TempDir::new("salt");
        let root = dir.0.clone();
        let env = model.env.name.clone();
        let out = root.join("out");
        let env_dir = out.join(&env);
        for a in artifacts {
            write(&env_dir.join(&a.path), &a.contents);
        }
        let roles: Vec<String> = ["controller", "proxy"]
            .iter()
            .map(|r| eosc::emit::salt::layout::grain_target(model, r))
            .filter_map(|t| t.split_once(':').map(|(_, v)| v.to_string()))
            .collect();
        // JSON is YAML: no quoting questions in the config itself.
        let config = json!({
            "file_client": "local",
            "id": "eosc-test",
            "root_dir": root.join("minion").to_string_lossy(),
            "log_file": root.join("minion.log").to_string_lossy(),
            "enable_fqdns_grains": false,
            "file_roots": { &env: [
                env_dir.join("salt").to_string_lossy(),
                env_dir.to_string_lossy(),
            ]},
            "pillar_roots": { &env: [env_dir.join("salt/pillar").to_string_lossy()] },
            "grains": { "roles": roles },
        });
        write(&root.join("conf/minion"), &config.to_string());
        Some(SaltTree {
            exe,
            out: env_dir,
            env,
            _cleanup: dir,
            root,
        })
    }

    pub fn call(&self, args: &[&str]) -> CallResult {
        let conf = self.root.join("conf");
        let conf = conf.to_string_lossy();
        let mut full = vec!["--local", "-c", &conf, "--out", "json"];
        full.extend_from_slice(args);
        let out = run(&self.exe, &full);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let json: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        CallResult {
            ok: out.status.success(),
            json,
            stdout,
            stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        }
    }

    /// `state.show_low_sls` of one SLS in this environment.
    pub fn low_sls(&self, sls: &str) -> CallResult {
        let se = format!("saltenv={}", self.env);
        let pe = format!("pillarenv={}", self.env);
        self.call(&["state.show_low_sls", sls, &se, &pe])
    }

    /// Every SLS of the state tree under `salt/hecate/`, as SLS names.
    pub fn state_files(&self) -> Vec<String> {
        let mut out = Vec::new();
        collect(&self.out.join("salt"), &self.out.join("salt"), &mut out);
        out.retain(|s| s.starts_with("hecate."));
        out.sort();
        out
    }
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(base, &p, out);
        } else if p.extension().is_some_and(|x| x == "sls") {
            let rel = p.strip_prefix(base).expect("under base").with_extension("");
            out.push(rel.to_string_lossy().replace('/', "."));
        }
    }
}

/// What Salt itself says exists: state functions and the argument names
/// of the states, execution functions and runners the SLS files use.
pub struct SaltInfo {
    pub state_functions: BTreeSet<String>,
    pub state_args: BTreeMap<String, BTreeSet<String>>,
    pub exec_args: BTreeMap<String, BTreeSet<String>>,
    pub runner_args: BTreeMap<String, BTreeSet<String>>,
}

fn args_of(v: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    if let Some(m) = v["local"].as_object() {
        for (k, spec) in m {
            let args = spec["args"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            out.insert(k.clone(), args);
        }
    }
    out
}

pub fn salt_info(tree: &SaltTree) -> &'static SaltInfo {
    static INFO: OnceLock<SaltInfo> = OnceLock::new();
    INFO.get_or_init(|| {
        let funcs = tree.call(&["sys.list_state_functions", "salt", "file", "test"]);
        assert!(funcs.ok, "sys.list_state_functions: {}", funcs.stderr);
        let state_functions = funcs.json["local"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        let mut state_args = args_of(&tree.call(&["sys.state_argspec", "salt.*"]).json);
        state_args.extend(args_of(
            &tree.call(&["sys.state_argspec", "file.managed"]).json,
        ));
        state_args.extend(args_of(
            &tree
                .call(&["sys.state_argspec", "test.succeed_without_changes"])
                .json,
        ));
        let exec_args = args_of(&tree.call(&["sys.argspec", "cmd.run"]).json);
        let runner_args = args_of(&tree.call(&["sys.runner_argspec", "state.orchestrate"]).json);
        for (what, m) in [
            ("state", &state_args),
            ("exec", &exec_args),
            ("runner", &runner_args),
        ] {
            assert!(!m.is_empty(), "salt returned no {what} argspecs");
        }
        SaltInfo {
            state_functions,
            state_args,
            exec_args,
            runner_args,
        }
    })
}

/// Keys of a low chunk that are Salt's own, not the state function's.
const GLOBAL: &[&str] = &[
    "state",
    "fun",
    "name",
    "order",
    "require",
    "onfail",
    "watch",
    "onchanges",
    "prereq",
];

/// Checks every low chunk of an SLS against Salt's argspecs: a misspelt
/// state function, state argument, `cmd.run` keyword or runner argument is
/// an error here, although Salt would only notice at run time.
pub fn check_chunks(info: &SaltInfo, sls: &str, chunks: &[Value]) -> Vec<String> {
    let mut errors = Vec::new();
    for c in chunks {
        let id = c["__id__"].as_str().unwrap_or("?");
        let fun = format!(
            "{}.{}",
            c["state"].as_str().unwrap_or("?"),
            c["fun"].as_str().unwrap_or("?")
        );
        if !info.state_functions.contains(&fun) {
            errors.push(format!("{sls}/{id}: no state function {fun}"));
            continue;
        }
        let name = c["name"].as_str().unwrap_or("");
        let allowed = info.state_args.get(&fun).cloned().unwrap_or_default();
        let runner = info.runner_args.get(name);
        for k in c.as_object().into_iter().flat_map(|o| o.keys()) {
            if k.starts_with("__") || GLOBAL.contains(&k.as_str()) || allowed.contains(k) {
                continue;
            }
            if fun == "salt.runner" && runner.is_some_and(|r| r.contains(k)) {
                continue;
            }
            errors.push(format!("{sls}/{id}: {fun} takes no argument {k}"));
        }
        if fun == "salt.function" {
            match info.exec_args.get(name) {
                None => errors.push(format!("{sls}/{id}: unchecked execution function {name}")),
                Some(args) => {
                    for k in c["kwarg"].as_object().into_iter().flat_map(|o| o.keys()) {
                        if !args.contains(k) {
                            errors.push(format!("{sls}/{id}: {name} takes no keyword {k}"));
                        }
                    }
                }
            }
        }
        if fun == "salt.runner" && runner.is_none() {
            errors.push(format!("{sls}/{id}: unchecked runner {name}"));
        }
    }
    errors
}

/// `(state id, required id)` pairs of a compiled SLS.
pub fn requisites(chunks: &[Value], kind: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for c in chunks {
        let id = c["__id__"].as_str().unwrap_or("?").to_string();
        for r in c[kind].as_array().into_iter().flatten() {
            for (_, target) in r.as_object().into_iter().flatten() {
                if let Some(t) = target.as_str() {
                    out.insert((id.clone(), t.to_string()));
                }
            }
        }
    }
    out
}
