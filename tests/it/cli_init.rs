//! `eosc init`: a starter spec that checks with no diagnostic at all and
//! compiles, never overwriting a spec.

use crate::support::cli;
use crate::support::tools;

use cli::eosc;
use tools::TempDir;

#[test]
fn the_starter_checks_clean_and_compiles() {
    let dir = TempDir::new("cli-init");
    let run = eosc(&["init", "new/site"], Some(&dir.0)).expect(0);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("wrote new/site/hecate.hcl"),
        "{}",
        run.stderr
    );
    let spec = dir.0.join("new/site/hecate.hcl");
    let text = std::fs::read_to_string(&spec).expect("written");
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 10,
        "commented"
    );

    // No error and no warning, even denied.
    let run = eosc(
        &[
            "check",
            "new/site/hecate.hcl",
            "--deny",
            "warnings",
            "--format",
            "json",
        ],
        Some(&dir.0),
    )
    .expect(0);
    assert!(run.stdout.is_empty(), "diagnostics: {}", run.stdout);
    let run = eosc(&["check", "new/site/hecate.hcl"], Some(&dir.0)).expect(0);
    assert!(
        run.stderr
            .ends_with(": 2 environments, 0 errors, 0 warnings\n")
            && run.stderr.lines().count() == 1,
        "{}",
        run.stderr
    );

    let run = eosc(
        &["compile", "new/site/hecate.hcl", "-o", "out"],
        Some(&dir.0),
    )
    .expect(0);
    assert!(
        run.stderr.starts_with("wrote ") && run.stderr.lines().count() == 1,
        "{}",
        run.stderr
    );
    for f in [
        "out/staging/manifest.json",
        "out/production/nomad/site.nomad.hcl",
        "out/production/caddy/caddy.json",
        "out/jenkins/deploy.Jenkinsfile",
    ] {
        assert!(dir.0.join(f).is_file(), "{f}");
    }
    // Every block kind the starter shows is in the graph.
    let g = eosc(
        &["graph", "new/site/hecate.hcl", "--format", "json"],
        Some(&dir.0),
    )
    .expect(0);
    for kind in [
        "secret",
        "server",
        "firewall",
        "rollout",
        "app",
        "middleware",
        "route",
        "dns",
        "pipeline",
    ] {
        assert!(
            g.stdout.contains(&format!("\"kind\": \"{kind}\"")),
            "{kind}"
        );
    }
}

#[test]
fn init_never_overwrites() {
    let dir = TempDir::new("cli-init-twice");
    eosc(&["init"], Some(&dir.0)).expect(0);
    let spec = dir.0.join("hecate.hcl");
    std::fs::write(&spec, "# mine\n").expect("write");
    let run = eosc(&["init", "."], Some(&dir.0)).expect(2);
    assert!(
        run.stderr.contains("hecate.hcl already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&spec).expect("read"), "# mine\n");
    // DIR is a file: an I/O error.
    std::fs::write(dir.0.join("file"), "").expect("write");
    eosc(&["init", "file"], Some(&dir.0)).expect(2);
}
