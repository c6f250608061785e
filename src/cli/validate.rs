//! `tradenet validate`: check a file and say what is wrong with it.

use super::output::{count, Printed, Sink};
use super::GraphArgs;
use anyhow::Result;
use clap::Args;
use serde_json::json;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
}

pub fn run(a: ValidateArgs, out: &Sink) -> Result<()> {
    // Every problem is reported by the loader; reaching this point means the file is valid.
    let loaded = a.graph.load()?;
    let g = &loaded.graph;
    let mut line = format!(
        "ok: {}: {} graph, {} nodes, {} flows, {} sectors",
        loaded.label,
        g.kind().as_str(),
        count(g.node_count()),
        count(g.flow_count()),
        g.sectors().len()
    );
    if g.skipped_rows > 0 {
        let n = g.skipped_rows;
        let rows = if n == 1 { "row" } else { "rows" };
        line.push_str(&format!(
            ", {} {rows} with an empty or zero value skipped",
            count(n as usize)
        ));
    }
    let json = json!({
        "graph": super::info::graph_json(&loaded),
        "valid": true,
        "sectors": g.sectors().len(),
        "skipped_rows": g.skipped_rows,
    });
    let csv = (
        [
            "id",
            "valid",
            "kind",
            "nodes",
            "flows",
            "sectors",
            "skipped_rows",
        ]
        .map(String::from)
        .to_vec(),
        vec![vec![
            loaded.label.clone(),
            "true".into(),
            g.kind().as_str().into(),
            g.node_count().to_string(),
            g.flow_count().to_string(),
            g.sectors().len().to_string(),
            g.skipped_rows.to_string(),
        ]],
    );
    out.report(&Printed {
        summary: vec![line],
        tables: vec![],
        json,
        csv,
    })
}
