//! `tradenet centrality`: who matters, by one or more measures, ranked.

use super::flags::{self, Range};
use super::output::{human, Printed, Sink, Table};
use super::Format;
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use std::io::IsTerminal;
use std::time::Instant;
use tradenet::analysis::{
    centrality, BetweennessParams, CentralityParams, Distance, EigenvectorParams, HitsParams,
    KatzAlpha, KatzParams, Measure, PagerankParams,
};
use tradenet::{FlowFilter, TradeGraph};

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
    /// Print load and per-measure times (seconds) to standard error.
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

/// Check the flags that need no graph, before any work starts.
fn validate(a: &CentralityArgs) -> Result<Vec<Measure>> {
    // The numbers are checked by their value parsers (`flags`).
    Measure::parse_list(&a.measure).context("--measure")
}

/// K distinct node indices from 0..n, drawn by a seeded partial Fisher-Yates (splitmix64),
/// sorted.
fn sample(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let k = k.min(n);
    let mut pool: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + (next() % (n - i) as u64) as usize;
        pool.swap(i, j);
    }
    let mut s = pool[..k].to_vec();
    s.sort_unstable();
    s
}

fn node_list(g: &TradeGraph, ids: &str, what: &str) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for id in ids
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ix = g.require_node(id).with_context(|| what.to_string())?;
        if !out.contains(&ix.index()) {
            out.push(ix.index());
        }
    }
    if out.is_empty() {
        bail!("{what}: no node ids given");
    }
    Ok(out)
}

/// A score for the human table.
fn cell(m: Measure, v: f64) -> String {
    match m {
        Measure::InStrength | Measure::OutStrength => human(v),
        _ if v == 0.0 => "0".into(),
        _ if v.abs() >= 1e-3 && v.abs() < 1e6 => format!("{v:.6}"),
        _ => format!("{v:.4e}"),
    }
}

pub fn run(a: CentralityArgs, out: &Sink) -> Result<()> {
    let measures = validate(&a)?;
    let t_load = Instant::now();
    let loaded = a.graph.load()?.latest_year()?;
    let load_s = t_load.elapsed().as_secs_f64();
    let view;
    let g: &TradeGraph = if a.countries {
        view = loaded.graph.countries();
        &view
    } else {
        &loaded.graph
    };
    let sectors = match &a.sector {
        Some(s) => {
            let mut v = Vec::new();
            for code in s.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                v.push(g.require_sector(code).context("--sector")?);
            }
            Some(v)
        }
        None => None,
    };
    let n = g.node_count();
    let personalization = match &a.personalize {
        Some(ids) => {
            let mut p = vec![0.0; n];
            for i in node_list(g, ids, "--personalize")? {
                p[i] = 1.0;
            }
            Some(p)
        }
        None => None,
    };
    let sources = match (&a.sources, a.sample) {
        (Some(path), _) => {
            // A file the user names that cannot be read is bad usage (exit 2), not our failure.
            let text = std::fs::read_to_string(path)
                .map_err(|e| tradenet::Error::Io {
                    file: path.clone(),
                    action: "cannot read",
                    error: e,
                })
                .context("--sources")?;
            Some(node_list(g, &text, &format!("--sources {path}"))?)
        }
        (None, Some(k)) => Some(sample(n, k, a.seed)),
        _ => None,
    };
    let n_sources = sources.as_ref().map_or(n, Vec::len);
    let params = CentralityParams {
        measures: measures.clone(),
        filter: FlowFilter {
            sectors: sectors.clone(),
            ..Default::default()
        },
        pagerank: PagerankParams {
            alpha: a.alpha,
            tol: a.tol,
            max_iter: a.max_iter,
            personalization,
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
            sources: sources.clone(),
        },
    };
    let pb = (measures.contains(&Measure::Betweenness)
        && n_sources >= 64
        && std::io::stderr().is_terminal())
    .then(|| {
        let pb = indicatif::ProgressBar::new(n_sources as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "betweenness [{bar:40}] {pos}/{len} sources ({eta})",
            )
            .expect("valid template"),
        );
        pb
    });
    let tick = |d: usize| {
        if let Some(pb) = &pb {
            pb.set_position(d as u64);
        }
    };
    let c = centrality(g, &params, Some(&tick))?;
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    if a.timings {
        note!("timings: load {load_s:.6} s");
        note!("timings: aggregate {:.6} s", c.prepare_seconds);
        for r in &c.runs {
            let it = r
                .iterations
                .map_or(String::new(), |i| format!(" ({i} iterations)"));
            note!("timings: {} {:.6} s{it}", r.measure, r.seconds);
        }
    }

    // Report.
    let ranking = c.ranking();
    let name_of = |i: usize| g.node(tradenet::NodeIx::new(i)).name().map(str::to_string);
    let mut iterations = Map::new();
    let mut summary = vec![format!("graph: {}", loaded.label)];
    let view_note = if a.countries {
        "countries (input-output graphs aggregated)"
    } else if g.kind() == tradenet::GraphKind::InputOutput {
        "country-sector nodes"
    } else {
        "nodes"
    };
    summary.push(format!("{n} {view_note}, measures: {}", join(&measures)));
    let mut katz_alpha = Value::Null;
    let mut radius = Value::Null;
    for r in &c.runs {
        if let Some(it) = r.iterations {
            iterations.insert(r.measure.name().into(), json!(it));
        }
        match r.measure {
            Measure::Pagerank | Measure::Cheirank => summary.push(format!(
                "{}: alpha {}, {} iterations to tol {:e}",
                r.measure,
                a.alpha,
                r.iterations.unwrap_or(0),
                a.tol
            )),
            Measure::Katz => {
                katz_alpha = json!(r.alpha);
                radius = json!(r.spectral_radius);
                summary.push(format!(
                    "katz: alpha {:.6e} = {} / lambda_max (lambda_max {:.6e}), {} iterations",
                    r.alpha.unwrap_or(f64::NAN),
                    a.katz_alpha,
                    r.spectral_radius.unwrap_or(f64::NAN),
                    r.iterations.unwrap_or(0)
                ));
            }
            Measure::Eigenvector => summary.push(format!(
                "eigenvector: {} Arnoldi steps (products with the matrix) to tol {:e}",
                r.iterations.unwrap_or(0),
                a.tol
            )),
            Measure::Authority if measures.contains(&Measure::Hub) => {}
            Measure::Hub | Measure::Authority => summary.push(format!(
                "hits: {} Lanczos steps (products with A^T A) to tol {:e}",
                r.iterations.unwrap_or(0),
                a.tol
            )),
            Measure::Betweenness => summary.push(format!(
                "betweenness: distance {}, {} sources{}",
                a.distance.to_lib().name(),
                n_sources,
                if a.unnormalized {
                    ", raw sums"
                } else {
                    ", normalised"
                }
            )),
            _ => {}
        }
    }
    let uses_paths = measures.iter().any(|m| {
        matches!(
            m,
            Measure::Betweenness | Measure::Closeness | Measure::Harmonic
        )
    });
    let params_json = json!({
        "alpha": a.alpha,
        "katz_alpha_fraction": a.katz_alpha,
        "katz_alpha": katz_alpha,
        "spectral_radius": radius,
        "tol": a.tol,
        "max_iter": a.max_iter,
        "iterations": iterations,
        "distance": if uses_paths { json!(a.distance.to_lib().name()) } else { Value::Null },
        "reverse": a.reverse,
        "sectors": a.sector.as_ref().map(|s| s.split(',').map(str::trim).collect::<Vec<_>>()),
        "countries": a.countries,
        "personalize": a.personalize,
        "betweenness_sources": if sources.is_some() { json!(n_sources) } else { Value::Null },
        "betweenness_normalized": !a.unnormalized,
    });
    let limit_all = a.top.unwrap_or(usize::MAX);
    let rows: Vec<usize> = ranking.iter().copied().take(limit_all).collect();
    // Only the shape that is printed is built: on a million-node graph the others would cost
    // seconds and hundreds of megabytes.
    let nodes_json: Vec<Value> = if out.is(Format::Json) {
        rows.iter()
            .map(|&i| {
                let mut o = Map::new();
                o.insert("id".into(), json!(c.ids[i]));
                o.insert("name".into(), json!(name_of(i)));
                for (k, m) in c.measures.iter().enumerate() {
                    o.insert(m.name().into(), json!(c.scores[k][i]));
                }
                Value::Object(o)
            })
            .collect()
    } else {
        Vec::new()
    };
    let json = json!({
        "graph": super::info::graph_json(&loaded),
        "measures": measures.iter().map(|m| m.name()).collect::<Vec<_>>(),
        "params": params_json,
        "nodes": nodes_json,
    });
    let mut header = vec!["#".to_string(), "id".into(), "name".into()];
    header.extend(measures.iter().map(|m| m.name().to_string()));
    let table_rows = ranking.iter().take(a.top.unwrap_or(20));
    let table = Table {
        title: format!("Ranked by {}", measures[0]),
        header,
        rows: table_rows
            .enumerate()
            .map(|(r, &i)| {
                let mut row = vec![
                    (r + 1).to_string(),
                    c.ids[i].clone(),
                    name_of(i).unwrap_or_default(),
                ];
                for (k, &m) in c.measures.iter().enumerate() {
                    row.push(cell(m, c.scores[k][i]));
                }
                row
            })
            .collect(),
        right: std::iter::once(0).chain(3..3 + measures.len()).collect(),
    };
    let mut csv_header = vec!["id".to_string()];
    csv_header.extend(measures.iter().map(|m| m.name().to_string()));
    let t_out = Instant::now();
    if out.is(Format::Csv) {
        // Streamed straight into bytes: a million rows as cells of their own would cost more
        // than the measure itself.
        // Rows are formatted in parallel blocks, concatenated in order (the same bytes
        // whatever the thread count).
        use rayon::prelude::*;
        let block = |chunk: &[usize]| -> csv::Result<Vec<u8>> {
            let mut w = csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 32));
            let mut cells: Vec<Vec<u8>> = vec![Vec::new(); c.measures.len()];
            for &i in chunk {
                for (k, cell) in cells.iter_mut().enumerate() {
                    cell.clear();
                    tradenet::io::push_value(cell, c.scores[k][i]);
                }
                let ids = std::iter::once(c.ids[i].as_bytes());
                w.write_record(ids.chain(cells.iter().map(|v| &v[..])))?;
            }
            w.into_inner().map_err(|e| e.into_error().into())
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&csv_header)?;
        let mut bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        let parts: Vec<Vec<u8>> = rows
            .par_chunks(1 << 15)
            .map(block)
            .collect::<csv::Result<_>>()?;
        bytes.reserve(parts.iter().map(Vec::len).sum());
        for p in parts {
            bytes.extend_from_slice(&p);
        }
        out.bytes(&bytes)?;
    } else {
        out.report(&Printed {
            summary,
            tables: vec![table],
            json,
            csv: (csv_header, Vec::new()),
        })?;
    }
    if a.timings {
        note!("timings: output {:.6} s", t_out.elapsed().as_secs_f64());
    }
    Ok(())
}

fn join(m: &[Measure]) -> String {
    m.iter().map(|m| m.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn sample_is_distinct_sorted_and_seeded() {
        let s = sample(100, 10, 7);
        assert_eq!(s.len(), 10);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s, sample(100, 10, 7));
        assert_ne!(s, sample(100, 10, 8));
        assert_eq!(sample(5, 10, 0), vec![0, 1, 2, 3, 4]);
    }
}
