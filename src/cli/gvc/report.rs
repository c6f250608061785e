//! The output of `tradenet gvc` in each format: the terms of each exporter, trade in value
//! added, the Leontief indicators by node and upstreamness.

use crate::cli::output::{human, pct, to_json, Csv, Report, Table};
use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use tradenet::analysis::gvc::{Terms, ValueAdded, ValueAddedParams};

fn csv_of(rows: &[(String, Option<String>, &Terms)]) -> (Vec<String>, Vec<Vec<String>>) {
    let Some((_, sector, first)) = rows.first() else {
        return (vec!["id".into()], Vec::new());
    };
    let mut header = vec!["id".to_string()];
    if sector.is_some() {
        header.push("sector".into());
    }
    header.extend(first.0.iter().map(|(k, _)| k.to_string()));
    let body = rows
        .iter()
        .map(|(id, s, t)| {
            let mut r = vec![id.clone()];
            if let Some(s) = s {
                r.push(s.clone());
            }
            r.extend(t.0.iter().map(|(_, v)| v.to_string()));
            r
        })
        .collect();
    (header, body)
}

/// The `gvc` output in each format.
pub(super) struct GvcReport<'a> {
    pub(super) graph: Value,
    pub(super) label: String,
    pub(super) categories: Option<String>,
    pub(super) p: &'a ValueAddedParams,
    pub(super) out: &'a ValueAdded,
    pub(super) top: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a Value,
    #[serde(flatten)]
    out: &'a ValueAdded,
}

impl Report for GvcReport<'_> {
    fn summary(&self) -> Vec<String> {
        let out = self.out;
        let mut s = vec![format!("graph: {}", self.label)];
        match (out.system, &out.exporters) {
            (Some((nodes, countries)), Some(ex)) => {
                s.push(format!(
                    "system: {nodes} nodes, {countries} countries; method {}; B = (I - A)^-1 inverted once",
                    out.method.as_str()
                ));
                s.extend(out.notes.iter().flatten().map(|n| format!("note: {n}")));
                if let (Some(c), Some(e)) = (&self.p.gvc.exporter, ex.first()) {
                    if let Some(r) = out.vax_ratio(c) {
                        let exgr = e.terms.get("EXGR").unwrap_or(0.0);
                        s.push(format!(
                            "{c}: gross exports {}, value added absorbed abroad {} (VAX ratio {})",
                            human(exgr),
                            human(r * exgr),
                            pct(r)
                        ));
                    }
                }
            }
            _ => s.push("note: value-added decomposition not computed: final demand in this graph has no destination (one total per node), and exports, value added absorbed abroad and every decomposition need it by destination; upstreamness and downstreamness do not".into()),
        }
        if let Some(done) = out.inventory_correction {
            s.push(if done {
                format!("upstreamness: net-inventory correction made from {}", self.categories.as_deref().unwrap_or(""))
            } else {
                "upstreamness: no inventory correction was made (no final-demand categories; give --categories FILE)".into()
            });
        }
        s
    }

    fn tables(&self) -> Vec<Table> {
        let (out, top) = (self.out, self.top);
        let mut t = Vec::new();
        if let Some(ex) = &out.exporters {
            match (&self.p.gvc.exporter, ex.first()) {
                (Some(c), Some(e)) => t.extend(self.exporter_tables(c, e)),
                _ => t.push(self.exporters_table(ex)),
            }
        }
        if let (Some(_), Some(nodes)) = (&self.p.gvc.exporter, &out.leontief_nodes) {
            t.push(Table {
                title: "By node: i2e = foreign value added in its exports, e2r = its value added in other countries' exports, nrca = new revealed comparative advantage".into(),
                header: ["node", "exports", "i2e", "e2r", "nrca"].map(String::from).to_vec(),
                rows: nodes
                    .iter()
                    .take(top)
                    .map(|n| vec![n.id.clone(), human(n.exports), human(n.i2e), human(n.e2r), n.nrca.map_or("-".into(), |v| format!("{v:.3}"))])
                    .collect(),
                right: vec![1, 2, 3, 4],
            });
        }
        if let Some(tiva) = &out.tiva {
            t.push(self.tiva_table(tiva));
        }
        if let Some(nodes) = &out.nodes {
            let mut nodes: Vec<_> = nodes.iter().collect();
            let k =
                |p: &tradenet::analysis::gvc::Position| p.upstreamness.unwrap_or(f64::NEG_INFINITY);
            nodes.sort_by(|x, y| k(y).total_cmp(&k(x)).then_with(|| x.id.cmp(&y.id)));
            t.push(Table {
                title: format!("Upstreamness (stages from final use) and downstreamness (stages from primary inputs), {} of {} nodes, most upstream first", nodes.len().min(top), nodes.len()),
                header: ["node", "upstreamness", "downstreamness"].map(String::from).to_vec(),
                rows: nodes
                    .iter()
                    .take(top)
                    .map(|p| {
                        let f = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.3}"));
                        vec![p.id.clone(), f(p.upstreamness), f(p.downstreamness)]
                    })
                    .collect(),
                right: vec![1, 2],
            });
        }
        t
    }

    fn json(&self) -> Result<Value> {
        to_json(&Doc {
            graph: &self.graph,
            out: self.out,
        })
    }

    /// Upstreamness, else the exporter's terms by partner, else every exporter's terms.
    fn csv(&self) -> Result<Csv> {
        let out = self.out;
        if let Some(nodes) = &out.nodes {
            let f = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
            return Ok((
                vec!["id".into(), "upstreamness".into(), "downstreamness".into()],
                nodes
                    .iter()
                    .map(|p| vec![p.id.clone(), f(p.upstreamness), f(p.downstreamness)])
                    .collect(),
            ));
        }
        let Some(ex) = &out.exporters else {
            return Ok((vec!["id".to_string()], Vec::new()));
        };
        let rows: Vec<(String, Option<String>, &Terms)> = match (&self.p.gvc.exporter, ex.first()) {
            (Some(_), Some(e)) => e
                .by_partner
                .iter()
                .map(|p| (p.id.clone(), None, &p.terms))
                .collect(),
            _ => ex.iter().map(|e| (e.id.clone(), None, &e.terms)).collect(),
        };
        Ok(csv_of(&rows))
    }
}
