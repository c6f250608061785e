//! `tradenet shock DATA.csv --model ge --cost-coefficients FILE`: one-sector structural gravity
//! in general equilibrium (the exact market-clearing solution, or gegravity's method).

use super::output::{human, to_json, Csv, Report, Table};
use anyhow::{bail, Result};
use serde::Serialize;
use tradenet::analysis::ge::gravity::{
    gravity_ge, GravityMethod, GravityParams, GravityResult, SetVariable,
};
use tradenet::io::gravity::{load_cost_coefficients, load_gravity};

#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a GravityLabel<'a>,
    model: &'static str,
    method: &'static str,
    scenario: &'a [String],
    #[serde(flatten)]
    result: &'a GravityResult,
}

/// Run the gravity model on the data set `path`.
pub fn run(
    a: &super::ge::GeArgs,
    path: &str,
    year: Option<u16>,
    top: usize,
    emit: &mut dyn FnMut(&dyn Report) -> Result<()>,
) -> Result<()> {
    let data = load_gravity(std::path::Path::new(path), year)?;
    let coef = a.cost_coefficients.as_deref().unwrap_or_default();
    let mut p = GravityParams {
        coefficients: load_cost_coefficients(std::path::Path::new(coef), &data)?,
        reference: a.reference.clone(),
        method: match a.method.as_deref() {
            Some(m) => GravityMethod::parse(m)?,
            None => GravityMethod::Exact,
        },
        ..Default::default()
    };
    if let Some(s) = a.sigma {
        p.sigma = s;
    }
    for s in &a.set_variable {
        p.experiments.push(SetVariable::parse(s)?);
    }
    let mut scenario: Vec<String> = a.set_variable.iter().map(|s| format!("set {s}")).collect();
    for spec in &a.trade_cost {
        let c = tradenet::analysis::ge::parse_trade_cost(spec)?;
        if c.sector.is_some() {
            bail!("--trade-cost {spec}: the gravity model has one sector; drop the sector");
        }
        p.trade_cost_factors
            .push((c.importer, c.exporter, c.factor));
        scenario.push(format!("trade cost {spec}"));
    }
    if let Some(t) = a.ge_tol {
        p.tol = t;
    }
    if let Some(m) = a.max_iter {
        p.max_iter = m;
    }
    if scenario.is_empty() {
        bail!("no scenario for the gravity model: give --set-variable VAR:IMPORTER:EXPORTER=VALUE (e.g. pta:CAN:JPN=1) or --trade-cost IMPORTER:EXPORTER=FACTOR");
    }
    let r = gravity_ge(&data, &p)?;
    emit(&GravityReport {
        graph: GravityLabel {
            file: path,
            kind: "gravity",
            countries: data.countries.len(),
        },
        method: p.method,
        scenario,
        r: &r,
        top,
    })
}

/// The `graph` of a gravity run's JSON.
#[derive(Serialize)]
struct GravityLabel<'a> {
    file: &'a str,
    kind: &'static str,
    countries: usize,
}

/// A gravity run as the sink prints it.
struct GravityReport<'a> {
    graph: GravityLabel<'a>,
    method: GravityMethod,
    scenario: Vec<String>,
    r: &'a GravityResult,
    top: usize,
}

impl Report for GravityReport<'_> {
    fn summary(&self) -> Vec<String> {
        let r = self.r;
        vec![
            format!(
                "General equilibrium, one-sector structural gravity ({}): {} countries, sigma {}, reference importer {} (its price index is 1)",
                if self.method == GravityMethod::Exact { "exact: every market clears" } else { "gegravity 0.3's method: baseline shares kept in the resistance system" },
                self.graph.countries,
                r.sigma,
                r.reference
            ),
            format!("Scenario: {}", self.scenario.join("; ")),
            format!(
                "Solver: {} Newton steps; residuals: {}",
                r.solver.iterations,
                r.solver
                    .residuals
                    .iter()
                    .map(|x| format!("{} {:.1e}", x.condition, x.max_abs))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ]
    }

    fn tables(&self) -> Vec<Table> {
        let top = self.top;
        let mut countries: Vec<_> = self.r.countries.iter().collect();
        countries.sort_by(|x, y| {
            y.gdp_pct
                .abs()
                .total_cmp(&x.gdp_pct.abs())
                .then_with(|| x.id.cmp(&y.id))
        });
        let f = |v: f64| format!("{v:+.6}");
        vec![Table {
            title: format!(
                "Countries, largest real GDP change first ({} of {}), percent",
                countries.len().min(top),
                countries.len()
            ),
            header: [
                "country",
                "real GDP",
                "factory price",
                "inward resistance",
                "outward resistance",
                "exports",
                "imports",
                "output",
            ]
            .map(String::from)
            .to_vec(),
            rows: countries
                .iter()
                .take(top)
                .map(|c| {
                    vec![
                        c.id.clone(),
                        f(c.gdp_pct),
                        f(c.factory_price_pct),
                        f(c.imr_pct),
                        f(c.omr_pct),
                        format!("{:+.3}", c.exports_pct),
                        format!("{:+.3}", c.imports_pct),
                        human(c.output_new),
                    ]
                })
                .collect(),
            right: (1..8).collect(),
        }]
    }

    fn json(&self) -> Result<serde_json::Value> {
        to_json(&Doc {
            graph: &self.graph,
            model: "ge",
            method: self.method.as_str(),
            scenario: &self.scenario,
            result: self.r,
        })
    }

    fn csv(&self) -> Result<Csv> {
        Ok(super::output::number_rows(
            &[
                "id",
                "gdp_pct",
                "welfare_pct",
                "factory_price_pct",
                "imr_pct",
                "omr_pct",
                "terms_of_trade_pct",
            ],
            &self.r.countries,
            |c| {
                let v = vec![
                    c.gdp_pct,
                    c.welfare_pct,
                    c.factory_price_pct,
                    c.imr_pct,
                    c.omr_pct,
                    c.terms_of_trade_pct,
                ];
                (c.id.clone(), v)
            },
        ))
    }
}
