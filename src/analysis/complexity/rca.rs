//! Revealed comparative advantage and the binary matrix M.
//!
//! Symbols: x_cp exports of country c in product p; x_c = sum_p x_cp; x_p = sum_c x_cp;
//! x = sum_cp x_cp; pop_c a country's population.

use super::matrix::CountryProduct;
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// Balassa's RCA_cp = (x_cp / x_c) / (x_p / x), row-major as the matrix.
pub fn balassa(x: &CountryProduct) -> Vec<f64> {
    let (nc, np) = (x.n_countries(), x.n_products());
    let row: Vec<f64> = (0..nc)
        .map(|c| x.values[c * np..(c + 1) * np].iter().sum())
        .collect();
    let mut col = vec![0.0; np];
    for c in 0..nc {
        for (p, v) in x.values[c * np..(c + 1) * np].iter().enumerate() {
            col[p] += v;
        }
    }
    let total: f64 = col.iter().sum();
    let mut out = vec![0.0; nc * np];
    for c in 0..nc {
        for p in 0..np {
            // numpy's order: (x_cp / x_c) / (x_p / x).
            out[c * np + p] = (x.values[c * np + p] / row[c]) / (col[p] / total);
        }
    }
    out
}

/// Population-weighted RCA, RPOP_cp = (x_cp / pop_c) / (x_p / sum_c pop_c) (`ecomplexity`'s
/// `presence_test="rpop"`). Every country of the matrix needs a population.
pub fn rpop(x: &CountryProduct, pop: &BTreeMap<String, f64>) -> Result<Vec<f64>> {
    let missing: Vec<&str> = x
        .countries
        .iter()
        .filter(|c| !pop.contains_key(c.as_str()))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(Error::param(
            "rca",
            "",
            format!(
                "population-weighted RCA needs the population of every country; {} of {} have none: {}",
                missing.len(),
                x.countries.len(),
                crate::text::clip_list(missing.iter().copied(), 10)
            ),
        ));
    }
    let (nc, np) = (x.n_countries(), x.n_products());
    let p_c: Vec<f64> = x.countries.iter().map(|c| pop[c.as_str()]).collect();
    let world_pop: f64 = p_c.iter().sum();
    let mut col = vec![0.0; np];
    for c in 0..nc {
        for (p, v) in x.values[c * np..(c + 1) * np].iter().enumerate() {
            col[p] += v;
        }
    }
    let mut out = vec![0.0; nc * np];
    for c in 0..nc {
        for p in 0..np {
            out[c * np + p] = (x.values[c * np + p] / p_c[c]) / (col[p] / world_pop);
        }
    }
    Ok(out)
}

/// M_cp = 1 when `r_cp >= threshold` (greater OR equal, as `ecomplexity`).
pub fn presence(r: &[f64], threshold: f64) -> Vec<bool> {
    r.iter().map(|&v| v >= threshold).collect()
}
