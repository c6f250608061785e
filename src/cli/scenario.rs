//! The scenario flags of `shock` and `draw` (and `shock --model ge`): tariffs, demand and
//! supply changes, embargoes, elasticities and a scenario file, parsed before the graph is
//! loaded.

use super::flags::{self, Range};
use anyhow::Result;
use clap::Args;
use tradenet::analysis::{
    parse_demand, parse_embargo, parse_supply, parse_tariff, Scenario, Shock,
};

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
        Some(path) => Scenario::from_json(&tradenet::io::read_file(path)?, path)?,
        None => Scenario::default(),
    };
    for t in &a.tariff {
        s.shocks
            .push(Shock::Tariff(parse_tariff(t).map_err(flagged)?));
    }
    for d in &a.demand {
        s.shocks
            .push(Shock::Demand(parse_demand(d).map_err(flagged)?));
    }
    for d in &a.supply {
        s.shocks
            .push(Shock::Supply(parse_supply(d).map_err(flagged)?));
    }
    for e in &a.embargo {
        s.shocks
            .push(Shock::Embargo(parse_embargo(e).map_err(flagged)?));
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
