//! The integration tests, in one binary (one link instead of one per file: a change to the
//! library re-links one test executable). Each module is an area; `cargo test --test it AREA::`
//! runs one (`cargo test --test it bad_input::`).
//!
//! Tests read real data from `../shared/data` at run time and fail, naming the path, when it
//! is missing; the rendering test fails in CI (`CI=true`) when Graphviz is missing.

#[path = "../fuzz/checks.rs"]
mod checks;
#[path = "../common/mod.rs"]
mod common;

mod aggregate;
mod bad_input;
mod centrality;
mod cli;
mod compare;
mod complexity;
mod dependency;
mod draw;
mod firm_scale;
mod format_contract;
mod frames;
mod fuzz_regressions;
mod ge;
mod ge_gravity;
mod gvc;
mod interchange;
mod limits;
mod model;
mod mrio;
mod output_paths;
mod properties;
mod readme;
mod report;
mod shock;
mod trade_files;
