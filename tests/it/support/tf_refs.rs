//! A reference check over a Terraform module, on what HashiCorp's HCL
//! parser (hcl2json) makes of each .tf file. `terraform validate` cannot
//! get this far without the providers' schemas, so this is the check that
//! every `var.x`, `data.t.n`, `local.x`, `module.m` and `type.name` an
//! expression mentions is declared somewhere in the module, and that every
//! resource type belongs to a provider the module requires.

use serde_json::Value;
use std::collections::BTreeSet;

#[derive(Default, Debug)]
pub struct Module {
    /// `var.x`, `local.x`, `data.t.n`, `module.m`, `t.n`.
    pub declared: BTreeSet<String>,
    /// (file, reference) for every reference found in an expression.
    pub references: Vec<(String, String)>,
    /// Provider local names in `required_providers`.
    pub providers: BTreeSet<String>,
    /// (file, resource or data source type).
    pub types: Vec<(String, String)>,
    pub duplicates: Vec<String>,
}

impl Module {
    /// Add one file's hcl2json output.
    pub fn add(&mut self, file: &str, json: &Value) {
        let Some(top) = json.as_object() else { return };
        for (kind, items) in top {
            match kind.as_str() {
                "resource" | "data" => {
                    for (ty, by_name) in items.as_object().into_iter().flatten() {
                        self.types.push((file.to_string(), ty.clone()));
                        for name in by_name.as_object().into_iter().flatten().map(|(n, _)| n) {
                            let id = if kind == "data" {
                                format!("data.{ty}.{name}")
                            } else {
                                format!("{ty}.{name}")
                            };
                            self.declare(id);
                        }
                    }
                }
                "variable" => self.declare_all("var", items),
                "module" => self.declare_all("module", items),
                "locals" => {
                    for block in items.as_array().into_iter().flatten() {
                        for name in block.as_object().into_iter().flatten().map(|(n, _)| n) {
                            self.declare(format!("local.{name}"));
                        }
                    }
                }
                "terraform" => {
                    for block in items.as_array().into_iter().flatten() {
                        for rp in block
                            .get("required_providers")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                        {
                            self.providers.extend(
                                rp.as_object().into_iter().flatten().map(|(n, _)| n.clone()),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        let mut refs = Vec::new();
        collect_strings(json, false, &mut |s| refs.extend(template_references(s)));
        self.references
            .extend(refs.into_iter().map(|r| (file.to_string(), r)));
    }

    fn declare(&mut self, id: String) {
        if !self.declared.insert(id.clone()) {
            self.duplicates.push(id);
        }
    }

    fn declare_all(&mut self, prefix: &str, items: &Value) {
        for name in items
            .as_object()
            .into_iter()
            .flatten()
            .map(|(n, _)| n.clone())
        {
            self.declare(format!("{prefix}.{name}"));
        }
    }

    /// Every problem found: undeclared references, resource types without
    /// a required provider, names declared twice.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (file, r) in &self.references {
            if !self.declared.contains(r) {
                out.push(format!("{file}: reference to undeclared `{r}`"));
            }
        }
        for (file, ty) in &self.types {
            let provider = ty.split('_').next().unwrap_or(ty);
            if provider != "terraform" && !self.providers.contains(provider) {
                out.push(format!(
                    "{file}: `{ty}` needs provider `{provider}` in required_providers"
                ));
            }
        }
        for d in &self.duplicates {
            out.push(format!("`{d}` is declared more than once"));
        }
        out
    }
}

/// Visit every string in the JSON, skipping `lifecycle.ignore_changes`
/// (attribute names, not references).
fn collect_strings(v: &Value, skip: bool, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) if !skip => f(s),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, skip, f)),
        Value::Object(o) => {
            for (k, child) in o {
                collect_strings(child, skip || k == "ignore_changes", f);
            }
        }
        _ => {}
    }
}

/// References in a string as Terraform reads it: a template whose `${...}`
/// sequences are expressions (`$${` is a literal).
pub fn template_references(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' && chars.get(i + 1) == Some(&'$') && chars.get(i + 2) == Some(&'{') {
            i += 3;
        } else if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
            let (end, refs) = expression(&chars, i + 2, '}');
            out.extend(refs);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

const BUILTIN_ROOTS: &[&str] = &["path", "count", "each", "self", "terraform"];

/// Scan an expression from `start` to its closing `close` (outside nested
/// brackets and strings); return the closing index and the references.
fn expression(chars: &[char], start: usize, close: char) -> (usize, Vec<String>) {
    let mut refs = Vec::new();
    let mut bound: BTreeSet<String> = BTreeSet::new();
    let mut chains: Vec<Vec<String>> = Vec::new();
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if c == close && depth == 0 {
            break;
        }
        match c {
            '"' => {
                // A quoted template: literal text with its own `${...}`.
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == '$' && chars.get(i + 1) == Some(&'$') {
                        i += 2;
                        continue;
                    }
                    if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                        let (end, inner) = expression(chars, i + 2, '}');
                        refs.extend(inner);
                        i = end + 1;
                        continue;
                    }
                    i += 1;
                }
                i += 1;
            }
            '{' | '[' | '(' => {
                depth += 1;
                i += 1;
            }
            '}' | ']' | ')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let preceded_by_dot = i > 0 && chars[i - 1] == '.';
                let mut parts = Vec::new();
                loop {
                    let s = i;
                    while i < chars.len()
                        && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '-')
                    {
                        i += 1;
                    }
                    parts.push(chars[s..i].iter().collect::<String>());
                    if i + 1 < chars.len()
                        && chars[i] == '.'
                        && (chars[i + 1].is_ascii_alphabetic() || chars[i + 1] == '_')
                    {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if parts[0] == "for" {
                    // `for k, v in coll :` binds k and v.
                    let rest: String = chars[i..].iter().collect();
                    if let Some(head) = rest.split(" in ").next() {
                        bound.extend(head.split(',').map(|v| v.trim().to_string()));
                    }
                } else if !preceded_by_dot {
                    chains.push(parts);
                }
            }
            _ => i += 1,
        }
    }
    for parts in chains {
        if parts.len() < 2
            || BUILTIN_ROOTS.contains(&parts[0].as_str())
            || bound.contains(&parts[0])
        {
            continue;
        }
        let r = match parts[0].as_str() {
            "var" | "local" | "module" => format!("{}.{}", parts[0], parts[1]),
            "data" if parts.len() >= 3 => format!("data.{}.{}", parts[1], parts[2]),
            _ => format!("{}.{}", parts[0], parts[1]),
        };
        refs.push(r);
    }
    (i, refs)
}

#[cfg(test)]
mod tests {
    use super::template_references as r;

    #[test]
    fn finds_references_and_skips_literals() {
        assert_eq!(r("${var.a}"), vec!["var.a"]);
        assert_eq!(
            r("${file(\"${path.module}/x.nomad.hcl\")}"),
            Vec::<String>::new()
        );
        assert_eq!(
            r("${hcloud_server.edge[0].ipv4_address}"),
            vec!["hcloud_server.edge"]
        );
        assert_eq!(r("$${var.a} ${data.t.n.id}"), vec!["data.t.n"]);
        assert_eq!(r("${[for s in var.x : s.name]}"), vec!["var.x"]);
        assert_eq!(r("a-${count.index + 1}"), Vec::<String>::new());
    }
}
