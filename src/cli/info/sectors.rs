//! `info --sectors`: the sector table.

use super::super::output::{count, human, pct, to_json, Csv, Report, Table};
use super::super::Loaded;
use super::{graph_info, GraphInfo};
use anyhow::Result;
use serde_json::Value;
use tradenet::analysis::SectorTotal;
use tradenet::GraphKind;

/// `info --sectors`: the sector table.
pub(super) struct SectorsReport<'a> {
    pub loaded: &'a Loaded,
    pub rows: &'a [SectorTotal],
}

/// FORMAT.md's JSON of `info --sectors`.
#[derive(serde::Serialize)]
struct SectorsJson<'a> {
    graph: GraphInfo<'a>,
    sectors: &'a [SectorTotal],
}

impl Report for SectorsReport<'_> {
    fn summary(&self) -> Vec<String> {
        let kinds = tradenet::model::sector_kinds(self.loaded.graph.sectors());
        vec![
            format!("graph: {}", self.loaded.label),
            if kinds.unknown().is_empty() {
                format!("goods or services: from {}", kinds.basis())
            } else {
                format!(
                    "goods or services: {} of {} sectors cannot be told (?): add \"goods\": true|false to them in the \"sectors\" table",
                    kinds.unknown().len(),
                    self.rows.len()
                )
            },
        ]
    }

    fn tables(&self) -> Vec<Table> {
        let total: f64 = self.rows.iter().map(|r| r.value).sum();
        let mut header = vec!["sector", "name", "kind", "flows", "value", "share"];
        if self.loaded.graph.kind() == GraphKind::InputOutput {
            header.push("final demand");
        }
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut v = vec![
                    r.id.clone(),
                    r.name.as_deref().map_or_else(|| "-".into(), short_name),
                    r.kind.unwrap_or("?").to_string(),
                    count(r.flows),
                    human(r.value),
                    if total > 0.0 {
                        pct(r.value / total)
                    } else {
                        "-".into()
                    },
                ];
                if let Some(fd) = r.final_demand {
                    v.push(human(fd));
                }
                v
            })
            .collect();
        vec![Table {
            title: format!("{} sectors", self.rows.len()),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows,
            right: vec![3, 4, 5, 6],
        }]
    }

    fn json(&self) -> Result<Value> {
        to_json(&SectorsJson {
            graph: graph_info(self.loaded),
            sectors: self.rows,
        })
    }

    fn csv(&self) -> Result<Csv> {
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.id.clone(),
                    r.name.clone().unwrap_or_default(),
                    r.kind.unwrap_or_default().to_string(),
                    r.flows.to_string(),
                    tradenet::io::fmt_value(r.value),
                    r.final_demand
                        .map(tradenet::io::fmt_value)
                        .unwrap_or_default(),
                ]
            })
            .collect();
        let header = ["id", "name", "kind", "flows", "value", "final_demand"];
        Ok((header.map(String::from).to_vec(), rows))
    }
}

/// A long name cut to fit a table column (the JSON and CSV keep it whole).
fn short_name(name: &str) -> String {
    const MAX: usize = 60;
    if name.chars().count() <= MAX {
        return name.to_string();
    }
    let mut s: String = name.chars().take(MAX - 1).collect();
    s.truncate(s.trim_end().len());
    s.push('…');
    s
}
