//! Borin and Mancini (2019), sink-based: the bilateral split of exporter s's gross exports to
//! each direct importer r, as exvatools 0.9.0 computes it (`make_exvadec(..., method =
//! "bm_snk")`, outputs "terms" and "standard").
//!
//! Symbols (see [`super::bm`]): S the exporter's nodes, R the partner's, w = V_s B_ss (s's value
//! added per unit of each of its nodes' output, column sums: the domestic content), f =
//! sum_{t != s} V_t B_ts (the foreign content), M_r = A_sr L_rr, Bx the extraction inverse of s
//! (A\[S, not S\] = 0), Y^x = Y without s's final exports (Y\[S, l != s\] = 0), Q = A^m Bx Y^x
//! (n x G; A^m = A without its domestic blocks) and D = A^m Bx\[:, S\] E_s. For j in R:
//! third_j = sum_{l not in {r, s}} Y_jl. `#` multiplies by s's node (sector).
//!
//! | term | by node of s and partner r |
//! |---|---|
//! | VAX1 | w # Y_sr: final goods absorbed by the direct importer |
//! | VAX2 | w # M_r Y_rr: intermediates absorbed by the direct importer |
//! | VAX3 | w # M_r third: in r's final goods exported to third countries |
//! | VAX4 | w # M_r (sum_l Q_rl - Q_rs): in r's intermediate exports, absorbed abroad |
//! | REF1 | w # M_r Y_rs: back home in r's final goods |
//! | REF2 | w # M_r Q_rs: back home in r's intermediates |
//! | DDC | w # M_r D_r: domestic double counting |
//! | FVA1..FVA4 | f # the same as VAX1, VAX2, then M_r (third + Y_rs), M_r sum_l Q_rl |
//! | FDC | f # M_r D_r: foreign double counting |
//!
//! VAX = VAX1 + .. + VAX4, REF = REF1 + REF2, DVA = VAX + REF, DC = DVA + DDC, FC = f # E_sr,
//! FVA = FC - FDC (= FVA1 + .. + FVA4 when x = Z 1 + Y 1). Sink-based, value added is counted
//! once at the last border crossing before absorption, so s's double counting sits in the
//! flows through which it comes back (D), and DVA differs from the source-based V_s L_ss E_sr
//! partner by partner; the country totals are the same.
//!
//! Cost per exporter: Bx applied to three vectors by the Schur complement of B (no new
//! inverse): Bx v = \[L_ss v_S; (I - A_NN)^-1 (v_N + A_NS L_ss v_S)\], (I - A_NN)^-1 u =
//! (B u)_N - B_NS B_SS^-1 (B u)_S for u zero on S: O(n^2) each, one n_s x n_s factorisation.

use super::{GvcSystem, TermTable};
use nalgebra::DMatrix;

/// The sink-based split added by `bm-sink`, after the country terms.
pub const SINK: [&str; 10] = [
    "VAX1", "VAX2", "VAX3", "VAX4", "REF1", "REF2", "FVA1", "FVA2", "FVA3", "FVA4",
];

/// `Bx V` for the columns of `v` (n x k), Bx the extraction inverse of the exporter's nodes.
fn extraction_apply(sys: &GvcSystem, s: usize, v: &DMatrix<f64>) -> DMatrix<f64> {
    let sr = sys.blocks[s].clone();
    let ns = sr.len();
    // Bx[S, :] v = L_ss v_S (Bx[S, N] = 0).
    let top = &sys.local[s] * v.rows(sr.start, ns);
    // u = v_N + A_NS L_ss v_S, zero on S.
    let mut u = v.clone();
    u += sys.a.columns(sr.start, ns) * &top;
    u.rows_mut(sr.start, ns).fill(0.0);
    // (I - A_NN)^-1 u = (B u)_N - B_NS B_SS^-1 (B u)_S.
    let bu = &sys.b * &u;
    let bss = sys.b.view((sr.start, sr.start), (ns, ns)).into_owned();
    let c = bss
        .lu()
        .solve(&bu.rows(sr.start, ns).into_owned())
        .unwrap_or_else(|| DMatrix::zeros(ns, v.ncols()));
    let mut out = bu - sys.b.columns(sr.start, ns) * c;
    out.rows_mut(sr.start, ns).copy_from(&top);
    out
}

/// `A^m W`: A without its domestic blocks, times the columns of `w`.
fn foreign_a_apply(sys: &GvcSystem, w: &DMatrix<f64>) -> DMatrix<f64> {
    let mut out = &sys.a * w;
    for r in &sys.blocks {
        if r.is_empty() {
            continue;
        }
        let own = sys.a.view((r.start, r.start), (r.len(), r.len())) * w.rows(r.start, r.len());
        let mut rows = out.rows_mut(r.start, r.len());
        rows -= own;
    }
    out
}

/// Replace the source-based partner terms of `t` (made by [`super::bm::core_terms`]) by the
/// sink-based ones: VAX1..VAX4, REF1, REF2, FVA1..FVA4, DDC, FDC, then VAX, REF, DVA, DC, FVA
/// (EXGR and FC, f # E_sr, are the same under both).
pub(crate) fn sink_terms(sys: &GvcSystem, s: usize, vbc: &DMatrix<f64>, t: &mut TermTable) {
    let sr = sys.blocks[s].clone();
    let (n, ns, gn) = (sys.len(), sr.len(), sys.countries.len());
    let w: Vec<f64> = sr.clone().map(|i| vbc[(s, i)]).collect();
    let f: Vec<f64> = sr
        .clone()
        .map(|i| vbc.column(i).sum() - vbc[(s, i)])
        .collect();
    // Three vectors through Bx: Y^x's column s (= Y's), Y^x 1, and E_s on S.
    let v = DMatrix::from_fn(n, 3, |i, k| {
        let own = sr.contains(&i);
        match k {
            0 => sys.y[(i, s)],
            1 if own => sys.y[(i, s)],
            1 => sys.y.row(i).sum(),
            _ if own => sys.e[i],
            _ => 0.0,
        }
    });
    // Columns: Q_.s, sum_l Q_.l, D.
    let q = foreign_a_apply(sys, &extraction_apply(sys, s, &v));
    let names = [
        "VAX1", "VAX2", "VAX3", "VAX4", "REF1", "REF2", "DDC", "FVA1", "FVA2", "FVA3", "FVA4",
        "FDC",
    ];
    let mut out: Vec<DMatrix<f64>> = (0..names.len()).map(|_| DMatrix::zeros(ns, gn)).collect();
    for r in 0..gn {
        if r == s {
            continue;
        }
        let rr = sys.blocks[r].clone();
        // M_r W_r, W_r's columns: Y_rr, third, Y_rs, Q_rs, sum_l Q_rl, D_r.
        let mut d = DMatrix::<f64>::zeros(ns, 6);
        if !rr.is_empty() {
            let wr = DMatrix::from_fn(rr.len(), 6, |k, c| {
                let j = rr.start + k;
                match c {
                    0 => sys.y[(j, r)],
                    1 => sys.y.row(j).sum() - sys.y[(j, r)] - sys.y[(j, s)],
                    2 => sys.y[(j, s)],
                    3 => q[(j, 0)],
                    4 => q[(j, 1)],
                    _ => q[(j, 2)],
                }
            });
            d = sys.a.view((sr.start, rr.start), (ns, rr.len())) * (&sys.local[r] * wr);
        }
        for i in 0..ns {
            let y = sys.y[(sr.start + i, r)];
            let (yrr, third, yrs, qs, qt, dd) = (
                d[(i, 0)],
                d[(i, 1)],
                d[(i, 2)],
                d[(i, 3)],
                d[(i, 4)],
                d[(i, 5)],
            );
            let by_w = [y, yrr, third, qt - qs, yrs, qs, dd];
            let by_f = [y, yrr, third + yrs, qt, dd];
            for (k, x) in by_w.iter().enumerate() {
                out[k][(i, r)] = w[i] * x;
            }
            for (k, x) in by_f.iter().enumerate() {
                out[7 + k][(i, r)] = f[i] * x;
            }
        }
    }
    for (name, m) in names.iter().zip(out) {
        *t.term(name) = m;
    }
    t.combine(
        "VAX",
        &[(1.0, "VAX1"), (1.0, "VAX2"), (1.0, "VAX3"), (1.0, "VAX4")],
    );
    t.combine("REF", &[(1.0, "REF1"), (1.0, "REF2")]);
    t.combine("DVA", &[(1.0, "VAX"), (1.0, "REF")]);
    t.combine("DC", &[(1.0, "DVA"), (1.0, "DDC")]);
    t.combine("FVA", &[(1.0, "FC"), (-1.0, "FDC")]);
}
