//! `manifest.json`, the last file of every environment's tree: how eosc
//! recognises a tree it wrote (see [`super::written_by_eosc`]).

use crate::digest;
use crate::emit::Artifact;
use crate::sema::model::Model;

/// What the manifest's `generator` starts with.
pub const GENERATOR: &str = "eosc ";

/// `manifest.json`: every file of the environment with its sha256, the eosc
/// version and the input hash (JSON has no comments; this is its header).
pub fn manifest(model: &Model, artifacts: &[Artifact]) -> Artifact {
    let hash = |arts: &[Artifact]| -> Vec<String> {
        arts.iter()
            .map(|a| digest::sha256_hex(a.contents.as_bytes()))
            .collect()
    };
    // Hashing every byte written is a few percent of compiling: two threads.
    let (first, second) = artifacts.split_at(artifacts.len() / 2);
    let hashes = std::thread::scope(|s| {
        let h = s.spawn(|| hash(first));
        let rest = hash(second);
        let mut all = crate::emit::join(h);
        all.extend(rest);
        all
    });
    let mut files = serde_json::Map::new();
    for (a, h) in artifacts.iter().zip(hashes) {
        files.insert(a.path.clone(), serde_json::Value::String(h));
    }
    let doc = serde_json::json!({
        "generator": format!("{GENERATOR}{}", env!("CARGO_PKG_VERSION")),
        "source": model.source_name,
        "input_sha256": model.input_hash,
        "environment": model.env.name,
        "files": files,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    Artifact::new(super::MANIFEST, text)
}
