//! Every integration test of eosc, in one binary: one link of the library
//! instead of one per file (the link dominated a CI run on two cores).
//! One module per former `tests/*.rs` file; shared helpers in `support/`.
//! Layout and how to add a case: tests/README.md.

mod atomic;
mod caddy_differential;
mod caddy_e2e;
mod caddy_streamed;
mod caddy_validate;
mod cases;
mod cli;
mod cli_check;
mod cli_compile_check;
mod cli_diff;
mod cli_fmt;
mod cli_graph;
mod cli_init;
mod cli_manual;
mod cli_ownership;
mod cli_workflow;
mod cli_workflow_docs;
mod deploy_plan;
mod determinism;
mod dns_module;
mod dns_tools;
mod docs_examples;
mod edge_runtime;
mod fmt_corpus;
mod fmt_generated;
mod import_cli;
mod import_differential;
mod import_nginx;
mod import_roundtrip;
mod injection;
mod isolation;
mod jenkins_real;
mod layering;
mod no_panic;
mod nomad_agrees_with_caddy;
mod nomad_examples;
mod nomad_jobs;
mod nomad_rules;
mod parse_pieces;
mod salt_graph;
mod salt_orchestration;
mod salt_real;
mod schema_docs;
mod secrets;
mod snapshots;
mod support;
mod terraform_agrees_with_nomad;
mod terraform_examples;
mod terraform_module;
mod trust_imports;
mod trust_secrets;
mod workload;
