//! The dependency of the countries a scenario involves: each one's export destinations, import
//! origins and concentration, as `tradenet dependency --country C` reports them.

use super::super::dependency::DependencyReport;
use super::super::output::Report;
use super::super::shock::Shocked;
use super::doc::{Block, Section};
use anyhow::{Context, Result};
use tradenet::analysis::{dependency, DependencyParams, Shock};
use tradenet::TradeGraph;

/// The most countries shown.
const MOST: usize = 4;

/// The country of a name in a scenario: a node's country, or the name when it is a country;
/// `None` for a sector or a name the graph does not have.
fn country_of(g: &TradeGraph, name: &str) -> Option<String> {
    if let Some(ix) = g.node_index(name) {
        return Some(g.node(ix).country_id().to_string());
    }
    g.country_ids()
        .into_iter()
        .find(|c| *c == name)
        .map(str::to_string)
}

/// The countries the scenario names (tariffs' importers and exporters, embargoes' parties,
/// the countries of the nodes whose demand or supply changes), at most [`MOST`]; when it
/// names none (a sector's demand), the countries that change most.
pub fn countries(s: &Shocked) -> Vec<String> {
    let g = &s.loaded.graph;
    let mut out: Vec<String> = Vec::new();
    for shock in &s.scenario.shocks {
        let names: Vec<&str> = match shock {
            Shock::Tariff(t) => vec![&t.importer, &t.exporter],
            Shock::Embargo(e) => vec![&e.from, &e.to],
            Shock::Demand(d) => vec![&d.target],
            Shock::Supply(x) => vec![&x.node],
            Shock::DemandValue(d) => vec![&d.node],
            Shock::TradeCost(c) => vec![&c.importer, &c.exporter],
        };
        for c in names.into_iter().filter_map(|n| country_of(g, n)) {
            if !out.contains(&c) && out.len() < MOST {
                out.push(c);
            }
        }
    }
    if out.is_empty() {
        out = s
            .result
            .ranked_countries()
            .iter()
            .take(2)
            .map(|c| c.id.clone())
            .collect();
    }
    out
}

/// The section: for each country involved, `tradenet dependency --country C`'s lines and
/// tables.
pub fn section(s: &Shocked, top: usize) -> Result<Section> {
    let g = &s.loaded.graph;
    let list = countries(s);
    let mut blocks = vec![Block::Text(format!(
        "How concentrated the trade of the countries involved is ({}): their partners and shares, as tradenet dependency --country C reports them.",
        list.join(", ")
    ))];
    for c in &list {
        let p = DependencyParams {
            country: Some(c.clone()),
            ..Default::default()
        };
        let out = dependency(g, &p).with_context(|| format!("the dependency of {c}"))?;
        let r = DependencyReport {
            graph: serde_json::Value::Null,
            head: Vec::new(),
            nodes: g.node_count(),
            p: &p,
            out: &out,
            top: top.min(10),
        };
        let name = g
            .country_name(c)
            .map(|n| format!("{c} ({n})"))
            .unwrap_or_else(|| c.clone());
        blocks.push(Block::Heading(name));
        blocks.push(Block::List(r.summary()));
        blocks.extend(r.tables().into_iter().map(Block::Table));
    }
    Ok(Section {
        id: "dependency",
        heading: "Dependency of the countries involved".into(),
        blocks,
    })
}
