//! `eosc route|app|dns|secret|… add/set/rm/list/show` through the binary
//! (#21): on every example and ok case an add then rm gives back the
//! original bytes, an add is a pure insertion (every comment and line
//! stays), the result is fmt-clean where the original was, a refused edit
//! leaves the file byte-identical, edits land in the imported file that
//! holds the entity, concurrent edits never tear the file, and the JSON of
//! `list` has the documented keys.

use crate::support::cli::{eosc, root, Run};
use crate::support::tools::TempDir;
use std::path::{Path, PathBuf};

/// Every example and ok case as (name, path).
fn corpus() -> Vec<(String, PathBuf)> {
    crate::support::specs::all()
        .into_iter()
        .map(|p| (crate::support::specs::name(&p), p))
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> Run {
    eosc(args, Some(dir))
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("hecate.hcl")).unwrap()
}

fn fmt_clean(dir: &Path, file: &str) -> bool {
    run(dir, &["fmt", "--check", file]).code == 0
}

/// The text `new` has in addition to `old` (with `pure_insertion`), from
/// a line start: where the insertion could sit at several places (before
/// a block of the same kind, `se|cret …` `se|cret …`), the common prefix is
/// cut back to the line it starts.
fn inserted<'a>(old: &str, new: &'a str) -> &'a str {
    let common = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let prefix = new[..common].rfind('\n').map_or(0, |i| i + 1);
    &new[prefix..prefix + new.len() - old.len()]
}

/// `new` is `old` with one contiguous piece of text inserted.
fn pure_insertion(old: &str, new: &str) -> bool {
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old[prefix..]
        .bytes()
        .rev()
        .zip(new[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    new.len() > old.len() && prefix + suffix >= old.len()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let r = run(dir, args).expect(0);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{}", r.stdout))
}

/// The first name of `kind` in the spec's first environment, from `list --format json`.
fn first(dir: &Path, kind: &str, field: &str) -> Option<String> {
    let v = json(dir, &[kind, "list", "--format", "json"]);
    v["environments"][0]["items"][0][field]
        .as_str()
        .map(str::to_string)
}

/// A scratch copy of `spec` (with the files it reads) to edit.
fn spec_dir(tag: &str, spec: &Path) -> TempDir {
    let d = TempDir::new(tag);
    crate::support::specs::copy_into(spec, d.path());
    d
}

/// Adds, checks the addition, removes, and expects the original bytes.
fn round_trip(name: &str, dir: &Path, add: &[&str], rm: &[&str], clean: bool) {
    let before = read(dir);
    run(dir, add).expect(0);
    let added = read(dir);
    assert!(
        pure_insertion(&before, &added),
        "{name}: `{}` is not a pure insertion:\n{added}",
        add.join(" ")
    );
    // The inserted text alone is in the canonical layout, whether or not
    // the file around it is.
    let piece = inserted(&before, &added).trim_matches('\n');
    if !piece.starts_with(' ') {
        let mut sources = eosc::source::SourceMap::new();
        let id = sources.add("piece.hcl", format!("{piece}\n"));
        let formatted = eosc::syntax::format_source(id, &format!("{piece}\n"))
            .unwrap_or_else(|e| panic!("{name}: `{}` inserted {piece:?}: {e:?}", add.join(" ")));
        assert_eq!(
            formatted.trim_end(),
            piece,
            "{name}: the inserted block is not fmt-clean"
        );
    }
    if clean {
        assert!(
            fmt_clean(dir, "hecate.hcl"),
            "{name}: not fmt-clean after `{}`",
            add.join(" ")
        );
    }
    run(dir, &["check", "hecate.hcl"]).expect(0);
    run(dir, rm).expect(0);
    assert_eq!(
        read(dir),
        before,
        "{name}: `{}` did not give back the bytes",
        rm.join(" ")
    );
}

#[test]
fn add_then_rm_gives_back_the_bytes_on_every_example_and_ok_case() {
    let mut routes = 0;
    let mut records = 0;
    let mut apps_added = 0;
    let mut images_set = 0;
    for (name, spec) in corpus() {
        let text = std::fs::read_to_string(&spec).unwrap();
        let d = spec_dir("edit-rt", &spec);
        let dir = d.path();
        let clean = fmt_clean(dir, "hecate.hcl");
        // A route to an app with one port, or to the first upstream.
        let apps = json(dir, &["app", "list", "--format", "json"]);
        let to = apps["environments"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["ports"].as_object().is_some_and(|p| p.len() == 1))
            .map(|a| format!("app.{}", a["name"].as_str().unwrap()))
            .or_else(|| first(dir, "upstream", "name").map(|u| format!("upstream.{u}")));
        if let Some(to) = to {
            let host = "eosc-edit-test.example.net";
            round_trip(
                &name,
                dir,
                &["route", "add", host, "--to", &to, "--path", "/edit/*"],
                &["route", "rm", host, "--path", "/edit/*"],
                clean,
            );
            routes += 1;
        }
        round_trip(
            &name,
            dir,
            &[
                "secret",
                "add",
                "edit_test_token",
                "--vault",
                "secret/edit/test",
                "--key",
                "token",
            ],
            &["secret", "rm", "edit_test_token"],
            clean,
        );
        if let Some(zone) = first(dir, "dns", "zone") {
            round_trip(
                &name,
                dir,
                &[
                    "dns",
                    "add",
                    &zone,
                    "edit-test",
                    "--type",
                    "TXT",
                    "--value",
                    "v=edit",
                ],
                &["dns", "rm", &zone, "edit-test", "--type", "TXT"],
                clean,
            );
            records += 1;
        }
        round_trip(
            &name,
            dir,
            &["upstream", "add", "edit_test", "--target", "10.9.9.9:8080"],
            &["upstream", "rm", "edit_test"],
            clean,
        );
        // An app beside one that runs on a server, on that server.
        let first_app = &apps["environments"][0]["items"][0];
        let server = apps["environments"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|a| a["runs_on"].as_str());
        if let Some(server) = server {
            round_trip(
                &name,
                dir,
                &[
                    "app",
                    "add",
                    "edit-test",
                    "--image",
                    "nginx:1.27",
                    "--runs-on",
                    server,
                    "--port",
                    "http=80",
                ],
                &["app", "rm", "edit-test"],
                clean,
            );
            apps_added += 1;
        }
        assert_eq!(read(dir), text, "{name}");
        // A new image for the first app: one line changes (and, in a
        // fmt-clean file, the whitespace before aligned comments beside it).
        if let Some(app) = first_app["name"].as_str() {
            let r = run(
                dir,
                &["app", "set", app, "--image", "example.org/edit-test:1.2.3"],
            );
            if r.code == 0 {
                let after = read(dir);
                assert_eq!(text.lines().count(), after.lines().count(), "{name}");
                let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                let changed: Vec<(&str, &str)> = text
                    .lines()
                    .zip(after.lines())
                    .filter(|(a, b)| squash(a) != squash(b))
                    .collect();
                assert_eq!(changed.len(), 1, "{name}: {changed:?}");
                assert!(
                    changed[0].1.contains("image")
                        && changed[0].1.contains("example.org/edit-test:1.2.3"),
                    "{name}: {changed:?}"
                );
                if clean {
                    assert!(fmt_clean(dir, "hecate.hcl"), "{name}");
                }
                images_set += 1;
                std::fs::write(dir.join("hecate.hcl"), &text).unwrap();
            } else {
                // Refused only where the app's images are per task.
                assert!(r.stderr.contains("refused"), "{name}: {}", r.stderr);
                assert_eq!(read(dir), text, "{name}");
            }
        }
    }
    assert!(
        routes >= 8 && records >= 3 && apps_added >= 4 && images_set >= 8,
        "routes {routes}, records {records}, apps {apps_added}, images {images_set}"
    );
}

#[test]
fn app_set_changes_the_image_line_only() {
    let spec = root().join("examples/cybermonkey/hecate.hcl");
    let text = std::fs::read_to_string(&spec).unwrap();
    let d = spec_dir("edit-app", &spec);
    let dir = d.path();
    let r = run(
        dir,
        &[
            "app",
            "set",
            "helen",
            "--image",
            "registry.cybermonkey.net.au/helen:2026.12.01",
        ],
    )
    .expect(0);
    assert!(r.stderr.contains("changed app \"helen\""), "{}", r.stderr);
    let after = read(dir);
    let (old, new): (Vec<&str>, Vec<&str>) = (text.lines().collect(), after.lines().collect());
    assert_eq!(old.len(), new.len());
    let changed: Vec<(&str, &str)> = old
        .iter()
        .zip(&new)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // The image line, and the aligned comment of the line below it (the
    // comment column moves as `eosc fmt` would move it): nothing else.
    assert_eq!(
        changed[0]
            .1
            .trim_start()
            .split('#')
            .next()
            .unwrap()
            .trim_end(),
        "image   = \"registry.cybermonkey.net.au/helen:2026.12.01\""
    );
    assert!(changed[0].1.contains("# 000:191, 000:237"), "comment kept");
    for (a, b) in &changed[1..] {
        assert_eq!(
            squash(a),
            squash(b),
            "only whitespace may change: {a} -> {b}"
        );
    }
    assert!(changed.len() <= 2, "{changed:?}");
    assert!(fmt_clean(dir, "hecate.hcl"));
    // Appending to a list keeps what it held.
    std::fs::write(dir.join("hecate.hcl"), &text).unwrap();
    run(dir, &["auth", "set", "staff", "--add-group", "admins"]).expect(0);
    run(
        dir,
        &[
            "route",
            "set",
            "cloud.cybermonkey.dev",
            "--add-middleware",
            "security",
        ],
    )
    .expect(0);
    let after = read(dir);
    assert!(after.contains("  groups   = [\"employees\", \"contractors\", \"admins\"]\n"));
    assert!(after.contains("  middleware = [middleware.common, middleware.security]\n"));
    assert_eq!(text.lines().count(), after.lines().count());
    run(
        dir,
        &[
            "app",
            "set",
            "helen",
            "--image",
            "registry.cybermonkey.net.au/helen:2026.12.01",
        ],
    )
    .expect(0);
    let apps = json(
        dir,
        &[
            "app", "show", "helen", "--env", "staging", "--format", "json",
        ],
    );
    assert_eq!(
        apps["environments"][0]["items"][0]["tasks"][0]["image"],
        "registry.cybermonkey.net.au/helen:2026.12.01"
    );
}

#[test]
fn refused_edits_leave_the_file_byte_identical() {
    let spec = root().join("examples/cybermonkey/hecate.hcl");
    let text = std::fs::read_to_string(&spec).unwrap();
    let d = spec_dir("edit-refused", &spec);
    let dir = d.path();
    let grafana = format!(
        "{}: route \"observe.cybermonkey.dev\" `to`",
        grafana_reference(&text)
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "route",
                "add",
                "x.cybermonkey.dev",
                "--to",
                "app.nonexistent",
            ],
            "E0203",
        ),
        (
            &[
                "dns",
                "add",
                "cybermonkey.dev",
                "www",
                "--type",
                "BOGUS",
                "--value",
                "1.2.3.4",
            ],
            "E0306",
        ),
        (&["app", "set", "helen", "--count=-3"], "refused"),
        (
            &[
                "route",
                "add",
                "cloud.cybermonkey.dev",
                "--to",
                "upstream.grafana",
            ],
            "refused",
        ),
        (&["upstream", "rm", "grafana"], grafana.as_str()),
        (
            &["app", "set", "helenn", "--image", "x:1"],
            "did you mean `helen`?",
        ),
        (
            &["route", "rm", "jenkins.cybermonkey.dev", "--path", "/nope"],
            "--path '/github-webhook/*'",
        ),
        (
            &[
                "route",
                "add",
                "y.cybermonkey.dev",
                "--to",
                "app.x }\nproject \"p\" {",
            ],
            "is not `app.NAME`",
        ),
        (&["middleware", "rm", "security"], "built into eosc"),
    ];
    for (args, want) in cases {
        let r = run(dir, args);
        assert_ne!(r.code, 0, "{args:?} was accepted");
        assert!(
            r.stderr.contains(want),
            "{args:?}: no `{want}` in\n{}",
            r.stderr
        );
        assert_eq!(read(dir), text, "{args:?} changed the file");
    }
    // No flag takes a secret's value.
    let r = run(
        dir,
        &[
            "secret", "add", "s", "--vault", "secret/s", "--value", "hunter2",
        ],
    );
    assert_eq!(r.code, 2);
    assert_eq!(read(dir), text);
    // Nothing but the spec is left in the directory (no lock, no temporary file).
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["hecate.hcl"]);
}

/// Where the example's one route to Grafana names it (`hecate.hcl:LINE:COL`),
/// the reference `upstream rm grafana` reports: found in the text, so the
/// example may grow above it.
fn grafana_reference(text: &str) -> String {
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("= upstream.grafana"))
        .expect("the example routes to upstream.grafana");
    let col = line.find("upstream.grafana").expect("on that line") + 1;
    format!("hecate.hcl:{}:{col}", n + 1)
}

#[test]
fn force_removes_the_references_and_the_spec_still_checks() {
    let spec = root().join("examples/cybermonkey/hecate.hcl");
    let text = std::fs::read_to_string(&spec).unwrap();
    let d = spec_dir("edit-force", &spec);
    let dir = d.path();
    let r = run(dir, &["upstream", "rm", "grafana", "--force"]).expect(0);
    assert!(
        r.stderr.contains(&format!(
            "removing the reference at {}",
            grafana_reference(&text)
        )),
        "{}",
        r.stderr
    );
    let after = read(dir);
    assert!(!after.contains("grafana") && !after.contains("observe.cybermonkey.dev\" {"));
    run(dir, &["check", "hecate.hcl"]).expect(0);
    // A list element: redis leaves authentik's depends_on.
    run(dir, &["app", "rm", "redis", "--force"]).expect(0);
    assert!(
        read(dir).contains("depends_on = [app.postgres]"),
        "{}",
        read(dir)
    );
    run(dir, &["check", "hecate.hcl"]).expect(0);
    assert!(fmt_clean(dir, "hecate.hcl"));
    // Object entries: the secret leaves postgres' and both tasks' `secrets`.
    run(dir, &["secret", "rm", "authentik_db_password", "--force"]).expect(0);
    let now = read(dir);
    assert!(!now.contains("authentik_db_password"));
    assert!(now.contains("  secrets = {} # 004:1106-1108\n"), "{now}");
    assert!(now.contains("      AUTHENTIK_SECRET_KEY      = secret.authentik_secret_key\n"));
    run(dir, &["check", "hecate.hcl"]).expect(0);
    assert!(fmt_clean(dir, "hecate.hcl"));
    // Removing a reference that the spec needs is refused: authentik is
    // the outpost of both auths.
    let before = read(dir);
    let r = run(dir, &["app", "rm", "authentik", "--force"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("refused"), "{}", r.stderr);
    assert_eq!(read(dir), before);
}

#[test]
fn an_entity_in_an_imported_file_is_edited_there() {
    let d = TempDir::new("edit-import");
    let dir = d.path();
    let root_text = "import \"std/security\"\nimport \"routes.hcl\"\n\nproject \"p\" {\n  datacenters = [\"dc1\"]\n  acme_email  = \"ops@example.com\"\n}\n\nenvironment \"production\" {}\n\nserver \"web\" {\n  type     = \"cx22\"\n  location = \"nbg1\"\n  image    = \"ubuntu-24.04\"\n}\n\napp \"site\" {\n  image   = \"nginx:1.27-alpine\"\n  runs_on = server.web\n\n  port \"http\" { to = 80 }\n  resources { cpu = 100, memory = 64MiB }\n}\n";
    let routes = "# Routes live here.\n\nupstream \"old\" { targets = [\"10.0.0.1:80\"] } # the old box\n\n# The site.\nroute \"example.com\" {\n  to  = app.site\n  dns = \"external\"\n}\n";
    std::fs::write(dir.join("hecate.hcl"), root_text).unwrap();
    std::fs::write(dir.join("routes.hcl"), routes).unwrap();
    run(dir, &["check", "hecate.hcl"]).expect(0);
    run(
        dir,
        &["route", "set", "example.com", "--to", "upstream.old"],
    )
    .expect(0);
    assert_eq!(read(dir), root_text, "the root file is untouched");
    let after = std::fs::read_to_string(dir.join("routes.hcl")).unwrap();
    assert_eq!(
        after,
        routes.replace("to  = app.site", "to  = upstream.old")
    );
    // An added upstream goes after the last one, in its file, on one line like it.
    run(dir, &["upstream", "add", "new", "--target", "10.0.0.2:80"]).expect(0);
    let added = std::fs::read_to_string(dir.join("routes.hcl")).unwrap();
    assert!(
        added.contains(
            "# the old box\n\nupstream \"new\" { targets = [\"10.0.0.2:80\"] }\n\n# The site."
        ),
        "{added}"
    );
    assert!(fmt_clean(dir, "routes.hcl"), "{added}");
    run(dir, &["upstream", "rm", "new"]).expect(0);
    assert_eq!(
        std::fs::read_to_string(dir.join("routes.hcl")).unwrap(),
        after
    );
    // The comments above a removed block go with it, the rest stays.
    run(dir, &["route", "rm", "example.com"]).expect(0);
    assert_eq!(
        std::fs::read_to_string(dir.join("routes.hcl")).unwrap(),
        "# Routes live here.\n\nupstream \"old\" { targets = [\"10.0.0.1:80\"] } # the old box\n"
    );
}

#[test]
fn concurrent_edits_both_land_or_one_is_refused_never_a_torn_file() {
    let spec = root().join("examples/minimal/hecate.hcl");
    let d = spec_dir("edit-concurrent", &spec);
    let dir = d.path();
    for i in 0..10 {
        let start = |name: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_eosc"))
                .args(["secret", "add", name, "--vault", &format!("secret/{name}")])
                .current_dir(dir)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("eosc starts")
        };
        let (a, b) = (format!("a{i}"), format!("b{i}"));
        // Both processes run at once; each waits for the other's lock.
        let (ca, cb) = (start(&a), start(&b));
        let oa = ca.wait_with_output().unwrap();
        let ob = cb.wait_with_output().unwrap();
        let now = read(dir);
        for (name, o) in [(&a, &oa), (&b, &ob)] {
            // Under the lock neither is refused: the second waits and
            // edits the first's result (without it, one add is lost).
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(
                now.contains(&format!("secret \"{name}\"")),
                "{name} lost:\n{now}"
            );
        }
        run(dir, &["check", "hecate.hcl"]).expect(0);
        assert!(fmt_clean(dir, "hecate.hcl"));
    }
    let landed = read(dir).matches("secret \"").count();
    assert_eq!(landed, 20, "with the lock every edit lands");
}

#[test]
fn list_json_has_the_documented_shape() {
    let dir = root().join("examples/cybermonkey");
    let v = json(&dir, &["route", "list", "--format", "json"]);
    assert_eq!(v["kind"], "route");
    let envs = v["environments"].as_array().unwrap();
    let names: Vec<&str> = envs
        .iter()
        .map(|e| e["environment"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["staging", "production"]);
    for e in envs {
        let items = e["items"].as_array().unwrap();
        assert_eq!(items.len(), 11);
        for key in [
            "host",
            "path",
            "action",
            "middleware",
            "auth",
            "log",
            "dns_external",
        ] {
            assert!(items[0].get(key).is_some(), "no `{key}` in {}", items[0]);
        }
    }
    let one = json(
        &dir,
        &["route", "list", "--env", "production", "--format", "json"],
    );
    assert_eq!(one["environments"].as_array().unwrap().len(), 1);
    // Per environment: helen's count is the variable's value there.
    let helen = json(&dir, &["app", "show", "helen", "--format", "json"]);
    let counts: Vec<i64> = helen["environments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["items"][0]["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 2]);
    for kind in ["app", "upstream", "dns", "secret", "auth", "middleware"] {
        let v = json(&dir, &[kind, "list", "--format", "json"]);
        assert_eq!(v["kind"], kind);
        assert!(
            !v["environments"][0]["items"].as_array().unwrap().is_empty(),
            "{kind}"
        );
        run(&dir, &[kind, "list"]).expect(0);
    }
    let r = run(&dir, &["route", "show", "jenkins.cybermonkey.dv"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("did you mean `jenkins.cybermonkey.dev`?"),
        "{}",
        r.stderr
    );
}

/// In the library, on every example and ok case: removing each entity of
/// every kind (with `--force`, the references too) leaves shorter text that
/// still parses: no splice cuts a token or a bracket in half.
#[test]
fn every_removal_leaves_text_that_parses() {
    use eosc::edit::{Locator, Spec};
    let mut removals = 0;
    for (name, spec) in corpus() {
        let checked = crate::support::loader::check(&spec);
        let spec = Spec::parse(&checked.sources).unwrap();
        let mut locs = Vec::new();
        for kind in [
            "app",
            "upstream",
            "secret",
            "auth",
            "middleware",
            "dns",
            "server",
        ] {
            for n in spec.names(kind) {
                locs.push(Locator::entity(kind, &n));
            }
        }
        for l in locs {
            match spec.remove(&l, true) {
                Ok(edits) => {
                    for e in edits {
                        let parsed = eosc::syntax::parse(e.file, &e.text);
                        assert!(
                            parsed.is_ok(),
                            "{name}: removing {} gives\n{}",
                            l.describe(),
                            e.text
                        );
                        assert!(e.text.len() < checked.sources.get(e.file).text.len());
                    }
                    removals += 1;
                }
                // Built-in blocks and references inside `${}` are refused.
                Err(r) => assert!(
                    r.message.contains("built into") || r.message.contains("cannot remove"),
                    "{name}: {}",
                    r.message
                ),
            }
        }
    }
    assert!(removals > 40, "{removals}");
}
