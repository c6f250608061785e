//! The rightmost eigenpair of a real, non-symmetric operator by restarted Arnoldi with full
//! reorthogonalisation (Saad, *Numerical Methods for Large Eigenvalue Problems*, 2nd ed.,
//! SIAM 2011, Algorithm 6.2 and the explicitly restarted Arnoldi of §7.1): the Krylov method
//! ARPACK's `dnaupd` uses (there with implicit restarts) for `eigs(M, k=1, which="LR")`.
//!
//! For a non-negative matrix the rightmost eigenvalue is the Perron root rho (every other
//! eigenvalue has real part below rho), and it is exactly the eigenvalue that the power
//! iteration on M + I converges to. Started from a vector u, every Krylov vector lies in
//! span{u, M u, M^2 u, ...}, which meets rho's eigenspace (when rho is semisimple) only in the
//! direction P u, P the spectral projector on it: so the Ritz vector converges to P u, the very
//! limit of the power iteration from u, also when rho is repeated. The difference is the
//! speed: the power iteration on M + I gains a factor max |1 + lambda| / (1 + rho) per step
//! (1 - 1e-10 on a graph of trade values in USD, where rho ~ 1e10 makes the shift by I
//! vanish), Arnoldi a factor set by the distance from rho to the rest of the spectrum in the
//! complex plane (a Chebyshev rate), whatever the scale.
//!
//! Each step is one product with M; the new vector is orthogonalised against the basis (at
//! most [`BASIS`] vectors of n) by classical Gram-Schmidt, a second time when the first pass
//! cancelled much of its norm (the DGKS correction, as ARPACK). The Ritz pair comes from the small upper
//! Hessenberg matrix H: its eigenvalues by nalgebra's real Schur form, the rightmost taken,
//! its vector by inverse iteration on H. When the basis is full the iteration restarts from
//! the Ritz vector. It stops when the residual ||M x - theta x|| (x of norm 1, from the
//! Arnoldi relation) is at most `tol * |theta|`, and the residual is then recomputed with one
//! more product, so that loss of orthogonality cannot fake convergence. Reductions sum fixed
//! blocks in order (see `kernels`), so the result is bit-identical whatever the thread count.

use super::kernels::{axpy, dot, dots, scale, sub_combination};
use nalgebra::{DMatrix, DVector, Schur};

/// Krylov vectors kept before a restart.
pub(crate) const BASIS: usize = 32;

/// The rightmost eigenpair found, with the number of operator products it took.
pub(crate) struct Rightmost {
    /// The eigenvalue estimate (the rightmost Ritz value, its real part).
    pub value: f64,
    /// Unit eigenvector estimate (Euclidean norm 1), sign as it came.
    pub vector: Vec<f64>,
    /// Products with the operator.
    pub products: usize,
    /// True when the residual test passed.
    pub converged: bool,
    /// The last residual relative to the eigenvalue, ||M x - theta x|| / |theta|.
    pub residual: f64,
}

fn norm(x: &[f64]) -> f64 {
    dot(x, x).sqrt()
}

/// The rightmost eigenvalue (real part) of the k x k Hessenberg matrix `h`, a unit vector for
/// it by inverse iteration, and the residual ||h y - theta y||. `None` when the Schur
/// iteration fails or the result is not finite.
fn ritz(h: &DMatrix<f64>) -> Option<(f64, Vec<f64>, f64)> {
    let k = h.nrows();
    if k == 1 {
        return Some((h[(0, 0)], vec![1.0], 0.0));
    }
    let schur = Schur::try_new(h.clone(), f64::EPSILON, 1000 * k)?;
    let eig = schur.complex_eigenvalues();
    let theta = eig.iter().map(|z| z.re).fold(f64::NEG_INFINITY, f64::max);
    if !theta.is_finite() {
        return None;
    }
    let hmax = h
        .iter()
        .fold(0.0f64, |a, v| a.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    let residual = |y: &DVector<f64>| (h * y - y * theta).norm();
    let mut best: Option<(DVector<f64>, f64)> = None;
    // Inverse iteration with a shift just off theta (a shift exactly on an eigenvalue may make
    // the LU singular; a slightly larger one only speeds the convergence to its vector).
    for rel in [1e-13, 1e-10, 1e-7] {
        let shift = theta + rel * hmax;
        let lu = (h - DMatrix::<f64>::identity(k, k) * shift).lu();
        let mut y = DVector::<f64>::from_element(k, 1.0 / (k as f64).sqrt());
        let mut ok = true;
        for _ in 0..3 {
            match lu.solve(&y) {
                Some(z) if z.iter().all(|v| v.is_finite()) && z.norm() > 0.0 => {
                    y = &z / z.norm();
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            let r = residual(&y);
            if best.as_ref().is_none_or(|(_, b)| r < *b) {
                best = Some((y, r));
            }
            if r <= 1e-14 * hmax {
                break;
            }
        }
    }
    let (y, r) = best?;
    Some((theta, y.iter().copied().collect(), r))
}

/// The rightmost eigenpair of the operator `op` (`op(x, out)` writes M x into `out`), started
/// from `start` (need not be normalised, must not be zero). Stops when the residual
/// ||M x - theta x|| is at most `tol * |theta|`, or after `max_products` products.
pub(crate) fn rightmost_eigenpair(
    start: &[f64],
    tol: f64,
    max_products: usize,
    mut op: impl FnMut(&[f64], &mut [f64]),
) -> Rightmost {
    let n = start.len();
    let m = BASIS.min(n).max(1);
    let mut x: Vec<f64> = start.to_vec();
    let mut theta = 0.0;
    let mut rel = f64::INFINITY;
    let mut products = 0usize;
    let mut w = vec![0.0; n];
    let fail = |x: Vec<f64>, theta: f64, products: usize, rel: f64| Rightmost {
        value: theta,
        vector: x,
        products,
        converged: false,
        residual: rel,
    };
    loop {
        let nx = norm(&x);
        if nx == 0.0 || !nx.is_finite() {
            return fail(x, theta, products, rel);
        }
        scale(&mut x, 1.0 / nx);
        let mut basis: Vec<Vec<f64>> = vec![x.clone()];
        // H: (m + 1) x m upper Hessenberg, column j from the product with basis j.
        let mut h = DMatrix::<f64>::zeros(m + 1, m);
        let mut y = vec![1.0];
        let mut small_done = false;
        while products < max_products {
            let j = basis.len() - 1;
            op(&basis[j], &mut w);
            products += 1;
            if !w.iter().all(|v| v.is_finite()) {
                return fail(x, theta, products, rel);
            }
            // Classical Gram-Schmidt against the whole basis (all the dot products in one pass,
            // then all the subtractions in one), repeated when the pass cancelled more than
            // 1 - 1/sqrt(2) of the norm (the DGKS correction ARPACK uses; a second pass
            // always suffices: "twice is enough").
            let mut b = norm(&w);
            for _ in 0..2 {
                let c = dots(&basis, &w);
                for (i, ci) in c.iter().enumerate() {
                    h[(i, j)] += ci;
                }
                sub_combination(&mut w, &basis, &c);
                let after = norm(&w);
                let again = after < std::f64::consts::FRAC_1_SQRT_2 * b;
                b = after;
                if !again {
                    break;
                }
            }
            h[(j + 1, j)] = b;
            let k = j + 1;
            let Some((t, yy, r_small)) = ritz(&h.view((0, 0), (k, k)).into_owned()) else {
                return fail(x, theta, products, rel);
            };
            theta = t;
            y = yy;
            // ||M V y - theta V y|| = ||H_{k+1,k} y - theta [y; 0]|| (the Arnoldi relation).
            let res = (r_small * r_small + (b * y[k - 1]) * (b * y[k - 1])).sqrt();
            rel = res / theta.abs();
            if res <= tol * theta.abs() {
                small_done = true;
                break;
            }
            // A full basis, or an invariant subspace (no new direction): restart.
            if k == m || b <= f64::EPSILON * theta.abs().max(r_small) || b == 0.0 {
                break;
            }
            let mut next = w.clone();
            scale(&mut next, 1.0 / b);
            basis.push(next);
        }
        // The Ritz vector: the basis combined by the Ritz coefficients, in basis order.
        x.iter_mut().for_each(|v| *v = 0.0);
        let minus: Vec<f64> = y.iter().map(|c| -c).collect();
        sub_combination(&mut x, &basis[..y.len()], &minus);
        let nx = norm(&x);
        if nx == 0.0 || !nx.is_finite() {
            return fail(x, theta, products, rel);
        }
        scale(&mut x, 1.0 / nx);
        if small_done && products < max_products {
            // Check the residual with a true product.
            op(&x, &mut w);
            products += 1;
            axpy(&mut w, theta, &x);
            let r = norm(&w);
            rel = r / theta.abs();
            if r <= tol * theta.abs() {
                return Rightmost {
                    value: theta,
                    vector: x,
                    products,
                    converged: true,
                    residual: rel,
                };
            }
        }
        if products >= max_products {
            return fail(x, theta, products, rel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: &DMatrix<f64>, x: &[f64], out: &mut [f64]) {
        let y = m * DVector::from_column_slice(x);
        out.copy_from_slice(y.as_slice());
    }

    /// A periodic non-negative matrix (a weighted 5-cycle, eigenvalues on a circle) with a
    /// small chord: the Perron pair against the power iteration on M + I run to the end.
    #[test]
    fn perron_pair_of_a_nearly_periodic_matrix() {
        let n = 5;
        let mut m = DMatrix::<f64>::zeros(n, n);
        let w = [3.0, 1.0, 4.0, 1.5, 2.0];
        for i in 0..n {
            m[((i + 1) % n, i)] = w[i];
        }
        m[(0, 2)] = 0.01;
        let start = vec![1.0; n];
        let r = rightmost_eigenpair(&start, 1e-13, 1000, |x, out| apply(&m, x, out));
        assert!(r.converged);
        let mut p = DVector::from_element(n, 1.0);
        for _ in 0..200_000 {
            p = &p + &m * &p;
            p /= p.norm();
        }
        let rho = (&m * &p).norm();
        assert!((r.value - rho).abs() < 1e-10 * rho, "{} {rho}", r.value);
        let sign = if r.vector.iter().sum::<f64>() < 0.0 {
            -1.0
        } else {
            1.0
        };
        for i in 0..n {
            assert!((sign * r.vector[i] - p[i]).abs() < 1e-9, "{i}");
        }
    }

    /// Two disjoint blocks with the same Perron root: the limit is the start's projection on
    /// the double eigenspace, as for the power iteration.
    #[test]
    fn repeated_root_keeps_the_start_projection() {
        // Block 1: a 2-cycle of weights 1, 1 (eigenvector (1, 1)); block 2: a 2-cycle of
        // weights 4, 1/4 (rho 1, eigenvector (1, 4) up to scale: x0 = x1 / 4... ).
        let mut m = DMatrix::<f64>::zeros(4, 4);
        m[(1, 0)] = 1.0;
        m[(0, 1)] = 1.0;
        m[(3, 2)] = 4.0;
        m[(2, 3)] = 0.25;
        let start = vec![1.0; 4];
        let r = rightmost_eigenpair(&start, 1e-14, 1000, |x, out| apply(&m, x, out));
        assert!(r.converged);
        // Power iteration on M + I from the start.
        let mut p = DVector::from_element(4, 1.0);
        for _ in 0..2000 {
            p = &p + &m * &p;
            p /= p.norm();
        }
        let sign = if r.vector.iter().sum::<f64>() < 0.0 {
            -1.0
        } else {
            1.0
        };
        for i in 0..4 {
            assert!((sign * r.vector[i] - p[i]).abs() < 1e-12, "{i}");
        }
    }
}
