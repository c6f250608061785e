//! `tradenet shock --model ge`: the tariff in general equilibrium (Caliendo-Parro on a data set
//! or an input-output graph). Maps flags to [`GeParams`], runs the library, hands the result
//! to the sink (the report is in `ge/report.rs`).

mod report;

use report::GeReport;

use super::flags::{self, Range};
use super::output::{to_json, Report, Sink};
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use tradenet::analysis::ge::{
    from_graph, ge_data, parse_trade_cost, Deficits, GeData, GeParams, ThetaChoice,
};
use tradenet::analysis::{parse_tariff, Scenario, Shock};
use tradenet::io::cp2015;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ModelArg {
    /// Partial equilibrium and the input-output ripple (WITS-SMART, Leontief, Ghosh,
    /// DebtRank), chosen from the scenario.
    #[default]
    Ripple,
    /// General equilibrium: prices, wages, tariff revenue and every market adjust
    /// (Caliendo-Parro 2015 on input-output data; structural gravity on a gravity data set).
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeficitsArg {
    /// Deficits as in the data, fixed in units of the numeraire (the baseline is the data).
    Data,
    /// No deficits in either solve (CP2015's main case).
    Zero,
}

#[derive(Debug, Clone, Default, Args)]
pub struct GeArgs {
    /// The model: `ripple` (partial equilibrium and supply-chain rounds) or `ge` (general
    /// equilibrium).
    #[arg(long, value_enum, default_value_t = ModelArg::Ripple, help_heading = "General equilibrium")]
    pub model: ModelArg,
    /// GE: deficits in both solves [default: data].
    #[arg(long, value_enum, help_heading = "General equilibrium")]
    pub deficits: Option<DeficitsArg>,
    /// GE: an iceberg trade-cost change IMPORTER:EXPORTER[:SECTORS]=FACTOR (1.1 = 10% dearer;
    /// no revenue). Repeatable.
    #[arg(long, value_name = "SPEC", help_heading = "General equilibrium")]
    pub trade_cost: Vec<String>,
    /// GE: new tariffs cell by cell from a CSV (importer, exporter, sector, and `rate` as a
    /// share or `rate_pct`; CP2015's `tariff_cfl` is read as the rate).
    #[arg(long, value_name = "FILE", help_heading = "General equilibrium", value_parser = flags::name("a file name"))]
    pub new_tariffs: Option<String>,
    /// GE: trade elasticities from a `sector,theta` CSV (over the default table).
    #[arg(long, value_name = "FILE", help_heading = "General equilibrium", value_parser = flags::name("a file name"))]
    pub theta: Option<String>,
    /// GE: one elasticity of substitution for every sector (theta = sigma - 1); in the gravity
    /// model, sigma itself.
    #[arg(long, value_name = "X", help_heading = "General equilibrium", allow_hyphen_values = true,
          value_parser = flags::number(Range::Positive, "sigma"))]
    pub sigma: Option<f64>,
    /// GE gravity: the cost coefficients (`var,beta[,stderr]`) of a gravity data set (columns
    /// exporter, importer, year, trade, Y, E and the cost variables); giving them selects the
    /// one-sector structural gravity model.
    #[arg(long, value_name = "FILE", help_heading = "General equilibrium", value_parser = flags::name("a file name"))]
    pub cost_coefficients: Option<String>,
    /// GE gravity: `exact` (every market clears; default) or `gegravity` (USITC gegravity 0.3's
    /// method, baseline shares kept in the resistance system, for matching its numbers).
    #[arg(long, value_name = "METHOD", help_heading = "General equilibrium")]
    pub method: Option<String>,
    /// GE gravity: the reference importer whose price index is 1 [default: the largest spender].
    #[arg(long, value_name = "ISO3", help_heading = "General equilibrium", value_parser = flags::name("a country"))]
    pub reference: Option<String>,
    /// GE gravity: a cost-variable experiment VAR:IMPORTER:EXPORTER=VALUE (e.g. pta:CAN:JPN=1, a
    /// trade agreement). Repeatable.
    #[arg(long, value_name = "SPEC", help_heading = "General equilibrium")]
    pub set_variable: Vec<String>,
    /// GE: stop when the largest step of the solver is below this [default: 1e-12].
    #[arg(long, value_name = "T", help_heading = "General equilibrium", allow_hyphen_values = true,
          value_parser = flags::number(Range::Positive, "the solver tolerance"))]
    pub ge_tol: Option<f64>,
    /// GE: at most this many solver iterations [default: 5000].
    #[arg(long, value_name = "N", help_heading = "General equilibrium", allow_hyphen_values = true,
          value_parser = flags::count(1, "the most iterations"))]
    pub max_iter: Option<usize>,
}

/// The flags given that only the GE model reads (the ripple model would ignore them).
pub fn ge_flags_given(a: &GeArgs) -> Vec<&'static str> {
    flags::given([
        (a.deficits.is_some(), "--deficits"),
        (!a.trade_cost.is_empty(), "--trade-cost"),
        (a.new_tariffs.is_some(), "--new-tariffs"),
        (a.theta.is_some(), "--theta"),
        (a.sigma.is_some(), "--sigma"),
        (a.cost_coefficients.is_some(), "--cost-coefficients"),
        (a.method.is_some(), "--method"),
        (a.reference.is_some(), "--reference"),
        (!a.set_variable.is_empty(), "--set-variable"),
        (a.ge_tol.is_some(), "--ge-tol"),
        (a.max_iter.is_some(), "--max-iter"),
    ])
}

/// The scenario's tariffs and trade costs (flags and file); other shock kinds are refused.
fn shocks(s: &super::shock::ScenarioArgs, p: &mut GeParams) -> Result<()> {
    if let Some(path) = &s.scenario {
        for shock in Scenario::from_json(&tradenet::io::read_file(path)?, path)?.shocks {
            match shock {
                Shock::Tariff(t) => p.tariffs.push(t),
                Shock::TradeCost(c) => p.trade_costs.push(c),
                other => bail!(
                    "{path}: the GE model takes tariffs (and --trade-cost); a {} shock is for the ripple model (drop --model ge)",
                    match other {
                        Shock::Demand(_) | Shock::DemandValue(_) => "demand",
                        Shock::Supply(_) => "supply",
                        _ => "embargo",
                    }
                ),
            }
        }
    }
    if !s.demand.is_empty() || !s.supply.is_empty() || !s.embargo.is_empty() {
        bail!("--demand, --supply and --embargo are shocks of the ripple model; the GE model takes --tariff, --trade-cost and --new-tariffs (hint: drop --model ge)");
    }
    for spec in &s.tariff {
        p.tariffs.push(parse_tariff(spec)?);
    }
    Ok(())
}

/// The flag of each [`GeParams`] and gravity parameter, for errors.
const FLAGS: &[(&str, &str)] = &[
    ("solver.tol", "--ge-tol"),
    ("solver.max_iter", "--max-iter"),
    ("theta.sigma", "--sigma"),
    ("theta.by_sector", "--theta"),
    ("theta", "--theta"),
    ("trade_costs", "--trade-cost"),
    ("tariffs", "--tariff"),
    ("tariff", "--tariff"),
    // The gravity model's.
    ("sigma", "--sigma"),
    ("tol", "--ge-tol"),
    ("max_iter", "--max-iter"),
    ("method", "--method"),
    ("experiments", "--set-variable"),
    ("trade_cost_factors", "--trade-cost"),
    ("coefficients", "--cost-coefficients"),
];

/// Run the GE model. `graph` is the input path (`None`: the embedded default graph).
pub fn run(
    a: &GeArgs,
    scenario: &super::shock::ScenarioArgs,
    graph: &super::GraphArgs,
    top: usize,
    out: &Sink,
) -> Result<()> {
    run_with(a, scenario, graph, top, &mut |r| out.report(r))
}

/// Run the GE model and hand its output to `emit` (the sink's printing, or `tradenet
/// report`'s document).
pub fn run_with(
    a: &GeArgs,
    scenario: &super::shock::ScenarioArgs,
    graph: &super::GraphArgs,
    top: usize,
    emit: &mut dyn FnMut(&dyn Report) -> Result<()>,
) -> Result<()> {
    run_model(a, scenario, graph, top, emit).map_err(|e| flags::rename(e, FLAGS))
}

fn run_model(
    a: &GeArgs,
    scenario: &super::shock::ScenarioArgs,
    graph: &super::GraphArgs,
    top: usize,
    emit: &mut dyn FnMut(&dyn Report) -> Result<()>,
) -> Result<()> {
    if let Some(path) = graph
        .graph
        .as_deref()
        .filter(|_| a.cost_coefficients.is_some())
    {
        if !scenario.tariff.is_empty() || scenario.scenario.is_some() || a.new_tariffs.is_some() {
            bail!("the gravity model takes cost experiments (--set-variable, --trade-cost), not tariffs: it has no tariff revenue");
        }
        return super::gravity::run(a, path, graph.year, top, emit);
    }
    if a.cost_coefficients.is_none()
        && (a.method.is_some() || a.reference.is_some() || !a.set_variable.is_empty())
    {
        bail!("--method, --reference and --set-variable belong to the gravity model: give --cost-coefficients FILE with a gravity data set");
    }
    let mut p = GeParams {
        deficits: match a.deficits {
            Some(DeficitsArg::Zero) => Deficits::Zero,
            _ => Deficits::Data,
        },
        theta: ThetaChoice {
            sigma: a.sigma,
            by_sector: a
                .theta
                .as_deref()
                .map(|f| tradenet::io::table::read_numbers(f, "sector", "theta"))
                .transpose()?
                .unwrap_or_default(),
        },
        ..Default::default()
    };
    shocks(scenario, &mut p)?;
    for spec in &a.trade_cost {
        p.trade_costs.push(parse_trade_cost(spec)?);
    }
    if let Some(t) = a.ge_tol {
        p.solver.tol = t;
    }
    if let Some(m) = a.max_iter {
        p.solver.max_iter = m;
    }
    p.validate()?;
    let cp = graph
        .graph
        .as_deref()
        .and_then(|g| cp2015::locate(std::path::Path::new(g)));
    let (data, label): (GeData, serde_json::Value) = match cp {
        Some(root) => {
            if a.sigma.is_some() || a.theta.is_some() {
                bail!("the CP2015 data set carries its own theta (sectors.csv): --sigma and --theta apply to graphs");
            }
            let d = cp2015::read(&root)?;
            let label = to_json(&Cp2015Label {
                file: graph.graph.as_deref(),
                name: &d.source,
                kind: "cp2015",
            })?;
            (d, label)
        }
        None => {
            let loaded = graph.load()?.latest_year()?;
            let d = from_graph(&loaded.graph, &p.theta)?;
            (d, super::info::graph_json(&loaded))
        }
    };
    if let Some(path) = &a.new_tariffs {
        p.schedule = cp2015::read_schedule(path, &data)?;
    }
    if p.tariffs.is_empty() && p.trade_costs.is_empty() && p.schedule.is_empty() {
        bail!("no scenario for the GE model: give --tariff, --trade-cost, --new-tariffs FILE or --scenario FILE (e.g. --tariff USA:CAN=25%)");
    }
    let r = ge_data(&data, &p)?;
    emit(&GeReport {
        scenario: describe(&p, a.new_tariffs.as_deref()),
        r: &r,
        size: (data.n(), data.j()),
        graph: label,
        top,
    })
}

/// The `graph` of a run on the CP2015 data set.
#[derive(Serialize)]
struct Cp2015Label<'a> {
    file: Option<&'a str>,
    name: &'a str,
    kind: &'static str,
}

fn describe(p: &GeParams, schedule: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = p
        .tariffs
        .iter()
        .map(|t| {
            format!(
                "tariff {}:{}{}={}",
                t.importer,
                t.exporter,
                t.sector
                    .as_deref()
                    .map(|s| format!(":{s}"))
                    .unwrap_or_default(),
                tradenet::analysis::percent_text(t.rate)
            )
        })
        .collect();
    v.extend(p.trade_costs.iter().map(|c| {
        format!(
            "trade cost {}:{}{}={}",
            c.importer,
            c.exporter,
            c.sector
                .as_deref()
                .map(|s| format!(":{s}"))
                .unwrap_or_default(),
            c.factor
        )
    }));
    if let Some(file) = schedule {
        v.insert(
            0,
            format!("new tariffs from {file} ({} rows)", p.schedule.len()),
        );
    }
    v
}
