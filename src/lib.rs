//! eosc: one hecate spec in, Salt/Terraform/Nomad/Caddy/DNS/Jenkins out.
//!
//! The pipeline, on one screen:
//! source text → [`syntax::parse`] → [`sema`] (resolve, evaluate per
//! environment, check, graph) → [`sema::model::Model`] per environment →
//! [`emit::emit_all`] → artifacts. Only `cli.rs` touches the filesystem.

pub mod diagnostics;
pub mod emit;
pub mod sema;
pub mod source;
pub mod syntax;
