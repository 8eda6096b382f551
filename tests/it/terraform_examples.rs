//! Both Terraform roots of every example and valid case, per environment:
//! `terraform/` (infra, with every file the emitters write there, DNS
//! included) and `terraform-auth/` (Authentik's objects) where the spec has
//! one. For each: `terraform fmt -check` passes, `terraform validate`
//! reports nothing but the providers it cannot download, every file is
//! hclwrite-canonical, and every reference in the root is declared (on
//! hcl2json's parse).

use crate::support::specs;
use crate::support::tf_refs;
use crate::support::tools;

use serde_json::Value;
use tools::{hcl2json, hclfmt, run, tool, TempDir};

const PROVIDERS: [&str; 2] = ["hetznercloud/hcloud", "goauthentik/authentik"];

#[test]
fn every_module_of_every_spec_is_canonical_valid_and_closed() {
    let (Some(tf), Some(parser), Some(fmt)) = (tool("terraform"), tool("hcl2json"), tool("hclfmt"))
    else {
        return;
    };
    let mut failures = Vec::new();
    let mut files_checked = 0;
    for spec in specs::all() {
        for model in specs::models(&spec) {
            let label = format!("{} ({})", specs::name(&spec), model.env.name);
            let dir = TempDir::new("tf-specs");
            let artifacts = eosc::emit::emit_all(&model);
            for a in &artifacts {
                dir.write(&a.path, &a.contents);
            }
            for root in ["terraform", "terraform-auth"] {
                let tf_files: Vec<_> = artifacts
                    .iter()
                    .filter(|a| a.path.starts_with(&format!("{root}/")) && a.path.ends_with(".tf"))
                    .collect();
                if tf_files.is_empty() {
                    continue;
                }
                let label = format!("{label} {root}/");
                files_checked += tf_files.len();

                let out = run(
                    &tf,
                    &["fmt", "-check", "-diff", "-no-color", root],
                    Some(&dir.0),
                );
                if !out.ok {
                    failures.push(format!(
                        "{label}: terraform fmt -check:\n{}{}",
                        out.stdout, out.stderr
                    ));
                }

                // One hclwrite pass over all files (each opens with its header
                // comment, so formatting cannot cross file boundaries).
                let all: String = tf_files.iter().map(|a| a.contents.as_str()).collect();
                let joined = dir.write(&format!("{root}.all.tf.txt"), &all);
                if hclfmt(&fmt, &joined) != all {
                    failures.push(format!("{label}: a .tf file is not hclwrite-canonical"));
                }

                let out = run(
                    &tf,
                    &["validate", "-json", "-no-color"],
                    Some(&dir.0.join(root)),
                );
                let json: Value = serde_json::from_str(&out.stdout).unwrap_or_default();
                let mut missing = Vec::new();
                for d in json["diagnostics"].as_array().into_iter().flatten() {
                    let (summary, detail) = (
                        d["summary"].as_str().unwrap_or(""),
                        d["detail"].as_str().unwrap_or(""),
                    );
                    match PROVIDERS.iter().find(|p| detail.contains(*p)) {
                        Some(p) if summary == "Missing required provider" => missing.push(*p),
                        _ => failures
                            .push(format!("{label}: terraform validate: {summary}: {detail}")),
                    }
                }

                // The reference check over the whole module, parsed as one body.
                match hcl2json(&parser, &joined) {
                    Ok(parsed) => {
                        let mut module = tf_refs::Module::default();
                        module.add(&format!("{root}/"), &parsed);
                        for p in module.problems() {
                            failures.push(format!("{label}: {p}"));
                        }
                        // Validate stops exactly at the providers main.tf requires.
                        let mut wanted: Vec<&str> = missing
                            .iter()
                            .map(|p| p.split('/').nth(1).unwrap_or(p))
                            .collect();
                        wanted.sort_unstable();
                        let required: Vec<&str> =
                            module.providers.iter().map(String::as_str).collect();
                        if wanted != required {
                            failures.push(format!("{label}: validate missed providers {wanted:?}, main.tf requires {required:?}"));
                        }
                    }
                    Err(e) => failures.push(format!("{label}: {e}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("terraform: {files_checked} .tf files formatted, validated and reference-checked");
}
