//! What `eosc compile` would change in an output directory: the comparison
//! behind `compile --check` and the unified diff of `eosc diff`. Pure: the
//! CLI reads the directory and hands its files in.

use crate::emit::Artifact;
use similar::{ChangeTag, TextDiff};
use std::collections::BTreeMap;

/// The files found under one output tree (`out/<tree>/`): path within the
/// tree (with `/`) → contents.
pub type Tree = BTreeMap<String, Vec<u8>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// On disk with other contents (an older compile, or edited by hand).
    Stale,
    /// Not on disk: compile would write it.
    Missing,
    /// On disk but no longer generated: compile would remove it.
    Extra,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Stale => "stale",
            Status::Missing => "missing",
            Status::Extra => "extra",
        }
    }
}

/// One file compile would change, in tree `tree` (an environment, or
/// `jenkins`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change<'a> {
    pub tree: &'a str,
    pub path: &'a str,
    pub status: Status,
    /// What is on disk.
    pub old: Option<&'a [u8]>,
    /// What compile writes.
    pub new: Option<&'a str>,
}

/// Every difference between the trees compile would write and what is on
/// disk (`on_disk` keyed by tree name; a tree that does not exist is
/// absent or empty), in tree order, then by path. A tree on disk that is
/// not expected is all extra (the CLI passes only trees eosc wrote).
pub fn compare<'a>(
    expected: &'a [(String, Vec<Artifact>)],
    on_disk: &'a BTreeMap<String, Tree>,
) -> Vec<Change<'a>> {
    let mut changes = Vec::new();
    for (tree, artifacts) in expected {
        let disk = on_disk.get(tree);
        let mut files: BTreeMap<&str, Change<'a>> = BTreeMap::new();
        for a in artifacts {
            let old = disk.and_then(|d| d.get(&a.path)).map(Vec::as_slice);
            let status = match old {
                None => Status::Missing,
                Some(bytes) if bytes != a.contents.as_bytes() => Status::Stale,
                Some(_) => continue,
            };
            files.insert(
                &a.path,
                Change {
                    tree,
                    path: &a.path,
                    status,
                    old,
                    new: Some(&a.contents),
                },
            );
        }
        if let Some(disk) = disk {
            for (path, bytes) in disk {
                if !artifacts.iter().any(|a| &a.path == path) {
                    files.insert(
                        path,
                        Change {
                            tree,
                            path,
                            status: Status::Extra,
                            old: Some(bytes),
                            new: None,
                        },
                    );
                }
            }
        }
        changes.extend(files.into_values());
    }
    // A tree compile no longer writes (an environment removed from the
    // spec): every file in it is extra.
    for (tree, disk) in on_disk {
        if expected.iter().any(|(t, _)| t == tree) {
            continue;
        }
        for (path, bytes) in disk {
            changes.push(Change {
                tree,
                path,
                status: Status::Extra,
                old: Some(bytes),
                new: None,
            });
        }
    }
    changes
}

/// How `eosc diff` names files: `<dir>/<tree>/<path>`, the output
/// directory as the user named it, so the diff applies with `git apply`
/// from the directory eosc ran in.
pub struct Labels<'a> {
    /// The output directory with `/` separators.
    pub dir: &'a str,
}

impl Labels<'_> {
    fn path(&self, c: &Change) -> String {
        let dir = self.dir.trim_end_matches('/');
        if dir.is_empty() || dir == "." {
            format!("{}/{}", c.tree, c.path)
        } else {
            format!("{dir}/{}/{}", c.tree, c.path)
        }
    }
}

/// The unified diff of one file, with its line counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDiff {
    pub text: String,
    pub added: usize,
    pub removed: usize,
}

/// The diff of one change in git's format (3 lines of context): a
/// `diff --git` line, `new file mode`/`deleted file mode` for a missing or
/// extra file, then the unified hunks.
pub fn unified(c: &Change, labels: &Labels) -> FileDiff {
    let old = c
        .old
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let new = c.new.unwrap_or_default();
    let path = labels.path(c);
    let mut text = format!("diff --git a/{path} b/{path}\n");
    match c.status {
        Status::Missing => text.push_str("new file mode 100644\n"),
        Status::Extra => text.push_str("deleted file mode 100644\n"),
        Status::Stale => {}
    }
    let a = match c.status {
        Status::Missing => "/dev/null".to_string(),
        _ => format!("a/{path}"),
    };
    let b = match c.status {
        Status::Extra => "/dev/null".to_string(),
        _ => format!("b/{path}"),
    };
    let diff = TextDiff::from_lines(old.as_str(), new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let hunks = diff
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string();
    if !hunks.is_empty() {
        text.push_str(&hunks);
    } else if c.status == Status::Stale {
        // Same text, different bytes: invalid UTF-8 on disk.
        text.push_str(&format!("Binary files a/{path} and b/{path} differ\n"));
    }
    // An empty file created or deleted is just the header, as in git.
    FileDiff {
        text,
        added,
        removed,
    }
}

/// The one-line summary of a tree: `staging: 2 files changed (1 stale,
/// 1 missing, 0 extra), +5 -3` or `staging: up to date (24 files)`.
pub fn summary(tree: &str, files: usize, changes: &[(Status, usize, usize)]) -> String {
    if changes.is_empty() {
        let s = if files == 1 { "" } else { "s" };
        return format!("{tree}: up to date ({files} file{s})");
    }
    let count = |s: Status| changes.iter().filter(|c| c.0 == s).count();
    let added: usize = changes.iter().map(|c| c.1).sum();
    let removed: usize = changes.iter().map(|c| c.2).sum();
    let n = changes.len();
    format!(
        "{tree}: {n} file{} would change ({} stale, {} missing, {} extra), +{added} -{removed}",
        if n == 1 { "" } else { "s" },
        count(Status::Stale),
        count(Status::Missing),
        count(Status::Extra),
    )
}

/// ANSI colours for a terminal: a file's header lines bold, hunk headers
/// cyan, removed lines red, added lines green.
pub fn colorize(file_diff: &str) -> String {
    let mut out = String::with_capacity(file_diff.len() + file_diff.len() / 4);
    let mut in_header = true;
    for line in file_diff.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.starts_with("@@") {
            in_header = false;
        }
        let style = if in_header {
            "1"
        } else if body.starts_with("@@") {
            "36"
        } else if body.starts_with('+') {
            "32"
        } else if body.starts_with('-') {
            "31"
        } else {
            ""
        };
        if style.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("\x1b[{style}m{body}\x1b[0m{nl}"));
        }
    }
    out
}

/// Whether a change is only the input hash of a `manifest.json`: the spec's
/// bytes changed (`eosc fmt`, a comment) but not its meaning, so every
/// other artifact is current and `compile --check` need not fail.
pub fn only_input_hash(c: &Change) -> bool {
    let (Some(old), Some(new)) = (c.old, c.new) else {
        return false;
    };
    if c.path != "manifest.json" || c.status != Status::Stale {
        return false;
    }
    let parse = |bytes: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        v.as_object_mut()?.remove("input_sha256")?;
        Some(v)
    };
    matches!((parse(old), parse(new.as_bytes())), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trees() -> Vec<(String, Vec<Artifact>)> {
        vec![(
            "prod".to_string(),
            vec![
                Artifact::new("a.txt", "one\ntwo\n"),
                Artifact::new("b.txt", "b\n"),
                Artifact::new("c.txt", "same\n"),
            ],
        )]
    }

    #[test]
    fn stale_missing_extra_and_equal() {
        let expected = trees();
        let mut disk = Tree::new();
        disk.insert("a.txt".into(), b"one\nTWO\n".to_vec());
        disk.insert("c.txt".into(), b"same\n".to_vec());
        disk.insert("old.txt".into(), b"gone\n".to_vec());
        let on_disk = BTreeMap::from([("prod".to_string(), disk)]);
        let changes = compare(&expected, &on_disk);
        let got: Vec<(&str, Status)> = changes.iter().map(|c| (c.path, c.status)).collect();
        assert_eq!(
            got,
            vec![
                ("a.txt", Status::Stale),
                ("b.txt", Status::Missing),
                ("old.txt", Status::Extra)
            ]
        );
        let labels = Labels { dir: "out" };
        assert_eq!(
            unified(&changes[0], &labels).text,
            "diff --git a/out/prod/a.txt b/out/prod/a.txt\n--- a/out/prod/a.txt\n+++ b/out/prod/a.txt\n@@ -1,2 +1,2 @@\n one\n-TWO\n+two\n"
        );
        assert_eq!(
            unified(&changes[1], &labels).text,
            "diff --git a/out/prod/b.txt b/out/prod/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/out/prod/b.txt\n@@ -0,0 +1 @@\n+b\n"
        );
        assert_eq!(
            unified(&changes[2], &labels).text,
            "diff --git a/out/prod/old.txt b/out/prod/old.txt\ndeleted file mode 100644\n--- a/out/prod/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n"
        );
        let d = unified(&changes[0], &labels);
        assert_eq!((d.added, d.removed), (1, 1));
    }

    #[test]
    fn nothing_on_disk_is_all_missing_and_equal_is_nothing() {
        let expected = trees();
        let none = BTreeMap::new();
        assert!(compare(&expected, &none)
            .iter()
            .all(|c| c.status == Status::Missing));
        let disk: Tree = expected[0]
            .1
            .iter()
            .map(|a| (a.path.clone(), a.contents.clone().into_bytes()))
            .collect();
        let on_disk = BTreeMap::from([("prod".to_string(), disk)]);
        assert!(compare(&expected, &on_disk).is_empty());
    }

    #[test]
    fn an_empty_extra_file_is_a_bare_deletion() {
        let expected = vec![("prod".to_string(), vec![])];
        let disk = Tree::from([("empty".to_string(), Vec::new())]);
        let on_disk = BTreeMap::from([("prod".to_string(), disk)]);
        let changes = compare(&expected, &on_disk);
        let d = unified(&changes[0], &Labels { dir: "./" });
        assert_eq!(
            d.text,
            "diff --git a/prod/empty b/prod/empty\ndeleted file mode 100644\n"
        );
    }

    #[test]
    fn a_tree_no_longer_written_is_all_extra() {
        let expected = trees();
        let disk = Tree::from([("x".to_string(), b"x\n".to_vec())]);
        let on_disk = BTreeMap::from([("qa".to_string(), disk)]);
        let changes = compare(&expected, &on_disk);
        let extra: Vec<_> = changes
            .iter()
            .filter(|c| c.status == Status::Extra)
            .map(|c| (c.tree, c.path))
            .collect();
        assert_eq!(extra, vec![("qa", "x")]);
        assert_eq!(changes.len(), 4);
    }

    #[test]
    fn summaries() {
        assert_eq!(summary("prod", 3, &[]), "prod: up to date (3 files)");
        assert_eq!(
            summary("prod", 3, &[(Status::Stale, 1, 1), (Status::Extra, 0, 2)]),
            "prod: 2 files would change (1 stale, 0 missing, 1 extra), +1 -3"
        );
    }

    #[test]
    fn colours_only_diff_lines() {
        let c = colorize("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n z\n");
        assert_eq!(
            c,
            "\x1b[1m--- a\x1b[0m\n\x1b[1m+++ b\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n\x1b[31m-x\x1b[0m\n\x1b[32m+y\x1b[0m\n z\n"
        );
    }
}
