//! Syntax tree → checked model: resolve names (`resolve`), evaluate per
//! environment (`eval`, `types`), build and check every entity (`check`,
//! `workload`, `routing`, `policy`), and graph the dependencies (`graph`,
//! rendered by `graph_export`).

mod check;
mod edge;
pub mod eval;
pub mod graph;
pub mod graph_export;
pub mod model;
mod policy;
mod ports;
pub mod resolve;
mod routing;
mod secrets;
mod stream;
mod types;
mod workload;

pub use check::check_all;
pub use policy::{looks_like_token, secret_looking};
