//! `tradenet validate`: check a file and say what is wrong with it.

use super::info::{graph_info, GraphInfo};
use super::output::{count, to_json, Csv, Report, Sink};
use super::{GraphArgs, Loaded};
use anyhow::Result;
use clap::Args;
use serde_json::Value;

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
    out.report(&ValidReport { loaded: &loaded })
}

/// A file that loaded.
struct ValidReport<'a> {
    loaded: &'a Loaded,
}

/// FORMAT.md's JSON of `validate`.
#[derive(serde::Serialize)]
struct ValidJson<'a> {
    graph: GraphInfo<'a>,
    valid: bool,
    sectors: usize,
    skipped_rows: u64,
}

impl Report for ValidReport<'_> {
    fn summary(&self) -> Vec<String> {
        let (l, g) = (self.loaded, &self.loaded.graph);
        let mut line = format!(
            "ok: {}: {} graph, {} nodes, {} flows, {} sectors",
            l.label,
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
        vec![line]
    }

    fn json(&self) -> Result<Value> {
        let g = &self.loaded.graph;
        to_json(&ValidJson {
            graph: graph_info(self.loaded),
            valid: true,
            sectors: g.sectors().len(),
            skipped_rows: g.skipped_rows,
        })
    }

    fn csv(&self) -> Result<Csv> {
        let g = &self.loaded.graph;
        let header = [
            "id",
            "valid",
            "kind",
            "nodes",
            "flows",
            "sectors",
            "skipped_rows",
        ];
        let row = vec![
            self.loaded.label.clone(),
            "true".into(),
            g.kind().as_str().into(),
            g.node_count().to_string(),
            g.flow_count().to_string(),
            g.sectors().len().to_string(),
            g.skipped_rows.to_string(),
        ];
        Ok((header.map(String::from).to_vec(), vec![row]))
    }
}
