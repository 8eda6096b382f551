//! Snapshots of every SLS file and Jenkinsfile for every example and ok
//! case (`INSTA_UPDATE=always cargo test` rewrites them; review the diff).

mod salt_support;

use salt_support::{case_name, models_of, spec_files};

fn snapshot(name: &str, contents: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), contents));
}

#[test]
fn salt_and_jenkins_snapshots() {
    let specs = spec_files();
    assert!(!specs.is_empty(), "no examples found");
    for spec in specs {
        let case = case_name(&spec);
        let models = models_of(&spec);
        for m in &models {
            for a in eosc::emit::salt::emit(m) {
                let name = format!("{case}__{}__{}", m.env.name, a.path.replace('/', "__"));
                snapshot(&name, &a.contents);
            }
        }
        for a in eosc::emit::jenkins::emit_project(&models) {
            snapshot(
                &format!("{case}__{}", a.path.replace('/', "__")),
                &a.contents,
            );
        }
    }
}
