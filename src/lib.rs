//! # tradenet
//!
//! Trade as a network: a directed, weighted graph of economies (countries, or country-sector
//! pairs) and the flows of goods between them, with readers for the files analysts already
//! have (native JSON, CSV edge lists, NetworkX node-link JSON, input-output CSV sets).
//!
//! ```
//! use tradenet::io::{load_bytes, LoadOptions};
//! let csv = b"exporter,importer,sector,value\nCAN,USA,c15,59.8e9\nKOR,CAN,c15,2.42e9\n".to_vec();
//! let g = load_bytes("example.csv", csv, &LoadOptions::default()).unwrap();
//! assert_eq!(g.node_count(), 3);
//! assert_eq!(g.total_value(), 62.22e9);
//! ```

pub mod analysis;
pub mod budget;
pub mod bundled;
pub mod error;
pub mod io;
pub mod model;
pub mod text;

pub use error::{Error, Problem, Result};
pub use model::{
    Csr, Direction, FinalDemand, Flow, FlowExtra, FlowFilter, GraphBuilder, GraphKind, GroupParams,
    GroupReport, Grouping, Meta, Node, NodeExtra, NodeIx, Place, Sector, SectorId, TradeGraph,
};
