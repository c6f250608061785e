//! The input-output system behind every value-added measure (MODELS.md §6), assembled once per
//! graph: Z, x, Y by destination country, value added, A, the global Leontief inverse B and the
//! local inverses L_rr.
//!
//! Symbols (decompr's and exvatools' notation) and their names here:
//! Z = intermediate flows (only used through `a`), x = `x`, Y = `y` (n x G, final demand of
//! node i's output by destination country c), v = x - colSums(Z) = `va`, V = diag(`vc`) with
//! vc = v / x (0 where x = 0), A = Z diag(x)^-1 = `a`, B = (I - A)^-1 = `b`, L_rr = (I - A_rr)^-1
//! = `local\[r\]` (A_rr the domestic block of country r), E = `e` (gross exports of each node:
//! intermediate and final sales to other countries), E by destination = `ed` (n x G).

use crate::error::{Error, Result};
use crate::model::{FinalDemand, GraphKind, NodeIx, TradeGraph};
use crate::text::clip;
use nalgebra::{DMatrix, DMatrixView};
use std::ops::Range;

/// An input-output system ready for value-added accounting. Nodes are grouped by country
/// (each country's nodes contiguous, in graph order within it), countries sorted by id.
#[derive(Debug, Clone)]
pub struct GvcSystem {
    /// Node ids, in the system's order.
    pub ids: Vec<String>,
    /// Sector code of each node (its id when it has no sector).
    pub sectors: Vec<String>,
    /// Country index of each node.
    pub country_of: Vec<usize>,
    /// Countries: every node's country and every final-demand destination, sorted.
    pub countries: Vec<String>,
    /// Each country's nodes (empty for a destination without nodes).
    pub blocks: Vec<Range<usize>>,
    /// Gross output x.
    pub x: Vec<f64>,
    /// Value added v = x - colSums(Z).
    pub va: Vec<f64>,
    /// Value-added share v / x (0 where x = 0).
    pub vc: Vec<f64>,
    /// A = Z diag(x)^-1.
    pub a: DMatrix<f64>,
    /// B = (I - A)^-1, the global Leontief inverse.
    pub b: DMatrix<f64>,
    /// Local inverses L_rr = (I - A_rr)^-1, one per country (0 x 0 without nodes).
    pub local: Vec<DMatrix<f64>>,
    /// Final demand by destination country, n x G.
    pub y: DMatrix<f64>,
    /// Gross exports by destination country, n x G: z over the destination's nodes plus final
    /// demand there; 0 in a node's own country.
    pub ed: DMatrix<f64>,
    /// Gross exports of each node (row sums of `ed`).
    pub e: Vec<f64>,
    /// How far gross output is from intermediate plus final sales (x = Z 1 + Y 1): the sum of
    /// |x_i - (Z 1 + Y 1)_i| over the sum of x, and the node where the gap is largest (with the
    /// gap). The identities that rest on it (DVA = VAX + REF, V B Y summing to value added)
    /// hold only to this precision.
    pub row_gap: (f64, Option<(String, f64)>),
}

/// Below this size the recursive inversion calls the dense LU inverse directly.
const LEAF: usize = 64;

impl GvcSystem {
    /// Assemble the system of an input-output graph whose nodes carry `output` and final
    /// demand by destination country.
    ///
    /// Errors ([`Error::Param`]): not an input-output graph; a node without output; a node whose
    /// final demand is one total (the destination is needed to tell exports from domestic
    /// sales); no node with final demand at all. [`Error::Numeric`]: a column of A summing to
    /// 1 or more (named), or a singular system. [`Error::Memory`] when the dense matrices would
    /// not fit. Complexity O(n^3) time (one dense inversion), O(n^2) memory.
    pub fn from_graph(g: &TradeGraph) -> Result<GvcSystem> {
        if g.kind() != GraphKind::InputOutput {
            return Err(Error::Unsuited(
                "value added in trade needs an input-output graph (country-sector nodes with output and final demand by destination); this is a trade graph".into(),
            ));
        }
        let n = g.node_count();
        // Countries: node countries and final-demand destinations.
        let mut names: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        let mut any_fd = false;
        for node in g.nodes() {
            names.insert(node.country_id());
            if node.output().is_none() {
                return Err(Error::Unsuited(format!(
                    "node '{}' has no output (gross output): value added v = x - colSums(Z) and A = Z diag(x)^-1 need it on every node",
                    clip(&node.id)
                )));
            }
            match node.final_demand() {
                Some(FinalDemand::ByDestination(d)) => {
                    any_fd = true;
                    for (c, _) in d {
                        names.insert(c.as_str());
                    }
                }
                Some(FinalDemand::Total(_)) => {
                    return Err(Error::Unsuited(format!(
                        "node '{}' gives its final demand as one total, without destination countries: exports, value added absorbed abroad and every decomposition need final demand by destination (upstreamness does not)",
                        clip(&node.id)
                    )))
                }
                None => {}
            }
        }
        if !any_fd {
            return Err(Error::Unsuited(
                "no node has final demand: value added in trade needs final demand by destination country".into(),
            ));
        }
        let countries: Vec<String> = names.into_iter().map(str::to_string).collect();
        let cix: crate::model::FastMap<&str, usize> = countries
            .iter()
            .enumerate()
            .map(|(k, c)| (c.as_str(), k))
            .collect();
        let gn = countries.len();
        let nn = n as u64;
        // A, B and the inversion's temporaries (about four n x n), Y and the exports (n x G).
        crate::budget::check(
            (6 * nn.saturating_mul(nn) + 3 * nn.saturating_mul(gn as u64)).saturating_mul(8),
            || format!("value added in trade (dense {n} x {n} Leontief inverse)"),
        )?;
        // The system's order: by country, graph order within.
        let mut order: Vec<usize> = (0..n).collect();
        let gc: Vec<usize> = g.nodes().map(|x| cix[x.country_id()]).collect();
        order.sort_by_key(|&i| (gc[i], i));
        let mut pos = vec![0usize; n];
        for (k, &i) in order.iter().enumerate() {
            pos[i] = k;
        }
        let mut ids = Vec::with_capacity(n);
        let mut sectors = Vec::with_capacity(n);
        let mut country_of = Vec::with_capacity(n);
        let mut x = Vec::with_capacity(n);
        for &i in &order {
            let node = g.node(NodeIx::new(i));
            ids.push(node.id.to_string());
            sectors.push(match node.sector {
                Some(s) => g.sector(s).id.clone(),
                None => node.id.to_string(),
            });
            country_of.push(gc[i]);
            let xi = node.output().unwrap_or(0.0);
            if !xi.is_finite() || xi < 0.0 {
                return Err(Error::Unsuited(format!(
                    "node '{}': gross output must be finite and >= 0, got {xi}",
                    clip(&node.id)
                )));
            }
            x.push(xi);
        }
        let mut blocks = vec![0..0; gn];
        let mut k = 0;
        while k < n {
            let c = country_of[k];
            let start = k;
            while k < n && country_of[k] == c {
                k += 1;
            }
            blocks[c] = start..k;
        }
        let mut y = DMatrix::<f64>::zeros(n, gn);
        for (i, node) in g.nodes().enumerate() {
            if let Some(FinalDemand::ByDestination(d)) = node.final_demand() {
                for (c, v) in d {
                    y[(pos[i], cix[c.as_str()])] += v;
                }
            }
        }
        let mut a = DMatrix::<f64>::zeros(n, n);
        let mut ed = DMatrix::<f64>::zeros(n, gn);
        let mut colz = vec![0.0; n];
        for (i, j, f) in g.flows() {
            let (i, j) = (pos[i.index()], pos[j.index()]);
            a[(i, j)] += f.value;
            colz[j] += f.value;
            if country_of[i] != country_of[j] {
                ed[(i, country_of[j])] += f.value;
            }
        }
        for i in 0..n {
            for c in 0..gn {
                if c != country_of[i] {
                    ed[(i, c)] += y[(i, c)];
                }
            }
        }
        let e: Vec<f64> = (0..n).map(|i| ed.row(i).iter().sum()).collect();
        let mut rows = vec![0.0; n];
        for (i, j, f) in g.flows() {
            let _ = j;
            rows[pos[i.index()]] += f.value;
        }
        let mut gap_sum = 0.0;
        let mut worst: Option<(String, f64)> = None;
        for i in 0..n {
            let gap = x[i] - rows[i] - y.row(i).sum();
            gap_sum += gap.abs();
            if gap != 0.0 && worst.as_ref().is_none_or(|w| gap.abs() > w.1.abs()) {
                worst = Some((ids[i].clone(), gap));
            }
        }
        let total_x: f64 = x.iter().sum();
        let row_gap = (
            if total_x > 0.0 {
                gap_sum / total_x
            } else {
                0.0
            },
            worst,
        );
        let va: Vec<f64> = (0..n).map(|j| x[j] - colz[j]).collect();
        let vc: Vec<f64> = (0..n)
            .map(|j| if x[j] > 0.0 { va[j] / x[j] } else { 0.0 })
            .collect();
        for j in 0..n {
            let inv = if x[j] > 0.0 { 1.0 / x[j] } else { 0.0 };
            let mut col = a.column_mut(j);
            col *= inv;
            let s: f64 = col.iter().sum();
            if s >= 1.0 {
                return Err(Error::Numeric(format!(
                    "column of A for node '{}' sums to {s:.4} (>= 1): its intermediate inputs ({:.6e}) are not below its gross output ({:.6e}), so (I - A) has no non-negative inverse; fix the node's output or flows",
                    clip(&ids[j]), colz[j], x[j]
                )));
            }
        }
        let mut m = -a.clone();
        for i in 0..n {
            m[(i, i)] += 1.0;
        }
        let b = inverse(m.as_view()).ok_or_else(|| {
            Error::Numeric("(I - A) is singular: the Leontief inverse does not exist".into())
        })?;
        let mut local = Vec::with_capacity(gn);
        for r in &blocks {
            let mut mr = -a.view((r.start, r.start), (r.len(), r.len())).clone_owned();
            for i in 0..r.len() {
                mr[(i, i)] += 1.0;
            }
            let lr = if r.is_empty() {
                mr
            } else {
                mr.try_inverse().ok_or_else(|| {
                    Error::Numeric(format!(
                        "(I - A_rr) of country '{}' is singular",
                        clip(&countries[country_of[r.start]])
                    ))
                })?
            };
            local.push(lr);
        }
        Ok(GvcSystem {
            ids,
            sectors,
            country_of,
            countries,
            blocks,
            x,
            va,
            vc,
            a,
            b,
            local,
            y,
            ed,
            e,
            row_gap,
        })
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True without nodes.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of a country.
    pub fn country_index(&self, id: &str) -> Option<usize> {
        self.countries.iter().position(|c| c == id)
    }

    /// `blockdiag(M_rr) * w` for a block-diagonal matrix given by its blocks (`local`, or the
    /// diagonal blocks of B): each country's rows of `w` multiplied by its block.
    pub(crate) fn block_apply(
        &self,
        blocks: &[DMatrixView<'_, f64>],
        w: &DMatrix<f64>,
    ) -> DMatrix<f64> {
        let mut out = DMatrix::<f64>::zeros(w.nrows(), w.ncols());
        for (r, blk) in self.blocks.iter().zip(blocks) {
            if r.is_empty() {
                continue;
            }
            let part = blk * w.rows(r.start, r.len());
            out.rows_mut(r.start, r.len()).copy_from(&part);
        }
        out
    }

    /// The local inverses as views.
    pub(crate) fn local_views(&self) -> Vec<DMatrixView<'_, f64>> {
        self.local.iter().map(|m| m.as_view()).collect()
    }

    /// The diagonal blocks B_rr of the global inverse as views.
    pub(crate) fn b_diag_views(&self) -> Vec<DMatrixView<'_, f64>> {
        self.blocks
            .iter()
            .map(|r| self.b.view((r.start, r.start), (r.len(), r.len())))
            .collect()
    }

    /// V B summed by source country: `vb[(t, j)]` = sum over t's nodes i of vc_i B\[i, j\], the
    /// value added of country t in one unit of node j's output (columns sum to 1).
    pub fn vb_by_country(&self) -> DMatrix<f64> {
        let gn = self.countries.len();
        let n = self.len();
        let mut k = DMatrix::<f64>::zeros(gn, n);
        for i in 0..n {
            k[(self.country_of[i], i)] = self.vc[i];
        }
        k * &self.b
    }

    /// V L: `vl\[j\]` = sum over the nodes i of j's country of vc_i (L_rr)[i, j], the domestic
    /// value added in one unit of node j's output counted within its own country only.
    pub fn vl(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.len()];
        for (r, l) in self.blocks.iter().zip(&self.local) {
            for (jj, j) in r.clone().enumerate() {
                out[j] = r
                    .clone()
                    .enumerate()
                    .map(|(ii, i)| self.vc[i] * l[(ii, jj)])
                    .sum();
            }
        }
        out
    }
}

/// The inverse of a matrix whose leading blocks and their Schur complements are invertible
/// (true of I - A when every column of A sums to less than 1: the matrix is column diagonally
/// dominant, and so are its Schur complements), by recursive 2 x 2 block elimination: every
/// operation but the leaves is a matrix product (nalgebra's blocked gemm), about 2 n^3 flops,
/// the same as an LU factorisation followed by n solves. Leaves use nalgebra's LU inverse with
/// partial pivoting. `None` when a leaf is singular.
pub(crate) fn inverse(m: DMatrixView<'_, f64>) -> Option<DMatrix<f64>> {
    let n = m.nrows();
    if n <= LEAF {
        return m.clone_owned().try_inverse();
    }
    let h = n / 2;
    let k = n - h;
    let m11 = m.view((0, 0), (h, h));
    let m12 = m.view((0, h), (h, k));
    let m21 = m.view((h, 0), (k, h));
    let m22 = m.view((h, h), (k, k));
    let x11 = inverse(m11)?;
    let (p, q) = rayon::join(|| m21 * &x11, || &x11 * m12);
    let s = m22 - &p * m12;
    let xs = inverse(s.as_view())?;
    let (b12, b21) = rayon::join(|| -(&q * &xs), || -(&xs * &p));
    let b11 = x11 - &b12 * &p;
    let mut out = DMatrix::<f64>::zeros(n, n);
    out.view_mut((0, 0), (h, h)).copy_from(&b11);
    out.view_mut((0, h), (h, k)).copy_from(&b12);
    out.view_mut((h, 0), (k, h)).copy_from(&b21);
    out.view_mut((h, h), (k, k)).copy_from(&xs);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recursive_inverse_matches_lu() {
        // A column diagonally dominant matrix of 150 (three levels of recursion).
        let n = 150;
        let m = DMatrix::<f64>::from_fn(n, n, |i, j| {
            if i == j {
                1.0
            } else {
                -(((i * 7 + j * 13) % 17) as f64) / (17.0 * n as f64)
            }
        });
        let b = inverse(m.as_view()).unwrap();
        let r = &m * &b - DMatrix::<f64>::identity(n, n);
        assert!(r.amax() < 1e-13, "residual {}", r.amax());
        let lu = m.clone().try_inverse().unwrap();
        assert!((&b - lu).amax() < 1e-13);
    }
}
