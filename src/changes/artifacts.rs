//! The artifact-level diff: Terraform by resource address (the emitted
//! `terraform/*.tf` parsed with hcl-rs, a `count = N` block expanded into
//! its N instances as `terraform plan` counts them), Nomad by job and by
//! the part of the job that changed, and, for a before side that is only
//! an output tree, DNS records from the zone files.

use super::json_diff::{diff, FieldDiff};
use super::{Change, Op};
use indexmap::{IndexMap, IndexSet};
use serde_json::Value;

/// One side's files: path relative to the environment's tree → text.
pub type Files<'a> = IndexMap<&'a str, &'a str>;

/// Resource types whose removal destroys data or reachability.
const DESTRUCTIVE_TYPES: &[&str] = &["hcloud_server", "hcloud_zone", "hcloud_volume"];

/// Terraform resources by address; `flag` marks destroyed servers, zones
/// and volumes destructive (when no entity-level diff does).
pub fn terraform(before: &Files, after: &Files, flag: bool) -> Vec<Change> {
    let (a, mut out) = resources(before);
    let (b, errs) = resources(after);
    out.extend(errs);
    for (addr, va) in &a {
        match b.get(addr) {
            None => {
                let ty = addr.split('.').next().unwrap_or_default();
                out.push(Change {
                    kind: "terraform",
                    name: addr.clone(),
                    op: Op::Removed,
                    destructive: flag && DESTRUCTIVE_TYPES.contains(&ty),
                    details: Vec::new(),
                    fields: Vec::new(),
                })
            }
            Some(vb) => {
                let mut fields = Vec::new();
                diff("", va, vb, &mut fields);
                // `lifecycle { ignore_changes = [user_data] }`: terraform
                // plans no change for those; said apart, as only new
                // instances get them.
                let ignored = ignored(vb);
                let (skip, fields): (Vec<FieldDiff>, Vec<FieldDiff>) = fields
                    .into_iter()
                    .partition(|f| ignored.iter().any(|i| top(&f.path) == i));
                if !fields.is_empty() {
                    out.push(Change {
                        kind: "terraform",
                        name: addr.clone(),
                        op: Op::Changed,
                        destructive: false,
                        details: field_names(&fields),
                        fields,
                    });
                } else if !skip.is_empty() {
                    out.push(Change {
                        kind: "ignored",
                        name: addr.clone(),
                        op: Op::Changed,
                        destructive: false,
                        details: field_names(&skip),
                        fields: skip,
                    });
                }
            }
        }
    }
    for addr in b.keys() {
        if !a.contains_key(addr) {
            out.push(Change {
                kind: "terraform",
                name: addr.clone(),
                op: Op::Added,
                destructive: false,
                details: Vec::new(),
                fields: Vec::new(),
            });
        }
    }
    out
}

/// The attribute a path starts with: `labels.role` → `labels`.
fn top(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or_default()
}

/// The attributes of `lifecycle { ignore_changes = [...] }` (hcl-rs reads
/// a bare name in a list as `${name}`).
fn ignored(body: &Value) -> Vec<String> {
    let list = body
        .get("lifecycle")
        .and_then(|l| l.get("ignore_changes"))
        .and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| s.trim_start_matches("${").trim_end_matches('}').to_string())
        .collect()
}

/// The changed attributes, deduplicated: `labels`, `user_data`.
fn field_names(fields: &[FieldDiff]) -> Vec<String> {
    let names: IndexSet<String> = fields.iter().map(|f| top(&f.path).to_string()).collect();
    names.into_iter().collect()
}

/// `resource "T" "N"` blocks of every `terraform/*.tf` file by address,
/// and a change for each file hcl-rs cannot read.
fn resources(files: &Files) -> (IndexMap<String, Value>, Vec<Change>) {
    let mut out = IndexMap::new();
    let mut errors = Vec::new();
    for (path, text) in files {
        if !(path.starts_with("terraform/") && path.ends_with(".tf")) {
            continue;
        }
        let v: Value = match hcl::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                errors.push(unreadable("terraform", path, &e.to_string()));
                continue;
            }
        };
        let Some(types) = v.get("resource").and_then(Value::as_object) else {
            continue;
        };
        for (ty, named) in types {
            let Some(named) = named.as_object() else {
                continue;
            };
            for (name, body) in named {
                let mut body = body.clone();
                let count = body
                    .as_object_mut()
                    .and_then(|o| o.shift_remove("count"))
                    .and_then(|c| c.as_u64());
                match count {
                    Some(n) => {
                        for i in 0..n {
                            out.insert(format!("{ty}.{name}[{i}]"), body.clone());
                        }
                    }
                    None => {
                        out.insert(format!("{ty}.{name}"), body);
                    }
                }
            }
        }
    }
    (out, errors)
}

fn unreadable(kind: &'static str, path: &str, err: &str) -> Change {
    Change {
        kind,
        name: path.to_string(),
        op: Op::Changed,
        destructive: false,
        details: vec![format!(
            "cannot be read: {}",
            err.lines().next().unwrap_or(err)
        )],
        fields: Vec::new(),
    }
}

/// Nomad jobs (`nomad/<job>.nomad.hcl`) by name, and for a changed job
/// the parts that changed: `update`, `network`, `task config`, `task env`
/// (the spec hash in `meta` changes with any spec edit and is left out).
pub fn nomad(before: &Files, after: &Files) -> Vec<Change> {
    let (a, mut out) = jobs(before);
    let (b, errs) = jobs(after);
    out.extend(errs);
    for (job, va) in &a {
        let Some(vb) = b.get(job) else {
            out.push(job_change(job, Op::Removed, Vec::new()));
            continue;
        };
        let mut fields = Vec::new();
        diff("", va, vb, &mut fields);
        if !fields.is_empty() {
            out.push(job_change(job, Op::Changed, fields));
        }
    }
    for job in b.keys() {
        if !a.contains_key(job) {
            out.push(job_change(job, Op::Added, Vec::new()));
        }
    }
    out
}

fn job_change(job: &str, op: Op, fields: Vec<FieldDiff>) -> Change {
    let parts: IndexSet<String> = fields.iter().map(|f| part(&f.path)).collect();
    let mut details: Vec<String> = parts.into_iter().collect();
    // The image is what most job changes are: say it.
    for f in &fields {
        if f.path.ends_with("config.image") && f.before.is_some() && f.after.is_some() {
            details.push(super::entities::describe("image", f));
        }
    }
    Change {
        kind: "nomad",
        name: job.to_string(),
        op,
        destructive: false,
        details,
        fields,
    }
}

/// The part of a job a path is in: `job.X.group.G.update.canary` →
/// `update`, `…group.G.task.T.config.image` → `task config`.
fn part(path: &str) -> String {
    let segs: Vec<&str> = path.split('.').collect();
    let mut i = 2; // past `job.<name>`
    if segs.get(i) == Some(&"group") {
        i += 2;
    }
    if segs.get(i) == Some(&"task") {
        return match segs.get(i + 2) {
            Some(p) => format!("task {}", p.split('[').next().unwrap_or(p)),
            None => "task".into(),
        };
    }
    segs.get(i)
        .map_or("job", |s| s.split('[').next().unwrap_or(s))
        .to_string()
}

fn jobs(files: &Files) -> (IndexMap<String, Value>, Vec<Change>) {
    let mut out = IndexMap::new();
    let mut errors = Vec::new();
    for (path, text) in files {
        let Some(job) = path
            .strip_prefix("nomad/")
            .and_then(|p| p.strip_suffix(".nomad.hcl"))
        else {
            continue;
        };
        match hcl::from_str::<Value>(text) {
            Ok(mut v) => {
                if let Some(jobs) = v.get_mut("job").and_then(Value::as_object_mut) {
                    for j in jobs.values_mut() {
                        if let Some(meta) = j.get_mut("meta").and_then(Value::as_object_mut) {
                            meta.shift_remove("spec_hash");
                        }
                    }
                }
                out.insert(job.to_string(), v);
            }
            Err(e) => errors.push(unreadable("nomad", path, &e.to_string())),
        }
    }
    (out, errors)
}

/// DNS records of the zone files (`dns/<zone>.zone`), by `TYPE fqdn`:
/// for a before side that is an output tree, where no model exists.
/// Records Terraform sets (commented out in the file) are Terraform's.
pub fn dns(before: &Files, after: &Files) -> Vec<Change> {
    let a = records(before);
    let b = records(after);
    let mut out = Vec::new();
    for (key, va) in &a {
        match b.get(key) {
            None => out.push(record(key, Op::Removed, va.clone())),
            Some(vb) if vb != va => out.push(record(
                key,
                Op::Changed,
                vec![format!("{} → {}", va.join(", "), vb.join(", "))],
            )),
            Some(_) => {}
        }
    }
    for (key, vb) in &b {
        if !a.contains_key(key) {
            out.push(record(key, Op::Added, vb.clone()));
        }
    }
    out
}

fn record(key: &str, op: Op, details: Vec<String>) -> Change {
    Change {
        kind: "dns",
        name: key.to_string(),
        op,
        destructive: false,
        details,
        fields: Vec::new(),
    }
}

/// `TYPE fqdn` → the record data (with a TTL where the line has one), from
/// lines `name [ttl] IN TYPE data` of zone files; SOA and NS of the apex
/// (written for every zone) are left out.
fn records(files: &Files) -> IndexMap<String, Vec<String>> {
    let mut out: IndexMap<String, Vec<String>> = IndexMap::new();
    for (path, text) in files {
        let Some(zone) = path
            .strip_prefix("dns/")
            .and_then(|p| p.strip_suffix(".zone"))
        else {
            continue;
        };
        for line in text.lines() {
            let line = line.split(';').next().unwrap_or_default();
            if line.starts_with([' ', '\t', '$']) || line.trim().is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(in_at) = words.iter().position(|w| *w == "IN") else {
                continue;
            };
            let (Some(name), Some(rtype)) = (words.first(), words.get(in_at + 1)) else {
                continue;
            };
            if *rtype == "SOA" || (*name == "@" && *rtype == "NS") {
                continue;
            }
            let fqdn = if *name == "@" {
                zone.to_string()
            } else {
                format!("{name}.{zone}")
            };
            let mut data = words[in_at + 2..].join(" ");
            if in_at == 2 {
                data = format!("{data} (ttl {})", words[1]);
            }
            out.entry(format!("{rtype} {fqdn}")).or_default().push(data);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(path: &'static str, text: &'static str) -> Files<'static> {
        [(path, text)].into_iter().collect()
    }

    /// Repeated unlabelled blocks (`rule {}`) are all compared, and a
    /// `count` is expanded into instances.
    #[test]
    fn terraform_by_address() {
        let a = one(
            "terraform/f.tf",
            "resource \"hcloud_firewall\" \"p\" {\n  rule {\n    port = \"80\"\n  }\n  rule {\n    port = \"443\"\n  }\n}\nresource \"hcloud_server\" \"s\" {\n  count = 3\n  name = \"x\"\n}\n",
        );
        let b = one(
            "terraform/f.tf",
            "resource \"hcloud_firewall\" \"p\" {\n  rule {\n    port = \"80\"\n  }\n  rule {\n    port = \"8443\"\n  }\n}\nresource \"hcloud_server\" \"s\" {\n  count = 2\n  name = \"x\"\n}\n",
        );
        let c = terraform(&a, &b, true);
        let names: Vec<(&str, Op, bool)> = c
            .iter()
            .map(|c| (c.name.as_str(), c.op, c.destructive))
            .collect();
        assert_eq!(
            names,
            [
                ("hcloud_firewall.p", Op::Changed, false),
                ("hcloud_server.s[2]", Op::Removed, true)
            ]
        );
    }

    /// What `lifecycle.ignore_changes` names is no Terraform change.
    #[test]
    fn ignore_changes_is_honoured() {
        let a = one(
            "terraform/s.tf",
            "resource \"hcloud_server\" \"s\" {\n  user_data = \"a\"\n  lifecycle {\n    ignore_changes = [user_data]\n  }\n}\n",
        );
        let b = one(
            "terraform/s.tf",
            "resource \"hcloud_server\" \"s\" {\n  user_data = \"b\"\n  lifecycle {\n    ignore_changes = [user_data]\n  }\n}\n",
        );
        let c = terraform(&a, &b, false);
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].kind, c[0].details.as_slice()),
            ("ignored", &["user_data".to_string()][..])
        );
    }

    #[test]
    fn nomad_parts() {
        assert_eq!(part("job.a.group.a.update.canary"), "update");
        assert_eq!(part("job.a.group.a.task.a.config.image"), "task config");
        assert_eq!(
            part("job.a.group.a.task.a.template[1].data"),
            "task template"
        );
        assert_eq!(part("job.a.meta.version"), "meta");
        assert_eq!(part("job.a.group.a.count"), "count");
    }

    #[test]
    fn zone_file_records() {
        let z = one(
            "dns/example.com.zone",
            "$ORIGIN example.com.\n@ IN SOA a. b. (\n  1 ; serial\n  )\n@ IN NS a.\nwww 300 IN A 192.0.2.1\n;@ IN A <set by terraform>\n",
        );
        let r = records(&z);
        assert_eq!(r.len(), 1);
        assert_eq!(r["A www.example.com"], ["192.0.2.1 (ttl 300)"]);
    }
}
