//! The direct effects of a scenario, shared by both models: the names checked against the
//! graph, tariffs planned by scope, and each tariff's and embargo's change of the flows.

use super::results::{FlowCause, FlowEffect};
use super::scenario::{percent_text, Scenario, Shock, Tariff};
use super::tariff::{
    self, pair_trade, require_party, tariff_effects_on, tariff_scope, ScopeKind, TariffEffect,
    TariffScope,
};
use crate::error::{closest, Error, Result};
use crate::model::{FinalDemand, GraphKind, NodeIx, SectorId, TradeGraph};

/// The nodes a demand target names: a node, else a country's nodes, else a sector's nodes.
///
/// Errors: none of these ([`Error::Unknown`] with the closest node, country or sector); a
/// sector on a graph whose nodes have no sector ([`Error::Unsuited`]).
///
/// ```
/// use tradenet::analysis::resolve_target;
/// let g = tradenet::bundled::default_graph().unwrap();
/// assert_eq!(resolve_target(&g, "CAN:C29").unwrap().len(), 1);
/// assert_eq!(resolve_target(&g, "CAN").unwrap().len(), g.nodes_of_country("CAN").len());
/// assert!(resolve_target(&g, "KAN").is_err());
/// ```
pub fn resolve_target(g: &TradeGraph, target: &str) -> Result<Vec<NodeIx>> {
    if let Some(ix) = g.node_index(target) {
        return Ok(vec![ix]);
    }
    let of_country = g.nodes_of_country(target);
    if !of_country.is_empty() {
        return Ok(of_country);
    }
    if let Some(s) = g.sector_id(target) {
        let nodes: Vec<NodeIx> = g
            .node_indices()
            .filter(|&i| g.node(i).sector == Some(s))
            .collect();
        if nodes.is_empty() {
            return Err(Error::Unsuited(format!(
                "sector '{target}' has no nodes: a sector target needs an input-output graph (country-sector nodes)"
            )));
        }
        return Ok(nodes);
    }
    let mut names: Vec<&str> = g.nodes().map(|n| &*n.id).collect();
    names.extend(g.country_ids());
    names.extend(g.sectors().iter().map(|s| s.id.as_str()));
    Err(Error::Unknown {
        what: "node, country or sector",
        id: target.to_string(),
        suggestion: closest(target, names),
    })
}

/// Check every name in the scenario against the graph before any work.
pub(super) fn check_names(g: &TradeGraph, s: &Scenario) -> Result<()> {
    for code in s.elasticities.sectors.keys() {
        g.require_sector(code)?;
    }
    for (k, shock) in s.shocks.iter().enumerate() {
        match shock {
            Shock::Tariff(t) => {
                require_party(g, &t.importer)?;
                require_party(g, &t.exporter)?;
                tariff_scope(g, t)?;
            }
            Shock::Embargo(e) => {
                require_party(g, &e.from)?;
                require_party(g, &e.to)?;
                if let Some(sec) = &e.sector {
                    g.require_sector(sec)?;
                }
            }
            Shock::Demand(d) => {
                resolve_target(g, &d.target)?;
            }
            Shock::DemandValue(d) => {
                g.require_node(&d.node)?;
            }
            Shock::Supply(d) => {
                g.require_node(&d.node)?;
            }
            Shock::TradeCost(c) => {
                return Err(Error::param(
                    format!("shocks[{k}]"),
                    format!("trade cost {} on {}", c.importer, c.exporter),
                    "a trade-cost shock is a general-equilibrium shock: prices must move for it to act (run it in general equilibrium)",
                ))
            }
        }
    }
    Ok(())
}

/// Direct effects shared by both models: flows and tariff summaries, and each node's
/// change of sales (`by_node`, for the exporter side) and purchases (`by_importer`).
pub(super) struct Direct {
    pub(super) flows: Vec<FlowEffect>,
    pub(super) tariffs: Vec<TariffEffect>,
    /// Change of each supplier node's sales (tariffs and embargoes).
    pub(super) sales: Vec<f64>,
    /// Change of each importer node's purchases (tariffs and embargoes; trade graphs).
    pub(super) purchases: Vec<f64>,
    /// What the user should know: the scope of tariffs without sectors, tariffs replaced by
    /// more specific ones, changes that change nothing.
    pub(super) notes: Vec<String>,
}

/// A tariff for messages: `tariff 2 (USA on CAN, c15, 50%)`.
fn tariff_label(k: usize, t: &Tariff) -> String {
    format!(
        "tariff {} ({} on {}, {}, {})",
        k + 1,
        t.importer,
        t.exporter,
        t.sector.as_deref().unwrap_or("goods"),
        percent_text(t.rate)
    )
}

/// Sector codes for messages, runs of a common prefix shortened: `c1-c16, c20`.
fn sector_list(g: &TradeGraph, sectors: &[Option<SectorId>]) -> String {
    let codes: Vec<String> = sectors
        .iter()
        .map(|s| s.map_or("(no sector)".to_string(), |s| g.sector(s).id.clone()))
        .collect();
    // Runs of one prefix with consecutive numbers (c1, c2, c3) are written c1-c3.
    let key = |c: &str| tariff::prefix_number(c).map(|(p, n)| (p.to_string(), n.value()));
    let span = |a: usize, b: usize| {
        if a == b {
            codes[a].clone()
        } else {
            format!("{}-{}", codes[a], codes[b])
        }
    };
    let mut out: Vec<String> = Vec::new();
    let mut start = 0;
    for i in 1..=codes.len() {
        let joined = i < codes.len()
            && matches!((key(&codes[i - 1]), key(&codes[i])),
                (Some((p, n)), Some((q, m))) if p == q && m == n + 1);
        if !joined {
            out.push(span(start, i - 1));
            start = i;
        }
    }
    if out.len() <= 8 {
        out.join(", ")
    } else {
        format!(
            "{}, ... {} ({} sectors)",
            out[..6].join(", "),
            out[out.len() - 1],
            codes.len()
        )
    }
}

/// A tariff's scope and the sectors it keeps ([`plan_tariffs`]).
type Planned = (TariffScope, Vec<Option<SectorId>>);

/// Each tariff's scope, and the sectors it keeps after the more specific tariffs on the same
/// importer, exporter and sector took theirs (MODELS.md §4, "Scope and stacking of tariffs").
///
/// Errors: [`Error::TariffScope`] for two tariffs of the same breadth on one sector (an exact
/// repeat, or two lists that overlap), and the errors of [`tariff_scope`].
fn plan_tariffs(
    g: &TradeGraph,
    s: &Scenario,
    notes: &mut Vec<String>,
) -> Result<Vec<Option<Planned>>> {
    let mut plan: Vec<Option<Planned>> = Vec::new();
    // (importer, exporter, sector) -> the tariff that sets it.
    let mut owner: std::collections::BTreeMap<(&str, &str, Option<SectorId>), usize> =
        Default::default();
    let tariffs: Vec<Option<&Tariff>> = s
        .shocks
        .iter()
        .map(|x| match x {
            Shock::Tariff(t) => Some(t),
            _ => None,
        })
        .collect();
    for (k, t) in tariffs.iter().enumerate() {
        let Some(t) = t else {
            plan.push(None);
            continue;
        };
        require_party(g, &t.importer)?;
        require_party(g, &t.exporter)?;
        let scope = tariff::tariff_scope(g, t)?;
        for &sec in &scope.sectors {
            let key = (t.importer.as_str(), t.exporter.as_str(), sec);
            match owner.get(&key).copied() {
                None => {
                    owner.insert(key, k);
                }
                Some(j) => {
                    let other = tariffs[j].expect("owners are tariffs");
                    let (bj, bk) = (
                        plan[j].as_ref().map_or(0, |(sc, _)| sc.breadth()),
                        scope.breadth(),
                    );
                    if bj == bk {
                        let code =
                            sec.map_or("(no sector)".to_string(), |s| g.sector(s).id.clone());
                        return Err(Error::TariffScope {
                            tariff: tariff_label(k, t),
                            rule: format!(
                                "{} already sets {} on {}, sector {code}, and names as many sectors: it is given twice",
                                tariff_label(j, other), t.importer, t.exporter
                            ),
                            hint: "give each importer, exporter and sector one rate; a tariff on fewer sectors (one code) replaces a broader one (goods, a list or a range) where they overlap".into(),
                        });
                    }
                    if bk < bj {
                        owner.insert(key, k);
                    }
                }
            }
        }
        plan.push(Some((scope, Vec::new())));
    }
    for (&(_, _, sec), &k) in &owner {
        if let Some((_, kept)) = plan[k].as_mut() {
            kept.push(sec);
        }
    }
    // Say who replaced whom, per tariff.
    for (j, t) in tariffs.iter().enumerate() {
        let (Some(t), Some((scope, kept))) = (t, &plan[j]) else {
            continue;
        };
        let mut lost: Vec<(usize, Option<SectorId>)> = scope
            .sectors
            .iter()
            .filter(|s| !kept.contains(s))
            .map(|&sec| (owner[&(t.importer.as_str(), t.exporter.as_str(), sec)], sec))
            .collect();
        lost.sort();
        let mut by: std::collections::BTreeMap<usize, Vec<Option<SectorId>>> = Default::default();
        for (k, sec) in lost {
            by.entry(k).or_default().push(sec);
        }
        for (k, secs) in by {
            let winner = tariffs[k].expect("owners are tariffs");
            notes.push(format!(
                "{} replaces {} on {}: the more specific tariff wins",
                tariff_label(k, winner),
                tariff_label(j, t),
                sector_list(g, &secs)
            ));
        }
        if scope.kind == ScopeKind::Goods {
            notes.push(format!(
                "{}: goods sectors only, {} of {} ({}; by {}); services are taxed only when named (a sector list, or 'all')",
                tariff_label(j, t),
                scope.sectors.len(),
                g.sectors().len(),
                sector_list(g, &scope.sectors),
                scope.basis.as_deref().unwrap_or("the sector table")
            ));
        }
    }
    Ok(plan)
}

pub(super) fn trade_direct(g: &TradeGraph, s: &Scenario) -> Result<Direct> {
    let n = g.node_count();
    let mut d = Direct {
        flows: Vec::new(),
        tariffs: Vec::new(),
        sales: vec![0.0; n],
        purchases: vec![0.0; n],
        notes: Vec::new(),
    };
    let plan = plan_tariffs(g, s, &mut d.notes)?;
    if g.kind() == GraphKind::InputOutput
        && plan.iter().any(Option::is_some)
        && g.nodes()
            .any(|n| matches!(n.final_demand(), Some(FinalDemand::Total(_))))
    {
        d.notes.push(
            "final demand in this graph has no destination (one total per node), so a tariff taxes intermediate deliveries only: the importer's industries' purchases, not what its households, government and investors buy".into(),
        );
    }
    for (k, shock) in s.shocks.iter().enumerate() {
        match shock {
            Shock::Tariff(t) => {
                let Some((scope, kept)) = &plan[k] else {
                    continue;
                };
                let effects = tariff_effects_on(g, t, scope, kept, &s.elasticities)?;
                if t.old.is_none()
                    && t.rate == 0.0
                    && !effects.is_empty()
                    && effects.iter().all(|e| e.old_rate == 0.0)
                {
                    let spec = format!(
                        "{}:{}{}",
                        t.importer,
                        t.exporter,
                        t.sector
                            .as_deref()
                            .map(|x| format!(":{x}"))
                            .unwrap_or_default()
                    );
                    d.notes.push(format!(
                        "warning: {}: 0% -> 0% changes nothing: the data holds no tariff on these flows, so the old rate is 0; give the rate in force, e.g. --tariff {spec}=6.1%->0% (in a scenario file: \"old\": 0.061)",
                        tariff_label(k, t)
                    ));
                }
                let importer = g.node_index(&t.importer);
                for e in &effects {
                    for p in &e.partners {
                        d.sales[p.node.index()] += p.delta;
                        if let Some(m) = importer {
                            d.purchases[m.index()] += p.delta;
                        }
                        d.flows.push(FlowEffect {
                            from: p.supplier.clone(),
                            to: e.importer.clone(),
                            sector: e.sector.clone(),
                            cause: FlowCause::Tariff,
                            baseline: p.baseline,
                            delta: p.delta,
                            trade_creation: p.trade_creation,
                            trade_diversion: p.trade_diversion,
                            old_rate: Some(p.old_rate),
                            new_rate: Some(p.new_rate),
                            revenue_change: p.revenue_change,
                            welfare: p.welfare,
                        });
                    }
                }
                d.tariffs.extend(effects);
            }
            Shock::Embargo(em) => {
                let sector = em
                    .sector
                    .as_deref()
                    .map(|c| g.require_sector(c))
                    .transpose()?;
                let importer = g.node_index(&em.to);
                for (sec, list, k) in pair_trade(g, &em.to, &em.from, sector)? {
                    let e = &list[k];
                    d.sales[e.node.index()] -= e.value;
                    if let Some(m) = importer {
                        d.purchases[m.index()] -= e.value;
                    }
                    d.flows.push(FlowEffect {
                        from: e.party.clone(),
                        to: em.to.clone(),
                        sector: sec.map(|s| g.sector(s).id.clone()),
                        cause: FlowCause::Embargo,
                        baseline: e.value,
                        delta: -e.value,
                        trade_creation: -e.value,
                        trade_diversion: 0.0,
                        old_rate: None,
                        new_rate: None,
                        revenue_change: -e.rate() * e.value,
                        welfare: 0.0,
                    });
                }
            }
            _ => {}
        }
    }
    d.flows.sort_by(|a, b| {
        b.delta
            .abs()
            .total_cmp(&a.delta.abs())
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
            .then_with(|| a.sector.cmp(&b.sector))
    });
    Ok(d)
}
