//! The project's Caddy-wide settings: the global `log` (Caddy's default
//! log to a file, a Caddyfile's global `log` option) and the certificate
//! `storage`.

use super::eval::{check_shape, Cx};
use super::model::GlobalLog;
use super::schema::project as rows;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::ast::Block;

/// Where the proxy job mounts its persistent volume in the Caddy task
/// (`emit::nomad::proxy`, `XDG_DATA_HOME`): storage must live below it.
pub const DATA_MOUNT: &str = "/data";

const MIB: u64 = 1024 * 1024;
const DAY_MS: u128 = 86_400_000;

fn one_block<'b>(cx: &mut Cx<'_>, b: &'b Block, kind: &'static str) -> Option<&'b Block> {
    if let Some(extra) = b.body.blocks_of(kind).nth(1) {
        cx.err(
            Diagnostic::error(
                Code::E0205,
                extra.kind.span,
                format!("a second `{kind}` block in `project`"),
            )
            .label("only one is read")
            .help(format!(
                "Caddy has one {kind} setting; keep one `{kind}` block"
            )),
        );
    }
    b.body.blocks_of(kind).next()
}

/// `log { file, level, roll_size, roll_keep, roll_keep_for }`.
pub fn log(cx: &mut Cx<'_>, project: &Block) -> Option<GlobalLog> {
    let l = one_block(cx, project, "log")?;
    check_shape(cx, l, &rows::LOG);
    if cx.absent_of(l, &rows::LOG_FILE) {
        return None;
    }
    let (file, span) = cx.string(&l.body, "file")?;
    if !super::lexical::file_path(&file) {
        cx.err(
            Diagnostic::error(
                Code::E0312,
                span,
                "a log file must be an absolute path without `{` or `}`",
            )
            .label(if file.starts_with('/') {
                "Caddy would expand `{…}` here"
            } else {
                "not absolute"
            })
            .help("write `/var/log/caddy/access.log`"),
        );
        return None;
    }
    let level = cx
        .choice_of(&l.body, &rows::LOG_LEVEL)
        .map(|c| c.0)
        .unwrap_or_else(|| "INFO".into());
    // Caddy's file writer counts `roll_size_mb` and `roll_keep_days` in
    // whole units; anything else would be rounded where nobody sees it.
    let roll_size_mb = cx.size(&l.body, "roll_size").and_then(|(bytes, span)| {
        if bytes % MIB == 0 && bytes / MIB <= 100 * 1024 && bytes > 0 {
            Some(bytes / MIB)
        } else {
            cx.err(
                Diagnostic::error(
                    Code::E0303,
                    span,
                    "`roll_size` is not a whole number of MiB up to 100GiB",
                )
                .label("Caddy rotates by whole mebibytes")
                .help("write it in MiB or GiB: `roll_size = 100MiB`"),
            );
            None
        }
    });
    let roll_keep = cx.int_of(&l.body, &rows::LOG_ROLL_KEEP).map(|n| n as u32);
    let roll_keep_days = match (
        cx.duration(&l.body, "roll_keep_for"),
        l.body.attr("roll_keep_for"),
    ) {
        (Some(d), Some(a)) => {
            let ms = d.as_millis();
            if ms % DAY_MS == 0 && ms > 0 && ms / DAY_MS <= 3650 {
                Some((ms / DAY_MS) as u32)
            } else {
                cx.err(
                    Diagnostic::error(
                        Code::E0303,
                        a.value.span,
                        "`roll_keep_for` is not a whole number of days up to 10 years",
                    )
                    .label("Caddy keeps rotated files by whole days")
                    .help("write a multiple of 24h: `roll_keep_for = 720h` (30 days)"),
                );
                None
            }
        }
        _ => None,
    };
    Some(GlobalLog {
        file,
        level,
        roll_size_mb,
        roll_keep,
        roll_keep_days,
    })
}

/// `storage { root }`: Caddy's `file_system` storage, under the proxy
/// job's data volume (E0353 elsewhere).
pub fn storage(cx: &mut Cx<'_>, project: &Block) -> Option<String> {
    let s = one_block(cx, project, "storage")?;
    check_shape(cx, s, &rows::STORAGE);
    if cx.absent_of(s, &rows::STORAGE_ROOT) {
        return None;
    }
    let (root, span) = cx.string(&s.body, "root")?;
    if !super::lexical::file_path(&root) {
        cx.err(
            Diagnostic::error(
                Code::E0312,
                span,
                "a storage root must be an absolute path without `{` or `}`",
            )
            .label("not an absolute path Caddy reads as written")
            .help("write `root = \"/data\"`"),
        );
        return None;
    }
    let trimmed = root.trim_end_matches('/');
    let inside = trimmed == DATA_MOUNT
        || trimmed
            .strip_prefix(DATA_MOUNT)
            .is_some_and(|rest| rest.starts_with('/') && !rest.split('/').any(|p| p == ".."));
    if !inside {
        cx.err(
            Diagnostic::error(Code::E0353, span, format!("certificate storage `{}` is outside the proxy's data volume", root.escape_debug()))
                .label(format!("not under `{DATA_MOUNT}`"))
                .help(format!("the proxy job keeps only `{DATA_MOUNT}` across restarts: write `root = \"{DATA_MOUNT}\"` or a directory below it")),
        );
        return None;
    }
    Some(root)
}
