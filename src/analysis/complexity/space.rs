//! The product space: proximity, density, complexity outlook (COI) and gain (COG), with the
//! conventions of `ecomplexity` 0.5.3.
//!
//! Symbols: phi_pq proximity; M the binary matrix; W = M (or RCA for the continuous
//! variant); PCI_raw the signed raw eigenvector (not normalised); all matrices row-major.

use rayon::prelude::*;

/// Proximity phi_pq = (countries exporting both with M = 1) / max(k_p, k_q), diagonal 1 (0
/// for a product no country exports with advantage). Co-occurrences are counted on bit sets of
/// countries, so the cost is P^2 C / 64 word operations.
pub(crate) fn discrete_proximity(m: &[bool], nc: usize, np: usize) -> Vec<f64> {
    let words = nc.div_ceil(64);
    let mut bits = vec![0u64; np * words];
    let mut k = vec![0u32; np];
    for c in 0..nc {
        for p in 0..np {
            if m[c * np + p] {
                bits[p * words + c / 64] |= 1 << (c % 64);
                k[p] += 1;
            }
        }
    }
    let mut phi = vec![0.0; np * np];
    phi.par_chunks_mut(np).enumerate().for_each(|(p, row)| {
        let bp = &bits[p * words..(p + 1) * words];
        for (q, out) in row.iter_mut().enumerate() {
            let bq = &bits[q * words..(q + 1) * words];
            let co: u32 = bp.iter().zip(bq).map(|(a, b)| (a & b).count_ones()).sum();
            let d = k[p].max(k[q]);
            *out = if d == 0 { 0.0 } else { co as f64 / d as f64 };
        }
    });
    phi
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

/// Density_cp = sum_q W_cq phi_pq / sum_q phi_pq (the sums include q = p); 0 for a product
/// with no proximity at all.
pub(crate) fn density(w: &[f64], phi: &[f64], nc: usize, np: usize) -> Vec<f64> {
    let den: Vec<f64> = (0..np)
        .map(|p| phi[p * np..(p + 1) * np].iter().sum())
        .collect();
    let mut out = vec![0.0; nc * np];
    out.par_chunks_mut(np).enumerate().for_each(|(c, row)| {
        let wc = &w[c * np..(c + 1) * np];
        let nz: Vec<(usize, f64)> = wc
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(q, v)| (q, *v))
            .collect();
        for (p, out) in row.iter_mut().enumerate() {
            let ph = &phi[p * np..(p + 1) * np];
            let s: f64 = nz.iter().map(|&(q, v)| v * ph[q]).sum();
            *out = if den[p] > 0.0 { s / den[p] } else { 0.0 };
        }
    });
    out
}

/// Raw COI_c = sum_p density_cp (1 - M_cp) PCI_raw_p (not yet standardised).
pub(crate) fn coi_raw(
    density: &[f64],
    m: &[bool],
    pci_raw: &[f64],
    nc: usize,
    np: usize,
) -> Vec<f64> {
    (0..nc)
        .map(|c| {
            (0..np)
                .filter(|&p| !m[c * np + p])
                .map(|p| density[c * np + p] * pci_raw[p])
                .sum()
        })
        .collect()
}

/// Raw COG_cp = (1 - M_cp) sum_q (1 - M_cq) phi_qp PCI_raw_q / sum_r phi_qr (not yet divided
/// by the sd of raw ECI).
pub(crate) fn cog_raw(phi: &[f64], m: &[bool], pci_raw: &[f64], nc: usize, np: usize) -> Vec<f64> {
    let w: Vec<f64> = (0..np)
        .map(|q| {
            let s: f64 = phi[q * np..(q + 1) * np].iter().sum();
            if s > 0.0 {
                pci_raw[q] / s
            } else {
                0.0
            }
        })
        .collect();
    // g_p = the sum over every q; a country's row is g minus its basket, or the sum over the
    // products it lacks, whichever is fewer.
    let mut g = vec![0.0; np];
    for q in (0..np).filter(|&q| w[q] != 0.0) {
        for (p, o) in g.iter_mut().enumerate() {
            *o += phi[q * np + p] * w[q];
        }
    }
    let mut out = vec![0.0; nc * np];
    out.par_chunks_mut(np).enumerate().for_each(|(c, row)| {
        let mc = &m[c * np..(c + 1) * np];
        let k = mc.iter().filter(|&&b| b).count();
        if 2 * k < np {
            row.copy_from_slice(&g);
            for q in (0..np).filter(|&q| mc[q] && w[q] != 0.0) {
                let ph = &phi[q * np..(q + 1) * np];
                for (p, o) in row.iter_mut().enumerate() {
                    *o -= ph[p] * w[q];
                }
            }
        } else {
            for q in (0..np).filter(|&q| !mc[q] && w[q] != 0.0) {
                let ph = &phi[q * np..(q + 1) * np];
                for (p, o) in row.iter_mut().enumerate() {
                    *o += ph[p] * w[q];
                }
            }
        }
        for (p, o) in row.iter_mut().enumerate() {
            if mc[p] {
                *o = 0.0;
            }
        }
    });
    out
}
