//! Analyses: pure functions from a [`TradeGraph`](crate::TradeGraph) and a params struct to a
//! result struct. Nothing here prints, exits or reads files.

pub mod summary;

pub use summary::{summarize, Ranked, Summary};
