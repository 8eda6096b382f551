//! sha256 as lower-case hex: the input hash (lib), the manifest's file
//! hashes and Nomad's job hash (emitters). A leaf module, so emitters can
//! use it without reaching up to the crate root.

use sha2::{Digest, Sha256};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// sha256 of `data` as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}
