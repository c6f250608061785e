//! Wang, Wei and Zhu (2013): gross exports of s to each partner r in 16 terms, as
//! `data/gvc/iciotest/EXPECTED.md` writes them ((V_s B_ss), (V_s L_ss), (V_r B_rs) are rows over
//! s's sectors, multiplied element-wise with the column vectors on the right):
//!
//! | # | name | formula |
//! |---|---|---|
//! | 1 | DVA_FIN | (V_s B_ss) # Y_sr |
//! | 2 | DVA_INT | (V_s L_ss) # A_sr B_rr Y_rr |
//! | 3 | DVA_INTrex1 | (V_s L_ss) # A_sr sum_{t != s,r} B_rt Y_tt |
//! | 4 | DVA_INTrex2 | (V_s L_ss) # A_sr B_rr sum_{t != s,r} Y_rt |
//! | 5 | DVA_INTrex3 | (V_s L_ss) # A_sr sum_{t != s,r} B_rt sum_{u != s,t} Y_tu |
//! | 6 | RDV_FIN1 | (V_s L_ss) # A_sr B_rr Y_rs |
//! | 7 | RDV_FIN2 | (V_s L_ss) # A_sr sum_{t != s,r} B_rt Y_ts |
//! | 8 | RDV_INT | (V_s L_ss) # A_sr B_rs Y_ss |
//! | 9 | DDC_FIN | (V_s L_ss) # A_sr B_rs sum_{t != s} Y_st |
//! | 10 | DDC_INT | (V_s B_ss - V_s L_ss) # A_sr x_r |
//! | 11 | FVA_FIN1 | (V_r B_rs) # Y_sr |
//! | 12 | FVA_FIN2 | (sum_{t != s,r} V_t B_ts) # Y_sr |
//! | 13 | FVA_INT1 | (V_r B_rs) # A_sr L_rr Y_rr |
//! | 14 | FVA_INT2 | (sum_{t != s,r} V_t B_ts) # A_sr L_rr Y_rr |
//! | 15 | MDC | (V_r B_rs) # A_sr L_rr E*_r |
//! | 16 | ODC | (sum_{t != s,r} V_t B_ts) # A_sr L_rr E*_r |
//!
//! VAX = T1..T5, REF = T6..T8, DVA = T1..T8, DDC = T9 + T10, FVA = T11..T14, FDC = T15 + T16;
//! the 16 sum to E_sr. Sums over t != s, r are written as a full product less the r and s
//! parts: sum_{t != s,r} B_rt w_t = (B w)_r - B_rr w_r - B_rs w_s, with the (B w) and the
//! B[:, S] w_S products made once per graph (n x G each).

use super::{GvcSystem, Shared, TermTable};
use nalgebra::{DMatrix, DVector};

/// The 16 terms.
pub const NAMES: [&str; 16] = [
    "DVA_FIN",
    "DVA_INT",
    "DVA_INTrex1",
    "DVA_INTrex2",
    "DVA_INTrex3",
    "RDV_FIN1",
    "RDV_FIN2",
    "RDV_INT",
    "DDC_FIN",
    "DDC_INT",
    "FVA_FIN1",
    "FVA_FIN2",
    "FVA_INT1",
    "FVA_INT2",
    "MDC",
    "ODC",
];

/// Products with B every exporter's WWZ terms share.
pub(crate) struct WwzShared {
    /// blockdiag(B_rr) Y (n x G).
    bdy: DMatrix<f64>,
    /// B[:, S] Y_ss for each country s as a column (n x G).
    byds: DMatrix<f64>,
    /// B[:, S] (Y total - 2 Y_ss)_S per column s (the s part of the T5 sum, taken off).
    bz: DMatrix<f64>,
    /// B[:, S] (Y total - Y_ss)_S per column s.
    byex: DMatrix<f64>,
    /// B Y_dom, blockdiag(B) Y_dom, blockdiag(B) Y_tot, B Y_tot.
    byd: DVector<f64>,
    bdyd: DVector<f64>,
    bdytot: DVector<f64>,
    bytot: DVector<f64>,
    /// blockdiag(L) E, and x.
    le: DVector<f64>,
    x: DVector<f64>,
}

impl WwzShared {
    pub(crate) fn new(sys: &GvcSystem) -> WwzShared {
        let n = sys.len();
        let gn = sys.countries.len();
        let yd = DVector::from_fn(n, |i, _| sys.y[(i, sys.country_of[i])]);
        let ytot = DVector::from_fn(n, |i, _| sys.y.row(i).iter().sum());
        let mask = |f: &dyn Fn(usize) -> f64| {
            let mut m = DMatrix::<f64>::zeros(n, gn);
            for i in 0..n {
                m[(i, sys.country_of[i])] = f(i);
            }
            m
        };
        let ydm = mask(&|i| yd[i]);
        let zm = mask(&|i| ytot[i] - 2.0 * yd[i]);
        let exm = mask(&|i| ytot[i] - yd[i]);
        let vecs = DMatrix::from_fn(n, 2, |i, k| if k == 0 { yd[i] } else { ytot[i] });
        let bv = &sys.b * &vecs;
        let bd = sys.b_diag_views();
        let bdv = sys.block_apply(&bd, &vecs);
        let ecol = DMatrix::from_column_slice(n, 1, &sys.e);
        let le = sys.block_apply(&sys.local_views(), &ecol);
        WwzShared {
            bdy: sys.block_apply(&bd, &sys.y),
            byds: &sys.b * ydm,
            bz: &sys.b * zm,
            byex: &sys.b * exm,
            byd: bv.column(0).into_owned(),
            bytot: bv.column(1).into_owned(),
            bdyd: bdv.column(0).into_owned(),
            bdytot: bdv.column(1).into_owned(),
            le: le.column(0).into_owned(),
            x: DVector::from_vec(sys.x.clone()),
        }
    }
}

/// The 16 terms of exporter `s` by node and partner, and the country terms they make.
pub(crate) fn terms(sys: &GvcSystem, sh: &Shared, w: &WwzShared, s: usize, t: &mut TermTable) {
    let sr = sys.blocks[s].clone();
    let ns = sr.len();
    let gn = sys.countries.len();
    let vl: Vec<f64> = (0..ns).map(|i| sh.vl[sr.start + i]).collect();
    let vbs: Vec<f64> = (0..ns).map(|i| sh.vbc[(s, sr.start + i)]).collect();
    let colsum: Vec<f64> = (0..ns).map(|i| sh.vbc.column(sr.start + i).sum()).collect();
    let mut out: Vec<DMatrix<f64>> = vec![DMatrix::zeros(ns, gn); 16];
    for r in 0..gn {
        if r == s {
            continue;
        }
        let rr = sys.blocks[r].clone();
        let mut d = DMatrix::<f64>::zeros(ns, 11);
        if !rr.is_empty() {
            let wm = DMatrix::from_fn(rr.len(), 11, |k, c| {
                let j = rr.start + k;
                match c {
                    0 => w.bdyd[j],
                    1 => w.byd[j] - w.bdyd[j] - w.byds[(j, s)],
                    2 => w.bdytot[j] - w.bdyd[j] - w.bdy[(j, s)],
                    3 => {
                        (w.bytot[j] - w.byd[j] - sh.by[(j, s)])
                            - (w.bdytot[j] - w.bdyd[j] - w.bdy[(j, s)])
                            - w.bz[(j, s)]
                    }
                    4 => w.bdy[(j, s)],
                    5 => sh.by[(j, s)] - w.bdy[(j, s)] - w.byds[(j, s)],
                    6 => w.byds[(j, s)],
                    7 => w.byex[(j, s)],
                    8 => w.x[j],
                    9 => sh.lyd[j],
                    _ => w.le[j],
                }
            });
            d = sys.a.view((sr.start, rr.start), (ns, rr.len())) * wm;
        }
        for i in 0..ns {
            let y = sys.y[(sr.start + i, r)];
            let vbr = sh.vbc[(r, sr.start + i)];
            let oth = colsum[i] - vbs[i] - vbr;
            let vals = [
                vbs[i] * y,
                vl[i] * d[(i, 0)],
                vl[i] * d[(i, 1)],
                vl[i] * d[(i, 2)],
                vl[i] * d[(i, 3)],
                vl[i] * d[(i, 4)],
                vl[i] * d[(i, 5)],
                vl[i] * d[(i, 6)],
                vl[i] * d[(i, 7)],
                (vbs[i] - vl[i]) * d[(i, 8)],
                vbr * y,
                oth * y,
                vbr * d[(i, 9)],
                oth * d[(i, 9)],
                vbr * d[(i, 10)],
                oth * d[(i, 10)],
            ];
            for (k, v) in vals.into_iter().enumerate() {
                out[k][(i, r)] = v;
            }
        }
    }
    for (name, m) in NAMES.iter().zip(out) {
        *t.term(name) = m;
    }
    let p = |names: &[&'static str]| -> Vec<(f64, &'static str)> {
        names.iter().map(|n| (1.0, *n)).collect()
    };
    t.combine("VAX", &p(&NAMES[0..5]));
    t.combine("REF", &p(&NAMES[5..8]));
    t.combine("DVA", &p(&NAMES[0..8]));
    t.combine("DDC", &p(&NAMES[8..10]));
    t.combine("FVA", &p(&NAMES[10..14]));
    t.combine("FDC", &p(&NAMES[14..16]));
}
