//! The country x product matrix of export values X (x_cp = exports of country c in product p),
//! from a trade graph or from a country-product table. Rows and columns sorted by id; a pair
//! that is not given is 0; countries and products whose total is 0 are left out.

use crate::error::{Error, Problem, Result};
use crate::io::CountryProductTable;
use crate::model::{GraphKind, TradeGraph};
use std::collections::HashMap;

/// The ids of `ix` sorted, and the rank of each id's number in that order.
fn sorted_ids<'a>(ix: &HashMap<&'a str, u32>) -> (Vec<&'a str>, Vec<u32>) {
    let mut ids: Vec<(&str, u32)> = ix.iter().map(|(k, v)| (*k, *v)).collect();
    ids.sort_unstable();
    let mut rank = vec![0u32; ids.len()];
    for (r, (_, n)) in ids.iter().enumerate() {
        rank[*n as usize] = r as u32;
    }
    (ids.into_iter().map(|(k, _)| k).collect(), rank)
}

/// A dense country x product matrix of export values.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryProduct {
    /// Country ids, sorted.
    pub countries: Vec<String>,
    /// Product ids (codes as text), sorted.
    pub products: Vec<String>,
    /// x_cp, row-major: `values[c * products.len() + p]`.
    pub values: Vec<f64>,
    /// What was left out or summed, for the output's notes.
    pub notes: Vec<String>,
}

impl CountryProduct {
    /// The matrix from (country, product, value) triples; values of one pair are summed.
    /// Fails when fewer than 2 countries or 2 products remain.
    pub fn from_triples<'a>(
        triples: impl IntoIterator<Item = (&'a str, &'a str, f64)>,
        notes: Vec<String>,
    ) -> Result<CountryProduct> {
        // Ids numbered in order of appearance (one hash look-up a triple), then sorted.
        let mut cix: HashMap<&str, u32> = HashMap::new();
        let mut pix: HashMap<&str, u32> = HashMap::new();
        let mut cells: Vec<(u32, u32, f64)> = Vec::new();
        for (c, p, v) in triples {
            if v > 0.0 {
                let n = cix.len() as u32;
                let ci = *cix.entry(c).or_insert(n);
                let n = pix.len() as u32;
                let pi = *pix.entry(p).or_insert(n);
                cells.push((ci, pi, v));
            }
        }
        let (countries, crank) = sorted_ids(&cix);
        let (products, prank) = sorted_ids(&pix);
        let (nc, np) = (countries.len(), products.len());
        if nc < 2 || np < 2 {
            return Err(Error::invalid(
                "<matrix>",
                Problem::new(
                    "",
                    format!("economic complexity needs at least 2 countries and 2 products with exports; found {nc} and {np}"),
                )
                .hint("give a table of several countries' exports by product, or a trade graph whose flows carry products (sectors)"),
            ));
        }
        crate::budget::check((nc as u64) * (np as u64) * 8 * 4, || {
            format!("the {nc} x {np} country-product matrices")
        })?;
        let mut values = vec![0.0; nc * np];
        // Several values of one pair are summed in the order given.
        for (c, p, v) in cells {
            values[crank[c as usize] as usize * np + prank[p as usize] as usize] += v;
        }
        Ok(CountryProduct {
            countries: countries.iter().map(|s| s.to_string()).collect(),
            products: products.iter().map(|s| s.to_string()).collect(),
            values,
            notes,
        })
    }

    /// The matrix of a country-product table (one year: choose it first with
    /// [`CountryProductTable::year`]; a table with several years is an error).
    pub fn from_table(t: &CountryProductTable) -> Result<CountryProduct> {
        let years = t.years();
        if years.len() > 1 {
            return Err(Error::Unsuited(format!(
                "the table has {} years ({} to {}); choose one: years are never summed",
                years.len(),
                years[0],
                years[years.len() - 1]
            )));
        }
        Self::from_triples(
            t.rows
                .iter()
                .map(|r| (r.country.as_str(), r.product.as_str(), r.value)),
            Vec::new(),
        )
    }

    /// The matrix of a trade graph: x_cp = the exports of country c in sector p, summed over
    /// importers (an input-output graph is seen as countries first: intermediate and final
    /// sales abroad by supplying sector). Aggregate exporters (rest of the world, pseudo-areas)
    /// are left out, with a note. One year: cut a multi-year graph first
    /// ([`TradeGraph::latest_year`]); a graph with several years is an error. Flows without a
    /// sector are an error: complexity needs products.
    pub fn from_graph(g: &TradeGraph) -> Result<CountryProduct> {
        let years = g.years();
        if years.len() > 1 {
            return Err(Error::Unsuited(format!(
                "the graph has {} years ({} to {}); choose one: years are never summed",
                years.len(),
                years[0],
                years[years.len() - 1]
            )));
        }
        let view;
        let g = if g.kind() == GraphKind::InputOutput {
            view = g.countries();
            &view
        } else {
            g
        };
        let mut notes = Vec::new();
        let mut no_sector = 0usize;
        let mut aggregate = 0.0;
        let mut triples: Vec<(&str, &str, f64)> = Vec::with_capacity(g.flow_count());
        for (a, _, f) in g.flows() {
            let Some(s) = g.flow_sector(a, f) else {
                no_sector += 1;
                continue;
            };
            let n = g.node(a);
            if n.is_aggregate() {
                aggregate += f.value;
                continue;
            }
            triples.push((n.country_id(), g.sector(s).id.as_str(), f.value));
        }
        if no_sector > 0 {
            return Err(Error::invalid(
                "<graph>",
                Problem::new(
                    "flows",
                    format!("{no_sector} flows carry no product (sector): economic complexity needs exports by product"),
                )
                .hint("give a graph whose flows have a sector (a product code), or a country,product,value table"),
            ));
        }
        if aggregate > 0.0 {
            let total = g.total_value();
            notes.push(format!(
                "exports of aggregate economies (rest of the world, pseudo-areas) left out: {:.1}% of the graph's trade",
                100.0 * aggregate / total
            ));
        }
        Self::from_triples(triples, notes)
    }

    /// Number of countries.
    pub fn n_countries(&self) -> usize {
        self.countries.len()
    }

    /// Number of products.
    pub fn n_products(&self) -> usize {
        self.products.len()
    }

    /// x_cp.
    pub fn get(&self, c: usize, p: usize) -> f64 {
        self.values[c * self.products.len() + p]
    }
}
