//! Source files and byte spans. Files are loaded by `cli.rs` (or by a test)
//! and handed to the pure pipeline as a [`SourceMap`].

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics and artifact headers: the path as the
    /// user gave it (relative), or `std/<module>` for the stdlib.
    pub name: String,
    pub text: String,
    /// A data file the spec names (a template's `source`), not a spec:
    /// never parsed as HCL, but hashed and shown in diagnostics like one.
    pub data: bool,
    /// Where each line starts, built the first time a position is asked
    /// for: a large spec with thousands of diagnostics must not rescan the
    /// file for each.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            data: false,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset; lines end
    /// at `\n`.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |t| t.chars().count() + 1);
        (line, col)
    }
}

#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId(self.files.len() as u32 - 1)
    }
    /// A data file (see [`SourceFile::data`]).
    pub fn add_data(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = self.add(name, text);
        self.files[id.0 as usize].data = true;
        id
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .map(|i| FileId(i as u32))
    }
    /// Puts `prefix` before the name of every file `keep` does not hold
    /// back: the CLI names files as the user typed the root's directory.
    pub fn prefix_names(&mut self, prefix: &str, keep: impl Fn(&str) -> bool) {
        for f in &mut self.files {
            if !prefix.is_empty() && !keep(&f.name) {
                f.name = format!("{prefix}{}", f.name);
            }
        }
    }
    pub fn text(&self, span: Span) -> &str {
        let f = self.get(span.file);
        f.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::SourceFile;

    /// The indexed lookup against a scan from the start, at every offset
    /// (and past the end) of a text with CRLF, a lone CR, blank lines and
    /// multi-byte characters.
    #[test]
    fn line_col_agrees_with_a_scan() {
        let text = "x\r\nyé\n\nz\rw\n€";
        let file = SourceFile::new("f", text);
        for offset in 0..=text.len() + 2 {
            let o = offset.min(text.len());
            if !text.is_char_boundary(o) {
                continue;
            }
            let before = &text[..o];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = text[start..o].chars().count() + 1;
            assert_eq!(file.line_col(offset as u32), (line, col), "{offset}");
        }
    }
}
