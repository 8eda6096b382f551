//! Hostile text through the whole pipeline: one spec whose values (and the
//! names the language leaves free: label keys, firewall rule
//! names, the root file's name) hold template markers of every target,
//! quotes, backslashes, line breaks and YAML specials. It must check, and
//! every value must come back exactly as written when the artifact is read
//! by the program that consumes it: HashiCorp's HCL parser (Nomad,
//! Terraform), Salt rendering the pillar, Groovy parsing the Jenkinsfile, a
//! real Caddy answering a request. Values a target cannot carry are
//! rejected by the checker instead (`unrepresentable_values_are_rejected`).

use crate::support;
use crate::support::tools;

use eosc::emit::Artifact;
use eosc::Model;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Each a classic injection into at least one target.
const PAYLOADS: &[&str] = &[
    "${a}",
    "$${b}",
    "%{c}",
    "%%{d}",
    "{{ e }}",
    "{% f %}",
    "{# g #}",
    "@h",
    "*i",
    "&j",
    "- k",
    "# l",
    ": m",
    "n: o #p",
    "!q",
    "|r",
    ">s",
    "?t",
    "[u]",
    "{v: w}",
    "'x'",
    "\"y\"",
    "`z`",
    "\\",
    "\\\\n",
    "''' 3 '''",
    "\"\"\" 4 \"\"\"",
    "${System.exit(1)}",
    "$x",
    "$$",
    "a$",
    "a%",
    "$",
    "%",
    "{",
    "}",
    "${",
    "%{",
    "\\${a}",
    "line\nbreak",
    "cr\r\nlf",
    "tab\there",
    "\ttab first",
    "{\"json\": \"\\u0041\\n\\\"\", \"k\": [1]}",
    "null",
    "true",
    "~",
    "0x1F",
    "1e3",
    "0777",
    "yes",
    "on",
    "é ✓ \u{2028} \u{2029} \u{85} \u{feff}",
    "{http.request.uri} {env.HOME} {path}",
    "\\{escaped\\}",
    "$(id) `id`; id",
    "%s %n",
    "<script>",
    " lead",
    "trail ",
    "",
];

/// The root file's name: it is written into the header comment of every
/// artifact, so it must not end that comment. (No `/` or `\\`: those
/// separate directories in a root path.)
const ROOT: &str = "hecate\nb: c ${a} '\u{2028}\"q\" %{x} \u{85}.hcl";

/// A header name made of every special character an HTTP token allows.
const TOKEN_HEADER: &str = "X-!#$%&'*+.^_`|~";

fn nasty() -> String {
    PAYLOADS.concat()
}

/// Fits an HTTP field value: HTTP drops whitespace around a value and has
/// no way to carry control characters (the checker rejects both).
fn http_value(p: &str) -> bool {
    !p.is_empty() && p.trim() == p && !p.chars().any(|c| c.is_control() && c != '\t')
}

fn group_name(p: &str) -> bool {
    !p.is_empty() && !p.chars().any(char::is_control)
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
            '$' if chars.peek() == Some(&'{') => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

fn spec() -> String {
    let n = lit(&nasty());
    let all = || PAYLOADS.iter().map(|p| lit(p));
    let mut s = String::new();
    s += &format!(
        "project \"inj\" {{\n  datacenters = [{n}]\n  region = {n}\n  registry = {n}\n}}\n"
    );
    for (i, p) in PAYLOADS.iter().enumerate() {
        s += &format!(
            "variable \"v{i}\" {{\n  type = string\n  default = {}\n}}\n",
            lit(p)
        );
    }
    s += "environment \"production\" {}\n";
    // Server type, location, image and labels are Hetzner vocabulary: a
    // hostile value there is refused at check time
    // (`hostile_server_values_are_refused`), so these carry valid ones.
    s += "server \"web\" {\n  type = \"cx22\"\n  location = \"nbg1\"\n  image = \"ubuntu-24.04\"\n  firewall = [firewall.fw]\n  labels = { role = \"web\" }\n}\n";
    s += "firewall \"fw\" {\n";
    for p in PAYLOADS.iter().filter(|p| !p.is_empty()) {
        s += &format!(
            "  rule {} {{ protocol = \"icmp\", from = [\"10.0.0.0/8\"] }}\n",
            lit(p)
        );
    }
    s += "}\n";
    let env: String = PAYLOADS
        .iter()
        .enumerate()
        .map(|(i, p)| format!("    V{i} = {}\n", lit(p)))
        .collect();
    s += &format!(
        "app \"inj\" {{\n  image = \"nginx:1.27\"\n  runs_on = server.web\n  command = {n}\n  args = {}\n  env = {{\n{env}  }}\n  port \"http\" {{ to = 80 }}\n  health \"script\" {{ command = {n}, args = {} }}\n  volume \"v\" {{ host = {n}, path = \"/data\" }}\n}}\n",
        list(all()),
        list(all()),
    );
    let headers: String = PAYLOADS
        .iter()
        .enumerate()
        .filter(|(_, p)| http_value(p))
        .map(|(i, p)| format!("    X-Inj-{i} = {}\n", lit(p)))
        .collect();
    s += &format!(
        "middleware \"inj\" {{\n  headers = {{\n{headers}    {} = \"token name\"\n  }}\n}}\n",
        lit(TOKEN_HEADER)
    );
    s += &format!(
        "middleware \"blk\" {{\n  block \"ua\" {{\n    user_agents = {}\n    respond = 418\n  }}\n}}\n",
        list(PAYLOADS.iter().filter(|p| http_value(p)).map(|p| lit(p)))
    );
    s += &format!(
        "auth \"a\" {{\n  provider = \"authentik\"\n  outpost = app.inj\n  groups = {}\n}}\n",
        list(PAYLOADS.iter().filter(|p| group_name(p)).map(|p| lit(p)))
    );
    s += &format!(
        "route \"inj.example.com\" {{\n  respond = 200\n  body = {n}\n  middleware = [middleware.inj, middleware.blk]\n}}\n"
    );
    s += "import \"std/security\"\n";
    s += "route \"p.example.com\" {\n  to = app.inj\n  auth = auth.a\n  middleware = [middleware.security]\n}\n";
    s += "dns \"example.com\" {\n  record \"@\" { type = \"A\", value = server.web.ipv4 }\n  record \"inj\" { type = \"CNAME\", value = \"example.com.\" }\n  record \"p\" { type = \"CNAME\", value = \"example.com.\" }\n}\n";
    let credentials: String = PAYLOADS
        .iter()
        .enumerate()
        .filter(|(_, p)| group_name(p))
        .map(|(i, p)| format!("    C{i} = {}\n", lit(p)))
        .collect();
    s += &format!(
        "pipeline \"deploy\" {{\n  agent = {n}\n  branch = {n}\n  notify = {n}\n  credentials = {{\n{credentials}  }}\n}}\n"
    );
    s
}

struct Compiled {
    model: Model,
    env: Vec<Artifact>,
    jenkins: Vec<Artifact>,
    dir: tools::TempDir,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let loader = eosc::MemLoader::new([(ROOT.to_string(), spec())]);
        let checked = eosc::check(ROOT, &loader).expect("in memory");
        let errors: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "the hostile spec must check: {errors:#?}"
        );
        let trees = eosc::compile(&checked.models);
        let dir = tools::TempDir::new("injection");
        for (tree, arts) in &trees {
            for a in arts {
                dir.write(&format!("{tree}/{}", a.path), &a.contents);
            }
        }
        let take = |name: &str| {
            trees
                .iter()
                .find(|(t, _)| t == name)
                .map(|(_, a)| a.clone())
                .unwrap_or_else(|| panic!("no {name} tree"))
        };
        Compiled {
            model: checked.models[0].clone(),
            env: take("production"),
            jenkins: take("jenkins"),
            dir,
        }
    })
}

fn hcl(rel: &str) -> Option<Value> {
    let bin = tools::tool("hcl2json")?;
    let file = compiled().dir.0.join("production").join(rel);
    Some(decode(
        tools::hcl2json(&bin, &file).unwrap_or_else(|e| panic!("{e}")),
    ))
}

/// hcl2json prints HCL's JSON syntax, where strings (and keys) are still
/// templates: undo its `$${`/`%%{` to get the value HCL decoded.
fn decode(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(tools::unescape_markers(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(decode).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (tools::unescape_markers(&k), decode(v)))
                .collect(),
        ),
        v => v,
    }
}

fn at<'a>(v: &'a Value, pointer: &str) -> &'a Value {
    v.pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer} in {v}"))
}

fn payloads_json(filter: impl Fn(&str) -> bool) -> Value {
    PAYLOADS
        .iter()
        .filter(|p| filter(p))
        .map(|p| Value::from(*p))
        .collect()
}

/// Every mismatch at once, so one run shows every escaping bug.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    fn eq(&mut self, what: &str, got: &Value, want: &Value) {
        if got != want {
            self.0.push(format!("{what}:\n   got {got}\n  want {want}"));
        }
    }
    fn done(self) {
        assert!(
            self.0.is_empty(),
            "{} mismatches:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

fn nasty_json() -> Value {
    Value::from(nasty())
}

#[test]
fn nomad_job_reads_back_every_value() {
    let Some(job) = hcl("nomad/inj.nomad.hcl") else {
        return;
    };
    let job = at(&job, "/job/inj/0");
    let group = at(job, "/group/inj/0");
    let task = at(group, "/task/inj/0");
    let mut m = Mismatches::default();
    m.eq(
        "datacenters",
        at(job, "/datacenters"),
        &Value::from(vec![nasty()]),
    );
    m.eq("region", at(job, "/region"), &nasty_json());
    m.eq("command", at(task, "/config/0/command"), &nasty_json());
    m.eq("args", at(task, "/config/0/args"), &payloads_json(|_| true));
    let mut env = serde_json::Map::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        env.insert(format!("V{i}"), Value::from(*p));
    }
    // `env { … }` (a block: hcl2json's list of one) or `env = { … }`.
    let got_env = task
        .pointer("/env/0")
        .or_else(|| task.pointer("/env"))
        .cloned()
        .unwrap_or_default();
    m.eq("env", &got_env, &Value::Object(env));
    m.eq(
        "check command",
        at(group, "/service/0/check/0/command"),
        &nasty_json(),
    );
    m.eq(
        "check args",
        at(group, "/service/0/check/0/args"),
        &payloads_json(|_| true),
    );
    m.eq(
        "volume source",
        at(group, "/volume/v/0/source"),
        &nasty_json(),
    );
    m.done();
}

#[test]
fn terraform_reads_back_every_value() {
    let (Some(servers), Some(firewalls), Some(auth), Some(main)) = (
        hcl("terraform/servers.tf"),
        hcl("terraform/firewalls.tf"),
        hcl("terraform-auth/auth.tf"),
        hcl("terraform/main.tf"),
    ) else {
        return;
    };
    let mut m = Mismatches::default();
    let server = at(&servers, "/resource/hcloud_server/web/0");
    for (attr, want) in [
        ("server_type", "cx22"),
        ("location", "nbg1"),
        ("image", "ubuntu-24.04"),
    ] {
        m.eq(attr, at(server, &format!("/{attr}")), &Value::from(want));
    }
    m.eq(
        "label role",
        &at(server, "/labels")["role"],
        &Value::from("web"),
    );
    let rules: BTreeSet<String> = firewalls["resource"]["hcloud_firewall"]
        .as_object()
        .into_iter()
        .flat_map(|o| o.values())
        .flat_map(|f| f[0]["rule"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["description"].as_str().map(str::to_string))
        .collect();
    let want: BTreeSet<String> = PAYLOADS
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.to_string())
        .collect();
    m.eq(
        "firewall rule descriptions",
        &serde_json::to_value(&rules).expect("json"),
        &serde_json::to_value(&want).expect("json"),
    );
    let groups: BTreeSet<String> = auth["resource"]["authentik_group"]
        .as_object()
        .into_iter()
        .flat_map(|o| o.values())
        .filter_map(|g| g[0]["name"].as_str().map(str::to_string))
        .collect();
    let want: BTreeSet<String> = PAYLOADS
        .iter()
        .filter(|p| group_name(p))
        .map(|p| p.to_string())
        .collect();
    m.eq(
        "authentik group names",
        &serde_json::to_value(&groups).expect("json"),
        &serde_json::to_value(&want).expect("json"),
    );
    // The region reaches Nomad through the jobs (nomad_job_reads_back_
    // every_value); Terraform has no nomad provider since Salt owns the jobs.
    assert!(main["provider"].get("nomad").is_none(), "{main}");
    m.done();
}

#[test]
fn salt_pillar_renders_every_value_literally() {
    let c = compiled();
    let Some(tree) = support::salt::real::SaltTree::new(&c.model, &c.env) else {
        return;
    };
    let r = tree.call(&["pillar.items", "pillarenv=production", "unmask=True"]);
    assert!(r.ok, "{}{}", r.stdout, r.stderr);
    let hecate = &r.json["local"]["hecate"];
    let mut m = Mismatches::default();
    let top: Vec<&String> = r.json["local"]
        .as_object()
        .expect("pillar")
        .keys()
        .collect();
    m.eq(
        "pillar top-level keys",
        &serde_json::to_value(&top).expect("json"),
        &serde_json::json!(["hecate"]),
    );
    for (i, p) in PAYLOADS.iter().enumerate() {
        m.eq(
            &format!("var v{i}"),
            &hecate["vars"][format!("v{i}")],
            &Value::from(*p),
        );
    }
    m.eq(
        "project.region",
        &hecate["project"]["region"],
        &nasty_json(),
    );
    m.eq(
        "project.registry",
        &hecate["project"]["registry"],
        &nasty_json(),
    );
    m.eq(
        "project.datacenters",
        &hecate["project"]["datacenters"],
        &Value::from(vec![nasty()]),
    );
    m.done();
}

/// Every state file still compiles to low data with the hostile spec (a
/// stray quote or an unescaped `{{` would break the render).
#[test]
fn salt_states_render() {
    let c = compiled();
    let Some(tree) = support::salt::real::SaltTree::new(&c.model, &c.env) else {
        return;
    };
    let mut failed = Vec::new();
    for sls in tree.state_files() {
        let r = tree.low_sls(&sls);
        if !r.ok || !r.json["local"].is_array() {
            failed.push(format!("{sls}: {}{}", r.stdout, r.stderr));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn groovy_parses_pipeline_strings_literally() {
    let c = compiled();
    let Some(groovy) = support::salt::tool("groovy") else {
        return;
    };
    let files: Vec<std::path::PathBuf> = c
        .jenkins
        .iter()
        .map(|a| c.dir.0.join("jenkins").join(&a.path))
        .collect();
    let parsed = support::jenkins::groovy_ast(&groovy, &files);
    let p = &parsed[0];
    let problems = support::jenkins::check_structure(p);
    assert!(problems.is_empty(), "{problems:?}");
    let strings: Vec<&str> = p["strings"]
        .as_array()
        .expect("strings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let n = nasty();
    let exact = strings.iter().filter(|s| **s == n).count();
    // agent label, every `when { branch … }`, the notify channel twice.
    assert!(
        exact >= 4,
        "the text came back literally only {exact} times"
    );
    // No string constant is a fragment of the text (a literal cut short by
    // an unescaped quote); check_structure above saw no GString at all.
    for s in &strings {
        assert!(
            *s == n || PAYLOADS.contains(s) || !s.contains("System.exit"),
            "a string carrying part of the text: {s:?}"
        );
    }
    // Credential ids: the argument of every `credentials(…)` call.
    let mut ids = BTreeSet::new();
    calls_named(&p["tree"], "credentials", &mut ids);
    let want: BTreeSet<String> = PAYLOADS
        .iter()
        .filter(|p| group_name(p))
        .map(|p| p.to_string())
        .collect();
    assert_eq!(ids, want, "credential ids as Groovy parsed them");
    // The header comment (with the hostile file name) is still one line.
    let text = &c.jenkins[0].contents;
    assert!(text
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("pipeline {")));
}

/// The first argument of every call to `name` in a parsed pipeline tree.
fn calls_named(v: &Value, name: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            if o.get("name").and_then(Value::as_str) == Some(name) {
                if let Some(a) = v["args"][0].as_str() {
                    out.insert(a.to_string());
                }
            }
            o.values().for_each(|c| calls_named(c, name, out));
        }
        Value::Array(a) => a.iter().for_each(|c| calls_named(c, name, out)),
        _ => {}
    }
}

#[test]
fn caddy_serves_header_body_and_matches_literally() {
    use crate::support::caddy::net::{get, Backend, Role};
    let Some(caddy) = support::caddy::tool("caddy") else {
        return;
    };
    let c = compiled();
    let config: Value = serde_json::from_str(
        &c.env
            .iter()
            .find(|a| a.path == "caddy/caddy.json")
            .expect("caddy.json")
            .contents,
    )
    .expect("JSON");
    let backend = Backend::start("inj", Role::Echo);
    let addr = backend.addr.to_string();
    let srv = support::caddy::run::start(&caddy, &config, &|_| Some(addr.clone()));
    let ctx = || format!("--- caddy log ---\n{}", srv.log());
    let r = get(srv.addr, "inj.example.com", "/", &[]);
    assert_eq!(r.status, 200, "{}", ctx());
    let mut m = Mismatches::default();
    m.eq("body", &Value::from(r.text()), &nasty_json());
    let mut headers = BTreeMap::new();
    for (i, p) in PAYLOADS.iter().enumerate().filter(|(_, p)| http_value(p)) {
        headers.insert(format!("X-Inj-{i}"), *p);
        m.eq(
            &format!("header X-Inj-{i}"),
            &Value::from(r.header(&format!("X-Inj-{i}")).unwrap_or("<missing>")),
            &Value::from(*p),
        );
    }
    m.eq(
        "header with token specials in its name",
        &Value::from(r.header(TOKEN_HEADER).unwrap_or("<missing>")),
        &Value::from("token name"),
    );
    // Each listed User-Agent is blocked as written, and only as written:
    // neither a glob (`*i`) nor a placeholder nor a regexp.
    for p in PAYLOADS.iter().filter(|p| http_value(p)) {
        let hit = get(srv.addr, "inj.example.com", "/", &[("User-Agent", p)]);
        m.eq(
            &format!("UA {p:?}"),
            &Value::from(hit.status),
            &Value::from(418),
        );
        let near = format!("Z{p}Z");
        let miss = get(srv.addr, "inj.example.com", "/", &[("User-Agent", &near)]);
        m.eq(
            &format!("UA {near:?}"),
            &Value::from(miss.status),
            &Value::from(200),
        );
    }
    if !m.0.is_empty() {
        m.0.push(ctx());
    }
    m.done();
}

/// The header comment of every artifact stays one line, whatever the root
/// file is called: the name cannot end the comment and start code.
#[test]
fn header_comment_holds_any_file_name() {
    let c = compiled();
    for a in c.env.iter().chain(&c.jenkins) {
        if a.path.ends_with(".json") {
            continue;
        }
        let line = a
            .contents
            .lines()
            .find(|l| l.contains("Generated by eosc"))
            .unwrap_or_else(|| panic!("{}: no header", a.path));
        assert!(
            line.contains("(environment") || line.contains("(pipeline"),
            "{}: header broken: {line:?}",
            a.path
        );
        for sep in ['\u{2028}', '\u{2029}', '\u{85}', '\r'] {
            assert!(
                !line.contains(sep),
                "{}: line separator {sep:?} in the header",
                a.path
            );
        }
    }
}

/// What the targets cannot carry is refused by the checker, with a code
/// (one err case per rule lives in tests/cases/err/).
#[test]
fn unrepresentable_values_are_rejected() {
    let cases: &[(&str, &str)] = &[
        ("E0312", "middleware \"m\" { headers = { X-A = \"a\\nb\" } }"),
        ("E0312", "middleware \"m\" { headers = { X-A = \" padded\" } }"),
        ("E0312", "middleware \"m\" { headers = { \"X A\" = \"a\" } }"),
        ("E0312", "middleware \"m\" { block \"b\" { user_agents = [\"a\\nb\"] } }"),
        ("E0312", "middleware \"m\" { block \"b\" { user_agents = [\"padded \"] } }"),
        ("E0312", "app \"a\" {\n image = \"x:1\"\n env = { A = \"\\u0000\" }\n}"),
        ("E0312", "secret \"s\" { vault = \"secret/{{ x }}\" }"),
        ("E0312", "route \"a.example.com\" { redirect = \"https://x/ y\" }"),
        ("E0312", "auth \"a\" {\n provider = \"authentik\"\n outpost = upstream.u\n groups = [\"a\\tb\"]\n}\nupstream \"u\" { targets = [\"10.0.0.1:80\"] }"),
        ("E0312", "pipeline \"p\" { credentials = { A = \"id\\nx\" } }"),
        ("E0319", "app \"a\" {\n type = \"batch\"\n image = \"x:1\"\n schedule = \"0 3 * * * $x\"\n}"),
        ("E0303", "dns \"example.com\" { record \"t\" { type = \"TXT\", value = \"a\\nb\" } }"),
        ("E0317", "app \"a\" {\n image = \"x:1\"\n service = \"a b\"\n}"),
        // An env key becomes `KEY=VALUE` for the container: `=` would set another.
        ("E0324", "app \"a\" {\n image = \"x:1\"\n env = { \"LD_PRELOAD=/x.so\" = \"y\" }\n}"),
    ];
    for (code, body) in cases {
        let text = format!("project \"p\" {{}}\nenvironment \"e\" {{}}\n{body}\n");
        let loader = eosc::MemLoader::new([("hecate.hcl".to_string(), text.clone())]);
        let checked = eosc::check("hecate.hcl", &loader).expect("in memory");
        assert!(
            checked.diagnostics.iter().any(|d| d.code == *code),
            "{code} expected for:\n{text}\ngot {:?}",
            checked
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect::<Vec<_>>()
        );
    }
}

/// The fields that are Hetzner vocabulary (server type, location, image,
/// label keys and values) take no hostile value:
/// each is refused at check time with an error that names what the field
/// must be, so nothing of it reaches servers.tf or the job.
#[test]
fn hostile_server_values_are_refused() {
    let n = lit(&nasty());
    let server = |t: &str, l: &str, i: &str, labels: &str| {
        format!("project \"p\" {{}}\nenvironment \"production\" {{}}\nserver \"web\" {{\n  type = {t}\n  location = {l}\n  image = {i}\n  labels = {{ {labels} }}\n}}\n")
    };
    let ok = ("\"cx22\"", "\"nbg1\"", "\"ubuntu-24.04\"");
    let cases = [
        ("type", server(&n, ok.1, ok.2, ""), "server type"),
        ("location", server(ok.0, &n, ok.2, ""), "location"),
        ("image", server(ok.0, ok.1, &n, ""), "image"),
        (
            "label key",
            server(
                ok.0,
                ok.1,
                ok.2,
                &format!("{} = \"x\"", lit(&format!("L{}", nasty()))),
            ),
            "label key",
        ),
        (
            "label value",
            server(ok.0, ok.1, ok.2, &format!("role = {n}")),
            "label",
        ),
    ];
    for (field, text, words) in cases {
        let loader = eosc::MemLoader::new([(ROOT.to_string(), text)]);
        let checked = eosc::check(ROOT, &loader).expect("in memory");
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.message.contains(words)),
            "{field}: no error naming `{words}`: {:#?}",
            checked
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect::<Vec<_>>()
        );
    }
}
