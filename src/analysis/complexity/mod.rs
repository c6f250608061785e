//! Economic complexity: revealed comparative advantage, the binary country-product matrix M,
//! diversity and ubiquity, the Economic and Product Complexity Indices (ECI, PCI), the product
//! space (proximity, density) and the complexity outlook (COI, COG), with the conventions of
//! the Harvard Growth Lab's `ecomplexity` 0.5.3 (Hidalgo and Hausmann 2009; Hidalgo, Klinger,
//! Barabási and Hausmann 2007); and fitness-complexity (Tacchella et al. 2012) as an option.
//!
//! Symbols (one comment maps them to the code): x_cp exports of country c in product p;
//! RCA_cp = (x_cp / x_c) / (x_p / x) ([`rca::balassa`]); M_cp = 1 when RCA_cp >= threshold;
//! k_c = sum_p M_cp (diversity), k_p = sum_c M_cp (ubiquity).
//! - PCI_raw: the eigenvector of M~ = D_p^-1 M^T D_c^-1 M for its second-largest eigenvalue
//!   (unit norm); ECI_raw_c = mean of PCI_raw over c's products; both times the sign of
//!   corr(k_c, ECI_raw), so that ECI rises with diversity.
//! - ECI = (ECI_raw - mean(ECI_raw)) / sd(ECI_raw); PCI = (PCI_raw - mean(ECI_raw)) /
//!   sd(ECI_raw): PCI uses ECI's mean and population sd, so ECI_c = mean of PCI over c's
//!   products exactly.
//! - phi_pq = |{c: M_cp = M_cq = 1}| / max(k_p, k_q) (proximity); density_cp = sum_q M_cq
//!   phi_pq / sum_q phi_pq; COI_c = sum_p density_cp (1 - M_cp) PCI_raw_p, standardised with
//!   its own mean and population sd; COG_cp = (1 - M_cp) sum_q (1 - M_cq) phi_qp PCI_raw_q /
//!   sum_r phi_qr, divided by sd(ECI_raw).
//!
//! Countries (products) with diversity (ubiquity) 0, possible with a threshold above 1, are
//! kept in the output with no ECI (PCI) and left out of the eigenvector and the means (where
//! `ecomplexity` returns NaN for every country).
//!
//! ```
//! use tradenet::analysis::complexity::{complexity, ComplexityParams, CountryProduct};
//! // A exports like the world (RCA 1 in everything), B is strong in p1 and p2, C in p3.
//! let x = CountryProduct::from_triples(
//!     [("A", "p1", 1.0), ("A", "p2", 5.0), ("A", "p3", 14.0),
//!      ("B", "p1", 1.0), ("B", "p2", 4.0), ("B", "p3", 5.0),
//!      ("C", "p2", 1.0), ("C", "p3", 9.0)],
//!     Vec::new(),
//! ).unwrap();
//! let r = complexity(&x, &ComplexityParams::default()).unwrap();
//! let eci: Vec<f64> = r.countries.iter().map(|c| c.eci.unwrap()).collect();
//! // ECI = (1, 4, -5) / sqrt(14), worked out by hand in tests/it/complexity.rs.
//! assert!((eci[1] - 4.0 / 14f64.sqrt()).abs() < 1e-12);
//! assert!((r.eigenvalue - 0.5).abs() < 1e-12);
//! ```

mod eigen;
mod fitness;
pub mod matrix;
mod params;
mod product_space;
pub mod rca;
mod space;

pub use matrix::CountryProduct;
pub use params::{ComplexityParams, Method, Rca};
pub use product_space::{product_space, ProductSpace, ProductSpaceParams, SpaceLink, SpaceNode};

use crate::error::{closest, Error, Result};
use serde::Serialize;

/// One country's complexity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryComplexity {
    /// Country id.
    pub id: String,
    /// Total exports over products.
    pub exports: f64,
    /// k_c: products with M = 1.
    pub diversity: usize,
    /// Economic Complexity Index (none when diversity is 0).
    pub eci: Option<f64>,
    /// Complexity Outlook Index (none when diversity is 0).
    pub coi: Option<f64>,
    /// Fitness (method `fitness` only; mean 1 over countries with diversity above 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fitness: Option<f64>,
}

/// One product's complexity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductComplexity {
    /// Product code.
    pub id: String,
    /// World exports of the product.
    pub exports: f64,
    /// k_p: countries with M = 1.
    pub ubiquity: usize,
    /// Product Complexity Index (none when ubiquity is 0).
    pub pci: Option<f64>,
    /// Complexity of the fitness method (method `fitness` only; mean 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complexity: Option<f64>,
}

/// The matrices behind the indices, row-major (country rows, product columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrices {
    /// The export values.
    pub x: CountryProduct,
    /// RCA (Balassa, or population-weighted).
    pub rca: Vec<f64>,
    /// M.
    pub m: Vec<bool>,
    /// Proximity, products x products.
    pub proximity: Vec<f64>,
    /// The weights of density: M as 0 and 1, or RCA for the continuous variant.
    pub w: Vec<f64>,
    /// Row sums of the proximity (density's denominators).
    pub proximity_sums: Vec<f64>,
    /// The signed raw PCI eigenvector over all products (0 where ubiquity is 0).
    pub pci_raw: Vec<f64>,
}

/// Everything [`complexity`] computes. Countries and products are in id order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complexity {
    /// The parameters used.
    pub params: ComplexityParams,
    /// Countries, sorted by id.
    pub countries: Vec<CountryComplexity>,
    /// Products, sorted by id.
    pub products: Vec<ProductComplexity>,
    /// Sum of M.
    pub m_sum: usize,
    /// The second-largest eigenvalue of M~ (the largest is 1).
    pub eigenvalue: f64,
    /// Products with the operator the Lanczos iteration used.
    pub operator_products: usize,
    /// Mean of raw ECI (the shift of ECI and PCI).
    pub eci_raw_mean: f64,
    /// Population sd of raw ECI (the scale of ECI, PCI and COG).
    pub eci_raw_sd: f64,
    /// Fitness iterations (method `fitness`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fitness_iterations: Option<usize>,
    /// What was left out of the matrix, and other remarks.
    pub notes: Vec<String>,
    /// The matrices (not serialised: countries x products).
    #[serde(skip)]
    pub matrices: Matrices,
}

impl Complexity {
    /// The row of country `id`, or the unknown-country error with the closest id.
    pub fn country_index(&self, id: &str) -> Result<usize> {
        self.matrices
            .x
            .countries
            .binary_search_by(|c| c.as_str().cmp(id))
            .map_err(|_| Error::Unknown {
                what: "country",
                id: id.to_string(),
                suggestion: closest(id, self.matrices.x.countries.iter().map(String::as_str)),
            })
    }

    /// The column of product `id`, or the unknown-product error with the closest code.
    pub fn product_index(&self, id: &str) -> Result<usize> {
        self.matrices
            .x
            .products
            .binary_search_by(|c| c.as_str().cmp(id))
            .map_err(|_| Error::Unknown {
                what: "product",
                id: id.to_string(),
                suggestion: closest(id, self.matrices.x.products.iter().map(String::as_str)),
            })
    }

    /// phi between products p and q (column indices).
    pub fn proximity(&self, p: usize, q: usize) -> f64 {
        self.matrices.proximity[p * self.products.len() + q]
    }

    fn cell<T: Copy>(&self, v: &[T], c: usize, p: usize) -> T {
        v[c * self.products.len() + p]
    }

    /// Country row `c` of the density, density_cp = sum_q W_cq phi_pq / sum_q phi_pq. Rows are
    /// computed when asked (O(k_c P)), so that the complexity of many products never holds a
    /// countries x products density matrix.
    pub fn density(&self, c: usize) -> Vec<f64> {
        let np = self.products.len();
        let mx = &self.matrices;
        space::density_row(
            &mx.w[c * np..(c + 1) * np],
            &mx.proximity,
            &mx.proximity_sums,
        )
    }

    /// Country row `c` of the complexity outlook gain, COG_cp = (1 - M_cp) sum_q (1 - M_cq)
    /// phi_qp PCI_raw_q / sum_r phi_qr / sd(ECI_raw) (O((P - k_c) P)).
    pub fn cog(&self, c: usize) -> Vec<f64> {
        let np = self.products.len();
        let mx = &self.matrices;
        let v = space::weights(&mx.pci_raw, &mx.proximity_sums);
        let mut row = space::cog_row(&mx.m[c * np..(c + 1) * np], &mx.proximity, &v);
        row.iter_mut().for_each(|x| *x /= self.eci_raw_sd);
        row
    }
}

/// Population sd (numpy `std`, ddof 0) and mean.
fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Pearson correlation.
fn corr(a: &[f64], b: &[f64]) -> f64 {
    let (ma, _) = mean_sd(a);
    let (mb, _) = mean_sd(b);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

/// Economic complexity of the country-product matrix `x` (see the module documentation for
/// every definition).
///
/// Errors: a parameter out of range ([`ComplexityParams::validate`]), a missing population,
/// fewer than 2 countries or products with M = 1, a network in separate groups (ECI is not
/// defined), an eigenvector or fitness iteration that does not converge, matrices beyond the
/// memory budget.
///
/// Cost: the eigenvector O(nnz(M)) per operator product (no product-product matrix); the
/// product space O(P^2) memory and O(P^2 C / 64 + sum_c k_c^2) time (density and COG rows
/// of one country on demand, O(P^2)).
///
/// ```
/// use tradenet::analysis::complexity::{complexity, ComplexityParams, CountryProduct};
/// let x = CountryProduct::from_triples(
///     [("A", "p1", 1.0), ("A", "p2", 5.0), ("A", "p3", 14.0),
///      ("B", "p1", 1.0), ("B", "p2", 4.0), ("B", "p3", 5.0),
///      ("C", "p2", 1.0), ("C", "p3", 9.0)],
///     Vec::new(),
/// ).unwrap();
/// let r = complexity(&x, &ComplexityParams::default()).unwrap();
/// // B, strong in p1 and p2, has the highest ECI; p3, exported by all, the lowest PCI.
/// assert_eq!(r.countries[1].id, "B");
/// assert!(r.countries[1].eci.unwrap() > r.countries[0].eci.unwrap());
/// assert_eq!(r.products[2].ubiquity, 2);
/// ```
pub fn complexity(x: &CountryProduct, params: &ComplexityParams) -> Result<Complexity> {
    params.validate()?;
    let (nc, np) = (x.n_countries(), x.n_products());
    crate::budget::check(
        (np as u64) * (np as u64) * 8 + (nc as u64) * (np as u64) * 8 * 4,
        || {
            format!("the product space of {np} products ({np} x {np} proximities) and the {nc} x {np} density and gain matrices")
        },
    )?;
    let r = match &params.rca {
        Rca::Population(pop) => rca::rpop(x, pop)?,
        _ => rca::balassa(x),
    };
    let m = rca::presence(&r, params.threshold);
    let kc: Vec<usize> = (0..nc)
        .map(|c| m[c * np..(c + 1) * np].iter().filter(|&&b| b).count())
        .collect();
    let mut kp = vec![0usize; np];
    for c in 0..nc {
        for p in 0..np {
            kp[p] += usize::from(m[c * np + p]);
        }
    }
    // The valid countries and products (k > 0), compressed.
    let vc: Vec<usize> = (0..nc).filter(|&c| kc[c] > 0).collect();
    let mut pos = vec![u32::MAX; np];
    let vp: Vec<usize> = (0..np).filter(|&p| kp[p] > 0).collect();
    for (i, &p) in vp.iter().enumerate() {
        pos[p] = i as u32;
    }
    if vc.len() < 2 || vp.len() < 2 {
        return Err(Error::param(
            "threshold",
            params.threshold,
            format!(
                "with RCA >= {} only {} countries and {} products have M = 1; complexity needs at least 2 of each (lower the threshold)",
                params.threshold,
                vc.len(),
                vp.len()
            ),
        ));
    }
    let rows: Vec<Vec<u32>> = vc
        .iter()
        .map(|&c| (0..np).filter(|&p| m[c * np + p]).map(|p| pos[p]).collect())
        .collect();
    let mut cols: Vec<Vec<u32>> = vec![Vec::new(); vp.len()];
    for (i, r) in rows.iter().enumerate() {
        for &p in r {
            cols[p as usize].push(i as u32);
        }
    }
    let eig = eigen::second_eigenvector(&rows, &cols, params.tol)?;
    let mut pci_raw = eig.pci;
    let mut eci_raw: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().map(|&p| pci_raw[p as usize]).sum::<f64>() / r.len() as f64)
        .collect();
    let div: Vec<f64> = vc.iter().map(|&c| kc[c] as f64).collect();
    let s = corr(&div, &eci_raw);
    if s < 0.0 {
        pci_raw.iter_mut().for_each(|v| *v = -*v);
        eci_raw.iter_mut().for_each(|v| *v = -*v);
    }
    let (mean, sd) = mean_sd(&eci_raw);
    if sd.is_nan() || sd <= 0.0 {
        return Err(Error::Numeric(
            "every country has the same raw ECI (sd 0): ECI cannot be standardised".into(),
        ));
    }
    // PCI_raw over all products (0 where ubiquity is 0: such a product adds nothing).
    let mut pci_full = vec![0.0; np];
    for (i, &p) in vp.iter().enumerate() {
        pci_full[p] = pci_raw[i];
    }
    let (phi, den, w) = match params.rca {
        Rca::Continuous => {
            let phi = space::continuous_proximity(&r, nc, np);
            let den = space::row_sums(&phi, np);
            (phi, den, r.clone())
        }
        _ => {
            let (phi, den) = space::discrete_proximity(&m, nc, np);
            (
                phi,
                den,
                m.iter().map(|&b| f64::from(u8::from(b))).collect(),
            )
        }
    };
    let v = space::weights(&pci_full, &den);
    let coi_all = space::coi_raw(&w, &m, &phi, &v, nc, np);
    let coi_valid: Vec<f64> = vc.iter().map(|&c| coi_all[c]).collect();
    let (coi_mean, coi_sd) = mean_sd(&coi_valid);

    let fit = match params.method {
        Method::Fitness => Some(fitness::fitness(
            &rows,
            &cols,
            params.fitness_tol,
            params.fitness_max_iter,
        )?),
        Method::Eigenvector => None,
    };
    let mut countries: Vec<CountryComplexity> = (0..nc)
        .map(|c| CountryComplexity {
            id: x.countries[c].clone(),
            exports: x.values[c * np..(c + 1) * np].iter().sum(),
            diversity: kc[c],
            eci: None,
            coi: None,
            fitness: None,
        })
        .collect();
    for (i, &c) in vc.iter().enumerate() {
        countries[c].eci = Some((eci_raw[i] - mean) / sd);
        countries[c].coi = Some(if coi_sd > 0.0 {
            (coi_valid[i] - coi_mean) / coi_sd
        } else {
            0.0
        });
        countries[c].fitness = fit.as_ref().map(|f| f.fitness[i]);
    }
    let mut products: Vec<ProductComplexity> = (0..np)
        .map(|p| ProductComplexity {
            id: x.products[p].clone(),
            exports: (0..nc).map(|c| x.values[c * np + p]).sum(),
            ubiquity: kp[p],
            pci: None,
            complexity: None,
        })
        .collect();
    for (i, &p) in vp.iter().enumerate() {
        products[p].pci = Some((pci_raw[i] - mean) / sd);
        products[p].complexity = fit.as_ref().map(|f| f.complexity[i]);
    }
    let mut notes = x.notes.clone();
    let (zc, zp) = (nc - vc.len(), np - vp.len());
    if zc + zp > 0 {
        notes.push(format!(
            "{zc} countries with diversity 0 and {zp} products with ubiquity 0 at RCA >= {} have no ECI/PCI and are left out of the eigenvector and the means",
            params.threshold
        ));
    }
    Ok(Complexity {
        params: params.clone(),
        countries,
        products,
        m_sum: kc.iter().sum(),
        eigenvalue: eig.value,
        operator_products: eig.products,
        eci_raw_mean: mean,
        eci_raw_sd: sd,
        fitness_iterations: fit.as_ref().map(|f| f.iterations),
        notes,
        matrices: Matrices {
            x: x.clone(),
            rca: r,
            m,
            proximity: phi,
            w,
            proximity_sums: den,
            pci_raw: pci_full,
        },
    })
}

/// [`complexity`] of a trade graph whose flows carry products (sectors): the matrix of
/// [`CountryProduct::from_graph`] (one year; an input-output graph seen as countries;
/// aggregate exporters left out, with a note).
///
/// Errors: those of [`CountryProduct::from_graph`] (several years, flows without a product,
/// fewer than 2 countries or products) and of [`complexity`].
///
/// ```
/// use tradenet::analysis::complexity::{complexity_of_graph, ComplexityParams};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,sector,value\nB,A,p1,1\nB,A,p2,4\nB,A,p3,5\nC,A,p2,1\n\
///             C,B,p3,9\nA,B,p1,1\nA,C,p2,5\nA,B,p3,14\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let r = complexity_of_graph(&g, &ComplexityParams::default()).unwrap();
/// let eci = |id: &str| r.countries.iter().find(|c| c.id == id).unwrap().eci.unwrap();
/// assert!((eci("B") - 4.0 / 14f64.sqrt()).abs() < 1e-12);
/// ```
pub fn complexity_of_graph(
    g: &crate::model::TradeGraph,
    p: &ComplexityParams,
) -> Result<Complexity> {
    p.validate()?;
    complexity(&CountryProduct::from_graph(g)?, p)
}

/// A country that exports a product with advantage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exporter {
    /// Country id.
    pub id: String,
    /// Its exports of the product.
    pub value: f64,
    /// Its RCA in the product.
    pub rca: f64,
}

/// A product a country exports with advantage (M = 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advantage {
    /// Product code.
    pub id: String,
    /// RCA.
    pub rca: f64,
    /// The country's exports of it.
    pub value: f64,
    /// PCI.
    pub pci: Option<f64>,
}

/// A product a country does not export with advantage yet, near its basket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Product code.
    pub id: String,
    /// Density: how close the product is to what the country exports with advantage.
    pub density: f64,
    /// Complexity outlook gain of adding it.
    pub cog: f64,
    /// PCI.
    pub pci: Option<f64>,
    /// The country's RCA in it now (below the threshold).
    pub rca: f64,
    /// Countries that export it with advantage, largest exports first.
    pub exporters: Vec<Exporter>,
}

/// One country's position in the product space: where it is, where it could go.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryProfile {
    /// The country's row of the results.
    pub country: CountryComplexity,
    /// Its products with M = 1, highest RCA first (ties by code).
    pub advantages: Vec<Advantage>,
    /// Diversification candidates: of the products with M = 0, the `nearest` with the highest
    /// density, ranked by COG (ties by density, then code).
    pub candidates: Vec<Candidate>,
}

/// The profile of `country`: its RCA products, and the `nearest` products closest to its
/// basket by density ranked by COG, each with up to `exporters` countries already exporting it
/// with advantage.
///
/// Errors: an unknown country (with the closest id).
///
/// ```
/// use tradenet::analysis::complexity::{complexity, ComplexityParams, CountryProduct};
/// let x = CountryProduct::from_triples(
///     [("A", "p1", 1.0), ("A", "p2", 5.0), ("A", "p3", 14.0),
///      ("B", "p1", 1.0), ("B", "p2", 4.0), ("B", "p3", 5.0),
///      ("C", "p2", 1.0), ("C", "p3", 9.0)],
///     Vec::new(),
/// ).unwrap();
/// let r = complexity(&x, &ComplexityParams::default()).unwrap();
/// use tradenet::analysis::complexity::country_profile;
/// let c = country_profile(&r, "C", 5, 3).unwrap();
/// // C exports p3 with advantage; p1 and p2 are where it could go.
/// assert_eq!(c.advantages[0].id, "p3");
/// assert_eq!(c.candidates.len(), 2);
/// ```
pub fn country_profile(
    r: &Complexity,
    country: &str,
    nearest: usize,
    exporters: usize,
) -> Result<CountryProfile> {
    let c = r.country_index(country)?;
    let mx = &r.matrices;
    let np = r.products.len();
    let mut advantages: Vec<Advantage> = (0..np)
        .filter(|&p| r.cell(&mx.m, c, p))
        .map(|p| Advantage {
            id: r.products[p].id.clone(),
            rca: r.cell(&mx.rca, c, p),
            value: mx.x.get(c, p),
            pci: r.products[p].pci,
        })
        .collect();
    advantages.sort_by(|a, b| b.rca.total_cmp(&a.rca).then_with(|| a.id.cmp(&b.id)));
    let mut near: Vec<usize> = (0..np)
        .filter(|&p| !r.cell(&mx.m, c, p) && r.products[p].ubiquity > 0)
        .collect();
    let density = r.density(c);
    let cog = r.cog(c);
    let by_density = |a: &usize, b: &usize| {
        density[*b]
            .total_cmp(&density[*a])
            .then_with(|| r.products[*a].id.cmp(&r.products[*b].id))
    };
    near.sort_by(by_density);
    near.truncate(nearest);
    near.sort_by(|a, b| cog[*b].total_cmp(&cog[*a]).then_with(|| by_density(a, b)));
    let nc = r.countries.len();
    let candidates = near
        .iter()
        .map(|&p| {
            let mut ex: Vec<Exporter> = (0..nc)
                .filter(|&k| r.cell(&mx.m, k, p))
                .map(|k| Exporter {
                    id: r.countries[k].id.clone(),
                    value: mx.x.get(k, p),
                    rca: r.cell(&mx.rca, k, p),
                })
                .collect();
            ex.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id)));
            ex.truncate(exporters);
            Candidate {
                id: r.products[p].id.clone(),
                density: density[p],
                cog: cog[p],
                pci: r.products[p].pci,
                rca: r.cell(&mx.rca, c, p),
                exporters: ex,
            }
        })
        .collect();
    Ok(CountryProfile {
        country: r.countries[c].clone(),
        advantages,
        candidates,
    })
}
