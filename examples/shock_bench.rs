//! Timings of the shock models on the benchmark files (see benches/SHOCK-RESULTS.md).
//!
//! ```text
//! cargo run --release --example shock_bench -- icio  /tmp/tradenet-bench-data [RUNS]
//! cargo run --release --example shock_bench -- wiod  ../shared/data/wiod2011/full [RUNS]
//! cargo run --release --example shock_bench -- firms /tmp/tradenet-bench-data/firms.csv [RUNS]
//! ```
//!
//! Each task runs RUNS times (default 20; firms 5) on the graph already in memory, like the
//! peers' timings (../shared/bench/README.md), and the median, min and max are printed with
//! checksums to compare against the peers'.

use std::time::Instant;
use tradenet::analysis::{debtrank, DebtRankParams, IoSystem, RoundParams};
use tradenet::io::{load, LoadOptions};
use tradenet::{Csr, FlowFilter, TradeGraph};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Median, min and max of `runs` timings of `f` (seconds), and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, f64, T) {
    let mut t = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let s = Instant::now();
        let r = f();
        t.push(s.elapsed().as_secs_f64());
        last = Some(r);
    }
    t.sort_by(f64::total_cmp);
    (t[t.len() / 2], t[0], t[t.len() - 1], last.expect("one run"))
}

fn ms(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

fn report(task: &str, (med, lo, hi): (f64, f64, f64), runs: usize) {
    println!(
        "{task:<44} median {:>9}  (min {}, max {}, {runs} runs)",
        ms(med),
        ms(lo),
        ms(hi)
    );
}

/// A `node,value` CSV as a vector in node order (nodes not listed: 0).
fn node_values(g: &TradeGraph, path: &str) -> Res<Vec<f64>> {
    let text = std::fs::read_to_string(path)?;
    let mut v = vec![0.0; g.node_count()];
    for line in text.lines().skip(1) {
        let Some((id, val)) = line.split_once(',') else {
            continue;
        };
        v[g.require_node(id.trim())?.index()] = val.trim().parse()?;
    }
    Ok(v)
}

fn top_negative(sys: &IoSystem, dx: &[f64], k: usize) -> Vec<String> {
    let mut ix: Vec<usize> = (0..dx.len()).collect();
    ix.sort_by(|&a, &b| dx[a].total_cmp(&dx[b]).then(a.cmp(&b)));
    ix.into_iter()
        .take(k)
        .map(|i| sys.ids()[i].clone())
        .collect()
}

fn icio(dir: &str, runs: usize) -> Res<()> {
    let t = Instant::now();
    let g = load(&format!("{dir}/icio.csv"), &LoadOptions::default())?;
    println!(
        "icio: {} nodes, {} flows, loaded in {}",
        g.node_count(),
        g.flow_count(),
        ms(t.elapsed().as_secs_f64())
    );
    let x = node_values(&g, &format!("{dir}/icio_output.csv"))?;
    let y = node_values(&g, &format!("{dir}/icio_final_demand.csv"))?;
    let dy = node_values(&g, &format!("{dir}/icio_shock.csv"))?;
    let p = RoundParams::default();
    let (a, b, c, sys) = time(runs, || {
        IoSystem::from_graph_with(&g, x.clone(), Some(y.clone())).expect("a valid system")
    });
    report(
        "build system (CSR of Z, x, column-sum check)",
        (a, b, c),
        runs,
    );
    let (a, b, c, prop) = time(runs, || sys.leontief(&dy, &p).expect("converges"));
    report("Leontief rounds (tol 1e-10)", (a, b, c), runs);
    let (a, b, c, _) = time(runs, || {
        let s = IoSystem::from_graph_with(&g, x.clone(), Some(y.clone())).expect("valid");
        s.leontief(&dy, &p).expect("converges")
    });
    report("one demand shock: build + rounds", (a, b, c), runs);
    let sum: f64 = prop.total.iter().sum();
    let l1: f64 = prop.total.iter().map(|v| v.abs()).sum();
    println!(
        "  rounds {}, sum(dx) {sum:.7}, min(dx) {:.7}, L1 {l1:.7}, residual L1 {:.2e}",
        prop.rounds.len(),
        prop.total.iter().copied().fold(f64::INFINITY, f64::min),
        sys.leontief_residual(&prop.total, &dy)
    );
    println!(
        "  top-5 most negative: {}",
        top_negative(&sys, &prop.total, 5).join(", ")
    );
    let (a, b, c, _) = time(runs, || sys.ghosh(&dy, &p).expect("converges"));
    report("Ghosh rounds, same vector as dv", (a, b, c), runs);
    Ok(())
}

fn wiod(dir: &str, runs: usize) -> Res<()> {
    let t = Instant::now();
    let g = load(dir, &LoadOptions::default())?;
    println!(
        "wiod full: {} nodes, {} flows, loaded in {}",
        g.node_count(),
        g.flow_count(),
        ms(t.elapsed().as_secs_f64())
    );
    // dy = -10% of the final demand of every CHN node.
    let sys0 = IoSystem::from_graph(&g)?;
    let dy: Vec<f64> = g
        .nodes()
        .zip(sys0.final_demand())
        .map(|(n, &y)| {
            if n.country_id() == "CHN" {
                -0.1 * y
            } else {
                0.0
            }
        })
        .collect();
    let p = RoundParams::default();
    let (a, b, c, sys) = time(runs, || IoSystem::from_graph(&g).expect("valid"));
    report("build system", (a, b, c), runs);
    let (a, b, c, prop) = time(runs, || sys.leontief(&dy, &p).expect("converges"));
    report("Leontief rounds (tol 1e-10)", (a, b, c), runs);
    let lu_runs = runs.clamp(1, 3);
    let (a, b, c, direct) = time(lu_runs, || sys.leontief_dense(&dy).expect("solves"));
    report("dense LU solve (cross-check)", (a, b, c), lu_runs);
    let diff = direct
        .iter()
        .zip(&prop.total)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let scale = direct.iter().map(|v| v.abs()).fold(0.0, f64::max);
    println!(
        "  rounds {}, sum(dx) {:.6e}, max |rounds - LU| / max |LU| = {:.2e}",
        prop.rounds.len(),
        prop.total.iter().sum::<f64>(),
        diff / scale
    );
    println!(
        "  top-5 most negative: {}",
        top_negative(&sys, &prop.total, 5).join(", ")
    );
    Ok(())
}

fn firms(path: &str, runs: usize) -> Res<()> {
    let t = Instant::now();
    let g = load(path, &LoadOptions::default())?;
    println!(
        "firms: {} nodes, {} flows, loaded in {}",
        g.node_count(),
        g.flow_count(),
        ms(t.elapsed().as_secs_f64())
    );
    let filter = FlowFilter {
        drop_self_loops: true,
        ..Default::default()
    };
    let (a, b, c, csr) = time(runs, || Csr::from_graph(&g, &filter));
    report("CSR of the flows", (a, b, c), runs);
    // The 10 largest exporters lose half their sales.
    let out = csr.row_sums();
    let mut ix: Vec<usize> = (0..csr.n).collect();
    ix.sort_by(|&a, &b| out[b].total_cmp(&out[a]).then(a.cmp(&b)));
    let mut h0 = vec![0.0; csr.n];
    for &i in ix.iter().take(10) {
        h0[i] = 0.5;
    }
    for (name, channel) in [
        ("export", tradenet::analysis::Channel::Export),
        ("import", tradenet::analysis::Channel::Import),
    ] {
        let p = DebtRankParams {
            channel,
            history: false,
        };
        let (a, b, c, r) = time(runs, || debtrank(&csr, &h0, &p).expect("runs"));
        report(&format!("DebtRank, {name} channel"), (a, b, c), runs);
        let distressed = r.distressed_round.iter().filter(|x| x.is_some()).count();
        println!(
            "  rounds {}, distressed {distressed}, systemic loss {:.6e}",
            r.rounds.len(),
            r.systemic_loss
        );
    }
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: shock_bench icio|wiod|firms PATH [RUNS]";
    let (Some(what), Some(path)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    let runs = |d: usize| -> Res<usize> {
        Ok(match args.get(2) {
            Some(r) => r.parse()?,
            None => d,
        })
    };
    match what.as_str() {
        "icio" => icio(path, runs(20)?),
        "wiod" => wiod(path, runs(20)?),
        "firms" => firms(path, runs(5)?),
        _ => Err(usage.into()),
    }
}
