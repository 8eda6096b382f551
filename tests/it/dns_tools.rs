//! Zone files pass `named-checkzone` with every check set to fail, and
//! dns.tf passes `terraform fmt -check` and HashiCorp's HCL parser.

use crate::support::caddy::{empty_model, fixture, spec, spec_cases, tool, TempDir};
use eosc::emit::Artifact;
use eosc::sema::model::{Model, Record, RecordValue, Zone};
use std::path::Path;
use std::process::Command;

fn edge_cases() -> Model {
    let mut m = empty_model();
    let lit = |s: &str| RecordValue::Literal(s.into());
    let rec = |name: &str, rtype: &str, value| Record {
        name: name.into(),
        rtype: rtype.into(),
        value,
        ttl: None,
    };
    m.project.nameservers = vec!["ns1.example.org".into(), "ns2.example.org.".into()];
    m.zones.insert(
        "example.org".into(),
        Zone {
            name: "example.org".into(),
            existing: false,
            ttl: 600,
            records: vec![
                rec("@", "A", lit("192.0.2.1")),
                rec("*", "A", lit("192.0.2.2")),
                rec("mail", "A", lit("192.0.2.3")),
                rec("@", "MX", lit("10 mail.example.org.")),
                rec(
                    "@",
                    "TXT",
                    lit(&format!("google-site-verification={}", "k".repeat(300))),
                ),
                rec(
                    "@",
                    "TXT",
                    lit("quote \" and backslash \\ and %{directive} ${interp}"),
                ),
                rec("_acme-challenge", "TXT", lit("")),
                rec("www", "CNAME", lit("example.org.")),
                rec("sub", "NS", lit("ns1.example.net.")),
                rec("@", "CAA", lit("0 issuewild \";\"")),
                rec("3", "A", lit("192.0.2.4")),
                // An in-zone mail host whose address only Terraform knows.
                rec(
                    "mx1",
                    "A",
                    RecordValue::ServerIp {
                        server: "mx".into(),
                        v6: false,
                    },
                ),
                rec("@", "MX", lit("20 mx1.example.org.")),
            ],
        },
    );
    // An in-zone mail host whose address only Terraform knows.
    m.zones.insert(
        "example.com".into(),
        Zone {
            name: "example.com".into(),
            existing: true,
            ttl: 3600,
            records: vec![
                rec(
                    "mx1",
                    "A",
                    RecordValue::ServerIp {
                        server: "mx".into(),
                        v6: false,
                    },
                ),
                rec("@", "MX", lit("10 mx1.example.com.")),
            ],
        },
    );
    m
}

fn models() -> Vec<(String, Model)> {
    let mut out = vec![
        ("fixture".to_string(), fixture(1)),
        ("edge cases".to_string(), edge_cases()),
        ("empty".to_string(), empty_model()),
    ];
    for (case, path) in spec_cases() {
        for m in spec(&path) {
            out.push((format!("{case} ({})", m.env.name), m));
        }
    }
    out
}

fn write(dir: &Path, a: &Artifact) -> std::path::PathBuf {
    let p = dir.join(&a.path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, &a.contents).expect("write artifact");
    p
}

fn checkzone(tool: &Path, origin: &str, file: &Path) -> Result<(), String> {
    let out = Command::new(tool)
        .args([
            "-i", "local", "-k", "fail", "-n", "fail", "-m", "fail", "-M", "fail", "-S", "fail",
            origin,
        ])
        .arg(file)
        .output()
        .expect("run named-checkzone");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(text)
    }
}

#[test]
fn every_zone_file_passes_named_checkzone() {
    let Some(nc) = tool("named-checkzone") else {
        return;
    };
    let (mut n, mut completed) = (0, 0);
    for (name, m) in models() {
        for a in eosc::emit::dns::emit(&m)
            .iter()
            .filter(|a| a.path.ends_with(".zone"))
        {
            let origin = a.path.trim_start_matches("dns/").trim_end_matches(".zone");
            let dir = TempDir::new("zones");
            let file = write(dir.path(), a);
            if let Err(e) = checkzone(&nc, origin, &file) {
                let terraform_names = terraform_only_names(&a.contents, origin);
                let only_missing_terraform_addresses = e.lines().all(|l| {
                    l.contains("not loaded due to errors")
                        || l.contains("loaded serial")
                        || (l.contains("has no address records")
                            && terraform_names
                                .iter()
                                .any(|t| l.contains(&format!("'{t}'"))))
                });
                assert!(
                    only_missing_terraform_addresses,
                    "named-checkzone rejected {} of {name}:\n{e}\n{}",
                    a.path, a.contents
                );
                completed += 1;
            }
            // Once Terraform has filled in the server addresses, every check passes.
            let filled = Artifact::new(a.path.clone(), filled_in(&a.contents));
            let file = write(&dir.path().join("filled"), &filled);
            if let Err(e) = checkzone(&nc, origin, &file) {
                panic!(
                    "named-checkzone rejected {} of {name} with server addresses filled in:\n{e}\n{}",
                    a.path, filled.contents
                );
            }
            n += 1;
        }
    }
    assert!(n >= 6, "only {n} zone files checked");
    assert!(
        completed >= 1,
        "the edge cases have an MX host only Terraform can address"
    );
    eprintln!(
        "named-checkzone accepted {n} zone files ({completed} only once Terraform's server addresses are in)"
    );
}

/// Fully qualified names (no trailing dot) of the records written as
/// comments because only Terraform knows their address.
fn terraform_only_names(zone: &str, origin: &str) -> Vec<String> {
    zone.lines()
        .filter(|l| l.starts_with(';') && l.contains(" <hcloud_server."))
        .filter_map(|l| l[1..].split_whitespace().next())
        .map(|n| {
            if n == "@" {
                origin.to_string()
            } else {
                format!("{n}.{origin}")
            }
        })
        .collect()
}

/// The zone as it is once Terraform knows the servers: every commented
/// server-address record written with a documentation address (RFC 5737,
/// RFC 3849) in place of the Terraform expression.
fn filled_in(zone: &str) -> String {
    zone.lines()
        .map(
            |l| match (l.strip_prefix(';'), l.find(" <hcloud_server.")) {
                (Some(rest), Some(at)) => {
                    let addr = if rest.contains(" IN AAAA ") {
                        "2001:db8::1"
                    } else {
                        "192.0.2.1"
                    };
                    format!("{} {addr}\n", &l[1..at])
                }
                _ => format!("{l}\n"),
            },
        )
        .collect()
}

/// The check above can fail: a zone without NS records is refused.
#[test]
fn named_checkzone_rejects_a_zone_without_ns() {
    let Some(nc) = tool("named-checkzone") else {
        return;
    };
    let dir = TempDir::new("zones-broken");
    let zone = &eosc::emit::dns::emit(&fixture(1))[0];
    let broken: String = zone
        .contents
        .lines()
        .filter(|l| !l.contains(" NS "))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = write(dir.path(), &Artifact::new(zone.path.clone(), broken));
    assert!(checkzone(&nc, "cybermonkey.dev", &file).is_err());
}

fn fmt_check(terraform: &Path, file: &Path) -> Result<(), String> {
    let out = Command::new(terraform)
        .args(["fmt", "-check", "-diff"])
        .arg(file)
        .output()
        .expect("run terraform fmt");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn dns_tf(m: &Model) -> Option<Artifact> {
    eosc::emit::dns::emit(m)
        .into_iter()
        .find(|a| a.path == eosc::emit::dns::TF_PATH)
}

#[test]
fn dns_tf_passes_terraform_fmt_check() {
    let Some(tf) = tool("terraform") else { return };
    let dir = TempDir::new("dns-tf");
    let mut n = 0;
    for (name, m) in models() {
        let Some(a) = dns_tf(&m) else { continue };
        let sub: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let file = write(&dir.path().join(sub), &a);
        if let Err(e) = fmt_check(&tf, &file) {
            panic!("terraform fmt -check rejected dns.tf of {name}:\n{e}");
        }
        n += 1;
    }
    assert!(
        n >= 4,
        "fixture, edge cases and the examples have zones; checked {n}"
    );
    eprintln!("terraform fmt -check accepted {n} dns.tf files");
}

/// The check above can fail: unaligned attributes are not `terraform fmt`.
#[test]
fn terraform_fmt_check_rejects_unaligned_attributes() {
    let Some(tf) = tool("terraform") else { return };
    let dir = TempDir::new("dns-tf-broken");
    let a = dns_tf(&fixture(1)).expect("dns.tf");
    let broken = a.contents.replace("ttl  =", "ttl =");
    let file = write(dir.path(), &Artifact::new("dns.tf", broken));
    assert!(fmt_check(&tf, &file).is_err());
}

/// HashiCorp's HCL parser reads dns.tf back to the resources we meant:
/// references stay references, strings stay literal (no interpolation).
#[test]
fn dns_tf_parses_to_the_intended_resources() {
    let Some(h2j) = tool("hcl2json") else { return };
    let dir = TempDir::new("dns-tf-parse");
    let a = dns_tf(&edge_cases()).expect("dns.tf");
    let file = write(dir.path(), &a);
    let out = Command::new(&h2j)
        .arg(&file)
        .output()
        .expect("run hcl2json");
    assert!(
        out.status.success(),
        "hcl2json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("hcl2json prints JSON");
    let zone = &json["resource"]["hcloud_zone"]["example_org"][0];
    assert_eq!(zone["name"], "example.org");
    assert_eq!(zone["mode"], "primary");
    let txt = &json["resource"]["hcloud_zone_rrset"]["example_org_apex_txt"][0];
    assert_eq!(txt["zone"], "${hcloud_zone.example_org.name}");
    assert_eq!(txt["type"], "TXT");
    let values: Vec<&str> = txt["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["value"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(values.len(), 2, "two TXT records in one rrset");
    assert!(
        values[0].starts_with("\"google-site-verification=") && values[0].contains("\" \""),
        "split at 255: {}",
        values[0]
    );
    // hcl2json shows template text as it is; an escaped `$${` means a literal `${`.
    assert_eq!(
        values[1],
        r#""quote \" and backslash \\ and %%{directive} $${interp}""#
    );
    let mut fx = fixture(1);
    fx.zones.shift_remove("cybermonkey.net.au");
    let file = write(&dir.path().join("fx"), &dns_tf(&fx).expect("dns.tf"));
    let out = Command::new(&h2j)
        .arg(&file)
        .output()
        .expect("run hcl2json");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let a = &json["resource"]["hcloud_zone_rrset"]["cybermonkey_dev_apex_a"][0];
    // One record per server of the class (a `for` over its instances),
    // not only the first one's address.
    assert_eq!(
        a["records"],
        "${[for s in hcloud_server.edge : {\n    value = s.ipv4_address\n  }]}"
    );
    assert_eq!(a["ttl"], 300);
}
