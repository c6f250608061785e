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

mod carried;
mod compare;
mod debtrank;
mod direct;
mod io_model;
mod io_runner;
mod results;
mod ripple;
mod scenario;
mod scenario_file;
mod spec;
mod tariff;
mod trade_runner;

pub use carried::{taxed_value_added, TaxedValueAdded};
pub use compare::{compare, CompareParams, Comparison, Difference, SavedChange, SavedShock};
pub use debtrank::{channel_base, debtrank, Channel, DebtRank, DebtRankParams, DebtRankRound};
pub use direct::resolve_target;
pub use io_model::{IoSystem, Propagation, Round, RoundParams};
pub use io_runner::shock_io;
pub use results::{
    percent, CrossCheck, FlowCause, FlowEffect, GroupEffect, HitAbroad, HitCountry, Model, Mover,
    NodeEffect, RoundEffect, ShockResult, Totals,
};
pub use ripple::{ripple, Ripple};
pub use scenario::{
    number_text, percent_text, Demand, DemandValue, Elasticities, Embargo, Scenario,
    SectorElasticities, Shock, Supply, Tariff, DEFAULT_IMPORT_DEMAND, DEFAULT_SUBSTITUTION,
    SCENARIO_FORMAT,
};
pub use spec::{parse_demand, parse_embargo, parse_supply, parse_tariff};
pub use tariff::{
    smart, tariff_effects, tariff_scope, PartnerEffect, ScopeKind, Smart, SmartParams,
    TariffEffect, TariffScope, TARIFF_ASSUMPTIONS,
};
pub use trade_runner::shock_trade;

use crate::error::{Error, Result};
use crate::model::{GraphKind, TradeGraph};

/// Which propagation [`shock`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModelChoice {
    /// Input-output (Leontief and Ghosh) when the graph is an input-output graph whose nodes
    /// all have a gross output, or when [`ShockParams::gross_output`] or
    /// [`ShockParams::final_demand`] is given; DebtRank otherwise (default).
    #[default]
    Auto,
    /// Leontief and Ghosh; the graph (or `gross_output`) must give every node's output.
    InputOutput,
    /// DebtRank on the flows, on any graph.
    DebtRank,
}

/// Parameters of [`shock`].
#[derive(Debug, Clone, PartialEq)]
pub struct ShockParams {
    /// Which model: [`ModelChoice::Auto`] by default.
    pub model: ModelChoice,
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
    /// The gross output of every node, by node id, instead of the graph's (for edge lists of
    /// country-sector flows). Default none.
    pub gross_output: Option<Vec<(String, f64)>>,
    /// The final demand of nodes, by node id (nodes not listed: 0), instead of the graph's.
    /// Default none.
    pub final_demand: Option<Vec<(String, f64)>>,
}

impl Default for ShockParams {
    fn default() -> Self {
        ShockParams {
            model: ModelChoice::Auto,
            rounds: RoundParams::default(),
            channel: Channel::Export,
            dense_check_max: 1500,
            history: false,
            gross_output: None,
            final_demand: None,
        }
    }
}

impl ShockParams {
    /// Check the parameters that need no graph: the rounds' tolerance and count, finite
    /// gross outputs (>= 0) and final demands, no node given twice, and no input-output data
    /// for a DebtRank run.
    ///
    /// Errors: [`Error::Param`] naming the field (`rounds.tol`, `gross_output`).
    ///
    /// ```
    /// use tradenet::analysis::ShockParams;
    /// let mut p = ShockParams::default();
    /// p.rounds.tol = 0.0;
    /// let e = p.validate().unwrap_err().to_string();
    /// assert!(e.starts_with("rounds.tol = 0: "), "{e}");
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.rounds.validate()?;
        for (name, list) in [
            ("gross_output", &self.gross_output),
            ("final_demand", &self.final_demand),
        ] {
            let Some(list) = list else { continue };
            if self.model == ModelChoice::DebtRank {
                return Err(Error::param(
                    name,
                    "",
                    "is input-output data: DebtRank does not use it",
                ));
            }
            let mut seen = std::collections::HashSet::new();
            for (id, v) in list {
                if !seen.insert(id.as_str()) {
                    return Err(Error::param(
                        name,
                        crate::text::clip(id),
                        "gives this node twice",
                    ));
                }
                let ok = v.is_finite() && (name == "final_demand" || *v >= 0.0);
                if !ok {
                    let rule = if name == "final_demand" {
                        "must be finite"
                    } else {
                        "must be finite and >= 0"
                    };
                    return Err(Error::param(
                        format!("{name}[{}]", crate::text::clip(id)),
                        v,
                        rule,
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `values` (node id, value) as a vector in the node order of `g`; `all`: every node needs a
/// value, else the missing are 0. Errors: an unknown id ([`Error::Unknown`]); a node missing
/// when `all` ([`Error::Param`] naming `name`).
fn node_vector(
    g: &TradeGraph,
    values: &[(String, f64)],
    name: &str,
    all: bool,
) -> Result<Vec<f64>> {
    let mut v = vec![f64::NAN; g.node_count()];
    for (id, x) in values {
        v[g.require_node(id)?.index()] = *x;
    }
    if all {
        if let Some(i) = v.iter().position(|x| x.is_nan()) {
            return Err(Error::param(
                name,
                "",
                format!(
                    "no value for node '{}' (every node needs one)",
                    crate::text::clip(&g.node(crate::model::NodeIx::new(i)).id)
                ),
            ));
        }
    }
    Ok(v.into_iter()
        .map(|x| if x.is_nan() { 0.0 } else { x })
        .collect())
}

/// Changes of final demand in value, by node id (a `node,value` file), as [`DemandValue`]
/// shocks in the node order of `g`: zeros are left out.
///
/// Errors: an unknown node ([`Error::Unknown`] with a suggestion).
///
/// ```
/// use tradenet::analysis::demand_values;
/// let g = tradenet::bundled::default_graph().unwrap();
/// let v = demand_values(&g, &[("USA:C29".into(), -5.0), ("CAN:C29".into(), 0.0)]).unwrap();
/// assert_eq!(v.len(), 1);
/// assert_eq!(v[0].node, "USA:C29");
/// ```
pub fn demand_values(g: &TradeGraph, values: &[(String, f64)]) -> Result<Vec<DemandValue>> {
    let mut v: Vec<(usize, f64)> = Vec::with_capacity(values.len());
    for (id, x) in values {
        if *x != 0.0 {
            v.push((g.require_node(id)?.index(), *x));
        }
    }
    v.sort_by_key(|&(i, _)| i);
    Ok(v.into_iter()
        .map(|(i, value)| DemandValue {
            node: g.node(crate::model::NodeIx::new(i)).id.to_string(),
            value,
        })
        .collect())
}

/// Run a scenario on a graph (MODELS.md §4): input-output propagation ([`shock_io`]) or
/// DebtRank ([`shock_trade`]) as [`ShockParams::model`] says (by default input-output when
/// every node has a gross output and the graph is an input-output graph, or when
/// `p.gross_output` or `p.final_demand` gives the data).
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
    Ok(run(g, s, p, false)?.0)
}

/// [`shock`], with every node's cumulative change after each round when `keep`.
fn run(
    g: &TradeGraph,
    s: &Scenario,
    p: &ShockParams,
    keep: bool,
) -> Result<(ShockResult, Option<Vec<Vec<f64>>>)> {
    p.validate()?;
    s.validate()?;
    direct::check_names(g, s)?;
    let external = p.gross_output.is_some() || p.final_demand.is_some();
    let has_output = g.node_count() > 0 && g.nodes().all(|n| n.output().is_some());
    let io = match p.model {
        ModelChoice::Auto => external || (g.kind() == GraphKind::InputOutput && has_output),
        ModelChoice::InputOutput => true,
        ModelChoice::DebtRank => false,
    };
    if io {
        let sys = if external {
            let x = match &p.gross_output {
                Some(v) => node_vector(g, v, "gross_output", true)?,
                None => g
                    .nodes()
                    .map(|n| n.output())
                    .collect::<Option<Vec<f64>>>()
                    .ok_or_else(|| {
                        Error::param(
                            "final_demand",
                            "",
                            "needs gross output on every node: give gross_output too",
                        )
                    })?,
            };
            let y = p
                .final_demand
                .as_deref()
                .map(|v| node_vector(g, v, "final_demand", false))
                .transpose()?;
            IoSystem::from_graph_with(g, x, y)?
        } else {
            IoSystem::from_graph(g)?
        };
        io_runner::shock_io_kept(g, &sys, s, p, keep)
    } else {
        let (mut r, by_round) = trade_runner::shock_trade_kept(g, s, p, keep)?;
        if g.kind() == GraphKind::InputOutput && p.model == ModelChoice::Auto {
            r.notes.push(
                "the nodes have no gross output: DebtRank on the flows instead of Leontief (give output to use the input-output model)".into(),
            );
        }
        Ok((r, by_round))
    }
}
