//! Records grouped as DNS sees them: one set per (name, type).

use crate::sema::model::{RecordValue, Zone};
use std::collections::HashMap;

/// All records of one name and type, in declaration order.
pub struct RrSet<'z> {
    pub name: &'z str,
    pub rtype: &'z str,
    /// One TTL per set (RFC 2181 §5.2): the first record's that has one.
    pub ttl: Option<u32>,
    pub values: Vec<&'z RecordValue>,
}

/// The zone's records grouped into sets, sets in first-seen order.
pub fn rrsets(zone: &Zone) -> Vec<RrSet<'_>> {
    let mut sets: Vec<RrSet<'_>> = Vec::new();
    // (name, type), case-folded → index in `sets`: a zone of many records
    // is grouped in one pass.
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for r in &zone.records {
        let key = (r.name.to_ascii_lowercase(), r.rtype.to_ascii_lowercase());
        match index.get(&key) {
            Some(&i) => {
                let s = &mut sets[i];
                s.ttl = s.ttl.or(r.ttl);
                s.values.push(&r.value);
            }
            None => {
                index.insert(key, sets.len());
                sets.push(RrSet {
                    name: &r.name,
                    rtype: &r.rtype,
                    ttl: r.ttl,
                    values: vec![&r.value],
                });
            }
        }
    }
    sets
}

/// TXT data as DNS character-strings: quoted, `"` and `\` escaped, split
/// every 255 bytes (on a character boundary). The model holds TXT unquoted.
pub fn txt_quoted(text: &str) -> String {
    let mut chunks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut len = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if len + n > 255 {
            chunks.push(std::mem::take(&mut cur));
            len = 0;
        }
        match c {
            '"' | '\\' => {
                cur.push('\\');
                cur.push(c);
            }
            _ => cur.push(c),
        }
        len += n;
    }
    chunks.push(cur);
    chunks
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_is_quoted_and_split() {
        assert_eq!(txt_quoted("v=spf1 -all"), "\"v=spf1 -all\"");
        assert_eq!(txt_quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        let long = "x".repeat(300);
        let q = txt_quoted(&long);
        assert_eq!(q, format!("\"{}\" \"{}\"", "x".repeat(255), "x".repeat(45)));
        assert_eq!(txt_quoted(""), "\"\"");
    }
}
