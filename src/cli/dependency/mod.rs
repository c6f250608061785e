//! `tradenet dependency`: partner shares, concentration, critical dependencies and value-chain
//! exposure.

use super::flags::{self, Range};
mod tables;

use super::output::{to_json, Csv, Report, Sink, Table};
use super::GraphArgs;
use anyhow::Result;
use clap::Args;
use serde::Serialize;
use serde_json::Value;
use tables::{
    by_year_table, countries_table, country_summary, critical_table, matrix_table, shares_table,
    value_chain_table,
};
use tradenet::analysis::{dependency, CriticalParams, DependencyOutput, DependencyParams};
use tradenet::GraphKind;

#[derive(Debug, Args)]
pub struct DependencyArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    /// One country in detail: its partners, and (input-output graphs) its value-chain exposure.
    #[arg(long, value_name = "C", value_parser = flags::name("a country id"))]
    pub country: Option<String>,
    /// Report every country's trade with this partner: shares, and exports to it relative to output.
    #[arg(long, value_name = "P", value_parser = flags::name("a country id"))]
    pub partner: Option<String>,
    /// Only these sectors (comma-separated codes).
    #[arg(long, value_delimiter = ',', value_name = "S", value_parser = flags::name("a sector code"))]
    pub sector: Vec<String>,
    /// List critical dependencies (importer x sector): all three criteria of MODELS.md §3.
    #[arg(long)]
    pub critical: bool,
    /// With --critical, list every importer x sector with its criteria, not only the critical ones.
    #[arg(long, requires = "critical")]
    pub all_pairs: bool,
    /// Criterion 1: HHI of the importer's imports of the sector above this.
    #[arg(long, default_value_t = 0.4, value_name = "H", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "a critical threshold (an HHI)"))]
    pub import_hhi: f64,
    /// Criterion 2: HHI of world exports of the sector above this.
    #[arg(long, default_value_t = 0.4, value_name = "H", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "a critical threshold (an HHI)"))]
    pub world_hhi: f64,
    /// Criterion 3: imports / exports of the sector above this.
    #[arg(long, default_value_t = 1.0, value_name = "R", allow_hyphen_values = true,
          value_parser = flags::number(Range::NonNegative, "the critical threshold of imports / exports"))]
    pub ratio: f64,
    /// Input-output graphs: the value-chain exposure of every country to every country's final
    /// demand (every partner is a column, so --partner does not combine with it).
    #[arg(long, conflicts_with = "partner")]
    pub matrix: bool,
    /// Multi-year files: the indicators for every year.
    #[arg(long)]
    pub by_year: bool,
    /// Share of trade that "partners to cover" must reach.
    #[arg(long, default_value_t = 0.8, value_name = "SHARE", allow_hyphen_values = true,
          value_parser = flags::number(Range::Share, "the share of trade to cover"))]
    pub coverage: f64,
    /// Rows in the human tables.
    #[arg(long, default_value_t = 20, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
}

/// Library parameter names and their flags.
const FLAGS: [(&str, &str); 8] = [
    ("coverage", "--coverage"),
    ("critical.import_hhi", "--import-hhi"),
    ("critical.world_hhi", "--world-hhi"),
    ("critical.ratio", "--ratio"),
    ("all_pairs", "--all-pairs"),
    ("matrix", "--matrix"),
    ("by_year", "--by-year"),
    ("sectors", "--sector"),
];

/// The `dependency` output in each format.
pub(crate) struct DependencyReport<'a> {
    /// The `graph` block of the JSON.
    pub graph: Value,
    /// The summary's first lines (the graph and the view).
    pub head: Vec<String>,
    /// Nodes of the graph (for the value-chain line).
    pub nodes: usize,
    pub p: &'a DependencyParams,
    pub out: &'a DependencyOutput,
    pub top: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a Value,
    params: &'a DependencyParams,
    #[serde(flatten)]
    out: &'a DependencyOutput,
}

impl Report for DependencyReport<'_> {
    fn summary(&self) -> Vec<String> {
        let (p, out) = (self.p, self.out);
        let mut s = self.head.clone();
        if let Some(years) = &out.by_year {
            if p.country.is_none() {
                s.push(format!(
                    "{} years; give --country for a table (JSON and CSV hold every country)",
                    years.len()
                ));
            }
            return s;
        }
        if let (Some(_), Some(r)) = (&p.country, out.countries.iter().flatten().next()) {
            s.extend(country_summary(r, p.coverage));
        }
        if let Some((critical, pairs)) = out.critical_pairs {
            s.push(format!(
                "critical dependencies: {critical} of {pairs} importer x sector pairs"
            ));
        }
        s.extend(out.notes.iter().map(|n| format!("note: {n}")));
        if let Some(d) = out.exposure_destinations {
            s.push(format!(
                "value-chain exposure: solved (I - A) x = y for {d} destinations on {} nodes",
                self.nodes
            ));
        }
        s
    }

    fn tables(&self) -> Vec<Table> {
        let (p, out, top) = (self.p, self.out, self.top);
        let mut t = Vec::new();
        if let Some(years) = &out.by_year {
            if p.country.is_some() {
                t.push(by_year_table(years, p.partner.as_deref()));
            }
            return t;
        }
        if let (Some(c), Some(parts)) = (&p.country, &out.partners) {
            t.push(shares_table(
                &format!("{c}: export destinations"),
                &parts.exports,
                top.min(15),
            ));
            t.push(shares_table(
                &format!("{c}: import origins"),
                &parts.imports,
                top.min(15),
            ));
        } else if !p.list_critical && !p.matrix {
            let rows = out.countries.as_deref().unwrap_or_default();
            t.push(countries_table(rows, top, p.partner.as_deref()));
        }
        if let Some(d) = &out.dependencies {
            t.push(critical_table(d, top, &p.critical));
        }
        if let Some(v) = &out.value_chain {
            t.push(value_chain_table(v, top));
        }
        if let Some(m) = &out.matrix {
            t.push(matrix_table(m));
        }
        t
    }

    fn json(&self) -> Result<Value> {
        to_json(&Doc {
            graph: &self.graph,
            params: self.p,
            out: self.out,
        })
    }

    /// The rows of the last part asked for: the matrix, the critical dependencies, one
    /// country's value chain, else the countries (or years).
    fn csv(&self) -> Result<Csv> {
        let v = to_json(self.out)?;
        let rows = if let Some(m) = v.get("value_chain_matrix") {
            &m["rows"]
        } else if let Some(d) = v.get("dependencies") {
            d
        } else if let Some(vc) = v.get("value_chain") {
            &vc["exposure"]
        } else if let Some(y) = v.get("by_year") {
            y
        } else {
            &v["countries"]
        };
        Ok(super::output::rows_csv(rows))
    }
}

pub fn run(a: DependencyArgs, out: &Sink) -> Result<()> {
    let p = DependencyParams {
        country: a.country,
        partner: a.partner,
        sectors: a.sector,
        coverage: a.coverage,
        critical: CriticalParams {
            import_hhi: a.import_hhi,
            world_hhi: a.world_hhi,
            ratio: a.ratio,
        },
        list_critical: a.critical,
        all_pairs: a.all_pairs,
        matrix: a.matrix,
        by_year: a.by_year,
    };
    p.validate().map_err(|e| e.rename_param(&FLAGS))?;
    // --by-year reports every year apart; everything else uses one year, never a sum.
    let loaded = if a.by_year {
        a.graph.load()?
    } else {
        a.graph.load()?.latest_year()?
    };
    let g = &loaded.graph;
    // JSON always carries the critical dependencies (FORMAT.md §3: `"dependencies": [...]`);
    // the tables and CSV list them with --critical. The params echoed are the ones asked for.
    let run_p = if out.is(super::Format::Json) && !p.by_year && !p.list_critical {
        DependencyParams {
            list_critical: true,
            ..p.clone()
        }
    } else {
        p.clone()
    };
    let result = dependency(g, &run_p).map_err(|e| e.rename_param(&FLAGS))?;
    let mut head = vec![format!("graph: {}", loaded.label)];
    if let Some(n) = &g.meta.name {
        head.push(format!("name: {n}"));
    }
    if g.kind() == GraphKind::InputOutput {
        head.push(format!(
            "trade indicators on the country view: {}",
            g.country_view_basis()
        ));
    }
    if !p.sectors.is_empty() {
        head.push(format!("sectors: {}", p.sectors.join(", ")));
    }
    out.report(&DependencyReport {
        graph: to_json(&super::info::graph_json(&loaded))?,
        head,
        nodes: g.node_count(),
        p: &p,
        out: &result,
        top: a.top,
    })
}
