//! `eosc fmt`: rewrite spec files in the canonical layout, or with
//! `--check` list the ones that are not.

use eosc::diagnostics;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `eosc fmt`: a file that does not parse is reported and left alone (exit
/// 1), as is, with `check`, one that is not formatted (listed, or with
/// `diff` shown as a unified diff); an unreadable or unwritable file is
/// exit 2. Every file is tried either way. `-` formats standard input to
/// standard output (with `check`: prints nothing, or the diff).
pub fn run(files: &[PathBuf], check: bool, diff: bool) -> u8 {
    let mut status = 0;
    for file in files {
        let stdin = file == Path::new("-");
        let text = if stdin {
            match super::read_stdin() {
                Ok(t) => t,
                Err(code) => {
                    status = code;
                    continue;
                }
            }
        } else {
            match std::fs::read(file).map(String::from_utf8) {
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
            }
        };
        let name = if stdin {
            super::STDIN_NAME.to_string()
        } else {
            super::user_path(file)
        };
        let mut sources = eosc::source::SourceMap::new();
        let id = sources.add(name.clone(), text.as_str());
        let formatted = match eosc::syntax::format_source(id, &text) {
            Ok(f) => f,
            Err(diags) => {
                let rendered = diagnostics::render_human(&diags, &sources, super::stderr_color());
                let _ = std::io::stderr().lock().write_all(rendered.as_bytes());
                status = status.max(1);
                continue;
            }
        };
        let changed = formatted != text;
        let out = match (stdin, check, changed) {
            (_, true, true) if diff => patch(&name, &text, &formatted),
            (false, true, true) => format!("{name}\n"),
            (true, false, _) => formatted,
            (false, false, true) => match replace_file(file, &formatted) {
                Ok(()) => format!("{name}\n"),
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", file.display());
                    status = 2;
                    continue;
                }
            },
            _ => String::new(),
        };
        if check && changed {
            status = status.max(1);
        }
        if super::print(&out) != 0 {
            return 2;
        }
    }
    status
}

/// What formatting changes in one file, in git's format (paths as the user
/// named the file), coloured on a terminal.
fn patch(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = format!(
        "diff --git a/{name} b/{name}\n{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
    );
    if super::stdout_color() {
        eosc::output_tree::drift::colorize(&text)
    } else {
        text
    }
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
