//! `tradenet gvc`: value added in trade — where the value in gross exports is created and where
//! it is absorbed (decompositions of gross exports, trade in value added, upstreamness).

mod report;
mod tables;

use super::flags;
use super::output::{to_json, Sink};
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use report::GvcReport;
use std::collections::BTreeMap;
use tradenet::analysis::gvc::{value_added_on, GvcParams, GvcSystem, Method, ValueAddedParams};

#[derive(Debug, Args)]
pub struct GvcArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    /// One exporting country in detail: its terms by partner and by sector, and its value-added
    /// exports by partner beside its gross exports (default: every country's totals).
    #[arg(long, value_name = "C", value_parser = flags::name("a country id"))]
    pub exporter: Option<String>,
    /// The decomposition of gross exports.
    #[arg(long, value_enum, default_value_t = MethodArg::Leontief)]
    pub method: MethodArg,
    /// Trade in value added: every country's value added absorbed abroad, its gross exports
    /// and the VAX ratio (JSON: the whole country x country matrix V B Y).
    #[arg(long)]
    pub tiva: bool,
    /// Antras-Chor upstreamness and downstreamness of every node (needs no final demand by
    /// destination).
    #[arg(long)]
    pub upstreamness: bool,
    /// Final demand by category (`from,to_country,category,value`, as WIOD's
    /// `final_demand_by_category_2011.csv`): its `inventories` rows make the net-inventory
    /// correction of upstreamness.
    #[arg(long, value_name = "FILE", requires = "upstreamness",
          value_parser = flags::name("a file name"))]
    pub categories: Option<String>,
    /// Rows in the human tables.
    #[arg(long, default_value_t = 15, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// V B diag(E) (decompr): the country terms, and i2e, e2r, nrca by node.
    Leontief,
    /// Borin-Mancini source-based: VAX1..4, REF1..2, FVA1..4, GVC participation.
    BmSource,
    /// Borin-Mancini sink-based: VAX1..4, REF1..2, FVA1..4 by partner, counted where absorbed.
    BmSink,
    /// Wang-Wei-Zhu: 16 terms that sum to gross exports.
    Wwz,
    /// Miroudot-Ye: with FDC1, FDC2 of the world perspective.
    My,
    /// OECD TiVA: GVCB, GVCF, GVC and the EXGR split.
    Oecd,
}

impl MethodArg {
    fn method(self) -> Method {
        match self {
            MethodArg::Leontief => Method::Leontief,
            MethodArg::BmSource => Method::BmSource,
            MethodArg::BmSink => Method::BmSink,
            MethodArg::Wwz => Method::Wwz,
            MethodArg::My => Method::My,
            MethodArg::Oecd => Method::Oecd,
        }
    }
}

/// Net inventory change of every node: the `inventories` rows of a category file summed.
fn read_inventories(path: &str) -> Result<BTreeMap<String, f64>> {
    let mut r = csv::ReaderBuilder::new()
        .from_path(path)
        .with_context(|| format!("{path}: cannot read"))?;
    let header: Vec<String> = r
        .headers()
        .with_context(|| format!("{path}: unreadable CSV header"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |c: &str| {
        header.iter().position(|h| h == c).with_context(|| {
            format!("{path}: no column '{c}' (a category file has the columns from,to_country,category,value)")
        })
    };
    let (cf, cc, cv) = (col("from")?, col("category")?, col("value")?);
    let mut out = BTreeMap::new();
    let mut found = false;
    for rec in r.records() {
        let rec = rec.with_context(|| format!("{path}: unreadable CSV"))?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() <= cf.max(cc).max(cv) {
            bail!(
                "{path} line {line}: expected {} fields, found {}",
                header.len(),
                rec.len()
            );
        }
        if !rec[cc].trim().eq_ignore_ascii_case("inventories") {
            continue;
        }
        found = true;
        let v: f64 = rec[cv]
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .with_context(|| {
                format!(
                    "{path} line {line}, column value: not a number: '{}'",
                    tradenet::text::clip(&rec[cv])
                )
            })?;
        *out.entry(rec[cf].trim().to_string()).or_insert(0.0) += v;
    }
    if !found {
        bail!("{path}: no row of the category 'inventories' (the net-inventory correction needs it; leave out --categories for none)");
    }
    Ok(out)
}

pub fn run(a: GvcArgs, out: &Sink) -> Result<()> {
    let loaded = a.graph.load()?.latest_year()?;
    let g = &loaded.graph;
    let mut p = ValueAddedParams {
        gvc: GvcParams {
            exporter: a.exporter.clone(),
            method: a.method.method(),
        },
        tiva: a.tiva,
        upstreamness: a.upstreamness,
        inventories: None,
    };
    p.validate()
        .map_err(|e| e.rename_param(&[("exporter", "--exporter")]))?;
    if let Some(c) = &p.gvc.exporter {
        g.require_country(c)?;
    }
    p.inventories = a.categories.as_deref().map(read_inventories).transpose()?;
    // The library's error names the node; the command line adds what can be done.
    let sys = if p.needs_system(g) {
        Some(GvcSystem::from_graph(g).map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "{}: tradenet gvc needs final demand by destination country (hint: an input-output set whose final-demand file is from,to_country,value, such as ../shared/data/wiod2011/full; --upstreamness alone works on this graph)",
                loaded.label
            ))
        })?)
    } else {
        None
    };
    let result = value_added_on(g, sys.as_ref(), &p)
        .map_err(|e| e.rename_param(&[("inventories", "--categories")]))?;
    out.report(&GvcReport {
        graph: to_json(&super::info::graph_json(&loaded))?,
        label: loaded.label.clone(),
        categories: a.categories,
        p: &p,
        out: &result,
        top: a.top,
    })
}
