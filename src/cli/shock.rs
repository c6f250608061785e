//! `tradenet shock`: what a tariff, a demand change, a supply cut or an embargo does directly,
//! and how it ripples through supply chains round by round.

use super::flags::{self, Range};
use super::output::{to_json, Csv, Report, Sink, Table};
pub use super::scenario::{flagged, scenario_of, ScenarioArgs};
use super::shock_tables::{self as tables, signed};
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;
use tradenet::analysis::{
    demand_values, parse_tariff, shock, taxed_value_added, Channel, RoundParams, Scenario, Shock,
    ShockParams, ShockResult, TaxedValueAdded, TARIFF_ASSUMPTIONS,
};
use tradenet::io::values::read_node_values;

/// The scenario run when no scenario is given on the embedded default graph.
pub const DEFAULT_SCENARIO: &str = "USA:CAN:C29=25%";

/// The line that says the default scenario ran.
pub(crate) fn default_scenario_line() -> String {
    format!("no scenario given: running the default scenario --tariff {DEFAULT_SCENARIO} (a US 25% tariff on Canadian motor vehicles and parts)")
}

#[derive(Debug, Args)]
pub struct ShockArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub ge: super::ge::GeArgs,
    /// Compare two shocks: each a saved result (`shock ... --format json -o A.json`) or a
    /// scenario file (run on GRAPH, as `--scenario FILE` would): each country and node's change
    /// in A, in B, and B - A.
    #[arg(long, num_args = 2, value_names = ["A", "B"], value_parser = flags::name("a file name"),
          conflicts_with_all = ["tariff", "demand", "supply", "embargo", "scenario", "dy"])]
    pub compare: Vec<String>,
    /// Changes of final demand in value, from a `node,value` CSV (nodes not listed: 0).
    #[arg(long, value_name = "FILE", help_heading = "Scenario", value_parser = flags::name("a file name"))]
    pub dy: Option<String>,
    /// Gross output of every node from a `node,value` CSV (for edge lists of country-sector flows).
    #[arg(long, value_name = "FILE", help_heading = "Input-output data", value_parser = flags::name("a file name"))]
    pub gross_output: Option<String>,
    /// Final demand of every node from a `node,value` CSV (nodes not listed: 0).
    #[arg(long, value_name = "FILE", help_heading = "Input-output data", value_parser = flags::name("a file name"))]
    pub final_demand: Option<String>,
    /// Most rounds of the supply-chain ripple.
    #[arg(long, default_value_t = 1000, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the most rounds"))]
    pub rounds_max: usize,
    /// Stop the rounds when a round's L1 norm is below T times the shock's.
    #[arg(long, default_value_t = 1e-10, value_name = "T", allow_hyphen_values = true,
          value_parser = flags::number(Range::Positive, "the tolerance"))]
    pub tol: f64,
    /// DebtRank channel (trade graphs): export = a buyer's distress hits its suppliers; import =
    /// a supplier's distress hits its buyers.
    #[arg(long, value_enum, default_value_t = ChannelArg::Export)]
    pub channel: ChannelArg,
    /// Cross-check the rounds against a dense LU solve up to N nodes (O(N^3)).
    #[arg(long, default_value_t = 1500, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(0, "the most nodes to cross-check"))]
    pub check_max: usize,
    /// Trace the taxed flows to the value added they carry: whose value added (by country and
    /// by country-sector) is inside the sales a tariff hits (input-output graphs).
    #[arg(long)]
    pub value_added: bool,
    /// Rows in the human tables.
    #[arg(long, default_value_t = 15, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// A distressed buyer cuts its suppliers by the share of their exports it took.
    Export,
    /// A distressed supplier cuts its buyers by the share of their imports it provided.
    Import,
}

/// The flags' parameters (the graph's size sets DebtRank's history, and the input-output
/// data files are read once the graph is known).
fn params_of(a: &ShockArgs) -> Result<ShockParams> {
    let p = ShockParams {
        rounds: RoundParams {
            tol: a.tol,
            max_rounds: a.rounds_max,
            top: 5,
        },
        channel: match a.channel {
            ChannelArg::Export => Channel::Export,
            ChannelArg::Import => Channel::Import,
        },
        dense_check_max: a.check_max,
        ..Default::default()
    };
    p.validate().map_err(flagged)?;
    Ok(p)
}

/// A `node,value` file given with `flag`.
fn values(flag: &str, path: &Option<String>) -> Result<Option<Vec<(String, f64)>>> {
    path.as_deref()
        .map(|p| read_node_values(p).with_context(|| format!("{flag} {p}")))
        .transpose()
}

/// Flags of the model not chosen, refused by name (the chosen model would ignore them):
/// `tradenet shock`'s and `tradenet report`'s check (`report` through [`super::report`]'s
/// shock arguments). `--compare` with `--model ge` names its own way.
pub(crate) fn refuse_other_models_flags(a: &ShockArgs) -> Result<()> {
    if a.ge.model == super::ge::ModelArg::Ripple {
        let wrong = super::ge::ge_flags_given(&a.ge);
        if !wrong.is_empty() {
            bail!(
                "{} to the general-equilibrium model, and the model is the ripple one (hint: add --model ge)",
                flags::named(&wrong)
            );
        }
        return Ok(());
    }
    let wrong = flags::given([
        (a.dy.is_some(), "--dy"),
        (a.gross_output.is_some(), "--gross-output"),
        (a.final_demand.is_some(), "--final-demand"),
        (a.channel != ChannelArg::Export, "--channel"),
        (
            a.scenario.import_elasticity.is_some(),
            "--import-elasticity",
        ),
        (a.scenario.substitution.is_some(), "--substitution"),
        (a.value_added, "--value-added"),
    ]);
    if !wrong.is_empty() {
        bail!(
            "{} to the ripple model, and the model is --model ge (hint: drop {}, or drop --model ge)",
            flags::named(&wrong),
            wrong.join(" ")
        );
    }
    Ok(())
}

pub fn run(a: ShockArgs, out: &Sink) -> Result<()> {
    refuse_other_models_flags(&a)?;
    if !a.compare.is_empty() {
        return super::compare::run(&a, out);
    }
    if a.ge.model == super::ge::ModelArg::Ge {
        return super::ge::run(&a.ge, &a.scenario, &a.graph, a.top, out);
    }
    let s = compute(&a)?;
    out.report(&s.report(a.top, a.dy.as_deref()))
}

/// A partial-equilibrium shock as run: the graph, the scenario, the result.
pub(crate) struct Shocked {
    pub loaded: super::Loaded,
    pub scenario: Scenario,
    /// True when no scenario was given and the default one ran on the default graph.
    pub is_default: bool,
    pub result: ShockResult,
    /// With --value-added: whose value added the taxed flows carry.
    pub carried: Option<TaxedValueAdded>,
}

impl Shocked {
    /// What `tradenet shock` prints of it.
    pub(crate) fn report<'a>(&'a self, top: usize, dy: Option<&'a str>) -> ShockReport<'a> {
        ShockReport {
            loaded: &self.loaded,
            scenario: &self.scenario,
            is_default: self.is_default,
            r: &self.result,
            top,
            dy,
            carried: self.carried.as_ref(),
        }
    }
}

/// Load the graph, build the scenario (the default one on the default graph) and run it, as
/// `tradenet shock` does (partial equilibrium: not `--compare`, not `--model ge`).
pub(crate) fn compute(a: &ShockArgs) -> Result<Shocked> {
    compute_with(a, &a.scenario)
}

/// [`compute`] with the scenario flags `sc` in place of `a`'s.
pub(crate) fn compute_with(a: &ShockArgs, sc: &ScenarioArgs) -> Result<Shocked> {
    let mut params = params_of(a)?;
    let scenario = scenario_of(sc, a.dy.is_some())?;
    let (mut scenario, is_default) = match scenario {
        Some(s) => (s, false),
        None if a.graph.graph.is_none() => (
            Scenario {
                name: Some("US 25% tariff on Canadian motor vehicles and parts (default)".into()),
                ..Scenario::new(vec![Shock::Tariff(parse_tariff(DEFAULT_SCENARIO)?)])
            },
            true,
        ),
        None => bail!(
            "no scenario: give --tariff, --demand, --supply, --embargo, --dy FILE or --scenario FILE (e.g. --tariff USA:CAN:C29=25%)"
        ),
    };
    if let Some(Shock::TradeCost(c)) = scenario
        .shocks
        .iter()
        .find(|s| matches!(s, Shock::TradeCost(_)))
    {
        bail!(
            "a trade-cost shock ({} on {}) is a general-equilibrium shock: prices must move for it to act (hint: run it with --model ge)",
            c.importer, c.exporter
        );
    }
    let dy = values("--dy", &a.dy)?;
    params.gross_output = values("--gross-output", &a.gross_output)?;
    params.final_demand = values("--final-demand", &a.final_demand)?;
    let loaded = a.graph.load()?.latest_year()?;
    let g = &loaded.graph;
    if let (Some(path), Some(dy)) = (&a.dy, &dy) {
        let shocks = demand_values(g, dy).with_context(|| format!("--dy {path}"))?;
        scenario
            .shocks
            .extend(shocks.into_iter().map(Shock::DemandValue));
        if scenario.shocks.is_empty() {
            bail!("{path}: every change is zero: nothing to propagate");
        }
    }
    params.history = g.node_count() <= 10_000;
    let result = shock(g, &scenario, &params)
        .map_err(flagged)
        .with_context(|| format!("the scenario on {}", loaded.label))?;
    let carried = a
        .value_added
        .then(|| taxed_value_added(g, &result).context("--value-added"))
        .transpose()?;
    Ok(Shocked {
        loaded,
        scenario,
        is_default,
        result,
        carried,
    })
}

/// What `tradenet shock` prints.
pub(crate) struct ShockReport<'a> {
    loaded: &'a super::Loaded,
    scenario: &'a Scenario,
    is_default: bool,
    r: &'a ShockResult,
    top: usize,
    /// The `--dy` file, if any.
    dy: Option<&'a str>,
    /// With --value-added: whose value added the taxed flows carry.
    carried: Option<&'a TaxedValueAdded>,
}

/// FORMAT.md §3: the graph, the scenario, then the result.
#[derive(Serialize)]
struct ShockJson<'a> {
    graph: Value,
    scenario: ScenarioJson<'a>,
    #[serde(flatten)]
    result: &'a ShockResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_added: Option<&'a tradenet::analysis::gvc::Carried>,
}

/// The scenario as run, whether it is the default, and the tariff model's assumptions.
#[derive(Serialize)]
struct ScenarioJson<'a> {
    #[serde(flatten)]
    scenario: Value,
    default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    assumptions: Option<&'a [&'a str]>,
}

impl ShockReport<'_> {
    /// The graph and the scenario: one line per shock, the shocks read from --dy summed in
    /// one line.
    pub(crate) fn scenario_lines(&self) -> Vec<String> {
        let s = self.scenario;
        let mut out = vec![format!("graph: {}", self.loaded.label)];
        if self.is_default {
            out.push(default_scenario_line());
        } else if let Some(n) = &s.name {
            out.push(format!("scenario: {n}"));
        }
        let values: Vec<f64> = s
            .shocks
            .iter()
            .filter_map(|s| match s {
                Shock::DemandValue(d) => Some(d.value),
                _ => None,
            })
            .collect();
        let lines: Vec<String> = s
            .shocks
            .iter()
            .zip(s.describe())
            .filter(|(s, _)| !matches!(s, Shock::DemandValue(_)))
            .map(|(_, l)| l)
            .collect();
        if !values.is_empty() {
            out.push(format!(
                "  demand changes in value{}: {} nodes, total {}",
                self.dy.map(|f| format!(" (--dy {f})")).unwrap_or_default(),
                values.len(),
                signed(values.iter().sum())
            ));
        }
        const SHOWN: usize = 8;
        out.extend(lines.iter().take(SHOWN).map(|l| format!("  {l}")));
        if lines.len() > SHOWN {
            out.push(format!("  ... and {} more shocks", lines.len() - SHOWN));
        }
        out
    }
}

impl Report for ShockReport<'_> {
    fn summary(&self) -> Vec<String> {
        let unit = self
            .loaded
            .graph
            .meta
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let mut out = self.scenario_lines();
        out.extend(tables::propagation_lines(self.r));
        out.extend(tables::result_lines(self.r, &unit));
        out.extend(self.carried.map(super::carried::summary_line));
        out
    }

    fn tables(&self) -> Vec<Table> {
        let mut out = tables::tables(self.r, self.top);
        if let Some(c) = self.carried {
            out.extend(super::carried::tables(c, self.top));
        }
        out
    }

    fn json(&self) -> Result<Value> {
        to_json(&ShockJson {
            graph: super::info::graph_json(self.loaded),
            scenario: ScenarioJson {
                scenario: self.scenario.to_json(),
                default: self.is_default,
                assumptions: (!self.r.tariffs.is_empty()).then_some(&TARIFF_ASSUMPTIONS[..]),
            },
            result: self.r,
            value_added: self.carried.map(|c| &c.carried),
        })
    }

    fn csv(&self) -> Result<Csv> {
        let fmt = tradenet::io::fmt_value;
        Ok((
            ["id", "baseline", "delta", "delta_pct"]
                .map(String::from)
                .to_vec(),
            self.r
                .ranked_nodes()
                .iter()
                .map(|n| {
                    vec![
                        n.id.clone(),
                        fmt(n.baseline),
                        fmt(n.delta),
                        n.delta_pct.map_or(String::new(), fmt),
                    ]
                })
                .collect(),
        ))
    }
}
