//! The leading eigenpair of a symmetric positive semi-definite operator by restarted Lanczos
//! with full reorthogonalisation: what ARPACK does for `scipy.sparse.linalg.svds(A, k=1)`,
//! which is how `nx.hits` computes authorities (the leading eigenvector of A^T A).
//!
//! Every step is one product with the operator; the Krylov basis is kept (at most
//! [`BASIS`] vectors of n) and orthogonalised twice by classical Gram-Schmidt, so that the
//! basis stays orthogonal to working precision. When the basis is full, the iteration
//! restarts from the current Ritz vector. Started from a vector `u`, the Ritz vector converges
//! to the projection of `u` on the leading eigenspace: the same limit as the power iteration
//! from `u`, also when the leading eigenvalue is repeated. Reductions sum fixed blocks in
//! order (see `kernels`), so the result is bit-identical whatever the thread count.

use super::kernels::{axpy, dot};
use nalgebra::{DMatrix, SymmetricEigen};

/// Krylov vectors kept before a restart.
pub(crate) const BASIS: usize = 24;

/// The leading eigenpair found, with the number of operator products it took.
pub(crate) struct Leading {
    /// Eigenvalue estimate (the Ritz value); the squared top singular value for HITS.
    #[allow(dead_code)]
    pub value: f64,
    /// Unit eigenvector estimate (Euclidean norm 1), sign as it came.
    pub vector: Vec<f64>,
    /// Products with the operator.
    pub products: usize,
    /// True when the residual test passed (false: `max_products` ran out).
    pub converged: bool,
    /// The last residual relative to the eigenvalue, ||B x - theta x|| / theta.
    pub residual: f64,
}

/// Leading eigenpair of the operator `op` (`op(x, out)` writes B x into `out`), started from
/// `start` (need not be normalised, must not be zero). Stops when the residual
/// ||B x - theta x|| is at most `tol * theta`, or after `max_products` products.
pub(crate) fn leading_eigenpair(
    start: &[f64],
    tol: f64,
    max_products: usize,
    mut op: impl FnMut(&[f64], &mut [f64]),
) -> Leading {
    let n = start.len();
    let mut x: Vec<f64> = start.to_vec();
    let mut theta = 0.0;
    let mut rel = f64::INFINITY;
    let mut products = 0usize;
    let mut w = vec![0.0; n];
    loop {
        let nx = dot(&x, &x).sqrt();
        if nx == 0.0 || !nx.is_finite() {
            return Leading {
                value: theta,
                vector: x,
                products,
                converged: false,
                residual: rel,
            };
        }
        x.iter_mut().for_each(|v| *v /= nx);
        let mut basis: Vec<Vec<f64>> = vec![x.clone()];
        let mut alpha: Vec<f64> = Vec::with_capacity(BASIS);
        let mut beta: Vec<f64> = Vec::with_capacity(BASIS);
        let mut ritz = vec![1.0];
        let mut done = false;
        while basis.len() <= BASIS && products < max_products {
            let j = basis.len() - 1;
            op(&basis[j], &mut w);
            products += 1;
            let a = dot(&w, &basis[j]);
            alpha.push(a);
            // Full reorthogonalisation, twice ("twice is enough").
            for _ in 0..2 {
                for v in &basis {
                    let c = dot(&w, v);
                    axpy(&mut w, c, v);
                }
            }
            let b = dot(&w, &w).sqrt();
            // The leading Ritz pair of the tridiagonal T (alpha on the diagonal, beta beside).
            let k = alpha.len();
            let mut t = DMatrix::<f64>::zeros(k, k);
            for i in 0..k {
                t[(i, i)] = alpha[i];
                if i + 1 < k {
                    t[(i, i + 1)] = beta[i];
                    t[(i + 1, i)] = beta[i];
                }
            }
            let eig = SymmetricEigen::new(t);
            let top = (0..k)
                .max_by(|&p, &q| eig.eigenvalues[p].total_cmp(&eig.eigenvalues[q]))
                .expect("k >= 1");
            theta = eig.eigenvalues[top];
            ritz = (0..k).map(|i| eig.eigenvectors[(i, top)]).collect();
            // ||B y - theta y|| = b * |last component of the Ritz vector|.
            let residual = b * ritz[k - 1].abs();
            rel = residual / theta.abs();
            if residual <= tol * theta.abs() || b <= f64::EPSILON * theta.abs() || theta == 0.0 {
                done = true;
                break;
            }
            beta.push(b);
            if basis.len() == BASIS {
                break;
            }
            let next: Vec<f64> = w.iter().map(|v| v / b).collect();
            basis.push(next);
        }
        // The Ritz vector: the basis combined by the Ritz coefficients, in basis order.
        x.iter_mut().for_each(|v| *v = 0.0);
        for (v, &c) in basis.iter().zip(&ritz) {
            axpy(&mut x, -c, v);
        }
        if done || products >= max_products {
            let nx = dot(&x, &x).sqrt();
            if nx > 0.0 {
                x.iter_mut().for_each(|v| *v /= nx);
            }
            return Leading {
                value: theta,
                vector: x,
                products,
                converged: done,
                residual: rel,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A = diag(1..n) plus a small symmetric coupling: the leading pair against nalgebra's
    /// dense solver.
    #[test]
    fn leading_pair_equals_dense_solver() {
        let n = 60;
        let mut m = DMatrix::<f64>::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0 + i as f64 * 0.05;
            if i + 1 < n {
                m[(i, i + 1)] = 0.3;
                m[(i + 1, i)] = 0.3;
            }
        }
        let start = vec![1.0; n];
        let r = leading_eigenpair(&start, 1e-12, 1000, |x, out| {
            let y = &m * nalgebra::DVector::from_column_slice(x);
            out.copy_from_slice(y.as_slice());
        });
        assert!(r.converged);
        let eig = SymmetricEigen::new(m.clone());
        let top = (0..n)
            .max_by(|&p, &q| eig.eigenvalues[p].total_cmp(&eig.eigenvalues[q]))
            .unwrap();
        assert!((r.value - eig.eigenvalues[top]).abs() < 1e-10 * eig.eigenvalues[top]);
        let v = eig.eigenvectors.column(top);
        let sign = if v.dot(&nalgebra::DVector::from_column_slice(&r.vector)) < 0.0 {
            -1.0
        } else {
            1.0
        };
        for i in 0..n {
            assert!((sign * r.vector[i] - v[i]).abs() < 1e-7, "{i}");
        }
    }
}
