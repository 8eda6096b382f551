//! Reading specs from disk for the tests. The library's loader is about to
//! move to the binary side (the library stays pure), so the tests carry
//! their own: the same rules as the CLI's, files relative to the root
//! file's directory and the root loaded under its file name.

use eosc::Loader;
use std::path::{Path, PathBuf};

pub struct FsLoader {
    base: PathBuf,
}

impl FsLoader {
    /// `root` is the spec's path; imports resolve beside it.
    pub fn new(root: &Path) -> Self {
        FsLoader {
            base: root.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }

    /// The name under which the root file is loaded (its file name).
    pub fn root_name(root: &Path) -> String {
        root.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl Loader for FsLoader {
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

/// `eosc::check` of a spec file; panics when the root file cannot be read.
pub fn check(path: &Path) -> eosc::Checked {
    eosc::check(&FsLoader::root_name(path), &FsLoader::new(path))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
