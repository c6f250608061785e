//! The native graph file, `tradenet/1` (FORMAT.md §1): a streaming reader that reports every
//! problem with its JSON path ([`read()`]), and a writer whose output reads back to the same graph
//! ([`write()`]). The writer's pieces (strings, numbers, nodes, flows) serve the other JSON
//! exports too.

mod read;
mod write;

pub use read::read;
pub(crate) use read::{meta_from_value, node_from_value, sector_goods, OVER_BUDGET};
pub use write::write;
pub(crate) use write::*;

/// The format versions this build reads.
pub const SUPPORTED: &[&str] = &["tradenet/1"];
/// The version this build writes.
pub const CURRENT: &str = "tradenet/1";
