//! The product space: proximity, density, complexity outlook (COI) and gain (COG), with the
//! conventions of `ecomplexity` 0.5.3.
//!
//! Symbols: phi_pq proximity; M the binary matrix; W = M (or RCA for the continuous
//! variant); PCI_raw the signed raw eigenvector (not normalised); all matrices row-major.

use rayon::prelude::*;

/// Proximity phi_pq = (countries exporting both with M = 1) / max(k_p, k_q), diagonal 1 (a
/// row of 0 for a product no country exports with advantage), and its row sums. Row p counts
/// its co-occurrences (a row of M^T M) by visiting the baskets of p's countries: sum_c k_c^2
/// increments in all, rows in parallel, each row summed where it is made.
pub(crate) fn discrete_proximity(m: &[bool], nc: usize, np: usize) -> (Vec<f64>, Vec<f64>) {
    let rows = baskets(m, nc, np);
    let mut cols: Vec<Vec<u32>> = vec![Vec::new(); np];
    for (c, r) in rows.iter().enumerate() {
        for &p in r {
            cols[p as usize].push(c as u32);
        }
    }
    let k: Vec<u32> = cols.iter().map(|c| c.len() as u32).collect();
    let mut phi = vec![0.0; np * np];
    let mut sums = vec![0.0; np];
    phi.par_chunks_mut(np)
        .zip(sums.par_iter_mut())
        .enumerate()
        .for_each_init(
            || vec![0u32; np],
            |co, (p, (row, sum))| {
                if k[p] == 0 {
                    return;
                }
                co.iter_mut().for_each(|x| *x = 0);
                for &c in &cols[p] {
                    for &q in &rows[c as usize] {
                        co[q as usize] += 1;
                    }
                }
                for q in 0..np {
                    if co[q] > 0 {
                        // k[p] > 0, so the denominator is too.
                        row[q] = f64::from(co[q]) / f64::from(k[p].max(k[q]));
                    }
                }
                *sum = row.iter().sum();
            },
        );
    (phi, sums)
}

/// The products of each country's basket (M = 1), in column order.
fn baskets(m: &[bool], nc: usize, np: usize) -> Vec<Vec<u32>> {
    (0..nc)
        .map(|c| {
            (0..np)
                .filter(|&p| m[c * np + p])
                .map(|p| p as u32)
                .collect()
        })
        .collect()
}

/// `ecomplexity`'s continuous proximity: (1 + corr(RCA_p, RCA_q)) / 2, the Pearson correlation
/// of two products' RCA values over countries. A product whose RCA is the same in every
/// country has no correlation: 0.5 with others, 1 with itself.
pub(crate) fn continuous_proximity(rca: &[f64], nc: usize, np: usize) -> Vec<f64> {
    // Standardised columns: z_cp = (r_cp - mean_p) / sqrt(sum_c (r_cp - mean_p)^2).
    let mut z = vec![0.0; np * nc]; // product-major
    for p in 0..np {
        let mean = (0..nc).map(|c| rca[c * np + p]).sum::<f64>() / nc as f64;
        let ss: f64 = (0..nc).map(|c| (rca[c * np + p] - mean).powi(2)).sum();
        let s = ss.sqrt();
        for c in 0..nc {
            z[p * nc + c] = if s > 0.0 {
                (rca[c * np + p] - mean) / s
            } else {
                0.0
            };
        }
    }
    let mut phi = vec![0.0; np * np];
    phi.par_chunks_mut(np).enumerate().for_each(|(p, row)| {
        let zp = &z[p * nc..(p + 1) * nc];
        for (q, out) in row.iter_mut().enumerate() {
            let corr = if p == q {
                1.0
            } else {
                zp.iter()
                    .zip(&z[q * nc..(q + 1) * nc])
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
            };
            *out = (1.0 + corr) / 2.0;
        }
    });
    phi
}

/// The row sums of phi, sum_q phi_pq (the density's denominators).
pub(crate) fn row_sums(phi: &[f64], np: usize) -> Vec<f64> {
    phi.par_chunks(np).map(|row| row.iter().sum()).collect()
}

/// One country's density, density_p = sum_q w_q phi_pq / sum_q phi_pq (the sums include
/// q = p; 0 for a product with no proximity at all); `w` is the country's row of W.
pub(crate) fn density_row(w: &[f64], phi: &[f64], den: &[f64]) -> Vec<f64> {
    let np = w.len();
    let nz: Vec<(usize, f64)> = (0..np)
        .filter(|&q| w[q] != 0.0)
        .map(|q| (q, w[q]))
        .collect();
    (0..np)
        .map(|p| {
            let row = &phi[p * np..(p + 1) * np];
            let mut s = 0.0;
            for &(q, v) in &nz {
                s += v * row[q];
            }
            if den[p] > 0.0 {
                s / den[p]
            } else {
                0.0
            }
        })
        .collect()
}

/// v_q = PCI_raw_q / sum_r phi_qr (0 where the sum is 0).
pub(crate) fn weights(pci_raw: &[f64], den: &[f64]) -> Vec<f64> {
    pci_raw
        .iter()
        .zip(den)
        .map(|(p, d)| if *d > 0.0 { p / d } else { 0.0 })
        .collect()
}

/// One country's raw COG: COG_p = (1 - M_p) sum_q (1 - M_q) phi_qp v_q, with `mc` the
/// country's row of M and `v` from [`weights`]. Summed over the products it lacks.
pub(crate) fn cog_row(mc: &[bool], phi: &[f64], v: &[f64]) -> Vec<f64> {
    let np = mc.len();
    let mut row = vec![0.0; np];
    for q in (0..np).filter(|&q| !mc[q] && v[q] != 0.0) {
        let ph = &phi[q * np..(q + 1) * np];
        let vq = v[q];
        for p in 0..np {
            row[p] += ph[p] * vq;
        }
    }
    for p in 0..np {
        if mc[p] {
            row[p] = 0.0;
        }
    }
    row
}

/// Raw COI of every country, COI_c = sum_p density_cp (1 - M_cp) PCI_raw_p, without forming
/// the density matrix. phi is symmetric, so with v_p = PCI_raw_p / sum_r phi_pr,
/// COI_c = sum_q W_cq (h_q - t_cq), h_q = sum_p phi_qp v_p, t_cq = sum_{p: M_cp = 1} phi_qp
/// v_p. The sums go by rows of phi (each read once, from memory in order, while it is in
/// cache): row q serves h_q and t_cq for the countries with W_cq != 0, sum_c k_c^2 operations
/// for W = M. Each country's terms are then added in product order, so the result does not
/// depend on the number of threads.
pub(crate) fn coi_raw(
    w: &[f64],
    m: &[bool],
    phi: &[f64],
    v: &[f64],
    nc: usize,
    np: usize,
) -> Vec<f64> {
    let basket = baskets(m, nc, np);
    // The countries with W_cq != 0 of each product q, in country order.
    let mut wcols: Vec<Vec<(u32, f64)>> = vec![Vec::new(); np];
    for c in 0..nc {
        for (q, &x) in w[c * np..(c + 1) * np].iter().enumerate() {
            if x != 0.0 {
                wcols[q].push((c as u32, x));
            }
        }
    }
    let terms: Vec<Vec<f64>> = phi
        .par_chunks(np)
        .zip(wcols.par_iter())
        .map_init(
            || vec![0.0; np],
            |pv, (row, wq)| {
                if wq.is_empty() {
                    return Vec::new();
                }
                let mut h = 0.0;
                for p in 0..np {
                    pv[p] = row[p] * v[p];
                    h += pv[p];
                }
                wq.iter()
                    .map(|&(c, x)| {
                        let mut t = 0.0;
                        for &p in &basket[c as usize] {
                            t += pv[p as usize];
                        }
                        x * (h - t)
                    })
                    .collect()
            },
        )
        .collect();
    let mut total = vec![0.0; nc];
    for (wq, tq) in wcols.iter().zip(&terms) {
        for (&(c, _), t) in wq.iter().zip(tq) {
            total[c as usize] += t;
        }
    }
    total
}
