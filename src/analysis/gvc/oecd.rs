//! OECD TiVA GVC participation: backward GVCB = FC (foreign content of s's exports, DEXFVAP),
//! forward GVCF = sum_{r != s} V_s B_sr E*_r (s's value added in other countries' gross
//! exports, FEXDVAP), GVC = GVCB + GVCF; and the TiVA split of gross exports
//! EXGR_DDC = V_s diag(L_ss) E_s (value added of the exporting industry itself), EXGR_IDC =
//! DVA - EXGR_DDC (from other domestic industries), EXGR_RIM = DDC (re-imported domestic
//! content), EXGR_FVA = FC.
//!
//! By partner, GVCF is given by the country r whose exports carry s's value added (not a
//! direct importer of s); the other terms by direct importer.

use super::{GvcSystem, TermTable};
use nalgebra::DVector;

/// The terms `oecd` adds to the core ones.
pub const TERMS: [&str; 7] = [
    "GVCB", "GVCF", "GVC", "EXGR_DDC", "EXGR_IDC", "EXGR_RIM", "EXGR_FVA",
];

/// What every exporter's OECD terms share: E as a vector.
pub(crate) struct OecdShared {
    e: DVector<f64>,
}

impl OecdShared {
    pub(crate) fn new(sys: &GvcSystem) -> OecdShared {
        OecdShared {
            e: DVector::from_vec(sys.e.clone()),
        }
    }
}

/// The OECD terms of exporter `s`, by node and partner.
pub(crate) fn terms(sys: &GvcSystem, sh: &OecdShared, s: usize, t: &mut TermTable) {
    let sr = sys.blocks[s].clone();
    let ns = sr.len();
    t.combine("GVCB", &[(1.0, "FC")]);
    t.combine("EXGR_RIM", &[(1.0, "DDC")]);
    t.combine("EXGR_FVA", &[(1.0, "FC")]);
    let mut ddc = t.get("EXGR").clone();
    for (i, mut row) in ddc.row_iter_mut().enumerate() {
        row *= sys.vc[sr.start + i] * sys.local[s][(i, i)];
    }
    *t.term("EXGR_DDC") = ddc;
    t.combine("EXGR_IDC", &[(1.0, "DVA"), (-1.0, "EXGR_DDC")]);
    let gn = sys.countries.len();
    let mut f = nalgebra::DMatrix::<f64>::zeros(ns, gn);
    for r in 0..gn {
        let rr = sys.blocks[r].clone();
        if r == s || rr.is_empty() {
            continue;
        }
        let col = sys.b.view((sr.start, rr.start), (ns, rr.len())) * sh.e.rows(rr.start, rr.len());
        for i in 0..ns {
            f[(i, r)] = sys.vc[sr.start + i] * col[i];
        }
    }
    *t.term("GVCF") = f;
    t.combine("GVC", &[(1.0, "GVCB"), (1.0, "GVCF")]);
}
