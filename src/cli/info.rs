//! `tradenet info`: what is in a graph.

use super::flags;
use super::output::{count, human, pct, to_json, Csv, Report, Sink, Table};
use super::{GraphArgs, Loaded};
use anyhow::Result;
use clap::Args;
use sectors::SectorsReport;
use serde_json::Value;
use tradenet::analysis::{sector_totals, summary, Ranked, Summary, SummaryParams};
use tradenet::GraphKind;

mod graph;
mod sectors;

pub use graph::{graph_info, graph_json, GraphInfo};

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    /// How many top exporters and importers to list.
    #[arg(long, default_value_t = 10, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
    /// List the sector codes with their names, flows and value instead of the summary.
    #[arg(long)]
    pub sectors: bool,
}

pub fn run(a: InfoArgs, out: &Sink) -> Result<()> {
    let p = SummaryParams {
        top: a.top,
        ..Default::default()
    };
    p.validate()
        .map_err(|e| e.rename_param(&[("top", "--top")]))?;
    let loaded = a.graph.load()?;
    // Every year of the file is listed; the figures are for one year, never a sum of years.
    let years_in_file = loaded.graph.years();
    let loaded = loaded.latest_year()?;
    if a.sectors {
        let rows = sector_totals(&loaded.graph);
        return out.report(&SectorsReport {
            loaded: &loaded,
            rows: &rows,
        });
    }
    let mut s = summary(&loaded.graph, &p)?;
    s.years = years_in_file;
    out.report(&InfoReport {
        loaded: &loaded,
        s: &s,
    })
}

/// `info`: the summary of a graph.
struct InfoReport<'a> {
    loaded: &'a Loaded,
    s: &'a Summary,
}

/// FORMAT.md's JSON of `info`.
#[derive(serde::Serialize)]
struct InfoJson<'a> {
    graph: GraphInfo<'a>,
    #[serde(flatten)]
    summary: &'a Summary,
}

impl InfoReport<'_> {
    /// ` USD`, or nothing when the graph has no unit.
    fn unit(&self) -> String {
        match self.s.unit.as_deref() {
            Some(u) if !u.is_empty() => format!(" {u}"),
            _ => String::new(),
        }
    }

    /// The size, structure and value lines.
    fn figures(&self) -> Vec<String> {
        let (s, unit) = (self.s, self.unit());
        let kind = match s.kind {
            GraphKind::InputOutput => format!(
                "input-output ({} country-sector nodes in {} countries)",
                count(s.nodes),
                s.countries
            ),
            GraphKind::Trade => format!("trade ({} economies)", count(s.nodes)),
        };
        let opt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
        let mut lines = vec![
            format!("kind: {kind}"),
            format!(
                "nodes: {}   flows: {}   trading pairs: {}   sectors: {}   density: {:.4}",
                count(s.nodes),
                count(s.flows),
                count(s.pairs),
                s.sectors,
                s.density
            ),
            format!(
                "reciprocity: {} (weighted {})   clustering (weighted, average): {}",
                opt(s.reciprocity),
                opt(s.weighted_reciprocity),
                match s.average_clustering {
                    Some(c) => format!("{c:.4}"),
                    None => "skipped (graph too large)".into(),
                }
            ),
            format!(
                "components: {} weak (largest {}), {} strong (largest {})",
                count(s.weak_components),
                count(s.largest_weak_component),
                count(s.strong_components),
                count(s.largest_strong_component)
            ),
            format!("total value: {}{unit}", human(s.total_value)),
        ];
        if s.kind == GraphKind::InputOutput {
            lines.push(format!(
                "exports between countries ({}): {}{unit}",
                s.exports_basis.unwrap_or_default(),
                human(s.exports_total)
            ));
        }
        lines
    }

    /// The year, skipped rows, source and notes lines.
    fn provenance(&self) -> Vec<String> {
        let s = self.s;
        let mut lines = Vec::new();
        if let Some((y, n)) = self.loaded.latest_of {
            lines.push(format!(
                "year: {y}, the latest of the file's {n} years: every figure here is for {y} \
                 (choose another with --year; see them all with tradenet dependency --by-year)"
            ));
        } else if !s.years.is_empty() {
            let y = &s.years;
            lines.push(if y.len() > 6 {
                format!("years: {} ({}-{})", y.len(), y[0], y[y.len() - 1])
            } else {
                let list: Vec<String> = y.iter().map(|y| y.to_string()).collect();
                format!("years: {}", list.join(", "))
            });
        } else if let Some(y) = s.data_year {
            lines.push(format!("year: {y}"));
        }
        if s.skipped_rows > 0 {
            lines.push(format!(
                "skipped rows (empty or zero value): {}",
                count(s.skipped_rows as usize)
            ));
        }
        if let Some(src) = &s.source {
            lines.push(format!("source: {src}"));
        }
        if let Some(n) = s.notes.as_deref().filter(|n| !n.is_empty()) {
            lines.push(format!("notes: {n}"));
        }
        lines.extend(self.table_lines());
        lines
    }

    /// The lines of a table read from a published layout (OECD ICIO, ...): the layout, the
    /// unit, and what was merged, dropped and checked. None for other graphs.
    fn table_lines(&self) -> Vec<String> {
        let s = self.s;
        let Some(layout) = s.layout.as_ref().and_then(Value::as_str) else {
            return Vec::new();
        };
        let mut lines = vec![format!("layout: {layout}")];
        if let Some(u) = &s.unit {
            lines.push(format!("unit: {u} (values as published, not rescaled)"));
        }
        for (label, items) in [
            ("merged", &s.merged),
            ("dropped", &s.dropped),
            ("check", &s.checks),
        ] {
            lines.extend(items.iter().map(|item| format!("{label}: {item}")));
        }
        lines
    }

    /// A table of ranked economies.
    fn table(&self, title: String, list: &[Ranked]) -> Table {
        let named = list.iter().any(|r| r.name.is_some());
        let mut header = vec!["#".to_string(), "id".to_string()];
        if named {
            header.push("name".into());
        }
        header.extend([format!("value{}", self.unit()), "share".to_string()]);
        let rows = list
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut row = vec![(i + 1).to_string(), r.id.clone()];
                if named {
                    row.push(r.name.clone().unwrap_or_default());
                }
                row.extend([human(r.value), pct(r.share)]);
                row
            })
            .collect();
        let right = if named { vec![0, 3, 4] } else { vec![0, 2, 3] };
        Table {
            title,
            header,
            rows,
            right,
        }
    }
}

impl Report for InfoReport<'_> {
    fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!("graph: {}", self.loaded.label)];
        if let Some(n) = &self.loaded.graph.meta.name {
            lines.push(format!("name: {n}"));
        }
        lines.extend(self.figures());
        lines.extend(self.provenance());
        lines
    }

    fn tables(&self) -> Vec<Table> {
        let s = self.s;
        let which = match s.exports_basis {
            Some(basis) if s.kind == GraphKind::InputOutput => format!(" (countries; {basis})"),
            _ => String::new(),
        };
        vec![
            self.table(
                format!("Top {} exporters{which}", s.top_exporters.len()),
                &s.top_exporters,
            ),
            self.table(
                format!("Top {} importers{which}", s.top_importers.len()),
                &s.top_importers,
            ),
        ]
    }

    fn json(&self) -> Result<Value> {
        to_json(&InfoJson {
            graph: graph_info(self.loaded),
            summary: self.s,
        })
    }

    fn csv(&self) -> Result<Csv> {
        let mut rows = Vec::new();
        for (list, r) in [
            ("exporter", &self.s.top_exporters),
            ("importer", &self.s.top_importers),
        ] {
            for (i, x) in r.iter().enumerate() {
                rows.push(vec![
                    x.id.clone(),
                    list.to_string(),
                    (i + 1).to_string(),
                    x.name.clone().unwrap_or_default(),
                    tradenet::io::fmt_value(x.value),
                    tradenet::io::fmt_value(x.share),
                ]);
            }
        }
        let header = ["id", "list", "rank", "name", "value", "share"];
        Ok((header.map(String::from).to_vec(), rows))
    }
}
