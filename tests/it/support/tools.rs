//! Finding and running the real tools (hcl2json, hclfmt, terraform,
//! caddy, salt-call, groovy, ...), temp dirs and processes killed on drop.
//! A missing tool skips the test loudly, or fails it when CI=true.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The tool: the pinned one in this checkout's `.tools/bin` (what
/// `scripts/test.sh` installs), else the one on PATH if it is recent enough;
/// or None after saying so once per test binary (panics under CI=true).
/// A plain `cargo test` on a machine with only Debian's Caddy 2.6 thus
/// skips with one message instead of failing on features 2.6 lacks.
pub fn tool(name: &str) -> Option<PathBuf> {
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools/bin")
        .join(name);
    if pinned.is_file() {
        return Some(pinned);
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    let problem = match &found {
        None => Some(format!("{name} not found on PATH")),
        Some(p) => too_old(name, p),
    };
    let Some(problem) = problem else {
        return found;
    };
    let msg = format!(
        "{problem}: run `bash scripts/test.sh` (it installs the pinned tools into .tools/bin, which the tests then use)"
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.contains(&msg) {
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
        said.push(msg);
    }
    None
}

/// The oldest version of a tool the tests accept, where an older one is
/// common and lacks what they use: Debian ships Caddy 2.6, the tests are
/// written against the pinned 2.11.
fn too_old(name: &str, path: &Path) -> Option<String> {
    let minimum: (u32, u32) = match name {
        "caddy" => (2, 11),
        _ => return None,
    };
    let out = Command::new(path).arg("version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let version = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches('v');
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let have = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (have < minimum).then(|| {
        format!(
            "{} is {name} {version}, the tests need {name} {}.{} or newer",
            path.display(),
            minimum.0,
            minimum.1
        )
    })
}

/// A tool whose absence only skips one case (openssl for the self-signed
/// HTTPS backend): never panics, even under CI.
pub fn optional_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("!!!!!!!! {name} not found on PATH: the case that needs it is SKIPPED !!!!!!!!");
    }
    found
}

/// A child process killed (and reaped) when dropped, even on panic.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Output {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &Path, args: &[&str], dir: Option<&Path>) -> Output {
    let mut c = Command::new(cmd);
    c.args(args)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1");
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", cmd.display()));
    Output {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh, uniquely named directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "eosc-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Write `contents` at `rel` (creating parent directories).
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&p, contents).expect("write file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `hcl2json FILE` parsed, or the parser's complaint.
pub fn hcl2json(bin: &Path, file: &Path) -> Result<serde_json::Value, String> {
    let out = run(bin, &[&file.to_string_lossy()], None);
    if !out.ok {
        return Err(format!(
            "hcl2json rejected {}: {}{}",
            file.display(),
            out.stderr,
            out.stdout
        ));
    }
    serde_json::from_str(&out.stdout).map_err(|e| format!("hcl2json printed no JSON: {e}"))
}

/// `hclfmt FILE`: hclwrite's formatting of the file.
pub fn hclfmt(bin: &Path, file: &Path) -> String {
    let out = run(bin, &[&file.to_string_lossy()], None);
    assert!(
        out.ok,
        "hclfmt failed on {}: {}",
        file.display(),
        out.stderr
    );
    out.stdout
}

/// The literal value of a string as hcl2json prints it: hcl2json keeps
/// template escapes (`$${`, `%%{`), as Terraform's JSON syntax would.
pub fn unescape_markers(s: &str) -> String {
    s.replace("$${", "\u{0}D")
        .replace("%%{", "\u{0}P")
        .replace("\u{0}D", "${")
        .replace("\u{0}P", "%{")
}
