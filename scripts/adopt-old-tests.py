#!/usr/bin/env python3
"""Moves tests written for the old layout (one binary per tests/*.rs, helpers
in tests/{support,caddy_support,salt_support,jenkins_support}, snapshots in
one flat tests/snapshots/) into the current one (tests/README.md). Run from
anywhere after merging a branch that added such files; it only renames and
rewrites, with `git mv`, and says what it did. Review `git diff` after.

    python3 scripts/adopt-old-tests.py          # do it
    python3 scripts/adopt-old-tests.py --dry    # only say what it would do
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRY = "--dry" in sys.argv
IT = os.path.join(ROOT, "tests", "it")
SNAPS = os.path.join(ROOT, "tests", "snapshots")


def say(msg):
    print(("would: " if DRY else "") + msg)


def git_mv(src, dst):
    say(f"git mv {os.path.relpath(src, ROOT)} {os.path.relpath(dst, ROOT)}")
    if not DRY:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.exists(dst):
            os.remove(dst)
        subprocess.run(["git", "-C", ROOT, "mv", "-f", src, dst], check=True)


def rewrite_module(text):
    """The old binary's headers as paths into the one crate."""
    t = re.sub(r'#\[path = "support/(\w+)\.rs"\]\n(#\[allow\(dead_code\)\]\n)?mod (\w+);',
               r"use crate::support::\1;", text)
    t = re.sub(r'#\[path = "\.\./benches/workload/mod\.rs"\]\n(#\[allow\(dead_code\)\]\n)?mod workload;',
               "use crate::support::workload;", t)
    t = re.sub(r"^mod (caddy|salt|jenkins)_support;\n", "use crate::support;\n", t, flags=re.M)
    t = re.sub(r"(use crate::support;\n)(use crate::support;\n)+", r"\1", t)
    for old, new in [("caddy", "caddy"), ("salt", "salt"), ("jenkins", "jenkins")]:
        t = re.sub(rf"\buse {old}_support::", f"use crate::support::{new}::", t)
        t = re.sub(rf"\b{old}_support::", f"support::{new}::", t)
    t = t.replace("support::salt::salt::", "support::salt::real::")
    t = t.replace("support::salt::spec_files()", "support::specs::all()")
    t = t.replace("support::salt::models_of(", "support::specs::models(")
    t = t.replace("eosc::FsLoader", "crate::support::loader::FsLoader")
    t = t.replace("use eosc::{FsLoader, Loader};", "use crate::support::loader::FsLoader;\nuse eosc::Loader;")
    t = t.replace("eosc::cli::explanation", "eosc::diagnostics::explain::explanation")
    return t


def add_line(path, line, after_prefix):
    """Adds `line` to the sorted block of lines starting with `after_prefix`."""
    lines = open(path).read().split("\n")
    if line in lines:
        return
    say(f"add `{line}` to {os.path.relpath(path, ROOT)}")
    if DRY:
        return
    idx = [i for i, l in enumerate(lines) if l.startswith(after_prefix)]
    block = sorted(set([lines[i] for i in idx] + [line]))
    lines[idx[0]:idx[-1] + 1] = block
    open(path, "w").write("\n".join(lines))


def move_test_binaries():
    tests = os.path.join(ROOT, "tests")
    for name in sorted(os.listdir(tests)):
        src = os.path.join(tests, name)
        if not (name.endswith(".rs") and os.path.isfile(src)):
            continue
        mod = name[:-3]
        dst = os.path.join(IT, name)
        git_mv(src, dst)
        if not DRY:
            text = open(dst).read()
            new = rewrite_module(text)
            open(dst, "w").write(new)
            if "insta::" in new:
                print(f"  note: tests/it/{name} calls insta directly; use "
                      "crate::support::snap::assert(<case folder>, <name>, <contents>) "
                      "so its snapshots land in the case's folder (tests/README.md)")
            if "#[path" in new:
                print(f"  note: tests/it/{name} still has a #[path]: make it a module of tests/it/support/")
        add_line(os.path.join(IT, "main.rs"), f"mod {mod};", "mod ")


def move_support():
    tests = os.path.join(ROOT, "tests")
    places = {
        "support": os.path.join(IT, "support"),
        "caddy_support": os.path.join(IT, "support", "caddy"),
        "salt_support": os.path.join(IT, "support", "salt"),
        "jenkins_support": os.path.join(IT, "support"),
    }
    for old, new in places.items():
        d = os.path.join(tests, old)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            src = os.path.join(d, name)
            if old == "jenkins_support" and name == "mod.rs":
                dst = os.path.join(new, "jenkins.rs")
            elif old == "salt_support" and name == "salt.rs":
                dst = os.path.join(new, "real.rs")
            else:
                dst = os.path.join(new, name)
            if name == "mod.rs" and old in ("caddy_support", "salt_support"):
                print(f"  note: tests/{old}/mod.rs changed on the branch: merge it into "
                      f"{os.path.relpath(dst, ROOT)} by hand (not moved)")
                continue
            git_mv(src, dst)
            if not DRY:
                open(dst, "w").write(rewrite_module(open(dst).read()).replace("#![allow(dead_code)]\n\n", ""))
            if old == "support":
                add_line(os.path.join(IT, "support", "mod.rs"), f"pub mod {name[:-3]};", "pub mod ")


def new_snapshot_path(flat, examples):
    """The one mapping from the old flat names to the case folders."""
    n = flat[:-len(".snap")]
    def case_dir(case):
        return f"examples/{case}" if case in examples else f"ok/{case}"
    if n.startswith("cases@err__"):
        return "err/" + n[len("cases@err__"):].removesuffix(".hcl") + ".snap"
    if n.startswith("cases@ok__"):
        return "ok/" + n[len("cases@ok__"):].removesuffix(".hcl") + "/check.snap"
    if n == "cli_graph__cybermonkey_mermaid":
        return "examples/cybermonkey/graph.mermaid.snap"
    if n.startswith("fmt_corpus__"):
        return "fmt/" + n[len("fmt_corpus__"):] + ".snap"
    if n.startswith(("nomad_snapshots__", "terraform_snapshots__")):
        art, case = n.split("__", 1)[1].rsplit("@", 1)
        case = case.removesuffix(".hcl")
        d = "examples/" + case.removesuffix("__hecate") if case.endswith("__hecate") else "ok/" + case
        return f"{d}/{art}.snap"
    if n.startswith("examples__"):
        _, name, rest = n.split("__", 2)
        return f"examples/{name}/{rest}.snap"
    if n.startswith("tests__cases__ok__"):
        stem, art = n[len("tests__cases__ok__"):].split("__", 1)
        return f"ok/{stem}/{art}.snap"
    if n.startswith("fixture__"):
        return "fixture/" + n[len("fixture__"):] + ".snap"
    if "__" in n:
        case, rest = n.split("__", 1)
        return f"{case_dir(case)}/{rest}.snap"
    return None


def move_snapshots():
    examples = set(os.listdir(os.path.join(ROOT, "examples")))
    for name in sorted(os.listdir(SNAPS)):
        src = os.path.join(SNAPS, name)
        if not (os.path.isfile(src) and (name.endswith(".snap") or name.endswith(".snap.new"))):
            continue
        if name.endswith(".snap.new"):
            print(f"  note: {name} is a pending snapshot: review it on its branch first")
            continue
        new = new_snapshot_path(name, examples)
        if new is None:
            print(f"  note: tests/snapshots/{name}: no rule for this name; move it by hand")
            continue
        git_mv(src, os.path.join(SNAPS, new))


def fix_doc_references():
    """`tests/<name>.rs` in the docs → `tests/it/<name>.rs` for the modules that exist."""
    mods = {f[:-3] for f in os.listdir(IT) if f.endswith(".rs")}
    renamed = {m: "snapshots" for m in
               ("caddy_snapshots", "nomad_snapshots", "terraform_snapshots", "salt_snapshots")}
    pat = re.compile(r"(?<![\w/])tests/(\w+)\.rs")
    def sub(m):
        mod = renamed.get(m.group(1), m.group(1))
        return f"tests/it/{mod}.rs" if mod in mods else m.group(0)
    files = subprocess.run(["git", "-C", ROOT, "ls-files", "*.md", "scripts/*.sh", "benches/*.rs",
                            "src/*.rs", "src/**/*.rs"], capture_output=True, text=True,
                           check=True).stdout.split()
    for f in files:
        p = os.path.join(ROOT, f)
        if not os.path.isfile(p):
            continue
        text = open(p).read()
        new = pat.sub(sub, text)
        if new != text:
            say(f"rewrite test paths in {f}")
            if not DRY:
                open(p, "w").write(new)


if __name__ == "__main__":
    move_support()
    move_test_binaries()
    move_snapshots()
    fix_doc_references()
    print("done; now: cargo fmt && cargo test --test it (review `git status`)")
