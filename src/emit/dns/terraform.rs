//! `terraform/dns.tf`: one `hcloud_zone` per zone (a data source when the
//! zone exists already) and one `hcloud_zone_rrset` per (name, type).
//! main.tf (written by the Terraform emitter) declares the hcloud provider.

use super::rrsets::{rrsets, txt_quoted};
use crate::emit::header;
use crate::sema::model::{Model, RecordValue, Zone};
use hcl::expr::{
    Expression, ForExpr, FuncCall, Object, ObjectKey, Traversal, TraversalOperator, Variable,
};
use hcl::structure::{Attribute, Block, Body};
use hcl::Identifier;
use std::collections::HashSet;

/// The Terraform expression for every address of a server class, as the
/// zone file's comment shows it.
pub fn server_ip_expr(server: &str, v6: bool) -> String {
    let attr = if v6 { "ipv6_address" } else { "ipv4_address" };
    format!("hcloud_server.{server}[*].{attr}")
}

/// `[for s in hcloud_server.<server> : { value = s.ipv4_address }]`: one
/// record per server of the class, so every edge server answers for the
/// name (a class of `count = 2` has two apex addresses, not one).
fn server_ip_records(server: &str, v6: bool) -> Expression {
    let attr = if v6 { "ipv6_address" } else { "ipv4_address" };
    let mut o = Object::new();
    o.insert(
        ObjectKey::Identifier(Identifier::unchecked("value")),
        Expression::from(Traversal::new(
            Variable::unchecked("s"),
            [TraversalOperator::GetAttr(Identifier::unchecked(attr))],
        )),
    );
    let servers = Expression::from(Traversal::new(
        Variable::unchecked("hcloud_server"),
        [TraversalOperator::GetAttr(Identifier::sanitized(server))],
    ));
    Expression::from(ForExpr::new(
        Identifier::unchecked("s"),
        servers,
        Expression::Object(o),
    ))
}

/// A Terraform resource name from DNS text: letters, digits, `_`, `-`,
/// never starting with a digit or `-`.
fn concat(parts: Vec<Expression>) -> Expression {
    let mut call = FuncCall::builder("concat");
    for p in parts {
        call = call.arg(p);
    }
    Expression::from(call.build())
}

fn tf_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            '@' => 'a',
            '*' => 'x',
            _ => '_',
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn zone_ref(zone: &Zone, zone_id: &str) -> Expression {
    let root = if zone.existing {
        Traversal::new(
            Variable::unchecked("data"),
            [
                TraversalOperator::GetAttr(Identifier::unchecked("hcloud_zone")),
                TraversalOperator::GetAttr(Identifier::unchecked(zone_id)),
                TraversalOperator::GetAttr(Identifier::unchecked("name")),
            ],
        )
    } else {
        Traversal::new(
            Variable::unchecked("hcloud_zone"),
            [
                TraversalOperator::GetAttr(Identifier::unchecked(zone_id)),
                TraversalOperator::GetAttr(Identifier::unchecked("name")),
            ],
        )
    };
    Expression::from(root)
}

pub fn dns_tf(model: &Model) -> String {
    let mut body = Body::builder();
    let mut used: HashSet<String> = HashSet::new();
    for zone in model.zones.values() {
        let zone_id = unique(&mut used, tf_name(&zone.name));
        body = body.add_block(zone_block(zone, &zone_id));
        for set in rrsets(zone) {
            let label = if set.name == "@" { "apex" } else { set.name };
            let id = unique(
                &mut used,
                format!(
                    "{zone_id}_{}_{}",
                    tf_name(label),
                    set.rtype.to_ascii_lowercase()
                ),
            );
            // Literal values are objects of the list; a server's addresses
            // are a `for` over its class, joined to the rest by concat().
            let mut literals: Vec<Expression> = Vec::new();
            let mut classes: Vec<Expression> = Vec::new();
            for v in &set.values {
                let value = match v {
                    RecordValue::Literal(s) if set.rtype.eq_ignore_ascii_case("TXT") => {
                        Expression::String(txt_quoted(s))
                    }
                    RecordValue::Literal(s) => Expression::String(s.clone()),
                    RecordValue::ServerIp { server, v6 } => {
                        classes.push(server_ip_records(server, *v6));
                        continue;
                    }
                };
                let mut o = Object::new();
                o.insert(ObjectKey::Identifier(Identifier::unchecked("value")), value);
                literals.push(Expression::Object(o));
            }
            let records = match (literals.is_empty(), classes.len()) {
                (_, 0) => Expression::Array(literals),
                (true, 1) => classes.remove(0),
                (true, _) => concat(classes),
                (false, _) => {
                    let mut parts = vec![Expression::Array(literals)];
                    parts.extend(classes);
                    concat(parts)
                }
            };
            let mut b = Block::builder("resource")
                .add_label("hcloud_zone_rrset")
                .add_label(id.as_str())
                .add_attribute(Attribute::new("zone", zone_ref(zone, &zone_id)))
                .add_attribute(("name", set.name))
                .add_attribute(("type", set.rtype.to_ascii_uppercase()));
            if let Some(ttl) = set.ttl {
                b = b.add_attribute(("ttl", u64::from(ttl)));
            }
            b = b.add_attribute(Attribute::new("records", records));
            body = body.add_block(b.build());
        }
    }
    let text =
        hcl::format::to_string(&body.build()).expect("hcl-rs formats a body it built itself");
    header(model, "#") + "\n" + &align_attributes(&text)
}

/// What `terraform fmt` does that hcl-rs does not: align the `=` of runs of
/// consecutive one-line attributes at the same indentation. A line that
/// opens a multi-line value (ends in `[`, `{` or `(`) ends a run and is
/// not aligned itself.
pub fn align_attributes(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // (indent, name, value) of a one-line attribute.
    let attr = |l: &str| -> Option<(usize, usize, usize)> {
        let indent = l.len() - l.trim_start().len();
        let rest = &l[indent..];
        let eq = rest.find(" = ")?;
        let name = &rest[..eq];
        let ident = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let opens = rest.ends_with('[') || rest.ends_with('{') || rest.ends_with('(');
        (ident && !opens).then_some((indent, eq, eq + 3))
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, _, _)) = attr(lines[i]) else {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        };
        let mut j = i;
        while j < lines.len() && matches!(attr(lines[j]), Some((ind, _, _)) if ind == indent) {
            j += 1;
        }
        let width = lines[i..j]
            .iter()
            .filter_map(|l| attr(l))
            .map(|(_, eq, _)| eq)
            .max()
            .unwrap_or(0);
        for l in &lines[i..j] {
            if let Some((ind, eq, val)) = attr(l) {
                let name = &l[ind..ind + eq];
                let value = &l[ind + val..];
                out.push_str(&format!("{:ind$}{name:width$} = {value}\n", ""));
            }
        }
        i = j;
    }
    out
}

fn zone_block(zone: &Zone, id: &str) -> Block {
    if zone.existing {
        Block::builder("data")
            .add_label("hcloud_zone")
            .add_label(id)
            .add_attribute(("name", zone.name.as_str()))
            .build()
    } else {
        Block::builder("resource")
            .add_label("hcloud_zone")
            .add_label(id)
            .add_attribute(("name", zone.name.as_str()))
            .add_attribute(("mode", "primary"))
            .add_attribute(("ttl", u64::from(zone.ttl)))
            .build()
    }
}

/// `name`, or `name_2`, `name_3`, … if already taken.
fn unique(used: &mut HashSet<String>, name: String) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{name}_{n}");
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_runs_like_terraform_fmt() {
        let got =
            align_attributes("a {\n  x = 1\n  long = 2\n  list = [\n    1\n  ]\n  y = 3\n}\n");
        assert_eq!(
            got,
            "a {\n  x    = 1\n  long = 2\n  list = [\n    1\n  ]\n  y = 3\n}\n"
        );
    }

    #[test]
    fn resource_names() {
        assert_eq!(tf_name("cybermonkey.dev"), "cybermonkey_dev");
        assert_eq!(tf_name("1x.example"), "_1x_example");
        assert_eq!(tf_name("*"), "x");
    }
}
