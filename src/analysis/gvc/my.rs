//! Miroudot and Ye (2021): the country terms as Borin-Mancini's (the extraction inverse of the
//! exporter), and the world perspective, where the extraction inverse is the block-diagonal L
//! (so FVA = 0 and all foreign content is double counted), split as
//! FDC1 = sum_{t != s} V_t (L A^m L)_ts E_s (foreign value added that crossed one border before
//! reaching s) and FDC2 = sum_{t != s} V_t (L A^m (B - L))_ts E_s = FC - FDC1 (L A^m B = B - L).

use super::{GvcSystem, Shared, TermTable};
use nalgebra::DVector;

/// The terms `my` adds to the core ones.
pub const TERMS: [&str; 2] = ["FDC1", "FDC2"];

/// FDC1 and FDC2 of exporter `s`, by node and partner.
pub(crate) fn terms(sys: &GvcSystem, sh: &Shared, s: usize, t: &mut TermTable) {
    let sr = sys.blocks[s].clone();
    let ns = sr.len();
    // (V L)_t A_ts summed over t != s: the V L row outside S times A's columns S.
    let mut vl_n = sh.vl.clone();
    vl_n.rows_mut(sr.start, ns).fill(0.0);
    let va = sys.a.columns(sr.start, ns).transpose() * vl_n;
    let m1: DVector<f64> = sys.local[s].transpose() * va;
    let exgr = t.get("EXGR").clone();
    let mut f1 = exgr.clone();
    for (i, mut row) in f1.row_iter_mut().enumerate() {
        row *= m1[i];
    }
    *t.term("FDC1") = f1;
    t.combine("FDC2", &[(1.0, "FC"), (-1.0, "FDC1")]);
}
