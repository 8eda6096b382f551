//! `caddy::emit` writes caddy.json one route at a time (to keep only one
//! route's JSON tree in memory); its text must be exactly the pretty-printed
//! `caddy::config` tree, on every example, every ok case and the generated
//! workloads (routes that share middleware, canaries, auth, no routes).

use crate::support::workload;

fn checked_specs() -> Vec<(String, eosc::Checked)> {
    let paths = crate::support::specs::all();
    let mut out: Vec<(String, eosc::Checked)> = paths
        .iter()
        .map(|p| {
            let checked = eosc::check(
                &crate::support::loader::FsLoader::root_name(p),
                &crate::support::loader::FsLoader::new(p),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), checked)
        })
        .collect();
    for n in [1, 10, 100] {
        let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), workload::spec(n))]);
        let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
        out.push((format!("workload {n}"), checked));
    }
    out
}

#[test]
fn streamed_text_is_the_pretty_printed_config() {
    let mut compared = 0;
    for (name, checked) in checked_specs() {
        assert!(!checked.models.is_empty(), "{name} does not check");
        for m in &checked.models {
            let streamed = eosc::emit::caddy::emit(m).contents;
            let whole = serde_json::to_string_pretty(&eosc::emit::caddy::config(m))
                .expect("serializes")
                + "\n";
            assert!(
                streamed == whole,
                "{name} ({}): caddy.json differs",
                m.env.name
            );
            compared += 1;
        }
    }
    assert!(compared > 10, "only {compared} models compared");
}
