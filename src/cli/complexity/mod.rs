//! `tradenet complexity`: economic complexity (RCA, ECI, PCI, proximity, density, COI, COG) of
//! a trade graph whose flows carry products, or of a `country,product,value` table.

mod input;
mod layout;
mod report;
pub mod space;
mod tables;

use super::flags::{self, Range};
use super::output::Sink;
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
pub use input::load_matrix;
use input::{load_years, read_population};
use report::{ranked, ByYear, ComplexityReport};
use serde_json::Value;
use tradenet::analysis::complexity::{
    complexity, country_profile, Complexity, ComplexityParams, CountryProfile, Method, Rca,
};

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
    /// Multi-year files: the complexity of every year apart (JSON `by_year`, CSV with a `year`
    /// column, tables per year); years are never summed.
    #[arg(long)]
    pub by_year: bool,
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
    if a.by_year {
        return by_year(&a, &params, out);
    }
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
    let profile = a
        .country
        .as_deref()
        .map(|c| country_profile(&r, c, a.nearest, 10))
        .transpose()?;
    out.report(&report(&a, graph, head, &r, profile.as_ref()))
}

/// The report of one result.
fn report<'a>(
    a: &ComplexityArgs,
    graph: Value,
    head: Vec<String>,
    r: &'a Complexity,
    profile: Option<&'a CountryProfile>,
) -> ComplexityReport<'a> {
    let fit = r.params.method == Method::Fitness;
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
    ComplexityReport {
        graph,
        head,
        r,
        profile,
        c_order,
        p_order,
        top: a.top,
        nearest: a.nearest,
        products: a.products,
    }
}

/// `--by-year`: every year of the input apart, reported together.
fn by_year(a: &ComplexityArgs, params: &ComplexityParams, out: &Sink) -> Result<()> {
    if let Some(y) = a.graph.year {
        bail!("--year {y} chooses one year and --by-year reports every year: give one of them");
    }
    let t0 = std::time::Instant::now();
    let (years, graph, head) = load_years(&a.graph)?;
    if a.timings {
        note!(
            "timings: read and build the matrices of {} years {:.3} s",
            years.len(),
            t0.elapsed().as_secs_f64()
        );
    }
    let mut results = Vec::new();
    // Years that cannot be computed (too little data in them) are skipped and named: one sparse
    // year does not stop a panel of sixty.
    let mut skipped: Vec<(u16, String)> = Vec::new();
    for (y, x) in &years {
        let x = match x {
            Ok(x) => x,
            Err(why) => {
                skipped.push((*y, why.clone()));
                continue;
            }
        };
        let t = std::time::Instant::now();
        let r = match complexity(x, params).map_err(|e| e.rename_param(&FLAGS)) {
            Ok(r) => r,
            Err(e) if e.is_bad_input() => {
                skipped.push((*y, e.to_string()));
                continue;
            }
            Err(e) => return Err(anyhow::Error::new(e).context(format!("year {y}"))),
        };
        if a.timings {
            note!(
                "timings {y}: complexity of the {} x {} matrix (RCA to COI) {:.3} s",
                x.n_countries(),
                x.n_products(),
                t.elapsed().as_secs_f64()
            );
        }
        // A year without the country asked for is skipped as a whole: every year reported
        // has the same shape (its profile; the CSV its candidates).
        let profile = match a
            .country
            .as_deref()
            .map(|c| country_profile(&r, c, a.nearest, 10))
            .transpose()
        {
            Ok(p) => p,
            Err(e) if e.is_bad_input() => {
                skipped.push((*y, e.to_string()));
                continue;
            }
            Err(e) => return Err(anyhow::Error::new(e).context(format!("year {y}"))),
        };
        results.push((*y, r, profile));
    }
    if results.is_empty() {
        let why: Vec<String> = skipped
            .iter()
            .map(|(y, w)| format!("year {y}: {w}"))
            .collect();
        bail!(
            "no year of the file can be computed:\n  {}",
            why.join("\n  ")
        );
    }
    for (y, why) in &skipped {
        note!("note: year {y} skipped: {why}");
    }
    let reports = results
        .iter()
        .map(|(y, r, p)| (*y, report(a, Value::Null, Vec::new(), r, p.as_ref())))
        .collect();
    out.report(&ByYear {
        graph,
        head,
        years: reports,
        skipped,
    })
}
