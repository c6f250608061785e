//! Shocks and how they ripple (MODELS.md §4): what a tariff does directly (WITS-SMART), and
//! how that, a demand change, a supply cut or an embargo spreads through supply chains round
//! by round (Leontief and Ghosh on input-output graphs, DebtRank on trade graphs).
//!
//! [`shock`] runs a whole [`Scenario`] on a graph and returns a [`ShockResult`]: the change of
//! every node (in value and in percent of its baseline), by country, by sector, by round, and
//! the direct effect on the trade flows. The pieces are usable alone: [`smart`] and
//! [`tariff_effects`] (the tariff formulas), [`IoSystem`] (Leontief and Ghosh by rounds and by
//! direct solve), [`debtrank`].
//!
//! How a scenario becomes a propagation:
//! - **input-output graph** (nodes with gross output): tariff effects (trade creation and
//!   diversion) and embargoes change the sales of supplier nodes (`CAN:C29` loses, `MEX:C29`
//!   gains): together with demand changes they form dy, propagated upstream by Leontief;
//!   supply changes form dv, propagated downstream by Ghosh. Both are computed by rounds and
//!   checked against a direct solve (dense LU up to [`ShockParams::dense_check_max`] nodes;
//!   the residual always). Baseline = gross output.
//! - **trade graph** (or an input-output graph without output): each node's direct loss,
//!   relative to its exports (export channel) or imports (import channel), is its initial
//!   distress h(0) for [`debtrank`]; gains from trade diversion are kept as direct gains.
//!   Baseline = the channel's base; delta = direct gain - h(T) * base.
//!
//! Shocks are each computed against the baseline and added (first order).

mod debtrank;
mod io_model;
mod scenario;
mod tariff;

pub use debtrank::{channel_base, debtrank, Channel, DebtRank, DebtRankParams, DebtRankRound};
pub use io_model::{IoSystem, Propagation, Round, RoundParams};
pub use scenario::{
    number_text, parse_demand, parse_embargo, parse_supply, parse_tariff, percent_text, Demand,
    DemandValue, Elasticities, Embargo, Scenario, SectorElasticities, Shock, Supply, Tariff,
    DEFAULT_IMPORT_DEMAND, DEFAULT_SUBSTITUTION, SCENARIO_FORMAT,
};
pub use tariff::{
    smart, tariff_effects, tariff_scope, PartnerEffect, ScopeKind, Smart, TariffEffect,
    TariffScope, TARIFF_ASSUMPTIONS,
};

use crate::error::{closest, Error, Result};
use crate::model::{Csr, FinalDemand, FlowFilter, GraphKind, NodeIx, SectorId, TradeGraph};
use tariff::{pair_trade, require_party, tariff_effects_on};

/// Parameters of [`shock`].
#[derive(Debug, Clone, PartialEq)]
pub struct ShockParams {
    /// Rounds of Leontief and Ghosh (tolerance 1e-10, at most 1000 rounds, top 5 per round).
    pub rounds: RoundParams,
    /// DebtRank channel. Default export.
    pub channel: Channel,
    /// Cross-check the rounds against a dense LU solve when the system has at most this many
    /// nodes (O(n^3): about 1 s at 1,500 nodes, 20 s at 3,400). Default 1500. The residual
    /// |(I - A) dx - dy|_1 is reported at every size.
    pub dense_check_max: usize,
    /// Keep DebtRank's h for every node after every round. Default false.
    pub history: bool,
}

impl Default for ShockParams {
    fn default() -> Self {
        ShockParams {
            rounds: RoundParams::default(),
            channel: Channel::Export,
            dense_check_max: 1500,
            history: false,
        }
    }
}

/// How a shock was propagated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Leontief (demand) and/or Ghosh (supply) on an input-output system.
    InputOutput {
        /// Leontief ran (a non-zero dy).
        leontief: bool,
        /// Ghosh ran (a non-zero dv).
        ghosh: bool,
    },
    /// DebtRank on the flows.
    DebtRank(Channel),
}

impl Model {
    /// `leontief`, `ghosh`, `leontief+ghosh` or `debtrank`.
    pub fn as_str(self) -> &'static str {
        match self {
            Model::InputOutput {
                leontief: true,
                ghosh: true,
            } => "leontief+ghosh",
            Model::InputOutput { ghosh: true, .. } => "ghosh",
            Model::InputOutput { .. } => "leontief",
            Model::DebtRank(_) => "debtrank",
        }
    }
}

/// The change of one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeEffect {
    /// Node index in the graph.
    pub node: NodeIx,
    /// Node id.
    pub id: String,
    /// Its country.
    pub country: String,
    /// Its sector code, if any.
    pub sector: Option<String>,
    /// Baseline: gross output (input-output), or exports / imports (DebtRank, by channel).
    pub baseline: f64,
    /// New minus baseline.
    pub delta: f64,
    /// The direct part (round 0): the shock itself.
    pub direct: f64,
    /// Through the supply chain (rounds 1...): delta - direct.
    pub indirect: f64,
    /// The part of `indirect` caused by the shock's losses (its negative entries: lost sales,
    /// demand cuts, supply cuts): for a tariff, what the taxed exporter's suppliers lose.
    /// DebtRank: all of `indirect`.
    pub via_losses: f64,
    /// The part of `indirect` caused by the shock's gains (positive entries: sales diverted
    /// to other suppliers, demand increases). `via_losses + via_gains = indirect`.
    pub via_gains: f64,
    /// DebtRank: initial distress h(0).
    pub h0: Option<f64>,
    /// DebtRank: final distress h(T).
    pub h: Option<f64>,
}

/// `100 * delta / baseline`, `None` for a zero baseline.
fn percent(delta: f64, baseline: f64) -> Option<f64> {
    (baseline != 0.0).then(|| 100.0 * delta / baseline)
}

impl NodeEffect {
    /// The change in percent of the baseline (`None` for a zero baseline).
    pub fn delta_pct(&self) -> Option<f64> {
        percent(self.delta, self.baseline)
    }
}

/// The change of a group of nodes (a country or a sector).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupEffect {
    /// Country id or sector code.
    pub id: String,
    /// Sum of the nodes' baselines.
    pub baseline: f64,
    /// Sum of the nodes' deltas.
    pub delta: f64,
    /// Sum of the direct parts.
    pub direct: f64,
    /// Sum of the indirect parts.
    pub indirect: f64,
    /// Sum of the indirect parts caused by the shock's losses.
    pub via_losses: f64,
    /// Sum of the indirect parts caused by the shock's gains.
    pub via_gains: f64,
    /// Number of nodes.
    pub nodes: usize,
}

impl GroupEffect {
    /// The change in percent of the baseline (`None` for a zero baseline).
    pub fn delta_pct(&self) -> Option<f64> {
        percent(self.delta, self.baseline)
    }
}

/// One round of the ripple.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundEffect {
    /// 0: the shock itself; k: the k-th tier of suppliers (Leontief) or buyers (Ghosh), or
    /// DebtRank's k-th round.
    pub round: usize,
    /// Sum of the changes in this round.
    pub delta: f64,
    /// Sum of the absolute changes in this round.
    pub l1: f64,
    /// Sum of `delta` up to and including this round.
    pub cumulative: f64,
    /// The round's largest movers (node id, change); input-output models only.
    pub top: Vec<(String, f64)>,
    /// DebtRank: nodes newly distressed in this round.
    pub newly_distressed: Option<usize>,
    /// DebtRank: this round's part of the systemic loss.
    pub loss: Option<f64>,
}

/// What changed a trade flow directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowCause {
    /// A tariff (trade creation and diversion).
    Tariff,
    /// An embargo (the flow stops).
    Embargo,
}

impl FlowCause {
    /// `tariff` or `embargo`.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowCause::Tariff => "tariff",
            FlowCause::Embargo => "embargo",
        }
    }
}

/// The direct effect of a tariff or embargo on one trade flow (exporter -> importer, sector).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowEffect {
    /// Exporter (country; trade graphs: node).
    pub from: String,
    /// Importer.
    pub to: String,
    /// Sector code, if any.
    pub sector: Option<String>,
    /// What changed it.
    pub cause: FlowCause,
    /// The flow before (input-output graphs: intermediate deliveries plus final demand).
    pub baseline: f64,
    /// New minus baseline: trade_creation + trade_diversion.
    pub delta: f64,
    /// Change of total imports from this exporter (TC; an embargo: minus the flow).
    pub trade_creation: f64,
    /// Diversion: negative for the taxed exporter, positive for the others.
    pub trade_diversion: f64,
    /// Tariff before (tariffs only).
    pub old_rate: Option<f64>,
    /// Tariff after (tariffs only).
    pub new_rate: Option<f64>,
    /// Change of tariff revenue on this flow.
    pub revenue_change: f64,
    /// Welfare triangle on this flow.
    pub welfare: f64,
}

/// A cross-check of rounds against a direct computation.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossCheck {
    /// `leontief` or `ghosh`.
    pub model: &'static str,
    /// The rounds used (including round 0).
    pub rounds: usize,
    /// L1 norm of the shock.
    pub shock_l1: f64,
    /// L1 norm of the residual ((I - A) dx - dy, or dx - B' dx - dv).
    pub residual_l1: f64,
    /// Largest |rounds - LU solve| over the nodes (`None`: the system was too large).
    pub max_abs_diff: Option<f64>,
    /// `max_abs_diff` / max |LU solve|.
    pub max_rel_diff: Option<f64>,
}

/// Everything [`shock`] computes.
#[derive(Debug, Clone)]
pub struct ShockResult {
    /// How it was propagated.
    pub model: Model,
    /// Every node, in graph order.
    pub nodes: Vec<NodeEffect>,
    /// By country, sorted by id.
    pub countries: Vec<GroupEffect>,
    /// By sector, in sector-table order (nodes without a sector are left out).
    pub sectors: Vec<GroupEffect>,
    /// By round.
    pub rounds: Vec<RoundEffect>,
    /// Direct effects on trade flows: by |delta|, descending, ties by (from, to, sector).
    pub flows: Vec<FlowEffect>,
    /// The tariff effects, in scenario order, one per (tariff, sector).
    pub tariffs: Vec<TariffEffect>,
    /// Cross-checks of the rounds (input-output models).
    pub checks: Vec<CrossCheck>,
    /// The DebtRank run (trade graphs).
    pub debtrank: Option<DebtRank>,
    /// Things worth telling the user (targets without final demand, ...).
    pub notes: Vec<String>,
}

impl ShockResult {
    /// The result, or a named error when a number in it overflowed (values near f64's limit,
    /// 1.8e308, in a shock or a graph): a result never holds inf or NaN, which JSON would
    /// write as null.
    fn finite(self) -> Result<ShockResult> {
        // Every number of a node and a flow, with its name; the place is formatted only for a
        // problem (no string per number on the way).
        let node_bad = self.nodes.iter().find_map(|n| {
            [
                ("delta", n.delta),
                ("direct", n.direct),
                ("indirect", n.indirect),
                ("via_losses", n.via_losses),
                ("via_gains", n.via_gains),
            ]
            .into_iter()
            .find(|(_, v)| !v.is_finite())
            .map(|(k, _)| format!("node {}: {k}", n.id))
        });
        let flow_bad = || {
            self.flows.iter().find_map(|f| {
                [
                    ("delta", f.delta),
                    ("trade_creation", f.trade_creation),
                    ("trade_diversion", f.trade_diversion),
                    ("revenue_change", f.revenue_change),
                    ("welfare", f.welfare),
                ]
                .into_iter()
                .find(|(_, v)| !v.is_finite())
                .map(|(k, _)| format!("flow {} -> {}: {k}", f.from, f.to))
            })
        };
        let round_bad = || {
            self.rounds
                .iter()
                .find(|r| !r.delta.is_finite())
                .map(|r| format!("round {}", r.round))
        };
        let total_bad =
            || (!self.total_delta().is_finite()).then(|| "the total change".to_string());
        match node_bad
            .or_else(flow_bad)
            .or_else(round_bad)
            .or_else(total_bad)
        {
            Some(what) => Err(Error::Numeric(format!(
                "the shock overflows: {what} is not a finite number (values near the largest \
                 floating-point number, 1.8e308, leave no room to add or multiply); give the \
                 values in a larger unit or a smaller shock"
            ))),
            None => Ok(self),
        }
    }

    /// Sum of the node deltas.
    pub fn total_delta(&self) -> f64 {
        self.nodes.iter().map(|n| n.delta).sum()
    }
    /// Sum of the node baselines.
    pub fn total_baseline(&self) -> f64 {
        self.nodes.iter().map(|n| n.baseline).sum()
    }
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&NodeEffect> {
        self.nodes.iter().find(|n| n.id == id)
    }
    /// The country with this id.
    pub fn country(&self, id: &str) -> Option<&GroupEffect> {
        self.countries.iter().find(|n| n.id == id)
    }
}

/// The nodes a demand target names: a node, else a country's nodes, else a sector's nodes.
///
/// Errors: none of these ([`Error::Unknown`] with the closest node, country or sector); a
/// sector on a graph whose nodes have no sector ([`Error::Param`]).
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
            .graph()
            .node_indices()
            .filter(|&i| g.node(i).sector == Some(s))
            .collect();
        if nodes.is_empty() {
            return Err(Error::ParamText(format!(
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
fn check_names(g: &TradeGraph, s: &Scenario) -> Result<()> {
    for code in s.elasticities.sectors.keys() {
        g.require_sector(code)?;
    }
    for shock in &s.shocks {
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
                return Err(Error::ParamText(format!(
                    "a trade-cost shock ({} on {}) is a general-equilibrium shock: prices must move for it to act (hint: run it with --model ge)",
                    c.importer, c.exporter
                )))
            }
        }
    }
    Ok(())
}

/// Direct effects shared by both models: flows and tariff summaries, and each node's
/// change of sales (`by_node`, for the exporter side) and purchases (`by_importer`).
struct Direct {
    flows: Vec<FlowEffect>,
    tariffs: Vec<TariffEffect>,
    /// Change of each supplier node's sales (tariffs and embargoes).
    sales: Vec<f64>,
    /// Change of each importer node's purchases (tariffs and embargoes; trade graphs).
    purchases: Vec<f64>,
    /// What the user should know: the scope of tariffs without sectors, tariffs replaced by
    /// more specific ones, changes that change nothing.
    notes: Vec<String>,
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

fn trade_direct(g: &TradeGraph, s: &Scenario) -> Result<Direct> {
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

/// Run a scenario on a graph (MODELS.md §4): input-output propagation when every node has a
/// gross output and the graph is an input-output graph ([`shock_io`]), DebtRank otherwise
/// ([`shock_trade`]).
///
/// Errors: unknown names ([`Error::Unknown`] with a suggestion); bad numbers, a tariff or
/// embargo on a pair that does not trade ([`Error::Param`]); a system whose rounds do not
/// shrink ([`Error::Numeric`], naming the node); no convergence ([`Error::NotConverged`]).
///
/// ```
/// use tradenet::analysis::{parse_tariff, shock, Scenario, Shock, ShockParams};
/// let g = tradenet::bundled::default_graph().unwrap();
/// let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN:C29=25%").unwrap())]);
/// let r = shock(&g, &s, &ShockParams::default()).unwrap();
/// assert_eq!(r.model.as_str(), "leontief");
/// assert!(r.node("CAN:C29").unwrap().delta < 0.0);
/// assert!(r.checks[0].max_rel_diff.unwrap() < 1e-9);
/// ```
pub fn shock(g: &TradeGraph, s: &Scenario, p: &ShockParams) -> Result<ShockResult> {
    s.validate()?;
    check_names(g, s)?;
    let has_output = g.node_count() > 0 && g.nodes().all(|n| n.output().is_some());
    if g.kind() == GraphKind::InputOutput && has_output {
        let sys = IoSystem::from_graph(g)?;
        shock_io(g, &sys, s, p)
    } else {
        let mut r = shock_trade(g, s, p)?;
        if g.kind() == GraphKind::InputOutput {
            r.notes.push(
                "the nodes have no gross output: DebtRank on the flows instead of Leontief (give output to use the input-output model)".into(),
            );
        }
        Ok(r)
    }
}

/// Run a scenario on an input-output system `sys` built from graph `g` (same node order):
/// tariffs and embargoes and demand changes form dy (Leontief), supply changes dv (Ghosh).
/// See [`shock`]; complexity O(rounds * nnz), plus O(n^3) for the dense cross-check when
/// n <= `p.dense_check_max`.
pub fn shock_io(
    g: &TradeGraph,
    sys: &IoSystem,
    s: &Scenario,
    p: &ShockParams,
) -> Result<ShockResult> {
    s.validate()?;
    check_names(g, s)?;
    p.rounds.validate()?;
    let n = g.node_count();
    if sys.len() != n {
        return Err(Error::ParamText(format!(
            "the input-output system has {} nodes, the graph {n}",
            sys.len()
        )));
    }
    let direct = trade_direct(g, s)?;
    let mut notes = direct.notes.clone();
    let mut dy = direct.sales.clone();
    let mut dv = vec![0.0; n];
    let x = sys.output();
    let y = sys.final_demand();
    for shock in &s.shocks {
        match shock {
            Shock::Demand(d) => {
                let nodes = resolve_target(g, &d.target)?;
                let mut any = false;
                for i in nodes {
                    let v = d.pct / 100.0 * y[i.index()];
                    any |= v != 0.0;
                    dy[i.index()] += v;
                }
                if !any && d.pct != 0.0 {
                    notes.push(format!(
                        "demand {}: no final demand there, so the change is 0",
                        d.target
                    ));
                }
            }
            Shock::DemandValue(d) => dy[g.require_node(&d.node)?.index()] += d.value,
            Shock::Supply(d) => {
                let i = g.require_node(&d.node)?.index();
                dv[i] += d.pct / 100.0 * x[i];
                if x[i] == 0.0 && d.pct != 0.0 {
                    notes.push(format!(
                        "supply {}: no gross output, so the change is 0",
                        d.node
                    ));
                }
            }
            _ => {}
        }
    }
    let run_ghosh = dv.iter().any(|&v| v != 0.0);
    let run_leontief = !run_ghosh || dy.iter().any(|&v| v != 0.0);
    let mut props: Vec<(&'static str, Propagation, &[f64])> = Vec::new();
    if run_leontief {
        props.push(("leontief", sys.leontief(&dy, &p.rounds)?, &dy));
    }
    if run_ghosh {
        props.push(("ghosh", sys.ghosh(&dv, &p.rounds)?, &dv));
    }
    let mut checks = Vec::new();
    for (model, prop, shock) in &props {
        let (residual, direct_solve) = if *model == "leontief" {
            (
                sys.leontief_residual(&prop.total, shock),
                (n <= p.dense_check_max)
                    .then(|| sys.leontief_dense(shock))
                    .transpose()?,
            )
        } else {
            (
                sys.ghosh_residual(&prop.total, shock),
                (n <= p.dense_check_max)
                    .then(|| sys.ghosh_dense(shock))
                    .transpose()?,
            )
        };
        let (max_abs, max_rel) = match direct_solve {
            Some(ds) => {
                let diff = ds
                    .iter()
                    .zip(&prop.total)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                let scale = ds.iter().map(|v| v.abs()).fold(0.0, f64::max);
                (
                    Some(diff),
                    Some(if scale > 0.0 { diff / scale } else { diff }),
                )
            }
            None => (None, None),
        };
        checks.push(CrossCheck {
            model,
            rounds: prop.rounds.len(),
            shock_l1: shock.iter().map(|v| v.abs()).sum(),
            residual_l1: residual,
            max_abs_diff: max_abs,
            max_rel_diff: max_rel,
        });
    }
    let mut total = vec![0.0; n];
    for (_, prop, _) in &props {
        for (t, v) in total.iter_mut().zip(&prop.total) {
            *t += v;
        }
    }
    // The indirect effect of the negative entries alone (Leontief and Ghosh are linear, so
    // the rest is the positive entries'). One more run per model when both signs occur.
    let mut via_losses = vec![0.0; n];
    for (model, prop, shock) in &props {
        let neg: Vec<f64> = shock.iter().map(|&v| v.min(0.0)).collect();
        let part = if neg.iter().all(|&v| v == 0.0) {
            continue;
        } else if shock.iter().all(|&v| v <= 0.0) {
            prop.total.clone()
        } else if *model == "leontief" {
            sys.leontief(&neg, &p.rounds)?.total
        } else {
            sys.ghosh(&neg, &p.rounds)?.total
        };
        for i in 0..n {
            via_losses[i] += part[i] - neg[i];
        }
    }
    let nodes: Vec<NodeEffect> = (0..n)
        .map(|i| {
            let ix = NodeIx::new(i);
            let node = g.node(ix);
            let direct = dy[i] + dv[i];
            NodeEffect {
                node: ix,
                id: node.id.to_string(),
                country: node.country_id().to_string(),
                sector: node.sector.map(|s| g.sector(s).id.clone()),
                baseline: x[i],
                delta: total[i],
                direct,
                indirect: total[i] - direct,
                via_losses: via_losses[i],
                via_gains: total[i] - direct - via_losses[i],
                h0: None,
                h: None,
            }
        })
        .collect();
    // Rounds of both models, added by index.
    let len = props
        .iter()
        .map(|(_, pr, _)| pr.rounds.len())
        .max()
        .unwrap_or(0);
    let mut rounds = Vec::with_capacity(len);
    let mut cumulative = 0.0;
    for k in 0..len {
        let mut delta = 0.0;
        let mut l1 = 0.0;
        let mut top: Vec<(usize, f64)> = Vec::new();
        for (_, pr, _) in &props {
            if let Some(r) = pr.rounds.get(k) {
                delta += r.sum;
                l1 += r.l1;
                for &(i, v) in &r.top {
                    match top.iter_mut().find(|(j, _)| *j == i) {
                        Some(e) => e.1 += v,
                        None => top.push((i, v)),
                    }
                }
            }
        }
        top.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        top.truncate(p.rounds.top);
        cumulative += delta;
        rounds.push(RoundEffect {
            round: k,
            delta,
            l1,
            cumulative,
            top: top
                .into_iter()
                .map(|(i, v)| (sys.ids()[i].clone(), v))
                .collect(),
            newly_distressed: None,
            loss: None,
        });
    }
    ShockResult {
        model: Model::InputOutput {
            leontief: run_leontief,
            ghosh: run_ghosh,
        },
        countries: group_by(g, &nodes, |n| Some(n.country.as_str())),
        sectors: group_by(g, &nodes, |n| n.sector.as_deref()),
        nodes,
        rounds,
        flows: direct.flows,
        tariffs: direct.tariffs,
        checks,
        debtrank: None,
        notes,
    }
    .finite()
}

/// Run a scenario by DebtRank on the flows of `g` (any graph; parties are nodes). Each node's
/// direct change of its base (exports for the export channel, imports for the import
/// channel) comes from tariffs (SMART), embargoes, and percentage changes (pct/100 * base);
/// a loss gives the initial distress h(0) = min(1, loss / base). See [`shock`] and
/// [`debtrank`]. Complexity O(m) to build the CSR plus O(rounds * (n + m)).
pub fn shock_trade(g: &TradeGraph, s: &Scenario, p: &ShockParams) -> Result<ShockResult> {
    s.validate()?;
    check_names(g, s)?;
    let n = g.node_count();
    let csr = Csr::from_graph(
        g,
        &FlowFilter {
            drop_self_loops: true,
            ..Default::default()
        },
    );
    let base = channel_base(&csr, p.channel);
    let d = trade_direct(g, s)?;
    let mut notes = d.notes.clone();
    let mut change = match p.channel {
        Channel::Export => d.sales.clone(),
        Channel::Import => d.purchases.clone(),
    };
    for shock in &s.shocks {
        let (nodes, pct) = match shock {
            Shock::Demand(x) => (resolve_target(g, &x.target)?, x.pct),
            Shock::Supply(x) => (vec![g.require_node(&x.node)?], x.pct),
            Shock::DemandValue(x) => {
                change[g.require_node(&x.node)?.index()] += x.value;
                continue;
            }
            _ => continue,
        };
        for i in nodes {
            change[i.index()] += pct / 100.0 * base[i.index()];
        }
    }
    if change.iter().any(|&c| c > 0.0) {
        notes.push(
            "DebtRank spreads losses only: gains (trade diversion, demand increases) are kept as direct effects and do not propagate".into(),
        );
    }
    let mut h0 = vec![0.0; n];
    for i in 0..n {
        if change[i] < 0.0 {
            if base[i] > 0.0 {
                h0[i] = (-change[i] / base[i]).min(1.0);
            } else {
                notes.push(format!(
                    "{}: a loss but no {} to lose from; ignored",
                    g.node(NodeIx::new(i)).id,
                    if p.channel == Channel::Export {
                        "exports"
                    } else {
                        "imports"
                    }
                ));
            }
        }
    }
    let dr = debtrank(
        &csr,
        &h0,
        &DebtRankParams {
            channel: p.channel,
            history: p.history,
        },
    )?;
    let nodes: Vec<NodeEffect> = (0..n)
        .map(|i| {
            let ix = NodeIx::new(i);
            let node = g.node(ix);
            let gain = change[i].max(0.0);
            let direct = gain - dr.h0[i] * base[i];
            let indirect = -(dr.h[i] - dr.h0[i]) * base[i];
            let delta = direct + indirect;
            NodeEffect {
                node: ix,
                id: node.id.to_string(),
                country: node.country_id().to_string(),
                sector: node.sector.map(|s| g.sector(s).id.clone()),
                baseline: base[i],
                delta,
                direct,
                indirect,
                via_losses: indirect,
                via_gains: 0.0,
                h0: Some(dr.h0[i]),
                h: Some(dr.h[i]),
            }
        })
        .collect();
    let mut rounds = Vec::with_capacity(dr.rounds.len());
    let mut cumulative = 0.0;
    for r in &dr.rounds {
        let delta = if r.round == 0 {
            nodes.iter().map(|x| x.direct).sum()
        } else {
            -r.value_lost
        };
        cumulative += delta;
        rounds.push(RoundEffect {
            round: r.round,
            delta,
            l1: if r.round == 0 {
                nodes.iter().map(|x| x.direct.abs()).sum()
            } else {
                r.value_lost.abs()
            },
            cumulative,
            top: Vec::new(),
            newly_distressed: Some(r.newly_distressed),
            loss: Some(r.loss),
        });
    }
    ShockResult {
        model: Model::DebtRank(p.channel),
        countries: group_by(g, &nodes, |n| Some(n.country.as_str())),
        sectors: group_by(g, &nodes, |n| n.sector.as_deref()),
        nodes,
        rounds,
        flows: d.flows,
        tariffs: d.tariffs,
        checks: Vec::new(),
        debtrank: Some(dr),
        notes,
    }
    .finite()
}

/// Sum nodes by a key; countries sorted by id, sectors in sector-table order.
fn group_by(
    g: &TradeGraph,
    nodes: &[NodeEffect],
    key: impl Fn(&NodeEffect) -> Option<&str>,
) -> Vec<GroupEffect> {
    let mut index: crate::model::FastMap<&str, usize> = Default::default();
    let mut out: Vec<GroupEffect> = Vec::new();
    for n in nodes {
        let Some(k) = key(n) else { continue };
        let slot = *index.entry(k).or_insert_with(|| {
            out.push(GroupEffect {
                id: k.to_string(),
                baseline: 0.0,
                delta: 0.0,
                direct: 0.0,
                indirect: 0.0,
                via_losses: 0.0,
                via_gains: 0.0,
                nodes: 0,
            });
            out.len() - 1
        });
        let e = &mut out[slot];
        e.baseline += n.baseline;
        e.delta += n.delta;
        e.direct += n.direct;
        e.indirect += n.indirect;
        e.via_losses += n.via_losses;
        e.via_gains += n.via_gains;
        e.nodes += 1;
    }
    // Sector codes sort in table order (c2 before c10), countries by id.
    let mut keyed: Vec<(usize, GroupEffect)> = out
        .into_iter()
        .map(|e| (g.sector_id(&e.id).map_or(usize::MAX, |s| s.index()), e))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    keyed.into_iter().map(|(_, e)| e).collect()
}
