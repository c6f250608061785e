//! Trade in value added (Johnson and Noguera 2012; decompr's `post = "final_demand"`):
//! V B Y, the value added of each node absorbed in each country's final demand, summed to
//! countries; the VAX ratio (value added absorbed abroad / gross exports); and, beside each
//! partner's share of a country's gross exports, its share of the country's value-added
//! exports (value added absorbed in the partner's final demand, wherever the goods crossed).

use super::GvcSystem;
use nalgebra::DMatrix;
use serde::Serialize;

/// Value added in trade between countries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tiva {
    /// Countries (origin and destination), sorted.
    pub countries: Vec<String>,
    /// `value_added\[a\][b]`: value added of country a absorbed in country b's final demand.
    pub value_added: Vec<Vec<f64>>,
    /// `gross\[a\][b]`: gross exports of a to b (intermediate and final), 0 for a = b.
    pub gross: Vec<Vec<f64>>,
    /// Per country: value-added exports (absorbed abroad) / gross exports; `None` without
    /// exports.
    pub vax_ratio: Vec<Option<f64>>,
}

/// One partner of a country, by value added and by gross exports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerValueAdded {
    /// The partner.
    pub id: String,
    /// The country's value added absorbed in the partner's final demand.
    pub value_added: f64,
    /// Its share of the country's value-added exports (absorbed abroad).
    pub value_added_share: f64,
    /// Gross exports to the partner.
    pub gross: f64,
    /// Its share of the country's gross exports.
    pub gross_share: f64,
}

impl GvcSystem {
    /// V B diag(w): `out[(i, j)]` = vc_i B_ij w_j, the value added of node i in node j's `w`
    /// (w = E: decompr's Leontief decomposition of exports; w = x: of output).
    pub fn va_origin(&self, w: &[f64]) -> DMatrix<f64> {
        let mut m = self.b.clone();
        for (i, mut row) in m.row_iter_mut().enumerate() {
            row *= self.vc[i];
        }
        for (j, mut col) in m.column_iter_mut().enumerate() {
            col *= w[j];
        }
        m
    }

    /// V B Y: `out[(i, c)]`, the value added of node i absorbed in country c's final demand.
    pub fn va_final_demand(&self) -> DMatrix<f64> {
        let mut m = &self.b * &self.y;
        for (i, mut row) in m.row_iter_mut().enumerate() {
            row *= self.vc[i];
        }
        m
    }
}

/// Trade in value added between the countries of `sys`.
///
/// Complexity O(n^2 G).
///
/// ```
/// use tradenet::analysis::gvc::{trade_in_value_added, GvcSystem};
/// use tradenet::io::iocsv::read_files;
/// // Two countries, one industry each.
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let t = trade_in_value_added(&GvcSystem::from_graph(&g).unwrap());
/// assert_eq!(t.countries, ["A", "B"]);
/// // A's 40 of gross exports to B carry less of its own value added than that.
/// assert_eq!(t.gross[0][1], 40.0);
/// assert!(t.value_added[0][1] < 40.0 && t.vax_ratio[0].unwrap() < 1.0);
/// ```
pub fn trade_in_value_added(sys: &GvcSystem) -> Tiva {
    let gn = sys.countries.len();
    let vby = sys.va_final_demand();
    let mut va = vec![vec![0.0; gn]; gn];
    let mut gross = vec![vec![0.0; gn]; gn];
    for i in 0..sys.len() {
        let a = sys.country_of[i];
        for c in 0..gn {
            va[a][c] += vby[(i, c)];
            gross[a][c] += sys.ed[(i, c)];
        }
    }
    let vax_ratio = (0..gn)
        .map(|a| {
            let g: f64 = gross[a].iter().sum();
            let v: f64 = (0..gn).filter(|&c| c != a).map(|c| va[a][c]).sum();
            (g > 0.0).then(|| v / g)
        })
        .collect();
    Tiva {
        countries: sys.countries.clone(),
        value_added: va,
        gross,
        vax_ratio,
    }
}

impl Tiva {
    /// The partners of `country` by value added absorbed in their final demand, largest first
    /// (ties by id), with the gross export share beside; `None` for an unknown country.
    pub fn partners(&self, country: &str) -> Option<Vec<PartnerValueAdded>> {
        let a = self.countries.iter().position(|c| c == country)?;
        let gn = self.countries.len();
        let vt: f64 = (0..gn)
            .filter(|&c| c != a)
            .map(|c| self.value_added[a][c])
            .sum();
        let gt: f64 = self.gross[a].iter().sum();
        let share = |v: f64, t: f64| if t != 0.0 { v / t } else { 0.0 };
        let mut out: Vec<PartnerValueAdded> = (0..gn)
            .filter(|&c| c != a)
            .map(|c| PartnerValueAdded {
                id: self.countries[c].clone(),
                value_added: self.value_added[a][c],
                value_added_share: share(self.value_added[a][c], vt),
                gross: self.gross[a][c],
                gross_share: share(self.gross[a][c], gt),
            })
            .collect();
        out.sort_by(|x, y| {
            y.value_added
                .total_cmp(&x.value_added)
                .then_with(|| x.id.cmp(&y.id))
        });
        Some(out)
    }
}
