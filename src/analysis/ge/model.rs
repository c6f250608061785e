//! The Caliendo-Parro experiment: two solves from the same data (baseline policy and
//! counterfactual policy), and the outcomes MODEL.md reports, as serialisable data.

use super::data::GeData;
use super::graph::{from_graph, ThetaChoice};
use super::policy::{resolve, Deficits, TariffCell, TradeCost};
use super::solve::{solve, solve_from, Equilibrium, Policy, Residuals, SolverOptions};
use crate::analysis::shock::Tariff;
use crate::error::{Error, Result};
use crate::model::TradeGraph;
use serde::{Deserialize, Serialize};

/// Parameters of a Caliendo-Parro experiment ([`ge_data`], [`super::ge`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeParams {
    /// New tariffs (with revenue rebated to the importer); `old` replaces the data's rate.
    pub tariffs: Vec<Tariff>,
    /// Iceberg trade-cost changes.
    pub trade_costs: Vec<TradeCost>,
    /// Explicit new rates per cell (a tariff schedule file), applied before `tariffs`.
    pub schedule: Vec<TariffCell>,
    /// Deficits in both solves. Default [`Deficits::Data`].
    pub deficits: Deficits,
    /// Solver settings.
    pub solver: SolverOptions,
    /// Trade elasticities of a graph's sectors ([`super::ge`] only; data sets carry their own).
    pub theta: ThetaChoice,
}

impl GeParams {
    /// Check what can be checked without the data: the solver's tolerance in (0, 1e-3], at
    /// least 1 iteration, a mixing in (0, 1], trade-cost factors above 0.
    ///
    /// Errors: [`Error::Param`] naming the parameter, its value and the rule.
    pub fn validate(&self) -> Result<()> {
        let o = &self.solver;
        if !(o.tol > 0.0 && o.tol <= 1e-3) {
            return Err(Error::param(
                "solver.tol",
                o.tol,
                "the solver's tolerance must be above 0 and at most 1e-3",
            ));
        }
        if o.max_iter == 0 {
            return Err(Error::param(
                "solver.max_iter",
                0,
                "the solver needs at least 1 iteration",
            ));
        }
        if !(o.mixing > 0.0 && o.mixing <= 1.0) {
            return Err(Error::param(
                "solver.mixing",
                o.mixing,
                "must be above 0 and at most 1",
            ));
        }
        if let Some(s) = self.theta.sigma {
            if !(s.is_finite() && s > 1.0) {
                return Err(Error::param(
                    "theta.sigma",
                    s,
                    "the elasticity of substitution must be a finite number above 1 (theta = sigma - 1)",
                ));
            }
        }
        for (code, t) in &self.theta.by_sector {
            if !(t.is_finite() && *t > 0.0) {
                return Err(Error::param(
                    "theta.by_sector",
                    format!("{}={t}", crate::text::clip(code)),
                    "a sector's theta must be a finite number above 0",
                ));
            }
        }
        for c in &self.trade_costs {
            if !(c.factor.is_finite() && c.factor > 0.0) {
                return Err(Error::param(
                    "trade_costs",
                    format!(
                        "{}:{}={}",
                        crate::text::clip(&c.importer),
                        crate::text::clip(&c.exporter),
                        c.factor
                    ),
                    "a trade-cost factor must be a finite number above 0",
                ));
            }
        }
        Ok(())
    }
}

/// How one solve converged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolveReport {
    /// Map evaluations.
    pub iterations: usize,
    /// Largest residual of each equilibrium condition.
    pub residuals: Residuals,
}

/// How the model was solved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolverReport {
    /// `anderson` (accelerated fixed point).
    pub method: String,
    /// The tolerance on the largest step.
    pub tol: f64,
    /// The baseline solve (baseline tariffs and deficits).
    pub baseline: SolveReport,
    /// The counterfactual solve.
    pub counterfactual: SolveReport,
}

/// What a country gains or loses. Percentages are changes from the baseline solve to the
/// counterfactual one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryGe {
    /// Country id.
    pub id: String,
    /// CP2015's welfare: terms of trade + volume of trade + technology (Table 2's "welfare",
    /// a decomposition with finite changes; not the exact real-income change).
    pub welfare_pct: f64,
    /// Real wage w^/P^ - 1.
    pub real_wage_pct: f64,
    /// The exact real-income change (I'/I)/P^ - 1.
    pub real_income_pct: f64,
    /// Terms-of-trade part of welfare.
    pub terms_of_trade_pct: f64,
    /// Volume-of-trade part of welfare.
    pub volume_of_trade_pct: f64,
    /// Technology (iceberg) part of welfare.
    pub technology_pct: f64,
    /// Consumer price index P^ = prod_j P^_nj^alpha_nj.
    pub price_index_pct: f64,
    /// Nominal wage w^ (in the numeraire: world value added fixed).
    pub wage_pct: f64,
    /// Income I (value added + tariff revenue + deficit), baseline solve.
    pub income_baseline: f64,
    /// Income, counterfactual.
    pub income_new: f64,
    /// Tariff revenue, baseline solve.
    pub tariff_revenue_baseline: f64,
    /// Tariff revenue, counterfactual.
    pub tariff_revenue_new: f64,
    /// Imports from other countries (net of tariffs), baseline solve.
    pub imports_baseline: f64,
    /// Imports, counterfactual.
    pub imports_new: f64,
    /// Exports to other countries, baseline solve.
    pub exports_baseline: f64,
    /// Exports, counterfactual.
    pub exports_new: f64,
}

/// A bilateral flow by sector (net of tariffs), in the two solves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowGe {
    /// Exporter.
    pub from: String,
    /// Importer.
    pub to: String,
    /// Sector.
    pub sector: String,
    /// Baseline solve.
    pub baseline: f64,
    /// Counterfactual.
    pub new: f64,
    /// new - baseline.
    pub delta: f64,
    /// 100 delta / baseline (`None` where the baseline is 0).
    pub delta_pct: Option<f64>,
}

/// A country-sector's gross output, in the two solves, and its prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeGe {
    /// `COUNTRY:SECTOR` (the graph's node id when built from a graph).
    pub id: String,
    /// Country.
    pub country: String,
    /// Sector.
    pub sector: String,
    /// Gross output Y, baseline solve.
    pub baseline: f64,
    /// Gross output, counterfactual.
    pub new: f64,
    /// new - baseline.
    pub delta: f64,
    /// 100 delta / baseline (`None` where the baseline is 0).
    pub delta_pct: Option<f64>,
    /// Unit cost c^ - 1, percent.
    pub unit_cost_pct: f64,
    /// Sectoral price index P^ - 1, percent.
    pub price_pct: f64,
}

/// The outcome of a Caliendo-Parro experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeResult {
    /// `caliendo-parro`.
    pub method: String,
    /// Deficits treatment.
    pub deficits: Deficits,
    /// Cells (importer, exporter, sector) whose tariff or trade cost changed.
    pub changed_cells: usize,
    /// Unit of the values.
    pub unit: String,
    /// Assumptions made building the data.
    pub notes: Vec<String>,
    /// Convergence.
    pub solver: SolverReport,
    /// Every country, in the data's order.
    pub countries: Vec<CountryGe>,
    /// Every flow non-zero in either solve, by sector, exporter, importer.
    pub flows: Vec<FlowGe>,
    /// Every country-sector.
    pub nodes: Vec<NodeGe>,
}

fn pct(ratio: f64) -> f64 {
    100.0 * (ratio - 1.0)
}

fn change(base: f64, new: f64) -> (f64, Option<f64>) {
    let delta = new - base;
    (delta, (base != 0.0).then(|| 100.0 * delta / base))
}

/// Run the experiment on GE data: the baseline solve (baseline tariffs, no iceberg change,
/// the deficits chosen) and the counterfactual solve, both from the data, and the outcomes.
///
/// ```
/// use tradenet::analysis::ge::{ge_data, GeData, GeParams, Deficits};
/// use tradenet::analysis::Tariff;
/// // Two countries, one traded sector, no input-output links: the Armington model.
/// let d = GeData::example();
/// let p = GeParams {
///     tariffs: vec![Tariff { importer: "A".into(), exporter: "B".into(), sector: None, rate: 0.1, old: None }],
///     deficits: Deficits::Zero,
///     ..Default::default()
/// };
/// let r = ge_data(&d, &p).unwrap();
/// assert!(r.countries[1].real_income_pct < 0.0); // B loses
/// ```
///
/// Errors: parameter errors ([`GeParams::validate`], unknown countries or sectors, a tariff
/// on a non-tradable sector), data errors ([`GeData::validate`]), and the solver's
/// [`Error::NotConverged`] / [`Error::Numeric`].
pub fn ge_data(d: &GeData, p: &GeParams) -> Result<GeResult> {
    p.validate()?;
    d.validate()?;
    let (base_tariff, cf, changed) =
        resolve(d, &p.tariffs, &p.trade_costs, &p.schedule, p.deficits)?;
    // The data with the baseline tariffs (a tariff's `old` rate replaces the data's).
    let data = if base_tariff != d.tariff {
        std::borrow::Cow::Owned(GeData {
            tariff: base_tariff.clone(),
            ..d.clone()
        })
    } else {
        std::borrow::Cow::Borrowed(d)
    };
    let bl_policy = Policy {
        tariff: base_tariff,
        iceberg: vec![1.0; d.tariff.len()],
        deficit: cf.deficit.clone(),
    };
    let bln = solve(&data, &bl_policy, &p.solver)?;
    let cfl = solve_from(&data, &cf, &p.solver, Some(&bln))?;
    Ok(outcomes(&data, &bl_policy, &bln, &cf, &cfl, p, changed))
}

/// Run the experiment on an input-output graph: [`from_graph`] builds the data (imports by
/// sector from Z and final demand, value added as output minus inputs, theta from
/// `p.theta` or the default table), then [`ge_data`].
///
/// ```
/// use tradenet::analysis::ge::{ge, GeParams};
/// use tradenet::analysis::Tariff;
/// let g = tradenet::bundled::default_graph().unwrap();
/// let p = GeParams {
///     tariffs: vec![Tariff { importer: "USA".into(), exporter: "CAN".into(), sector: None, rate: 0.25, old: None }],
///     ..Default::default()
/// };
/// let r = ge(&g, &p).unwrap();
/// let can = r.countries.iter().find(|c| c.id == "CAN").unwrap();
/// assert!(can.real_income_pct < 0.0);
/// ```
///
/// Errors: as [`from_graph`] and [`ge_data`].
pub fn ge(g: &TradeGraph, p: &GeParams) -> Result<GeResult> {
    p.validate()?;
    let d = from_graph(g, &p.theta)?;
    ge_data(&d, p)
}

/// Trade net of tariffs T_nij = X_nj pi_nij / (1 + tau_nij), indexed as the data's pairs.
fn flows_of(d: &GeData, pol: &Policy, e: &Equilibrium) -> Vec<f64> {
    let (n, j) = (d.n(), d.j());
    let mut t = vec![0.0; j * n * n];
    for s in 0..j {
        for a in 0..n {
            for i in 0..n {
                let k = d.pair(s, a, i);
                t[k] = e.expenditure[a * j + s] * e.share[k] / (1.0 + pol.tariff[k]);
            }
        }
    }
    t
}

fn outcomes(
    d: &GeData,
    bp: &Policy,
    bln: &Equilibrium,
    cp: &Policy,
    cfl: &Equilibrium,
    p: &GeParams,
    changed: usize,
) -> GeResult {
    let (n, j) = (d.n(), d.j());
    let tb = flows_of(d, bp, bln);
    let tc = flows_of(d, cp, cfl);
    let c_hat: Vec<f64> = (0..n * j)
        .map(|k| cfl.unit_cost[k] / bln.unit_cost[k])
        .collect();
    let mut countries = Vec::with_capacity(n);
    for a in 0..n {
        let ln_p: f64 = (0..j)
            .map(|s| d.alpha[a * j + s] * (cfl.price[a * j + s] / bln.price[a * j + s]).ln())
            .sum();
        let p_hat = ln_p.exp();
        let w_hat = cfl.wage[a] / bln.wage[a];
        let inc = bln.income[a];
        let (mut tot, mut vot, mut tech) = (0.0, 0.0, 0.0);
        let (mut rev_b, mut rev_c) = (0.0, 0.0);
        let (mut imp_b, mut imp_c, mut exp_b, mut exp_c) = (0.0, 0.0, 0.0, 0.0);
        for s in 0..j {
            for i in 0..n {
                let own = d.pair(s, a, i); // a imports from i
                let theirs = d.pair(s, i, a); // i imports from a
                tot += tb[theirs] * (c_hat[a * j + s] - 1.0) - tb[own] * (c_hat[i * j + s] - 1.0);
                vot += bp.tariff[own] * tb[own] * (tc[own] / (tb[own] + 1e-8) - c_hat[i * j + s]);
                let d_hat = cp.iceberg[own] / bp.iceberg[own];
                tech -= tb[own] * (1.0 + bp.tariff[own]) * (d_hat - 1.0);
                rev_b += bp.tariff[own] * tb[own];
                rev_c += cp.tariff[own] * tc[own];
                if i != a {
                    imp_b += tb[own];
                    imp_c += tc[own];
                    exp_b += tb[theirs];
                    exp_c += tc[theirs];
                }
            }
        }
        let (tot, vot, tech) = (100.0 * tot / inc, 100.0 * vot / inc, 100.0 * tech / inc);
        countries.push(CountryGe {
            id: d.countries[a].clone(),
            welfare_pct: tot + vot + tech,
            real_wage_pct: pct(w_hat / p_hat),
            real_income_pct: pct(cfl.income[a] / inc / p_hat),
            terms_of_trade_pct: tot,
            volume_of_trade_pct: vot,
            technology_pct: tech,
            price_index_pct: pct(p_hat),
            wage_pct: pct(w_hat),
            income_baseline: inc,
            income_new: cfl.income[a],
            tariff_revenue_baseline: rev_b,
            tariff_revenue_new: rev_c,
            imports_baseline: imp_b,
            imports_new: imp_c,
            exports_baseline: exp_b,
            exports_new: exp_c,
        });
    }
    let mut flows = Vec::new();
    for s in 0..j {
        for i in 0..n {
            for a in 0..n {
                let k = d.pair(s, a, i);
                if tb[k] == 0.0 && tc[k] == 0.0 {
                    continue;
                }
                let (delta, delta_pct) = change(tb[k], tc[k]);
                flows.push(FlowGe {
                    from: d.countries[i].clone(),
                    to: d.countries[a].clone(),
                    sector: d.sectors[s].clone(),
                    baseline: tb[k],
                    new: tc[k],
                    delta,
                    delta_pct,
                });
            }
        }
    }
    let mut nodes = Vec::with_capacity(n * j);
    for a in 0..n {
        for s in 0..j {
            let k = a * j + s;
            let (delta, delta_pct) = change(bln.output[k], cfl.output[k]);
            nodes.push(NodeGe {
                id: d.node_id(a, s),
                country: d.countries[a].clone(),
                sector: d.sectors[s].clone(),
                baseline: bln.output[k],
                new: cfl.output[k],
                delta,
                delta_pct,
                unit_cost_pct: pct(c_hat[k]),
                price_pct: pct(cfl.price[k] / bln.price[k]),
            });
        }
    }
    GeResult {
        method: "caliendo-parro".into(),
        deficits: p.deficits,
        changed_cells: changed,
        unit: d.unit.clone(),
        notes: d.notes.clone(),
        solver: SolverReport {
            method: if p.solver.memory > 0 {
                "anderson"
            } else {
                "fixed-point"
            }
            .into(),
            tol: p.solver.tol,
            baseline: SolveReport {
                iterations: bln.iterations,
                residuals: bln.residuals,
            },
            counterfactual: SolveReport {
                iterations: cfl.iterations,
                residuals: cfl.residuals,
            },
        },
        countries,
        flows,
        nodes,
    }
}
