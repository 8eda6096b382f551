//! Snapshots of every Terraform file for every example and valid case, one per
//! environment. Update with `INSTA_UPDATE=always cargo test --test terraform_snapshots`.

#[path = "support/specs.rs"]
mod specs;

fn snapshot_all(base: &str, pattern: &str) {
    if !specs::root().join("tests").join(base).is_dir() {
        return;
    }
    insta::glob!(base, pattern, |path| {
        for model in specs::models(path) {
            for a in eosc::emit::terraform::emit(&model) {
                let name = format!("{}__{}", model.env.name, a.path.replace('/', "__"));
                insta::assert_snapshot!(name, a.contents);
            }
        }
    });
}

#[test]
fn terraform_module_of_examples() {
    snapshot_all("../examples", "*/hecate.hcl");
}

#[test]
fn terraform_module_of_ok_cases() {
    snapshot_all("cases/ok", "*.hcl");
}
