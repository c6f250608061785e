//! `tradenet shock`: what a tariff, a demand change, a supply cut or an embargo does directly,
//! and how it ripples through supply chains round by round.

use super::flags::{self, Range};
use super::output::{to_json, Csv, Report, Sink, Table};
use super::shock_tables::{self as tables, signed};
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;
use tradenet::analysis::{
    demand_values, parse_demand, parse_embargo, parse_supply, parse_tariff, shock,
    taxed_value_added, Channel, RoundParams, Scenario, Shock, ShockParams, ShockResult,
    TaxedValueAdded, TARIFF_ASSUMPTIONS,
};
use tradenet::io::values::read_node_values;

/// The scenario run when no scenario is given on the embedded default graph.
pub const DEFAULT_SCENARIO: &str = "USA:CAN:C29=25%";

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

/// The scenario flags, shared by `shock` and `draw`.
#[derive(Debug, Clone, Default, Args)]
pub struct ScenarioArgs {
    /// Scenario file (JSON: {"shocks": [{"type": "tariff", "importer": "USA", "exporter": "CAN",
    /// "sector": "C29", "rate": 0.25}, ...], "elasticities": {...}}; the format is documented on
    /// `tradenet::analysis::Scenario`). Flags add to it.
    #[arg(long, value_name = "FILE", help_heading = "Scenario", value_parser = flags::name("a file name"))]
    pub scenario: Option<String>,
    /// A tariff by IMPORTER on EXPORTER's goods: IMPORTER:EXPORTER[:SECTORS]=RATE%, or
    /// =OLD%->NEW% to give the rate in force, e.g. USA:CAN:C29=25%. Repeatable.
    ///
    /// SECTORS: a code (C29), a list (C27,C29), a range (C24A-C29), `goods` or `all`. Without
    /// SECTORS (or with `goods`) the tariff covers the tradable goods sectors only
    /// (agriculture, mining, manufacturing: the sectors' "goods" flag, else WIOD c1-c16, OECD
    /// ICIO sections A-C, HS/SITC products); services are taxed only when named, `all` taxes
    /// every sector. Each sector is computed separately. Of two tariffs on the same importer,
    /// exporter and sector the one naming fewer sectors wins there (USA:CAN=25% with
    /// USA:CAN:C29=50% puts 50% on C29 and 25% on the other goods); naming as many twice is
    /// an error.
    ///
    /// OLD: the rate in force before (USA:CAN:C29=6.1%->0% is a cut); without it, the flows'
    /// `tariff` field (value-weighted), else 0%.
    ///
    /// Model (WITS-SMART in constant-elasticity form; p = (1+new)/(1+old), M_e = imports from
    /// EXPORTER, M_K = from the other suppliers): diversion TD = M_e M_K (p^sigma - 1) /
    /// (M_e + M_K p^sigma), at most M_e, shared by the others in proportion to their sales;
    /// creation TC = (M_e - TD)(p^eps - 1); EXPORTER's sales become (M_e - TD) p^eps, never
    /// negative; to first order these are MODELS.md's eps M_e d and M_e M_K sigma d /
    /// (M_e + M_K + M_e sigma d) with d = p - 1. Welfare: the area under the import demand
    /// curve M_e ((1+t)/(1+old))^eps between the two rates, a loss for a rise and a gain for
    /// a cut (0.5 |new - old| |TC| for small changes). Assumes fixed world prices and no
    /// substitution by the importer's own producers (they do not gain).
    #[arg(long, value_name = "SPEC", help_heading = "Scenario")]
    pub tariff: Vec<String>,
    /// A change of final demand of a node, a country or a sector, in percent: TARGET=PCT%,
    /// e.g. CHN=-10%. Repeatable.
    #[arg(
        long,
        value_name = "SPEC",
        allow_hyphen_values = true,
        help_heading = "Scenario"
    )]
    pub demand: Vec<String>,
    /// A change of a node's primary inputs in percent of its output (propagated downstream by
    /// Ghosh): NODE=PCT%, e.g. JPN:c14=-20% (a 20% cut). Repeatable.
    #[arg(
        long,
        value_name = "SPEC",
        allow_hyphen_values = true,
        help_heading = "Scenario"
    )]
    pub supply: Vec<String>,
    /// FROM stops selling to TO (of SECTOR, else everything): FROM:TO[:SECTOR]. Repeatable.
    #[arg(long, value_name = "SPEC", help_heading = "Scenario")]
    pub embargo: Vec<String>,
    /// Import-demand elasticity eps_m of the tariff model (<= 0) [default: -1.0, or the scenario's].
    #[arg(
        long,
        value_name = "E",
        allow_hyphen_values = true,
        help_heading = "Scenario",
        value_parser = flags::number(Range::NonPositive, "the import-demand elasticity")
    )]
    pub import_elasticity: Option<f64>,
    /// Substitution elasticity sigma between suppliers (>= 0) [default: 1.5, or the scenario's].
    #[arg(long, value_name = "S", help_heading = "Scenario", allow_hyphen_values = true,
          value_parser = flags::number(Range::NonNegative, "the substitution elasticity"))]
    pub substitution: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    /// A distressed buyer cuts its suppliers by the share of their exports it took.
    Export,
    /// A distressed supplier cuts its buyers by the share of their imports it provided.
    Import,
}

/// The library's parameter names and the flags that set them.
pub const FLAGS: &[(&str, &str)] = &[
    ("rounds.tol", "--tol"),
    ("rounds.max_rounds", "--rounds-max"),
    ("tariff", "--tariff"),
    ("demand", "--demand"),
    ("supply", "--supply"),
    ("embargo", "--embargo"),
    ("elasticities.import_demand", "--import-elasticity"),
    ("elasticities.substitution", "--substitution"),
    ("gross_output", "--gross-output"),
    ("final_demand", "--final-demand"),
];

/// A library error with its parameter named by its flag.
pub fn flagged(e: tradenet::Error) -> tradenet::Error {
    e.rename_param(FLAGS)
}

/// The scenario the flags describe, parsed with every scenario file before the graph is
/// loaded; `None` when they give no shock (and `has_dy` is false).
pub fn scenario_of(a: &ScenarioArgs, has_dy: bool) -> Result<Option<Scenario>> {
    let mut s = match &a.scenario {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| tradenet::Error::Io {
                file: path.clone(),
                action: "cannot read",
                error: e,
            })?;
            Scenario::from_json(&bytes, path)?
        }
        None => Scenario::default(),
    };
    for t in &a.tariff {
        s.shocks.push(Shock::Tariff(parse_tariff(t).map_err(flagged)?));
    }
    for d in &a.demand {
        s.shocks.push(Shock::Demand(parse_demand(d).map_err(flagged)?));
    }
    for d in &a.supply {
        s.shocks.push(Shock::Supply(parse_supply(d).map_err(flagged)?));
    }
    for e in &a.embargo {
        s.shocks.push(Shock::Embargo(parse_embargo(e).map_err(flagged)?));
    }
    if let Some(e) = a.import_elasticity {
        s.elasticities.import_demand = e;
    }
    if let Some(x) = a.substitution {
        s.elasticities.substitution = x;
    }
    s.elasticities.validate().map_err(flagged)?;
    if s.shocks.is_empty() && !has_dy {
        return Ok(None);
    }
    Ok(Some(s))
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

pub fn run(a: ShockArgs, out: &Sink) -> Result<()> {
    if a.ge.model == super::ge::ModelArg::Ge {
        return super::ge::run(&a.ge, &a.scenario, &a.graph, a.top, out);
    }
    let mut params = params_of(&a)?;
    let scenario = scenario_of(&a.scenario, a.dy.is_some())?;
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
    if let Some(Shock::TradeCost(c)) = scenario.shocks.iter().find(|s| matches!(s, Shock::TradeCost(_))) {
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
        scenario.shocks.extend(shocks.into_iter().map(Shock::DemandValue));
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
    out.report(&ShockReport {
        loaded: &loaded,
        scenario: &scenario,
        is_default,
        r: &result,
        top: a.top,
        dy: a.dy.as_deref(),
        carried: carried.as_ref(),
    })
}

/// What `tradenet shock` prints.
struct ShockReport<'a> {
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
    fn scenario_lines(&self) -> Vec<String> {
        let s = self.scenario;
        let mut out = vec![format!("graph: {}", self.loaded.label)];
        if self.is_default {
            out.push(format!(
                "no scenario given: running the default scenario --tariff {DEFAULT_SCENARIO} (a US 25% tariff on Canadian motor vehicles and parts)"
            ));
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
