//! The direct effect of a tariff: partial equilibrium after WITS-SMART (Laird and Yeats 1986),
//! exactly as MODELS.md §4.
//!
//! Symbols (one importer m, one product s): `m_e` = M_e, m's imports of s from the exporter e
//! whose tariff moves from `t0` to `t1`; `m_k` = M_k, imports from each other supplier k;
//! `m_big_k` = M_K = sum of M_k; `eps` = eps_m (import-demand elasticity, < 0); `sigma` = the
//! substitution elasticity; `d` = (1 + t1)/(1 + t0) - 1, the relative change of e's price.

use super::scenario::{Elasticities, Tariff};
use crate::error::{Error, Result};
use crate::model::{FinalDemand, GraphKind, NodeIx, SectorId, TradeGraph};

/// The SMART effects for one importer, product and taxed supplier ([`smart`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Smart {
    /// TC: the change of total imports from the exporter, eps * M_e * (t1 - t0) / (1 + t0),
    /// after the cap (negative when the tariff rises).
    pub trade_creation: f64,
    /// TD: value diverted from the exporter to the other suppliers, after the cap
    /// (negative: diverted to the exporter, when its tariff falls).
    pub trade_diversion: f64,
    /// What each other supplier k gains: TD * M_k / M_K, in the order given.
    pub gains: Vec<f64>,
    /// TC before the cap.
    pub uncapped_creation: f64,
    /// TD before the cap.
    pub uncapped_diversion: f64,
    /// TC was capped: the exporter cannot lose more than M_e.
    pub creation_capped: bool,
    /// TD was capped: diversion never exceeds the trade that exists (what is left of M_e after
    /// TC; or M_K when the diversion goes the other way).
    pub diversion_capped: bool,
    /// Change of the exporter's sales to the importer: TC - TD.
    pub exporter_delta: f64,
    /// Change of tariff revenue on the exporter's goods: t1 * (M_e + TC - TD) - t0 * M_e.
    pub revenue_change: f64,
    /// The welfare triangle 0.5 * (t1 - t0) * TC (negative when a tariff rises).
    pub welfare: f64,
}

/// WITS-SMART partial-equilibrium effects of moving the tariff on one supplier from `t0` to
/// `t1` (MODELS.md §4):
///
/// - TC = eps * M_e * (t1 - t0) / (1 + t0), at most -M_e when imports fall;
/// - d = (1 + t1)/(1 + t0) - 1, TD = M_e * M_K * sigma * d / (M_e + M_K + M_e * sigma * d),
///   at most M_e + TC (what is left of the exporter's sales) and, when the tariff falls,
///   at least -M_K; each other supplier k gains TD * M_k / M_K;
/// - tariff revenue change t1 * (M_e + TC - TD) - t0 * M_e, welfare 0.5 * (t1 - t0) * TC.
///
/// `m_e` = M_e, `others` = M_k of each other supplier (their sum is M_K), `eps` = eps_m (< 0,
/// default -1.0 in [`Elasticities`]), `sigma` (default 1.5). Nothing is validated here: see
/// [`tariff_effects`]. Complexity O(number of suppliers).
///
/// ```
/// use tradenet::analysis::smart;
/// // 100 from e, 300 from others (200 + 100), tariff 0 -> 25%, eps -1, sigma 1.5:
/// let s = smart(100.0, &[200.0, 100.0], 0.0, 0.25, -1.0, 1.5);
/// assert!((s.trade_creation - -25.0).abs() < 1e-12);            // -1 * 100 * 0.25
/// let td = 100.0 * 300.0 * 1.5 * 0.25 / (100.0 + 300.0 + 100.0 * 1.5 * 0.25);
/// assert!((s.trade_diversion - td).abs() < 1e-12);                // 25.714...
/// assert!((s.gains[0] - td * 2.0 / 3.0).abs() < 1e-12);
/// assert!((s.welfare - 0.5 * 0.25 * -25.0).abs() < 1e-12);
/// ```
pub fn smart(m_e: f64, others: &[f64], t0: f64, t1: f64, eps: f64, sigma: f64) -> Smart {
    let m_big_k: f64 = others.iter().sum();
    let uncapped_creation = eps * m_e * (t1 - t0) / (1.0 + t0);
    let mut tc = uncapped_creation;
    let mut creation_capped = false;
    if tc < -m_e {
        tc = -m_e;
        creation_capped = true;
    }
    let d = (1.0 + t1) / (1.0 + t0) - 1.0;
    // TD = M_e M_K sigma d / (M_e + M_K + M_e sigma d), written with q = M_e sigma d so that
    // a huge tariff cannot overflow to inf / inf.
    let q = m_e * sigma * d;
    let den = m_e + m_big_k + q;
    let uncapped_diversion = if m_big_k > 0.0 && m_e > 0.0 && q != 0.0 {
        if q > 0.0 {
            m_big_k / (1.0 + (m_e + m_big_k) / q)
        } else if den > 0.0 {
            m_big_k * q / den
        } else {
            // The formula breaks down (a very large cut): everything the others sell moves.
            -m_big_k
        }
    } else {
        0.0
    };
    let mut td = uncapped_diversion;
    let mut diversion_capped = den <= 0.0 && uncapped_diversion != 0.0;
    let left = (m_e + tc).max(0.0);
    if td > left {
        td = left;
        diversion_capped = true;
    }
    if td < -m_big_k {
        td = -m_big_k;
        diversion_capped = true;
    }
    let gains = others
        .iter()
        .map(|&mk| {
            if m_big_k > 0.0 {
                td * mk / m_big_k
            } else {
                0.0
            }
        })
        .collect();
    let exporter_delta = tc - td;
    Smart {
        trade_creation: tc,
        trade_diversion: td,
        gains,
        uncapped_creation,
        uncapped_diversion,
        creation_capped,
        diversion_capped,
        exporter_delta,
        revenue_change: t1 * (m_e + exporter_delta) - t0 * m_e,
        welfare: 0.5 * (t1 - t0) * tc,
    }
}

/// One supplier's part of a tariff's direct effect.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerEffect {
    /// Supplier country (trade graphs: supplier node).
    pub supplier: String,
    /// The supplier node whose sales change (input-output graphs: `supplier:sector`).
    pub node: NodeIx,
    /// The importer's imports of the sector from this supplier, before.
    pub baseline: f64,
    /// The tariff on this supplier before (for the exporter: t0).
    pub old_rate: f64,
    /// The tariff after (for the exporter: t1; others unchanged).
    pub new_rate: f64,
    /// Trade creation: TC for the exporter, 0 for the others.
    pub trade_creation: f64,
    /// Trade diversion: -TD for the exporter, + TD * M_k / M_K for the others (sums to 0).
    pub trade_diversion: f64,
    /// New minus baseline: trade_creation + trade_diversion.
    pub delta: f64,
    /// Change of tariff revenue on this supplier's goods.
    pub revenue_change: f64,
    /// Welfare triangle (the exporter only; 0 for the others).
    pub welfare: f64,
}

/// The direct effect of one tariff on one importer's imports of one sector.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffEffect {
    /// The importer.
    pub importer: String,
    /// The taxed exporter.
    pub exporter: String,
    /// Sector code; `None` for flows without a sector.
    pub sector: Option<String>,
    /// t0.
    pub old_rate: f64,
    /// t1.
    pub new_rate: f64,
    /// eps_m used.
    pub import_demand: f64,
    /// sigma used.
    pub substitution: f64,
    /// M_e.
    pub imports_from_exporter: f64,
    /// M_K.
    pub imports_from_others: f64,
    /// The formulas' results.
    pub smart: Smart,
    /// Every supplier: the exporter first, then the others by baseline, descending (ties by id).
    pub partners: Vec<PartnerEffect>,
}

impl TariffEffect {
    /// Total tariff revenue change, all suppliers.
    pub fn revenue_change(&self) -> f64 {
        self.partners.iter().map(|p| p.revenue_change).sum()
    }
}

/// One supplier of one importer in one sector.
#[derive(Debug, Clone)]
pub(crate) struct Supplier {
    pub party: String,
    pub node: NodeIx,
    pub value: f64,
    /// sum of tariff * value over flows that carry a tariff (flows without count as 0).
    pub taxed: f64,
}

impl Supplier {
    pub fn rate(&self) -> f64 {
        if self.value > 0.0 {
            self.taxed / self.value
        } else {
            0.0
        }
    }
}

/// Who trades in a graph: countries of an input-output graph, nodes of a trade graph.
pub(crate) fn party(g: &TradeGraph, ix: NodeIx) -> &str {
    let n = g.node(ix);
    match g.kind() {
        GraphKind::InputOutput => n.country_id(),
        GraphKind::Trade => &n.id,
    }
}

/// Check that `name` is a party (country of an IO graph, node of a trade graph).
pub(crate) fn require_party(g: &TradeGraph, name: &str) -> Result<()> {
    match g.kind() {
        GraphKind::InputOutput => g.require_country(name),
        GraphKind::Trade => g.require_node(name).map(|_| ()),
    }
}

/// The importer's imports by (sector, supplier): intermediate flows from other parties into
/// its nodes, plus (input-output graphs) final demand sold to it. Sectors in table order
/// (`None` last), suppliers by value, descending, ties by id.
pub(crate) fn imports_of(g: &TradeGraph, importer: &str) -> Vec<(Option<SectorId>, Vec<Supplier>)> {
    let mut table: crate::model::FastMap<(Option<SectorId>, &str), Supplier> = Default::default();
    for (a, b, f) in g.flows() {
        if party(g, b) != importer {
            continue;
        }
        let pa = party(g, a);
        if pa == importer {
            continue;
        }
        let s = g.flow_sector(a, f);
        let e = table.entry((s, pa)).or_insert_with(|| Supplier {
            party: pa.to_string(),
            node: a,
            value: 0.0,
            taxed: 0.0,
        });
        e.value += f.value;
        if let Some(t) = f.tariff() {
            e.taxed += t * f.value;
        }
    }
    if g.kind() == GraphKind::InputOutput {
        for a in g.graph().node_indices() {
            let node = g.node(a);
            let pa = node.country_id();
            if pa == importer {
                continue;
            }
            if let Some(FinalDemand::ByDestination(d)) = node.final_demand() {
                let v: f64 = d
                    .iter()
                    .filter(|(k, _)| k == importer)
                    .map(|(_, v)| *v)
                    .sum();
                if v != 0.0 {
                    let e = table.entry((node.sector, pa)).or_insert_with(|| Supplier {
                        party: pa.to_string(),
                        node: a,
                        value: 0.0,
                        taxed: 0.0,
                    });
                    e.value += v;
                }
            }
        }
    }
    let mut by_sector: Vec<(Option<SectorId>, Vec<Supplier>)> = Vec::new();
    let mut entries: Vec<((Option<SectorId>, &str), Supplier)> = table.into_iter().collect();
    // Sector order: table order, sector-less last.
    entries.sort_by(|x, y| {
        let key = |s: Option<SectorId>| s.map_or(usize::MAX, |s| s.index());
        key(x.0 .0)
            .cmp(&key(y.0 .0))
            .then_with(|| y.1.value.total_cmp(&x.1.value))
            .then_with(|| x.0 .1.cmp(y.0 .1))
    });
    for ((s, _), mut sup) in entries {
        // Negative final demand (inventory drawdowns) cannot make imports negative.
        sup.value = sup.value.max(0.0);
        match by_sector.last_mut() {
            Some((ls, list)) if *ls == s => list.push(sup),
            _ => by_sector.push((s, vec![sup])),
        }
    }
    by_sector
}

fn sector_name(g: &TradeGraph, s: Option<SectorId>) -> Option<String> {
    s.map(|s| g.sector(s).id.clone())
}

fn no_trade(g: &TradeGraph, exporter: &str, importer: &str, sector: Option<SectorId>) -> Error {
    let what = match sector {
        Some(s) => format!(" {}", g.sector(s).id),
        None => String::new(),
    };
    let through = if g.kind() == GraphKind::InputOutput {
        " (no intermediate deliveries, no final demand)"
    } else {
        ""
    };
    Error::Param(format!(
        "{exporter} does not export{what} to {importer}{through}: a tariff or embargo on a pair that does not trade has no effect to compute"
    ))
}

/// One sector of an importer's imports: the sector, its suppliers, and the exporter's position.
pub(crate) type SectorSuppliers = (Option<SectorId>, Vec<Supplier>, usize);

/// The exporter's supplies to the importer, per sector (`sector` given: that one only).
///
/// Errors: the pair does not trade (in that sector).
pub(crate) fn pair_trade(
    g: &TradeGraph,
    importer: &str,
    exporter: &str,
    sector: Option<SectorId>,
) -> Result<Vec<SectorSuppliers>> {
    let table = imports_of(g, importer);
    let mut out = Vec::new();
    for (s, list) in table {
        if sector.is_some() && s != sector {
            continue;
        }
        if let Some(k) = list
            .iter()
            .position(|p| p.party == exporter && p.value > 0.0)
        {
            out.push((s, list, k));
        }
    }
    if out.is_empty() {
        return Err(no_trade(g, exporter, importer, sector));
    }
    Ok(out)
}

/// The direct effect of one tariff (MODELS.md §4), one [`TariffEffect`] per sector: the
/// tariff's sector, or each sector the pair trades when it has none.
///
/// On an input-output graph the parties are countries and m's imports of s from k are node
/// k:s's intermediate deliveries to all of m's nodes plus k:s's final demand sold to m
/// (negative inventory entries are kept in the sum, which is floored at 0). On a trade graph
/// the parties are nodes and sectors are the flows' sectors. The old rate is `tariff.old`,
/// else the value-weighted `tariff` field of the flows (flows without one count as 0).
///
/// Errors: unknown importer, exporter or sector ([`Error::Unknown`] with the closest name);
/// a pair that does not trade (in that sector) or bad rates ([`Error::Param`]).
/// Complexity O(m + n) for the import table, then O(suppliers) per sector.
///
/// ```
/// use tradenet::analysis::{tariff_effects, Elasticities, Tariff};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,sector,value\nCAN,USA,c15,100\nMEX,USA,c15,200\nJPN,USA,c15,100\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let t = Tariff { importer: "USA".into(), exporter: "CAN".into(), sector: None, rate: 0.25, old: None };
/// let e = tariff_effects(&g, &t, &Elasticities::default()).unwrap();
/// assert_eq!(e.len(), 1);
/// assert_eq!(e[0].partners[0].supplier, "CAN");
/// let diverted: f64 = e[0].partners[1..].iter().map(|p| p.trade_diversion).sum();
/// assert!((diverted - e[0].smart.trade_diversion).abs() < 1e-9);
/// ```
pub fn tariff_effects(
    g: &TradeGraph,
    tariff: &Tariff,
    el: &Elasticities,
) -> Result<Vec<TariffEffect>> {
    require_party(g, &tariff.importer)?;
    require_party(g, &tariff.exporter)?;
    let sector = tariff
        .sector
        .as_deref()
        .map(|s| g.require_sector(s))
        .transpose()?;
    if !tariff.rate.is_finite()
        || tariff.rate < 0.0
        || tariff.old.is_some_and(|o| !o.is_finite() || o < 0.0)
    {
        return Err(Error::Param(
            "tariff rates must be finite and >= 0 (0.25 = 25%)".into(),
        ));
    }
    if tariff.importer == tariff.exporter {
        return Err(Error::Param(
            "a tariff needs two different countries".into(),
        ));
    }
    el.validate()?;
    let mut out = Vec::new();
    for (s, list, k) in pair_trade(g, &tariff.importer, &tariff.exporter, sector)? {
        let code = sector_name(g, s);
        let (eps, sigma) = el.for_sector(code.as_deref());
        let e = &list[k];
        let t0 = tariff.old.unwrap_or_else(|| e.rate());
        let t1 = tariff.rate;
        let others: Vec<&Supplier> = list
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(_, p)| p)
            .collect();
        let m_k: Vec<f64> = others.iter().map(|p| p.value).collect();
        let r = smart(e.value, &m_k, t0, t1, eps, sigma);
        let mut partners = Vec::with_capacity(list.len());
        partners.push(PartnerEffect {
            supplier: e.party.clone(),
            node: e.node,
            baseline: e.value,
            old_rate: t0,
            new_rate: t1,
            trade_creation: r.trade_creation,
            trade_diversion: -r.trade_diversion,
            delta: r.exporter_delta,
            revenue_change: r.revenue_change,
            welfare: r.welfare,
        });
        for (p, &gain) in others.iter().zip(&r.gains) {
            let rate = p.rate();
            partners.push(PartnerEffect {
                supplier: p.party.clone(),
                node: p.node,
                baseline: p.value,
                old_rate: rate,
                new_rate: rate,
                trade_creation: 0.0,
                trade_diversion: gain,
                delta: gain,
                revenue_change: rate * gain,
                welfare: 0.0,
            });
        }
        out.push(TariffEffect {
            importer: tariff.importer.clone(),
            exporter: tariff.exporter.clone(),
            sector: code,
            old_rate: t0,
            new_rate: t1,
            import_demand: eps,
            substitution: sigma,
            imports_from_exporter: e.value,
            imports_from_others: m_k.iter().sum(),
            smart: r,
            partners,
        });
    }
    Ok(out)
}
