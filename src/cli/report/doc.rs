//! The report as a document: sections of text, tables and figures, built from one shock run.
//! The HTML and Markdown writers render this; neither computes anything.

use super::super::output::{zero_sign, Report, Table};
use super::super::shock::{compute, ShockArgs, Shocked};
use super::super::shock_tables as tables;
use super::ReportArgs;
use anyhow::{Context, Result};
use clap::{Args, FromArgMatches};

/// A report: a title, lines under it, and sections.
pub struct Doc {
    pub title: String,
    pub subtitle: Vec<String>,
    pub sections: Vec<Section>,
    /// The last line: what made the report.
    pub footer: String,
}

/// A section: an anchor, a heading and its blocks.
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// What a section holds.
pub enum Block {
    /// A paragraph.
    Text(String),
    /// A bulleted list.
    List(Vec<String>),
    /// Preformatted text (a command line, a scenario file).
    Code(String),
    /// A sub-heading.
    Heading(String),
    /// A table of the command-line output (`trait Report`).
    Table(Table),
    /// A diagram.
    Figure(Figure),
}

/// A diagram rendered by Graphviz.
pub struct Figure {
    /// The file-name part of the diagram: `impact` (Markdown writes `REPORT-impact.svg`).
    pub stem: String,
    pub caption: String,
    /// Graphviz's SVG as it wrote it.
    pub svg: String,
}

impl Figure {
    /// The SVG file written beside a Markdown report: Graphviz's document as it is.
    pub fn svg_file(&self) -> &str {
        &self.svg
    }
}

impl Doc {
    /// Every figure, in order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Figure(f) => Some(f),
                _ => None,
            })
    }
}

/// `tradenet shock`'s arguments for the report's: clap's defaults, then the report's graph,
/// scenario and model flags.
pub fn shock_args(a: &ReportArgs) -> Result<ShockArgs> {
    let cmd = ShockArgs::augment_args(clap::Command::new("shock"));
    let m = cmd
        .try_get_matches_from(["shock"])
        .context("the shock's default flags")?;
    let mut s = ShockArgs::from_arg_matches(&m).context("the shock's default flags")?;
    s.graph = a.graph.clone();
    s.scenario = a.scenario.clone();
    s.dy = a.dy.clone();
    s.gross_output = a.gross_output.clone();
    s.final_demand = a.final_demand.clone();
    s.channel = a.channel;
    s.top = a.top;
    s.ge = a.ge.clone();
    Ok(s)
}

/// Run the shock and lay out the report; `diagrams`: draw the impact diagram (Graphviz), or
/// why it is left out.
pub fn build(a: &ReportArgs, diagrams: std::result::Result<(), &str>) -> Result<Doc> {
    let shocked = compute(&shock_args(a)?)?;
    let report = shocked.report(a.top, a.dy.as_deref());
    let mut json = report.json()?;
    zero_sign(&mut json);
    let r = &shocked.result;
    let g = &shocked.loaded.graph;
    let unit = g.meta.unit.clone().unwrap_or_default();
    let unit_suffix = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };

    let title = match &shocked.scenario.name {
        Some(n) => n.clone(),
        None => impact_title(&shocked.scenario),
    };
    let mut subtitle = vec![format!("graph: {}", shocked.loaded.label)];
    subtitle.extend(g.meta.name.iter().map(|n| format!("name: {n}")));
    if let Some((y, n)) = shocked.loaded.latest_of {
        subtitle.push(format!("year {y}, the latest of the file's {n} years"));
    }

    let mut sections = vec![scenario_section(a, &shocked, &report)?];
    sections.push(Section {
        id: "headline",
        heading: "Headline figures".into(),
        blocks: vec![
            Block::Text(
                "Each figure with what it measures; the exact column is the number as tradenet shock --format json writes it."
                    .into(),
            ),
            Block::Table(super::headline::table(&json, r.debtrank.is_some(), &unit)),
        ],
    });
    let mut direct = vec![Block::List(tables::propagation_lines(r))];
    direct.extend(tables::flows_table(r, a.top).map(Block::Table));
    sections.push(Section {
        id: "direct",
        heading: "Direct effect".into(),
        blocks: direct,
    });
    sections.push(Section {
        id: "rounds",
        heading: "Ripple by round".into(),
        blocks: vec![Block::Table(tables::rounds_table(r))],
    });
    let mut by_country: Vec<Block> = tables::countries_table(r, a.top)
        .map(Block::Table)
        .into_iter()
        .collect();
    by_country.push(Block::Table(tables::movers_table(r, a.top)));
    sections.push(Section {
        id: "countries",
        heading: "By country and node".into(),
        blocks: by_country,
    });
    if let Some(h) = r.hit_abroad() {
        sections.push(Section {
            id: "abroad",
            heading: "Hit abroad".into(),
            blocks: vec![Block::Table(tables::hit_abroad_table(&h, a.top))],
        });
    }
    sections.push(super::involved::section(&shocked, a.top)?);
    sections.push(Section {
        id: "diagram",
        heading: "Diagram".into(),
        blocks: vec![match diagrams {
            Ok(()) => Block::Figure(super::diagram::impact(a, &shocked, &json)?),
            Err(why) => Block::Text(format!("The impact diagram is {why}.")),
        }],
    });
    sections.push(Section {
        id: "notes",
        heading: "Assumptions and notes".into(),
        blocks: vec![Block::List(tables::result_lines(r, &unit_suffix))],
    });
    sections.push(Section {
        id: "scenario-file",
        heading: "Scenario file".into(),
        blocks: vec![Block::Code(serde_json::to_string_pretty(
            &shocked.scenario.to_json(),
        )?)],
    });
    Ok(Doc {
        title,
        subtitle,
        sections,
        footer: format!(
            "Made by tradenet {} (tradenet report); every number is computed from the graph named above.",
            env!("CARGO_PKG_VERSION")
        ),
    })
}

/// `Impact of` the scenario's shocks, the first three of them when there are more (a `--dy`
/// file may change thousands of nodes).
pub fn impact_title(s: &tradenet::analysis::Scenario) -> String {
    const SHOWN: usize = 3;
    let d = s.describe();
    if d.len() <= SHOWN {
        format!("Impact of {}", d.join("; "))
    } else {
        format!(
            "Impact of {} shocks: {}; and {} more",
            d.len(),
            d[..SHOWN].join("; "),
            d.len() - SHOWN
        )
    }
}

/// The scenario in words (as `tradenet shock` prints it), as flags, and as a scenario file.
fn scenario_section(
    a: &ReportArgs,
    s: &Shocked,
    report: &super::super::shock::ShockReport<'_>,
) -> Result<Section> {
    let words: Vec<String> = report
        .scenario_lines()
        .into_iter()
        .skip(1) // the graph line is in the subtitle
        .map(|l| l.trim().to_string())
        .collect();
    Ok(Section {
        id: "scenario",
        heading: "Scenario".into(),
        blocks: vec![
            Block::List(words),
            Block::Text("The same run as a command:".into()),
            Block::Code(super::command_line::shock_command(a, s.is_default)),
            Block::Text(
                "The scenario file of the same shock (for --scenario FILE) is at the end.".into(),
            ),
        ],
    })
}
