//! User templates reach Nomad byte for byte: hostile template texts (read
//! from `source` files, so no spec escaping is involved) are compiled, and
//! HashiCorp's HCL parser (hcl2json) must decode each job's `data` to the
//! exact text, whichever form (heredoc or quoted string) the emitter chose.

use crate::support::tools::{hcl2json, tool, unescape_markers, TempDir};
use eosc::MemLoader;
use serde_json::Value;

/// Valid Go templates that are hostile to HCL: interpolation markers,
/// escapes, heredoc-closing lines, whitespace at the ends, CRLF, unicode.
const HOSTILE: &[&str] = &[
    "plain\n",
    "quotes \" and ' and `\nbackslash \\ \\n \\\" end\\\n",
    "hcl ${var} and %{ if } and $${ and %%{ and $$${x}\n",
    "EOT\nEOT1\n  EOT  \nEOH\n<<EOT\n",
    "trailing spaces   \n\ttabs\t\n\n\n",
    "no final newline ${x}",
    "crlf\r\nline\r\n",
    "unicode é ✓ 𝄞 \u{2028} done\n",
    "{{ \"{{\" }} literal braces {{ \"}}\" }} and }} alone\n",
    "{{- /* trimmed comment */ -}}\n{{ with secret \"secret/x/db\" }}{{ .Data.data.value }}{{ end }}\n",
];

fn spec(n: usize) -> String {
    let mut tpl = String::new();
    for i in 0..n {
        tpl.push_str(&format!(
            "    template \"local/t{i}.txt\" {{\n      source = \"t/{i}.tpl\"\n    }}\n"
        ));
    }
    format!(
        r#"project "p" {{
  datacenters = ["dc1"]
}}

environment "production" {{}}

secret "db" {{
  vault = "secret/x/db"
}}

app "web" {{
  health "tcp" {{}}
  port "http" {{ to = 8080 }}
  task "main" {{
    image = "nginx:1.27.3"
{tpl}  }}
}}
"#
    )
}

fn templates(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(d)), Some(Value::String(data))) =
                (m.get("destination"), m.get("data"))
            {
                out.push((d.clone(), data.clone()));
            }
            m.values().for_each(|x| templates(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| templates(x, out)),
        _ => {}
    }
}

#[test]
fn hostile_template_texts_decode_to_themselves() {
    let mut files = vec![("hecate.hcl".to_string(), spec(HOSTILE.len()))];
    for (i, t) in HOSTILE.iter().enumerate() {
        files.push((format!("t/{i}.tpl"), t.to_string()));
    }
    let checked = eosc::check("hecate.hcl", &MemLoader::new(files)).expect("checks");
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    assert!(!checked.has_errors(), "{errors:#?}");
    let trees = eosc::compile(&checked.models);
    let job = trees[0]
        .1
        .iter()
        .find(|a| a.path == "nomad/web.nomad.hcl")
        .expect("the job")
        .contents
        .clone();
    let Some(bin) = tool("hcl2json") else {
        return;
    };
    let dir = TempDir::new("nomad-templates");
    let file = dir.write("web.nomad.hcl", &job);
    let json = hcl2json(&bin, &file).unwrap_or_else(|e| panic!("{e}\n{job}"));
    let mut found = Vec::new();
    templates(&json, &mut found);
    for (i, t) in HOSTILE.iter().enumerate() {
        let dest = format!("local/t{i}.txt");
        let data = found
            .iter()
            .find(|(d, _)| *d == dest)
            .map(|(_, data)| unescape_markers(data))
            .unwrap_or_else(|| panic!("no template {dest} in\n{job}"));
        assert_eq!(data, *t, "template {i} changed on its way to Nomad:\n{job}");
    }
}

/// A `source` file is scanned for secrets like any string of the spec: a
/// private key in it is E0503 and nothing is emitted.
#[test]
fn a_private_key_in_a_source_file_is_refused() {
    let key = [
        "-----BEGIN",
        " PRIVATE KEY-----\nMIIabc\n-----END",
        " PRIVATE KEY-----\n",
    ]
    .concat();
    let files = vec![
        ("hecate.hcl".to_string(), spec(1)),
        ("t/0.tpl".to_string(), format!("cert:\n{key}")),
    ];
    let checked = eosc::check("hecate.hcl", &MemLoader::new(files)).expect("checks");
    let codes: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{:?}", d.code))
        .collect();
    assert_eq!(codes, ["E0503"]);
    assert!(checked.models.is_empty());
}
