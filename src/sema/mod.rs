//! Syntax tree → checked model: resolve names (`resolve`), evaluate per
//! environment (`eval`, `types`), build and check every entity (`check`,
//! `workload`, `routing`, `policy`), and graph the dependencies (`graph`,
//! rendered by `graph_export`).

pub mod caddy_globals;
mod check;
mod edge;
pub mod env_names;
pub mod eval;
mod exposure;
pub mod go_template;
pub mod graph;
pub mod graph_export;
mod hetzner_rules;
pub mod isolation;
pub mod lexical;
mod lexical_pass;
mod lockout;
pub mod model;
mod nomad_check;
pub mod nomad_rules;
pub mod placeholders;
mod placement;
mod policy;
mod ports;
mod proxy;
mod registration;
pub mod resolve;
mod route_rules;
mod routing;
mod scheduling;
pub mod scheduling_model;
pub mod schema;
pub mod secret_rules;
mod secret_scan;
mod secrets;
mod stream;
mod targets;
mod task_options;
pub mod templates;
mod types;
pub mod tz_names;
mod value_rules;
mod workload;

pub use check::check_all;
