//! A multi-line shell script (a Salt `cmd.run` whose `arg` is a script:
//! the verify probes) run for real by `/bin/sh`, with PATH holding only
//! recording stand-ins for the programs it calls. Each stand-in writes its
//! name, its argv and the environment the script gave it, then answers so
//! the script's loop ends at once: `curl` prints the status the script
//! waits for, `grep` and `awk` succeed, `mktemp` names a fresh file,
//! `date` counts up (a deadline passes), everything else exits 0. What the
//! stand-ins recorded is what the script's values reached, after every
//! quoting and expansion the shell did.

use super::tools::TempDir;
use std::path::PathBuf;

/// One program the script ran: its name, argv (without the name) and the
/// variables it got beyond the rig's own (`n=…`, `t=…`).
#[derive(Debug)]
pub struct Call {
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

/// The stand-in every program name links to.
const STAND_IN: &str = r#"#!/bin/sh
me=${0##*/}
{ printf '%s\0' "$me" "$#" "$@"; /usr/bin/env -0; printf '\0'; } >> "$EOSC_RECORD"
case $me in
  curl) printf '%s' "$EOSC_STATUS" ;;
  mktemp) f="$EOSC_TMP/mktemp.$$"; : > "$f"; printf '%s\n' "$f" ;;
  date) n=$(( $(cat "$EOSC_TMP/date" 2>/dev/null || echo 0) + 100000 )); echo "$n" > "$EOSC_TMP/date"; echo "$n" ;;
esac
exit 0
"#;

/// The programs the emitted scripts call (src/emit/shell.rs); a program
/// missing here is "not found" and shows up as a failed script.
const PROGRAMS: &[&str] = &[
    "curl", "grep", "awk", "mktemp", "sleep", "rm", "cat", "date", "nomad", "consul", "vault",
    "mkdir", "mv", "head",
];

/// Variables of the rig itself, not of the script.
const RIG: &[&str] = &[
    "EOSC_RECORD",
    "EOSC_STATUS",
    "EOSC_TMP",
    "PATH",
    "PWD",
    "OLDPWD",
    "SHLVL",
    "_",
];

pub struct Rig {
    dir: TempDir,
    bin: PathBuf,
    runs: std::cell::Cell<usize>,
}

impl Rig {
    pub fn new() -> Rig {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new("shell-stand-ins");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("mkdir bin");
        let stand_in = dir.write("stand-in", STAND_IN);
        std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        for p in PROGRAMS {
            std::os::unix::fs::symlink(&stand_in, bin.join(p)).expect("link stand-in");
        }
        Rig {
            dir,
            bin,
            runs: std::cell::Cell::new(0),
        }
    }

    /// Run `script` under `/bin/sh -c` (environment cleared, 20 s at most)
    /// and return the calls it made, or why it did not end cleanly.
    pub fn run(&self, script: &str) -> Result<Vec<Call>, String> {
        let n = self.runs.get();
        self.runs.set(n + 1);
        let tmp = self.dir.path().join(format!("run{n}"));
        std::fs::create_dir_all(&tmp).expect("mkdir run");
        let record = tmp.join("record");
        let out = std::process::Command::new("/usr/bin/timeout")
            .args(["20", "/bin/sh", "-c", script])
            .env_clear()
            .env("PATH", &self.bin)
            .env("EOSC_RECORD", &record)
            .env("EOSC_STATUS", expected_status(script))
            .env("EOSC_TMP", &tmp)
            .current_dir(&tmp)
            .output()
            .expect("run /bin/sh");
        if out.status.code() == Some(124) {
            return Err("the script did not end within 20 s".into());
        }
        if !out.status.success() {
            return Err(format!(
                "the script failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        parse(&std::fs::read(&record).unwrap_or_default())
    }
}

/// The status the script waits for (`[ "$code" = 301 ]`), 200 without one:
/// the stand-in `curl` answers it so the checks after it run.
fn expected_status(script: &str) -> String {
    script
        .split_once("\"$code\" = ")
        .map(|(_, r)| r.chars().take_while(char::is_ascii_digit).collect())
        .filter(|s: &String| !s.is_empty())
        .unwrap_or_else(|| "200".into())
}

/// Records: name NUL argc NUL args… NUL, `env -0` entries, an empty field.
fn parse(bytes: &[u8]) -> Result<Vec<Call>, String> {
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| format!("record: {e}"))?;
    let mut fields = text.split('\0');
    let mut calls = Vec::new();
    while let Some(program) = fields.next() {
        if program.is_empty() {
            break;
        }
        let argc: usize = fields
            .next()
            .and_then(|c| c.parse().ok())
            .ok_or("record: no argc")?;
        let args: Vec<String> = (0..argc)
            .map(|_| {
                fields
                    .next()
                    .map(str::to_string)
                    .ok_or("record: short argv")
            })
            .collect::<Result<_, _>>()?;
        let mut env = Vec::new();
        for e in fields.by_ref() {
            if e.is_empty() {
                break;
            }
            let (k, v) = e.split_once('=').ok_or("record: env entry without `=`")?;
            if !RIG.contains(&k) {
                env.push((k.to_string(), v.to_string()));
            }
        }
        calls.push(Call {
            program: program.to_string(),
            args,
            env,
        });
    }
    Ok(calls)
}

/// A URL `curl` was given, as the server reads it: checked against RFC
/// 3986 (a path of unreserved characters, sub-delimiters, `:`, `@`, `/`
/// and `%XX`; no query, fragment, or the `{}[]` curl would glob; no dot
/// segment curl would remove) and its path percent-decoded. A value the
/// emitter did not encode, or encoded wrongly, is refused or decodes to
/// other text.
pub fn url_as_served(url: &str) -> Result<String, String> {
    let (scheme, rest) = url.split_once("://").ok_or("no `scheme://`")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !authority
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':'))
    {
        return Err(format!("{authority:?} is not a host[:port]"));
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err("a dot segment curl removes".into());
    }
    let mut bytes = Vec::new();
    let p = path.as_bytes();
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        if c == b'%' {
            let hex = path
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or("`%` without two hex digits")?;
            bytes.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else if c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&c) {
            bytes.push(c);
            i += 1;
        } else {
            return Err(format!(
                "{:?} is not allowed unencoded in a URL path",
                c as char
            ));
        }
    }
    let path = String::from_utf8(bytes).map_err(|_| "the path decodes to no UTF-8")?;
    Ok(format!("{scheme}://{authority}{path}"))
}
