//! `tradenet complexity`: economic complexity (RCA, ECI, PCI, proximity, density, COI, COG) of
//! a trade graph whose flows carry products, or of a `country,product,value` table.

use super::flags::{self, Range};
use super::output::{count, human, to_json, Csv, Report, Sink, Table};
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use tradenet::analysis::complexity::{
    complexity, country_profile, Complexity, ComplexityParams, CountryProduct, CountryProfile,
    Method, Rca,
};
use tradenet::analysis::{CountryComplexity, ProductComplexity};
use tradenet::io::Loaded as Input;

#[derive(Debug, Args)]
pub struct ComplexityArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    /// A product counts in a country's basket (M = 1) when its RCA is at least this.
    #[arg(long, default_value_t = 1.0, value_name = "T", allow_hyphen_values = true,
          value_parser = flags::number(Range::Positive, "the RCA threshold"))]
    pub threshold: f64,
    /// Complexity by the eigenvector method (ECI, PCI), or also fitness-complexity (Tacchella et al. 2012).
    #[arg(long, value_enum, default_value_t = MethodArg::Eigenvector)]
    pub method: MethodArg,
    /// RCA variant: Balassa, or continuous (proximity from the correlation of RCA values, density from RCA).
    #[arg(long, value_enum, default_value_t = RcaArg::Balassa)]
    pub rca: RcaArg,
    /// Population-weighted RCA (RPOP): a CSV `country,population` with every country's population.
    #[arg(long, value_name = "FILE", value_parser = flags::name("a file name"))]
    pub population: Option<String>,
    /// One country in detail: its RCA products, and the products nearest its basket ranked by
    /// complexity outlook gain, with the countries that already export them.
    #[arg(long, value_name = "C", value_parser = flags::name("a country id"))]
    pub country: Option<String>,
    /// With --country: how many of the products nearest its basket (by density) to rank by gain.
    #[arg(long, default_value_t = 25, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of nearest products"))]
    pub nearest: usize,
    /// CSV: the products instead of the countries.
    #[arg(long, conflicts_with = "country")]
    pub products: bool,
    /// Rows in the human tables.
    #[arg(long, default_value_t = 20, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
    /// Print the time spent reading and computing on standard error.
    #[arg(long)]
    pub timings: bool,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// ECI and PCI (ecomplexity 0.5.3 conventions).
    Eigenvector,
    /// Fitness and complexity as well (Tacchella et al. 2012).
    Fitness,
}

/// `--rca`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RcaArg {
    /// Balassa's RCA, M = 1 when RCA >= threshold.
    Balassa,
    /// ecomplexity's continuous variant: M as Balassa, proximity (1 + corr of RCA) / 2.
    Continuous,
}

/// Read `country,population` (header required; other column names refused).
fn read_population(path: &str) -> Result<BTreeMap<String, f64>> {
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
    let mut wrong = Vec::new();
    for (given, flag) in [
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
    ] {
        if given {
            wrong.push(flag);
        }
    }
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

/// The matrix to analyse, the `graph` block of the JSON, the summary's first lines and the
/// input's label: from a country-product table (one year: `--year`, else the latest, with a
/// note) or a graph (its views and the one-year rule applied).
pub fn load_matrix(g: &GraphArgs) -> Result<(CountryProduct, Value, Vec<String>, String)> {
    let mut summary = Vec::new();
    let path = g.graph.as_deref();
    let input = match path {
        Some(p) if p == "-" || !std::path::Path::new(p).is_dir() => {
            tradenet::io::load_graph_or_table(p, &g.options())?
        }
        _ => Input::Graph(Box::new(g.load()?.graph)),
    };
    match input {
        Input::Table(t) => {
            let label = if path == Some("-") {
                "<stdin>"
            } else {
                path.unwrap_or("-")
            }
            .to_string();
            table_refuses(g, &label)?;
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
            summary.push(format!(
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
            ));
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
        Input::Graph(graph_) => {
            let label = match path {
                Some("-") => "<stdin>".to_string(),
                Some(p) => p.to_string(),
                None => format!("<embedded default: {}>", tradenet::bundled::DEFAULT_NAME),
            };
            let loaded = if path.is_some_and(|p| p == "-" || !std::path::Path::new(p).is_dir()) {
                g.views(super::Loaded {
                    graph: *graph_,
                    label,
                    latest_of: None,
                })?
            } else {
                super::Loaded {
                    graph: *graph_,
                    label,
                    latest_of: None,
                }
            };
            let loaded = loaded.latest_year()?;
            let x =
                CountryProduct::from_graph(&loaded.graph).with_context(|| loaded.label.clone())?;
            summary.push(format!("graph: {}", loaded.label));
            if let Some(n) = &loaded.graph.meta.name {
                summary.push(format!("name: {n}"));
            }
            Ok((x, super::info::graph_json(&loaded), summary, loaded.label))
        }
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.3}"))
}

/// Descending by `key` (none last), ties by id.
fn ranked<T>(rows: &[T], key: impl Fn(&T) -> Option<f64>, id: impl Fn(&T) -> &str) -> Vec<usize> {
    let mut o: Vec<usize> = (0..rows.len()).collect();
    o.sort_by(|&i, &j| match (key(&rows[i]), key(&rows[j])) {
        (Some(a), Some(b)) => b.total_cmp(&a).then_with(|| id(&rows[i]).cmp(id(&rows[j]))),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => id(&rows[i]).cmp(id(&rows[j])),
    });
    o
}

/// A country in the ranked list of the JSON and CSV (`fitness` only with that method).
#[derive(Serialize)]
struct CountryRow<'a> {
    id: &'a str,
    diversity: usize,
    eci: Option<f64>,
    coi: Option<f64>,
    exports: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fitness: Option<Option<f64>>,
}

impl<'a> CountryRow<'a> {
    fn new(c: &'a CountryComplexity, fit: bool) -> Self {
        CountryRow {
            id: &c.id,
            diversity: c.diversity,
            eci: c.eci,
            coi: c.coi,
            exports: c.exports,
            fitness: fit.then_some(c.fitness),
        }
    }
}

/// A product in the ranked list of the JSON and CSV (`complexity` only with fitness).
#[derive(Serialize)]
struct ProductRow<'a> {
    id: &'a str,
    ubiquity: usize,
    pci: Option<f64>,
    exports: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    complexity: Option<Option<f64>>,
}

impl<'a> ProductRow<'a> {
    fn new(p: &'a ProductComplexity, fit: bool) -> Self {
        ProductRow {
            id: &p.id,
            ubiquity: p.ubiquity,
            pci: p.pci,
            exports: p.exports,
            complexity: fit.then_some(p.complexity),
        }
    }
}

/// A diversification candidate in the CSV: its exporters' ids in one cell.
#[derive(Serialize)]
struct CandidateRow<'a> {
    id: &'a str,
    density: f64,
    cog: f64,
    pci: Option<f64>,
    rca: f64,
    exporters: String,
}

#[derive(Serialize)]
struct ParamsJson {
    threshold: f64,
    method: Method,
    rca: &'static str,
}

#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a Value,
    params: ParamsJson,
    m_sum: usize,
    eigenvalue: f64,
    eci_raw_mean: f64,
    eci_raw_sd: f64,
    countries: Vec<CountryRow<'a>>,
    products: Vec<ProductRow<'a>>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    fitness_iterations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a CountryProfile>,
}

/// CSV of JSON rows that share their keys: numbers and strings as they are, null as empty.
fn csv_of(rows: &Value) -> Csv {
    let rows = rows.as_array().map_or(&[][..], Vec::as_slice);
    let Some(Value::Object(first)) = rows.first() else {
        return (vec!["id".into()], Vec::new());
    };
    let header: Vec<String> = first.keys().cloned().collect();
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let body = rows
        .iter()
        .map(|r| header.iter().map(|k| cell(&r[k.as_str()])).collect())
        .collect();
    (header, body)
}

fn profile_tables(p: &CountryProfile, top: usize, nearest: usize) -> Vec<Table> {
    let adv = Table {
        title: format!(
            "{}: products exported with revealed comparative advantage ({} of {}, highest RCA first)",
            p.country.id,
            p.advantages.len().min(top),
            p.advantages.len()
        ),
        header: ["product", "RCA", "exports", "PCI"].map(String::from).to_vec(),
        rows: p
            .advantages
            .iter()
            .take(top)
            .map(|a| vec![a.id.clone(), format!("{:.2}", a.rca), human(a.value), num(a.pci)])
            .collect(),
        right: vec![1, 2, 3],
    };
    let cand = Table {
        title: format!(
            "{}: where to diversify: the {} products nearest its basket (density), ranked by complexity outlook gain",
            p.country.id,
            nearest.min(p.candidates.len())
        ),
        header: ["#", "product", "density", "COG", "PCI", "RCA now", "already exported by (RCA >= threshold, largest first)"]
            .map(String::from)
            .to_vec(),
        rows: p
            .candidates
            .iter()
            .take(top)
            .enumerate()
            .map(|(i, c)| {
                vec![
                    (i + 1).to_string(),
                    c.id.clone(),
                    format!("{:.3}", c.density),
                    format!("{:.3}", c.cog),
                    num(c.pci),
                    format!("{:.2}", c.rca),
                    c.exporters
                        .iter()
                        .take(4)
                        .map(|e| e.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect(),
        right: vec![0, 2, 3, 4, 5],
    };
    vec![adv, cand]
}

/// The `complexity` output in each format.
struct ComplexityReport<'a> {
    graph: Value,
    /// The summary's first lines (the input).
    head: Vec<String>,
    r: &'a Complexity,
    profile: Option<&'a CountryProfile>,
    /// Countries and products in ranked order (indices into `r`).
    c_order: Vec<usize>,
    p_order: Vec<usize>,
    top: usize,
    nearest: usize,
    products: bool,
}

impl ComplexityReport<'_> {
    fn fit(&self) -> bool {
        self.r.params.method == Method::Fitness
    }

    fn countries_table(&self) -> Table {
        let (r, fit, top) = (self.r, self.fit(), self.top);
        let key = if fit { "fitness" } else { "ECI" };
        let mut header = vec!["#", "id", "diversity", key, "COI", "exports"];
        if fit {
            header.insert(4, "ECI");
        }
        Table {
            title: format!(
                "Countries by {} ({} of {})",
                if fit {
                    "fitness"
                } else {
                    "economic complexity (ECI)"
                },
                top.min(r.countries.len()),
                r.countries.len()
            ),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: self
                .c_order
                .iter()
                .take(top)
                .enumerate()
                .map(|(k, &i)| {
                    let c = &r.countries[i];
                    let mut row = vec![(k + 1).to_string(), c.id.clone(), c.diversity.to_string()];
                    if fit {
                        row.push(num(c.fitness));
                    }
                    row.extend([num(c.eci), num(c.coi), human(c.exports)]);
                    row
                })
                .collect(),
            right: (0..header.len()).filter(|&i| i != 1).collect(),
        }
    }

    fn products_table(&self) -> Table {
        let (r, fit, top) = (self.r, self.fit(), self.top);
        let header: &[&str] = if fit {
            &[
                "#",
                "product",
                "ubiquity",
                "complexity",
                "PCI",
                "world exports",
            ]
        } else {
            &["#", "product", "ubiquity", "PCI", "world exports"]
        };
        Table {
            title: format!(
                "Products by {} ({} of {})",
                if fit {
                    "complexity (fitness method)"
                } else {
                    "product complexity (PCI)"
                },
                top.min(r.products.len()),
                r.products.len()
            ),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: self
                .p_order
                .iter()
                .take(top)
                .enumerate()
                .map(|(k, &i)| {
                    let p = &r.products[i];
                    let mut row = vec![(k + 1).to_string(), p.id.clone(), p.ubiquity.to_string()];
                    if fit {
                        row.push(num(p.complexity));
                    }
                    row.extend([num(p.pci), human(p.exports)]);
                    row
                })
                .collect(),
            right: vec![0, 2, 3, 4, 5],
        }
    }

    fn country_rows(&self) -> Vec<CountryRow<'_>> {
        let fit = self.fit();
        self.c_order
            .iter()
            .map(|&i| CountryRow::new(&self.r.countries[i], fit))
            .collect()
    }

    fn product_rows(&self) -> Vec<ProductRow<'_>> {
        let fit = self.fit();
        self.p_order
            .iter()
            .map(|&i| ProductRow::new(&self.r.products[i], fit))
            .collect()
    }
}

impl Report for ComplexityReport<'_> {
    fn summary(&self) -> Vec<String> {
        let r = self.r;
        let mut s = self.head.clone();
        s.push(format!(
            "{} countries x {} products; M = 1 where {} >= {}: {} pairs",
            r.countries.len(),
            r.products.len(),
            match r.params.rca {
                Rca::Population(_) => "RPOP (population-weighted RCA)",
                _ => "RCA",
            },
            r.params.threshold,
            count(r.m_sum)
        ));
        s.push(format!(
            "ECI/PCI: second eigenvalue of the product-product matrix {:.5} ({} Lanczos products); PCI standardised with ECI's mean and sd (ecomplexity 0.5.3)",
            r.eigenvalue, r.operator_products
        ));
        if let Some(n) = r.fitness_iterations {
            s.push(format!("fitness-complexity: {n} iterations"));
        }
        if r.params.rca == Rca::Continuous {
            s.push("proximity: (1 + correlation of RCA) / 2; density from RCA values (ecomplexity continuous=True)".into());
        }
        s.extend(r.notes.iter().map(|n| format!("note: {n}")));
        if let Some(p) = self.profile {
            let c = &p.country;
            let rank = self.c_order.iter().position(|&i| r.countries[i].id == c.id);
            s.push(format!(
                "{}: diversity {}, ECI {} (rank {} of {}), COI {}, exports {}",
                c.id,
                c.diversity,
                num(c.eci),
                rank.map_or(0, |k| k + 1),
                r.countries.len(),
                num(c.coi),
                human(c.exports)
            ));
        }
        s
    }

    fn tables(&self) -> Vec<Table> {
        match self.profile {
            Some(p) => profile_tables(p, self.top, self.nearest),
            None => vec![self.countries_table(), self.products_table()],
        }
    }

    fn json(&self) -> Result<Value> {
        let r = self.r;
        to_json(&Doc {
            graph: &self.graph,
            params: ParamsJson {
                threshold: r.params.threshold,
                method: r.params.method,
                rca: match r.params.rca {
                    Rca::Balassa => "balassa",
                    Rca::Continuous => "continuous",
                    Rca::Population(_) => "population",
                },
            },
            m_sum: r.m_sum,
            eigenvalue: r.eigenvalue,
            eci_raw_mean: r.eci_raw_mean,
            eci_raw_sd: r.eci_raw_sd,
            countries: self.country_rows(),
            products: self.product_rows(),
            notes: &r.notes,
            fitness_iterations: r.fitness_iterations,
            country: self.profile,
        })
    }

    /// The candidates of `--country`, else the countries (or `--products`).
    fn csv(&self) -> Result<Csv> {
        let rows = match self.profile {
            Some(p) => to_json(
                &p.candidates
                    .iter()
                    .map(|k| CandidateRow {
                        id: &k.id,
                        density: k.density,
                        cog: k.cog,
                        pci: k.pci,
                        rca: k.rca,
                        exporters: k
                            .exporters
                            .iter()
                            .map(|e| e.id.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    })
                    .collect::<Vec<_>>(),
            )?,
            None if self.products => to_json(&self.product_rows())?,
            None => to_json(&self.country_rows())?,
        };
        Ok(csv_of(&rows))
    }
}

/// Library parameter names and their flags.
const FLAGS: [(&str, &str); 2] = [("threshold", "--threshold"), ("rca", "--population")];

pub fn run(a: ComplexityArgs, out: &Sink) -> Result<()> {
    let population = a.population.as_deref().map(read_population).transpose()?;
    if population.is_some() && a.rca == RcaArg::Continuous {
        bail!("--population (population-weighted RCA) and --rca continuous are two RCA variants: choose one");
    }
    let params = ComplexityParams {
        threshold: a.threshold,
        method: match a.method {
            MethodArg::Eigenvector => Method::Eigenvector,
            MethodArg::Fitness => Method::Fitness,
        },
        rca: match population {
            Some(p) => Rca::Population(p),
            None if a.rca == RcaArg::Continuous => Rca::Continuous,
            None => Rca::Balassa,
        },
        ..Default::default()
    };
    params.validate().map_err(|e| e.rename_param(&FLAGS))?;
    let t0 = std::time::Instant::now();
    let (x, graph, head, label) = load_matrix(&a.graph)?;
    let t1 = std::time::Instant::now();
    let r: Complexity = complexity(&x, &params)
        .map_err(|e| e.rename_param(&FLAGS))
        .with_context(|| label.clone())?;
    if a.timings {
        note!(
            "timings: read and build the {} x {} matrix {:.3} s, complexity (RCA to COI) {:.3} s",
            x.n_countries(),
            x.n_products(),
            (t1 - t0).as_secs_f64(),
            t1.elapsed().as_secs_f64()
        );
    }
    let fit = params.method == Method::Fitness;
    let profile = a
        .country
        .as_deref()
        .map(|c| country_profile(&r, c, a.nearest, 10))
        .transpose()?;
    let c_order = ranked(
        &r.countries,
        |c| if fit { c.fitness } else { c.eci },
        |c| c.id.as_str(),
    );
    let p_order = ranked(
        &r.products,
        |p| if fit { p.complexity } else { p.pci },
        |p| p.id.as_str(),
    );
    out.report(&ComplexityReport {
        graph,
        head,
        r: &r,
        profile: profile.as_ref(),
        c_order,
        p_order,
        top: a.top,
        nearest: a.nearest,
        products: a.products,
    })
}
