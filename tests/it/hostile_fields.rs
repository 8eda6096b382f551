//! The generated hostile test: every string field the block schemas list
//! (`eosc::sema::schema::classes()`) gets every hostile value, one field at
//! a time, in a spec that is otherwise valid (tests/it/hostile/base.hcl).
//! For each planting, either the checker refuses it with an error on the
//! planted text, or the value comes back byte for byte from every artifact
//! it lands in, read by that artifact's consumer: HashiCorp's HCL parser
//! (hcl2json) for Terraform and Nomad files, Caddy's replacer rules over the
//! parsed JSON (and a live Caddy for a sample), BIND's named-compilezone for
//! zone files, Salt's renderer for SLS files, Groovy's AST for Jenkinsfiles.
//! A value that lands where no consumer here reads it fails the test: the
//! list of consumers grows with the emitters.

use crate::support::shell_stand_ins::{self, Rig};
use crate::support::tools::{self, TempDir};
use eosc::sema::schema::{self, Place};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

const BASE: &str = include_str!("hostile/base.hcl");

/// Around every planted payload: lower-case letters, so a value that must
/// be a host name stays one, and the value is found in any artifact.
const OPEN: &str = "hqzx";
const CLOSE: &str = "xzqh";

/// The hostile values of issue #14, each planted after a field's valid value.
fn payloads() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = [
        ("dollar-brace", "${a}"),
        ("percent-brace", "%{b}"),
        ("go-template", "{{ c }}"),
        ("jinja-block", "{% d %}"),
        ("caddy-env", "{env.HOME}"),
        ("caddy-header", "{http.request.header.Authorization}"),
        ("double-quote", "\"e\""),
        ("single-quote", "'f'"),
        ("backslash", "g\\h\\\\"),
        ("newline", "i\nj: k"),
        ("semicolon", "; l"),
        ("paren", "( m"),
        ("command-subst", "$(id)"),
        ("backtick", "`id`"),
        ("triple-single", "''' n '''"),
        ("triple-double", "\"\"\" o \"\"\""),
        ("nul", "p\0q"),
        ("line-separator", "r\u{2028}s"),
        ("space", " t "),
        ("hash", "# u"),
        ("dollar", "$v $$w"),
    ]
    .iter()
    .map(|(n, p)| (n.to_string(), p.to_string()))
    .collect();
    v.push(("4KiB".into(), "x".repeat(4096)));
    v
}

/// One place in the base spec where a field's value is written.
#[derive(Clone, Debug)]
struct Slot {
    /// `block|attr|place`, as `field_key` spells a schema field.
    field: String,
    /// `field#n` when one field has several slots.
    id: String,
    valid: String,
    range: Range<usize>,
}

fn place_name(p: Place) -> String {
    match p {
        Place::Label => "Label".into(),
        Place::Value => "Value".into(),
        Place::Item => "Item".into(),
        Place::Key => "Key".into(),
        Place::MapValue => "MapValue".into(),
        Place::Field(f) => format!("Field:{f}"),
    }
}

fn field_key(f: &schema::StrField) -> String {
    format!("{}|{}|{}", f.block, f.attr, place_name(f.place))
}

fn slots() -> Vec<Slot> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = BASE[at..].find('⟦') {
        let start = at + s;
        let end = start + BASE[start..].find('⟧').expect("slot closed") + '⟧'.len_utf8();
        let inner = &BASE[start + '⟦'.len_utf8()..end - '⟧'.len_utf8()];
        let (id, valid) = inner.split_once('=').expect("slot has a valid value");
        let field = id.split('#').next().unwrap_or(id).to_string();
        out.push(Slot {
            field,
            id: id.to_string(),
            valid: valid.to_string(),
            range: start..end,
        });
        at = end;
    }
    out
}

/// `s` as a hecate string literal.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\u0000"),
            '$' if chars.peek() == Some(&'{') => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The base spec with slot `plant` (if any) holding `value`; the byte
/// range of the planted literal.
fn render(slots: &[Slot], plant: Option<(usize, &str)>) -> (String, Range<usize>) {
    let mut text = String::with_capacity(BASE.len() + 5000);
    let mut last = 0;
    let mut planted = 0..0;
    for (i, s) in slots.iter().enumerate() {
        text.push_str(&BASE[last..s.range.start]);
        let value = match plant {
            Some((p, v)) if p == i => v.to_string(),
            _ => s.valid.clone(),
        };
        let start = text.len();
        text.push_str(&lit(&value));
        if plant.is_some_and(|(p, _)| p == i) {
            planted = start..text.len();
        }
        last = s.range.end;
    }
    text.push_str(&BASE[last..]);
    (text, planted)
}

fn check(text: &str) -> eosc::Checked {
    // The template sources base.hcl names (`source` slots).
    let loader = eosc::MemLoader::new([
        ("hecate.hcl".to_string(), text.to_string()),
        (
            "templates/site.tpl".to_string(),
            "a [[ .Port ]]\n".to_string(),
        ),
        (
            "templates/worker.tpl".to_string(),
            "b <% .Port %>\n".to_string(),
        ),
    ]);
    eosc::check("hecate.hcl", &loader).expect("in memory")
}

fn codes(c: &eosc::Checked) -> Vec<String> {
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// Every artifact of every tree as (`tree/path`, contents).
fn artifacts(c: &eosc::Checked) -> Vec<(String, String)> {
    eosc::compile(&c.models)
        .into_iter()
        .flat_map(|(tree, arts)| {
            arts.into_iter()
                .map(move |a| (format!("{tree}/{}", a.path), a.contents))
        })
        .collect()
}

#[test]
fn base_spec_checks_and_lists_every_schema_field() {
    let slots = slots();
    let (text, _) = render(&slots, None);
    let c = check(&text);
    assert!(
        !c.has_errors(),
        "the base spec must check: {:#?}",
        codes(&c)
    );
    let want: BTreeSet<String> = schema::classes().iter().map(field_key).collect();
    let have: BTreeSet<String> = slots.iter().map(|s| s.field.clone()).collect();
    let missing: Vec<&String> = want.difference(&have).collect();
    let unknown: Vec<&String> = have.difference(&want).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "base.hcl lacks slots for {missing:?}; slots name no schema field: {unknown:?}"
    );
}

/// What a consumer must read back for payload `p`: the payload itself,
/// except in a header template (`StrClass::HeaderTemplate`), where a
/// request placeholder is meant to reach Caddy as one and reads as
/// `⟨…⟩` (what `caddy_replaced` shows for a placeholder).
fn expected(template: bool, p: &str) -> String {
    const CLIENT_HEADER: &str = "{http.request.header.Authorization}";
    if template && p.contains(CLIENT_HEADER) {
        p.replace(CLIENT_HEADER, "⟨http.request.header.Authorization⟩")
    } else {
        p.to_string()
    }
}

/// One hostile value in one slot that the checker let through, with the
/// artifacts it landed in.
struct Landed {
    what: String,
    payload: String,
    files: Vec<(String, String)>,
}

/// Strings as a consumer decoded them, each with where it was found.
type Decoded = Vec<(String, String)>;

/// The mismatches of one planting: every decoded string holding the
/// opening marker must hold exactly the payload after it; at least one
/// must.
fn compare(l: &Landed, decoded: &[(String, String)]) -> Vec<String> {
    let want = format!("{OPEN}{}{CLOSE}", l.payload);
    let mut found = false;
    let mut bad = Vec::new();
    for (where_, s) in decoded {
        let mut rest = s.as_str();
        while let Some(i) = rest.find(OPEN) {
            rest = &rest[i..];
            if rest.starts_with(&want) {
                found = true;
                rest = &rest[want.len()..];
            } else {
                let shown: String = rest.chars().take(80).collect();
                bad.push(format!(
                    "{} <- {:?}: {where_} reads {shown:?}",
                    l.what, l.payload
                ));
                rest = &rest[OPEN.len()..];
            }
        }
    }
    if !found && bad.is_empty() {
        bad.push(format!(
            "{} <- {:?}: in {:?} but no consumer read it back",
            l.what,
            l.payload,
            l.files.iter().map(|f| &f.0).collect::<Vec<_>>()
        ));
    }
    bad
}

/// Every string (and object key) of a JSON value, with its path.
fn json_strings(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| json_strings(x, &format!("{path}/{i}"), out)),
        Value::Object(o) => {
            for (k, x) in o {
                out.push((format!("{path} (key)"), k.clone()));
                json_strings(x, &format!("{path}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// Caddy's replacer over a string: `\{` and `\}` are literal braces, any
/// other `{…}` is a placeholder (shown as `⟨…⟩`, which no payload holds).
fn caddy_replaced(s: &str) -> String {
    let mut out = String::new();
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '\\' if matches!(b.get(i + 1), Some('{' | '}')) => {
                out.push(b[i + 1]);
                i += 2;
            }
            '{' => match b[i..].iter().position(|c| *c == '}') {
                Some(j) => {
                    out.push('⟨');
                    out.extend(&b[i + 1..i + j]);
                    out.push('⟩');
                    i += j + 1;
                }
                None => {
                    out.extend(&b[i..]);
                    i = b.len();
                }
            },
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The strings of a Caddy config as Caddy uses them: regexp patterns as
/// written (Caddy compiles them, no replacer), everything else replaced.
fn caddy_strings(config: &Value) -> Decoded {
    let mut raw = Vec::new();
    json_strings(config, "", &mut raw);
    raw.into_iter()
        .map(|(p, s)| {
            if p.ends_with("/pattern") {
                (p, s)
            } else {
                let r = caddy_replaced(&s);
                (p, r)
            }
        })
        .collect()
}

/// A Go template (consul-template) as its output and string arguments:
/// text outside actions comes out as written; inside `{{ … }}`, each Go
/// string literal is unquoted. An action the payload opened shows up as
/// text that is no longer the payload.
fn go_template_strings(t: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = t;
    while let Some(i) = rest.find("{{") {
        out[0].push_str(&rest[..i]);
        let Some(j) = rest[i..].find("}}") else {
            out[0].push_str(&rest[i..]);
            return out;
        };
        let action = &rest[i + 2..i + j];
        out[0].push('⟨');
        out.extend(go_literals(action));
        out[0].push('⟩');
        rest = &rest[i + j + 2..];
    }
    out[0].push_str(rest);
    out
}

/// The Go string literals (`"…"` with escapes, `` `…` `` raw) in an action.
fn go_literals(action: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = action.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '`' {
            out.push(chars.by_ref().take_while(|c| *c != '`').collect());
        } else if c == '"' {
            let mut s = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some('u') => {
                            let h: String = chars.by_ref().take(4).collect();
                            s.extend(u32::from_str_radix(&h, 16).ok().and_then(char::from_u32));
                        }
                        Some(o) => s.push(o),
                        None => {}
                    },
                    c => s.push(c),
                }
            }
            out.push(s);
        }
    }
    out
}

/// BIND's presentation format of the rdata on a `named-compilezone` line:
/// quoted strings unescaped (`\"`, `\\`, `\DDD`) and joined.
fn zone_rdata(line: &str) -> String {
    let mut out = String::new();
    let b = line.as_bytes();
    let mut i = 0;
    let mut bytes = Vec::new();
    let mut quoted = false;
    while i < b.len() {
        match b[i] {
            b'"' => {
                quoted = !quoted;
                i += 1;
            }
            b'\\' if i + 3 < b.len() && b[i + 1..i + 4].iter().all(u8::is_ascii_digit) => {
                let n: u32 = std::str::from_utf8(&b[i + 1..i + 4])
                    .ok()
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(0);
                bytes.push(n as u8);
                i += 4;
            }
            b'\\' if i + 1 < b.len() => {
                bytes.push(b[i + 1]);
                i += 2;
            }
            b' ' | b'\t' if !quoted => {
                bytes.push(b' ');
                i += 1;
            }
            c => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

/// A shell command of a cloud-init `runcmd` or a Salt `cmd.run`, as
/// `/bin/sh` splits it: the program is replaced by `printf '%s\0'`, PATH
/// is empty (a command substitution the quoting let through runs nothing
/// and shows up as a changed word).
fn shell_words(cmd: &str) -> Vec<String> {
    let rest = cmd.split_once(' ').map(|(_, r)| r).unwrap_or("");
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {rest}"))
        .env_clear()
        .env("PATH", "/nonexistent")
        .output()
        .expect("run /bin/sh");
    String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Salt requisite keys: their values are state IDs.
const REQUISITES: &[&str] = &[
    "/require/",
    "/onfail/",
    "/watch/",
    "/prereq/",
    "/onchanges/",
];

/// Terraform block labels (`resource "authentik_group" "<derived>"`) and
/// whole references to them are identifiers eosc derives from names, not
/// the value itself.
fn derived_identifier(path: &str, s: &str) -> bool {
    let label = ["/resource/", "/data/", "/output", "/module", "/variable"]
        .iter()
        .any(|b| path.starts_with(b) && path.ends_with(" (key)") && path.matches('/').count() <= 2);
    let reference = s.starts_with("${")
        && s.ends_with('}')
        && s[2..].find("${").is_none()
        && !s.contains("$${");
    label || reference
}

fn is_hcl(path: &str) -> bool {
    path.ends_with(".hcl") || path.ends_with(".tf")
}

/// `node tests/hcl2json_batch.js` over files: path → JSON or error.
fn hcl_batch(
    node: &std::path::Path,
    files: &[std::path::PathBuf],
) -> BTreeMap<String, Result<Value, String>> {
    let dir = TempDir::new("hostile-hcl-list");
    let list = dir.write(
        "list",
        &files
            .iter()
            .map(|f| f.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let script = crate::support::root().join("tests/hcl2json_batch.js");
    let out = tools::run(
        node,
        &[&script.to_string_lossy(), &list.to_string_lossy()],
        None,
    );
    assert!(out.ok, "hcl2json_batch: {}", out.stderr);
    out.stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON line");
            let file = v["file"].as_str().unwrap_or("").to_string();
            let r = match v.get("json") {
                Some(j) => Ok(j.clone()),
                None => Err(v["error"].to_string()),
            };
            (file, r)
        })
        .collect()
}

/// hcl2json keeps template escapes (`$${`, `%%{`); HCL's value has one.
fn hcl_value(s: &str) -> String {
    tools::unescape_markers(s)
}

/// Does an error name the planted field: its span (or a secondary one)
/// overlaps the planted text, or its message names the attribute?
fn names_field(d: &eosc::diagnostics::Diagnostic, range: &Range<usize>, attr: &str) -> bool {
    let over =
        |s: &eosc::source::Span| (s.start as usize) < range.end && (s.end as usize) > range.start;
    d.is_error()
        && (over(&d.primary.span)
            || d.secondary.iter().any(|l| over(&l.span))
            || (!attr.is_empty() && d.message.contains(&format!("`{attr}`"))))
}

#[test]
fn every_string_field_refuses_or_round_trips_every_hostile_value() {
    // Every consumer, or none: a missing one skips the test loudly (and
    // fails it under CI=true, inside `tools::tool`).
    let salt_python = crate::support::root().join(".tools/venv/bin/python");
    if !salt_python.is_file() {
        let msg = "Salt's venv (.tools/venv) is missing: run `bash scripts/test.sh`";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
        return;
    }
    let needed = ["node", "groovy", "named-compilezone"];
    if needed.iter().any(|t| tools::tool(t).is_none()) {
        return;
    }
    let started = std::time::Instant::now();
    let slots = slots();
    let payloads = payloads();
    let schema_fields: BTreeSet<String> = schema::classes().iter().map(field_key).collect();
    assert_eq!(
        schema_fields.len(),
        schema::classes().len(),
        "a field listed twice"
    );
    let mut problems = Vec::new();
    let mut landed = Vec::new();
    let (mut refused, mut nowhere) = (0usize, 0usize);
    let mut covered = BTreeSet::new();
    let templates: BTreeSet<String> = schema::classes()
        .iter()
        .filter(|f| f.class == schema::StrClass::HeaderTemplate)
        .map(field_key)
        .collect();
    for (i, slot) in slots.iter().enumerate() {
        let attr = slot.field.split('|').nth(1).unwrap_or("");
        for (name, p) in &payloads {
            let value = format!("{}{OPEN}{p}{CLOSE}", slot.valid);
            let (text, range) = render(&slots, Some((i, &value)));
            let c = check(&text);
            let what = format!("{} ({name})", slot.id);
            if c.has_errors() {
                if c.diagnostics.iter().any(|d| names_field(d, &range, attr)) {
                    refused += 1;
                } else {
                    problems.push(format!(
                        "{what}: refused, but no error names the field: {:?}",
                        codes(&c)
                    ));
                }
                continue;
            }
            let files: Vec<(String, String)> = artifacts(&c)
                .into_iter()
                .filter(|(_, t)| t.contains(OPEN))
                .collect();
            if files.is_empty() {
                nowhere += 1;
                continue;
            }
            landed.push(Landed {
                what,
                payload: expected(templates.contains(&slot.field), p),
                files,
            });
        }
        covered.insert(slot.field.clone());
    }
    let consumers = Consumers::read(&landed);
    let mut round_tripped = 0;
    for (k, l) in landed.iter().enumerate() {
        let decoded = consumers.decoded(k, l, &mut problems);
        let bad = compare(l, &decoded);
        if bad.is_empty() {
            round_tripped += 1;
        }
        problems.extend(bad);
    }
    println!(
        "hostile fields: covered {} of {} schema string fields; refused {refused}, round-tripped {round_tripped}, written to no artifact {nowhere}; {} plantings in {:.1}s",
        covered.len(),
        schema_fields.len(),
        slots.len() * payloads.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(
        covered, schema_fields,
        "every schema string field is planted"
    );
}

/// What the consumers read from every landed artifact, batched: one
/// hcl2json process, one Salt renderer, one Groovy run, one
/// named-compilezone per zone file.
struct Consumers {
    dir: TempDir,
    hcl: BTreeMap<String, Result<Value, String>>,
    /// The HCL agent configs inside cloud-init user data, read in a second round.
    nested: BTreeMap<String, Result<Value, String>>,
    salt: BTreeMap<String, Result<Value, String>>,
    groovy: BTreeMap<String, Value>,
    /// Runs the multi-line scripts of rendered SLS files.
    rig: Rig,
}

/// The strings a multi-line script's programs got, run by /bin/sh with
/// recording stand-ins: every argument and environment variable, a URL
/// given to `curl` as the server reads it (percent-decoded after an RFC
/// 3986 check; the planted value must come back decoded).
fn script_strings(
    rig: &Rig,
    script: &str,
    at: &str,
    out: &mut Decoded,
    fail: &mut dyn FnMut(String),
) {
    let calls = match rig.run(script) {
        Ok(c) => c,
        Err(e) => return fail(format!("{at}: {e}")),
    };
    for c in calls {
        for (i, a) in c.args.iter().enumerate() {
            let url =
                c.program == "curl" && (a.starts_with("https://") || a.starts_with("http://"));
            if !url {
                out.push((format!("{at} (sh: {} argv {i})", c.program), a.clone()));
                continue;
            }
            match shell_stand_ins::url_as_served(a) {
                Ok(u) => out.push((format!("{at} (sh: curl URL, decoded)"), u)),
                Err(e) if a.contains(OPEN) => fail(format!("{at}: curl got {a:?}: {e}")),
                Err(_) => {}
            }
        }
        for (k, v) in c.env {
            out.push((format!("{at} (sh: {} env {k})", c.program), v));
        }
    }
}

fn file_of(dir: &TempDir, k: usize, path: &str) -> std::path::PathBuf {
    dir.path().join(k.to_string()).join(path)
}

/// The cloud-init document of a `user_data` string as hcl2json printed it:
/// the Terraform interpolations (join list, Salt master) given values.
fn cloud_init(raw: &str) -> Result<serde_yaml::Value, String> {
    let mut s = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find("${jsonencode(var.") {
        let escaped = i > 0 && rest.as_bytes()[i - 1] == b'$';
        let j = rest[i..]
            .find(")}")
            .map(|j| i + j + 2)
            .unwrap_or(rest.len());
        s.push_str(&rest[..i]);
        s.push_str(if escaped {
            &rest[i..j]
        } else {
            "[\"10.0.0.2\"]"
        });
        rest = &rest[j..];
    }
    s.push_str(rest);
    serde_yaml::from_str(&hcl_value(&s)).map_err(|e| e.to_string())
}

fn yaml_json(v: &serde_yaml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

impl Consumers {
    fn read(landed: &[Landed]) -> Consumers {
        let dir = TempDir::new("hostile-fields");
        let (mut hcl, mut sls, mut jenkins) = (Vec::new(), Vec::new(), Vec::new());
        for (k, l) in landed.iter().enumerate() {
            for (path, text) in &l.files {
                let f = file_of(&dir, k, path);
                std::fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
                std::fs::write(&f, text).expect("write");
                if is_hcl(path) {
                    hcl.push(f);
                } else if path.ends_with(".sls") {
                    sls.push(f);
                } else if path.ends_with("Jenkinsfile") {
                    jenkins.push(f);
                }
            }
        }
        let node = tools::tool("node").expect("node runs hcl2json");
        let hcl = if hcl.is_empty() {
            BTreeMap::new()
        } else {
            hcl_batch(&node, &hcl)
        };
        // The agent configs cloud-init writes: HCL inside YAML inside HCL.
        let mut inner = Vec::new();
        for (file, r) in &hcl {
            let Ok(v) = r else { continue };
            let mut strings = Vec::new();
            json_strings(v, "", &mut strings);
            for (n, (p, s)) in strings.iter().enumerate() {
                if !p.ends_with("/user_data") || !s.contains(OPEN) {
                    continue;
                }
                let Ok(doc) = cloud_init(s) else { continue };
                for (m, w) in yaml_json(&doc)["write_files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let (Some(path), Some(content)) = (w["path"].as_str(), w["content"].as_str())
                    else {
                        continue;
                    };
                    if path.ends_with(".hcl") && content.contains(OPEN) {
                        let f = std::path::PathBuf::from(format!("{file}.{n}.{m}.hcl"));
                        std::fs::write(&f, content).expect("write");
                        inner.push(f);
                    }
                }
            }
        }
        let nested = if inner.is_empty() {
            BTreeMap::new()
        } else {
            hcl_batch(&node, &inner)
        };
        let mut salt = BTreeMap::new();
        if !sls.is_empty() {
            let python = crate::support::root().join(".tools/venv/bin/python");
            let list = dir.write(
                "sls.list",
                &sls.iter()
                    .map(|f| f.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            let script = crate::support::root().join("tests/salt_render_batch.py");
            let out = tools::run(
                &python,
                &[&script.to_string_lossy(), &list.to_string_lossy()],
                None,
            );
            assert!(out.ok, "salt_render_batch: {}", out.stderr);
            for l in out.stdout.lines() {
                let v: Value = serde_json::from_str(l).expect("JSON line");
                let file = v["file"].as_str().unwrap_or("").to_string();
                let r = match v.get("data") {
                    Some(d) => Ok(d.clone()),
                    None => Err(v["error"].to_string()),
                };
                salt.insert(file, r);
            }
        }
        let mut groovy = BTreeMap::new();
        if !jenkins.is_empty() {
            let g = tools::tool("groovy").expect("groovy parses the Jenkinsfiles");
            for (f, v) in jenkins
                .iter()
                .zip(crate::support::jenkins::groovy_ast(&g, &jenkins))
            {
                groovy.insert(f.to_string_lossy().into_owned(), v);
            }
        }
        Consumers {
            dir,
            hcl,
            nested,
            salt,
            groovy,
            rig: Rig::new(),
        }
    }

    /// The strings the consumers read from the artifacts of planting `k`.
    fn decoded(&self, k: usize, l: &Landed, problems: &mut Vec<String>) -> Decoded {
        let mut out = Vec::new();
        for (path, text) in &l.files {
            let f = file_of(&self.dir, k, path);
            let key = f.to_string_lossy().into_owned();
            let mut fail = |why: String| {
                problems.push(format!("{} <- {:?}: {path}: {why}", l.what, l.payload))
            };
            if is_hcl(path) {
                match &self.hcl[&key] {
                    Err(e) => fail(format!("HCL parser refused it: {e}")),
                    Ok(v) => self.hcl_strings(path, &key, v, &mut out, &mut fail),
                }
            } else if path.ends_with(".sls") {
                match &self.salt[&key] {
                    Err(e) => fail(format!("Salt's renderer refused it: {e}")),
                    Ok(v) => {
                        let mut strings = Vec::new();
                        json_strings(v, "", &mut strings);
                        for (p, s) in strings {
                            // State IDs and the requisites naming them are
                            // derived identifiers, not the value.
                            if p == " (key)" || REQUISITES.iter().any(|r| p.contains(r)) {
                                continue;
                            }
                            let shell = p.contains("/arg/")
                                || (p.contains("/cmd.run/") && p.ends_with("/name"));
                            if shell && s.contains('\n') {
                                // A script (a verify probe): run by /bin/sh
                                // with recording stand-ins.
                                if s.contains(OPEN) {
                                    script_strings(
                                        &self.rig,
                                        &s,
                                        &format!("{path}{p}"),
                                        &mut out,
                                        &mut fail,
                                    );
                                }
                            } else if shell {
                                for w in shell_words(&s) {
                                    out.push((format!("{path}{p} (sh)"), w));
                                }
                            } else {
                                out.push((format!("{path}{p}"), s));
                            }
                        }
                    }
                }
            } else if path.ends_with("Jenkinsfile") {
                let v = &self.groovy[&key];
                let structure = crate::support::jenkins::check_structure(v);
                if !structure.is_empty() {
                    fail(format!("Groovy: {structure:?}"));
                }
                // Constant strings, and the identifiers of the call tree
                // (an `environment` name is one, not a string).
                json_strings(v, &format!("{path} (groovy)"), &mut out);
            } else if path.ends_with(".zone") {
                self.zone(&f, path, &mut out, &mut fail);
            } else if path.ends_with("caddy.json") {
                match serde_json::from_str::<Value>(text) {
                    Ok(v) => out.extend(
                        caddy_strings(&v)
                            .into_iter()
                            .map(|(p, s)| (format!("{path}{p}"), s)),
                    ),
                    Err(e) => fail(format!("not JSON: {e}")),
                }
            } else if path.ends_with(".json") {
                match serde_json::from_str::<Value>(text) {
                    Ok(v) => json_strings(&v, path, &mut out),
                    Err(e) => fail(format!("not JSON: {e}")),
                }
            } else {
                fail("no consumer in this test reads this artifact".to_string());
            }
        }
        out
    }

    fn hcl_strings(
        &self,
        path: &str,
        key: &str,
        v: &Value,
        out: &mut Decoded,
        fail: &mut dyn FnMut(String),
    ) {
        let mut strings = Vec::new();
        json_strings(v, "", &mut strings);
        for (n, (p, s)) in strings.into_iter().enumerate() {
            let at = format!("{path}{p}");
            if derived_identifier(&p, &s) {
                continue;
            }
            if p.ends_with("/user_data") {
                let doc = match cloud_init(&s) {
                    Ok(d) => yaml_json(&d),
                    Err(e) => {
                        if s.contains(OPEN) {
                            fail(format!("cloud-init YAML: {e}"));
                        }
                        continue;
                    }
                };
                for (m, w) in doc["write_files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let inner = format!("{key}.{n}.{m}.hcl");
                    match self.nested.get(&inner) {
                        Some(Ok(j)) => {
                            let mut st = Vec::new();
                            json_strings(j, "", &mut st);
                            out.extend(
                                st.into_iter().map(|(q, s)| {
                                    (format!("{at}/write_files/{m}{q}"), hcl_value(&s))
                                }),
                            );
                        }
                        Some(Err(e)) => fail(format!("agent config in cloud-init: {e}")),
                        None => out.push((
                            format!("{at}/write_files/{m}"),
                            w["content"].as_str().unwrap_or("").to_string(),
                        )),
                    }
                }
                for (m, c) in doc["runcmd"].as_array().into_iter().flatten().enumerate() {
                    for w in shell_words(c.as_str().unwrap_or("")) {
                        out.push((format!("{at}/runcmd/{m} (sh)"), w));
                    }
                }
                let mut rest = doc.clone();
                if let Some(o) = rest.as_object_mut() {
                    o.remove("write_files");
                    o.remove("runcmd");
                }
                json_strings(&rest, &at, out);
            } else if p.contains("/template/") && p.ends_with("/data") {
                for t in go_template_strings(&hcl_value(&s)) {
                    out.push((format!("{at} (consul-template)"), t));
                }
            } else if p.contains("/hcloud_zone_rrset/") && p.contains("/records/") {
                // Record data in zone-file presentation format (TXT quoted).
                out.push((format!("{at} (rdata)"), zone_rdata(&hcl_value(&s))));
            } else {
                out.push((at, hcl_value(&s)));
            }
        }
    }

    fn zone(
        &self,
        f: &std::path::Path,
        path: &str,
        out: &mut Decoded,
        fail: &mut dyn FnMut(String),
    ) {
        let Some(compile) = tools::tool("named-compilezone") else {
            return;
        };
        let origin = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .trim_end_matches(".zone")
            .to_string();
        let r = tools::run(
            &compile,
            &["-q", "-o", "-", &origin, &f.to_string_lossy()],
            None,
        );
        if !r.ok {
            fail(format!("named-compilezone: {}{}", r.stdout, r.stderr));
            return;
        }
        for line in r.stdout.lines().filter(|l| l.contains(OPEN)) {
            let rdata: String = line
                .split_whitespace()
                .skip(4)
                .collect::<Vec<_>>()
                .join(" ");
            out.push((format!("{path} (named-compilezone)"), zone_rdata(&rdata)));
        }
    }
}

/// The sample for a live Caddy 2.11 on 127.0.0.1: the payloads Caddy's
/// replacer could act on, planted in the response body and the redirect
/// target, must come back on the wire byte for byte (the JSON model above
/// says what Caddy should do; this is Caddy doing it).
#[test]
fn live_caddy_serves_planted_body_and_redirect_literally() {
    use crate::support::caddy::net::get;
    let Some(caddy) = crate::support::caddy::tool("caddy") else {
        return;
    };
    let slots = slots();
    let sample = [
        "caddy-env",
        "caddy-header",
        "backslash",
        "go-template",
        "double-quote",
        "4KiB",
    ];
    let mut bad = Vec::new();
    let mut served = 0;
    for (slot, spec_host) in [
        ("route|body|Value", "hello.example.com"),
        ("route|redirect|Value", "old.example.com"),
    ] {
        let i = slots.iter().position(|s| s.id == slot).expect("slot");
        for (name, p) in payloads()
            .iter()
            .filter(|(n, _)| sample.contains(&n.as_str()))
        {
            let value = format!("{}{OPEN}{p}{CLOSE}", slots[i].valid);
            let (text, _) = render(&slots, Some((i, &value)));
            let c = check(&text);
            if c.has_errors() {
                continue;
            }
            let arts = artifacts(&c);
            let json = &arts
                .iter()
                .find(|(p, _)| p.ends_with("caddy/caddy.json"))
                .expect("caddy.json")
                .1;
            let mut config: Value = serde_json::from_str(json).expect("JSON");
            // The base spec's rate limit is a plugin this Caddy lacks (its
            // shape is checked on the way out).
            crate::caddy_proxy_options::strip_rate_limits(&mut config);
            let host = served_host(&config, spec_host);
            let srv =
                crate::support::caddy::run::start(&caddy, &config, &|_| Some("127.0.0.1:9".into()));
            let r = get(srv.addr, &host, "/", &[]);
            let got = if slot.contains("body") {
                r.text()
            } else {
                r.header("Location").unwrap_or("<no Location>").to_string()
            };
            served += 1;
            if got != value {
                bad.push(format!(
                    "{slot} ({name}): Caddy sent {got:?}, want {value:?}\n{}",
                    srv.log()
                ));
            }
        }
    }
    println!("live caddy: {served} planted values served");
    assert!(
        served >= sample.len(),
        "too few plantings reached Caddy: {served}"
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The host Caddy matches for the spec's route `spec_host`: the
/// environment's `host_suffix` (base.hcl's production has one) renames
/// its first label (`hello.example.com` -> `hello-live.example.com`), so
/// the name is read from the compiled config, not assumed.
fn served_host(config: &Value, spec_host: &str) -> String {
    let (first, rest) = spec_host.split_once('.').expect("a dotted host");
    let mut strings = Vec::new();
    json_strings(config, "", &mut strings);
    let hosts: BTreeSet<String> = strings
        .into_iter()
        .filter(|(p, h)| {
            p.contains("/match/")
                && p.contains("/host/")
                && h.starts_with(first)
                && h.ends_with(&format!(".{rest}"))
                && h.split('.').count() == spec_host.split('.').count()
        })
        .map(|(_, h)| h)
        .collect();
    assert_eq!(
        hosts.len(),
        1,
        "one Caddy host for route {spec_host}: {hosts:?}"
    );
    hosts.into_iter().next().expect("one host")
}

/// The binary agrees with the library on a sample: a refused planting
/// exits 1 with the error on the planted text (JSON output, byte offsets
/// of the spec), an accepted one compiles and the file on disk holds what
/// the library emitted.
#[test]
fn the_binary_agrees_on_a_sample() {
    let slots = slots();
    let payloads = payloads();
    let pick = |id: &str, payload: &str| {
        let i = slots.iter().position(|s| s.id == id).expect("slot");
        let p = &payloads
            .iter()
            .find(|(n, _)| n == payload)
            .expect("payload")
            .1;
        render(
            &slots,
            Some((i, &format!("{}{OPEN}{p}{CLOSE}", slots[i].valid))),
        )
    };
    let dir = TempDir::new("hostile-binary");
    // The template sources of base.hcl, as `check` has them.
    dir.write("templates/site.tpl", "a [[ .Port ]]\n");
    dir.write("templates/worker.tpl", "b <% .Port %>\n");
    for (id, payload) in [
        ("app.task|env|Key", "newline"),
        ("route.log|file|Value", "caddy-env"),
    ] {
        let (text, range) = pick(id, payload);
        dir.write("hecate.hcl", &text);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_eosc"))
            .args(["check", "--format", "json", "hecate.hcl"])
            .current_dir(dir.path())
            .output()
            .expect("eosc runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{id} ({payload}) must be refused"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let on_it = stdout.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).any(|d| {
            let (s, e) = (d.pointer("/span/0").and_then(Value::as_u64), d.pointer("/span/1").and_then(Value::as_u64));
            d["severity"] == "error"
                && matches!((s, e), (Some(s), Some(e)) if (s as usize) < range.end && (e as usize) > range.start)
        });
        assert!(
            on_it,
            "{id} ({payload}): no error on the planted text in {stdout}"
        );
    }
    let (text, _) = pick("route|body|Value", "caddy-header");
    dir.write("hecate.hcl", &text);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eosc"))
        .args(["compile", "hecate.hcl", "-o", "out"])
        .current_dir(dir.path())
        .output()
        .expect("eosc runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.path().join("out/production/caddy/caddy.json"))
        .expect("caddy.json");
    let lib = artifacts(&check(&text))
        .into_iter()
        .find(|(p, _)| p == "production/caddy/caddy.json")
        .expect("caddy.json")
        .1;
    assert_eq!(written, lib, "the binary writes what the library emits");
    assert!(
        written.contains("\\\\{http.request.header.Authorization\\\\}"),
        "escaped for the replacer"
    );
}

/// The script consumer can fail: the stand-ins see what the shell did to a
/// badly quoted value (an expanded `$(id)`, a split word), and a URL the
/// emitter did not encode, or encoded wrongly, is refused or decodes to
/// other text than the planted value.
#[test]
fn the_script_consumer_sees_bad_quoting_and_bad_encoding() {
    let rig = Rig::new();
    let calls = rig
        .run("v=\"a$(id)b c\"\nn=x t=$v awk 1 f\ngrep -qF -e $v f\ncurl -sS 'https://h.example.com/a%2'")
        .expect("the script runs");
    let awk = calls.iter().find(|c| c.program == "awk").expect("awk ran");
    // `id` is no stand-in: the substitution ran and printed nothing.
    let env: BTreeMap<_, _> = awk.env.iter().cloned().collect();
    assert_eq!(
        env,
        BTreeMap::from([("n".into(), "x".into()), ("t".into(), "ab c".into())])
    );
    let grep = calls
        .iter()
        .find(|c| c.program == "grep")
        .expect("grep ran");
    assert_eq!(grep.args, ["-qF", "-e", "ab", "c", "f"], "unquoted: split");
    let curl = calls
        .iter()
        .find(|c| c.program == "curl")
        .expect("curl ran");
    assert!(
        shell_stand_ins::url_as_served(&curl.args[1]).is_err(),
        "a cut %XX"
    );
    for bad in [
        "https://h.example.com/a b",
        "https://h.example.com/a{b}",
        "https://h.example.com/a#b",
        "https://h.example.com/a?b",
        "https://h.example.com/a/../b",
        "https://h.example.com/%ff",
    ] {
        assert!(
            shell_stand_ins::url_as_served(bad).is_err(),
            "{bad} accepted"
        );
    }
    assert_eq!(
        shell_stand_ins::url_as_served("https://h.example.com/a%27b$(id)%25").as_deref(),
        Ok("https://h.example.com/a'b$(id)%")
    );
    // An unencoded `%41` would read back as `A`, not the planted `%41`.
    assert_eq!(
        shell_stand_ins::url_as_served("https://h.example.com/%41").as_deref(),
        Ok("https://h.example.com/A")
    );
}
