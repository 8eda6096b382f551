//! A BIND zone file (RFC 1035 §5) → a `dns` block: `$ORIGIN`, `$TTL`,
//! relative and absolute owners, an owner left blank (the previous one),
//! `( … )` spanning lines, `;` comments, quoted TXT strings. The SOA and
//! the apex NS records are what eosc writes itself (from
//! `project.nameservers`), so they are reported and not copied.

use super::writer::{Block, Val};
use super::Cx;
use crate::diagnostics::Code;
use crate::source::{FileId, Span};

const TYPES: &[&str] = &["A", "AAAA", "CNAME", "MX", "TXT", "CAA", "NS", "SRV"];

/// One logical record line: its words (quoted ones marked) and its span.
struct Entry {
    words: Vec<(String, bool, usize, usize)>,
    /// The line began with whitespace: the owner is the previous one.
    blank_owner: bool,
    start: usize,
    end: usize,
}

/// Words of the file, joined across `( … )`; unbalanced parentheses or an
/// open quote are errors at their position.
fn entries(text: &str) -> Result<Vec<Entry>, (usize, String)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let mut cur: Option<Entry> = None;
    let mut depth = 0usize;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if line_start && depth == 0 {
            if let Some(e) = cur.take() {
                if !e.words.is_empty() {
                    out.push(e);
                }
            }
            cur = Some(Entry {
                words: Vec::new(),
                blank_owner: c == b' ' || c == b'\t',
                start: i,
                end: i,
            });
        }
        line_start = false;
        let e = cur.as_mut().expect("an entry is open");
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b';' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                if depth == 0 {
                    return Err((i, "`)` without `(`".into()));
                }
                depth -= 1;
                i += 1;
            }
            b'"' => {
                let s = i;
                let mut val = Vec::new();
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') => return Err((s, "unterminated quoted string".into())),
                        Some(b'\\') if i + 1 < b.len() => {
                            val.push(b[i + 1]);
                            i += 2;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(&x) => {
                            val.push(x);
                            i += 1;
                        }
                    }
                }
                e.words
                    .push((String::from_utf8_lossy(&val).into_owned(), true, s, i));
                e.end = i;
            }
            _ => {
                let s = i;
                while i < b.len() && !b" \t\r\n;()\"".contains(&b[i]) {
                    i += 1;
                }
                e.words
                    .push((String::from_utf8_lossy(&b[s..i]).into_owned(), false, s, i));
                e.end = i;
            }
        }
    }
    if depth > 0 {
        return Err((text.len(), "`(` without `)`".into()));
    }
    if let Some(e) = cur {
        if !e.words.is_empty() {
            out.push(e);
        }
    }
    Ok(out)
}

/// A BIND TTL: seconds, or `1h30m`-style units (w d h m s).
fn ttl(s: &str) -> Option<u64> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let mut total = 0u64;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let mult = match c.to_ascii_lowercase() {
            'w' => 604_800,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(num.parse::<u64>().ok()?.checked_mul(mult)?)?;
        num.clear();
    }
    num.is_empty().then_some(total)
}

fn absolute(name: &str, origin: &str) -> String {
    if name == "@" {
        format!("{origin}.")
    } else if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.{origin}.")
    }
}

pub fn import(cx: &mut Cx, file: FileId, text: &str, zone_arg: &str) {
    let zone = zone_arg.trim_end_matches('.').to_ascii_lowercase();
    let mut origin = zone.clone();
    let sp = |s: usize, e: usize| Span::new(file, s, e.max(s));
    let list = match entries(text) {
        Ok(l) => l,
        Err((at, msg)) => {
            cx.error(
                Code::E0601,
                sp(at, at + 1),
                format!("zone file: {msg}"),
                "fix the zone file (`named-checkzone ZONE FILE` checks it)",
            );
            return;
        }
    };
    let mut dns = Block::new("dns", Some(&zone));
    dns.comment(format!("zone file {}", cx.sources.get(file).name));
    let mut default_ttl: Option<u64> = None;
    let mut owner: Option<String> = None;
    let mut nameservers: Vec<Val> = Vec::new();
    for e in list {
        let at = sp(e.start, e.end);
        let w: Vec<&str> = e.words.iter().map(|x| x.0.as_str()).collect();
        match w[0].to_ascii_uppercase().as_str() {
            "$ORIGIN" => {
                match w.get(1) {
                    Some(o) => {
                        origin = absolute(o, &origin)
                            .trim_end_matches('.')
                            .to_ascii_lowercase()
                    }
                    None => cx.error(Code::E0601, at, "`$ORIGIN` needs a name", ""),
                }
                continue;
            }
            "$TTL" => {
                match w.get(1).and_then(|t| ttl(t)) {
                    Some(t) => default_ttl = Some(t),
                    None => cx.error(Code::E0601, at, "`$TTL` needs a time", ""),
                }
                continue;
            }
            "$INCLUDE" => {
                cx.error(
                    Code::E0602,
                    at,
                    "`$INCLUDE` is not read",
                    "paste the included file's records and import again",
                );
                continue;
            }
            d if d.starts_with('$') => {
                cx.error(
                    Code::E0602,
                    at,
                    format!("directive `{d}` is not supported"),
                    "",
                );
                continue;
            }
            _ => {}
        }
        let mut k = 0;
        let name = if e.blank_owner {
            match &owner {
                Some(o) => o.clone(),
                None => {
                    cx.error(
                        Code::E0601,
                        at,
                        "a record without an owner name before it",
                        "write the owner (`@` for the apex)",
                    );
                    continue;
                }
            }
        } else {
            k = 1;
            absolute(w[0], &origin).to_ascii_lowercase()
        };
        owner = Some(name.clone());
        let mut rttl: Option<u64> = None;
        while k < w.len() {
            let u = w[k].to_ascii_uppercase();
            if let (None, Some(t)) = (
                rttl,
                ttl(w[k]).filter(|_| w[k].starts_with(|c: char| c.is_ascii_digit())),
            ) {
                rttl = Some(t);
            } else if u == "IN" {
            } else if u == "CH" || u == "HS" || u == "CS" {
                cx.error(
                    Code::E0602,
                    at,
                    format!("class {u} is not imported (only IN)"),
                    "",
                );
                k = w.len() + 1;
                break;
            } else {
                break;
            }
            k += 1;
        }
        if k >= w.len() {
            if k == w.len() {
                cx.error(Code::E0601, at, "a record without a type", "");
            }
            continue;
        }
        let rtype = w[k].to_ascii_uppercase();
        let rdata: Vec<&(String, bool, usize, usize)> = e.words[k + 1..].iter().collect();
        let rel = if name == format!("{zone}.") {
            "@".to_string()
        } else if let Some(r) = name.strip_suffix(&format!(".{zone}.")) {
            r.to_string()
        } else {
            cx.error(
                Code::E0602,
                at,
                format!("`{name}` is outside zone {zone}"),
                "import it with the zone it belongs to (`--origin`)",
            );
            continue;
        };
        if rtype == "SOA" {
            cx.warn(
                Code::W0601,
                at,
                "the SOA record is not copied: eosc writes the zone's SOA itself",
                "serial, refresh and the rest come from eosc's zone writer",
            );
            if default_ttl.is_none() {
                default_ttl = rdata.last().and_then(|m| ttl(&m.0));
            }
            continue;
        }
        if rtype == "NS" && rel == "@" {
            if let Some(ns) = rdata.first() {
                nameservers.push(Val::Str(
                    absolute(&ns.0, &origin).trim_end_matches('.').to_string(),
                ));
            }
            continue;
        }
        if !TYPES.contains(&rtype.as_str()) {
            cx.error(
                Code::E0602,
                at,
                format!("record type {rtype} is not one eosc writes"),
                format!("eosc's zones hold {}", TYPES.join(", ")),
            );
            continue;
        }
        let target = |i: usize| rdata.get(i).map(|x| absolute(&x.0, &origin));
        let value = match rtype.as_str() {
            "CNAME" | "NS" => target(0),
            "MX" => rdata
                .first()
                .zip(target(1))
                .map(|(p, h)| format!("{} {h}", p.0)),
            "SRV" if rdata.len() == 4 => Some(format!(
                "{} {} {} {}",
                rdata[0].0,
                rdata[1].0,
                rdata[2].0,
                absolute(&rdata[3].0, &origin)
            )),
            "TXT" => Some(rdata.iter().map(|x| x.0.as_str()).collect::<String>()),
            "CAA" if rdata.len() == 3 => {
                Some(format!("{} {} \"{}\"", rdata[0].0, rdata[1].0, rdata[2].0))
            }
            "A" | "AAAA" => rdata.first().map(|x| x.0.clone()),
            _ => None,
        };
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            cx.error(
                Code::E0601,
                at,
                format!("malformed {rtype} record data"),
                "",
            );
            continue;
        };
        let mut r = Block::new("record", Some(&rel));
        r.attr("type", Val::Str(rtype.clone()));
        r.attr("value", Val::Str(value));
        if let Some(t) = rttl.filter(|t| Some(*t) != default_ttl) {
            let clamped = t.clamp(60, 604_800);
            if clamped != t {
                cx.warn(
                    Code::W0603,
                    at,
                    format!("TTL {t} is outside eosc's 60..=604800 and becomes {clamped}"),
                    "",
                );
            }
            r.attr("ttl", Val::Int(clamped as i64));
        }
        r.comments.push(cx.at(at));
        dns.blocks.push(r);
    }
    if let Some(t) = default_ttl {
        let clamped = t.clamp(60, 604_800);
        if clamped != t {
            cx.warn(
                Code::W0603,
                Span::new(file, 0, 0),
                format!("default TTL {t} is outside eosc's 60..=604800 and becomes {clamped}"),
                "",
            );
        }
        dns.attrs.insert(
            0,
            super::writer::Attr {
                name: "ttl".into(),
                value: Val::Int(clamped as i64),
                comment: Some("$TTL".into()),
            },
        );
    }
    if !nameservers.is_empty() {
        let c = format!("the apex NS records of {}", cx.sources.get(file).name);
        cx.project_attr("nameservers", Val::List(nameservers), c);
    }
    if !dns.blocks.is_empty() {
        cx.dns.insert(zone, dns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_ttls() {
        assert_eq!(ttl("3600"), Some(3600));
        assert_eq!(ttl("1h30m"), Some(5400));
        assert_eq!(ttl("1x"), None);
    }

    #[test]
    fn parentheses_join_lines() {
        let e = entries("@ IN SOA ns. host. (\n 1 ; serial\n 2 3 4 5 )\nwww A 1.2.3.4\n").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].words.len(), 10);
        assert!(entries("( x").is_err());
    }
}
