//! Multi-regional input-output tables as the databases publish them (OECD ICIO, EXIOBASE 3,
//! Eora26, WIOD 2013, GLORIA, FIGARO), read into one
//! common model, [`MrioTable`], and turned into an input-output [`TradeGraph`] by one
//! function, [`MrioTable::into_graph`].
//!
//! The graph follows pymrio (`IndEcol/pymrio`, `tools/ioparser.py`), the reference reader of
//! these files:
//! - nodes are `CCC:SECTOR` with `country` and `sector`;
//! - flows are the intermediate deliveries Z[i, j] from row node i to column node j; zero cells
//!   are not flows;
//! - `output` is x = row sum of Z + row sum of Y, as pymrio computes it: an output row or
//!   column of the file is never used as x, only compared with it (a mismatch is reported in
//!   `meta.extra["checks"]`);
//! - `final_demand` is by destination country, summed over the categories; by category it is
//!   kept in the node's `attrs["final_demand_by_category"]` (`{"USA": {"HFCE": ..}}`);
//! - `value_added` is the total of the value-added rows (TLS, VA, ...) under the node's column,
//!   by component in `attrs["value_added_by_component"]`;
//! - values are kept as published, in the file's unit (`meta.unit`), never rescaled.
//!
//! Negative intermediate cells: pymrio keeps them in Z. A flow cannot be negative
//! (FORMAT.md §1), so such a cell is not made a flow; it still counts in its row's output x,
//! as in pymrio, and the graph says how many there were and their sum in
//! `meta.extra["dropped"]`.

pub mod eora;
pub mod exiobase;
pub mod figaro;
mod files;
pub mod gloria;
mod grid;
pub mod oecd;
pub mod wiod;
mod xlsx;
mod zip;

pub(crate) use self::files::{zip_names, Files};
pub(crate) use self::zip::{is_zip, unzip_single};

use crate::error::{Problem, Result};
use crate::model::{
    FinalDemand, Flow, GraphBuilder, IdIndex, Link, Meta, NodeExtra, Place, TradeGraph,
};
use rayon::prelude::*;
use serde_json::{json, Map, Value};

/// Where a final-demand column delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum Destination {
    /// A region of the table (`USA`).
    Region(String),
    /// No destination given (the OECD's statistical discrepancy `DISC`): counted as final
    /// demand of the producer's own country, so that it is neither an export nor lost from
    /// output.
    Unassigned,
}

/// A table as read, before it becomes a graph. Nodes are (region, sector) pairs; the matrices
/// are dense, row-major.
#[derive(Debug, Clone, Default)]
pub struct MrioTable {
    /// The layout recognised (`OECD ICIO 2016`).
    pub layout: String,
    /// Regions in file order (after merges).
    pub regions: Vec<String>,
    /// Sectors in file order.
    pub sectors: Vec<String>,
    /// The country of each region when it is not the region itself (a split block kept as
    /// nodes of its own: `MX1` -> `MEX`); empty or `None`: the region.
    pub region_country: Vec<Option<String>>,
    /// The nodes, as (region, sector) indices, in file order.
    pub nodes: Vec<(u32, u32)>,
    /// Intermediate flows, `nodes.len()` x `nodes.len()`, row-major: `z[i * n + j]` from node
    /// i to node j.
    pub z: Vec<f64>,
    /// Final-demand columns: destination and category.
    pub fd_columns: Vec<(Destination, String)>,
    /// Final demand, `nodes.len()` x `fd_columns.len()`, row-major.
    pub y: Vec<f64>,
    /// Value-added components (factor-input rows): `TLS`, `VA`, `VALU`, `AUS_TAXSUB`.
    pub va_rows: Vec<String>,
    /// Value added, `va_rows.len()` x `nodes.len()`, row-major: component k of node j's column.
    pub va: Vec<f64>,
    /// Value-added rows under the final-demand columns, by component (pymrio's `F_Y`: taxes
    /// less subsidies on final products): not value added of any industry, kept as totals.
    pub va_on_final_demand: Vec<(String, f64)>,
    /// The file's own gross output of each node (an output column), for the check.
    pub output_column: Option<Vec<f64>>,
    /// The file's own column totals of each node (an output row: Z + value added), for the check.
    pub output_row: Option<Vec<f64>>,
    /// Where the table comes from (`OECD Inter-Country Input-Output Tables`).
    pub source: Option<String>,
    /// Unit of the values as the file states it (`million USD`).
    pub unit: Option<String>,
    /// Year of the data.
    pub year: Option<i64>,
    /// What was merged (`CN1, CN2 added into CHN ...`).
    pub merged: Vec<String>,
    /// What was dropped or not made part of the graph.
    pub dropped: Vec<String>,
    /// Other remarks on the reading.
    pub notes: Vec<String>,
    /// True for a layout pymrio has no reader of (FIGARO): the notes say x is computed as
    /// pymrio computes it, not that the file is read as pymrio reads it.
    pub not_in_pymrio: bool,
}

/// Relative tolerance of the output checks (the published totals are rounded).
const CHECK_TOL: f64 = 1e-6;

impl MrioTable {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// `CCC:SECTOR` of node `i`.
    pub fn node_id(&self, i: usize) -> String {
        let (r, s) = self.nodes[i];
        format!("{}:{}", self.regions[r as usize], self.sectors[s as usize])
    }

    /// Append nodes for `keys` (region, sector), in order, adding regions and sectors in
    /// first-seen order. Returns the position in `keys` of the first pair given twice (the
    /// caller names its column), else `None`.
    pub(crate) fn push_nodes<'a>(
        &mut self,
        keys: impl IntoIterator<Item = &'a (String, String)>,
    ) -> Option<usize> {
        let index = |list: &[String]| -> crate::model::FastMap<String, u32> {
            list.iter()
                .enumerate()
                .map(|(k, v)| (v.clone(), k as u32))
                .collect()
        };
        let (mut region_ix, mut sector_ix) = (index(&self.regions), index(&self.sectors));
        let mut seen: crate::model::FastMap<(u32, u32), ()> =
            self.nodes.iter().map(|&p| (p, ())).collect();
        for (j, (r, s)) in keys.into_iter().enumerate() {
            let ri = *region_ix.entry(r.clone()).or_insert_with(|| {
                self.regions.push(r.clone());
                self.regions.len() as u32 - 1
            });
            let si = *sector_ix.entry(s.clone()).or_insert_with(|| {
                self.sectors.push(s.clone());
                self.sectors.len() as u32 - 1
            });
            if seen.insert((ri, si), ()).is_some() {
                return Some(j);
            }
            self.nodes.push((ri, si));
        }
        None
    }

    /// Gross output x = row sum of Z + row sum of Y, as pymrio computes it.
    pub fn output(&self) -> Vec<f64> {
        let n = self.nodes.len();
        let m = self.fd_columns.len();
        (0..n)
            .map(|i| {
                let z: f64 = self.z[i * n..(i + 1) * n].iter().sum();
                let y: f64 = self.y[i * m..(i + 1) * m].iter().sum();
                z + y
            })
            .collect()
    }

    /// Sum of Z, of Y and of x (pymrio's `Z.sum().sum()`, ...).
    pub fn totals(&self) -> (f64, f64, f64) {
        let z: f64 = self.z.iter().sum();
        let y: f64 = self.y.iter().sum();
        (z, y, self.output().iter().sum())
    }

    /// Compare the file's own output row and column with x and with the column sums; the
    /// findings, one line each.
    fn checks(&self, x: &[f64]) -> Vec<String> {
        let n = self.nodes.len();
        let mut out = Vec::new();
        let differs = |a: f64, b: f64| (a - b).abs() > CHECK_TOL * a.abs().max(b.abs()).max(1.0);
        let report = |what: &str, bad: Vec<(usize, f64, f64)>, basis: &str| {
            if bad.is_empty() {
                format!(
                    "{what} equals {basis} for all {n} nodes (relative tolerance {CHECK_TOL:e})"
                )
            } else {
                let (i, a, b) = bad
                    .iter()
                    .copied()
                    .max_by(|p, q| (p.1 - p.2).abs().total_cmp(&(q.1 - q.2).abs()))
                    .expect("non-empty");
                format!(
                    "MISMATCH: {what} differs from {basis} for {} of {n} nodes (largest: {} has {} in the file, {} computed); output is taken from Z and Y, as pymrio does",
                    bad.len(),
                    self.node_id(i),
                    b,
                    a
                )
            }
        };
        if let Some(col) = &self.output_column {
            let bad: Vec<_> = (0..n)
                .filter(|&i| differs(x[i], col[i]))
                .map(|i| (i, x[i], col[i]))
                .collect();
            out.push(report("the output column", bad, "the row sums of Z and Y"));
        }
        if let Some(row) = &self.output_row {
            let mut sums = vec![0.0; n];
            for i in 0..n {
                for (s, v) in sums.iter_mut().zip(&self.z[i * n..(i + 1) * n]) {
                    *s += v;
                }
            }
            for c in 0..self.va_rows.len() {
                for (s, v) in sums.iter_mut().zip(&self.va[c * n..(c + 1) * n]) {
                    *s += v;
                }
            }
            let bad: Vec<_> = (0..n)
                .filter(|&j| differs(sums[j], row[j]))
                .map(|j| (j, sums[j], row[j]))
                .collect();
            out.push(report(
                "the output row",
                bad,
                "the column sums of Z and value added",
            ));
        }
        out
    }

    /// The input-output graph of the table (see the module documentation for the rules);
    /// `file` names the input in messages.
    pub fn into_graph(mut self, file: &str) -> Result<TradeGraph> {
        let n = self.nodes.len();
        if n == 0 {
            return Err(crate::Error::invalid(
                file,
                Problem::new("", "the table has no industry rows and columns"),
            ));
        }
        let x = self.output();
        let checks = self.checks(&x);
        let mut b = GraphBuilder::new();
        b.set_input_bytes(((self.z.len() + self.y.len() + self.va.len()) * 8) as u64);
        b.declare_sectors();
        for s in &self.sectors {
            b.add_sector(s, None, Place::Code);
        }
        let dests = self.destinations();
        let ids: Vec<String> = (0..n).map(|i| self.node_id(i)).collect();
        for (i, id) in ids.iter().enumerate() {
            let (r, s) = self.nodes[i];
            let own = &self.regions[r as usize];
            let extra = self.node_extra(i, own, x[i], &dests);
            let place = format!("node {id}");
            let country = self
                .region_country
                .get(r as usize)
                .and_then(Option::as_deref)
                .unwrap_or(own);
            b.add_node(
                id,
                Some(country),
                Some(&self.sectors[s as usize]),
                Some(extra),
                Place::Named(&place),
            );
        }
        // Flows by node index: the nodes were declared in this order. Blocks of rows become
        // runs in parallel, in row order; each run is freed as the graph takes it in.
        let nonzero = self.z.par_iter().filter(|&&v| v > 0.0).count();
        crate::budget::check(
            crate::budget::graph_bytes(0, nonzero as u64, n as u64),
            || format!("the graph of {file} ({nonzero} flows)"),
        )?;
        let runs: Vec<Block> = self
            .z
            .par_chunks(n * RUN_ROWS)
            .enumerate()
            .map(|(c, rows)| flows_of_rows(rows, n, c * RUN_ROWS))
            .collect();
        // The matrices are no longer needed: free them before the graph is assembled.
        self.z = Vec::new();
        self.y = Vec::new();
        self.va = Vec::new();
        let negatives: Vec<(usize, usize, f64)> = runs
            .iter()
            .flat_map(|r| r.negative.iter().copied())
            .collect();
        if let Some(&(i, j, v)) = negatives.first() {
            let sum: f64 = negatives.iter().map(|c| c.2).sum();
            self.dropped.push(format!(
                "{} negative intermediate cells (sum {sum}; first {} -> {}: {v}) are not flows (a flow is >= 0); they count in output x, as in pymrio",
                negatives.len(),
                ids[i],
                ids[j]
            ));
        }
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        for r in runs {
            b.add_run(
                &names,
                IdIndex::default(),
                &[],
                r.flows,
                (r.self_loops, Vec::new()),
            );
        }
        b.set_meta(self.meta(checks));
        b.build(file)
    }

    /// The distinct destination regions of the final-demand columns, in column order, and
    /// each column's index among them (`None`: unassigned).
    fn destinations(&self) -> (Vec<&str>, Vec<Option<usize>>) {
        let mut names: Vec<&str> = Vec::new();
        let of = self
            .fd_columns
            .iter()
            .map(|(d, _)| match d {
                Destination::Region(r) => Some(match names.iter().position(|x| x == r) {
                    Some(k) => k,
                    None => {
                        names.push(r);
                        names.len() - 1
                    }
                }),
                Destination::Unassigned => None,
            })
            .collect();
        (names, of)
    }

    fn node_extra(
        &self,
        i: usize,
        own: &str,
        x: f64,
        dests: &(Vec<&str>, Vec<Option<usize>>),
    ) -> NodeExtra {
        let n = self.nodes.len();
        let m = self.fd_columns.len();
        let (names, of) = dests;
        let row = &self.y[i * m..(i + 1) * m];
        let own_k = names.iter().position(|d| *d == own);
        let mut sums = vec![0.0; names.len() + 1];
        let mut by_cat: Map<String, Value> = Map::new();
        for (c, (dest, cat)) in self.fd_columns.iter().enumerate() {
            let v = row[c];
            sums[of[c].or(own_k).unwrap_or(names.len())] += v;
            if v != 0.0 {
                let key = match dest {
                    Destination::Region(r) => r.as_str(),
                    Destination::Unassigned => "unassigned",
                };
                let e = by_cat
                    .entry(key.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(o) = e {
                    o.insert(cat.clone(), json!(v));
                }
            }
        }
        let mut by_dest: Vec<(String, f64)> = names
            .iter()
            .zip(&sums)
            .map(|(d, v)| (d.to_string(), *v))
            .collect();
        if own_k.is_none() {
            by_dest.push((own.to_string(), sums[names.len()]));
        }
        by_dest.retain(|(_, v)| *v != 0.0);
        let mut attrs = Map::new();
        attrs.insert("final_demand_by_category".into(), Value::Object(by_cat));
        let value_added = (!self.va_rows.is_empty()).then(|| {
            let mut comp = Map::new();
            let mut total = 0.0;
            for (c, name) in self.va_rows.iter().enumerate() {
                let v = self.va[c * n + i];
                total += v;
                if v != 0.0 {
                    comp.insert(name.clone(), json!(v));
                }
            }
            attrs.insert("value_added_by_component".into(), Value::Object(comp));
            total + 0.0
        });
        NodeExtra {
            output: Some(x + 0.0),
            value_added,
            final_demand: Some(FinalDemand::ByDestination(by_dest)),
            attrs: Some(attrs),
            ..Default::default()
        }
    }

    fn meta(&self, checks: Vec<String>) -> Meta {
        let list = |v: &[String]| Value::Array(v.iter().map(|s| json!(s)).collect());
        let mut extra = Map::new();
        extra.insert("layout".into(), json!(self.layout));
        extra.insert("merged".into(), list(&self.merged));
        extra.insert("dropped".into(), list(&self.dropped));
        extra.insert("checks".into(), list(&checks));
        let categories: Vec<&str> = {
            let mut c: Vec<&str> = Vec::new();
            for (_, cat) in &self.fd_columns {
                if !c.contains(&cat.as_str()) {
                    c.push(cat);
                }
            }
            c
        };
        extra.insert("final_demand_categories".into(), json!(categories));
        extra.insert("value_added_components".into(), json!(self.va_rows));
        if !self.va_on_final_demand.is_empty() {
            let m: Map<String, Value> = self
                .va_on_final_demand
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            extra.insert("value_added_on_final_demand".into(), Value::Object(m));
        }
        let mut notes = vec![if self.not_in_pymrio {
            format!(
                "{} read: output = row sums of Z and final demand, as pymrio computes it (pymrio has no reader of this layout)",
                self.layout
            )
        } else {
            format!(
                "{} read as pymrio reads it: output = row sums of Z and final demand",
                self.layout
            )
        }];
        notes.extend(self.notes.iter().cloned());
        Meta {
            name: Some(match self.year {
                Some(y) => format!("{} {y}", self.layout),
                None => self.layout.clone(),
            }),
            year: self.year,
            unit: self.unit.clone(),
            source: self.source.clone(),
            notes: Some(notes.join("; ")),
            extra,
        }
    }
}

/// The year of a table from its file name: the last group of four digits from 1900 to 2099
/// (`ICIO2016_2003.csv` -> 2003, `2020_SML.csv` -> 2020).
pub fn year_from_name(name: &str) -> Option<i64> {
    let stem = std::path::Path::new(name).file_name()?.to_str()?;
    let b = stem.as_bytes();
    let mut best = None;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: i64 = stem[start..i].parse().ok()?;
                if (1900..2100).contains(&y) {
                    best = Some(y);
                }
            }
        } else {
            i += 1;
        }
    }
    best
}

/// Rows of the intermediate matrix made into one run of flows at a time.
const RUN_ROWS: usize = 64;

/// The flows of a block of rows of Z, with its self-flows and its negative cells.
struct Block {
    flows: Vec<Link>,
    self_loops: usize,
    negative: Vec<(usize, usize, f64)>,
}

/// The positive cells of `rows` (whole rows of an `n`-column matrix, the first being row
/// `first`) as flows, row by row.
fn flows_of_rows(rows: &[f64], n: usize, first: usize) -> Block {
    let mut b = Block {
        flows: Vec::with_capacity(rows.iter().filter(|&&v| v > 0.0).count()),
        self_loops: 0,
        negative: Vec::new(),
    };
    for (k, row) in rows.chunks_exact(n).enumerate() {
        let i = first + k;
        for (j, &v) in row.iter().enumerate() {
            if v > 0.0 {
                b.flows.push(Link {
                    from: i as u32,
                    to: j as u32,
                    flow: Flow::new(v),
                });
                b.self_loops += usize::from(i == j);
            } else if v < 0.0 {
                b.negative.push((i, j, v));
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> MrioTable {
        // Two regions x one sector; one final-demand category per region and an unassigned one.
        MrioTable {
            layout: "test".into(),
            regions: vec!["AAA".into(), "BBB".into()],
            sectors: vec!["s".into()],
            nodes: vec![(0, 0), (1, 0)],
            z: vec![1.0, 2.0, -0.5, 0.0],
            fd_columns: vec![
                (Destination::Region("AAA".into()), "HFCE".into()),
                (Destination::Region("BBB".into()), "HFCE".into()),
                (Destination::Unassigned, "DISC".into()),
            ],
            y: vec![10.0, 5.0, 1.0, 0.0, 20.0, -2.0],
            va_rows: vec!["TLS".into(), "VA".into()],
            va: vec![0.5, 0.25, 7.0, 9.0],
            output_column: Some(vec![19.0, 0.0]),
            unit: Some("million USD".into()),
            year: Some(2020),
            ..Default::default()
        }
    }

    #[test]
    fn output_is_row_sums_and_the_check_reports_a_mismatch() {
        let t = table();
        assert_eq!(t.output(), vec![19.0, 17.5]);
        assert_eq!(t.totals(), (2.5, 34.0, 36.5));
        let c = t.checks(&t.output());
        assert!(
            c[0].starts_with("MISMATCH: the output column differs"),
            "{c:?}"
        );
        assert!(
            c[0].contains("BBB:s has 0 in the file, 17.5 computed"),
            "{c:?}"
        );
    }

    #[test]
    fn graph_keeps_categories_components_and_skips_negative_cells() {
        let g = table().into_graph("t").unwrap();
        assert_eq!(g.node_count(), 2);
        assert_eq!(g.flow_count(), 2);
        let a = g.node(g.node_index("AAA:s").unwrap());
        let x = a.extra.as_deref().unwrap();
        assert_eq!(x.output, Some(19.0));
        assert_eq!(x.value_added, Some(7.5));
        // DISC counts as the producer's own country's final demand.
        assert_eq!(
            x.final_demand,
            Some(FinalDemand::ByDestination(vec![
                ("AAA".into(), 11.0),
                ("BBB".into(), 5.0)
            ]))
        );
        let attrs = x.attrs.as_ref().unwrap();
        assert_eq!(attrs["final_demand_by_category"]["unassigned"]["DISC"], 1.0);
        assert_eq!(attrs["value_added_by_component"]["VA"], 7.0);
        let dropped = g.meta.extra["dropped"][0].as_str().unwrap();
        assert!(
            dropped.starts_with("1 negative intermediate cells (sum -0.5; first BBB:s -> AAA:s"),
            "{dropped}"
        );
        assert_eq!(g.meta.unit.as_deref(), Some("million USD"));
    }

    #[test]
    fn year_from_file_names() {
        assert_eq!(year_from_name("x/ICIO2016_2003.csv"), Some(2003));
        assert_eq!(year_from_name("2020_SML.csv"), Some(2020));
        assert_eq!(year_from_name("ICIO2018_2010.CSV"), Some(2010));
        assert_eq!(year_from_name("table.csv"), None);
    }
}
