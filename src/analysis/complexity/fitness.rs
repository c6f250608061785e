//! Fitness and complexity (Tacchella, Cristelli, Caldarelli, Gabrielli and Pietronero 2012,
//! "A New Metrics for Countries' Fitness and Products' Complexity", Sci. Rep. 2, 723):
//!
//! F~_c(n) = sum_p M_cp Q_p(n-1),   Q~_p(n) = 1 / sum_c M_cp / F_c(n-1),
//! F(n) = F~(n) / mean(F~(n)),      Q(n) = Q~(n) / mean(Q~(n)),   F(0) = Q(0) = 1.
//!
//! Iterated until the L1 change of both normalised vectors, divided by their length, is below
//! the tolerance. On a matrix that is not perfectly nested some fitnesses fall towards 0 as
//! the iteration goes on (the known behaviour of the map); the values at the stop are reported
//! with the iterations used.

use crate::error::{Error, Result};

/// The fixed point found.
pub(crate) struct Fitness {
    /// Country fitness, mean 1.
    pub fitness: Vec<f64>,
    /// Product complexity, mean 1.
    pub complexity: Vec<f64>,
    /// Iterations used.
    pub iterations: usize,
}

/// `rows[c]`: the products of country c; `cols[p]`: the countries of product p.
pub(crate) fn fitness(
    rows: &[Vec<u32>],
    cols: &[Vec<u32>],
    tol: f64,
    max_iter: usize,
) -> Result<Fitness> {
    let (nc, np) = (rows.len(), cols.len());
    let mut f = vec![1.0; nc];
    let mut q = vec![1.0; np];
    let mut f2 = vec![0.0; nc];
    let mut q2 = vec![0.0; np];
    for it in 1..=max_iter {
        for (c, r) in rows.iter().enumerate() {
            f2[c] = r.iter().map(|&p| q[p as usize]).sum();
        }
        for (p, cs) in cols.iter().enumerate() {
            q2[p] = 1.0 / cs.iter().map(|&c| 1.0 / f[c as usize]).sum::<f64>();
        }
        let mf = f2.iter().sum::<f64>() / nc as f64;
        let mq = q2.iter().sum::<f64>() / np as f64;
        if !(mf > 0.0 && mf.is_finite() && mq > 0.0 && mq.is_finite()) {
            return Err(Error::Numeric(format!(
                "fitness-complexity: the iteration left the positive numbers after {it} iterations (a fitness fell to 0)"
            )));
        }
        f2.iter_mut().for_each(|v| *v /= mf);
        q2.iter_mut().for_each(|v| *v /= mq);
        let df: f64 = f.iter().zip(&f2).map(|(a, b)| (a - b).abs()).sum::<f64>() / nc as f64;
        let dq: f64 = q.iter().zip(&q2).map(|(a, b)| (a - b).abs()).sum::<f64>() / np as f64;
        std::mem::swap(&mut f, &mut f2);
        std::mem::swap(&mut q, &mut q2);
        if df < tol && dq < tol {
            return Ok(Fitness {
                fitness: f,
                complexity: q,
                iterations: it,
            });
        }
    }
    Err(Error::NotConverged {
        measure: "fitness-complexity".into(),
        iterations: max_iter,
        tol,
        hint: Some("raise the iteration limit or the tolerance".into()),
    })
}
