//! `tradenet info`: what is in a graph.

use super::flags;
use super::output::{count, human, pct, to_json, Csv, Report, Sink, Table};
use super::{GraphArgs, Loaded};
use anyhow::Result;
use clap::Args;
use serde_json::Value;
use tradenet::analysis::{sector_totals, summary, Ranked, SectorTotal, Summary, SummaryParams};
use tradenet::GraphKind;

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
    p.validate().map_err(|e| e.rename_param(&[("top", "--top")]))?;
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

/// `info --sectors`: the sector table.
struct SectorsReport<'a> {
    loaded: &'a Loaded,
    rows: &'a [SectorTotal],
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

/// The `graph` object every JSON output starts with (FORMAT.md): the file, its name, kind and
/// size, and the year chosen when the file has several.
#[derive(Debug, serde::Serialize)]
pub struct GraphInfo<'a> {
    file: &'a str,
    name: Option<&'a str>,
    kind: &'static str,
    nodes: usize,
    flows: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    years_in_file: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year_rule: Option<&'static str>,
}

/// The `graph` object of `l`, to embed in a command's JSON output.
pub fn graph_info(l: &super::Loaded) -> GraphInfo<'_> {
    let g = &l.graph;
    GraphInfo {
        file: &l.label,
        name: g.meta.name.as_deref(),
        kind: g.kind().as_str(),
        nodes: g.node_count(),
        flows: g.flow_count(),
        year: l.latest_of.map(|(y, _)| y),
        years_in_file: l.latest_of.map(|(_, n)| n),
        year_rule: l
            .latest_of
            .map(|_| "latest year of a multi-year file; years are never summed"),
    }
}

/// The `graph` object as JSON (for commands that still build their JSON as a tree).
pub fn graph_json(l: &super::Loaded) -> serde_json::Value {
    serde_json::to_value(graph_info(l)).unwrap_or_default()
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
