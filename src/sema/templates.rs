//! A task's `template` blocks: files (or environment lines) Nomad renders
//! into the task directory with consul-template. The text is data, kept
//! byte for byte; what is checked here is what Nomad and consul-template
//! would refuse or misread (Nomad's `Template.Validate`, ported in
//! `nomad_rules`, runs over the emitted job as well), and what eosc must
//! know: every Vault path a template reads is a declared `secret`'s, so the
//! secret inventory and the graph stay complete.

use super::eval::{check_shape, Cx};
use super::go_template;
use super::model::{App, Lookup, LookupKind, Secret, Template};
use super::nomad_rules;
use super::resolve::{data_path, LoadError};
use super::schema::app as row;
use crate::diagnostics::{did_you_mean, suggestion_help, Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{Block, Body};
use indexmap::IndexMap;

/// The templates of one task (`body`: a `task` block, or the app's own body
/// for an app without tasks). `has_secrets`: eosc writes its own
/// `secrets/<task>.env` for the task's `secrets`.
pub fn templates(cx: &mut Cx<'_>, body: &Body, task: &str, has_secrets: bool) -> Vec<Template> {
    let mut out: Vec<Template> = Vec::new();
    let mut seen: IndexMap<String, Span> = IndexMap::new();
    if has_secrets {
        seen.insert(format!("secrets/{task}.env"), Span::default());
    }
    for b in body.blocks_of("template") {
        let Some(t) = one(cx, b) else { continue };
        let label = b.labels.first().map(|l| l.span).unwrap_or(b.kind.span);
        if let Some(first) = seen.get(&t.destination) {
            let mut d = Diagnostic::error(
                Code::E0344,
                label,
                format!(
                    "task `{task}` renders `{}` twice",
                    t.destination.escape_debug()
                ),
            )
            .label("second template with this destination");
            if *first == Span::default() {
                d = d.help("eosc renders the task's `secrets` into this file: give the template another destination, or write those lines in it instead of `secrets`");
            } else {
                d = d
                    .with_secondary(*first, "first one")
                    .help("each template writes its own file: give it another destination, or merge the texts");
            }
            cx.err(d);
            continue;
        }
        seen.insert(t.destination.clone(), label);
        out.push(t);
    }
    out
}

fn one(cx: &mut Cx<'_>, b: &Block) -> Option<Template> {
    if b.labels.len() != 1 {
        cx.err(super::resolve::label_count_error(b, 1));
        return None;
    }
    check_shape(cx, b, &row::TEMPLATE);
    let label = &b.labels[0];
    let destination = label.name.clone();
    let mut ok = true;
    if let Some(why) = nomad_rules::task_dir_problem(&destination) {
        cx.err(
            Diagnostic::error(
                Code::E0336,
                label.span,
                format!("`{}` is not a path in the task directory", destination.escape_debug()),
            )
            .label(why)
            .help("render into the task directory: `local/app.conf`, `secrets/app.env` (relative, under `local/`, `alloc/` or `secrets/`)"),
        );
        ok = false;
    }
    let body = &b.body;
    let data = cx.string(body, "data");
    let source = cx.string(body, "source");
    let change_mode = cx
        .choice_of(body, &row::TPL_CHANGE_MODE)
        .unwrap_or(("restart".into(), Span::default()));
    let signal = cx.string(body, "change_signal");
    let splay = cx
        .duration_of(body, &row::TPL_SPLAY)
        .unwrap_or(std::time::Duration::from_secs(5));
    let env = cx.bool_of(body, &row::TPL_ENV);
    let perms = cx.string(body, "perms");
    let left = cx.string(body, "left_delimiter");
    let right = cx.string(body, "right_delimiter");

    // The text: exactly one of `data` and `source`.
    let text = match (data, source) {
        (Some(_), Some((_, sspan))) => {
            let dspan = body.attr("data").map(|a| a.span).unwrap_or(sspan);
            cx.err(
                Diagnostic::error(
                    Code::E0339,
                    sspan,
                    "a template with both `data` and `source`",
                )
                .label("second text")
                .with_secondary(dspan, "the inline text")
                .help("keep one: the text inline in `data`, or in a file named by `source`"),
            );
            None
        }
        (None, None) => {
            cx.err(
                Diagnostic::error(Code::E0339, b.head_span(), "a template without text")
                    .label("no `data` or `source`")
                    .help("write the text inline (`data = <<EOT … EOT`) or name a file beside the spec (`source = \"templates/app.conf.tpl\"`)"),
            );
            None
        }
        (Some((text, span)), None) => Some((text, Origin::Inline(span), None)),
        (None, Some((path, span))) => source_text(cx, &path, span),
    };

    // Delimiters (consul-template hands them to Go's `Delims`).
    let left_d = delimiter(cx, left, "{{");
    let right_d = delimiter(cx, right, "}}");
    let (left_d, right_d) = match (left_d, right_d) {
        (Some(l), Some(r)) if l.0 == r.0 => {
            cx.err(
                Diagnostic::error(Code::E0343, r.1, "the left and right delimiters are the same")
                    .label("same as `left_delimiter`")
                    .help("an action needs a distinct opening and closing mark: `left_delimiter = \"[[\"`, `right_delimiter = \"]]\"`"),
            );
            ok = false;
            (l, r)
        }
        (Some(l), Some(r)) => (l, r),
        _ => {
            ok = false;
            (
                ("{{".into(), Span::default()),
                ("}}".into(), Span::default()),
            )
        }
    };

    // change_mode / change_signal (Template.Validate).
    let mut change_signal = None;
    match (change_mode.0.as_str(), signal) {
        ("signal", None) => {
            let span = body
                .attr("change_mode")
                .map(|a| a.value.span)
                .unwrap_or(b.head_span());
            cx.err(
                Diagnostic::error(
                    Code::E0340,
                    span,
                    "`change_mode = \"signal\"` without a `change_signal`",
                )
                .label("which signal?")
                .help("name the signal the task reloads on: `change_signal = \"SIGHUP\"`"),
            );
            ok = false;
        }
        ("signal", Some((s, span))) => match signal_name(&s) {
            Some(n) => change_signal = Some(n),
            None => {
                let upper = s.trim().to_ascii_uppercase();
                cx.err(
                    Diagnostic::error(
                        Code::E0340,
                        span,
                        format!("`{}` is not a signal", s.escape_debug()),
                    )
                    .label("not a Linux signal name")
                    .help(suggestion_help(
                        &upper,
                        nomad_rules::SIGNALS,
                        "signal",
                    )),
                );
                ok = false;
            }
        },
        (_, Some((_, span))) => {
            cx.err(
                Diagnostic::warning(
                    Code::W0508,
                    span,
                    "`change_signal` has no effect without `change_mode = \"signal\"`",
                )
                .label("ignored")
                .help("set `change_mode = \"signal\"`, or remove `change_signal`"),
            );
        }
        _ => {}
    }
    if env && change_mode.0 == "signal" {
        let span = body.attr("env").map(|a| a.span).unwrap_or(b.head_span());
        cx.err(
            Diagnostic::error(Code::E0325, span, "an environment template cannot signal the task")
                .label("`env = true` with `change_mode = \"signal\"`")
                .with_secondary(change_mode.1, "signal")
                .help("a new environment needs a new process: use `change_mode = \"restart\"` (Nomad refuses signals with env templates)"),
        );
        ok = false;
    }
    let perms = match perms {
        Some((p, span)) => {
            if !nomad_rules::octal_perms(&p) {
                cx.err(
                    Diagnostic::error(
                        Code::E0342,
                        span,
                        format!("`{}` is not an octal file mode", p.escape_debug()),
                    )
                    .label("not octal digits up to `7777`")
                    .help("write the mode in octal as a string: `perms = \"0640\"`"),
                );
                ok = false;
            }
            p
        }
        None => "0644".into(),
    };

    let (text, origin, source) = text?;
    if text.is_empty() {
        let span = match &origin {
            Origin::Inline(s) => *s,
            Origin::File(_) => body
                .attr("source")
                .map(|a| a.value.span)
                .unwrap_or(b.head_span()),
        };
        cx.err(
            Diagnostic::error(Code::E0339, span, "the template text is empty")
                .label("nothing to render")
                .help("Nomad refuses a template without text (`Template.Validate`): write the text, or remove the block"),
        );
        return None;
    }
    let lexed = go_template::lex(&text, &left_d.0, &right_d.0);
    for p in &lexed.problems {
        let span = origin.span(cx, &text, p.at, p.len);
        let mut d = Diagnostic::error(Code::E0337, span, p.message.clone()).label(p.label);
        // With the user's delimiters, they may be what is wrong.
        for (what, sp) in [("left delimiter", left_d.1), ("right delimiter", right_d.1)] {
            if sp != Span::default() {
                d = d.with_secondary(sp, what);
            }
        }
        if p.label.starts_with("Go refuses the template: function") {
            cx.err(d.help("call a function of Go's templates or of consul-template (`key`, `service`, `secret`, `env`, `printf`, `sprig_*`, …); text that only looks like an action is written `{{ \"{{\" }}` or gets other delimiters"));
            ok = false;
            continue;
        }
        cx.err(
            d
                .help(format!(
                    "template text is Go `text/template`: every `{}` opens an action that `{}` closes; a literal `{}` is written `{} \"{}\" {}`, or set `left_delimiter`/`right_delimiter` for text full of them",
                    left_d.0, right_d.0, left_d.0, left_d.0, left_d.0, right_d.0
                )),
        );
        ok = false;
    }
    let mut lookups = Vec::new();
    for c in &lexed.calls {
        let span = origin.span(cx, &text, c.at, c.len);
        let kind = if go_template::SECRET_FUNCS.contains(&c.func.as_str()) {
            LookupKind::Secret
        } else if go_template::SERVICE_FUNCS.contains(&c.func.as_str()) {
            LookupKind::Service
        } else {
            continue;
        };
        match &c.arg {
            Some(a) => lookups.push(Lookup {
                kind,
                arg: a.clone(),
                span,
            }),
            None if kind == LookupKind::Secret => {
                cx.err(
                    Diagnostic::error(Code::E0338, span, "a `secret` lookup whose path is not a string literal")
                        .label("eosc cannot tell which secret this reads")
                        .help("write the Vault path of a declared secret as a literal: `{{ with secret \"secret/hecate/db\" }}`"),
                );
                ok = false;
            }
            None => {}
        }
    }
    if env {
        env_lines(cx, &text, &lexed.actions, &origin);
    }
    ok.then_some(Template {
        destination,
        data: text,
        source,
        change_mode: change_mode.0,
        change_signal,
        splay,
        env,
        perms,
        left_delimiter: left_d.0,
        right_delimiter: right_d.0,
        secrets: Vec::new(),
        lookups,
    })
}

/// Where the text came from, to place a problem at its byte.
enum Origin {
    /// The `data` value's span in the spec.
    Inline(Span),
    /// A data file of the `SourceMap`.
    File(crate::source::FileId),
}

impl Origin {
    fn span(&self, cx: &Cx<'_>, text: &str, at: usize, len: usize) -> Span {
        match self {
            Origin::File(f) => Span::new(*f, at, (at + len).min(text.len())),
            Origin::Inline(span) => {
                let raw = cx.syms.sources.map(|s| s.text(*span)).unwrap_or("");
                match locate(raw, text, at) {
                    Some(off) => {
                        let start = span.start as usize + off;
                        Span::new(span.file, start, (start + len).min(span.end as usize))
                    }
                    None => *span,
                }
            }
        }
    }
}

/// The offset in `raw` (a string literal or heredoc as written) of byte
/// `at` of its value `text`: each line of the value is found in order in
/// the raw text (a heredoc's lines appear as they are, with indentation
/// stripped from the value only); `None` when a line is not there verbatim
/// (escapes), and the caller points at the whole value.
fn locate(raw: &str, text: &str, at: usize) -> Option<usize> {
    let mut cursor = 0;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let pos = cursor + raw.get(cursor..)?.find(content)?;
        if at < start + line.len() {
            return (at - start <= content.len()).then_some(pos + (at - start));
        }
        cursor = pos + content.len();
        start += line.len();
    }
    None
}

/// The text of a `source` file, loaded with the spec (`resolve::load_data_files`).
fn source_text(
    cx: &mut Cx<'_>,
    path: &str,
    span: Span,
) -> Option<(String, Origin, Option<String>)> {
    let importer = cx
        .syms
        .sources
        .map(|s| s.get(span.file).name.clone())
        .unwrap_or_default();
    let loaded: Result<(), LoadError> = match data_path(&importer, path) {
        Err(e) => Err(e),
        Ok(target) => match cx.syms.data.get(&target) {
            Some(Ok((file, text))) => {
                return Some((text.clone(), Origin::File(*file), Some(target)))
            }
            Some(Err(e)) => Err(e.clone()),
            // Not loaded: the path was interpolated.
            None => Err(LoadError::Unreadable(format!(
                "`{}` was not read: a template's `source` is a literal path",
                path.escape_debug()
            ))),
        },
    };
    let why = loaded.err()?;
    cx.err(
        Diagnostic::error(Code::E0339, span, format!("cannot read template source `{}`", path.escape_debug()))
            .label(why.message().to_string())
            .help("`source` names a file relative to the spec file, inside the root spec's directory (no absolute path, no `..` above it, no symlink out), a regular UTF-8 file of at most 64 MiB"),
    );
    None
}

fn delimiter(cx: &mut Cx<'_>, v: Option<(String, Span)>, default: &str) -> Option<(String, Span)> {
    let Some((d, span)) = v else {
        return Some((default.into(), Span::default()));
    };
    if d.is_empty()
        || d.chars().any(|c| c.is_whitespace() || c.is_control())
        || d.contains("/*")
        || d.contains("*/")
    {
        cx.err(
            Diagnostic::error(
                Code::E0343,
                span,
                format!("`{}` cannot delimit template actions", d.escape_debug()),
            )
            .label("empty, or holds a blank, a control character or a comment mark")
            .help("write a short mark of visible characters: `[[` and `]]`"),
        );
        return None;
    }
    Some((d, span))
}

/// Canonicalize (`strings.ToUpper`) and the client's signal table.
fn signal_name(s: &str) -> Option<String> {
    let upper = s.trim().to_ascii_uppercase();
    nomad_rules::SIGNALS
        .contains(&upper.as_str())
        .then_some(upper)
}

/// An env template renders `NAME=value` lines (Nomad's `envparse`): every
/// line written as text outside an action, not empty and not a `#`
/// comment, must start with a name and `=`.
fn env_lines(cx: &mut Cx<'_>, text: &str, actions: &[(usize, usize)], origin: &Origin) {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let inside = actions.iter().any(|&(s, e)| s < at && at < e);
        let trimmed = content.trim_start();
        if inside || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let first_action = actions
            .iter()
            .find(|&&(s, _)| s >= at && s < at + content.len())
            .map(|&(s, _)| s - at);
        let key_end = content.find('=');
        let key = match (key_end, first_action) {
            // The name is rendered: nothing to say.
            (_, Some(a)) if key_end.is_none_or(|k| a < k) => continue,
            (Some(k), _) => &content[..k],
            (None, _) => content,
        };
        let key = key.trim();
        if key_end.is_some() && super::lexical::env_var_name(key) {
            continue;
        }
        let span = origin.span(cx, text, at, key_end.unwrap_or(content.len()).max(1));
        cx.err(
            Diagnostic::error(Code::E0345, span, "an environment template line is not `NAME=value`")
                .label(if key_end.is_none() { "no `=`" } else { "not an environment variable name before `=`" })
                .help("with `env = true` each rendered line is `NAME=value` (NAME of letters, digits and `_`); blank lines and `#` comments are skipped"),
        );
    }
}

/// Each `secret` path must be a declared secret's Vault path (E0338); the
/// names are recorded on the template. A Consul service no app registers
/// is W0514.
pub fn resolve(
    cx: &mut Cx<'_>,
    apps: &mut IndexMap<String, App>,
    secrets: &IndexMap<String, Secret>,
) {
    let services: Vec<String> = apps
        .values()
        .flat_map(|a| a.registrations().into_iter().map(|r| r.name))
        .chain(apps.values().map(|a| a.service.clone()))
        .collect();
    let paths: Vec<&str> = secrets.values().map(|s| s.vault_path.as_str()).collect();
    let mut diags = Vec::new();
    for app in apps.values_mut() {
        for t in &mut app.tasks {
            for tpl in &mut t.templates {
                let mut names: Vec<String> = Vec::new();
                for l in &tpl.lookups {
                    match l.kind {
                        LookupKind::Secret => {
                            let found: Vec<&Secret> =
                                secrets.values().filter(|s| s.vault_path == l.arg).collect();
                            if found.is_empty() {
                                let help = match did_you_mean(&l.arg, paths.iter().copied()) {
                                    Some(p) => format!("did you mean `{p}`? A template may read only the Vault paths of declared `secret` blocks"),
                                    None => "declare it: `secret \"name\" { vault = \"…\" }` (eosc must know every secret an app reads, for its policies and inventory)".into(),
                                };
                                diags.push(
                                    Diagnostic::error(Code::E0338, l.span, format!("the template reads `{}`, the path of no declared secret", l.arg.escape_debug()))
                                        .label("undeclared Vault path")
                                        .help(help),
                                );
                            }
                            for s in found {
                                if !names.contains(&s.name) {
                                    names.push(s.name.clone());
                                }
                            }
                        }
                        LookupKind::Service => {
                            let name = service_name(&l.arg);
                            if !services.iter().any(|s| s == name) {
                                let cands: Vec<&str> =
                                    services.iter().map(String::as_str).collect();
                                diags.push(
                                    Diagnostic::warning(
                                        Code::W0514,
                                        l.span,
                                        format!(
                                            "no app registers the Consul service `{}`",
                                            name.escape_debug()
                                        ),
                                    )
                                    .label("unknown service")
                                    .help(suggestion_help(name, &cands, "service")),
                                );
                            }
                        }
                    }
                }
                names.sort();
                tpl.secrets = names;
            }
        }
    }
    for d in diags {
        cx.err(d);
    }
}

/// The service of a consul-template query `[tag.]name[@dc][~near]`, with
/// an optional `|filter` (consul-template's `dependency/catalog_service.go`
/// regular expression).
fn service_name(q: &str) -> &str {
    let q = q.split('|').next().unwrap_or(q);
    let q = q.split(['@', '~']).next().unwrap_or(q);
    q.rsplit('.').next().unwrap_or(q).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_lines() {
        let raw = "<<EOT\na {{ b\nc\nEOT";
        assert_eq!(locate(raw, "a {{ b\nc\n", 2), Some(8));
        let raw = "<<-EOT\n    x\n    y}}\n  EOT";
        assert_eq!(locate(raw, "  x\n  y}}\n", 5), Some(16));
        assert_eq!(locate("\"a\\\"b{{\"", "a\"b{{", 3), None);
    }

    #[test]
    fn services() {
        assert_eq!(service_name("authentik-server"), "authentik-server");
        assert_eq!(service_name("stable.helen@dc1"), "helen");
        assert_eq!(service_name("db|any"), "db");
    }
}
