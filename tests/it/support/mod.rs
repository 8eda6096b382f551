//! The one home of test helpers. Each submodule says what it holds; the
//! ones most tests need (the package root, the filesystem loader, the
//! snapshot folders) are here.

pub mod caddy;
pub mod cli;
pub mod fixture;
pub mod fmt;
pub mod jenkins;
pub mod loader;
pub mod multi;
pub mod nomad_jobspec;
pub mod rng;
pub mod salt;
pub mod shell_stand_ins;
pub mod snap;
pub mod specs;
pub mod tf_refs;
pub mod tools;

// The generated benchmark workloads, shared with benches/ (not every
// helper there is used by the tests).
#[path = "../../../benches/workload/mod.rs"]
#[allow(dead_code)]
pub mod workload;

use std::path::PathBuf;

/// The package root: tests run there, and every path in a test is relative
/// to it or built from it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
