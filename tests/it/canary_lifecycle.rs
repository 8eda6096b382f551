//! The canary lifecycle end to end, under load: a real Caddy (the pinned
//! 2.11) on 127.0.0.1 loads the compiled `caddy.json` (rewritten only to
//! listen on loopback and to ask the test's DNS server); a dnslib server
//! answers the names and record types Consul's DNS interface answers
//! (`stable.<service>.service.consul` and `canary.…` SRV records with the
//! instances' dynamic ports, their `<hex>.addr.dc1.consul` A records) from
//! the registrations Nomad makes during a deployment (`canary_tags` on the
//! canary, `tags` on the rest, `tags` on the canary after promotion); echo
//! backends stand in for the allocations. The plan's own commands for the
//! Caddy load, each canary stage, promote and rollback run through /bin/sh
//! with `nomad`/`consul` stand-ins at their CLI interface and the real curl
//! against Caddy's admin API, while load threads send requests without
//! pause. Every request counts: no 5xx and no connection error in any
//! phase, and each phase's measured share to the canary within ±5 points
//! of the stage's declared traffic, over at least 2,000 requests.

use crate::support::caddy::net::{free_port, get, wait_for_port, Backend, Role};
use crate::support::caddy::run::{loopback, mount_at};
use crate::support::root;
use crate::support::tools::{tool, Killed, TempDir};
use eosc::plan::{Action, Plan, Step};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Helen from seed 000: a canary with a dynamic port (`to = 80`).
const SPEC: &str = r#"
project "lifecycle" {
  datacenters = ["dc1"]
  registry    = "registry.example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

rollout "careful" {
  strategy = "canary"
  stage { traffic = 10% }
  stage { traffic = 25% }
  stage { traffic = 50% }
  stage { traffic = 100% }
}

app "helen" {
  image   = "${project.registry}/helen:2.0.0"
  runs_on = server.web
  count   = 2
  rollout = rollout.careful
  port "http" { to = 80 }
  health "http" { path = "/" }
}

route "helen.example.com" {
  to  = app.helen
  dns = "external"
}
"#;

const HOST: &str = "helen.example.com";
/// Requests measured per phase: enough that a random split lands within
/// ±5 points of its share (5 standard deviations at 50 %).
const PER_PHASE: usize = 2000;
const LOAD_THREADS: usize = 6;
/// Longer than the SRV refresh Caddy is given (2 s): Caddy has seen a
/// registration change once this has passed.
const REFRESH_WAIT: Duration = Duration::from_millis(2600);

#[derive(Default)]
struct Counts {
    total: usize,
    failed: usize,
    by_backend: BTreeMap<String, usize>,
    failures: Vec<String>,
}

/// The load threads' tally: one `Counts` per phase; the phase in force is
/// `current`, and requests outside a measured window land in `transitions`.
struct Tally {
    current: AtomicUsize,
    measuring: AtomicBool,
    phases: Mutex<Vec<Counts>>,
    transitions: Mutex<Counts>,
    stop: AtomicBool,
}

impl Tally {
    fn record(&self, backend: Result<String, String>) {
        let measuring = self.measuring.load(Ordering::SeqCst);
        let i = self.current.load(Ordering::SeqCst);
        let mut phases = self.phases.lock().expect("tally");
        let mut transitions = self.transitions.lock().expect("tally");
        let c = if measuring {
            &mut phases[i]
        } else {
            &mut *transitions
        };
        c.total += 1;
        match backend {
            Ok(b) => *c.by_backend.entry(b).or_insert(0) += 1,
            Err(e) => {
                c.failed += 1;
                if c.failures.len() < 10 {
                    let when = if measuring { "during" } else { "after" };
                    c.failures.push(format!("{e} ({when} phase {})", i + 1));
                }
            }
        }
    }
}

fn load(at: SocketAddr, tally: Arc<Tally>) -> Vec<thread::JoinHandle<()>> {
    (0..LOAD_THREADS)
        .map(|_| {
            let t = tally.clone();
            thread::spawn(move || {
                while !t.stop.load(Ordering::SeqCst) {
                    let outcome = match TcpStream::connect_timeout(&at, Duration::from_secs(5)) {
                        Err(e) => Err(format!("connect: {e}")),
                        Ok(_probe) => {
                            drop(_probe);
                            let r = get(at, HOST, "/", &[]);
                            match (r.status, r.backend()) {
                                (200, Some(b)) => Ok(b),
                                (0, _) => Err("connection closed without a response".to_string()),
                                (s, _) => Err(format!("{s}: {}", r.text().trim())),
                            }
                        }
                    };
                    t.record(outcome);
                }
            })
        })
        .collect()
}

/// The state the stand-ins and the DNS server share.
struct Cluster {
    state: PathBuf,
    service: String,
    backends: BTreeMap<String, Backend>,
}

impl Cluster {
    /// An allocation: a backend answering as `alloc`, registered in Consul
    /// with `tag` on its dynamic port.
    fn place(&mut self, alloc: &str, tag: &str) {
        let b = Backend::start(alloc, Role::Echo);
        self.register(alloc, &format!("{} {tag}", b.addr.port()), Some(&b));
        self.backends.insert(alloc.to_string(), b);
    }
    fn register(&self, alloc: &str, line: &str, _b: Option<&Backend>) {
        let dir = self.state.join("services").join(&self.service);
        std::fs::create_dir_all(&dir).expect("services dir");
        let tmp = dir.join(format!(".{alloc}"));
        std::fs::write(&tmp, format!("{line}\n")).expect("register");
        std::fs::rename(&tmp, dir.join(alloc)).expect("register");
    }
    fn deregister(&self, alloc: &str) {
        let _ = std::fs::remove_file(self.state.join("services").join(&self.service).join(alloc));
    }
    /// The allocation's process ends: it accepts no more connections.
    fn stop(&mut self, alloc: &str) {
        self.backends.remove(alloc);
    }
    fn deployment(&self, line: &str, version: u32, stable: u32) {
        std::fs::write(self.state.join("deployment"), format!("{line}\n")).expect("deployment");
        std::fs::write(self.state.join("version"), format!("{version}\n")).expect("version");
        std::fs::write(self.state.join("stable-version"), format!("{stable}\n")).expect("version");
    }
}

const AWAITING: &str = "running|Deployment is running but requires manual promotion";

/// The compiled config, rewritten only to listen on loopback and to ask
/// `dns` for every SRV lookup and every upstream host name.
/// The proxy job mounts the Caddy directory in the container; here Caddy
/// reads it where the test's minion keeps it (`caddy_dir`).
fn localized(
    config: &Value,
    listen: SocketAddr,
    admin: SocketAddr,
    dns: &str,
    caddy_dir: &Path,
) -> Value {
    let mut c = config.clone();
    loopback(&mut c, listen, admin, caddy_dir);
    mount_at(&mut c, caddy_dir);
    fn resolve(v: &mut Value, dns: &str) {
        match v {
            Value::Object(o) => {
                if o.get("source") == Some(&json!("srv")) {
                    o.insert("resolver".into(), json!({"addresses": [dns]}));
                }
                if o.get("handler") == Some(&json!("reverse_proxy"))
                    && o.contains_key("dynamic_upstreams")
                {
                    o.insert(
                        "transport".into(),
                        json!({"protocol": "http", "resolver": {"addresses": [dns]}}),
                    );
                }
                o.values_mut().for_each(|c| resolve(c, dns));
            }
            Value::Array(a) => a.iter_mut().for_each(|c| resolve(c, dns)),
            _ => {}
        }
    }
    resolve(&mut c, dns);
    c
}

/// A step's commands as the shell script Salt runs, with the minion's
/// deployment directory and the Caddy admin address replaced by the test's.
fn script(step: &Step, model: &eosc::Model, root_dir: &Path, admin: SocketAddr) -> String {
    let Action::Run { commands, .. } = &step.action else {
        panic!("{} runs no commands", step.id);
    };
    eosc::emit::shell::script(commands)
        .replace(
            &eosc::plan::names::caddy_admin_url(model),
            &format!("http://{admin}"),
        )
        .replace(
            &eosc::plan::names::deploy_root(model),
            &root_dir.to_string_lossy(),
        )
}

struct Shell {
    path: String,
    state: PathBuf,
    log: PathBuf,
}

impl Shell {
    fn run(&self, what: &str, script: &str) -> String {
        let out = Command::new("/bin/sh")
            .arg("-c")
            .arg(script)
            .env("PATH", &self.path)
            .env("CANARY_STATE", &self.state)
            .env("STANDIN_LOG", &self.log)
            .stdin(Stdio::null())
            .output()
            .expect("run /bin/sh");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success(),
            "{what} failed:\n{script}\n---\n{text}"
        );
        text
    }
}

fn steps<'a>(plan: &'a Plan, sls: &str) -> &'a [Step] {
    plan.orchestrations()
        .into_iter()
        .find(|o| o.sls == sls)
        .map(|o| o.steps.as_slice())
        .unwrap_or_else(|| panic!("no orchestration {sls}"))
}

#[test]
fn a_canary_lifecycle_under_load_drops_no_request() {
    let Some(caddy) = tool("caddy") else { return };
    let Some(python) = tool("tools-python") else {
        return;
    };
    let checked = eosc::check(
        "hecate.hcl",
        &eosc::MemLoader::new([("hecate.hcl".to_string(), SPEC.to_string())]),
    )
    .expect("spec");
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let model = checked.model(None).expect("model").clone();
    let plan = eosc::plan::plan(&model);
    let service = model.apps["helen"].service_name("http");

    let dir = TempDir::new("canary-lifecycle");
    let state = dir.path().join("state");
    let deploy_root = dir.path().join("srv");
    std::fs::create_dir_all(state.join("services")).expect("state");
    std::fs::create_dir_all(deploy_root.join("caddy")).expect("caddy dir");
    std::fs::create_dir_all(deploy_root.join("nomad")).expect("nomad dir");
    let mut cluster = Cluster {
        state: state.clone(),
        service: service.clone(),
        backends: BTreeMap::new(),
    };
    // Version 1 runs: two allocations with the service's `tags`.
    cluster.place("v1-a", "stable");
    cluster.place("v1-b", "stable");
    cluster.deployment("d1 successful|Deployment completed successfully", 1, 1);

    // Consul's DNS interface.
    let dns_port = free_port();
    let mut dns = Command::new(&python)
        .arg(root().join("tests/it/support/canary/consul_dns.py"))
        .arg(&state)
        .arg(dns_port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the DNS stand-in");
    let mut ready = String::new();
    BufReader::new(dns.stdout.take().expect("stdout"))
        .read_line(&mut ready)
        .expect("DNS ready");
    assert_eq!(ready.trim(), "ready", "DNS stand-in did not start");
    let _dns = Killed(dns);
    let dns_addr = format!("127.0.0.1:{dns_port}");

    // Caddy with only its admin API, as the edge job starts it.
    let listen: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
    let admin: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
    let boot = dir.path().join("boot.json");
    std::fs::write(
        &boot,
        json!({"admin": {"listen": admin.to_string()}}).to_string(),
    )
    .expect("boot");
    let caddy_log = dir.path().join("caddy.log");
    let log = std::fs::File::create(&caddy_log).expect("log");
    let _caddy = Killed(
        Command::new(&caddy)
            .arg("run")
            .arg("--config")
            .arg(&boot)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start caddy"),
    );
    wait_for_port(admin, Duration::from_secs(20));
    let config = localized(
        &eosc::emit::caddy::config(&model),
        listen,
        admin,
        &dns_addr,
        &deploy_root.join("caddy"),
    );
    std::fs::write(
        deploy_root.join("caddy/caddy.json"),
        serde_json::to_string_pretty(&config).expect("json"),
    )
    .expect("caddy.json");

    let standins = root().join("tests/it/support/canary/bin");
    let sh = Shell {
        path: format!(
            "{}:{}",
            standins.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
        state: state.clone(),
        log: dir.path().join("standin.log"),
    };
    let run_step =
        |what: &str, step: &Step| sh.run(what, &script(step, &model, &deploy_root, admin));
    let deploy_step = |id: &str| {
        plan.deploy
            .steps
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no deployment step {id}"))
    };

    // The deployment's canary reset (before any job runs), Caddy load and
    // record steps.
    run_step("canary reset", deploy_step("hecate_canary_reset_helen"));
    run_step("Caddy load", deploy_step("hecate_caddy_load"));
    wait_for_port(listen, Duration::from_secs(20));
    run_step("record Caddy", deploy_step("hecate_record_caddy"));

    let tally = Arc::new(Tally {
        current: AtomicUsize::new(0),
        measuring: AtomicBool::new(false),
        phases: Mutex::new(Vec::new()),
        transitions: Mutex::new(Counts::default()),
        stop: AtomicBool::new(false),
    });
    let threads = load(listen, tally.clone());
    let started = Instant::now();
    // (phase, the canary's backends, their declared share in percent)
    let mut expected: Vec<(String, Vec<&str>, f64)> = Vec::new();
    let measure = |label: &str,
                   canary: Vec<&'static str>,
                   share: f64,
                   expected: &mut Vec<(String, Vec<&str>, f64)>| {
        let i = {
            let mut p = tally.phases.lock().expect("tally");
            p.push(Counts::default());
            p.len() - 1
        };
        tally.current.store(i, Ordering::SeqCst);
        tally.measuring.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(30);
        while tally.phases.lock().expect("tally")[i].total < PER_PHASE {
            assert!(
                Instant::now() < deadline,
                "{label}: too few requests in 30 s"
            );
            thread::sleep(Duration::from_millis(20));
        }
        tally.measuring.store(false, Ordering::SeqCst);
        expected.push((label.to_string(), canary, share));
    };

    let stages: Vec<&eosc::plan::Canary> =
        plan.canaries.iter().filter(|c| c.app == "helen").collect();
    assert_eq!(stages.len(), 4);

    // 1. First deployment: no canary exists; the pipeline's first stage
    // runs and, finding none, leaves every request on stable.
    run_step(
        "stage 1 without a canary",
        &stages[0].orchestration.steps[0],
    );
    measure(
        "first deploy (stage 1, no canary)",
        vec!["v2-canary"],
        0.0,
        &mut expected,
    );

    // 2. Version 2: Nomad places its canary, registered with canary_tags.
    cluster.place("v2-canary", "canary");
    cluster.deployment(&format!("d2 {AWAITING}"), 2, 1);
    thread::sleep(REFRESH_WAIT);
    measure("canary placed", vec!["v2-canary"], 0.0, &mut expected);

    // 3. Every stage.
    for c in &stages {
        run_step(&format!("stage {}", c.stage), &c.orchestration.steps[0]);
        measure(
            &format!("stage {} ({}%)", c.stage, c.traffic),
            vec!["v2-canary"],
            c.traffic,
            &mut expected,
        );
    }

    // 4. Promote: the orchestration's steps in order (traffic to stable,
    // `nomad job promote`, the record); Nomad then gives the canary its
    // `tags` and replaces the old allocations: the new one registered, the
    // old ones deregistered, stopped after the refresh.
    for s in steps(&plan, "hecate.promote") {
        run_step(&s.id, s);
    }
    cluster.place("v2-b", "stable");
    cluster.deregister("v1-a");
    cluster.deregister("v1-b");
    thread::sleep(REFRESH_WAIT);
    cluster.stop("v1-a");
    cluster.stop("v1-b");
    cluster.deployment("d2 successful|Deployment completed successfully", 2, 2);
    measure(
        "promoted (all on version 2)",
        vec!["v2-canary", "v2-b"],
        100.0,
        &mut expected,
    );

    // 5. Version 3's canary, its first stage, then the rollback
    // orchestration: the last good Caddy config, traffic to stable, the
    // deployment failed (auto_revert: Nomad deregisters the canary), the
    // reverts. The canary's process ends after the refresh.
    cluster.place("v3-canary", "canary");
    cluster.deployment(&format!("d3 {AWAITING}"), 3, 2);
    thread::sleep(REFRESH_WAIT);
    measure(
        "second canary placed",
        vec!["v3-canary"],
        0.0,
        &mut expected,
    );
    run_step("stage 1 of version 3", &stages[0].orchestration.steps[0]);
    measure(
        &format!("version 3 stage 1 ({}%)", stages[0].traffic),
        vec!["v3-canary"],
        stages[0].traffic,
        &mut expected,
    );
    for s in steps(&plan, "hecate.rollback") {
        run_step(&s.id, s);
    }
    thread::sleep(REFRESH_WAIT);
    cluster.stop("v3-canary");
    measure("rolled back", vec!["v3-canary"], 0.0, &mut expected);

    tally.stop.store(true, Ordering::SeqCst);
    for t in threads {
        let _ = t.join();
    }
    let standin_log = std::fs::read_to_string(&sh.log).unwrap_or_default();

    // The numbers.
    let phases = tally.phases.lock().expect("tally");
    let transitions = tally.transitions.lock().expect("tally");
    let total: usize = phases.iter().map(|c| c.total).sum::<usize>() + transitions.total;
    let failed: usize = phases.iter().map(|c| c.failed).sum::<usize>() + transitions.failed;
    println!(
        "canary lifecycle: {total} requests in {:.1} s, failed requests: {failed} (5xx or connection errors)",
        started.elapsed().as_secs_f64()
    );
    let mut problems = Vec::new();
    for ((label, canary, share), c) in expected.iter().zip(phases.iter()) {
        let to_canary: usize = canary
            .iter()
            .map(|b| c.by_backend.get(*b).copied().unwrap_or(0))
            .sum();
        let measured = 100.0 * to_canary as f64 / c.total.max(1) as f64;
        println!(
            "  {label:<36} {:>5} requests, {} failed, to {}: {measured:5.1} % (declared {share:5.1} %) {:?}",
            c.total,
            c.failed,
            canary.join("+"),
            c.by_backend
        );
        if c.total < 400 {
            problems.push(format!("{label}: only {} requests", c.total));
        }
        if (measured - share).abs() > 5.0 {
            problems.push(format!(
                "{label}: {measured:.1} % to {}, declared {share} %",
                canary.join("+")
            ));
        }
        if c.failed > 0 {
            problems.push(format!("{label}: {} failed: {:?}", c.failed, c.failures));
        }
    }
    println!(
        "  {:<36} {:>5} requests, {} failed (between the measured windows)",
        "transitions", transitions.total, transitions.failed
    );
    if transitions.failed > 0 {
        problems.push(format!(
            "transitions: {} failed: {:?}",
            transitions.failed, transitions.failures
        ));
    }
    // The stand-ins saw the promotion and the rollback's deployment fail.
    for call in ["nomad job promote helen", "nomad deployment fail d3"] {
        if !standin_log.contains(call) {
            problems.push(format!("no `{call}` in the stand-ins' log:\n{standin_log}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n--- caddy log (tail) ---\n{}",
        problems.join("\n"),
        tail(&caddy_log)
    );
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("\"http.log.access"))
        .collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
