//! `eosc completions` and `eosc man`: generated from the clap definitions,
//! so they cannot drift from the real options.

use super::Cli;
use clap::CommandFactory;

#[derive(clap::Args)]
pub struct CompletionArgs {
    shell: clap_complete::Shell,
}

pub fn completions(a: &CompletionArgs) -> u8 {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "eosc", &mut out);
    super::print(&String::from_utf8_lossy(&out))
}

/// The man page, eosc(1): clap_mangen's top-level sections, then one
/// subsection per command with its synopsis, description and options (so
/// one page documents everything), and the exit status.
pub fn man() -> u8 {
    match render_man() {
        Ok(text) => super::print(&text),
        Err(e) => {
            eprintln!("error: cannot render the man page: {e}");
            super::USAGE
        }
    }
}

fn render_man() -> std::io::Result<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    top.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let page = clap_mangen::Man::new(sub.clone());
        out.extend_from_slice(format!(".SS \"eosc {}\"\n", sub.get_name()).as_bytes());
        let mut part = Vec::new();
        page.render_synopsis_section(&mut part)?;
        page.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            page.render_options_section(&mut part)?;
        }
        // Their section headings become paragraph breaks inside ours.
        for line in String::from_utf8_lossy(&part).lines() {
            match line {
                ".SH SYNOPSIS" | ".SH DESCRIPTION" => out.extend_from_slice(b".PP\n"),
                ".SH OPTIONS" => out.extend_from_slice(b".PP\nOptions:\n"),
                l => {
                    out.extend_from_slice(l.as_bytes());
                    out.push(b'\n');
                }
            }
        }
    }
    out.extend_from_slice(
        concat!(
            ".SH \"EXIT STATUS\"\n",
            ".TP\n0\nSuccess: the spec checks, the output is up to date.\n",
            ".TP\n1\nThe spec has errors (or warnings with \\fB--deny warnings\\fR), ",
            "or \\fBcompile --check\\fR found stale, missing or extra files.\n",
            ".TP\n2\nA usage error, or a file could not be read or written.\n",
        )
        .as_bytes(),
    );
    top.render_version_section(&mut out)?;
    let text = String::from_utf8(out).map_err(std::io::Error::other)?;
    // Each rendered piece starts with roff's quote-string preamble; once
    // is enough.
    let mut seen = std::collections::HashSet::new();
    let mut page = String::with_capacity(text.len());
    for line in text.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if !preamble || seen.insert(line) {
            page.push_str(line);
            page.push('\n');
        }
    }
    Ok(page)
}
