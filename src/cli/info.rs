//! `tradenet info`: what is in a graph.

use super::flags;
use super::output::{count, human, pct, Printed, Sink, Table};
use super::GraphArgs;
use anyhow::Result;
use clap::Args;
use serde_json::json;
use tradenet::analysis::{sector_totals, structure, summarize, Ranked, StructureParams};
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

/// `info --sectors`: the sector table.
fn sectors_report(loaded: &super::Loaded, out: &Sink) -> Result<()> {
    let g = &loaded.graph;
    let rows = sector_totals(g);
    let total: f64 = rows.iter().map(|r| r.value).sum();
    let io = g.kind() == GraphKind::InputOutput;
    let mut header = vec!["sector", "name", "kind", "flows", "value", "share"];
    if io {
        header.push("final demand");
    }
    let table = Table {
        title: format!("{} sectors", rows.len()),
        header: header.iter().map(|s| s.to_string()).collect(),
        rows: rows
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
            .collect(),
        right: vec![3, 4, 5, 6],
    };
    let kinds = tradenet::model::sector_kinds(g.sectors());
    let mut summary = vec![format!("graph: {}", loaded.label)];
    summary.push(if kinds.unknown().is_empty() {
        format!("goods or services: from {}", kinds.basis())
    } else {
        format!(
            "goods or services: {} of {} sectors cannot be told (?): add \"goods\": true|false to them in the \"sectors\" table",
            kinds.unknown().len(),
            rows.len()
        )
    });
    let csv_rows = rows
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
    out.report(&Printed {
        summary,
        tables: vec![table],
        json: json!({"graph": graph_json(loaded), "sectors": rows}),
        csv: (
            ["id", "name", "kind", "flows", "value", "final_demand"]
                .map(String::from)
                .to_vec(),
            csv_rows,
        ),
    })
}

pub fn run(a: InfoArgs, out: &Sink) -> Result<()> {
    let loaded = a.graph.load()?;
    // Every year of the file is listed; the figures are for one year, never a sum of years.
    let years_in_file = loaded.graph.years();
    let loaded = loaded.latest_year()?;
    if a.sectors {
        return sectors_report(&loaded, out);
    }
    let g = &loaded.graph;
    // One aggregated adjacency for the summary and the structure metrics.
    let csr = tradenet::Csr::from_graph(g, &tradenet::FlowFilter::default());
    let s = summarize(g, &csr, a.top);
    // Network structure (MODELS.md §1). Clustering is skipped (null) above about 1e9 steps
    // (e.g. the 3,420-node ICIO graph); `tradenet centrality` ranks nodes.
    let st = structure(
        &csr,
        &StructureParams {
            clustering_max_work: Some(1e9),
        },
    );
    let unit = g.meta.unit.clone().unwrap_or_default();
    let unit_sp = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };

    let mut summary = vec![format!("graph: {}", loaded.label)];
    if let Some(n) = &g.meta.name {
        summary.push(format!("name: {n}"));
    }
    let kind = match s.kind {
        GraphKind::InputOutput => format!(
            "input-output ({} country-sector nodes in {} countries)",
            count(s.nodes),
            s.countries
        ),
        GraphKind::Trade => format!("trade ({} economies)", count(s.nodes)),
    };
    summary.push(format!("kind: {kind}"));
    summary.push(format!(
        "nodes: {}   flows: {}   trading pairs: {}   sectors: {}   density: {:.4}",
        count(s.nodes),
        count(s.flows),
        count(s.pairs),
        s.sectors,
        s.density
    ));
    let opt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
    summary.push(format!(
        "reciprocity: {} (weighted {})   clustering (weighted, average): {}",
        opt(st.reciprocity),
        opt(st.weighted_reciprocity),
        match st.average_clustering {
            Some(c) => format!("{c:.4}"),
            None => "skipped (graph too large)".into(),
        }
    ));
    summary.push(format!(
        "components: {} weak (largest {}), {} strong (largest {})",
        count(st.weak.count),
        count(st.weak.largest),
        count(st.strong.count),
        count(st.strong.largest)
    ));
    summary.push(format!("total value: {}{unit_sp}", human(s.total_value)));
    if s.kind == GraphKind::InputOutput {
        summary.push(format!(
            "exports between countries ({}): {}{unit_sp}",
            s.exports_basis.unwrap_or_default(),
            human(s.exports_total)
        ));
    }
    if let Some((y, n)) = loaded.latest_of {
        summary.push(format!(
            "year: {y}, the latest of the file's {n} years: every figure here is for {y} \
             (choose another with --year; see them all with tradenet dependency --by-year)"
        ));
    } else if !s.years.is_empty() {
        let y = &s.years;
        summary.push(if y.len() > 6 {
            format!("years: {} ({}-{})", y.len(), y[0], y[y.len() - 1])
        } else {
            format!(
                "years: {}",
                y.iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    } else if let Some(y) = g.meta.year {
        summary.push(format!("year: {y}"));
    }
    if s.skipped_rows > 0 {
        summary.push(format!(
            "skipped rows (empty or zero value): {}",
            count(s.skipped_rows as usize)
        ));
    }
    if let Some(src) = &g.meta.source {
        summary.push(format!("source: {src}"));
    }
    if let Some(n) = g.meta.notes.as_deref().filter(|n| !n.is_empty()) {
        summary.push(format!("notes: {n}"));
    }
    summary.extend(table_lines(&g.meta));

    let table = |title: &str, list: &[Ranked]| {
        let named = list.iter().any(|r| r.name.is_some());
        let mut header = vec!["#".to_string(), "id".to_string()];
        if named {
            header.push("name".into());
        }
        header.extend([format!("value{unit_sp}"), "share".to_string()]);
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
            title: title.to_string(),
            header,
            rows,
            right,
        }
    };
    let which = match s.exports_basis {
        Some(basis) if s.kind == GraphKind::InputOutput => format!(" (countries; {basis})"),
        _ => String::new(),
    };
    let tables = vec![
        table(
            &format!("Top {} exporters{which}", s.top_exporters.len()),
            &s.top_exporters,
        ),
        table(
            &format!("Top {} importers{which}", s.top_importers.len()),
            &s.top_importers,
        ),
    ];
    let ranked_json = |l: &[Ranked]| -> Vec<serde_json::Value> {
        l.iter()
            .map(|r| json!({"id": r.id, "name": r.name, "value": r.value, "share": r.share}))
            .collect()
    };
    let json = json!({
        "graph": graph_json(&loaded),
        "kind": s.kind.as_str(),
        "nodes": s.nodes,
        "flows": s.flows,
        "pairs": s.pairs,
        "sectors": s.sectors,
        "countries": s.countries,
        "total_value": s.total_value,
        "exports_total": s.exports_total,
        "exports_basis": s.exports_basis,
        "density": s.density,
        "self_loops": st.self_loops,
        "reciprocity": st.reciprocity,
        "weighted_reciprocity": st.weighted_reciprocity,
        "average_clustering": st.average_clustering,
        "weak_components": st.weak.count,
        "largest_weak_component": st.weak.largest,
        "strong_components": st.strong.count,
        "largest_strong_component": st.strong.largest,
        "years": years_in_file,
        "data_year": g.meta.year,
        "unit": g.meta.unit,
        "layout": g.meta.extra.get("layout"),
        "merged": extra_list(&g.meta, "merged"),
        "dropped": extra_list(&g.meta, "dropped"),
        "checks": extra_list(&g.meta, "checks"),
        "skipped_rows": s.skipped_rows,
        "unit": g.meta.unit,
        "source": g.meta.source,
        "notes": g.meta.notes,
        "meta_extra": g.meta.extra,
        "top_exporters": ranked_json(&s.top_exporters),
        "top_importers": ranked_json(&s.top_importers),
    });
    let mut csv_rows = Vec::new();
    for (list, r) in [
        ("exporter", &s.top_exporters),
        ("importer", &s.top_importers),
    ] {
        for (i, x) in r.iter().enumerate() {
            csv_rows.push(vec![
                x.id.clone(),
                list.to_string(),
                (i + 1).to_string(),
                x.name.clone().unwrap_or_default(),
                tradenet::io::fmt_value(x.value),
                tradenet::io::fmt_value(x.share),
            ]);
        }
    }
    let csv = (
        ["id", "list", "rank", "name", "value", "share"]
            .map(String::from)
            .to_vec(),
        csv_rows,
    );
    out.report(&Printed {
        summary,
        tables,
        json,
        csv,
    })
}

/// A list of text in `meta.extra[key]` (the MRIO readers' `merged`, `dropped`, `checks`);
/// empty when absent.
fn extra_list(meta: &tradenet::Meta, key: &str) -> Vec<String> {
    meta.extra
        .get(key)
        .and_then(serde_json::Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The summary lines of a table read from a published layout (OECD ICIO, ...): the layout,
/// the unit, and what was merged, dropped and checked. None for other graphs.
fn table_lines(meta: &tradenet::Meta) -> Vec<String> {
    let Some(layout) = meta.extra.get("layout").and_then(serde_json::Value::as_str) else {
        return Vec::new();
    };
    let mut lines = vec![format!("layout: {layout}")];
    if let Some(u) = &meta.unit {
        lines.push(format!("unit: {u} (values as published, not rescaled)"));
    }
    for (key, label) in [
        ("merged", "merged"),
        ("dropped", "dropped"),
        ("checks", "check"),
    ] {
        for item in extra_list(meta, key) {
            lines.push(format!("{label}: {item}"));
        }
    }
    lines
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
