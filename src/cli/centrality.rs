//! `tradenet centrality`: who matters, by one or more measures, ranked.

use super::flags::{self, Range};
use super::output::Sink;
use super::{Format, GraphArgs};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use report::CentralityReport;
use std::io::IsTerminal;
use std::time::Instant;
use tradenet::analysis::{
    centrality_with_progress, BetweennessParams, CentralityParams, Distance, EigenvectorParams,
    HitsParams, KatzAlpha, KatzParams, Measure, PagerankParams,
};
use tradenet::Error;

mod report;

#[derive(Debug, Args)]
pub struct CentralityArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    /// Measures, comma-separated: in_strength, out_strength, in_degree, out_degree, pagerank,
    /// cheirank, eigenvector, katz, hub, authority, betweenness, closeness, harmonic, or all.
    /// Rows are ranked by the first.
    #[arg(long, short = 'm', default_value = "pagerank", value_name = "LIST")]
    pub measure: String,
    /// Only the flows of these sectors (comma-separated codes; a flow's own sector, or its
    /// supplier's in an input-output graph).
    #[arg(long, value_name = "S", value_parser = flags::name_list("sector codes"))]
    pub sector: Option<String>,
    /// Aggregate an input-output graph to countries first (intermediate + final sales
    /// abroad). Without it, an input-output graph's country-sector nodes are ranked as they are.
    #[arg(long)]
    pub countries: bool,
    /// Show only the first N rows [default: 20 in the table, all in JSON and CSV].
    #[arg(long, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: Option<usize>,
    /// Path length from value for betweenness, closeness and harmonic.
    #[arg(long, value_enum, default_value_t = DistanceArg::Inverse)]
    pub distance: DistanceArg,
    /// PageRank / CheiRank damping factor, in [0, 1].
    #[arg(long, default_value_t = 0.85, value_name = "A", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "the PageRank damping factor"))]
    pub alpha: f64,
    /// Katz attenuation as a fraction of 1/lambda_max (lambda_max = spectral radius), in (0, 1).
    #[arg(long, default_value_t = 0.5, value_name = "F", allow_hyphen_values = true,
          value_parser = flags::number(Range::OpenUnit, "the Katz attenuation as a fraction of 1/lambda_max"))]
    pub katz_alpha: f64,
    /// Katz attenuation as an absolute number (> 0) instead of a fraction of 1/lambda_max: for
    /// graphs without cycles (lambda_max = 0), where any alpha converges.
    #[arg(long, value_name = "A", conflicts_with = "katz_alpha", allow_hyphen_values = true,
          value_parser = flags::number(Range::Positive, "the absolute Katz attenuation"))]
    pub katz_alpha_abs: Option<f64>,
    /// Stop iterative measures when the L1 change of the normalised vector is below T (PageRank,
    /// Katz), or the eigen-residual below T times the eigenvalue (eigenvector, HITS).
    #[arg(long, default_value_t = 1e-10, value_name = "T", allow_hyphen_values = true,
          value_parser = flags::number(Range::Positive, "the tolerance"))]
    pub tol: f64,
    /// Most iterations for iterative measures.
    #[arg(long, default_value_t = 1000, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the most iterations"))]
    pub max_iter: usize,
    /// Eigenvector and Katz from out-flows (a node scores from its buyers) instead of in-flows.
    #[arg(long)]
    pub reverse: bool,
    /// PageRank / CheiRank teleport only to these nodes (comma-separated ids), uniformly.
    #[arg(long, value_name = "IDS", value_parser = flags::name_list("node ids"))]
    pub personalize: Option<String>,
    /// Betweenness from these source nodes only (a file of node ids, one per line), summed
    /// without n/k rescaling.
    #[arg(long, value_name = "FILE", conflicts_with = "sample", value_parser = flags::name("a file of node ids"))]
    pub sources: Option<String>,
    /// Betweenness from K sources drawn at random (with --seed), summed without rescaling.
    #[arg(long, value_name = "K", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of sources"))]
    pub sample: Option<usize>,
    /// Seed for --sample.
    #[arg(long, default_value_t = 0, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::seed)]
    pub seed: u64,
    /// Report raw betweenness sums instead of dividing by (n-1)(n-2).
    #[arg(long)]
    pub unnormalized: bool,
    /// Print load (and, for edge lists, its phases: read, parse, merge, assemble) and
    /// per-measure times (seconds) to standard error.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DistanceArg {
    /// 1 / value.
    Inverse,
    /// -ln(value / exporter's total exports): a share of 1 is length 0.
    Neglog,
    /// Every link counts 1.
    Hops,
}

impl DistanceArg {
    fn to_lib(self) -> Distance {
        match self {
            DistanceArg::Inverse => Distance::Inverse,
            DistanceArg::Neglog => Distance::NegLog,
            DistanceArg::Hops => Distance::Hops,
        }
    }
}

/// The library's parameters from the flags (the `--sources` file read); nothing is checked
/// here that the library checks.
fn params(a: &CentralityArgs) -> Result<CentralityParams> {
    let measures = Measure::parse_list(&a.measure).map_err(|e| match e {
        Error::Param { .. } => anyhow::Error::from(flag_names(e, a)),
        e => anyhow::Error::from(e).context("--measure"),
    })?;
    let list = |s: &str| -> Vec<String> {
        s.split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let sources = match &a.sources {
        // A file the user names that cannot be read is bad usage (exit 2), not our failure.
        Some(path) => Some(list(
            &std::fs::read_to_string(path)
                .map_err(|e| Error::Io {
                    file: path.clone(),
                    action: "cannot read",
                    error: e,
                })
                .context("--sources")?,
        )),
        None => None,
    };
    Ok(CentralityParams {
        measures,
        countries: a.countries,
        sectors: a
            .sector
            .as_ref()
            .map(|s| s.split(',').map(|c| c.trim().to_string()).collect()),
        personalize: a.personalize.as_deref().map(list),
        sources,
        pagerank: PagerankParams {
            alpha: a.alpha,
            tol: a.tol,
            max_iter: a.max_iter,
            personalization: None,
        },
        eigenvector: EigenvectorParams {
            tol: a.tol,
            max_iter: a.max_iter,
            reverse: a.reverse,
        },
        katz: KatzParams {
            alpha: match a.katz_alpha_abs {
                Some(v) => KatzAlpha::Absolute(v),
                None => KatzAlpha::OfRadius(a.katz_alpha),
            },
            tol: a.tol,
            max_iter: a.max_iter,
            reverse: a.reverse,
            ..Default::default()
        },
        hits: HitsParams {
            tol: a.tol,
            max_iter: a.max_iter,
        },
        betweenness: BetweennessParams {
            distance: a.distance.to_lib(),
            normalized: !a.unnormalized,
            sources: None,
            sample: a.sample,
            seed: a.seed,
        },
    })
}

/// The library's parameter names as flags, in the error and in the hints it gives.
fn flag_names(e: Error, a: &CentralityArgs) -> Error {
    let katz = if a.katz_alpha_abs.is_some() {
        "--katz-alpha-abs"
    } else {
        "--katz-alpha"
    };
    let names = [
        ("measures", "--measure"),
        ("sectors", "--sector"),
        ("personalize", "--personalize"),
        ("sources", "--sources"),
        ("pagerank.alpha", "--alpha"),
        ("katz.alpha", katz),
        ("betweenness.sample", "--sample"),
        ("pagerank.tol", "--tol"),
        ("eigenvector.tol", "--tol"),
        ("katz.tol", "--tol"),
        ("hits.tol", "--tol"),
        ("pagerank.max_iter", "--max-iter"),
        ("eigenvector.max_iter", "--max-iter"),
        ("katz.max_iter", "--max-iter"),
        ("hits.max_iter", "--max-iter"),
    ];
    match e.rename_param(&names) {
        Error::Param { name, value, rule } => Error::Param {
            name,
            value,
            rule: rule
                .replace("KatzAlpha::Absolute", "--katz-alpha-abs")
                .replace("KatzAlpha::OfRadius", "--katz-alpha"),
        },
        Error::NotConverged {
            measure,
            iterations,
            tol,
            hint,
        } => Error::NotConverged {
            measure,
            iterations,
            tol,
            hint: hint.map(|h| {
                h.replace(
                    "raise max_iter or loosen tol",
                    "raise --max-iter or loosen --tol",
                )
            }),
        },
        e => e,
    }
}

pub fn run(a: CentralityArgs, out: &Sink) -> Result<()> {
    let params = params(&a)?;
    params.validate().map_err(|e| flag_names(e, &a))?;
    if a.timings {
        tradenet::timings::enable();
    }
    let t_load = Instant::now();
    let loaded = a.graph.load()?.latest_year()?;
    let load_s = t_load.elapsed().as_secs_f64();
    let load_phases = tradenet::timings::take();
    let bar = std::sync::OnceLock::new();
    let tick = |done: usize, total: usize| {
        let pb = bar.get_or_init(|| {
            (total >= 64 && std::io::stderr().is_terminal()).then(|| progress_bar(total))
        });
        if let Some(pb) = pb {
            pb.set_position(done as u64);
        }
    };
    let c =
        centrality_with_progress(&loaded.graph, &params, &tick).map_err(|e| flag_names(e, &a))?;
    if let Some(Some(pb)) = bar.get() {
        pb.finish_and_clear();
    }
    if a.timings {
        note!("timings: load {load_s:.6} s");
        for (phase, s) in load_phases {
            note!("timings:   {phase} {s:.6} s");
        }
        note!("timings: aggregate {:.6} s", c.prepare_seconds);
        for r in &c.runs {
            let it = r
                .iterations
                .map_or(String::new(), |i| format!(" ({i} iterations)"));
            note!("timings: {} {:.6} s{it}", r.measure, r.seconds);
        }
        // What the run did after its measures: the ranking, the rows.
        for (phase, s) in tradenet::timings::take() {
            note!("timings: {phase} {s:.6} s");
        }
    }
    let report = CentralityReport {
        loaded: &loaded,
        out: &c,
        top: a.top,
    };
    let t_out = Instant::now();
    if out.is(Format::Csv) {
        // Streamed straight into bytes: a million rows as cells of their own would cost more
        // than the measure itself.
        out.bytes(&report.csv_bytes()?)?;
    } else {
        out.report(&report)?;
    }
    if a.timings {
        note!("timings: output {:.6} s", t_out.elapsed().as_secs_f64());
    }
    // The process ends next: its exit returns the memory at once, where dropping a million
    // nodes and the flow arrays piece by piece takes a tenth of a second on a firm network.
    std::mem::forget(c);
    std::mem::forget(loaded);
    Ok(())
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new(total as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "betweenness [{bar:40}] {pos}/{len} sources ({eta})",
        )
        .expect("valid template"),
    );
    pb
}
