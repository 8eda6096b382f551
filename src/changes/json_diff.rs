//! A semantic diff of two JSON values: object members by key (their order
//! does not matter, as for Caddy and HCL), arrays element by element. Each
//! difference is a JSON path with both values, so a report can say which
//! field changed and from what to what.

use serde::Serialize;
use serde_json::Value;

/// One difference: `before` is `None` where `after` added the member,
/// `after` is `None` where it was removed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldDiff {
    /// Dotted, with `[i]` for array elements: `handle[0].routes[2].status_code`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Every difference between `a` and `b`, under `prefix` (`""` at the top),
/// in the order of `a`'s members, then members only `b` has.
pub fn diff(prefix: &str, a: &Value, b: &Value, out: &mut Vec<FieldDiff>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = join(prefix, k);
                match y.get(k) {
                    Some(vb) => diff(&p, va, vb, out),
                    None if va.is_null() => {}
                    None => out.push(FieldDiff {
                        path: p,
                        before: Some(va.clone()),
                        after: None,
                    }),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) && !vb.is_null() {
                    out.push(FieldDiff {
                        path: join(prefix, k),
                        before: None,
                        after: Some(vb.clone()),
                    });
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let p = format!("{prefix}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => diff(&p, va, vb, out),
                    (va, vb) => out.push(FieldDiff {
                        path: p,
                        before: va.cloned(),
                        after: vb.cloned(),
                    }),
                }
            }
        }
        (Value::Null, Value::Null) => {}
        // null stands for an absent optional: a member becoming null is removed.
        (x, Value::Null) => out.push(FieldDiff {
            path: prefix.to_string(),
            before: Some(x.clone()),
            after: None,
        }),
        (Value::Null, y) => out.push(FieldDiff {
            path: prefix.to_string(),
            before: None,
            after: Some(y.clone()),
        }),
        (x, y) if numbers_equal(x, y) || x == y => {}
        (x, y) => out.push(FieldDiff {
            path: prefix.to_string(),
            before: Some(x.clone()),
            after: Some(y.clone()),
        }),
    }
}

/// 5 and 5.0 are one number (Caddy re-encodes what it was given).
fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// `a.b`, with a key that is not a plain word quoted: `headers["X-Frame"]`.
fn join(prefix: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    let key = if plain {
        key.to_string()
    } else {
        format!("[{}]", Value::String(key.to_string()))
    };
    match (prefix.is_empty(), plain) {
        (true, true) => key,
        (true, false) | (false, false) => format!("{prefix}{key}"),
        (false, true) => format!("{prefix}.{key}"),
    }
}

/// A value in one line, for a report: strings bare, the rest as JSON, cut
/// at 120 characters.
pub fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}...")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_each_difference() {
        let mut out = Vec::new();
        diff(
            "",
            &json!({"a": 1, "h": {"X-Y": "1"}, "l": [1, 2], "gone": true}),
            &json!({"a": 1.0, "h": {"X-Y": "2"}, "l": [1], "new": null, "n": 3}),
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["h[\"X-Y\"]", "l[1]", "gone", "n"]);
        assert_eq!(out[1].after, None);
    }
}
