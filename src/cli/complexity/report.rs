//! The output of `tradenet complexity` in each format: ranked countries and products, or one
//! country's profile.

use super::tables::{num, profile_tables};
use crate::cli::output::{count, human, to_json, Csv, Report, Table};
use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use tradenet::analysis::complexity::{Complexity, CountryProfile, Method, Rca};
use tradenet::analysis::{CountryComplexity, ProductComplexity};

/// Descending by `key` (none last), ties by id.
pub(super) fn ranked<T>(
    rows: &[T],
    key: impl Fn(&T) -> Option<f64>,
    id: impl Fn(&T) -> &str,
) -> Vec<usize> {
    let mut o: Vec<usize> = (0..rows.len()).collect();
    o.sort_by(|&i, &j| match (key(&rows[i]), key(&rows[j])) {
        (Some(a), Some(b)) => b.total_cmp(&a).then_with(|| id(&rows[i]).cmp(id(&rows[j]))),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => id(&rows[i]).cmp(id(&rows[j])),
    });
    o
}

/// A country in the ranked list of the JSON and CSV (`fitness` only with that method).
#[derive(Serialize)]
struct CountryRow<'a> {
    id: &'a str,
    diversity: usize,
    eci: Option<f64>,
    coi: Option<f64>,
    exports: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fitness: Option<Option<f64>>,
}

impl<'a> CountryRow<'a> {
    fn new(c: &'a CountryComplexity, fit: bool) -> Self {
        CountryRow {
            id: &c.id,
            diversity: c.diversity,
            eci: c.eci,
            coi: c.coi,
            exports: c.exports,
            fitness: fit.then_some(c.fitness),
        }
    }
}

/// A product in the ranked list of the JSON and CSV (`complexity` only with fitness).
#[derive(Serialize)]
struct ProductRow<'a> {
    id: &'a str,
    ubiquity: usize,
    pci: Option<f64>,
    exports: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    complexity: Option<Option<f64>>,
}

impl<'a> ProductRow<'a> {
    fn new(p: &'a ProductComplexity, fit: bool) -> Self {
        ProductRow {
            id: &p.id,
            ubiquity: p.ubiquity,
            pci: p.pci,
            exports: p.exports,
            complexity: fit.then_some(p.complexity),
        }
    }
}

/// A diversification candidate in the CSV: its exporters' ids in one cell.
#[derive(Serialize)]
struct CandidateRow<'a> {
    id: &'a str,
    density: f64,
    cog: f64,
    pci: Option<f64>,
    rca: f64,
    exporters: String,
}

#[derive(Serialize)]
struct ParamsJson {
    threshold: f64,
    method: Method,
    rca: &'static str,
}

#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a Value,
    params: ParamsJson,
    m_sum: usize,
    eigenvalue: f64,
    eci_raw_mean: f64,
    eci_raw_sd: f64,
    countries: Vec<CountryRow<'a>>,
    products: Vec<ProductRow<'a>>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    fitness_iterations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a CountryProfile>,
}

/// The `complexity` output in each format.
pub(super) struct ComplexityReport<'a> {
    pub(super) graph: Value,
    /// The summary's first lines (the input).
    pub(super) head: Vec<String>,
    pub(super) r: &'a Complexity,
    pub(super) profile: Option<&'a CountryProfile>,
    /// Countries and products in ranked order (indices into `r`).
    pub(super) c_order: Vec<usize>,
    pub(super) p_order: Vec<usize>,
    pub(super) top: usize,
    pub(super) nearest: usize,
    pub(super) products: bool,
}

impl ComplexityReport<'_> {
    pub(super) fn fit(&self) -> bool {
        self.r.params.method == Method::Fitness
    }

    fn country_rows(&self) -> Vec<CountryRow<'_>> {
        let fit = self.fit();
        self.c_order
            .iter()
            .map(|&i| CountryRow::new(&self.r.countries[i], fit))
            .collect()
    }

    fn product_rows(&self) -> Vec<ProductRow<'_>> {
        let fit = self.fit();
        self.p_order
            .iter()
            .map(|&i| ProductRow::new(&self.r.products[i], fit))
            .collect()
    }
}

impl Report for ComplexityReport<'_> {
    fn summary(&self) -> Vec<String> {
        let r = self.r;
        let mut s = self.head.clone();
        s.push(format!(
            "{} countries x {} products; M = 1 where {} >= {}: {} pairs",
            r.countries.len(),
            r.products.len(),
            match r.params.rca {
                Rca::Population(_) => "RPOP (population-weighted RCA)",
                _ => "RCA",
            },
            r.params.threshold,
            count(r.m_sum)
        ));
        s.push(format!(
            "ECI/PCI: second eigenvalue of the product-product matrix {:.5} ({} Lanczos products); PCI standardised with ECI's mean and sd (ecomplexity 0.5.3)",
            r.eigenvalue, r.operator_products
        ));
        if let Some(n) = r.fitness_iterations {
            s.push(format!("fitness-complexity: {n} iterations"));
        }
        if r.params.rca == Rca::Continuous {
            s.push("proximity: (1 + correlation of RCA) / 2; density from RCA values (ecomplexity continuous=True)".into());
        }
        s.extend(r.notes.iter().map(|n| format!("note: {n}")));
        if let Some(p) = self.profile {
            let c = &p.country;
            let rank = self.c_order.iter().position(|&i| r.countries[i].id == c.id);
            s.push(format!(
                "{}: diversity {}, ECI {} (rank {} of {}), COI {}, exports {}",
                c.id,
                c.diversity,
                num(c.eci),
                rank.map_or(0, |k| k + 1),
                r.countries.len(),
                num(c.coi),
                human(c.exports)
            ));
        }
        s
    }

    fn tables(&self) -> Vec<Table> {
        match self.profile {
            Some(p) => profile_tables(p, self.top, self.nearest),
            None => vec![self.countries_table(), self.products_table()],
        }
    }

    fn json(&self) -> Result<Value> {
        let r = self.r;
        to_json(&Doc {
            graph: &self.graph,
            params: ParamsJson {
                threshold: r.params.threshold,
                method: r.params.method,
                rca: match r.params.rca {
                    Rca::Balassa => "balassa",
                    Rca::Continuous => "continuous",
                    Rca::Population(_) => "population",
                },
            },
            m_sum: r.m_sum,
            eigenvalue: r.eigenvalue,
            eci_raw_mean: r.eci_raw_mean,
            eci_raw_sd: r.eci_raw_sd,
            countries: self.country_rows(),
            products: self.product_rows(),
            notes: &r.notes,
            fitness_iterations: r.fitness_iterations,
            country: self.profile,
        })
    }

    /// The candidates of `--country`, else the countries (or `--products`).
    fn csv(&self) -> Result<Csv> {
        let rows = match self.profile {
            Some(p) => to_json(
                &p.candidates
                    .iter()
                    .map(|k| CandidateRow {
                        id: &k.id,
                        density: k.density,
                        cog: k.cog,
                        pci: k.pci,
                        rca: k.rca,
                        exporters: k
                            .exporters
                            .iter()
                            .map(|e| e.id.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    })
                    .collect::<Vec<_>>(),
            )?,
            None if self.products => to_json(&self.product_rows())?,
            None => to_json(&self.country_rows())?,
        };
        Ok(super::super::output::rows_csv(&rows))
    }
}

/// `--by-year`: one result per year, in year order.
pub(super) struct ByYear<'a> {
    /// The `graph` block of the whole file.
    pub(super) graph: Value,
    /// The summary's first lines (the input).
    pub(super) head: Vec<String>,
    pub(super) years: Vec<(u16, ComplexityReport<'a>)>,
    /// Years that could not be computed, and why.
    pub(super) skipped: Vec<(u16, String)>,
}

impl Report for ByYear<'_> {
    /// The input, then each year's summary lines prefixed with the year.
    fn summary(&self) -> Vec<String> {
        let mut s = self.head.clone();
        let list: Vec<String> = self.years.iter().map(|(y, _)| y.to_string()).collect();
        s.push(format!(
            "years: {} (each apart; years are never summed)",
            list.join(", ")
        ));
        for (y, why) in &self.skipped {
            s.push(format!("skipped: {y}: {why}"));
        }
        for (y, r) in &self.years {
            s.extend(r.summary().into_iter().map(|l| format!("{y}: {l}")));
        }
        s
    }

    /// Each year's tables, titles prefixed with the year.
    fn tables(&self) -> Vec<Table> {
        let mut out = Vec::new();
        for (y, r) in &self.years {
            for mut t in r.tables() {
                t.title = format!("{y}: {}", t.title);
                out.push(t);
            }
        }
        out
    }

    /// `{"graph", "by_year": [{"year", ...the one-year document without "graph"}]}`, and
    /// `"skipped_years": [{"year", "reason"}]` when some could not be computed.
    fn json(&self) -> Result<Value> {
        let mut years = Vec::new();
        for (y, r) in &self.years {
            let mut doc = serde_json::Map::new();
            doc.insert("year".into(), Value::from(*y));
            if let Value::Object(o) = r.json()? {
                doc.extend(o.into_iter().filter(|(k, _)| k != "graph"));
            }
            years.push(Value::Object(doc));
        }
        let mut doc = serde_json::Map::new();
        doc.insert("graph".into(), self.graph.clone());
        doc.insert("by_year".into(), Value::Array(years));
        if !self.skipped.is_empty() {
            let skipped = self
                .skipped
                .iter()
                .map(|(y, why)| serde_json::json!({"year": y, "reason": why}))
                .collect();
            doc.insert("skipped_years".into(), Value::Array(skipped));
        }
        Ok(Value::Object(doc))
    }

    /// Each year's rows (countries, `--products` or the candidates of `--country`) after a
    /// `year` column.
    fn csv(&self) -> Result<Csv> {
        let mut header = vec!["year".to_string()];
        let mut rows = Vec::new();
        for (y, r) in &self.years {
            let (h, body) = r.csv()?;
            // The header of the first year with rows (a year without rows has only `id`).
            if header.len() == 1 || (rows.is_empty() && !body.is_empty()) {
                header.truncate(1);
                header.extend(h);
            }
            rows.extend(body.into_iter().map(|row| {
                let mut v = vec![y.to_string()];
                v.extend(row);
                v
            }));
        }
        Ok((header, rows))
    }
}
