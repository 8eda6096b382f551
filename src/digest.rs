//! sha256 as lower-case hex: the input hash (lib), the manifest's file
//! hashes, and the hashes over meaning (the model hash, each Nomad job's
//! `spec_hash`). A leaf module, so emitters can use it without reaching up
//! to the crate root.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// sha256 of `data` as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// sha256 of `value`'s JSON form as lower-case hex: the one hash over
/// meaning. Spans, comments and layout are in no model part, so the hash
/// is the same for a spec and its `eosc fmt` output. The JSON is written
/// straight into the hasher (a model can be megabytes).
pub fn json_hash(value: &impl Serialize) -> String {
    let mut hasher = Sha256::new();
    // Model parts serialize without failing (no maps with non-string
    // keys), and writing into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut hasher, value);
    hex(&hasher.finalize())
}
