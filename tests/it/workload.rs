//! The generated benchmark workloads (benches/workload) are valid specs:
//! they check with no diagnostic at all, every app gets a Nomad job, a
//! route and a DNS record, and the dependency chain is in the graph. A
//! workload that stopped checking clean would make every figure in
//! docs/performance.md measure an error path instead of a compile.

use crate::support::workload;

fn check(n: usize) -> eosc::Checked {
    let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), workload::spec(n))]);
    eosc::check("hecate.hcl", &loader).expect("the root is in memory")
}

#[test]
fn workloads_check_clean() {
    for n in [10, 100] {
        let checked = check(n);
        let rendered =
            eosc::diagnostics::render_human(&checked.diagnostics, &checked.sources, false);
        assert!(checked.diagnostics.is_empty(), "N={n}:\n{rendered}");
        assert_eq!(checked.models.len(), 1, "N={n}: one environment");
        let model = &checked.models[0];
        assert_eq!(model.apps.len(), n);
        assert_eq!(model.routes.len(), n);

        let trees = eosc::compile(&checked.models);
        let (_, arts) = &trees[0];
        let jobs = arts
            .iter()
            .filter(|a| a.path.starts_with("nomad/") && a.path.ends_with(".nomad.hcl"))
            .filter(|a| a.path != "nomad/hecate-proxy.nomad.hcl")
            .count();
        assert_eq!(jobs, n, "N={n}: one Nomad job per app (and the proxy's)");
        let zone = arts
            .iter()
            .find(|a| a.path == format!("dns/{}.zone", workload::ZONE))
            .expect("the zone file");
        let caddy = arts
            .iter()
            .find(|a| a.path == "caddy/caddy.json")
            .expect("the Caddy config");
        for i in [0, n / 2, n - 1] {
            let name = workload::app_name(i);
            assert!(
                zone.contents.contains(&format!("\n{name} ")),
                "N={n}: no record for {name}"
            );
            assert!(
                caddy
                    .contents
                    .contains(&format!("\"{name}.{}\"", workload::ZONE)),
                "N={n}: no route for {name}"
            );
        }
    }
}

#[test]
fn each_app_depends_on_its_neighbour() {
    let checked = check(10);
    let graph = &checked.models[0].graph;
    for i in 1..10 {
        let me = eosc::sema::model::Entity {
            kind: eosc::sema::model::Kind::App,
            name: workload::app_name(i),
        };
        let deps: Vec<String> = graph
            .dependencies(&me)
            .into_iter()
            .filter(|e| e.kind == eosc::sema::model::Kind::App)
            .map(|e| e.name.clone())
            .collect();
        assert_eq!(deps, vec![workload::app_name(i - 1)]);
    }
}

#[test]
fn the_pillar_lists_the_same_apps() {
    let pillar = workload::pillar(100);
    for i in 0..100 {
        let name = workload::app_name(i);
        assert!(pillar.contains(&format!("    - name: {name}\n")));
        assert!(pillar.contains(&format!("      domain: {name}.{}\n", workload::ZONE)));
    }
}

/// A tree of hundreds of files is written by several threads: what lands
/// on disk is still exactly the library's artifacts, file for file.
#[test]
fn a_large_tree_is_written_file_for_file() {
    use crate::support::{cli, tools::TempDir};
    let n = 300;
    let dir = TempDir::new("workload-write");
    dir.write("hecate.hcl", &workload::spec(n));
    cli::eosc(
        &["compile", "hecate.hcl", "-o", "out", "-q"],
        Some(dir.path()),
    )
    .expect(0);
    let checked = check(n);
    let trees = eosc::compile(&checked.models);
    let (env, arts) = &trees[0];
    assert!(arts.len() > 256, "{} artifacts", arts.len());
    let tree = dir.path().join("out").join(env);
    let written = cli::snapshot(&tree);
    let mut expected: Vec<(std::path::PathBuf, Vec<u8>)> = arts
        .iter()
        .map(|a| (a.path.clone().into(), a.contents.clone().into_bytes()))
        .collect();
    expected.sort();
    let written: Vec<_> = written
        .into_iter()
        .map(|(p, b)| {
            (
                p.strip_prefix(&tree).expect("under the tree").to_path_buf(),
                b,
            )
        })
        .collect();
    assert_eq!(written.len(), expected.len());
    assert!(
        written == expected,
        "the written tree differs from the artifacts"
    );
}
