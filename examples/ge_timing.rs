//! Time the Caliendo-Parro NAFTA experiment (two solves) on `../shared/data/cp2015`, and the
//! US tariff on Canada on the full WIOD 2011 system:
//! `cargo run --release --example ge_timing [RUNS]`.

use std::time::Instant;
use tradenet::analysis::ge::{ge_data, Deficits, GeParams};
use tradenet::io::cp2015;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args().nth(1).map_or(Ok(20), |s| s.parse())?;
    // Optional: the Anderson memory and the mixing (defaults of SolverOptions otherwise).
    let memory: Option<usize> = std::env::args().nth(2).map(|s| s.parse()).transpose()?;
    let mixing: Option<f64> = std::env::args().nth(3).map(|s| s.parse()).transpose()?;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cp2015");
    let d = cp2015::read(&root)?;
    let sched = root.join("reference/nafta_tariff_changes.csv");
    let schedule = cp2015::read_schedule(&sched.to_string_lossy(), &d)?;
    for (deficits, tol) in [
        (Deficits::Zero, 1e-7),
        (Deficits::Zero, 1e-12),
        (Deficits::Data, 1e-12),
    ] {
        let mut p = GeParams {
            schedule: schedule.clone(),
            deficits,
            ..Default::default()
        };
        p.solver.tol = tol;
        if let Some(m) = memory {
            p.solver.memory = m;
        }
        if let Some(b) = mixing {
            p.solver.mixing = b;
        }
        let t = Instant::now();
        let mut last = None;
        for _ in 0..runs {
            last = Some(ge_data(&d, &p)?);
        }
        let r = last.expect("at least one run");
        let ms = t.elapsed().as_secs_f64() * 1e3 / runs as f64;
        println!(
            "deficits {:>4}, tol {tol:e}: {ms:.2} ms per experiment (two solves, {} + {} evaluations, max residual {:.1e})",
            deficits.as_str(),
            r.solver.baseline.iterations,
            r.solver.counterfactual.iterations,
            r.solver.counterfactual.residuals.max()
        );
    }
    // The full WIOD 2011 system (41 countries x 35 sectors): the US 25% tariff on Canada.
    let wiod = root.join("../wiod2011/full");
    let g = tradenet::io::load(&wiod.to_string_lossy(), &Default::default())?;
    let mut p = GeParams {
        tariffs: vec![tradenet::analysis::parse_tariff("USA:CAN=25%")?],
        ..Default::default()
    };
    if let Some(m) = memory {
        p.solver.memory = m;
    }
    if let Some(b) = mixing {
        p.solver.mixing = b;
    }
    let data = tradenet::analysis::ge::from_graph(&g, &p.theta)?;
    let t = Instant::now();
    let mut last = None;
    for _ in 0..runs {
        last = Some(ge_data(&data, &p)?);
    }
    let r = last.expect("at least one run");
    println!(
        "WIOD 2011 full (41 x 35), USA:CAN=25%, deficits data, tol 1e-12: {:.2} ms per experiment ({} + {} evaluations)",
        t.elapsed().as_secs_f64() * 1e3 / runs as f64,
        r.solver.baseline.iterations,
        r.solver.counterfactual.iterations
    );
    Ok(())
}
