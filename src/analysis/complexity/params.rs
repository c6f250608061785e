//! Parameters of [`complexity`](super::complexity), with documented defaults and a
//! [`validate`](ComplexityParams::validate) that names the parameter at fault.

use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// How complexity is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// ECI and PCI by the eigenvector method (Hidalgo and Hausmann 2009), with the conventions
    /// of the Growth Lab's `ecomplexity` 0.5.3. Default.
    #[default]
    Eigenvector,
    /// Fitness and complexity (Tacchella et al. 2012), computed as well as ECI and PCI.
    Fitness,
}

/// How revealed comparative advantage, and the proximity built on it, are measured.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rca {
    /// Balassa: RCA_cp = (x_cp / x_c) / (x_p / x), M_cp = 1 when RCA_cp >= threshold. Default.
    #[default]
    Balassa,
    /// As Balassa for M (so ECI and PCI are the same), but the proximity of two products is the
    /// correlation of their RCA values over countries, (1 + corr) / 2, and density weighs RCA
    /// values instead of M: `ecomplexity(..., continuous=True)`.
    Continuous,
    /// Population-weighted RCA (`ecomplexity`'s `presence_test="rpop"`): RPOP_cp = (x_cp /
    /// pop_c) / (x_p / sum_c pop_c), M_cp = 1 when RPOP_cp >= threshold. Every country of the
    /// matrix needs a population (positive and finite).
    Population(BTreeMap<String, f64>),
}

/// Parameters of economic complexity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplexityParams {
    /// M_cp = 1 when RCA_cp >= threshold (greater or equal). Default 1. Above 0 and finite.
    pub threshold: f64,
    /// Eigenvector (default) or fitness-complexity.
    pub method: Method,
    /// The RCA variant. Default Balassa.
    pub rca: Rca,
    /// Residual of the eigenvector, ||S v - lambda v|| / lambda, at which Lanczos stops.
    /// Default 1e-13. Above 0 and below 1.
    pub tol: f64,
    /// Fitness: stop when the L1 change of both mean-normalised vectors is below this.
    /// Default 1e-10. Above 0 and below 1.
    pub fitness_tol: f64,
    /// Fitness: the most iterations. Default 10,000. At least 1.
    pub fitness_max_iter: usize,
}

impl Default for ComplexityParams {
    fn default() -> Self {
        ComplexityParams {
            threshold: 1.0,
            method: Method::Eigenvector,
            rca: Rca::Balassa,
            tol: 1e-13,
            fitness_tol: 1e-10,
            fitness_max_iter: 10_000,
        }
    }
}

impl ComplexityParams {
    /// Check every parameter; the error ([`Error::Param`]) names the first one out of range:
    /// `threshold`, `tol`, `fitness_tol`, `fitness_max_iter`, `rca` (no population given) or
    /// `rca.population[C]`.
    ///
    /// ```
    /// use tradenet::analysis::ComplexityParams;
    /// let p = ComplexityParams { threshold: f64::NAN, ..Default::default() };
    /// assert_eq!(
    ///     p.validate().unwrap_err().to_string(),
    ///     "threshold = NaN: the RCA threshold must be a finite number above 0"
    /// );
    /// ```
    pub fn validate(&self) -> Result<()> {
        if !(self.threshold.is_finite() && self.threshold > 0.0) {
            return Err(Error::param(
                "threshold",
                self.threshold,
                "the RCA threshold must be a finite number above 0",
            ));
        }
        for (name, v) in [("tol", self.tol), ("fitness_tol", self.fitness_tol)] {
            if !(v.is_finite() && v > 0.0 && v < 1.0) {
                return Err(Error::param(
                    name,
                    v,
                    "a tolerance must be above 0 and below 1",
                ));
            }
        }
        if self.fitness_max_iter == 0 {
            return Err(Error::param(
                "fitness_max_iter",
                0,
                "the fitness method needs at least 1 iteration",
            ));
        }
        if let Rca::Population(p) = &self.rca {
            if p.is_empty() {
                return Err(Error::param(
                    "rca",
                    "",
                    "population-weighted RCA needs the population of every country; none was given",
                ));
            }
            if let Some((c, v)) = p.iter().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
                return Err(Error::param(
                    format!("rca.population[{}]", crate::text::clip(c)),
                    v,
                    "a population must be a finite number above 0",
                ));
            }
        }
        Ok(())
    }
}
