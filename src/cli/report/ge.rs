//! `tradenet report --model ge`: a general-equilibrium run told for a reader. The content is
//! what `tradenet shock --model ge` prints (its summary and tables through [`Report`]), laid
//! out as the report's document; the run is the same one, on the same flags. There is no
//! impact diagram: `tradenet draw` colours the ripple model's changes.
//!
//! [`Report`]: super::super::output::Report

use super::doc::{Block, Doc, Section};
use super::ReportArgs;
use crate::cli::output::Table;
use crate::cli::shock::DEFAULT_SCENARIO;
use anyhow::{bail, Result};
use serde_json::Value;

/// Run the GE model on the report's graph and scenario and lay out the document.
pub fn build(a: &ReportArgs) -> Result<Doc> {
    let s = &a.scenario;
    let given = s.scenario.is_some()
        || !s.tariff.is_empty()
        || !s.demand.is_empty()
        || !s.supply.is_empty()
        || !s.embargo.is_empty()
        || !a.ge.trade_cost.is_empty()
        || a.ge.new_tariffs.is_some()
        || !a.ge.set_variable.is_empty();
    // The report's default: the headline tariff on the default graph, as the ripple report.
    let is_default = !given && a.graph.graph.is_none();
    let mut scenario = s.clone();
    if is_default {
        scenario.tariff = vec![DEFAULT_SCENARIO.into()];
    }
    let mut run: Option<(Vec<String>, Vec<Table>, Value)> = None;
    super::super::ge::run_with(&a.ge, &scenario, &a.graph, a.top, &mut |r| {
        // The JSON for its `graph` block: what was read.
        run = Some((r.summary(), r.tables(), r.json()?));
        Ok(())
    })?;
    let Some((summary, tables, json)) = run else {
        bail!("the GE model gave no result");
    };

    let mut words = Vec::new();
    if is_default {
        words.push(crate::cli::shock::default_scenario_line());
    }
    words.extend(summary.iter().cloned());
    let title = summary
        .iter()
        .find_map(|l| l.strip_prefix("Scenario: "))
        .map_or_else(
            || "General equilibrium".to_string(),
            |s| format!("General equilibrium: {s}"),
        );
    let graph = &json["graph"];
    let mut subtitle = Vec::new();
    if let Some(f) = graph["file"].as_str() {
        subtitle.push(format!("graph: {f}"));
    }
    if let Some(n) = graph["name"].as_str() {
        subtitle.push(format!("name: {n}"));
    }
    let command = super::command_line::shock_command(a, is_default);
    let sections = vec![
        Section {
            id: "scenario",
            heading: "Scenario and model".into(),
            blocks: vec![
                Block::List(words),
                Block::Text("The same run as a command:".into()),
                Block::Code(command),
            ],
        },
        Section {
            id: "results",
            heading: "Results".into(),
            blocks: tables.into_iter().map(Block::Table).collect(),
        },
        Section {
            id: "diagram",
            heading: "Diagram".into(),
            blocks: vec![Block::Text(
                "No impact diagram: tradenet draw colours the ripple model's changes (run the report without --model ge for it); the general equilibrium's changes are in the tables above."
                    .into(),
            )],
        },
    ];
    Ok(Doc {
        title,
        subtitle,
        sections,
        footer: format!(
            "Made by tradenet {} (tradenet report --model ge); every number is computed from the data named above.",
            env!("CARGO_PKG_VERSION")
        ),
    })
}
