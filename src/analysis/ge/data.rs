//! The data a multi-sector general-equilibrium model starts from (`../shared/data/cp2015/MODEL.md`,
//! "Indices and primitives"): bilateral trade by sector, tariffs, value-added and input shares,
//! final-demand shares, value added and deficits.

use crate::error::{Error, Result};

/// A GE data set: N countries, J sectors.
///
/// Index conventions: n = importer (home), i = exporter, j, k = sectors. Bilateral arrays
/// (`trade`, `tariff`) are indexed by [`GeData::pair`] = (j N + n) N + i; country-sector
/// arrays by n J + j; input shares by (n J + k) J + j.
#[derive(Debug, Clone, PartialEq)]
pub struct GeData {
    /// Country ids (ISO3, or the graph's country ids).
    pub countries: Vec<String>,
    /// Other names of each country accepted in scenarios and files (the R package's names
    /// for the CP2015 data), one list per country.
    pub aliases: Vec<Vec<String>>,
    /// Sector codes.
    pub sectors: Vec<String>,
    /// Whether a sector is traded across borders in the model.
    pub tradable: Vec<bool>,
    /// Whether a sector is a good (agriculture, mining, manufacturing): the sectors a tariff
    /// without a sector covers.
    pub goods: Vec<bool>,
    /// Trade elasticity theta_j of each sector (Frechet dispersion), > 0.
    pub theta: Vec<f64>,
    /// M_nij: imports of n from i in sector j, net of tariffs; the diagonal holds domestic
    /// sales.
    pub trade: Vec<f64>,
    /// tau_nij: ad-valorem tariff (a share) set by n on goods of sector j from i.
    pub tariff: Vec<f64>,
    /// gamma_nj: value-added share of the gross output of sector j in n.
    pub va_share: Vec<f64>,
    /// gamma_nkj: share of input k in the gross output of sector j in n.
    pub io_share: Vec<f64>,
    /// alpha_nj: share of sector j in n's final demand (sums to 1 over j).
    pub alpha: Vec<f64>,
    /// wL_n: value added of n.
    pub value_added: Vec<f64>,
    /// D_n: deficit of n (imports - exports, net of tariffs); sums to 0.
    pub deficit: Vec<f64>,
    /// Node id of each country-sector (n J + j); empty: `COUNTRY:SECTOR`.
    pub node_ids: Vec<String>,
    /// Unit of the values (`USD`, `million USD`).
    pub unit: String,
    /// What the data is and how it was built (shown in reports).
    pub source: String,
    /// Assumptions made while building the data (shown in reports).
    pub notes: Vec<String>,
}

impl GeData {
    /// The id of country-sector (n, j).
    pub fn node_id(&self, n: usize, j: usize) -> String {
        match self.node_ids.get(n * self.j() + j) {
            Some(id) => id.clone(),
            None => format!("{}:{}", self.countries[n], self.sectors[j]),
        }
    }

    /// A two-country, one-sector data set without input-output links (the Armington /
    /// Eaton-Kortum model): A and B each sell 80 at home and 20 to the other, theta 4. For
    /// examples and tests.
    pub fn example() -> GeData {
        GeData {
            countries: vec!["A".into(), "B".into()],
            aliases: vec![vec![], vec![]],
            sectors: vec!["goods".into()],
            tradable: vec![true],
            goods: vec![true],
            theta: vec![4.0],
            trade: vec![80.0, 20.0, 20.0, 80.0],
            tariff: vec![0.0; 4],
            va_share: vec![1.0, 1.0],
            io_share: vec![0.0, 0.0],
            alpha: vec![1.0, 1.0],
            value_added: vec![100.0, 100.0],
            deficit: vec![0.0, 0.0],
            node_ids: Vec::new(),
            unit: "USD".into(),
            source: "example: two countries, one sector".into(),
            notes: Vec::new(),
        }
    }

    /// Countries N.
    pub fn n(&self) -> usize {
        self.countries.len()
    }

    /// Sectors J.
    pub fn j(&self) -> usize {
        self.sectors.len()
    }

    /// The index of the pair (importer n, exporter i) in sector j in `trade` and `tariff`.
    #[inline]
    pub fn pair(&self, j: usize, n: usize, i: usize) -> usize {
        (j * self.n() + n) * self.n() + i
    }

    /// The index of a country by id or alias (case-insensitive on aliases).
    pub fn country_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.countries
            .iter()
            .position(|c| c == name)
            .or_else(|| {
                self.countries
                    .iter()
                    .position(|c| c.eq_ignore_ascii_case(name))
            })
            .or_else(|| {
                self.aliases
                    .iter()
                    .position(|a| a.iter().any(|x| x.eq_ignore_ascii_case(name)))
            })
    }

    /// The index of a country, or [`Error::Unknown`] with the closest id.
    pub fn require_country(&self, name: &str) -> Result<usize> {
        self.country_index(name).ok_or_else(|| Error::Unknown {
            what: "country",
            id: name.to_string(),
            suggestion: crate::error::closest(name, self.countries.iter().map(String::as_str)),
        })
    }

    /// The index of a sector by code (case-insensitive), or [`Error::Unknown`].
    pub fn require_sector(&self, code: &str) -> Result<usize> {
        let code = code.trim();
        self.sectors
            .iter()
            .position(|s| s == code)
            .or_else(|| {
                self.sectors
                    .iter()
                    .position(|s| s.eq_ignore_ascii_case(code))
            })
            .ok_or_else(|| Error::Unknown {
                what: "sector",
                id: code.to_string(),
                suggestion: crate::error::closest(code, self.sectors.iter().map(String::as_str)),
            })
    }

    /// Check shapes and the rules the model needs: finite non-negative trade, tariffs above
    /// -1, shares in [0, 1] with gamma_nj + sum_k gamma_nkj = 1 (to 1e-6) where the sector
    /// produces, final-demand shares summing to 1, positive value added, theta > 0.
    ///
    /// Errors: [`Error::Param`] naming the first broken rule and its place.
    pub fn validate(&self) -> Result<()> {
        let (n, j) = (self.n(), self.j());
        let bad = |what: String| {
            Err(Error::Unsuited(format!(
                "GE data ({}): {what}",
                self.source_short()
            )))
        };
        if n < 2 || j == 0 {
            return bad(format!(
                "needs at least 2 countries and 1 sector, found {n} and {j}"
            ));
        }
        let shapes = [
            ("aliases", self.aliases.len(), n),
            ("tradable", self.tradable.len(), j),
            ("goods", self.goods.len(), j),
            ("theta", self.theta.len(), j),
            ("trade", self.trade.len(), j * n * n),
            ("tariff", self.tariff.len(), j * n * n),
            ("va_share", self.va_share.len(), n * j),
            ("io_share", self.io_share.len(), n * j * j),
            ("alpha", self.alpha.len(), n * j),
            ("value_added", self.value_added.len(), n),
            ("deficit", self.deficit.len(), n),
        ];
        for (name, got, want) in shapes {
            if got != want {
                return bad(format!("{name} has {got} entries, {want} expected"));
            }
        }
        for (s, &t) in self.theta.iter().enumerate() {
            if !(t.is_finite() && t > 0.0) {
                return bad(format!(
                    "theta of sector '{}' is {t}: it must be a finite number above 0",
                    self.sectors[s]
                ));
            }
        }
        for s in 0..j {
            for a in 0..n {
                for b in 0..n {
                    let k = self.pair(s, a, b);
                    let (m, t) = (self.trade[k], self.tariff[k]);
                    if !(m.is_finite() && m >= 0.0) {
                        return bad(format!(
                            "trade {} from {} in '{}' is {m}: it must be finite and at least 0",
                            self.countries[a], self.countries[b], self.sectors[s]
                        ));
                    }
                    if !(t.is_finite() && t > -1.0) {
                        return bad(format!(
                            "the tariff of {} on {} in '{}' is {t}: it must be a finite share above -1",
                            self.countries[a], self.countries[b], self.sectors[s]
                        ));
                    }
                }
            }
        }
        for c in 0..n {
            let wl = self.value_added[c];
            if !(wl.is_finite() && wl > 0.0) {
                return bad(format!(
                    "the value added of {} is {wl}: the model needs it finite and above 0",
                    self.countries[c]
                ));
            }
            if !self.deficit[c].is_finite() {
                return bad(format!(
                    "the deficit of {} is not finite",
                    self.countries[c]
                ));
            }
            let fd: f64 = (0..j).map(|s| self.alpha[c * j + s]).sum();
            if (fd - 1.0).abs() > 1e-6
                || self.alpha[c * j..(c + 1) * j]
                    .iter()
                    .any(|a| a.is_nan() || *a < 0.0)
            {
                return bad(format!(
                    "the final-demand shares of {} sum to {fd} (or one is negative): they must be at least 0 and sum to 1",
                    self.countries[c]
                ));
            }
            for s in 0..j {
                let g = self.va_share[c * j + s];
                let inputs: f64 = (0..j).map(|k| self.io_share[(c * j + k) * j + s]).sum();
                if !(g.is_finite() && (0.0..=1.0).contains(&g)) || (g + inputs - 1.0).abs() > 1e-6 {
                    return bad(format!(
                        "sector '{}' of {}: value-added share {g} and input shares summing to {inputs}; they must add up to 1",
                        self.sectors[s], self.countries[c]
                    ));
                }
            }
        }
        Ok(())
    }

    fn source_short(&self) -> String {
        crate::text::clip(self.source.split(':').next().unwrap_or("")).to_string()
    }

    /// Tariff revenue R_n = sum over i, j of tau_nij M_nij.
    pub fn tariff_revenue(&self) -> Vec<f64> {
        let n = self.n();
        let mut r = vec![0.0; n];
        for s in 0..self.j() {
            for (a, ra) in r.iter_mut().enumerate() {
                for b in 0..n {
                    let k = self.pair(s, a, b);
                    *ra += self.tariff[k] * self.trade[k];
                }
            }
        }
        r
    }

    /// The same data with the countries in another order: `order[new] = old`.
    pub fn permuted(&self, order: &[usize]) -> GeData {
        let (n, j) = (self.n(), self.j());
        let mut d = self.clone();
        d.countries = order.iter().map(|&o| self.countries[o].clone()).collect();
        d.aliases = order.iter().map(|&o| self.aliases[o].clone()).collect();
        d.value_added = order.iter().map(|&o| self.value_added[o]).collect();
        d.deficit = order.iter().map(|&o| self.deficit[o]).collect();
        for s in 0..j {
            for (a, &oa) in order.iter().enumerate() {
                for (b, &ob) in order.iter().enumerate() {
                    d.trade[self.pair(s, a, b)] = self.trade[self.pair(s, oa, ob)];
                    d.tariff[self.pair(s, a, b)] = self.tariff[self.pair(s, oa, ob)];
                }
            }
        }
        for (a, &oa) in order.iter().enumerate() {
            for s in 0..j {
                d.va_share[a * j + s] = self.va_share[oa * j + s];
                d.alpha[a * j + s] = self.alpha[oa * j + s];
                for k in 0..j {
                    d.io_share[(a * j + k) * j + s] = self.io_share[(oa * j + k) * j + s];
                }
            }
        }
        let _ = n;
        d
    }
}
