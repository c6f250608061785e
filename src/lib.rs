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
//!
//! ## A tour
//!
//! Every analysis has one shape, `analysis(&TradeGraph, &Params) -> Result<Output>`: the
//! parameters have the command line's defaults and a `validate()` that names the parameter, its
//! value and the rule ([`Error::Param`]); the outputs are keyed by node and country ids and
//! serialise to the JSON of `--format json`. Load the bundled OECD ICIO 2022 graph, rank its
//! nodes, put a 25% US tariff on Canadian vehicles and follow it through the supply chains,
//! and draw the motor-vehicle trade as DOT:
//!
//! ```
//! use tradenet::analysis::{centrality, shock, CentralityParams, Measure, Scenario, Shock, ShockParams};
//!
//! let g = tradenet::bundled::default_graph()?;
//! assert_eq!(g.node_count(), 400); // 8 regions x 50 industries
//!
//! // PageRank on the country-sector nodes, as NetworkX's nx.pagerank(G, weight="weight").
//! let p = CentralityParams { measures: vec![Measure::Pagerank], ..Default::default() };
//! p.validate()?;
//! let ranked = centrality(&g, &p)?;
//! let top = &ranked.nodes[0];
//! println!("{} leads with PageRank {:.4}", top.id, top.scores.get(Measure::Pagerank).unwrap());
//!
//! // The headline tariff, partial equilibrium, then the Leontief ripple round by round.
//! let tariff = tradenet::analysis::parse_tariff("USA:CAN:C29=25%")?;
//! let r = shock(&g, &Scenario::new(vec![Shock::Tariff(tariff)]), &ShockParams::default())?;
//! let can = r.country("CAN").unwrap();
//! assert!(can.delta < 0.0); // Canada's output falls
//! assert!(r.rounds.len() > 2); // ... and reaches its suppliers' suppliers
//! let json = serde_json::to_value(&r).unwrap(); // FORMAT.md's shock JSON
//! assert_eq!(json["model"], "leontief");
//!
//! // The vehicle trade between countries, as a Graphviz diagram.
//! let autos = g.sector_layer(&[g.require_sector("C29")?]).countries();
//! let dot = tradenet::io::dot::to_dot(&autos, &tradenet::io::dot::DotStyle::default());
//! assert!(dot.starts_with("digraph"));
//! # Ok::<(), tradenet::Error>(())
//! ```

pub mod analysis;
pub mod budget;
pub mod bundled;
pub mod error;
pub mod io;
pub mod model;
pub mod text;
pub mod timings;

pub use error::{Error, Problem, Result};
pub use model::{
    Csr, Direction, FinalDemand, Flow, FlowExtra, FlowFilter, GraphBuilder, GraphKind, GroupParams,
    GroupReport, Grouping, Meta, Node, NodeExtra, NodeIx, Place, Sector, SectorId, TradeGraph,
};
