//! Per-environment names (`environment { host_suffix = "-staging" }`): the
//! routes and records a spec writes once become each environment's own, so
//! staging and production never own one DNS rrset or one Caddy host.
//!
//! The rule (docs/language.md §5, "Isolation of environments"): the first
//! label of a name that is not `*` and does not start with `_` gets the
//! suffix (`api.example.com` → `api-staging.example.com`, `_acme-challenge.api`
//! → `_acme-challenge.api-staging`); a name that has no such label inside
//! its zone, the apex, gets the suffix as a label of its own, without its
//! leading `-` (`example.com` → `staging.example.com`, `@` → `staging`,
//! `*` → `*.staging`). CNAME, MX and SRV targets that name a record of the
//! same zone are renamed the same way, so staging's `www` points at
//! staging's apex, not production's.

use super::model::{Record, RecordValue, Route, Zone};
use indexmap::IndexMap;

/// The label the apex gets: the suffix without leading `-` or `.`.
fn apex_label(suffix: &str) -> &str {
    suffix.trim_start_matches(['-', '.'])
}

/// Is `suffix` a valid `host_suffix`? `None` if so, else why not.
pub fn suffix_problem(suffix: &str) -> Option<&'static str> {
    if apex_label(suffix).is_empty() {
        return Some("it needs a letter or digit after its leading `-`");
    }
    if suffix.len() > 30 {
        return Some("it is longer than 30 characters");
    }
    if !suffix
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("only lower-case letters, digits and `-` may appear in it");
    }
    if suffix.ends_with('-') {
        return Some("a DNS label cannot end with `-`");
    }
    None
}

/// Renames the labels `rel` (relative to an apex; empty = the apex itself).
fn rename_relative(rel: &[&str], suffix: &str) -> Vec<String> {
    let mut out: Vec<String> = rel.iter().map(|l| l.to_string()).collect();
    match rel.iter().position(|l| *l != "*" && !l.starts_with('_')) {
        Some(i) => out[i] = format!("{}{suffix}", rel[i]),
        None => out.push(apex_label(suffix).to_string()),
    }
    out
}

/// A route host in the environment: inside one of `zones` (the longest
/// that contains it), the apex rule applies; outside every zone the first
/// label gets the suffix.
pub fn host(host: &str, zones: &[&str], suffix: &str) -> String {
    let zone = zones
        .iter()
        .filter(|z| host == **z || host.ends_with(&format!(".{z}")))
        .max_by_key(|z| z.len());
    let labels: Vec<&str> = host.split('.').collect();
    let (rel, apex) = match zone {
        Some(z) => {
            let n = labels.len() - z.split('.').count();
            (&labels[..n], labels[n..].join("."))
        }
        None => {
            // Outside every zone, the last two labels stand for the domain.
            let n = labels.len().saturating_sub(2);
            (&labels[..n], labels[n..].join("."))
        }
    };
    let mut out = rename_relative(rel, suffix);
    if !apex.is_empty() {
        out.push(apex);
    }
    out.join(".")
}

/// A record's name (`@`, `www`, `_dmarc`, `*.api`) in the environment.
pub fn record_name(name: &str, suffix: &str) -> String {
    let rel: Vec<&str> = if name == "@" {
        Vec::new()
    } else {
        name.split('.').collect()
    };
    rename_relative(&rel, suffix).join(".")
}

/// The zone's routes and records renamed for an environment.
pub fn apply(routes: &mut [Route], zones: &mut IndexMap<String, Zone>, suffix: &str) {
    let names: Vec<String> = zones.keys().cloned().collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    for r in routes.iter_mut() {
        r.host = host(&r.host, &names, suffix);
    }
    for zone in zones.values_mut() {
        let owners: Vec<String> = zone.records.iter().map(|r| r.name.clone()).collect();
        for rec in &mut zone.records {
            rename_target(rec, &zone.name, &owners, suffix);
            rec.name = record_name(&rec.name, suffix);
        }
    }
}

/// A CNAME, MX or SRV target naming one of the zone's own records gets
/// that record's new name.
fn rename_target(rec: &mut Record, zone: &str, owners: &[String], suffix: &str) {
    if !matches!(rec.rtype.as_str(), "CNAME" | "MX" | "SRV") {
        return;
    }
    let RecordValue::Literal(text) = &rec.value else {
        return;
    };
    let (head, target) = match text.rsplit_once(' ') {
        Some((h, t)) => (format!("{h} "), t),
        None => (String::new(), text.as_str()),
    };
    let Some(fqdn) = target.strip_suffix('.') else {
        return;
    };
    let lower = fqdn.to_ascii_lowercase();
    let rel = if lower == zone {
        "@".to_string()
    } else if let Some(r) = lower.strip_suffix(&format!(".{zone}")) {
        r.to_string()
    } else {
        return;
    };
    if !owners.iter().any(|o| o.eq_ignore_ascii_case(&rel)) {
        return;
    }
    let renamed = record_name(&rel, suffix);
    let renamed = if renamed.is_empty() {
        zone.to_string()
    } else {
        format!("{renamed}.{zone}")
    };
    rec.value = RecordValue::Literal(format!("{head}{renamed}."));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_under_a_zone() {
        let z = ["example.com"];
        assert_eq!(
            host("api.example.com", &z, "-staging"),
            "api-staging.example.com"
        );
        assert_eq!(host("example.com", &z, "-staging"), "staging.example.com");
        assert_eq!(
            host("*.example.com", &z, "-staging"),
            "*.staging.example.com"
        );
        assert_eq!(host("a.b.example.com", &z, "-s"), "a-s.b.example.com");
        assert_eq!(
            host("api.other.org", &z, "-staging"),
            "api-staging.other.org"
        );
        assert_eq!(host("other.org", &z, "-staging"), "staging.other.org");
    }

    #[test]
    fn record_names() {
        assert_eq!(record_name("@", "-staging"), "staging");
        assert_eq!(record_name("www", "-staging"), "www-staging");
        assert_eq!(record_name("*", "-staging"), "*.staging");
        assert_eq!(record_name("_dmarc", "-staging"), "_dmarc.staging");
        assert_eq!(
            record_name("_acme-challenge.api", "-s"),
            "_acme-challenge.api-s"
        );
    }

    #[test]
    fn suffixes() {
        assert!(suffix_problem("-staging").is_none());
        assert!(suffix_problem("-").is_some());
        assert!(suffix_problem("-Staging").is_some());
        assert!(suffix_problem("-staging-").is_some());
    }

    #[test]
    fn in_zone_targets_follow() {
        let mut rec = Record {
            name: "www".into(),
            rtype: "CNAME".into(),
            value: RecordValue::Literal("example.com.".into()),
            ttl: None,
        };
        rename_target(
            &mut rec,
            "example.com",
            &["@".into(), "www".into()],
            "-staging",
        );
        assert_eq!(
            rec.value,
            RecordValue::Literal("staging.example.com.".into())
        );
        let mut mx = Record {
            name: "@".into(),
            rtype: "MX".into(),
            value: RecordValue::Literal("10 mail.elsewhere.net.".into()),
            ttl: None,
        };
        rename_target(&mut mx, "example.com", &["@".into()], "-staging");
        assert_eq!(
            mx.value,
            RecordValue::Literal("10 mail.elsewhere.net.".into())
        );
    }
}
