//! Snapshots of caddy.json, dns.tf and every zone file, for every
//! environment of every example and every ok case (and the hand-built
//! fixture), named case + environment + artifact path. Update with
//! `INSTA_UPDATE=always cargo test --test caddy_snapshots`.

mod caddy_support;

use std::path::Path;

fn is_mine(path: &str) -> bool {
    path == eosc::emit::caddy::PATH || path == eosc::emit::dns::TF_PATH || path.starts_with("dns/")
}

fn snapshot_all(case: &str, models: &[eosc::Model]) {
    for m in models {
        for a in eosc::emit::emit_all(m) {
            if is_mine(&a.path) {
                let name = format!("{case}__{}__{}", m.env.name, a.path.replace('/', "__"));
                insta::assert_snapshot!(name, a.contents);
            }
        }
    }
}

/// `examples/minimal/hecate.hcl` → `examples__minimal`.
fn case_name(path: &Path) -> String {
    let rel = path.strip_prefix(caddy_support::root()).unwrap_or(path);
    let rel = rel.to_string_lossy().replace('\\', "/");
    rel.trim_end_matches("/hecate.hcl")
        .trim_end_matches(".hcl")
        .replace('/', "__")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn routing_artifacts_of_every_spec() {
    settings().bind(|| {
        insta::glob!(
            "..",
            "{examples/*/hecate.hcl,tests/cases/ok/*.hcl}",
            |path| {
                // The name says the case; insta's glob suffix (relative to the
                // common prefix of whatever matched) would rename every
                // snapshot when a new kind of case appears.
                let mut named = insta::Settings::clone_current();
                named.remove_snapshot_suffix();
                named.bind(|| snapshot_all(&case_name(path), &caddy_support::spec(path)));
            }
        );
    });
}

#[test]
fn routing_artifacts_of_the_fixture() {
    settings().bind(|| snapshot_all("fixture", &[caddy_support::fixture(2)]));
}
