//! Finding and running the real tools (hcl2json, hclfmt, terraform,
//! caddy, salt-call, groovy, ...), temp dirs and processes killed on drop.
//! A missing tool skips the test loudly, or fails it when CI=true.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The tool on PATH, or None after saying so (panics under CI=true).
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let msg = format!("{name} not found on PATH: run scripts/install-test-tools.sh and add .tools/bin to PATH");
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
    }
    found
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
