//! `tradenet shock`: what a tariff, a demand change, a supply cut or an embargo does directly,
//! and how it ripples through supply chains round by round.

use super::flags::{self, Range};
use super::output::{human, Printed, Sink, Table};
use super::{Format, GraphArgs};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use tradenet::analysis::{
    number_text, parse_demand, parse_embargo, parse_supply, parse_tariff, percent_text, shock,
    shock_io, Channel, DemandValue, GroupEffect, IoSystem, NodeEffect, RoundParams, Scenario,
    Shock, ShockParams, ShockResult, TARIFF_ASSUMPTIONS,
};
use tradenet::TradeGraph;

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

/// A `node,value` CSV: (line, node, value) rows. The header row is skipped; its names are free.
fn read_node_values(path: &str) -> Result<Vec<(usize, String, f64)>> {
    let bytes = std::fs::read(path).map_err(|e| tradenet::Error::Io {
        file: path.to_string(),
        action: "cannot read",
        error: e,
    })?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let line = k + 2;
        let rec = rec.with_context(|| format!("{path}: line {line}"))?;
        if rec.len() < 2 {
            bail!("{path}: line {line}: expected two columns, node and value");
        }
        let v: f64 = rec[1]
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .with_context(|| {
                format!(
                    "{path}: line {line}: value '{}' is not a finite number",
                    &rec[1]
                )
            })?;
        out.push((line, rec[0].to_string(), v));
    }
    Ok(out)
}

/// A node,value file as a vector in node order; `all` requires every node.
fn node_vector(g: &TradeGraph, path: &str, all: bool) -> Result<Vec<f64>> {
    let mut v = vec![f64::NAN; g.node_count()];
    for (line, id, x) in read_node_values(path)? {
        let i = g
            .require_node(&id)
            .with_context(|| format!("{path}: line {line}"))?;
        if !v[i.index()].is_nan() {
            bail!("{path}: line {line}: node '{id}' given twice");
        }
        v[i.index()] = x;
    }
    if all {
        if let Some(i) = v.iter().position(|x| x.is_nan()) {
            bail!(
                "{path}: no value for node '{}' (every node needs one)",
                g.node(tradenet::NodeIx::new(i)).id
            );
        }
    }
    Ok(v.into_iter()
        .map(|x| if x.is_nan() { 0.0 } else { x })
        .collect())
}

fn pct_text(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        // Beyond a million trillion percent: exponent form, never hundreds of digits.
        Some(p) if p.abs() >= 1e15 => format!("{p:+.2e}%"),
        Some(p) if p.abs() >= 10.0 => format!("{p:+.1}%"),
        Some(p) if p.abs() >= 0.01 || p == 0.0 => format!("{p:+.2}%"),
        Some(p) if p.abs() >= 0.0001 => format!("{p:+.4}%"),
        Some(p) => format!("{p:+.1e}%"),
    }
}

fn signed(v: f64) -> String {
    let s = human(v);
    if v == 0.0 {
        "0".into()
    } else if v.abs() < 5e-5 {
        format!("{v:+.1e}")
    } else if v > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

fn share_text(v: f64) -> String {
    format!("{:.2}%", 100.0 * v)
}

fn rate_text(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| {
        let p = r * 100.0;
        if p.abs() >= 1e15 {
            // `1e300%`, never hundreds of digits.
            percent_text(r)
        } else if (p - p.round()).abs() < 1e-9 {
            format!("{}%", p.round())
        } else {
            format!("{p:.2}%")
        }
    })
}

fn opt(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

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

fn node_json(n: &NodeEffect) -> Value {
    let mut v = json!({
        "id": n.id,
        "baseline": n.baseline,
        "delta": n.delta,
        "delta_pct": opt(n.delta_pct()),
        "country": n.country,
        "sector": n.sector,
        "direct": n.direct,
        "indirect": n.indirect,
        "via_losses": n.via_losses,
        "via_gains": n.via_gains,
    });
    if let (Some(h0), Some(h), Value::Object(o)) = (n.h0, n.h, &mut v) {
        o.insert("h0".into(), json!(h0));
        o.insert("h".into(), json!(h));
    }
    v
}

fn group_json(e: &GroupEffect) -> Value {
    json!({
        "id": e.id,
        "baseline": e.baseline,
        "delta": e.delta,
        "delta_pct": opt(e.delta_pct()),
        "direct": e.direct,
        "indirect": e.indirect,
        "via_losses": e.via_losses,
        "via_gains": e.via_gains,
        "nodes": e.nodes,
    })
}

/// Parse every scenario flag and file before the graph is loaded.
/// The scenario the flags describe; `None` when they give no shock (and `has_dy` is false).
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
        s.shocks.push(Shock::Tariff(parse_tariff(t)?));
    }
    for d in &a.demand {
        s.shocks.push(Shock::Demand(parse_demand(d)?));
    }
    for d in &a.supply {
        s.shocks.push(Shock::Supply(parse_supply(d)?));
    }
    for e in &a.embargo {
        s.shocks.push(Shock::Embargo(parse_embargo(e)?));
    }
    if let Some(e) = a.import_elasticity {
        s.elasticities.import_demand = e;
    }
    if let Some(x) = a.substitution {
        s.elasticities.substitution = x;
    }
    s.elasticities
        .validate()
        .context("--import-elasticity / --substitution")?;
    if s.shocks.is_empty() && !has_dy {
        return Ok(None);
    }
    Ok(Some(s))
}

pub fn run(a: ShockArgs, out: &Sink) -> Result<()> {
    if a.ge.model == super::ge::ModelArg::Ge {
        return super::ge::run(&a.ge, &a.scenario, &a.graph, a.top, out);
    }
    let rounds = RoundParams {
        tol: a.tol,
        max_rounds: a.rounds_max,
        top: 5,
    };
    rounds.validate().context("--tol / --rounds-max")?;
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
    let loaded = a.graph.load()?.latest_year()?;
    let g = &loaded.graph;
    if let Some(path) = &a.dy {
        let dy = node_vector(g, path, false)?;
        for (i, v) in dy.into_iter().enumerate() {
            if v != 0.0 {
                scenario.shocks.push(Shock::DemandValue(DemandValue {
                    node: g.node(tradenet::NodeIx::new(i)).id.to_string(),
                    value: v,
                }));
            }
        }
        if scenario.shocks.is_empty() {
            bail!("{path}: every change is zero: nothing to propagate");
        }
    }
    let params = ShockParams {
        rounds,
        channel: match a.channel {
            ChannelArg::Export => Channel::Export,
            ChannelArg::Import => Channel::Import,
        },
        dense_check_max: a.check_max,
        history: g.node_count() <= 10_000,
    };
    let result = if a.gross_output.is_some() || a.final_demand.is_some() {
        let x = match &a.gross_output {
            Some(p) => node_vector(g, p, true)?,
            None => g
                .nodes()
                .map(|n| n.output())
                .collect::<Option<Vec<f64>>>()
                .context(
                    "--final-demand needs gross output on every node: give --gross-output FILE too",
                )?,
        };
        let y = a
            .final_demand
            .as_deref()
            .map(|p| node_vector(g, p, false))
            .transpose()?;
        let sys = IoSystem::from_graph_with(g, x, y)?;
        shock_io(g, &sys, &scenario, &params)
    } else {
        shock(g, &scenario, &params)
    }
    .with_context(|| format!("the scenario on {}", loaded.label))?;
    let mut rep = report(&loaded, &scenario, is_default, &result, &a, out.format);
    if a.value_added {
        super::carried::value_added_report(g, &result, a.top, &mut rep)?;
    }
    out.report(&rep)
}

fn report(
    loaded: &super::Loaded,
    scenario: &Scenario,
    is_default: bool,
    r: &ShockResult,
    a: &ShockArgs,
    format: Format,
) -> Printed {
    let g = &loaded.graph;
    let unit = g
        .meta
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let mut summary = vec![format!("graph: {}", loaded.label)];
    if is_default {
        summary.push(format!(
            "no scenario given: running the default scenario --tariff {DEFAULT_SCENARIO} (a US 25% tariff on Canadian motor vehicles and parts)"
        ));
    }
    if let Some(n) = &scenario.name {
        if !is_default {
            summary.push(format!("scenario: {n}"));
        }
    }
    // Shocks read from --dy are summarised in one line.
    let values: Vec<f64> = scenario
        .shocks
        .iter()
        .filter_map(|s| match s {
            Shock::DemandValue(d) => Some(d.value),
            _ => None,
        })
        .collect();
    let lines: Vec<String> = scenario
        .shocks
        .iter()
        .zip(scenario.describe())
        .filter(|(s, _)| !matches!(s, Shock::DemandValue(_)))
        .map(|(_, l)| l)
        .collect();
    if !values.is_empty() {
        summary.push(format!(
            "  demand changes in value{}: {} nodes, total {}",
            a.dy.as_deref()
                .map(|f| format!(" (--dy {f})"))
                .unwrap_or_default(),
            values.len(),
            signed(values.iter().sum())
        ));
    }
    let shown = 8;
    for l in lines.iter().take(shown) {
        summary.push(format!("  {l}"));
    }
    if lines.len() > shown {
        summary.push(format!("  ... and {} more shocks", lines.len() - shown));
    }
    let dr = r.debtrank.as_ref();
    match (r.model, dr) {
        (_, Some(d)) => {
            let distressed = d.distressed_round.iter().filter(|x| x.is_some()).count();
            summary.push(format!(
                "propagation: DebtRank, {} channel ({}); {} rounds, {} of {} nodes distressed, systemic loss {:.6} (share of total trade)",
                d.channel.as_str(),
                if d.channel == Channel::Export {
                    "a buyer's distress cuts its suppliers by the share of their exports it took; baseline = exports"
                } else {
                    "a supplier's distress cuts its buyers by the share of their imports it provided; baseline = imports"
                },
                d.rounds.len(),
                distressed,
                g.node_count(),
                d.systemic_loss
            ));
        }
        _ => {
            for c in &r.checks {
                let what = if c.model == "leontief" {
                    "Leontief (dx = dy + A dy + A^2 dy + ..., round k = k-th tier of suppliers)"
                } else {
                    "Ghosh (dx' = dv' + dv' B + ..., round k = k-th tier of buyers)"
                };
                let check = match c.max_rel_diff {
                    Some(d) => {
                        format!("dense LU solve agrees to {d:.1e} (max relative difference)")
                    }
                    None => format!("dense LU check skipped above {} nodes", a.check_max),
                };
                summary.push(format!(
                    "propagation: {what}; {} rounds to tol {:e}; {check}; residual {:.1e} of |shock| {}",
                    c.rounds,
                    a.tol,
                    if c.shock_l1 > 0.0 { c.residual_l1 / c.shock_l1 } else { c.residual_l1 },
                    human(c.shock_l1)
                ));
            }
        }
    }
    let total = r.total_delta();
    let base = r.total_baseline();
    let direct: f64 = r.nodes.iter().map(|n| n.direct).sum();
    let (what, via) = if dr.is_some() {
        ("trade (the channel's base)", "through partners")
    } else {
        ("gross output", "through supply chains")
    };
    summary.push(format!(
        "total change of {what}: {}{unit} ({} of {}), direct {}, {via} {}",
        signed(total),
        pct_text((base != 0.0).then(|| 100.0 * total / base)),
        human(base),
        signed(direct),
        signed(total - direct)
    ));
    if !r.tariffs.is_empty() {
        for a in TARIFF_ASSUMPTIONS {
            summary.push(format!("assumption: {a}"));
        }
    }
    for t in &r.tariffs {
        let s = &t.smart;
        summary.push(format!(
            "tariff {} on {} {}: {} -> {} (eps {}, sigma {}): imports from {} {}, from others {}; trade creation {}, diversion {} to others; tariff revenue {}, welfare {}{}",
            t.importer,
            t.exporter,
            t.sector.as_deref().unwrap_or("(no sector)"),
            rate_text(Some(t.old_rate)),
            rate_text(Some(t.new_rate)),
            number_text(t.import_demand),
            number_text(t.substitution),
            t.exporter,
            human(t.imports_from_exporter),
            human(t.imports_from_others),
            signed(s.trade_creation),
            human(s.trade_diversion),
            signed(t.revenue_change()),
            signed(s.welfare),
            if s.new_flow == 0.0 && t.imports_from_exporter > 0.0 {
                " [the flow is wiped out]"
            } else {
                ""
            }
        ));
    }
    for n in &r.notes {
        summary.push(format!("note: {n}"));
    }

    let mut tables = Vec::new();
    if !r.flows.is_empty() {
        let mut rows: Vec<Vec<String>> = r
            .flows
            .iter()
            .take(a.top.max(1) * 2)
            .map(|f| {
                vec![
                    format!("{} -> {}", f.from, f.to),
                    f.sector.clone().unwrap_or_else(|| "-".into()),
                    f.cause.as_str().into(),
                    human(f.baseline),
                    if f.old_rate == f.new_rate {
                        rate_text(f.old_rate)
                    } else {
                        format!("{} -> {}", rate_text(f.old_rate), rate_text(f.new_rate))
                    },
                    signed(f.trade_creation),
                    signed(f.trade_diversion),
                    signed(f.delta),
                    pct_text((f.baseline != 0.0).then(|| 100.0 * f.delta / f.baseline)),
                    signed(f.revenue_change),
                    signed(f.welfare),
                ]
            })
            .collect();
        if r.flows.len() > 1 {
            // Sums that cancel (diversion) are shown as 0, not as rounding noise.
            let sum = |k: fn(&tradenet::analysis::FlowEffect) -> f64| -> f64 {
                let s: f64 = r.flows.iter().map(k).sum();
                let scale: f64 = r.flows.iter().map(|f| k(f).abs()).sum();
                if s.abs() <= 1e-9 * scale {
                    0.0
                } else {
                    s
                }
            };
            rows.push(vec![
                "total".into(),
                String::new(),
                String::new(),
                human(sum(|f| f.baseline)),
                String::new(),
                signed(sum(|f| f.trade_creation)),
                signed(sum(|f| f.trade_diversion)),
                signed(sum(|f| f.delta)),
                String::new(),
                signed(sum(|f| f.revenue_change)),
                signed(sum(|f| f.welfare)),
            ]);
        }
        tables.push(Table {
            title: "Direct effect on trade flows (WITS-SMART partial equilibrium; diversion moves sales between suppliers)".into(),
            header: [
                "flow", "sector", "cause", "baseline", "tariff", "creation", "diversion", "delta",
                "delta %", "revenue", "welfare",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            right: vec![3, 4, 5, 6, 7, 8, 9, 10],
        });
    }

    let movers = by_abs_delta(&r.nodes, |n| n.delta, |n| &n.id);
    let is_dr = dr.is_some();
    tables.push(Table {
        title: format!(
            "Top movers ({} of {} nodes, by |delta|; baseline = {})",
            a.top.min(movers.len()),
            movers.len(),
            if is_dr {
                "the channel's trade"
            } else {
                "gross output"
            }
        ),
        header: if is_dr {
            [
                "#",
                "node",
                "baseline",
                "delta",
                "delta %",
                "direct",
                "via partners",
                "h0",
                "h",
            ]
            .map(String::from)
            .to_vec()
        } else {
            [
                "#",
                "node",
                "baseline",
                "delta",
                "delta %",
                "direct",
                "via losses",
                "via gains",
            ]
            .map(String::from)
            .to_vec()
        },
        rows: movers
            .iter()
            .take(a.top)
            .enumerate()
            .map(|(k, n)| {
                let mut row = vec![
                    (k + 1).to_string(),
                    n.id.clone(),
                    human(n.baseline),
                    signed(n.delta),
                    pct_text(n.delta_pct()),
                    signed(n.direct),
                ];
                if let (Some(h0), Some(h)) = (n.h0, n.h) {
                    row.push(signed(n.indirect));
                    row.push(format!("{h0:.4}"));
                    row.push(format!("{h:.4}"));
                } else {
                    row.push(signed(n.via_losses));
                    row.push(signed(n.via_gains));
                }
                row
            })
            .collect(),
        right: vec![0, 2, 3, 4, 5, 6, 7, 8],
    });

    // The "hit abroad" table follows the ripple by round (the story's order: the tiers of the
    // supply chain, then who they reach abroad).
    let mut hit_abroad: Option<usize> = None;
    if !is_dr {
        // Who abroad is hit through the losers' supply chains: countries with no direct loss.
        let hit: std::collections::BTreeSet<&str> = r
            .nodes
            .iter()
            .filter(|n| n.direct < 0.0)
            .map(|n| n.country.as_str())
            .collect();
        let mut abroad: Vec<&GroupEffect> = r
            .countries
            .iter()
            .filter(|c| c.via_losses < 0.0 && !hit.contains(c.id.as_str()))
            .collect();
        abroad.sort_by(|x, y| {
            x.via_losses
                .total_cmp(&y.via_losses)
                .then_with(|| x.id.cmp(&y.id))
        });
        if !abroad.is_empty() && !hit.is_empty() {
            let list: Vec<&str> = hit.iter().copied().collect();
            hit_abroad = Some(tables.len());
            tables.push(Table {
                title: format!(
                    "Hit abroad through the supply chains of the losers ({} directly hit), before any gain",
                    list.join(", ")
                ),
                header: ["country", "via losses", "% of output", "via gains", "net delta", "most exposed nodes (via losses)"]
                    .map(String::from)
                    .to_vec(),
                rows: abroad
                    .iter()
                    .take(a.top)
                    .map(|c| {
                        let mut nodes: Vec<&NodeEffect> = r
                            .nodes
                            .iter()
                            .filter(|n| n.country == c.id && n.via_losses < 0.0)
                            .collect();
                        nodes.sort_by(|x, y| {
                            x.via_losses.total_cmp(&y.via_losses).then_with(|| x.id.cmp(&y.id))
                        });
                        vec![
                            c.id.clone(),
                            signed(c.via_losses),
                            pct_text((c.baseline != 0.0).then(|| 100.0 * c.via_losses / c.baseline)),
                            signed(c.via_gains),
                            signed(c.delta),
                            nodes
                                .iter()
                                .take(3)
                                .map(|n| format!("{} {}", n.id, signed(n.via_losses)))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ]
                    })
                    .collect(),
                right: vec![1, 2, 3, 4],
            });
        }
    }

    let show_rounds = 12usize;
    let mut round_rows = Vec::new();
    for rd in r.rounds.iter().take(show_rounds) {
        let share = if total != 0.0 {
            share_text(rd.delta / total)
        } else {
            "-".into()
        };
        let who = if let Some(nd) = rd.newly_distressed {
            format!("{nd} newly distressed")
        } else {
            rd.top
                .iter()
                .take(3)
                .map(|(id, v)| format!("{id} {}", signed(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        round_rows.push(vec![
            rd.round.to_string(),
            signed(rd.delta),
            signed(rd.cumulative),
            share,
            who,
        ]);
    }
    if r.rounds.len() > show_rounds {
        let rest = &r.rounds[show_rounds..];
        let d: f64 = rest.iter().map(|x| x.delta).sum();
        round_rows.push(vec![
            format!("{}-{}", show_rounds, r.rounds.len() - 1),
            signed(d),
            signed(rest.last().map_or(0.0, |x| x.cumulative)),
            if total != 0.0 {
                share_text(d / total)
            } else {
                "-".into()
            },
            String::new(),
        ]);
    }
    tables.push(Table {
        title: if is_dr {
            "Ripple by round (DebtRank: each distressed node passes its loss on once)".into()
        } else {
            "Ripple by round (round 0 = the shock; round k = the k-th tier of the supply chain)"
                .into()
        },
        header: [
            "round",
            "delta",
            "cumulative",
            "share of total",
            if is_dr { "nodes" } else { "largest movers" },
        ]
        .map(String::from)
        .to_vec(),
        rows: round_rows,
        right: vec![0, 1, 2, 3],
    });
    if let Some(i) = hit_abroad {
        let t = tables.remove(i);
        tables.push(t);
    }

    let countries = by_abs_delta(&r.countries, |c| c.delta, |c| &c.id);
    // Trade graphs whose nodes are countries already show them as nodes.
    if g.node_count() != countries.len() {
        tables.push(Table {
            title: format!(
                "Countries ({} of {}, by |delta|)",
                a.top.min(countries.len()),
                countries.len()
            ),
            header: if is_dr {
                [
                    "country",
                    "baseline",
                    "delta",
                    "delta %",
                    "direct",
                    "via partners",
                ]
                .map(String::from)
                .to_vec()
            } else {
                [
                    "country",
                    "baseline",
                    "delta",
                    "delta %",
                    "direct",
                    "via losses",
                    "via gains",
                ]
                .map(String::from)
                .to_vec()
            },
            rows: countries
                .iter()
                .take(a.top)
                .map(|c| {
                    vec![
                        c.id.clone(),
                        human(c.baseline),
                        signed(c.delta),
                        pct_text(c.delta_pct()),
                        signed(c.direct),
                    ]
                    .into_iter()
                    .chain(if is_dr {
                        vec![signed(c.indirect)]
                    } else {
                        vec![signed(c.via_losses), signed(c.via_gains)]
                    })
                    .collect()
                })
                .collect(),
            right: vec![1, 2, 3, 4, 5, 6],
        });
    }

    // JSON: the contract of FORMAT.md §3, nodes ranked by |delta| (ties by id).
    let mut scenario_json = scenario.to_json();
    if let Value::Object(o) = &mut scenario_json {
        o.insert("default".into(), json!(is_default));
        if !r.tariffs.is_empty() {
            o.insert("assumptions".into(), json!(TARIFF_ASSUMPTIONS));
        }
    }
    let json = if format != Format::Json {
        // Only the format printed is built (a million-node graph makes a large document).
        Value::Null
    } else {
        json!({
            "graph": super::info::graph_json(loaded),
            "scenario": scenario_json,
            "model": r.model.as_str(),
            "params": {
                "tol": a.tol, "rounds_max": a.rounds_max, "channel": a.channel_str(),
                "check_max": a.check_max,
            },
            "summary": {
                "baseline": base,
                "delta": total,
                "delta_pct": opt((base != 0.0).then(|| 100.0 * total / base)),
                "direct": direct,
                "indirect": total - direct,
            },
            "nodes": movers.iter().map(|n| node_json(n)).collect::<Vec<_>>(),
            "countries": countries.iter().map(|c| group_json(c)).collect::<Vec<_>>(),
            "sectors": by_abs_delta(&r.sectors, |c| c.delta, |c| &c.id).iter().map(|c| group_json(c)).collect::<Vec<_>>(),
            "rounds": r.rounds.iter().map(|rd| {
                let mut v = json!({
                    "round": rd.round, "delta": rd.delta, "cumulative": rd.cumulative, "l1": rd.l1,
                    "share": opt((total != 0.0).then(|| rd.delta / total)),
                });
                if let Value::Object(o) = &mut v {
                    if rd.newly_distressed.is_some() {
                        o.insert("newly_distressed".into(), json!(rd.newly_distressed));
                        o.insert("loss".into(), opt(rd.loss));
                    } else {
                        o.insert("top".into(), Value::Array(rd.top.iter().map(|(id, d)| json!({"id": id, "delta": d})).collect()));
                    }
                }
                v
            }).collect::<Vec<_>>(),
            "flows": r.flows.iter().map(|f| json!({
                "from": f.from, "to": f.to, "sector": f.sector, "cause": f.cause.as_str(),
                "baseline": f.baseline, "delta": f.delta,
                "trade_creation": f.trade_creation, "trade_diversion": f.trade_diversion,
                "old_rate": opt(f.old_rate), "new_rate": opt(f.new_rate),
                "revenue_change": f.revenue_change, "welfare": f.welfare,
            })).collect::<Vec<_>>(),
            "tariffs": r.tariffs.iter().map(|t| json!({
                "importer": t.importer, "exporter": t.exporter, "sector": t.sector,
                "old_rate": t.old_rate, "new_rate": t.new_rate,
                "import_demand_elasticity": t.import_demand, "substitution_elasticity": t.substitution,
                "imports_from_exporter": t.imports_from_exporter, "imports_from_others": t.imports_from_others,
                "trade_creation": t.smart.trade_creation, "trade_diversion": t.smart.trade_diversion,
                "new_flow": t.smart.new_flow,
                "revenue_change": t.revenue_change(), "welfare": t.smart.welfare,
            })).collect::<Vec<_>>(),
            "checks": r.checks.iter().map(|c| json!({
                "model": c.model, "rounds": c.rounds, "shock_l1": c.shock_l1, "residual_l1": c.residual_l1,
                "max_abs_diff": opt(c.max_abs_diff), "max_rel_diff": opt(c.max_rel_diff),
            })).collect::<Vec<_>>(),
            "debtrank": dr.map(|d| {
                let mut v = json!({
                    "channel": d.channel.as_str(),
                    "systemic_loss": d.systemic_loss,
                    "rounds": d.rounds.len(),
                    "distressed": d.distressed_round.iter().filter(|x| x.is_some()).count(),
                });
                if let (Some(hist), Value::Object(o)) = (&d.history, &mut v) {
                    // h per node per round, keyed by node id (graphs up to 10,000 nodes).
                    let by_node: serde_json::Map<String, Value> = g.nodes().enumerate().map(|(i, n)| {
                        (n.id.to_string(), Value::Array(hist.iter().map(|h| json!(h[i])).collect()))
                    }).collect();
                    o.insert("h_by_round".into(), Value::Object(by_node));
                }
                v
            }),
            "notes": r.notes,
        })
    };
    let csv = if format != Format::Csv {
        (Vec::new(), Vec::new())
    } else {
        (
            ["id", "baseline", "delta", "delta_pct"]
                .map(String::from)
                .to_vec(),
            movers
                .iter()
                .map(|n| {
                    vec![
                        n.id.clone(),
                        tradenet::io::fmt_value(n.baseline),
                        tradenet::io::fmt_value(n.delta),
                        n.delta_pct().map_or(String::new(), tradenet::io::fmt_value),
                    ]
                })
                .collect(),
        )
    };
    Printed {
        summary,
        tables,
        json,
        csv,
    }
}

impl ShockArgs {
    fn channel_str(&self) -> &'static str {
        match self.channel {
            ChannelArg::Export => "export",
            ChannelArg::Import => "import",
        }
    }
}
