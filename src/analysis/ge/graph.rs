//! GE data from an input-output graph (country-sector nodes with gross output and final
//! demand): imports by sector from Z and final demand, value added as output minus inputs,
//! shares from the data, baseline tariffs zero unless the flows carry them.

use super::data::GeData;
use super::theta::{goods_theta, SERVICES_THETA};
use crate::error::{Error, Result};
use crate::model::{sector_kinds, FinalDemand, GraphKind, SectorKind, TradeGraph};
use crate::text::clip;
use std::collections::BTreeMap;

/// Where the trade elasticities come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThetaChoice {
    /// theta_j = sigma - 1 in every sector (Armington), when given.
    pub sigma: Option<f64>,
    /// Per-sector values (`sector`, theta), over the defaults or `sigma`.
    pub by_sector: Vec<(String, f64)>,
}

/// Build GE data from an input-output graph.
///
/// - M_nij (sector j) = intermediate deliveries of (i, j) to every node of n, plus (i, j)'s
///   final demand in n. A node whose final demand is one total (no destinations, as in the
///   bundled ICIO graphs) has it split over destination countries in proportion to its
///   intermediate sales to them (its own country when it sells no inputs); this is noted.
///   Negative final-demand entries (inventories) count in the totals, a negative cell is
///   set to 0 (noted).
/// - gamma_nj = (x - inputs) / x, gamma_nkj = inputs of k / x; a node without output buys
///   nothing (gamma = 1).
/// - alpha_nj = final demand absorbed in n of sector j goods, over its sum (negatives 0).
/// - wL_n = sum of value added; D_n = imports - exports.
/// - theta: [`ThetaChoice`], else CP2015's per goods sector and [`SERVICES_THETA`] for the
///   rest of a recognised classification ([`super::theta`]).
/// - A sector is tradable when the data has imports of it; goods are the sectors the
///   classification (or the file's `goods` flags) calls goods.
///
/// Errors ([`Error::Param`]): not an input-output graph, a node without a sector or output,
/// inputs above output, a final-demand destination that is not a country of the nodes, a
/// country without final demand or value added, a sector without theta.
pub fn from_graph(g: &TradeGraph, theta: &ThetaChoice) -> Result<GeData> {
    if g.kind() != GraphKind::InputOutput {
        return Err(Error::Unsuited(
            "general equilibrium needs an input-output graph (country-sector nodes with output and final demand); this is a trade graph".into(),
        ));
    }
    let countries: Vec<String> = g
        .nodes()
        .map(|x| x.country_id().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let cix: BTreeMap<&str, usize> = countries
        .iter()
        .enumerate()
        .map(|(k, c)| (c.as_str(), k))
        .collect();
    let sectors: Vec<String> = g.sectors().iter().map(|s| s.id.clone()).collect();
    let (n, j) = (countries.len(), sectors.len());
    if j == 0 {
        return Err(Error::Unsuited(
            "general equilibrium needs nodes with sectors (COUNTRY:SECTOR); this graph has none"
                .into(),
        ));
    }
    let mut node_ids = vec![String::new(); n * j];
    let mut place = vec![(0usize, 0usize); g.node_count()];
    let mut x = vec![0.0; n * j];
    for (k, node) in g.nodes().enumerate() {
        let Some(s) = node.sector else {
            return Err(Error::Unsuited(format!(
                "node '{}' has no sector: general equilibrium needs every node to be a country-sector",
                clip(&node.id)
            )));
        };
        let a = cix[node.country_id()];
        let out = node.output().ok_or_else(|| {
            Error::Unsuited(format!(
                "node '{}' has no output (gross output): value added = output - inputs needs it",
                clip(&node.id)
            ))
        })?;
        place[k] = (a, s.index());
        node_ids[a * j + s.index()] = node.id.to_string();
        x[a * j + s.index()] += out;
    }
    for (k, id) in node_ids.iter_mut().enumerate() {
        if id.is_empty() {
            *id = format!("{}:{}", countries[k / j], sectors[k % j]);
        }
    }
    let mut trade = vec![0.0; j * n * n];
    let mut taxed = vec![0.0; j * n * n];
    let mut inputs = vec![0.0; n * j * j]; // (n J + k) J + j: input k of user j in n
    let mut sales = vec![vec![0.0; n]; g.node_count()]; // intermediate sales by country
    let pair = |s: usize, a: usize, i: usize| (s * n + a) * n + i;
    for (from, to, f) in g.flows() {
        let (i, s) = place[from.index()];
        let (a, u) = place[to.index()];
        trade[pair(s, a, i)] += f.value;
        if let Some(t) = f.tariff() {
            taxed[pair(s, a, i)] += t * f.value;
        }
        inputs[(a * j + s) * j + u] += f.value;
        sales[from.index()][a] += f.value;
    }
    let mut notes = Vec::new();
    let mut split = 0usize;
    let mut fd_abs = vec![0.0; n * j];
    for (k, node) in g.nodes().enumerate() {
        let (i, s) = place[k];
        match node.final_demand() {
            Some(FinalDemand::ByDestination(list)) => {
                for (dest, v) in list {
                    let a = *cix.get(dest.as_str()).ok_or_else(|| {
                        Error::Unsuited(format!(
                            "node '{}' has final demand in '{}', which has no nodes: general equilibrium needs every buyer to be a country of the model",
                            clip(&node.id),
                            clip(dest)
                        ))
                    })?;
                    trade[pair(s, a, i)] += v;
                    fd_abs[a * j + s] += v;
                }
            }
            Some(FinalDemand::Total(v)) if *v != 0.0 => {
                split += 1;
                let total: f64 = sales[k].iter().sum();
                for a in 0..n {
                    let share = if total > 0.0 {
                        sales[k][a] / total
                    } else {
                        (a == i) as u8 as f64
                    };
                    trade[pair(s, a, i)] += v * share;
                    fd_abs[a * j + s] += v * share;
                }
            }
            _ => {}
        }
    }
    if split > 0 {
        notes.push(format!(
            "{split} nodes give final demand as one total without destinations; it was split over destination countries in proportion to each node's intermediate sales to them (its own country when it sells no inputs)"
        ));
    }
    let negative = trade.iter().filter(|&&v| v < 0.0).count();
    if negative > 0 {
        notes.push(format!(
            "{negative} bilateral cells were negative (negative final demand: inventories) and were set to 0"
        ));
        for v in &mut trade {
            *v = v.max(0.0);
        }
    }
    let tariff: Vec<f64> = taxed
        .iter()
        .zip(&trade)
        .map(|(t, m)| if *m > 0.0 { t / m } else { 0.0 })
        .collect();
    // Shares.
    let mut va_share = vec![1.0; n * j];
    let mut io_share = vec![0.0; n * j * j];
    let mut value_added = vec![0.0; n];
    for a in 0..n {
        for u in 0..j {
            let out = x[a * j + u];
            let bought: f64 = (0..j).map(|k| inputs[(a * j + k) * j + u]).sum();
            if out <= 0.0 {
                continue;
            }
            if bought > out * (1.0 + 1e-9) {
                return Err(Error::Unsuited(format!(
                    "node '{}' buys inputs of {bought} but its output is {out}: value added would be negative",
                    clip(&node_ids[a * j + u])
                )));
            }
            let va = (out - bought).max(0.0);
            va_share[a * j + u] = va / out;
            for k in 0..j {
                io_share[(a * j + k) * j + u] = inputs[(a * j + k) * j + u] / out;
            }
            value_added[a] += va;
        }
    }
    let mut alpha = vec![0.0; n * j];
    for a in 0..n {
        let row: Vec<f64> = fd_abs[a * j..(a + 1) * j]
            .iter()
            .map(|v| v.max(0.0))
            .collect();
        let sum: f64 = row.iter().sum();
        if sum <= 0.0 {
            return Err(Error::Unsuited(format!(
                "country '{}' absorbs no final demand: its final-demand shares are undefined",
                clip(&countries[a])
            )));
        }
        for s in 0..j {
            alpha[a * j + s] = row[s] / sum;
        }
    }
    let mut deficit = vec![0.0; n];
    for s in 0..j {
        for a in 0..n {
            for i in 0..n {
                if i != a {
                    let m = trade[pair(s, a, i)];
                    deficit[a] += m;
                    deficit[i] -= m;
                }
            }
        }
    }
    let tradable: Vec<bool> = (0..j)
        .map(|s| (0..n).any(|a| (0..n).any(|i| i != a && trade[pair(s, a, i)] > 0.0)))
        .collect();
    let kinds = sector_kinds(g.sectors());
    let goods: Vec<bool> = kinds
        .kinds
        .iter()
        .map(|k| *k == Some(SectorKind::Goods))
        .collect();
    let theta = thetas(&sectors, &kinds.kinds, theta)?;
    let meta = &g.meta;
    Ok(GeData {
        countries,
        aliases: vec![Vec::new(); n],
        sectors,
        tradable,
        goods,
        theta,
        trade,
        tariff,
        va_share,
        io_share,
        alpha,
        value_added,
        deficit,
        node_ids,
        unit: meta.unit.clone().unwrap_or_default(),
        source: meta
            .name
            .clone()
            .unwrap_or_else(|| "input-output graph".into()),
        notes,
    })
}

fn thetas(
    sectors: &[String],
    kinds: &[Option<SectorKind>],
    choice: &ThetaChoice,
) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(sectors.len());
    let mut missing = Vec::new();
    for (s, code) in sectors.iter().enumerate() {
        let t = match choice.sigma {
            Some(sig) => Some(sig - 1.0),
            None => goods_theta(code).or(match kinds[s] {
                Some(SectorKind::Services) => Some(SERVICES_THETA),
                _ => None,
            }),
        };
        match t {
            Some(t) => out.push(t),
            None => {
                missing.push(code.as_str());
                out.push(f64::NAN);
            }
        }
    }
    for (code, t) in &choice.by_sector {
        let s = sectors
            .iter()
            .position(|c| c == code)
            .ok_or_else(|| Error::Unknown {
                what: "sector",
                id: code.clone(),
                suggestion: crate::error::closest(code, sectors.iter().map(String::as_str)),
            })?;
        out[s] = *t;
        missing.retain(|m| m != code);
    }
    if !missing.is_empty() {
        return Err(Error::param(
            "theta",
            clip(&missing.join(", ")),
            "no trade elasticity for these sectors: the default table covers WIOD and OECD ICIO codes; give theirs (a `sector,theta` table), or one sigma for every sector",
        ));
    }
    Ok(out)
}
