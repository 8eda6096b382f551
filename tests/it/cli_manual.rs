//! Shell completions (bash's own parser reads them) and the man page
//! (groff renders it without a warning); `--help` everywhere.

use crate::support::cli;
use crate::support::tools;

use cli::eosc;
use tools::{tool, TempDir};

const COMMANDS: &[&str] = &[
    "check",
    "compile",
    "diff",
    "plan",
    "compare",
    "drift",
    "graph",
    "explain",
    "init",
    "completions",
    "man",
];

#[test]
fn bash_completion_parses_and_knows_every_command() {
    let run = eosc(&["completions", "bash"], None).expect(0);
    for c in COMMANDS {
        assert!(run.stdout.contains(c), "bash completion lacks {c}");
    }
    assert!(run.stdout.contains("--format") && run.stdout.contains("sarif"));
    let Some(bash) = tool("bash") else { return };
    let dir = TempDir::new("cli-completion");
    let file = dir.write("eosc.bash", &run.stdout);
    let out = tools::run(&bash, &["-n", &file.to_string_lossy()], None);
    assert!(out.ok, "bash rejects the completion script: {}", out.stderr);
    // Sourcing it registers the completion function.
    let script = format!("source {} && complete -p eosc", file.display());
    let out = tools::run(&bash, &["-c", &script], None);
    assert!(
        out.ok && out.stdout.contains("eosc"),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn zsh_and_fish_completions() {
    let zsh = eosc(&["completions", "zsh"], None).expect(0);
    assert!(zsh.stdout.starts_with("#compdef eosc"));
    let fish = eosc(&["completions", "fish"], None).expect(0);
    for c in COMMANDS {
        assert!(zsh.stdout.contains(c) && fish.stdout.contains(c), "{c}");
    }
    eosc(&["completions", "tcsh"], None).expect(2);
    eosc(&["completions"], None).expect(2);
}

#[test]
fn the_man_page_renders_and_documents_every_command() {
    let run = eosc(&["man"], None).expect(0);
    assert!(run.stdout.contains("\n.TH eosc 1 "), "{}", run.stdout);
    assert_eq!(run.stdout.matches(".ds Aq").count(), 2, "one preamble");
    for c in COMMANDS {
        assert!(
            run.stdout.contains(&format!(".SS \"eosc {c}\"")),
            "no section for {c}"
        );
    }
    assert!(run.stdout.contains(".SH \"EXIT STATUS\""));
    let Some(groff) = tool("groff") else { return };
    let dir = TempDir::new("cli-man");
    let page = dir.write("eosc.1", &run.stdout);
    let out = tools::run(
        &groff,
        &["-man", "-Tutf8", "-ww", "-P-cbou", &page.to_string_lossy()],
        None,
    );
    assert!(out.ok, "groff failed: {}", out.stderr);
    assert!(out.stderr.trim().is_empty(), "groff warns: {}", out.stderr);
    for text in ["EXIT STATUS", "eosc compile", "--check", "sarif"] {
        assert!(out.stdout.contains(text), "rendered page lacks {text}");
    }
}

#[test]
fn help_and_version_exit_zero_on_stdout() {
    for c in COMMANDS {
        let run = eosc(&[c, "--help"], None).expect(0);
        assert!(run.stdout.contains("Usage: eosc"), "{c}");
        assert!(run.stderr.is_empty());
    }
    let run = eosc(&["--version"], None).expect(0);
    assert!(run.stdout.starts_with("eosc "));
    let run = eosc(&["--help"], None).expect(0);
    assert!(run.stdout.contains("Exit codes: 0 ok, 1"));
    let run = eosc(&[], None).expect(2);
    assert!(run.stdout.is_empty());
    eosc(&["frobnicate"], None).expect(2);
}
