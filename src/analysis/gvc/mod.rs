//! Value added in trade (MODELS.md §6): where the value in gross exports is created, and where
//! it is absorbed.
//!
//! One dense inversion per graph ([`GvcSystem::from_graph`]) gives B = (I - A)^-1; every
//! exporter's terms then come from products with B, the local inverses L_rr and A, never from a
//! fresh inverse per exporter (the extraction inverse of Borin-Mancini and Miroudot-Ye by a
//! Schur complement of B, see [`bm`]).
//!
//! Methods ([`Method`]), with their terms for exporter s (definitions exactly as in
//! `data/gvc/iciotest/EXPECTED.md` and `data/gvc/leather/EXPECTED.md`):
//! - every method: EXGR (gross exports), DC = DVA + DDC (domestic content), DVA (domestic value
//!   added, V_s L_ss E_s), VAX (absorbed abroad), REF (returns home), DDC (domestic double
//!   counting), FC (foreign content), FVA (foreign value added), FDC = FC - FVA;
//! - `leontief`: decompr's V B diag(E) and gvc's i2e, e2r, nrca by node ([`LeontiefNodes`]);
//! - `bm-source`: the VAX1..VAX4, REF1, REF2, FVA1..FVA4 split, DAVAX and GVC participation
//!   GVCB = FC + DDC, GVCF = DVA - DAVAX, GVC = GVCB + GVCF;
//! - `bm-sink`: the sink-based split by partner, VAX1..VAX4, REF1, REF2, FVA1..FVA4, with DVA,
//!   DDC, FVA, FDC by partner counted where the value is absorbed ([`bm_sink`]); the country
//!   totals equal the source-based ones;
//! - `my` (Miroudot-Ye): FDC1, FDC2 of the world perspective (FVA = 0 there, FDC = FC);
//! - `oecd`: GVCB = FC, GVCF = s's value added in other countries' exports, GVC, and the TiVA
//!   split EXGR_DDC, EXGR_IDC, EXGR_RIM, EXGR_FVA;
//! - `wwz`: Wang-Wei-Zhu's 16 terms, which sum to gross exports, and FVA, FDC as WWZ define them.
//!
//! Every term is also given by partner (the direct importer) and by sector of the exporter.

pub mod bm;
pub mod bm_sink;
pub mod carried;
pub mod leontief;
pub mod my;
pub mod oecd;
pub mod system;
pub mod tiva;
pub mod upstream;
mod value_added;
pub mod wwz;

pub use carried::{value_added_carried, Carried, Origin};
pub use leontief::{leontief_nodes, LeontiefNodes, NodeShare};
pub use system::GvcSystem;
pub use tiva::{trade_in_value_added, PartnerValueAdded, Tiva};
pub use upstream::{upstreamness, Position, UpstreamParams, Upstreamness};
pub use value_added::{
    value_added, value_added_on, ValueAdded, ValueAddedParams, ValueAddedPartners,
};

use crate::error::{Error, Result};
use crate::model::TradeGraph;
use crate::text::clip;
use nalgebra::{DMatrix, DVector};
use serde::ser::SerializeMap;
use serde::Serialize;

/// The decomposition to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// decompr's Leontief decomposition V B diag(E), with the country terms.
    #[default]
    Leontief,
    /// Borin and Mancini (2019), source-based.
    BmSource,
    /// Borin and Mancini (2019), sink-based.
    BmSink,
    /// Wang, Wei and Zhu (2013), 16 terms.
    Wwz,
    /// Miroudot and Ye (2021).
    My,
    /// OECD TiVA GVC participation.
    Oecd,
}

impl Method {
    /// The method's name as the command line and the JSON write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Leontief => "leontief",
            Method::BmSource => "bm-source",
            Method::BmSink => "bm-sink",
            Method::Wwz => "wwz",
            Method::My => "my",
            Method::Oecd => "oecd",
        }
    }
}

/// Parameters of [`gvc`].
#[derive(Debug, Clone, Default)]
pub struct GvcParams {
    /// Only this exporting country. Default: every country with nodes.
    pub exporter: Option<String>,
    /// The decomposition. Default [`Method::Leontief`].
    pub method: Method,
}

impl GvcParams {
    /// Check the parameters without a graph: the exporter, if any, is a name.
    ///
    /// Errors: [`Error::Param`] `exporter` for an empty name.
    ///
    /// ```
    /// use tradenet::analysis::GvcParams;
    /// let p = GvcParams { exporter: Some(" ".into()), ..Default::default() };
    /// assert!(p.validate().unwrap_err().to_string().starts_with("exporter =  : must be a country id"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        if let Some(c) = &self.exporter {
            if c.trim().is_empty() {
                return Err(Error::param(
                    "exporter",
                    c,
                    "must be a country id, not an empty name",
                ));
            }
        }
        Ok(())
    }
}

/// Named values in a fixed order, written as a JSON object (`{"EXGR": ..., "DC": ...}`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Terms(pub Vec<(&'static str, f64)>);

impl Terms {
    /// The value of a term.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| *k == name).map(|p| p.1)
    }
}

impl Serialize for Terms {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One partner's (or one sector's) terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermsOf {
    /// The partner country, or the exporter's node.
    pub id: String,
    /// The sector (by_sector rows only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// The terms.
    pub terms: Terms,
}

/// One exporter's decomposition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExporterGvc {
    /// The exporting country.
    pub id: String,
    /// Country totals.
    pub terms: Terms,
    /// By direct importer, in country order.
    pub by_partner: Vec<TermsOf>,
    /// By the exporter's nodes (sectors), in node order.
    pub by_sector: Vec<TermsOf>,
}

/// The result of [`gvc`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GvcResult {
    /// The method.
    pub method: Method,
    /// One entry per exporter, in country order.
    pub exporters: Vec<ExporterGvc>,
    /// Statements about what was and was not computed.
    pub notes: Vec<String>,
}

/// Term values of one exporter: each term an n_s x G matrix (exporter's nodes x partner).
pub(crate) struct TermTable {
    pub(crate) names: Vec<&'static str>,
    pub(crate) values: Vec<DMatrix<f64>>,
    rows: usize,
    cols: usize,
}

impl TermTable {
    pub(crate) fn new(rows: usize, cols: usize) -> TermTable {
        TermTable {
            names: Vec::new(),
            values: Vec::new(),
            rows,
            cols,
        }
    }

    /// The matrix of a term, made (zero) at its first use.
    pub(crate) fn term(&mut self, name: &'static str) -> &mut DMatrix<f64> {
        let k = match self.names.iter().position(|n| *n == name) {
            Some(k) => k,
            None => {
                self.names.push(name);
                self.values.push(DMatrix::zeros(self.rows, self.cols));
                self.values.len() - 1
            }
        };
        &mut self.values[k]
    }

    pub(crate) fn get(&self, name: &str) -> &DMatrix<f64> {
        let k = self
            .names
            .iter()
            .position(|n| *n == name)
            .expect("a term computed before it is combined");
        &self.values[k]
    }

    /// `out = sum of terms` (each with its sign).
    pub(crate) fn combine(&mut self, out: &'static str, parts: &[(f64, &'static str)]) {
        let mut m = DMatrix::zeros(self.rows, self.cols);
        for (sign, p) in parts {
            m += self.get(p) * *sign;
        }
        *self.term(out) = m;
    }

    /// Keep these terms, in this order.
    pub(crate) fn select(&mut self, keep: &[&'static str]) {
        let mut names = Vec::new();
        let mut values = Vec::new();
        for k in keep {
            let i = self
                .names
                .iter()
                .position(|n| n == k)
                .expect("a computed term");
            names.push(self.names[i]);
            values.push(self.values[i].clone());
        }
        self.names = names;
        self.values = values;
    }
}

/// Products with B shared by every exporter (computed once per graph).
pub(crate) struct Shared {
    /// V B by source country, G x n.
    pub(crate) vbc: DMatrix<f64>,
    /// V L (domestic value added through the local inverse), n.
    pub(crate) vl: DVector<f64>,
    /// B Y (n x G).
    pub(crate) by: DMatrix<f64>,
    /// blockdiag(L) Y (n x G), blockdiag(L) Y_rr, blockdiag(L) Y total.
    pub(crate) ly: DMatrix<f64>,
    pub(crate) lyd: DVector<f64>,
    pub(crate) lytot: DVector<f64>,
    /// blockdiag(L) A^m B Y (n x G), A^m = A without its domestic blocks.
    pub(crate) lamby: DMatrix<f64>,
}

impl Shared {
    pub(crate) fn new(sys: &GvcSystem) -> Shared {
        let n = sys.len();
        let gn = sys.countries.len();
        let yd = DVector::from_fn(n, |i, _| sys.y[(i, sys.country_of[i])]);
        let ytot = DVector::from_fn(n, |i, _| sys.y.row(i).iter().sum());
        let lv = sys.local_views();
        let by = &sys.b * &sys.y;
        let ly = sys.block_apply(&lv, &sys.y);
        let two = DMatrix::from_fn(n, 2, |i, k| if k == 0 { yd[i] } else { ytot[i] });
        let l2 = sys.block_apply(&lv, &two);
        let mut amby = &sys.a * &by;
        for r in &sys.blocks {
            if r.is_empty() {
                continue;
            }
            let own =
                sys.a.view((r.start, r.start), (r.len(), r.len())) * by.rows(r.start, r.len());
            let mut rows = amby.rows_mut(r.start, r.len());
            rows -= own;
        }
        let lamby = sys.block_apply(&lv, &amby);
        let _ = gn;
        Shared {
            vbc: sys.vb_by_country(),
            vl: DVector::from_vec(sys.vl()),
            by,
            ly,
            lyd: l2.column(0).into_owned(),
            lytot: l2.column(1).into_owned(),
            lamby,
        }
    }

    /// sum over t != s of (V B)[t, j], for the columns j of `cols`.
    pub(crate) fn foreign_vb(&self, s: usize, j: usize) -> f64 {
        let col = self.vbc.column(j);
        col.iter().sum::<f64>() - col[s]
    }
}

/// The value-added decomposition of every exporter's gross exports (or `p.exporter`'s) by
/// `p.method` (see the module documentation for the terms).
///
/// Errors: see [`GvcParams::validate`], an exporter not in the graph ([`Error::Unknown`], with
/// the closest country) and [`GvcSystem::from_graph`] (an input-output graph
/// with output on every node and final demand by destination is needed). Complexity: one
/// O(n^3) inversion, then O(n^2 G) for the products shared by every exporter and O(n n_s) per
/// exporter with n_s nodes.
///
/// ```
/// use tradenet::analysis::gvc::{gvc, GvcParams, Method};
/// use tradenet::io::iocsv::read_files;
/// // Two countries, one industry each.
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let p = GvcParams { exporter: Some("A".into()), method: Method::BmSource };
/// let r = gvc(&g, &p).unwrap();
/// let t = &r.exporters[0].terms;
/// // A exports 20 of intermediates and 20 of final goods to B.
/// assert!((t.get("EXGR").unwrap() - 40.0).abs() < 1e-12);
/// let sum = t.get("DC").unwrap() + t.get("FC").unwrap();
/// assert!((sum - 40.0).abs() < 1e-9);
/// ```
pub fn gvc(g: &TradeGraph, p: &GvcParams) -> Result<GvcResult> {
    p.validate()?;
    if let Some(c) = &p.exporter {
        g.require_country(c)?;
    }
    let sys = GvcSystem::from_graph(g)?;
    gvc_on(&sys, p)
}

/// [`gvc`] on a system already assembled (one inversion serves several calls).
///
/// Errors: an empty exporter name ([`GvcParams::validate`]), an exporter that is not a country
/// of the system ([`Error::Unknown`]) or that has no nodes ([`Error::Unsuited`]).
///
/// ```
/// use tradenet::analysis::gvc::{gvc_on, GvcParams, GvcSystem, Method};
/// use tradenet::io::iocsv::read_files;
/// // Two countries, one industry each.
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let sys = GvcSystem::from_graph(&g).unwrap();
/// for method in [Method::Leontief, Method::Wwz] {
///     let r = gvc_on(&sys, &GvcParams { exporter: None, method }).unwrap();
///     assert_eq!(r.exporters.len(), 2);
/// }
/// ```
pub fn gvc_on(sys: &GvcSystem, p: &GvcParams) -> Result<GvcResult> {
    p.validate()?;
    let exporters: Vec<usize> = match &p.exporter {
        Some(c) => {
            let k = sys.country_index(c).ok_or_else(|| Error::Unknown {
                what: "country",
                id: c.to_string(),
                suggestion: crate::error::closest(c, sys.countries.iter().map(String::as_str)),
            })?;
            if sys.blocks[k].is_empty() {
                return Err(Error::Unsuited(format!(
                    "'{}' is a final-demand destination without nodes: it exports nothing",
                    clip(c)
                )));
            }
            vec![k]
        }
        None => (0..sys.countries.len())
            .filter(|&k| !sys.blocks[k].is_empty())
            .collect(),
    };
    let shared = Shared::new(sys);
    let wwz_shared = (p.method == Method::Wwz).then(|| wwz::WwzShared::new(sys));
    let oecd_shared = (p.method == Method::Oecd).then(|| oecd::OecdShared::new(sys));
    let mut notes = Vec::new();
    if sys.row_gap.0 > 1e-9 {
        let worst = sys.row_gap.1.as_ref().map_or(String::new(), |(id, g)| {
            format!(" (largest at '{}': {g:.6e})", clip(id))
        });
        notes.push(format!(
            "gross output differs from intermediate plus final sales by {:.4}% of total output{worst}: x is taken as given (as decompr does), so DVA = VAX + REF and the other identities that rest on x = Z 1 + Y 1 hold only to that precision",
            sys.row_gap.0 * 100.0
        ));
    }
    // Exporters are independent: computed in parallel, collected in country order.
    use rayon::prelude::*;
    let out: Vec<ExporterGvc> = exporters
        .par_iter()
        .map(|&s| {
            let mut t = bm::core_terms(sys, &shared, s);
            let keep: Vec<&'static str> = match p.method {
                Method::Leontief => bm::CORE.to_vec(),
                Method::BmSink => {
                    bm_sink::sink_terms(sys, s, &shared.vbc, &mut t);
                    let mut k = bm::CORE.to_vec();
                    k.extend(bm_sink::SINK);
                    k
                }
                Method::BmSource => {
                    bm::source_terms(sys, &shared, s, &mut t);
                    let mut k = bm::CORE.to_vec();
                    k.extend(bm::SOURCE);
                    k
                }
                Method::My => {
                    my::terms(sys, &shared, s, &mut t);
                    let mut k = bm::CORE.to_vec();
                    k.extend(my::TERMS);
                    k
                }
                Method::Oecd => {
                    oecd::terms(sys, oecd_shared.as_ref().expect("made for oecd"), s, &mut t);
                    let mut k = bm::CORE.to_vec();
                    k.extend(oecd::TERMS);
                    k
                }
                Method::Wwz => {
                    wwz::terms(
                        sys,
                        &shared,
                        wwz_shared.as_ref().expect("made for wwz"),
                        s,
                        &mut t,
                    );
                    // The country terms (sums of the 16), then the 16.
                    let mut k = bm::CORE.to_vec();
                    k.extend(wwz::NAMES);
                    k
                }
            };
            t.select(&keep);
            summarise(sys, s, &t)
        })
        .collect();
    Ok(GvcResult {
        method: p.method,
        exporters: out,
        notes,
    })
}

fn summarise(sys: &GvcSystem, s: usize, t: &TermTable) -> ExporterGvc {
    let r = sys.blocks[s].clone();
    let total = Terms(
        t.names
            .iter()
            .zip(&t.values)
            .map(|(n, m)| (*n, m.sum()))
            .collect(),
    );
    let by_partner = (0..sys.countries.len())
        .filter(|&c| c != s)
        .map(|c| TermsOf {
            id: sys.countries[c].clone(),
            sector: None,
            terms: Terms(
                t.names
                    .iter()
                    .zip(&t.values)
                    .map(|(n, m)| (*n, m.column(c).sum()))
                    .collect(),
            ),
        })
        .collect();
    let by_sector = r
        .clone()
        .enumerate()
        .map(|(ii, i)| TermsOf {
            id: sys.ids[i].clone(),
            sector: Some(sys.sectors[i].clone()),
            terms: Terms(
                t.names
                    .iter()
                    .zip(&t.values)
                    .map(|(n, m)| (*n, m.row(ii).sum()))
                    .collect(),
            ),
        })
        .collect();
    ExporterGvc {
        id: sys.countries[s].clone(),
        terms: total,
        by_partner,
        by_sector,
    }
}
