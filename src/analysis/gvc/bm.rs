//! Borin and Mancini (2019), source-based: the terms every method shares (EXGR, DC, DVA, VAX,
//! REF, DDC, FC, FVA, FDC) and the source-based split (VAX1..VAX4, REF1, REF2, FVA1..FVA4,
//! DAVAX, GVCB, GVCF, GVC), as `data/gvc/iciotest/EXPECTED.md` writes them.
//!
//! Symbols: s the exporter (nodes S), r a direct importer (nodes R), E_sr = s's gross exports
//! to r, Y_sr its final demand for s's output, A_sr the block of A, L_rr local inverses, A^m = A
//! without its domestic blocks, V_s L_ss = `vl` on S, V_t B_ts summed over t = `vbc`.
//!
//! The extraction inverse Bx = (I - A^x)^-1 (A^x = A with s's intermediate exports A\[S, not S\]
//! set to 0) has Bx\[S, S\] = L_ss and Bx\[N, S\] = (I - A_NN)^-1 A_NS L_ss (N = not S). The foreign
//! value added per unit of s's exports, sum_{t != s} u V_t Bx_ts, is then
//! z A_NS L_ss with z = r (I - A_NN)^-1, r = V summed over N; and by the Schur complement of B,
//! (I - A_NN)^-1 = B_NN - B_NS B_SS^-1 B_SN, so z = (r B)_N - ((r B)_S B_SS^-1) B_SN: one
//! n_s x n_s solve and O(n n_s) products per exporter instead of a new inverse.

use super::{GvcSystem, Shared, TermTable};
use nalgebra::{DMatrix, DVector};

/// The terms every method reports, in this order.
pub const CORE: [&str; 9] = ["EXGR", "DC", "DVA", "VAX", "REF", "DDC", "FC", "FVA", "FDC"];

/// The source-based split added by `bm-source`.
pub const SOURCE: [&str; 14] = [
    "VAX1", "VAX2", "VAX3", "VAX4", "REF1", "REF2", "DAVAX", "FVA1", "FVA2", "FVA3", "FVA4",
    "GVCB", "GVCF", "GVC",
];

/// sum_{t != s} u V_t Bx_ts for the exporter's nodes (the foreign value added in one unit of
/// each node's exports, with s's intermediate exports extracted).
pub(crate) fn foreign_va_row(sys: &GvcSystem, sh: &Shared, s: usize) -> DVector<f64> {
    let sr = sys.blocks[s].clone();
    let ns = sr.len();
    let n = sys.len();
    // r B for r = V summed over every country but s.
    let mut rb = DVector::<f64>::zeros(n);
    for t in 0..sys.countries.len() {
        if t != s {
            rb += sh.vbc.row(t).transpose();
        }
    }
    let bss = sys.b.view((sr.start, sr.start), (ns, ns));
    // q B_SS = (r B)_S, i.e. B_SS' q' = (r B)_S'.
    let rhs = rb.rows(sr.start, ns).into_owned();
    let q = bss
        .transpose()
        .lu()
        .solve(&rhs)
        .unwrap_or_else(|| DVector::zeros(ns));
    // z = r B - q B[S, :] (only the N part is used).
    let qb = sys.b.rows(sr.start, ns).transpose() * &q;
    let mut z = rb - qb;
    z.rows_mut(sr.start, ns).fill(0.0);
    // z A[N, S] L_ss.
    let za = sys.a.columns(sr.start, ns).transpose() * &z;
    sys.local[s].transpose() * za
}

/// The core terms and the source-based split of exporter `s`, by node of s and partner.
pub(crate) fn core_terms(sys: &GvcSystem, sh: &Shared, s: usize) -> TermTable {
    let sr = sys.blocks[s].clone();
    let ns = sr.len();
    let gn = sys.countries.len();
    let mut t = TermTable::new(ns, gn);
    let fv = foreign_va_row(sys, sh, s);
    let vl = sh.vl.rows(sr.start, ns).into_owned();
    let vbs: DVector<f64> = DVector::from_fn(ns, |i, _| sh.vbc[(s, sr.start + i)]);
    let fvb: DVector<f64> = DVector::from_fn(ns, |i, _| sh.foreign_vb(s, sr.start + i));
    let exgr = sys.ed.rows(sr.start, ns).into_owned();
    let scale = |v: &DVector<f64>, m: &DMatrix<f64>| {
        let mut out = m.clone();
        for (i, mut row) in out.row_iter_mut().enumerate() {
            row *= v[i];
        }
        out
    };
    *t.term("DC") = scale(&vbs, &exgr);
    *t.term("DVA") = scale(&vl, &exgr);
    *t.term("FC") = scale(&fvb, &exgr);
    *t.term("FVA") = scale(&fv, &exgr);
    *t.term("EXGR") = exgr;
    t.combine("DDC", &[(1.0, "DC"), (-1.0, "DVA")]);
    t.combine("FDC", &[(1.0, "FC"), (-1.0, "FVA")]);
    // The split by partner: D = A_sr W_r, W_r's columns the r-side vectors of each term.
    let lamby_tot: DVector<f64> = DVector::from_fn(sys.len(), |i, _| sh.lamby.row(i).sum());
    for r in 0..gn {
        if r == s {
            continue;
        }
        let ysr = sys.y.view((sr.start, r), (ns, 1)).into_owned();
        let rr = sys.blocks[r].clone();
        let mut d = DMatrix::<f64>::zeros(ns, 5);
        if !rr.is_empty() {
            let nr = rr.len();
            let w = DMatrix::from_fn(nr, 5, |k, c| {
                let j = rr.start + k;
                match c {
                    0 => sh.lyd[j],
                    1 => sh.lytot[j] - sh.lyd[j] - sh.ly[(j, s)],
                    2 => lamby_tot[j] - sh.lamby[(j, s)],
                    3 => sh.ly[(j, s)],
                    _ => sh.lamby[(j, s)],
                }
            });
            d = sys.a.view((sr.start, rr.start), (ns, nr)) * w;
        }
        for i in 0..ns {
            let (y, d0, d1, d2, d3, d4) = (
                ysr[i],
                d[(i, 0)],
                d[(i, 1)],
                d[(i, 2)],
                d[(i, 3)],
                d[(i, 4)],
            );
            t.term("VAX1")[(i, r)] = vl[i] * y;
            t.term("VAX2")[(i, r)] = vl[i] * d0;
            t.term("VAX3")[(i, r)] = vl[i] * d1;
            t.term("VAX4")[(i, r)] = vl[i] * d2;
            t.term("REF1")[(i, r)] = vl[i] * d3;
            t.term("REF2")[(i, r)] = vl[i] * d4;
            t.term("FVA1")[(i, r)] = fv[i] * y;
            t.term("FVA2")[(i, r)] = fv[i] * d0;
            t.term("FVA3")[(i, r)] = fv[i] * (d1 + d3);
            t.term("FVA4")[(i, r)] = fv[i] * (d2 + d4);
        }
    }
    t.combine(
        "VAX",
        &[(1.0, "VAX1"), (1.0, "VAX2"), (1.0, "VAX3"), (1.0, "VAX4")],
    );
    t.combine("REF", &[(1.0, "REF1"), (1.0, "REF2")]);
    t
}

/// The source-based participation terms: DAVAX = VAX1 + VAX2, GVCB = FC + DDC,
/// GVCF = DVA - DAVAX, GVC = GVCB + GVCF.
pub(crate) fn source_terms(_sys: &GvcSystem, _sh: &Shared, _s: usize, t: &mut TermTable) {
    t.combine("DAVAX", &[(1.0, "VAX1"), (1.0, "VAX2")]);
    t.combine("GVCB", &[(1.0, "FC"), (1.0, "DDC")]);
    t.combine("GVCF", &[(1.0, "DVA"), (-1.0, "DAVAX")]);
    t.combine("GVC", &[(1.0, "GVCB"), (1.0, "GVCF")]);
}
