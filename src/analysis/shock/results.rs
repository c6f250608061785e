//! What [`shock`](super::shock) returns: the change of every node, country, sector and round,
//! and the direct effects on the trade flows. The types serialise to FORMAT.md §3's JSON.

use super::debtrank::{Channel, DebtRank};
use super::tariff::TariffEffect;
use super::ShockParams;
use crate::error::{Error, Result};
use crate::model::{NodeIx, TradeGraph};
use serde::{Deserialize, Serialize, Serializer};

/// How a shock was propagated (serialised as [`Model::as_str`]).
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

/// The change of one node (a row of the JSON's `nodes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeEffect {
    /// Node index in the graph (not in the JSON).
    #[serde(skip)]
    pub node: NodeIx,
    /// Node id.
    pub id: String,
    /// Baseline: gross output (input-output), or exports / imports (DebtRank, by channel).
    pub baseline: f64,
    /// New minus baseline.
    pub delta: f64,
    /// The change in percent of the baseline ([`percent`]; `None` for a zero baseline).
    pub delta_pct: Option<f64>,
    /// Its country.
    pub country: String,
    /// Its sector code, if any.
    pub sector: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h0: Option<f64>,
    /// DebtRank: final distress h(T).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
}

/// `100 * delta / baseline`, `None` for a zero baseline: the one percent rule of every shock
/// output (nodes, countries, sectors, flows, the total, and `draw`'s impact colours).
///
/// ```
/// use tradenet::analysis::percent;
/// assert_eq!(percent(-5.0, 200.0), Some(-2.5));
/// assert_eq!(percent(1.0, 0.0), None);
/// ```
pub fn percent(delta: f64, baseline: f64) -> Option<f64> {
    (baseline != 0.0).then(|| 100.0 * delta / baseline)
}

impl NodeEffect {
    /// The change in percent of the baseline (`None` for a zero baseline).
    pub fn delta_pct(&self) -> Option<f64> {
        self.delta_pct
    }
}

/// The change of a group of nodes (a country or a sector; a row of the JSON's `countries`
/// and `sectors`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupEffect {
    /// Country id or sector code.
    pub id: String,
    /// Sum of the nodes' baselines.
    pub baseline: f64,
    /// Sum of the nodes' deltas.
    pub delta: f64,
    /// The change in percent of the baseline ([`percent`]).
    pub delta_pct: Option<f64>,
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
        self.delta_pct
    }
}

/// One round of the ripple.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundEffect {
    /// 0: the shock itself; k: the k-th tier of suppliers (Leontief) or buyers (Ghosh), or
    /// DebtRank's k-th round.
    pub round: usize,
    /// Sum of the changes in this round.
    pub delta: f64,
    /// Sum of `delta` up to and including this round.
    pub cumulative: f64,
    /// Sum of the absolute changes in this round.
    pub l1: f64,
    /// This round's part of the total change (`None` when the total is 0).
    pub share: Option<f64>,
    /// DebtRank: nodes newly distressed in this round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newly_distressed: Option<usize>,
    /// DebtRank: this round's part of the systemic loss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<f64>,
    /// The round's largest movers; input-output models only (`None` for DebtRank).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<Vec<Mover>>,
}

/// A node and its change in one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mover {
    /// Node id.
    pub id: String,
    /// Its change.
    pub delta: f64,
}

/// What changed a trade flow directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Everything [`shock`](super::shock) computes.
#[derive(Debug, Clone)]
pub struct ShockResult {
    /// How it was propagated.
    pub model: Model,
    /// The parameters it ran with.
    pub params: ShockParams,
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
    /// The result with each round's share of the total, or a named error when a number in
    /// it overflowed.
    pub(super) fn finish(mut self) -> Result<ShockResult> {
        let total = self.total_delta();
        for r in &mut self.rounds {
            r.share = (total != 0.0).then(|| r.delta / total);
        }
        self.finite()
    }

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

    /// The totals over every node.
    pub fn totals(&self) -> Totals {
        let baseline = self.total_baseline();
        let delta = self.total_delta();
        let direct: f64 = self.nodes.iter().map(|n| n.direct).sum();
        Totals {
            baseline,
            delta,
            delta_pct: percent(delta, baseline),
            direct,
            indirect: delta - direct,
        }
    }
    /// The nodes by |delta|, descending, ties by id (the JSON's and the tables' order).
    pub fn ranked_nodes(&self) -> Vec<&NodeEffect> {
        by_abs_delta(&self.nodes, |n| n.delta, |n| &n.id)
    }
    /// The countries by |delta|, descending, ties by id.
    pub fn ranked_countries(&self) -> Vec<&GroupEffect> {
        by_abs_delta(&self.countries, |n| n.delta, |n| &n.id)
    }
    /// The sectors by |delta|, descending, ties by code.
    pub fn ranked_sectors(&self) -> Vec<&GroupEffect> {
        by_abs_delta(&self.sectors, |n| n.delta, |n| &n.id)
    }
    /// Who abroad is hit through the supply chains of the losers, before any gain: the
    /// countries with no direct loss whose indirect change caused by the shock's losses
    /// (`via_losses`) is negative, most hit first (ties by id). `None` for DebtRank, when no
    /// node loses directly, or when nobody else is hit.
    ///
    /// ```
    /// use tradenet::analysis::{parse_tariff, shock, Scenario, Shock, ShockParams};
    /// let g = tradenet::bundled::default_graph().unwrap();
    /// let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN:C29=25%").unwrap())]);
    /// let r = shock(&g, &s, &ShockParams::default()).unwrap();
    /// let h = r.hit_abroad().unwrap();
    /// assert_eq!(h.hit, ["CAN"]);
    /// assert!(h.countries.iter().all(|c| c.country.via_losses < 0.0));
    /// ```
    pub fn hit_abroad(&self) -> Option<HitAbroad<'_>> {
        if self.debtrank.is_some() {
            return None;
        }
        let hit: std::collections::BTreeSet<&str> = self
            .nodes
            .iter()
            .filter(|n| n.direct < 0.0)
            .map(|n| n.country.as_str())
            .collect();
        let mut countries: Vec<HitCountry<'_>> = self
            .countries
            .iter()
            .filter(|c| c.via_losses < 0.0 && !hit.contains(c.id.as_str()))
            .map(|c| {
                let mut nodes: Vec<&NodeEffect> = self
                    .nodes
                    .iter()
                    .filter(|n| n.country == c.id && n.via_losses < 0.0)
                    .collect();
                nodes.sort_by(|x, y| {
                    x.via_losses
                        .total_cmp(&y.via_losses)
                        .then_with(|| x.id.cmp(&y.id))
                });
                HitCountry {
                    country: c,
                    via_losses_pct: percent(c.via_losses, c.baseline),
                    nodes,
                }
            })
            .collect();
        countries.sort_by(|x, y| {
            x.country
                .via_losses
                .total_cmp(&y.country.via_losses)
                .then_with(|| x.country.id.cmp(&y.country.id))
        });
        (!countries.is_empty() && !hit.is_empty()).then(|| HitAbroad {
            hit: hit.into_iter().collect(),
            countries,
        })
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

/// Sum nodes by a key; countries sorted by id, sectors in sector-table order.
pub(super) fn group_by(
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
                delta_pct: None,
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
    keyed
        .into_iter()
        .map(|(_, mut e)| {
            e.delta_pct = percent(e.delta, e.baseline);
            e
        })
        .collect()
}

/// Items by |delta|, descending, ties by id.
fn by_abs_delta<T>(items: &[T], delta: impl Fn(&T) -> f64, id: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| {
        delta(b)
            .abs()
            .total_cmp(&delta(a).abs())
            .then_with(|| id(a).cmp(id(b)))
    });
    v
}

/// The totals of a [`ShockResult`] (the JSON's `summary`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Sum of the baselines.
    pub baseline: f64,
    /// Sum of the changes.
    pub delta: f64,
    /// The change in percent of the baseline ([`percent`]).
    pub delta_pct: Option<f64>,
    /// Sum of the direct changes.
    pub direct: f64,
    /// `delta - direct`.
    pub indirect: f64,
}

/// [`ShockResult::hit_abroad`]: the countries hit only through the losers' supply chains.
#[derive(Debug, Clone, PartialEq)]
pub struct HitAbroad<'a> {
    /// The countries with a direct loss, by id.
    pub hit: Vec<&'a str>,
    /// The others hit through them, most hit first.
    pub countries: Vec<HitCountry<'a>>,
}

/// One country of [`HitAbroad`].
#[derive(Debug, Clone, PartialEq)]
pub struct HitCountry<'a> {
    /// The country's change.
    pub country: &'a GroupEffect,
    /// `via_losses` in percent of its baseline ([`percent`]).
    pub via_losses_pct: Option<f64>,
    /// Its nodes with a negative `via_losses`, most hit first (ties by id).
    pub nodes: Vec<&'a NodeEffect>,
}

impl Serialize for Model {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// FORMAT.md §3's `params`.
#[derive(Serialize)]
struct ParamsJson {
    tol: f64,
    rounds_max: usize,
    channel: &'static str,
    check_max: usize,
}

/// FORMAT.md §3's `debtrank`.
#[derive(Serialize)]
struct DebtRankJson<'a> {
    channel: &'static str,
    systemic_loss: f64,
    rounds: usize,
    distressed: usize,
    /// h per node per round, keyed by node id.
    #[serde(skip_serializing_if = "Option::is_none")]
    h_by_round: Option<ByNode<'a>>,
}

/// Each node's h after every round, as a map from node id (graph order) to its rounds.
struct ByNode<'a> {
    nodes: &'a [NodeEffect],
    history: &'a [Vec<f64>],
}

impl Serialize for ByNode<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        struct Column<'b>(&'b [Vec<f64>], usize);
        impl Serialize for Column<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|h| h[self.1]))
            }
        }
        s.collect_map(
            self.nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (&n.id, Column(self.history, i))),
        )
    }
}

/// FORMAT.md §3 without `graph` and `scenario` (the caller knows those).
#[derive(Serialize)]
struct ShockJson<'a> {
    model: Model,
    params: ParamsJson,
    summary: Totals,
    nodes: Vec<&'a NodeEffect>,
    countries: Vec<&'a GroupEffect>,
    sectors: Vec<&'a GroupEffect>,
    rounds: &'a [RoundEffect],
    flows: &'a [FlowEffect],
    tariffs: &'a [TariffEffect],
    checks: &'a [CrossCheck],
    debtrank: Option<DebtRankJson<'a>>,
    notes: &'a [String],
}

/// The JSON of FORMAT.md §3 from `model` on: nodes, countries and sectors by |delta|.
impl Serialize for ShockResult {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let p = &self.params;
        ShockJson {
            model: self.model,
            params: ParamsJson {
                tol: p.rounds.tol,
                rounds_max: p.rounds.max_rounds,
                channel: p.channel.as_str(),
                check_max: p.dense_check_max,
            },
            summary: self.totals(),
            nodes: self.ranked_nodes(),
            countries: self.ranked_countries(),
            sectors: self.ranked_sectors(),
            rounds: &self.rounds,
            flows: &self.flows,
            tariffs: &self.tariffs,
            checks: &self.checks,
            debtrank: self.debtrank.as_ref().map(|d| DebtRankJson {
                channel: d.channel.as_str(),
                systemic_loss: d.systemic_loss,
                rounds: d.rounds.len(),
                distressed: d.distressed_round.iter().filter(|x| x.is_some()).count(),
                h_by_round: d.history.as_deref().map(|history| ByNode {
                    nodes: &self.nodes,
                    history,
                }),
            }),
            notes: &self.notes,
        }
        .serialize(s)
    }
}
