//! One-sector structural gravity in general equilibrium: the counterfactual of a change in
//! bilateral trade costs (a trade agreement, a border), as in the USITC's gegravity 0.3
//! (`OneSectorGE`, Herman 2021, USITC Economics Working Paper 2021-04-B; Yotov, Piermartini,
//! Monteiro and Larch 2016, *An Advanced Guide to Trade Policy Analysis*, ch. 2), and the
//! variant that clears every market exactly.
//!
//! # The model
//! i is the exporter, j the importer, sigma the elasticity of substitution (> 1), R the
//! reference importer. Symbols and their names in the code:
//! - `t[i*n+j]` = T_ij = t_ij^(1-sigma) = exp(sum_k beta_k x_ij^k), the cost variables x^k of
//!   the data with their coefficients beta_k (a `constant` coefficient without a column is 1 on
//!   every pair);
//! - `y`, `e`: shares y_i = Y_i / sum(Y) and e_j = E_j / sum(E) of output and expenditure;
//! - `u` = ln Omega_i with Omega_i = 1 / Pi_i^(1-sigma) (Pi is the outward multilateral
//!   resistance, OMR), `v` = ln Phi_j with Phi_j = 1 / P_j^(1-sigma) (P is the inward
//!   multilateral resistance, IMR, the consumer price index); Phi_R = 1, so P_R = 1 is the
//!   numeraire;
//! - `p`: factory-gate prices, 1 in the baseline.
//!
//! The multilateral resistance (MR) system, 2N-1 equations (the one of R is implied):
//!
//! ```text
//! Omega_i * sum_j T_ij e_j Phi_j = 1      for every i
//! Phi_j   * sum_i T_ij y_i Omega_i = 1    for every j != R
//! ```
//!
//! Modeled trade is X_ij = E_j y_i T_ij Phi_j Omega_i in the baseline and
//! X'_ij = E'_j (Y'_i / sum Y') T'_ij Phi'_j Omega'_i in the experiment, with Y'_i = p_i Y_i and
//! E'_j = (E_j / Y_j) Y'_j (the ratio of expenditure to output is held). Real GDP is Y / P, so
//! the GDP (and welfare, and terms-of-trade) change is 100 (p P / P' - 1).
//!
//! # The two methods
//! - [`GravityMethod::Gegravity`] reproduces gegravity 0.3: the experiment MRs are solved with
//!   the new costs T' and the *baseline* shares y, e, and p_i = (Omega'_i / Omega_i)^(1/(1-sigma))
//!   = Pi_i / Pi'_i. The new incomes never feed back into the MR system, so the experiment
//!   flows do not clear markets: on gegravity's CAN-JPN sample the row sums miss Y' by up to
//!   0.9% (0.81% of it is the data's sum(E) / sum(Y), the rest is the missing feedback).
//! - [`GravityMethod::Exact`] (the default) solves the MR system with the *new* shares
//!   y'_i = p_i Y_i / sum(p Y) and e'_j = E'_j / sum(E'), together with the market-clearing
//!   condition p_i^(1-sigma) = (y'_i / y_i) (Omega'_i / Omega_i), as one system of 3N-1
//!   equations. Every market then clears: sum_j X'_ij / sum X' = y'_i and sum_i X'_ij = E'_j to
//!   the solver's tolerance. (In levels the row sums are y'_i sum(E'), not Y'_i, whenever the
//!   data's sum(E) differs from sum(Y); the shares are what the model determines.) For the
//!   CAN-JPN agreement it gives CAN +0.428227% instead of gegravity's +0.418261%.
//!
//! Both methods use the same baseline (gegravity's modeled flows, not the observed trade,
//! which the model does not use).
//!
//! # Solver
//! Newton's method on the equations in logs (each equation is ln of the product above, so its
//! residual is a relative error) with the dense Jacobian factorised by LU and a backtracking
//! line search; the baseline starts from a few Sinkhorn sweeps. The tolerance applies to the
//! largest residual; gegravity stops at 1e-8, the default here is 1e-12.

use crate::error::{closest, Error, Result};
use crate::io::gravity::{GravityData, CONSTANT};
use crate::text::clip;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// How the experiment is solved (see the [module](self) documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GravityMethod {
    /// Full endowment general equilibrium with the new output and expenditure shares in the MR
    /// system: every market clears.
    #[default]
    Exact,
    /// gegravity 0.3's `OneSectorGE`: baseline shares kept in the MR system.
    Gegravity,
}

impl GravityMethod {
    /// The name as the command line and the JSON write it.
    pub fn as_str(self) -> &'static str {
        match self {
            GravityMethod::Exact => "exact",
            GravityMethod::Gegravity => "gegravity",
        }
    }

    /// The method named `s` (`exact`, `gegravity`); [`Error::Param`] otherwise.
    pub fn parse(s: &str) -> Result<GravityMethod> {
        match s.trim().to_ascii_lowercase().as_str() {
            "exact" => Ok(GravityMethod::Exact),
            "gegravity" => Ok(GravityMethod::Gegravity),
            _ => Err(Error::param(
                "method",
                format!("'{}'", clip(s)),
                "unknown gravity method (methods: exact, gegravity)",
            )),
        }
    }
}

/// An experiment: the cost variable `var` of the pair exporter -> importer is set to `value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetVariable {
    /// The cost variable (a column of the data, or `constant`).
    pub var: String,
    /// The importing country.
    pub importer: String,
    /// The exporting country.
    pub exporter: String,
    /// The new value.
    pub value: f64,
}

impl SetVariable {
    /// Parse `VAR:IMPORTER:EXPORTER=VALUE`, importer first as in gegravity's tables:
    /// `pta:CAN:JPN=1` sets `pta` to 1 on the flow from JPN to CAN.
    ///
    /// ```
    /// use tradenet::analysis::ge::gravity::SetVariable;
    /// let s = SetVariable::parse("pta:CAN:JPN=1").unwrap();
    /// assert_eq!((s.importer.as_str(), s.exporter.as_str(), s.value), ("CAN", "JPN", 1.0));
    /// ```
    pub fn parse(s: &str) -> Result<SetVariable> {
        let bad = |why: &str| {
            Error::param(
                "experiments",
                format!("'{}'", clip(s)),
                format!("{why}; expected VAR:IMPORTER:EXPORTER=VALUE, for example pta:CAN:JPN=1"),
            )
        };
        let (lhs, value) = s.rsplit_once('=').ok_or_else(|| bad("no '='"))?;
        let mut parts = lhs.rsplitn(3, ':');
        let (Some(exporter), Some(importer), Some(var)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected three parts before '=' separated by ':'"));
        };
        let (var, importer, exporter) = (var.trim(), importer.trim(), exporter.trim());
        if var.is_empty() || importer.is_empty() || exporter.is_empty() {
            return Err(bad("an empty variable or country"));
        }
        let value: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                bad(&format!(
                    "value '{}' is not a finite number",
                    clip(value.trim())
                ))
            })?;
        Ok(SetVariable {
            var: var.to_string(),
            importer: importer.to_string(),
            exporter: exporter.to_string(),
            value,
        })
    }
}

/// Parse an iceberg trade-cost factor `IMPORTER:EXPORTER=FACTOR` (`CAN:JPN=0.95` lowers the
/// cost of JPN's goods in CAN by 5%) into `(importer, exporter, factor)`.
pub fn parse_cost_factor(s: &str) -> Result<(String, String, f64)> {
    let bad = |why: &str| {
        Error::param(
            "trade_cost_factors",
            format!("'{}'", clip(s)),
            format!("{why}; expected IMPORTER:EXPORTER=FACTOR, for example CAN:JPN=0.95"),
        )
    };
    let (lhs, f) = s.rsplit_once('=').ok_or_else(|| bad("no '='"))?;
    let (imp, exp) = lhs.split_once(':').ok_or_else(|| bad("no ':'"))?;
    let f: f64 = f
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v > 0.0)
        .ok_or_else(|| bad("the factor must be a finite number above 0"))?;
    if imp.trim().is_empty() || exp.trim().is_empty() {
        return Err(bad("an empty country"));
    }
    Ok((imp.trim().to_string(), exp.trim().to_string(), f))
}

/// Parameters of [`gravity_ge`].
#[derive(Debug, Clone, PartialEq)]
pub struct GravityParams {
    /// Elasticity of substitution, finite and above 1. Default 5 (gegravity's example).
    pub sigma: f64,
    /// The reference importer R, whose IMR is 1 in the baseline and the experiment (the
    /// numeraire). gegravity requires one (its example uses DEU); default here: the country
    /// with the largest expenditure E (the first in sorted order on a tie). GDP and welfare
    /// changes do not depend on it; price levels and nominal changes do.
    pub reference: Option<String>,
    /// Cost coefficients `(variable, beta)`: T_ij = exp(sum beta x_ij). At least one.
    pub coefficients: Vec<(String, f64)>,
    /// Cost variables set to new values in the experiment.
    pub experiments: Vec<SetVariable>,
    /// Iceberg cost changes `(importer, exporter, factor)`: t_ij is multiplied by `factor`, so
    /// T_ij by factor^(1-sigma). Applied after `experiments`.
    pub trade_cost_factors: Vec<(String, String, f64)>,
    /// The method. Default [`GravityMethod::Exact`].
    pub method: GravityMethod,
    /// Largest residual allowed in every system solved (relative), in (0, 1). Default 1e-12.
    pub tol: f64,
    /// Most Newton iterations per system. Default 100.
    pub max_iter: usize,
}

impl Default for GravityParams {
    fn default() -> Self {
        GravityParams {
            sigma: 5.0,
            reference: None,
            coefficients: Vec::new(),
            experiments: Vec::new(),
            trade_cost_factors: Vec::new(),
            method: GravityMethod::Exact,
            tol: 1e-12,
            max_iter: 100,
        }
    }
}

impl GravityParams {
    /// Check the parameters against the data: sigma finite and above 1, tol in (0, 1),
    /// max_iter at least 1, at least one coefficient, every coefficient and set variable a
    /// variable of the data (or `constant`), every country known, values finite, factors above
    /// 0, no pair's variable set twice to different values.
    ///
    /// Errors: [`Error::Param`] naming the parameter, the value and the rule;
    /// [`Error::Unknown`] for a country or variable not in the data (with the closest one).
    pub fn validate(&self, d: &GravityData) -> Result<()> {
        if !(self.sigma.is_finite() && self.sigma > 1.0) {
            return Err(Error::param(
                "sigma",
                self.sigma,
                "must be a finite number above 1 (the elasticity of substitution)",
            ));
        }
        if !(self.tol > 0.0 && self.tol < 1.0) {
            return Err(Error::param("tol", self.tol, "must be above 0 and below 1"));
        }
        if self.max_iter == 0 {
            return Err(Error::param("max_iter", 0, "must be at least 1"));
        }
        if d.len() < 2 {
            return Err(Error::Unsuited(format!(
                "a gravity model needs at least 2 countries, the data has {}",
                d.len()
            )));
        }
        if let Some(r) = &self.reference {
            d.index(r)?;
        }
        if self.coefficients.is_empty() {
            return Err(Error::param(
                "coefficients",
                "",
                "no cost coefficient given (give var,beta for each cost variable)",
            ));
        }
        let known = |v: &str| -> Result<()> {
            if v == CONSTANT || d.variable(v).is_some() {
                return Ok(());
            }
            Err(Error::Unknown {
                what: "cost variable",
                id: v.to_string(),
                suggestion: closest(v, d.variable_names().chain([CONSTANT])),
            })
        };
        for (k, (v, b)) in self.coefficients.iter().enumerate() {
            known(v)?;
            if !b.is_finite() {
                return Err(Error::param(
                    "coefficients",
                    format!("{}={b}", clip(v)),
                    "a coefficient must be a finite number",
                ));
            }
            if self.coefficients[..k].iter().any(|(o, _)| o == v) {
                return Err(Error::param(
                    "coefficients",
                    format!("'{}'", clip(v)),
                    "is given twice",
                ));
            }
        }
        for (k, s) in self.experiments.iter().enumerate() {
            known(&s.var)?;
            if !self.coefficients.iter().any(|(v, _)| *v == s.var) {
                return Err(Error::param(
                    "experiments",
                    format!("{}:{}:{}", clip(&s.var), clip(&s.importer), clip(&s.exporter)),
                    format!(
                        "'{}' has no cost coefficient, so setting it changes nothing (coefficients: {})",
                        clip(&s.var),
                        self.coefficients.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            d.index(&s.importer)?;
            d.index(&s.exporter)?;
            if !s.value.is_finite() {
                return Err(Error::param(
                    "experiments",
                    format!(
                        "{}:{}:{}={}",
                        clip(&s.var),
                        clip(&s.importer),
                        clip(&s.exporter),
                        s.value
                    ),
                    "the value must be a finite number",
                ));
            }
            let same = |o: &SetVariable| {
                o.var == s.var && o.importer == s.importer && o.exporter == s.exporter
            };
            if self.experiments[..k]
                .iter()
                .any(|o| same(o) && o.value != s.value)
            {
                return Err(Error::param(
                    "experiments",
                    format!(
                        "{}:{}:{}",
                        clip(&s.var),
                        clip(&s.importer),
                        clip(&s.exporter)
                    ),
                    "is given twice with different values",
                ));
            }
        }
        for (imp, exp, f) in &self.trade_cost_factors {
            d.index(imp)?;
            d.index(exp)?;
            if !(f.is_finite() && *f > 0.0) {
                return Err(Error::param(
                    "trade_cost_factors",
                    format!("{}:{}={f}", clip(imp), clip(exp)),
                    "the factor must be a finite number above 0",
                ));
            }
        }
        Ok(())
    }
}

/// One condition's residual after the solve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GravityResidual {
    /// The condition: `baseline MR`, `experiment MR`, `factory prices`, `output market
    /// clearing (shares)`, `expenditure market clearing`.
    pub condition: String,
    /// The largest absolute (relative to the side's value) residual.
    pub max_abs: f64,
}

/// How the solve went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GravitySolver {
    /// The method.
    pub method: GravityMethod,
    /// Newton iterations, all systems together (the 30 Sinkhorn sweeps that start the
    /// baseline are not counted).
    pub iterations: usize,
    /// The residual of each condition. gegravity's flows leave the market-clearing ones well
    /// above the tolerance (that is the method, not a failed solve).
    pub residuals: Vec<GravityResidual>,
    /// True: every system reached the tolerance (otherwise [`gravity_ge`] returns an error).
    pub converged: bool,
    /// sum(E) / sum(Y) of the data (1 when output and expenditure balance).
    pub expenditure_over_output: f64,
}

/// One country's changes (`_pct` = 100 (new / baseline - 1)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GravityCountry {
    /// The country.
    pub id: String,
    /// Real GDP Y / P.
    pub gdp_pct: f64,
    /// Welfare (equal to real GDP here: gegravity's welfare statistic is its inverse ratio).
    pub welfare_pct: f64,
    /// Factory-gate price p (= nominal output and expenditure).
    pub factory_price_pct: f64,
    /// Inward multilateral resistance P.
    pub imr_pct: f64,
    /// Outward multilateral resistance Pi.
    pub omr_pct: f64,
    /// Terms of trade p / P (equal to the GDP change).
    pub terms_of_trade_pct: f64,
    /// IMR P in the baseline (1 for the reference country).
    pub imr_baseline: f64,
    /// IMR P' in the experiment.
    pub imr_new: f64,
    /// OMR Pi in the baseline.
    pub omr_baseline: f64,
    /// OMR Pi' in the experiment.
    pub omr_new: f64,
    /// Output Y.
    pub output_baseline: f64,
    /// Output Y' = p Y.
    pub output_new: f64,
    /// Expenditure E.
    pub expenditure_baseline: f64,
    /// Expenditure E' = (E / Y) Y'.
    pub expenditure_new: f64,
    /// Modeled exports to other countries.
    pub exports_pct: f64,
    /// Modeled imports from other countries.
    pub imports_pct: f64,
    /// Modeled intranational trade X_ii.
    pub intranational_pct: f64,
}

/// One modeled flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GravityFlow {
    /// The exporter.
    pub from: String,
    /// The importer.
    pub to: String,
    /// Baseline modeled trade X_ij.
    pub baseline: f64,
    /// Experiment trade X'_ij.
    pub new: f64,
    /// new - baseline.
    pub delta: f64,
    /// 100 (new / baseline - 1).
    pub delta_pct: f64,
}

/// The result of [`gravity_ge`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GravityResult {
    /// How the solve went.
    pub solver: GravitySolver,
    /// The reference importer (P = 1).
    pub reference: String,
    /// The elasticity of substitution used.
    pub sigma: f64,
    /// Every country, sorted by id.
    pub countries: Vec<GravityCountry>,
    /// Every pair (domestic included), sorted by exporter then importer.
    pub flows: Vec<GravityFlow>,
}

/// The general-equilibrium effects of the trade-cost changes of `p` (its `experiments` and
/// `trade_cost_factors`) on the countries of `d`, by `p.method` (see the
/// [module](self) documentation for the equations).
///
/// Errors: see [`GravityParams::validate`]; [`Error::NotConverged`] naming the stage
/// (`gravity baseline MR`, `gravity conditional MR`, `gravity exact GE`) when a system does not
/// reach `p.tol` in `p.max_iter` iterations; [`Error::Numeric`] for a singular Jacobian or
/// costs that overflow. Complexity: O(N^3) per Newton iteration (dense LU of size 2N-1 or
/// 3N-1), about 5-10 iterations per system.
///
/// ```
/// use tradenet::analysis::ge::gravity::{gravity_ge, GravityParams};
/// use tradenet::io::gravity::read_gravity;
/// // Three countries; the cost is exp(-1 * dist); B's goods become 10% cheaper in A.
/// let mut csv = String::from("exporter,importer,trade,Y,E,dist\n");
/// let (y, e) = ([100.0, 50.0, 30.0], [90.0, 60.0, 30.0]);
/// for (i, a) in ["A", "B", "C"].iter().enumerate() {
///     for (j, b) in ["A", "B", "C"].iter().enumerate() {
///         let dist = if i == j { 0.5 } else { 2.0 + (i + j) as f64 };
///         csv += &format!("{a},{b},1,{},{},{dist}\n", y[i], e[j]);
///     }
/// }
/// let d = read_gravity(csv.as_bytes(), None).unwrap();
/// let p = GravityParams {
///     coefficients: vec![("dist".into(), -1.0)],
///     trade_cost_factors: vec![("A".into(), "B".into(), 0.9)],
///     ..Default::default()
/// };
/// let r = gravity_ge(&d, &p).unwrap();
/// assert!(r.countries[0].gdp_pct > 0.0 && r.countries[1].gdp_pct > 0.0);
/// assert!(r.solver.residuals.iter().all(|c| c.max_abs < 1e-10));
/// ```
pub fn gravity_ge(d: &GravityData, p: &GravityParams) -> Result<GravityResult> {
    p.validate(d)?;
    let n = d.len();
    let r = match &p.reference {
        Some(c) => d.index(c)?,
        None => (0..n).fold(0, |b, i| {
            if d.expenditure[i] > d.expenditure[b] {
                i
            } else {
                b
            }
        }),
    };
    let (t, t_new) = costs(d, p)?;
    let sum_y: f64 = d.output.iter().sum();
    let sum_e: f64 = d.expenditure.iter().sum();
    let y: Vec<f64> = d.output.iter().map(|v| v / sum_y).collect();
    let e: Vec<f64> = d.expenditure.iter().map(|v| v / sum_e).collect();
    let tol = p.tol;
    let mut residuals = Vec::new();
    let mut iterations = 0;

    // Baseline MRs from Sinkhorn sweeps, then Newton.
    let base = MrSystem {
        n,
        r,
        t: &t,
        y: &y,
        e: &e,
        exact: None,
    };
    let x0 = base.sinkhorn(30);
    let (x0, it) = newton(&base, x0, tol, p.max_iter, "gravity baseline MR")?;
    iterations += it;
    let (u0, v0) = base.split(&x0);
    residuals.push(GravityResidual {
        condition: "baseline MR".into(),
        max_abs: mr_residual(n, &t, &y, &e, &u0, &v0),
    });

    // The experiment, started from the baseline (a zero shock stays exactly there).
    let (u1, v1, q) = match p.method {
        GravityMethod::Gegravity => {
            let sys = MrSystem {
                n,
                r,
                t: &t_new,
                y: &y,
                e: &e,
                exact: None,
            };
            let (x1, it) = newton(&sys, x0.clone(), tol, p.max_iter, "gravity conditional MR")?;
            iterations += it;
            let (u1, v1) = sys.split(&x1);
            residuals.push(GravityResidual {
                condition: "experiment MR".into(),
                max_abs: mr_residual(n, &t_new, &y, &e, &u1, &v1),
            });
            let q: Vec<f64> = (0..n).map(|i| (u1[i] - u0[i]) / (1.0 - p.sigma)).collect();
            (u1, v1, q)
        }
        GravityMethod::Exact => {
            let sys = MrSystem {
                n,
                r,
                t: &t_new,
                y: &y,
                e: &e,
                exact: Some(Exact {
                    output: &d.output,
                    expenditure: &d.expenditure,
                    u0: &u0,
                    sigma: p.sigma,
                }),
            };
            let mut x = x0.clone();
            x.extend(std::iter::repeat_n(0.0, n));
            let (x1, it) = newton(&sys, x, tol, p.max_iter, "gravity exact GE")?;
            iterations += it;
            let (u1, v1) = sys.split(&x1);
            let q = x1[2 * n - 1..].to_vec();
            let (ys, es) = sys.shares(&q);
            residuals.push(GravityResidual {
                condition: "experiment MR".into(),
                max_abs: mr_residual(n, &t_new, &ys, &es, &u1, &v1),
            });
            let fp = (0..n)
                .map(|i| {
                    let lhs = ((1.0 - p.sigma) * q[i]).exp();
                    (1.0 - ys[i] / y[i] * (u1[i] - u0[i]).exp() / lhs).abs()
                })
                .fold(0.0, f64::max);
            residuals.push(GravityResidual {
                condition: "factory prices".into(),
                max_abs: fp,
            });
            (u1, v1, q)
        }
    };

    // Levels, flows and country measures.
    let price: Vec<f64> = q.iter().map(|q| q.exp()).collect();
    let out_new: Vec<f64> = (0..n).map(|i| d.output[i] * price[i]).collect();
    // E' = (E / Y) Y' = E p, written so that p = 1 gives E' = E to the bit.
    let exp_new: Vec<f64> = (0..n).map(|i| d.expenditure[i] * price[i]).collect();
    let sum_y_new: f64 = out_new.iter().sum();
    let y_new: Vec<f64> = out_new.iter().map(|v| v / sum_y_new).collect();
    let flows_of = |t: &[f64], ys: &[f64], es: &[f64], u: &[f64], v: &[f64]| {
        let (om, ph): (Vec<f64>, Vec<f64>) = (
            u.iter().map(|u| u.exp()).collect(),
            v.iter().map(|v| v.exp()).collect(),
        );
        let mut x = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                x[i * n + j] = es[j] * ys[i] * t[i * n + j] * ph[j] * om[i];
            }
        }
        x
    };
    let x_base = flows_of(&t, &y, &d.expenditure, &u0, &v0);
    let x_new = flows_of(&t_new, &y_new, &exp_new, &u1, &v1);
    let total_new: f64 = x_new.iter().sum();
    let (mut out_res, mut exp_res) = (0.0f64, 0.0f64);
    for k in 0..n {
        let row: f64 = (0..n).map(|j| x_new[k * n + j]).sum();
        let col: f64 = (0..n).map(|i| x_new[i * n + k]).sum();
        out_res = out_res.max((row / total_new - y_new[k]).abs() / y_new[k]);
        exp_res = exp_res.max((col - exp_new[k]).abs() / exp_new[k]);
    }
    residuals.push(GravityResidual {
        condition: "output market clearing (shares)".into(),
        max_abs: out_res,
    });
    residuals.push(GravityResidual {
        condition: "expenditure market clearing".into(),
        max_abs: exp_res,
    });

    let pct = |new: f64, old: f64| 100.0 * (new / old - 1.0);
    let level = |w: f64| (-w / (1.0 - p.sigma)).exp();
    let countries = (0..n)
        .map(|i| {
            let (imr0, imr1) = (level(v0[i]), level(v1[i]));
            let (omr0, omr1) = (level(u0[i]), level(u1[i]));
            let gdp = pct(price[i] * imr0, imr1);
            let foreign = |x: &[f64], by_row: bool| -> f64 {
                (0..n)
                    .filter(|&k| k != i)
                    .map(|k| if by_row { x[i * n + k] } else { x[k * n + i] })
                    .sum()
            };
            GravityCountry {
                id: d.countries[i].clone(),
                gdp_pct: gdp,
                welfare_pct: gdp,
                factory_price_pct: pct(price[i], 1.0),
                imr_pct: pct(imr1, imr0),
                omr_pct: pct(omr1, omr0),
                terms_of_trade_pct: gdp,
                imr_baseline: imr0,
                imr_new: imr1,
                omr_baseline: omr0,
                omr_new: omr1,
                output_baseline: d.output[i],
                output_new: out_new[i],
                expenditure_baseline: d.expenditure[i],
                expenditure_new: exp_new[i],
                exports_pct: pct(foreign(&x_new, true), foreign(&x_base, true)),
                imports_pct: pct(foreign(&x_new, false), foreign(&x_base, false)),
                intranational_pct: pct(x_new[i * n + i], x_base[i * n + i]),
            }
        })
        .collect();
    let flows = (0..n * n)
        .map(|k| GravityFlow {
            from: d.countries[k / n].clone(),
            to: d.countries[k % n].clone(),
            baseline: x_base[k],
            new: x_new[k],
            delta: x_new[k] - x_base[k],
            delta_pct: pct(x_new[k], x_base[k]),
        })
        .collect();
    Ok(GravityResult {
        solver: GravitySolver {
            method: p.method,
            iterations,
            residuals,
            converged: true,
            expenditure_over_output: sum_e / sum_y,
        },
        reference: d.countries[r].clone(),
        sigma: p.sigma,
        countries,
        flows,
    })
}

/// T and T' (`n * n`, exporter-major) from the data, the coefficients and the experiment.
fn costs(d: &GravityData, p: &GravityParams) -> Result<(Vec<f64>, Vec<f64>)> {
    let n = d.len();
    let ones = vec![1.0; n * n];
    let cols: Vec<(&str, f64, &[f64])> = p
        .coefficients
        .iter()
        .map(|(v, b)| (v.as_str(), *b, d.variable(v).unwrap_or(&ones)))
        .collect();
    let mut changed: Vec<Vec<(usize, f64)>> = vec![Vec::new(); cols.len()];
    for s in &p.experiments {
        let k = cols.iter().position(|c| c.0 == s.var).expect("validated");
        let pair = d.index(&s.exporter)? * n + d.index(&s.importer)?;
        changed[k].push((pair, s.value));
    }
    let mut t = vec![0.0; n * n];
    let mut t_new = vec![0.0; n * n];
    let mut new_x: Vec<f64> = vec![0.0; cols.len()];
    for pair in 0..n * n {
        let mut s = 0.0;
        let mut s_new = 0.0;
        for (k, c) in cols.iter().enumerate() {
            new_x[k] = c.2[pair];
            for &(q, v) in &changed[k] {
                if q == pair {
                    new_x[k] = v;
                }
            }
            s += c.1 * c.2[pair];
            s_new += c.1 * new_x[k];
        }
        t[pair] = s.exp();
        t_new[pair] = s_new.exp();
    }
    for (imp, exp, f) in &p.trade_cost_factors {
        let pair = d.index(exp)? * n + d.index(imp)?;
        t_new[pair] *= f.powf(1.0 - p.sigma);
    }
    if let Some(k) = (0..n * n)
        .find(|&k| !(t[k].is_finite() && t[k] > 0.0 && t_new[k].is_finite() && t_new[k] > 0.0))
    {
        return Err(Error::Numeric(format!(
            "the trade cost t^(1-sigma) of {} -> {} is {} (baseline) and {} (experiment): exp(sum beta x) must be a finite number above 0; check the coefficients' scale",
            clip(&d.countries[k / n]),
            clip(&d.countries[k % n]),
            t[k],
            t_new[k]
        )));
    }
    Ok((t, t_new))
}

/// The exact method's extra unknowns: ln p, with the shares following from them.
struct Exact<'a> {
    output: &'a [f64],
    expenditure: &'a [f64],
    /// Baseline ln Omega.
    u0: &'a [f64],
    sigma: f64,
}

/// The MR system (2N-1 unknowns: ln Omega, then ln Phi without R), or with `exact` the full
/// system (plus ln p, 3N-1 unknowns).
struct MrSystem<'a> {
    n: usize,
    r: usize,
    t: &'a [f64],
    /// Baseline shares.
    y: &'a [f64],
    e: &'a [f64],
    exact: Option<Exact<'a>>,
}

impl MrSystem<'_> {
    /// The position of Phi_j's unknown (j != R).
    fn vi(&self, j: usize) -> usize {
        self.n + if j < self.r { j } else { j - 1 }
    }

    /// ln Omega and ln Phi (with ln Phi_R = 0) from the unknowns.
    fn split(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let n = self.n;
        let u = x[..n].to_vec();
        let v = (0..n)
            .map(|j| if j == self.r { 0.0 } else { x[self.vi(j)] })
            .collect();
        (u, v)
    }

    /// Output and expenditure shares at ln p = `q` (exact method).
    fn shares(&self, q: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let ex = self.exact.as_ref().expect("exact");
        let py: Vec<f64> = (0..self.n).map(|i| ex.output[i] * q[i].exp()).collect();
        let pe: Vec<f64> = (0..self.n)
            .map(|i| ex.expenditure[i] * q[i].exp())
            .collect();
        let (sy, se): (f64, f64) = (py.iter().sum(), pe.iter().sum());
        (
            py.iter().map(|v| v / sy).collect(),
            pe.iter().map(|v| v / se).collect(),
        )
    }

    /// Alternating updates of Omega and Phi from Omega = Phi = 1, renormalised to Phi_R = 1:
    /// a start for Newton.
    fn sinkhorn(&self, sweeps: usize) -> Vec<f64> {
        let n = self.n;
        let (mut u, mut v) = (vec![0.0f64; n], vec![0.0f64; n]);
        for _ in 0..sweeps {
            let ev: Vec<f64> = (0..n).map(|j| self.e[j] * v[j].exp()).collect();
            for (i, u) in u.iter_mut().enumerate() {
                let a: f64 = (0..n).map(|j| self.t[i * n + j] * ev[j]).sum();
                *u = -a.ln();
            }
            let yu: Vec<f64> = (0..n).map(|i| self.y[i] * u[i].exp()).collect();
            for (j, v) in v.iter_mut().enumerate() {
                let b: f64 = (0..n).map(|i| self.t[i * n + j] * yu[i]).sum();
                *v = -b.ln();
            }
            let s = v[self.r];
            for k in 0..n {
                u[k] += s;
                v[k] -= s;
            }
        }
        let mut x = u;
        x.extend((0..n).filter(|&j| j != self.r).map(|j| v[j]));
        x
    }
}

impl Equations for MrSystem<'_> {
    fn eval(&self, x: &[f64], f: &mut [f64], mut jac: Option<&mut DMatrix<f64>>) {
        let n = self.n;
        let (u, v) = self.split(x);
        let owned;
        let (ys, es): (&[f64], &[f64]) = match &self.exact {
            None => (self.y, self.e),
            Some(_) => {
                owned = self.shares(&x[2 * n - 1..]);
                (&owned.0, &owned.1)
            }
        };
        let om: Vec<f64> = u.iter().map(|u| u.exp()).collect();
        let ph: Vec<f64> = v.iter().map(|v| v.exp()).collect();
        if let Some(j) = jac.as_deref_mut() {
            j.fill(0.0);
        }
        let q0 = 2 * n - 1;
        // Omega_i sum_j T_ij e_j Phi_j = 1, in logs.
        for i in 0..n {
            let a: f64 = (0..n).map(|j| self.t[i * n + j] * es[j] * ph[j]).sum();
            f[i] = u[i] + a.ln();
            if let Some(jm) = jac.as_deref_mut() {
                jm[(i, i)] = 1.0;
                for j in 0..n {
                    let w = self.t[i * n + j] * es[j] * ph[j] / a;
                    if j != self.r {
                        jm[(i, self.vi(j))] = w;
                    }
                    // d ln e'_j / d ln p_k = [j = k] - e'_k, and the weights w sum to 1.
                    if self.exact.is_some() {
                        jm[(i, q0 + j)] = w - es[j];
                    }
                }
            }
        }
        // Phi_j sum_i T_ij y_i Omega_i = 1, in logs (j != R).
        for j in (0..n).filter(|&j| j != self.r) {
            let row = self.vi(j);
            let b: f64 = (0..n).map(|i| self.t[i * n + j] * ys[i] * om[i]).sum();
            f[row] = v[j] + b.ln();
            if let Some(jm) = jac.as_deref_mut() {
                jm[(row, row)] = 1.0;
                for i in 0..n {
                    let m = self.t[i * n + j] * ys[i] * om[i] / b;
                    jm[(row, i)] = m;
                    if self.exact.is_some() {
                        jm[(row, q0 + i)] = m - ys[i];
                    }
                }
            }
        }
        // p_i^(1-sigma) = (y'_i / y_i)(Omega'_i / Omega_i), in logs.
        if let Some(ex) = &self.exact {
            for i in 0..n {
                let row = q0 + i;
                f[row] = (1.0 - ex.sigma) * x[row] - (ys[i] / self.y[i]).ln() - (u[i] - ex.u0[i]);
                if let Some(jm) = jac.as_deref_mut() {
                    jm[(row, i)] = -1.0;
                    for k in 0..n {
                        jm[(row, q0 + k)] = ys[k];
                    }
                    jm[(row, row)] -= ex.sigma;
                }
            }
        }
    }
}

/// The largest residual of the MR system in gegravity's form, |1 - Omega_i sum_j T_ij e_j
/// Phi_j| and |1 - Phi_j sum_i T_ij y_i Omega_i|, over every equation (R's included).
fn mr_residual(n: usize, t: &[f64], y: &[f64], e: &[f64], u: &[f64], v: &[f64]) -> f64 {
    let (om, ph): (Vec<f64>, Vec<f64>) = (
        u.iter().map(|u| u.exp()).collect(),
        v.iter().map(|v| v.exp()).collect(),
    );
    let mut worst = 0.0f64;
    for k in 0..n {
        let a: f64 = (0..n).map(|j| t[k * n + j] * e[j] * ph[j]).sum();
        let b: f64 = (0..n).map(|i| t[i * n + k] * y[i] * om[i]).sum();
        worst = worst
            .max((1.0 - om[k] * a).abs())
            .max((1.0 - ph[k] * b).abs());
    }
    worst
}

/// A square system of equations with its Jacobian.
trait Equations {
    /// The residuals at `x` into `f`, and the Jacobian into `jac` when asked.
    fn eval(&self, x: &[f64], f: &mut [f64], jac: Option<&mut DMatrix<f64>>);
}

/// Newton's method with a backtracking line search on the sum of squares, until the largest
/// residual is at most `tol`: the solution and the iterations done.
fn newton(
    sys: &impl Equations,
    mut x: Vec<f64>,
    tol: f64,
    max_iter: usize,
    stage: &str,
) -> Result<(Vec<f64>, usize)> {
    let m = x.len();
    let mut f = vec![0.0; m];
    let mut ft = vec![0.0; m];
    let mut xt = vec![0.0; m];
    let mut jac = DMatrix::zeros(m, m);
    let max_abs = |f: &[f64]| f.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let sq = |f: &[f64]| f.iter().map(|v| v * v).sum::<f64>();
    sys.eval(&x, &mut f, None);
    for it in 0..max_iter {
        let worst = max_abs(&f);
        if !worst.is_finite() {
            return Err(Error::Numeric(format!(
                "{stage}: the residuals are not finite (costs too large or too small?)"
            )));
        }
        if worst <= tol {
            return Ok((x, it));
        }
        sys.eval(&x, &mut f, Some(&mut jac));
        let rhs = DVector::from_column_slice(&f);
        let Some(dx) = jac.clone().lu().solve(&rhs) else {
            return Err(Error::Numeric(format!(
                "{stage}: the Jacobian is singular at iteration {it}"
            )));
        };
        let merit = sq(&f);
        let mut step = 1.0;
        loop {
            for k in 0..m {
                xt[k] = x[k] - step * dx[k];
            }
            sys.eval(&xt, &mut ft, None);
            let mt = sq(&ft);
            if mt.is_finite() && mt <= (1.0 - 1e-4 * step) * merit {
                break;
            }
            step *= 0.5;
            if step < 1e-12 {
                return Err(Error::NotConverged {
                    measure: stage.to_string(),
                    iterations: it + 1,
                    tol,
                    hint: Some(format!(
                        "the line search stalled at a largest residual of {worst:e}; loosen the tolerance (tol) if that is close to it"
                    )),
                });
            }
        }
        std::mem::swap(&mut x, &mut xt);
        std::mem::swap(&mut f, &mut ft);
    }
    if max_abs(&f) <= tol {
        return Ok((x, max_iter));
    }
    Err(Error::NotConverged {
        measure: stage.to_string(),
        iterations: max_iter,
        tol,
        hint: Some(format!(
            "the largest residual is {:e}; raise max_iter or loosen tol",
            max_abs(&f)
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3-country data set with the given costs `x[i][j]` in one variable `c`.
    fn data(x: [[f64; 3]; 3], y: [f64; 3], e: [f64; 3]) -> GravityData {
        let flat: Vec<f64> = x.iter().flatten().copied().collect();
        GravityData {
            countries: vec!["A".into(), "B".into(), "C".into()],
            trade: vec![1.0; 9],
            output: y.to_vec(),
            expenditure: e.to_vec(),
            variables: vec![("c".into(), flat)],
            year: None,
        }
    }

    fn params(method: GravityMethod) -> GravityParams {
        GravityParams {
            coefficients: vec![("c".into(), -1.0)],
            method,
            ..Default::default()
        }
    }

    #[test]
    fn frictionless_world_has_unit_resistances_and_a_uniform_cost_rise_lowers_real_gdp_by_the_factor(
    ) {
        let d = data([[0.0; 3]; 3], [5.0, 3.0, 2.0], [4.0, 4.0, 2.0]);
        for m in [GravityMethod::Exact, GravityMethod::Gegravity] {
            let mut p = params(m);
            p.reference = Some("A".into());
            for a in ["A", "B", "C"] {
                for b in ["A", "B", "C"] {
                    p.trade_cost_factors.push((a.into(), b.into(), 1.1));
                }
            }
            let r = gravity_ge(&d, &p).unwrap();
            for c in &r.countries {
                // T = 1: Omega = Phi = 1 solves the MR system with Phi_A = 1.
                assert!((c.imr_baseline - 1.0).abs() < 1e-13, "{c:?}");
                assert!((c.omr_baseline - 1.0).abs() < 1e-13, "{c:?}");
                // Every t times 1.1: real income falls to 1/1.1, P_A stays 1, so p = 1/1.1.
                assert!(
                    (c.gdp_pct - 100.0 * (1.0 / 1.1 - 1.0)).abs() < 1e-10,
                    "{c:?}"
                );
                assert!((c.factory_price_pct - c.gdp_pct).abs() < 1e-10);
                assert!(c.imr_pct.abs() < 1e-10);
            }
            // Flows: X_ij = E_j y_i.
            assert!((r.flows[1].baseline - 4.0 * 0.5).abs() < 1e-12);
        }
    }

    #[test]
    fn asymmetric_case_solves_every_equation_and_the_exact_method_clears_markets() {
        let x = [[0.2, 1.5, 2.5], [1.2, 0.1, 0.9], [2.0, 1.1, 0.3]];
        let d = data(x, [10.0, 6.0, 3.0], [9.0, 7.0, 4.0]);
        let mut p = params(GravityMethod::Exact);
        p.trade_cost_factors = vec![("A".into(), "C".into(), 0.7)];
        let r = gravity_ge(&d, &p).unwrap();
        // Reference: largest E is A.
        assert_eq!(r.reference, "A");
        for c in &r.solver.residuals {
            assert!(c.max_abs < 1e-12, "{c:?}");
        }
        // C's goods got cheaper in A: C gains, and its exports to A rise.
        let c = &r.countries[2];
        assert!(c.gdp_pct > 0.0 && c.exports_pct > 0.0);
        // Flows by hand from the MR levels: X_ij = E_j y_i T_ij / (P_j Pi_i)^(1-sigma).
        let (sum_y, sum_e) = (19.0, 20.0);
        for f in &r.flows {
            let (i, j) = (d.index(&f.from).unwrap(), d.index(&f.to).unwrap());
            let t = (-x[i][j]).exp();
            let (ci, cj) = (&r.countries[i], &r.countries[j]);
            let want = d.expenditure[j] * d.output[i] / sum_y * t
                / (cj.imr_baseline * ci.omr_baseline).powf(1.0 - 5.0);
            assert!((f.baseline / want - 1.0).abs() < 1e-12, "{f:?}");
        }
        // The baseline row sums are Y_i sum(E) / sum(Y), the column sums E_j.
        for k in 0..3 {
            let row: f64 = r.flows[3 * k..3 * k + 3].iter().map(|f| f.baseline).sum();
            let col: f64 = (0..3).map(|i| r.flows[3 * i + k].baseline).sum();
            assert!((row / (d.output[k] * sum_e / sum_y) - 1.0).abs() < 1e-12);
            assert!((col / d.expenditure[k] - 1.0).abs() < 1e-12);
        }
        // The gegravity method leaves markets uncleared, by more than the tolerance.
        p.method = GravityMethod::Gegravity;
        let g = gravity_ge(&d, &p).unwrap();
        let clear = g
            .solver
            .residuals
            .iter()
            .find(|c| c.condition == "expenditure market clearing")
            .unwrap();
        assert!(clear.max_abs > 1e-6, "{clear:?}");
        assert!(g.countries[2].gdp_pct > 0.0);
    }

    #[test]
    fn parses_set_variable_and_cost_factors() {
        let s = SetVariable::parse("pta:CAN:JPN=1").unwrap();
        assert_eq!(s.var, "pta");
        assert_eq!(s.importer, "CAN");
        assert_eq!(s.exporter, "JPN");
        assert_eq!(s.value, 1.0);
        assert!(SetVariable::parse("pta:CAN=1").is_err());
        assert!(SetVariable::parse("pta:CAN:JPN=x").is_err());
        assert_eq!(
            parse_cost_factor("CAN:JPN=0.95").unwrap(),
            ("CAN".into(), "JPN".into(), 0.95)
        );
        assert!(parse_cost_factor("CAN:JPN=0").is_err());
    }

    #[test]
    fn bad_parameters_name_the_parameter() {
        let d = data([[0.0; 3]; 3], [1.0; 3], [1.0; 3]);
        let mut p = params(GravityMethod::Exact);
        p.sigma = 1.0;
        assert!(p.validate(&d).unwrap_err().to_string().contains("sigma"));
        p.sigma = 5.0;
        p.tol = 0.0;
        assert!(p.validate(&d).unwrap_err().to_string().contains("tol"));
        p.tol = 1e-12;
        p.coefficients = vec![("cc".into(), 1.0)];
        let e = p.validate(&d).unwrap_err().to_string();
        assert!(e.contains("'cc'") && e.contains("'c'"), "{e}");
    }
}
