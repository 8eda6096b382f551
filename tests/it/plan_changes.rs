//! `eosc plan` and `eosc compare`: a corpus of spec changes made to the
//! cybermonkey example (an image bump, a new route, a removed zone, a new
//! record, fewer servers, a removed secret, a removed volume, an auth
//! added, a comment only), each summarised entity by entity (insta snapshots of the text and
//! the Markdown under tests/snapshots/plan/); the binary's exit codes with
//! `--detailed-exitcode` against a git revision and an output tree; and the
//! Markdown cap on a generated spec with thousands of changes.

use crate::support::cli::eosc;
use crate::support::tools::TempDir;
use crate::support::{root, snap, workload};
use eosc::changes::{self, artifacts::Files, render, EnvChanges};
use std::path::Path;
use std::process::Command;

fn example() -> String {
    std::fs::read_to_string(root().join("examples/cybermonkey/hecate.hcl")).expect("example")
}

/// `text` with `from` replaced once, which must be there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the example no longer holds {from:?}");
    text.replacen(from, to, 1)
}

fn checked(text: &str) -> eosc::Checked {
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.to_string())]);
    let c = eosc::check("hecate.hcl", &loader).expect("loads");
    assert!(
        !c.has_errors(),
        "the edited spec has errors: {:#?}",
        c.diagnostics
    );
    c
}

/// What `eosc plan --base` computes, in memory.
fn plan(before: &str, after: &str) -> Vec<EnvChanges> {
    let (b, a) = (checked(before), checked(after));
    let (tb, ta) = (eosc::compile(&b.models), eosc::compile(&a.models));
    let files = |t: &eosc::output_tree::Trees, env: &str| -> Files<'static> {
        let arts = t.iter().find(|(n, _)| n == env).map(|(_, a)| a.clone());
        let arts: &'static [eosc::emit::Artifact] =
            Box::leak(arts.unwrap_or_default().into_boxed_slice());
        arts.iter()
            .map(|x| (x.path.as_str(), x.contents.as_str()))
            .collect()
    };
    a.models
        .iter()
        .map(|ma| {
            let env = ma.env.name.as_str();
            let mb = b.models.iter().find(|m| m.env.name == env);
            let (fb, fa) = (files(&tb, env), files(&ta, env));
            changes::from_models(env, mb.map(|m| (m, &fb)), Some((ma, &fa)))
        })
        .collect()
}

const NEW_ROUTE: &str = r#"
route "status.cybermonkey.dev" {
  to         = upstream.grafana
  middleware = [middleware.common]
}
"#;

// Both environments write into it (E0409 refuses a zone two environments
// would each create), so removing it destroys its records, not the zone.
const EXTRA_ZONE: &str = r#"
dns "cybermonkey.net.au" {
  existing = true
  record "www" { type = "CNAME", value = "cybermonkey.dev." }
}
"#;

const EXTRA_SECRET: &str = r#"
secret "grafana_token" {
  vault = "secret/hecate/grafana/token"
}
"#;

/// (case, before, after) over the example.
fn corpus() -> Vec<(&'static str, String, String)> {
    let base = example();
    let bump = base.replace(r#"version = "2026.11.22" }"#, r#"version = "2026.12.01" }"#);
    let with_record = |t: &str, line: &str| {
        edit(
            t,
            r#"  record "u" { type = "CNAME", value = "cybermonkey.dev." }"#,
            &format!("  record \"u\" {{ type = \"CNAME\", value = \"cybermonkey.dev.\" }}\n{line}"),
        )
    };
    vec![
        ("image_bump", base.clone(), bump),
        (
            "new_route",
            base.clone(),
            with_record(
                &format!("{base}{NEW_ROUTE}"),
                r#"  record "status" { type = "CNAME", value = "cybermonkey.dev." }"#,
            ),
        ),
        ("removed_zone", format!("{base}{EXTRA_ZONE}"), base.clone()),
        (
            "new_record",
            base.clone(),
            with_record(
                &base,
                r#"  record "@" { type = "TXT", value = "v=spf1 -all" }"#,
            ),
        ),
        (
            "server_count_down",
            base.clone(),
            edit(&base, "  count    = 2\n", "  count    = 1\n"),
        ),
        (
            "secret_removed",
            format!("{base}{EXTRA_SECRET}"),
            base.clone(),
        ),
        (
            "volume_removed",
            base.clone(),
            edit(
                &base,
                r#"  volume "data" { host = "redis-authentik", path = "/data" }"#,
                "",
            ),
        ),
        (
            "auth_added",
            base.clone(),
            edit(
                &base,
                "  to         = upstream.nextcloud\n",
                "  to         = upstream.nextcloud\n  auth       = auth.staff\n",
            ),
        ),
        (
            "comment_only",
            base.clone(),
            format!("{base}\n# a comment changes no entity\n"),
        ),
    ]
}

#[test]
fn corpus_summaries() {
    for (case, before, after) in corpus() {
        let envs = plan(&before, &after);
        let md = render::markdown(&envs, &format!("eosc plan: {case}"), render::MARKDOWN_LIMIT);
        let out = format!("{}\n---- markdown ----\n{md}", render::text(&envs));
        snap::assert("plan", case, &out);
        let changed = changes::any(&envs);
        assert_eq!(changed, case != "comment_only", "{case}: {out}");
        let destructive = envs.iter().flat_map(|e| &e.changes).any(|c| c.destructive);
        assert_eq!(
            destructive,
            matches!(
                case,
                "server_count_down" | "secret_removed" | "volume_removed"
            ),
            "{case}: {out}"
        );
    }
}

/// The issue's words, checked on the summaries rather than only snapshot.
#[test]
fn summaries_name_entities() {
    let all: Vec<(&str, String)> = corpus()
        .into_iter()
        .map(|(case, b, a)| (case, render::text(&plan(&b, &a))))
        .collect();
    let get = |c: &str| &all.iter().find(|(n, _)| *n == c).expect("case").1;
    let has = |c: &str, s: &str| assert!(get(c).contains(s), "{c} lacks {s:?}:\n{}", get(c));
    has(
        "image_bump",
        "app helen: image 2026.11.22 → 2026.12.01, canary stages 5/25/50/100 %",
    );
    has("image_bump", "nomad: helen job changes (meta, task config");
    has(
        "image_bump",
        "terraform: 0 to add, 0 to change, 0 to destroy",
    );
    has(
        "new_route",
        "+ route status.cybermonkey.dev: to upstream.grafana",
    );
    has("new_route", "dns: + CNAME status.cybermonkey.dev");
    has(
        "new_route",
        "terraform: 1 to add, 0 to change, 0 to destroy",
    );
    has(
        "new_route",
        "+ hcloud_zone_rrset.cybermonkey_dev_status_cname",
    );
    has("removed_zone", "- zone cybermonkey.net.au");
    has("new_record", "dns: + TXT cybermonkey.dev (v=spf1 -all)");
    has(
        "server_count_down",
        "! server edge: count 2 → 1 (1 instance destroyed) (destructive)",
    );
    has("server_count_down", "- hcloud_server.edge[1]");
    has("secret_removed", "! - secret grafana_token (destructive)");
    has("volume_removed", "! app redis: volume data removed");
    has(
        "auth_added",
        // Behind forward auth the route's check expects Authentik's 302.
        "route cloud.cybermonkey.dev: verify[0].status 200 → 302, auth staff added",
    );
    has("comment_only", "staging: no changes");
    // Destructive changes come first in their environment.
    let text = get("server_count_down");
    let first = text.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("  !"), "not first: {text}");
}

/// A git repository holding the example, committed with its output tree.
fn repo(dir: &Path) {
    std::fs::write(dir.join("hecate.hcl"), example()).expect("write");
    eosc(&["compile", "-q", "hecate.hcl", "-o", "out"], Some(dir)).expect(0);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "base"]);
}

/// The done-when of #21: `eosc plan --format markdown` on an image bump and
/// a new route, against the committed revision and against the committed
/// output tree, exits 2 with the entity-level summary; unchanged exits 0.
#[test]
fn binary_exit_codes_and_markdown() {
    if crate::support::tools::tool("git").is_none() {
        return;
    }
    let dir = TempDir::new("plan-git");
    let d = dir.path();
    repo(d);
    let md = [
        "plan",
        "--base",
        "HEAD",
        "--format",
        "markdown",
        "--detailed-exitcode",
    ];
    let r = eosc(&md, Some(d)).expect(0);
    assert!(r.stdout.contains("No changes."), "{}", r.stdout);
    eosc(&["plan", "-o", "out", "--detailed-exitcode"], Some(d)).expect(0);
    // The image bump alone.
    let bump = example().replace(r#"version = "2026.11.22" }"#, r#"version = "2026.12.01" }"#);
    std::fs::write(d.join("hecate.hcl"), &bump).expect("edit");
    let r = eosc(&md, Some(d)).expect(2);
    for line in [
        "- app `helen`: image 2026.11.22 → 2026.12.01, canary stages 5/25/50/100 %",
        "- **terraform**: 0 to add, 0 to change, 0 to destroy",
        "- nomad: `helen` job changes (meta, task config, image 2026.11.22 → 2026.12.01)",
    ] {
        assert!(r.stdout.contains(line), "no {line:?} in\n{}", r.stdout);
    }
    // Then the new route too. (Without the flag, changes exit 0.)
    let spec = bump
        .replacen(
            r#"  record "u" { type = "CNAME", value = "cybermonkey.dev." }"#,
            "  record \"u\" { type = \"CNAME\", value = \"cybermonkey.dev.\" }\n  record \"status\" { type = \"CNAME\", value = \"cybermonkey.dev.\" }",
            1,
        )
        + NEW_ROUTE;
    std::fs::write(d.join("hecate.hcl"), &spec).expect("edit");
    let r = eosc(&md, Some(d)).expect(2);
    assert!(r.stdout.len() < render::MARKDOWN_LIMIT);
    snap::assert("plan", "cli_base_markdown", &r.stdout);
    for line in [
        "- app `helen`: image 2026.11.22 → 2026.12.01, canary stages 5/25/50/100 %",
        "- \\+ route `status.cybermonkey.dev`: to upstream.grafana",
        "- dns: \\+ `CNAME status.cybermonkey.dev` (cybermonkey.dev.)",
        "- **terraform**: 1 to add, 0 to change, 0 to destroy",
    ] {
        assert!(r.stdout.contains(line), "no {line:?} in\n{}", r.stdout);
    }
    eosc(&["plan", "--base", "HEAD"], Some(d)).expect(0);
    // Against the output tree: artifact level, the same counts.
    let r = eosc(
        &[
            "plan",
            "-o",
            "out",
            "--format",
            "markdown",
            "--detailed-exitcode",
        ],
        Some(d),
    )
    .expect(2);
    snap::assert("plan", "cli_out_markdown", &r.stdout);
    assert!(
        r.stdout.contains("image 2026.11.22 → 2026.12.01"),
        "{}",
        r.stdout
    );
    // JSON names every field.
    let r = eosc(
        &[
            "plan", "--base", "HEAD", "--format", "json", "--env", "staging",
        ],
        Some(d),
    )
    .expect(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["changed"], true);
    assert_eq!(v["environments"][0]["terraform"]["add"], 1);
    // Errors exit 1 with --detailed-exitcode: an unknown revision, a spec
    // with errors, an unknown environment.
    eosc(
        &["plan", "--base", "no-such-rev", "--detailed-exitcode"],
        Some(d),
    )
    .expect(1);
    eosc(&["plan", "--env", "nope", "--detailed-exitcode"], Some(d)).expect(1);
    std::fs::write(d.join("hecate.hcl"), format!("{spec}\nroute \"x\" {{}}\n")).expect("break");
    eosc(&["plan", "--base", "HEAD", "--detailed-exitcode"], Some(d)).expect(1);
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs")
        .success();
    assert!(ok, "git {args:?}");
}

/// An import is read from the revision too, and one outside the spec's
/// directory is refused as on disk, even where git has the file.
#[test]
fn base_follows_imports_inside_the_directory() {
    if crate::support::tools::tool("git").is_none() {
        return;
    }
    let dir = TempDir::new("plan-import");
    let d = dir.path();
    repo(d);
    std::fs::write(d.join("extra.hcl"), EXTRA_SECRET).expect("write");
    std::fs::write(
        d.join("hecate.hcl"),
        format!("import \"extra.hcl\"\n{}", example()),
    )
    .expect("write");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "import"]);
    // The working tree drops the secret from the import: HEAD had it.
    std::fs::write(d.join("extra.hcl"), "").expect("write");
    let r = eosc(&["plan", "--base", "HEAD", "--env", "staging"], Some(d)).expect(0);
    assert!(
        r.stdout.contains("! - secret grafana_token (destructive)"),
        "{}",
        r.stdout
    );
    // HEAD~1 had no import: the secret is new since.
    std::fs::write(d.join("extra.hcl"), EXTRA_SECRET).expect("write");
    let r = eosc(&["plan", "--base", "HEAD~1", "--env", "staging"], Some(d)).expect(0);
    assert!(r.stdout.contains("+ secret grafana_token"), "{}", r.stdout);
    // A revision whose spec imports a file beside its directory.
    std::fs::create_dir_all(d.join("spec")).expect("mkdir");
    std::fs::write(
        d.join("spec/hecate.hcl"),
        format!("import \"../extra.hcl\"\n{}", example()),
    )
    .expect("write");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "outside"]);
    std::fs::write(d.join("spec/hecate.hcl"), example()).expect("write");
    let r = eosc(
        &[
            "plan",
            "spec/hecate.hcl",
            "--base",
            "HEAD",
            "--detailed-exitcode",
        ],
        Some(d),
    )
    .expect(1);
    assert!(
        r.stderr.contains("E0217") && r.stderr.contains("leaves the root spec's directory"),
        "{}",
        r.stderr
    );
}

/// Thousands of changes: the Markdown stays under the limit, keeps the
/// destructive ones, and says how many it left out.
#[test]
fn markdown_cap_says_what_it_left_out() {
    let before = format!("{}{EXTRA_SECRET}", workload::spec(2));
    let after = workload::spec(1200);
    let envs = plan(&before, &after);
    let total: usize = envs.iter().map(|e| e.changes.len()).sum();
    assert!(total > 3000, "only {total} changes");
    let md = render::markdown(&envs, "eosc plan", render::MARKDOWN_LIMIT);
    assert!(md.len() <= render::MARKDOWN_LIMIT, "{} bytes", md.len());
    assert!(
        md.len() > render::MARKDOWN_LIMIT - 2_000,
        "{} bytes: the budget is wasted",
        md.len()
    );
    let last = md.lines().last().unwrap_or_default();
    assert!(last.starts_with("**Left out: "), "{last}");
    let shown = md
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("  - "))
        .count();
    assert!(
        last.contains(&format!("of {} changes", thousands(total))),
        "{last}"
    );
    assert!(shown > 100 && shown < total, "{shown}");
    assert!(
        md.contains(":warning: **destructive**: \\- secret `grafana_token`"),
        "the destructive change is left out"
    );
    eprintln!(
        "markdown cap: {total} changes, {} bytes of Markdown showing {shown} lines; the text has {} bytes",
        md.len(),
        render::text(&envs).len()
    );
    // The full text has them all.
    let text = render::text(&envs);
    assert!(text.len() > render::MARKDOWN_LIMIT);
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `eosc compare`: staging against production of the example, and an
/// environment against itself.
#[test]
fn compare_environments() {
    let r = eosc(
        &[
            "compare",
            "staging",
            "production",
            "examples/cybermonkey/hecate.hcl",
        ],
        None,
    )
    .expect(2);
    snap::assert("plan", "compare_staging_production", &r.stdout);
    assert!(
        r.stdout.contains("variable replicas: 1 → 2"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("app helen: count 1 → 2"), "{}", r.stdout);
    let r = eosc(
        &[
            "compare",
            "staging",
            "staging",
            "examples/cybermonkey/hecate.hcl",
        ],
        None,
    )
    .expect(0);
    assert!(r.stdout.contains("no changes"), "{}", r.stdout);
    eosc(
        &[
            "compare",
            "staging",
            "nope",
            "examples/cybermonkey/hecate.hcl",
        ],
        None,
    )
    .expect(1);
}

/// Every example and ok case against itself: no change at either level,
/// and every emitted Terraform file and Nomad job is readable by the
/// comparison (an unreadable one would be reported even when unchanged).
/// And each spec against the empty side: each Terraform resource block is
/// counted (an unparsed file would count none).
#[test]
fn every_spec_against_itself_is_unchanged() {
    use crate::support::specs;
    for path in specs::all() {
        let models = specs::models(&path);
        let trees = eosc::compile(&models);
        for m in &models {
            let arts = &trees
                .iter()
                .find(|(n, _)| *n == m.env.name)
                .expect("tree")
                .1;
            let files: Files = arts
                .iter()
                .map(|a| (a.path.as_str(), a.contents.as_str()))
                .collect();
            let same = changes::from_models(&m.env.name, Some((m, &files)), Some((m, &files)));
            assert!(
                same.changes.is_empty(),
                "{}: {:#?}",
                path.display(),
                same.changes
            );
            let same = changes::from_trees(&m.env.name, &files, &files);
            assert!(
                same.changes.is_empty(),
                "{}: {:#?}",
                path.display(),
                same.changes
            );
            let new = changes::from_trees(&m.env.name, &Files::new(), &files);
            let blocks: usize = files
                .iter()
                .filter(|(p, _)| p.starts_with("terraform/"))
                .map(|(_, t)| t.lines().filter(|l| l.starts_with("resource ")).count())
                .sum();
            let (add, change, destroy) = new.terraform_counts();
            assert!(
                add >= blocks && change == 0 && destroy == 0,
                "{}: {add} added of {blocks} blocks",
                path.display()
            );
            assert!(
                !new.changes
                    .iter()
                    .any(|c| c.details.iter().any(|d| d.starts_with("cannot be read"))),
                "{}: {:#?}",
                path.display(),
                new.changes
            );
        }
    }
}
