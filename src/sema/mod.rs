//! Syntax tree → checked model: resolve names, evaluate per environment,
//! type-check, build the dependency graph.

pub mod model;
