//! A filesystem [`eosc::Loader`] for tests: the library does no IO (the
//! binary's `cli::FsLoader` is not reachable from tests), so tests that
//! check a spec on disk read it through this one. Same behaviour as the
//! binary's: files relative to the root's directory, UTF-8 checked.

use std::path::{Path, PathBuf};

pub struct FsLoader {
    base: PathBuf,
}

#[allow(dead_code)]
impl FsLoader {
    /// `root` is the path of the root file; imports resolve beside it.
    pub fn new(root: &Path) -> Self {
        FsLoader {
            base: root.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }
    /// The name under which the root file is loaded.
    pub fn root_name(root: &Path) -> String {
        root.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl eosc::Loader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        let bytes = std::fs::read(&full).map_err(|e| format!("{}: {e}", full.display()))?;
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "{} is not UTF-8 (invalid byte at offset {})",
                full.display(),
                e.utf8_error().valid_up_to()
            )
        })
    }
}
