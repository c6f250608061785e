//! ECI and PCI by the eigenvector method, without forming the product-product matrix.
//!
//! M~pp' = sum_c M_cp M_cp' / (k_c k_p) = D_p^-1 M^T D_c^-1 M (D = diag of ubiquity k_p and
//! diversity k_c) is similar to the symmetric S = D_p^-1/2 M^T D_c^-1 M D_p^-1/2, whose
//! largest eigenvalue is 1 with eigenvector sqrt(k_p). The PCI eigenvector (second-largest
//! eigenvalue of M~) is D_p^-1/2 u, u the leading eigenvector of S with sqrt(k_p) projected
//! out. S is applied as three sparse sweeps over M (O(nnz) a product) and its leading pair
//! found by restarted Lanczos with full reorthogonalisation (the same routine as HITS).

use crate::analysis::centrality::lanczos::leading_eigenpair;
use crate::error::{Error, Result};

/// The raw eigenvectors, before the sign rule and the normalisation.
pub(crate) struct Eigen {
    /// Raw PCI over the valid products: the eigenvector of M~ for the second-largest
    /// eigenvalue, unit Euclidean norm (numpy `eig`'s scale), sign as the solver gave it.
    pub pci: Vec<f64>,
    /// The second-largest eigenvalue of M~.
    pub value: f64,
    /// Products with S.
    pub products: usize,
}

/// `rows[c]`: the (valid) products of country c; `cols[p]`: the countries of product p.
pub(crate) fn second_eigenvector(rows: &[Vec<u32>], cols: &[Vec<u32>], tol: f64) -> Result<Eigen> {
    let np = cols.len();
    let kc: Vec<f64> = rows.iter().map(|r| r.len() as f64).collect();
    let sq: Vec<f64> = cols.iter().map(|c| (c.len() as f64).sqrt()).collect();
    let norm = sq.iter().map(|v| v * v).sum::<f64>().sqrt();
    let u1: Vec<f64> = sq.iter().map(|v| v / norm).collect();
    let mut z = vec![0.0; np];
    let mut t = vec![0.0; rows.len()];
    let project = |v: &mut [f64]| {
        let d: f64 = v.iter().zip(&u1).map(|(a, b)| a * b).sum();
        v.iter_mut().zip(&u1).for_each(|(a, b)| *a -= d * b);
    };
    let op = |x: &[f64], out: &mut [f64]| {
        z.copy_from_slice(x);
        project(&mut z);
        z.iter_mut().zip(&sq).for_each(|(a, s)| *a /= s);
        for (c, r) in rows.iter().enumerate() {
            t[c] = r.iter().map(|&p| z[p as usize]).sum::<f64>() / kc[c];
        }
        for (p, cs) in cols.iter().enumerate() {
            out[p] = cs.iter().map(|&c| t[c as usize]).sum::<f64>() / sq[p];
        }
        project(out);
    };
    // A fixed start (a deterministic pseudo-random vector): not orthogonal to the wanted
    // eigenvector, whatever the data.
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut start: Vec<f64> = (0..np)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
        .collect();
    project(&mut start);
    let max_products = 100 * np.max(100);
    let lead = leading_eigenpair(&start, tol, max_products, op);
    if !lead.converged {
        return Err(Error::NotConverged {
            measure: "the PCI eigenvector (Lanczos on the product-product operator)".into(),
            iterations: lead.products,
            tol,
            hint: Some(format!("the residual reached {:.1e}", lead.residual)),
        });
    }
    if lead.value > 1.0 - 1e-9 {
        return Err(Error::Numeric(format!(
            "the country-product network falls apart into separate groups (the second eigenvalue of the product-product matrix is {:.12}, as large as the first, 1): ECI and PCI are not defined; keep the countries and products of one group, or lower the threshold",
            lead.value
        )));
    }
    let mut pci: Vec<f64> = lead.vector.iter().zip(&sq).map(|(v, s)| v / s).collect();
    let n = pci.iter().map(|v| v * v).sum::<f64>().sqrt();
    pci.iter_mut().for_each(|v| *v /= n);
    Ok(Eigen {
        pci,
        value: lead.value,
        products: lead.products,
    })
}
