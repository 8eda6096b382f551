//! The attribute tables of docs/language.md, rendered from the schemas.
//! Each table follows a `<!-- schema PATH -->` marker line; `update_docs`
//! rewrites every one, so the docs cannot drift from the code.

use super::{all, Attr, Dflt, Override, Schema, Ty};

/// The marker line that precedes a block's table.
pub fn marker(path: &str) -> String {
    format!("<!-- schema {path} -->")
}

/// One block's table: attribute, type, default, rules.
pub fn markdown_table(s: &Schema) -> String {
    let mut out = String::from("| attribute | type | default | rules |\n|---|---|---|---|\n");
    for a in s.attrs {
        out.push_str(&row(a));
    }
    if let Some(i) = s.inherits {
        let names: Vec<String> = i.attrs.iter().map(|a| format!("`{}`", a.name)).collect();
        out.push_str(&format!(
            "| {} | see *{}* | | on the {} itself when it has no `{}` blocks |\n",
            names.join(", "),
            i.kind,
            s.kind,
            i.kind
        ));
    }
    out
}

fn row(a: &Attr) -> String {
    let mut ty = ty(&a.ty);
    if matches!(a.default, Dflt::Req(_)) {
        ty.push_str(", *req*");
    }
    let mut rules = a.doc.to_string();
    if a.env == Override::Fixed {
        if !rules.is_empty() {
            rules.push_str("; ");
        }
        rules.push_str("read as written: the same in every environment");
    }
    let cell = |s: &str| {
        if s.is_empty() {
            String::new()
        } else {
            format!(" {s}")
        }
    };
    format!(
        "| `{}` | {} |{} |{} |\n",
        a.name,
        ty,
        cell(&default(a)),
        cell(&rules)
    )
}

fn ty(t: &Ty) -> String {
    match t {
        Ty::Str(_) => "string".into(),
        Ty::Int { min, max, unit } => format!("whole number {min}..={max}{unit}"),
        Ty::Bool => "bool".into(),
        Ty::Port => "whole number 1..=65535".into(),
        Ty::Duration => "duration".into(),
        Ty::Size { nonzero: true } => "size > 0".into(),
        Ty::Size { nonzero: false } => "size".into(),
        Ty::Percent => "percent".into(),
        Ty::Choice(v) => choices(v),
        Ty::List(inner) => format!("list of {}", plural(inner)),
        Ty::Map { value, .. } => match value {
            Ty::Any => "object".into(),
            v => format!("object of {}", plural(v)),
        },
        Ty::Scalar(_) => "string, number or bool".into(),
        Ty::Ref(kinds) => {
            let v: Vec<String> = kinds.iter().map(|k| format!("`{k}.<name>`")).collect();
            v.join(" or ")
        }
        Ty::Target => "`app.<name>`, `app.<name>.port.<port>` or `upstream.<name>`".into(),
        Ty::Fields(f) => {
            let v: Vec<String> = f.iter().map(|f| format!("{} = …", f.name)).collect();
            format!("object `{{ {} }}`", v.join(", "))
        }
        Ty::PortOrRange => {
            "whole number 1..=65535, or string `\"FROM-TO\"` with FROM ≤ TO".into()
        }
        Ty::RecordValue => {
            "string, or `server.<name>.ipv4` (A) / `server.<name>.ipv6` (AAAA)".into()
        }
        Ty::TypeName => "a type name, bare or quoted: `string`, `number`, `bool`, `duration`, `size`, `percent`, `list`, `object`".into(),
        Ty::Any => "any value".into(),
    }
}

fn plural(t: &Ty) -> String {
    match t {
        Ty::Str(_) => "strings".into(),
        Ty::Scalar(_) => "strings, numbers or bools".into(),
        Ty::Choice(v) => choices(v),
        Ty::Any => "values".into(),
        other => ty(other),
    }
}

fn choices(v: &[&str]) -> String {
    let v: Vec<String> = v.iter().map(|c| format!("`\"{c}\"`")).collect();
    v.join(" \\| ")
}

fn default(a: &Attr) -> String {
    match a.default {
        Dflt::None => "none".into(),
        Dflt::Req(_) => String::new(),
        Dflt::Bool(b) => format!("`{b}`"),
        Dflt::Int(n) => format!("`{n}`"),
        Dflt::Dur(ms) => format!("`{}`", duration(ms)),
        Dflt::Size(b) => format!("`{}`", size(b)),
        Dflt::Str(s) => format!("`\"{s}\"`"),
        Dflt::Empty => match a.ty {
            Ty::List(_) => "`[]`".into(),
            _ => "`{}`".into(),
        },
        Dflt::Said(s) => s.into(),
    }
}

/// A duration literal in its largest exact unit (`300000` → `5m`).
pub fn duration(ms: u64) -> String {
    for (unit, n) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if ms != 0 && ms % n == 0 {
            return format!("{}{unit}", ms / n);
        }
    }
    format!("{ms}ms")
}

fn size(b: u64) -> String {
    for (unit, n) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if b != 0 && b % n == 0 {
            return format!("{}{unit}", b / n);
        }
    }
    format!("{b}B")
}

/// docs/language.md with every schema table regenerated after its marker.
/// Err lists the block paths that have no marker.
pub fn update_docs(text: &str) -> Result<String, Vec<String>> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut missing = Vec::new();
    let mut seen: Vec<&Schema> = Vec::new();
    for (path, s) in all() {
        // A block with no attributes has no table; a shared block
        // (`resources` of an app and of a task) has one, at its first path.
        if s.attrs.is_empty() || seen.iter().any(|x| std::ptr::eq(*x, s)) {
            continue;
        }
        seen.push(s);
        let m = marker(&path);
        let Some(at) = lines.iter().position(|l| l.trim() == m) else {
            missing.push(path);
            continue;
        };
        let end = lines[at + 1..]
            .iter()
            .position(|l| !l.starts_with('|'))
            .map_or(lines.len(), |n| at + 1 + n);
        let table: Vec<String> = markdown_table(s).lines().map(str::to_string).collect();
        lines.splice(at + 1..end, table);
    }
    // The "Not supported" table follows its own marker.
    let m = marker("unsupported");
    match lines.iter().position(|l| l.trim() == m) {
        Some(at) => {
            let end = lines[at + 1..]
                .iter()
                .position(|l| !l.starts_with('|'))
                .map_or(lines.len(), |n| at + 1 + n);
            let table = super::unsupported::markdown_table();
            lines.splice(at + 1..end, table.lines().map(str::to_string));
        }
        None => missing.push("unsupported".to_string()),
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
