//! Time value added in trade on an input-output system, step by step (release build):
//! `cargo run --release --example gvc_timing -- ../shared/data/wiod2011/full`.
//! Loads the graph, assembles the system (one dense inversion of I - A), then runs every
//! method for every exporter on it, trade in value added, the Leontief node indicators and
//! upstreamness, printing the wall time of each step.

use std::time::Instant;
use tradenet::analysis::gvc::{
    gvc_on, leontief_nodes, trade_in_value_added, upstreamness, GvcParams, GvcSystem, Method,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/wiod2011/full".into());
    let t = Instant::now();
    let g = tradenet::io::load(&path, &Default::default())?;
    println!(
        "load: {:.3} s ({} nodes)",
        t.elapsed().as_secs_f64(),
        g.node_count()
    );
    let t = Instant::now();
    let sys = GvcSystem::from_graph(&g)?;
    println!(
        "system (A, B = (I - A)^-1, L_rr): {:.3} s",
        t.elapsed().as_secs_f64()
    );
    let all = Instant::now();
    for m in [
        Method::Leontief,
        Method::BmSource,
        Method::BmSink,
        Method::Wwz,
        Method::My,
        Method::Oecd,
    ] {
        let t = Instant::now();
        let r = gvc_on(
            &sys,
            &GvcParams {
                exporter: None,
                method: m,
            },
        )?;
        println!(
            "{:>9}, {} exporters: {:.3} s",
            m.as_str(),
            r.exporters.len(),
            t.elapsed().as_secs_f64()
        );
    }
    println!(
        "every method, every exporter: {:.3} s",
        all.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let tv = trade_in_value_added(&sys);
    println!(
        "V B Y and VAX ratios ({} countries): {:.3} s",
        tv.countries.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let l = leontief_nodes(&sys);
    println!(
        "i2e, e2r, nrca ({} nodes): {:.3} s",
        l.nodes.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let u = upstreamness(&g, &Default::default())?;
    println!(
        "upstreamness ({:?} terms): {:.3} s",
        u.iterations,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
