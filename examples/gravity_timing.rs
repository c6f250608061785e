//! Time the structural gravity GE solve on gegravity's sample (CAN-JPN trade agreement):
//! `cargo run --example gravity_timing -- ../shared/data/gegravity-sample`.
//! Prints the wall time of 100 solves of each method, with the Newton iterations and the
//! GDP changes of CAN and JPN.

use std::path::PathBuf;
use std::time::Instant;
use tradenet::analysis::ge::gravity::{gravity_ge, GravityMethod, GravityParams, SetVariable};
use tradenet::io::gravity::{load_cost_coefficients, load_gravity};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/data/gegravity-sample".into()),
    );
    let t = Instant::now();
    let d = load_gravity(&dir.join("sample_data_set.csv"), Some(2006))?;
    let coefficients = load_cost_coefficients(&dir.join("reference/cost_coefficients.csv"), &d)?;
    println!(
        "load: {:.2} ms ({} countries)",
        t.elapsed().as_secs_f64() * 1e3,
        d.len()
    );
    for method in [GravityMethod::Gegravity, GravityMethod::Exact] {
        let p = GravityParams {
            reference: Some("DEU".into()),
            coefficients: coefficients.clone(),
            experiments: vec![
                SetVariable::parse("pta:CAN:JPN=1")?,
                SetVariable::parse("pta:JPN:CAN=1")?,
            ],
            method,
            ..Default::default()
        };
        let r = gravity_ge(&d, &p)?;
        let runs = 100;
        let t = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(gravity_ge(&d, &p)?);
        }
        let each = t.elapsed().as_secs_f64() / runs as f64;
        let gdp = |id: &str| {
            r.countries
                .iter()
                .find(|c| c.id == id)
                .map_or(f64::NAN, |c| c.gdp_pct)
        };
        println!(
            "{:>9}: {runs} solves in {:.1} ms, {:.3} ms each ({} Newton iterations); GDP CAN {:+.6}%, JPN {:+.6}%; largest residual {:.1e}",
            method.as_str(),
            each * runs as f64 * 1e3,
            each * 1e3,
            r.solver.iterations,
            gdp("CAN"),
            gdp("JPN"),
            r.solver.residuals.iter().map(|c| c.max_abs).fold(0.0, f64::max),
        );
    }
    Ok(())
}
