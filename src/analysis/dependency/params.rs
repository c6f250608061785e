//! Parameters of [`dependency`](super::dependency) and its parts, with their defaults and a
//! `validate` that names the parameter at fault.

use crate::error::{Error, Result};
use crate::model::{SectorId, TradeGraph};
use serde::Serialize;

/// Parameters of [`dependency`](super::dependency) (and of [`dependencies`](super::dependencies),
/// which reads `sectors`, `partner` and `coverage`).
///
/// Serialised as the `params` block of the command line's JSON: `country`, `partner`,
/// `sectors`, `coverage` and the `critical` thresholds (what to compute is not in it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DependencyParams {
    /// One country in detail: only its row, its partners by share, its critical dependencies
    /// and (input-output graphs) its value-chain exposure. Default: every country.
    pub country: Option<String>,
    /// Also report each country's link to this partner. Default: none.
    pub partner: Option<String>,
    /// Only these sectors (codes; a flow's sector, or its supplier's). Default: empty, all.
    pub sectors: Vec<String>,
    /// Share of the total that "partners to cover" must reach: above 0, at most 1. Default 0.8.
    pub coverage: f64,
    /// Thresholds of the critical-dependency test.
    pub critical: CriticalParams,
    /// List critical dependencies (importer x sector). Default false.
    #[serde(skip)]
    pub list_critical: bool,
    /// With `list_critical`, every importer x sector with imports, not only the critical ones.
    #[serde(skip)]
    pub all_pairs: bool,
    /// The value-chain exposure of every country to every country's final demand
    /// (input-output graphs only). Default false.
    #[serde(skip)]
    pub matrix: bool,
    /// The indicators for every year of a multi-year graph (and nothing else). Default false.
    #[serde(skip)]
    pub by_year: bool,
}

impl Default for DependencyParams {
    fn default() -> Self {
        DependencyParams {
            country: None,
            partner: None,
            sectors: Vec::new(),
            coverage: 0.8,
            critical: CriticalParams::default(),
            list_critical: false,
            all_pairs: false,
            matrix: false,
            by_year: false,
        }
    }
}

impl DependencyParams {
    /// Check every parameter without a graph: `coverage` a number above 0 and at most 1 (NaN
    /// refused), the [`critical`](CriticalParams::validate) thresholds, `all_pairs` only with
    /// `list_critical`. Errors are [`Error::Param`] named by field path (`coverage`,
    /// `critical.import_hhi`).
    ///
    /// ```
    /// use tradenet::analysis::DependencyParams;
    /// let p = DependencyParams { coverage: 1.5, ..Default::default() };
    /// assert_eq!(p.validate().unwrap_err().to_string(), "coverage = 1.5: must be a number above 0 and at most 1");
    /// ```
    pub fn validate(&self) -> Result<()> {
        if !(self.coverage > 0.0 && self.coverage <= 1.0) {
            return Err(Error::param(
                "coverage",
                self.coverage,
                "must be a number above 0 and at most 1",
            ));
        }
        self.critical.validate()?;
        if self.all_pairs && !self.list_critical {
            return Err(Error::param(
                "all_pairs",
                "",
                "lists the pairs of the critical-dependency test, which is not asked for (list_critical)",
            ));
        }
        Ok(())
    }

    /// The sectors as the graph's ids (`None` for all); an unknown code is an error.
    pub(crate) fn sector_ids(&self, g: &TradeGraph) -> Result<Option<Vec<SectorId>>> {
        if self.sectors.is_empty() {
            return Ok(None);
        }
        self.sectors
            .iter()
            .map(|s| g.require_sector(s))
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}

/// Thresholds of the critical-dependency test (CEPII GeoDep after the EU 2021 method).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CriticalParams {
    /// (1) the importer's imports of the sector are concentrated: HHI above this. Default 0.4.
    pub import_hhi: f64,
    /// (2) world exports of the sector are concentrated: HHI by exporter above this. Default 0.4.
    pub world_hhi: f64,
    /// (3) the importer imports more than it exports of the sector: ratio above this. Default 1.
    pub ratio: f64,
}

impl CriticalParams {
    /// Check the thresholds: each HHI threshold a number in [0, 1], the ratio a finite number
    /// not below 0. Errors name the threshold ([`Error::Param`], `critical.import_hhi`,
    /// `critical.world_hhi`, `critical.ratio`); NaN is refused (every comparison with it is
    /// false, so nothing would ever be critical).
    ///
    /// ```
    /// use tradenet::analysis::CriticalParams;
    /// let p = CriticalParams { world_hhi: f64::NAN, ..Default::default() };
    /// assert!(p.validate().unwrap_err().to_string().starts_with("critical.world_hhi = NaN"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("critical.import_hhi", self.import_hhi),
            ("critical.world_hhi", self.world_hhi),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::param(
                    name,
                    v,
                    "must be a number from 0 to 1 (an HHI)",
                ));
            }
        }
        if !(self.ratio.is_finite() && self.ratio >= 0.0) {
            return Err(Error::param(
                "critical.ratio",
                self.ratio,
                "must be a finite number >= 0 (imports / exports)",
            ));
        }
        Ok(())
    }
}

impl Default for CriticalParams {
    fn default() -> Self {
        CriticalParams {
            import_hhi: 0.4,
            world_hhi: 0.4,
            ratio: 1.0,
        }
    }
}
