//! The output of `centrality` in the three formats.

use super::super::info::{graph_info, GraphInfo};
use super::super::output::{human, to_json, Csv, Report, Table};
use super::super::Loaded;
use anyhow::Result;
use serde_json::Value;
use tradenet::analysis::{CentralityOutput, CentralitySettings, Measure, MeasureRun, NodeScores};

/// The output of `centrality` as the sink prints it.
pub(super) struct CentralityReport<'a> {
    pub loaded: &'a Loaded,
    pub out: &'a CentralityOutput,
    /// `--top`: rows of every format (the table shows 20 without it).
    pub top: Option<usize>,
}

/// FORMAT.md's JSON of `centrality`.
#[derive(serde::Serialize)]
struct CentralityJson<'a> {
    graph: GraphInfo<'a>,
    measures: &'a [Measure],
    params: &'a CentralitySettings,
    nodes: &'a [NodeScores],
}

impl CentralityReport<'_> {
    /// What the nodes are, for the summary.
    fn view(&self) -> &'static str {
        if self.out.params.countries {
            "countries (input-output graphs aggregated)"
        } else if self.loaded.graph.kind() == tradenet::GraphKind::InputOutput {
            "country-sector nodes"
        } else {
            "nodes"
        }
    }

    /// The rows of the JSON and the CSV: all, or `--top`.
    fn rows(&self) -> &[NodeScores] {
        let n = self.out.nodes.len();
        &self.out.nodes[..self.top.unwrap_or(n).min(n)]
    }

    /// The CSV as bytes, rows formatted in parallel blocks and concatenated in order (the
    /// same bytes whatever the thread count).
    pub fn csv_bytes(&self) -> Result<Vec<u8>> {
        use rayon::prelude::*;
        let block = |chunk: &[NodeScores]| -> csv::Result<Vec<u8>> {
            let mut w = csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 32));
            let mut cells: Vec<Vec<u8>> = vec![Vec::new(); self.out.measures.len()];
            for node in chunk {
                for (cell, (_, v)) in cells.iter_mut().zip(&node.scores.0) {
                    cell.clear();
                    tradenet::io::push_value(cell, *v);
                }
                let id = std::iter::once(node.id.as_bytes());
                w.write_record(id.chain(cells.iter().map(|v| &v[..])))?;
            }
            w.into_inner().map_err(|e| e.into_error().into())
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.csv_header())?;
        let mut bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        let parts: Vec<Vec<u8>> = self
            .rows()
            .par_chunks(1 << 15)
            .map(block)
            .collect::<csv::Result<_>>()?;
        bytes.reserve(parts.iter().map(Vec::len).sum());
        for p in parts {
            bytes.extend_from_slice(&p);
        }
        Ok(bytes)
    }

    fn csv_header(&self) -> Vec<String> {
        std::iter::once("id")
            .chain(self.out.measures.iter().map(|m| m.name()))
            .map(String::from)
            .collect()
    }

    /// The summary line of one measure's run, if it has one.
    fn run_line(&self, r: &MeasureRun) -> Option<String> {
        let (o, p) = (self.out, &self.out.params);
        let steps = r.iterations.unwrap_or(0);
        Some(match r.measure {
            Measure::Pagerank | Measure::Cheirank => format!(
                "{}: alpha {}, {steps} iterations to tol {:e}",
                r.measure, p.alpha, p.tol
            ),
            Measure::Katz => format!(
                "katz: alpha {:.6e} = {} / lambda_max (lambda_max {:.6e}), {steps} iterations",
                r.alpha.unwrap_or(f64::NAN),
                p.katz_alpha_fraction,
                r.spectral_radius.unwrap_or(f64::NAN),
            ),
            Measure::Eigenvector => format!(
                "eigenvector: {steps} Arnoldi steps (products with the matrix) to tol {:e}",
                p.tol
            ),
            Measure::Authority if o.measures.contains(&Measure::Hub) => return None,
            Measure::Hub | Measure::Authority => format!(
                "hits: {steps} Lanczos steps (products with A^T A) to tol {:e}",
                p.tol
            ),
            Measure::Betweenness => format!(
                "betweenness: distance {}, {} sources{}",
                p.distance.unwrap_or_default(),
                p.betweenness_sources.unwrap_or(o.nodes.len()),
                if p.betweenness_normalized {
                    ", normalised"
                } else {
                    ", raw sums"
                }
            ),
            _ => return None,
        })
    }
}

impl Report for CentralityReport<'_> {
    fn summary(&self) -> Vec<String> {
        let o = self.out;
        let names: Vec<&str> = o.measures.iter().map(|m| m.name()).collect();
        let mut lines = vec![
            format!("graph: {}", self.loaded.label),
            format!(
                "{} {}, measures: {}",
                o.nodes.len(),
                self.view(),
                names.join(", ")
            ),
        ];
        lines.extend(o.runs.iter().filter_map(|r| self.run_line(r)));
        lines
    }

    fn tables(&self) -> Vec<Table> {
        let o = self.out;
        let mut header = vec!["#".to_string(), "id".into(), "name".into()];
        header.extend(o.measures.iter().map(|m| m.name().to_string()));
        let rows = o
            .nodes
            .iter()
            .take(self.top.unwrap_or(20))
            .enumerate()
            .map(|(r, node)| {
                let mut row = vec![
                    (r + 1).to_string(),
                    node.id.clone(),
                    node.name.clone().unwrap_or_default(),
                ];
                row.extend(node.scores.0.iter().map(|&(m, v)| cell(m, v)));
                row
            })
            .collect();
        vec![Table {
            title: format!("Ranked by {}", o.measures[0]),
            header,
            rows,
            right: std::iter::once(0).chain(3..3 + o.measures.len()).collect(),
        }]
    }

    fn json(&self) -> Result<Value> {
        to_json(&CentralityJson {
            graph: graph_info(self.loaded),
            measures: &self.out.measures,
            params: &self.out.params,
            nodes: self.rows(),
        })
    }

    fn csv(&self) -> Result<Csv> {
        let rows = self
            .rows()
            .iter()
            .map(|node| {
                std::iter::once(node.id.clone())
                    .chain(node.scores.0.iter().map(|&(_, v)| {
                        let mut b = Vec::new();
                        tradenet::io::push_value(&mut b, v);
                        String::from_utf8_lossy(&b).into_owned()
                    }))
                    .collect()
            })
            .collect();
        Ok((self.csv_header(), rows))
    }
}

/// A score for the human table.
fn cell(m: Measure, v: f64) -> String {
    match m {
        Measure::InStrength | Measure::OutStrength => human(v),
        _ if v == 0.0 => "0".into(),
        _ if v.abs() >= 1e-3 && v.abs() < 1e6 => format!("{v:.6}"),
        _ => format!("{v:.4e}"),
    }
}
