//! The input of `tradenet complexity`: a country-product table or a trade graph, and the
//! population file of `--population`.

use crate::cli::output::{count, to_json};
use crate::cli::GraphArgs;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use tradenet::analysis::complexity::CountryProduct;
use tradenet::io::Loaded as Input;

/// Read `country,population` (header required; other column names refused).
pub(super) fn read_population(path: &str) -> Result<BTreeMap<String, f64>> {
    let bytes = std::fs::read(path).with_context(|| format!("{path}: cannot read"))?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let header: Vec<String> = rdr
        .headers()
        .with_context(|| format!("{path}: cannot read the header"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if header != ["country", "population"] {
        bail!(
            "{path}: line 1: a population file has the columns country,population, found {} (hint: one row per country, population as a number)",
            tradenet::text::clip(&header.join(","))
        );
    }
    let mut out = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.with_context(|| format!("{path}: line {line}: cannot read the row"))?;
        let c = rec.get(0).unwrap_or("").trim();
        let v = rec.get(1).unwrap_or("").trim();
        let n: f64 = match v.parse::<f64>() {
            Ok(n) if n.is_finite() && n > 0.0 => n,
            _ => bail!(
                "{path}: line {line}: population '{}' of '{}' is not a number above 0",
                tradenet::text::clip(v),
                tradenet::text::clip(c)
            ),
        };
        if c.is_empty() {
            bail!("{path}: line {line}: country is empty");
        }
        if out.insert(c.to_string(), n).is_some() {
            bail!(
                "{path}: line {line}: country '{}' is given twice",
                tradenet::text::clip(c)
            );
        }
    }
    Ok(out)
}

/// Graph options that mean nothing for a country-product table: an error naming them.
fn table_refuses(g: &GraphArgs, path: &str) -> Result<()> {
    let wrong = crate::cli::flags::given([
        (g.from_col.is_some(), "--from-col"),
        (g.to_col.is_some(), "--to-col"),
        (g.sector_col.is_some(), "--sector-col"),
        (g.value_col.is_some(), "--value-col"),
        (g.year_col.is_some(), "--year-col"),
        (g.weight_attr.is_some(), "--weight-attr"),
        (g.country_codes.is_some(), "--country-codes"),
        (g.hs_level.is_some(), "--hs-level"),
        (g.comtrade_flow.is_some(), "--comtrade-flow"),
        (g.regions.is_some(), "--regions"),
        (g.sector_groups.is_some(), "--sector-groups"),
        (g.keep_unlisted, "--keep-unlisted"),
    ]);
    if !wrong.is_empty() {
        bail!(
            "{path}: {} apply to graph files, but this file is a country,product,value table (hint: leave them out)",
            wrong.join(", ")
        );
    }
    Ok(())
}

/// The `graph` block of the JSON for a country-product table.
#[derive(Serialize)]
struct TableJson<'a> {
    file: &'a str,
    kind: &'static str,
    rows: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    years_in_file: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year_rule: Option<&'static str>,
}

/// An opened input: a country-product table, or a graph with its views applied.
enum Opened {
    Table(tradenet::io::CountryProductTable),
    Graph(Box<crate::cli::Loaded>),
}

/// Read the input (`-` standard input, none the embedded default graph) and label it; a
/// table refuses the graph options.
fn open(g: &GraphArgs) -> Result<(Opened, String)> {
    let path = g.graph.as_deref();
    let file = path.filter(|p| *p == "-" || !std::path::Path::new(p).is_dir());
    let input = match file {
        Some(p) => tradenet::io::load_graph_or_table(p, &g.options())?,
        None => Input::Graph(Box::new(g.load()?.graph)),
    };
    let label = match path {
        Some("-") => "<stdin>".to_string(),
        Some(p) => p.to_string(),
        None => format!("<embedded default: {}>", tradenet::bundled::DEFAULT_NAME),
    };
    Ok(match input {
        Input::Table(t) => {
            table_refuses(g, &label)?;
            (Opened::Table(t), label)
        }
        Input::Graph(graph) => {
            let loaded = crate::cli::Loaded {
                graph: *graph,
                label,
                latest_of: None,
            };
            // A directory (or the default) was loaded with its views by `g.load()`.
            let loaded = if file.is_some() {
                g.views(loaded)?
            } else {
                loaded
            };
            let label = loaded.label.clone();
            (Opened::Graph(Box::new(loaded)), label)
        }
    })
}

/// The summary line of a table's rows.
fn rows_line(t: &tradenet::io::CountryProductTable) -> String {
    format!(
        "country-product table: {} rows{}",
        count(t.rows.len()),
        if t.skipped_rows > 0 {
            format!(
                " ({} with an empty or zero value skipped)",
                count(t.skipped_rows as usize)
            )
        } else {
            String::new()
        }
    )
}

/// The matrix to analyse, the `graph` block of the JSON, the summary's first lines and the
/// input's label: from a country-product table (one year: `--year`, else the latest, with a
/// note) or a graph (its views and the one-year rule applied).
pub fn load_matrix(g: &GraphArgs) -> Result<(CountryProduct, Value, Vec<String>, String)> {
    let mut summary = Vec::new();
    match open(g)? {
        (Opened::Table(t), label) => {
            let years = t.years();
            let (t, year) = match g.year {
                Some(y) => (t.year(y).with_context(|| label.clone())?, Some(y)),
                None if years.len() > 1 => {
                    let y = *years.last().expect("years");
                    note!(
                        "note: {label}: using {y}, the latest of the file's {} years \
                         (years are never summed; choose one with --year)",
                        years.len()
                    );
                    (t.year(y)?, Some(y))
                }
                None => (t, years.first().copied()),
            };
            let x = CountryProduct::from_table(&t).with_context(|| label.clone())?;
            summary.push(format!("graph: {label}"));
            summary.push(rows_line(&t));
            let latest = year.is_some() && years.len() > 1 && g.year.is_none();
            let gj = to_json(&TableJson {
                file: &label,
                kind: "country-product table",
                rows: t.rows.len(),
                year,
                years_in_file: latest.then_some(years.len()),
                year_rule: latest
                    .then_some("latest year of a multi-year file; years are never summed"),
            })?;
            Ok((x, gj, summary, label))
        }
        (Opened::Graph(loaded), _) => {
            let loaded = (*loaded).latest_year()?;
            let x =
                CountryProduct::from_graph(&loaded.graph).with_context(|| loaded.label.clone())?;
            summary.push(format!("graph: {}", loaded.label));
            if let Some(n) = &loaded.graph.meta.name {
                summary.push(format!("name: {n}"));
            }
            Ok((
                x,
                crate::cli::info::graph_json(&loaded),
                summary,
                loaded.label,
            ))
        }
    }
}

/// The matrices of every year, in year order; a year whose data cannot make one (too few
/// countries or products with exports) holds why, and is skipped, not fatal to the others.
pub type Years = Vec<(u16, std::result::Result<CountryProduct, String>)>;

/// A year's matrix, or why the year's data (of the file `label`) cannot make one. A failure
/// of ours (not of the data) is an error of the whole run.
fn year_matrix(
    m: tradenet::Result<CountryProduct>,
    label: &str,
) -> Result<std::result::Result<CountryProduct, String>> {
    match m {
        Ok(x) => Ok(Ok(x)),
        Err(e) if e.is_bad_input() => Ok(Err(e.in_file(label).to_string())),
        Err(e) => Err(e.into()),
    }
}

/// `--by-year`: the matrix of every year of the input, in year order, with the `graph` block
/// of the JSON and the summary's first lines for the whole file. An input without years is an
/// error (there is nothing to split).
pub fn load_years(g: &GraphArgs) -> Result<(Years, Value, Vec<String>)> {
    let mut summary = Vec::new();
    let no_years = |label: &str| {
        anyhow::anyhow!(
            "{label}: --by-year needs a file with years (a `year` column, or flows with a year), and this one has none (hint: leave --by-year out)"
        )
    };
    match open(g)? {
        (Opened::Table(t), label) => {
            let years = t.years();
            if years.is_empty() {
                return Err(no_years(&label));
            }
            let mut out = Vec::new();
            for &y in &years {
                let x = year_matrix(CountryProduct::from_table(&t.year(y)?), &label)
                    .with_context(|| format!("{label}: year {y}"))?;
                out.push((y, x));
            }
            summary.push(format!("graph: {label}"));
            summary.push(rows_line(&t));
            let gj = to_json(&TableJson {
                file: &label,
                kind: "country-product table",
                rows: t.rows.len(),
                year: None,
                years_in_file: Some(years.len()),
                year_rule: Some("every year apart (--by-year); years are never summed"),
            })?;
            Ok((out, gj, summary))
        }
        (Opened::Graph(loaded), label) => {
            let years = loaded.graph.years();
            if years.is_empty() {
                return Err(no_years(&label));
            }
            let mut out = Vec::new();
            for &y in &years {
                let x = year_matrix(CountryProduct::from_graph(&loaded.graph.year(y)?), &label)
                    .with_context(|| format!("{label}: year {y}"))?;
                out.push((y, x));
            }
            summary.push(format!("graph: {label}"));
            if let Some(n) = &loaded.graph.meta.name {
                summary.push(format!("name: {n}"));
            }
            Ok((out, crate::cli::info::graph_json(&loaded), summary))
        }
    }
}
