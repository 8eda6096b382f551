//! `eosc init`: a commented starter spec that checks clean.

use super::{display_path, OK, USAGE};
use std::io::Write;
use std::path::PathBuf;

/// The starter spec: every block kind a small deployment needs, commented.
/// A test checks that it has no diagnostic at all.
pub const STARTER: &str = include_str!("starter.hcl");

#[derive(clap::Args)]
pub struct Args {
    /// Where to write hecate.hcl (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(a: &Args) -> u8 {
    let path = a.dir.join("hecate.hcl");
    let shown = display_path(&path);
    if let Err(e) = std::fs::create_dir_all(&a.dir) {
        eprintln!("error: cannot create {}: {e}", a.dir.display());
        return USAGE;
    }
    // create_new: never overwrite a spec, even one that appears meanwhile.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {shown} already exists; not overwriting it");
            return USAGE;
        }
        Err(e) => {
            eprintln!("error: cannot create {shown}: {e}");
            return USAGE;
        }
    };
    if let Err(e) = file.write_all(STARTER.as_bytes()) {
        eprintln!("error: cannot write {shown}: {e}");
        return USAGE;
    }
    if !super::quiet() {
        eprintln!("wrote {shown}; next: eosc check {shown} && eosc compile {shown}");
    }
    OK
}
