//! `eosc fmt`: rewrite spec files in the canonical layout, or with
//! `--check` list the ones that are not.

use eosc::diagnostics;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// `eosc fmt`: a file that does not parse is reported and left alone (exit
/// 1), as is, with `check`, one that is not formatted; an unreadable or
/// unwritable file is exit 2. Every file is tried either way.
pub fn run(files: &[PathBuf], check: bool) -> u8 {
    let mut status = 0;
    for file in files {
        let text = match std::fs::read(file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(e)) => {
                eprintln!(
                    "error: {} is not UTF-8 (invalid byte at offset {})",
                    file.display(),
                    e.utf8_error().valid_up_to()
                );
                status = 2;
                continue;
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", file.display());
                status = 2;
                continue;
            }
        };
        let mut sources = eosc::source::SourceMap::new();
        let id = sources.add(file.display().to_string(), text.as_str());
        match eosc::syntax::format_source(id, &text) {
            Err(diags) => {
                let rendered =
                    diagnostics::render_human(&diags, &sources, std::io::stderr().is_terminal());
                let _ = std::io::stderr().lock().write_all(rendered.as_bytes());
                status = status.max(1);
            }
            Ok(formatted) if formatted == text => {}
            Ok(_) if check => {
                println!("{}", file.display());
                status = status.max(1);
            }
            Ok(formatted) => match replace_file(file, &formatted) {
                Ok(()) => println!("{}", file.display()),
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", file.display());
                    status = 2;
                }
            },
        }
    }
    status
}

/// Replaces a file's contents by renaming a sibling temporary file over it,
/// so a reader sees the old or the new text, never half of it. The target
/// is the symlink's destination (the link stays a link) and keeps its mode.
pub fn replace_file(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.eosc-fmt-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        std::fs::set_permissions(&tmp, std::fs::metadata(&target)?.permissions())?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
