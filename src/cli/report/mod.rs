//! `tradenet report`: one shock told for a reader, as one self-contained HTML file (inline
//! CSS, diagrams as inline SVG, nothing fetched) or as Markdown with the diagrams as SVG files
//! beside it. The content is `tradenet shock`'s (its tables through [`Report`]), the
//! dependency of the countries involved (`tradenet dependency --country`'s tables) and the
//! impact diagram `tradenet draw` makes. With `--model ge`, the general-equilibrium run's
//! summary and tables instead ([`ge`]).
//!
//! Output: `-o FILE.html` (or `.htm`) is HTML, `-o FILE.md` Markdown (with `FILE-impact.svg`
//! beside it), `--format` overrides the extension; every file is written atomically. Without
//! `-o` the report is Markdown on standard output, without the diagram (there is no folder
//! to put it in; likewise for `-o /dev/stdout` or a pipe); `--format html` without `-o`
//! prints HTML to a pipe and is refused on a terminal.
//!
//! [`Report`]: super::output::Report

mod command_line;
mod diagram;
mod doc;
mod ge;
mod headline;
mod html;
mod involved;
mod markdown;
mod table;

use super::flags;
use super::output::Sink;
use super::shock::{ChannelArg, ScenarioArgs};
use super::GraphArgs;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The shock, as `tradenet shock` takes it [default on the default graph: the headline
    /// tariff --tariff USA:CAN:C29=25%].
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Changes of final demand in value, from a `node,value` CSV (as `tradenet shock --dy`).
    #[arg(long, value_name = "FILE", help_heading = "Scenario", value_parser = flags::name("a file name"))]
    pub dy: Option<String>,
    /// Gross output of every node from a `node,value` CSV (as `tradenet shock`).
    #[arg(long, value_name = "FILE", help_heading = "Input-output data", value_parser = flags::name("a file name"))]
    pub gross_output: Option<String>,
    /// Final demand of every node from a `node,value` CSV (as `tradenet shock`).
    #[arg(long, value_name = "FILE", help_heading = "Input-output data", value_parser = flags::name("a file name"))]
    pub final_demand: Option<String>,
    /// DebtRank channel of trade graphs (as `tradenet shock --channel`).
    #[arg(long, value_enum, default_value_t = ChannelArg::Export)]
    pub channel: ChannelArg,
    /// Rows in the tables.
    #[arg(long, default_value_t = 15, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
    /// Output format [default: from the -o extension (.html, .htm, .md, .markdown); Markdown
    /// on standard output].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Leave the diagram out (it needs Graphviz).
    #[arg(long)]
    pub no_diagram: bool,
    /// The model (`--model ge`: general equilibrium, its summary and tables as `tradenet shock
    /// --model ge` prints them) and the GE flags, as `tradenet shock` takes them.
    #[command(flatten)]
    pub ge: super::ge::GeArgs,
}

/// `report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file.
    Html,
    /// Markdown tables; diagrams as SVG files beside the file.
    Md,
}

/// The format: `--format`, else the `-o` extension, else Markdown on standard output (HTML
/// to a terminal is refused).
fn format_of(a: &ReportArgs, path: Option<&str>) -> Result<ReportFormat> {
    let f = match (a.format, path) {
        (Some(f), _) => f,
        (None, None) => ReportFormat::Md,
        (None, Some(p)) => {
            let ext = Path::new(p)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            match ext.as_str() {
                "html" | "htm" => ReportFormat::Html,
                "md" | "markdown" => ReportFormat::Md,
                "" => bail!(
                    "-o {p}: the name has no extension to tell the report type; name the file .html or .md, or give --format html|md"
                ),
                _ => bail!(
                    "-o {p}: unknown report type '.{ext}'; name the file .html or .md, or give --format html|md"
                ),
            }
        }
    };
    if f == ReportFormat::Html && path.is_none() && std::io::stdout().is_terminal() {
        bail!("an HTML report is for a browser, not a terminal (hint: give -o report.html, or leave out --format html for Markdown)");
    }
    Ok(f)
}

/// The SVG file written beside a Markdown report `md` for the diagram `stem`:
/// `out/report.md` -> `out/report-impact.svg`.
fn beside(md: &Path, stem: &str) -> PathBuf {
    let base = md
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    md.with_file_name(format!("{base}-{stem}.svg"))
}

pub fn run(a: ReportArgs, out: &Sink, inputs: &[(&str, &str)]) -> Result<()> {
    let path = out.path.as_deref().filter(|p| *p != "-");
    let format = format_of(&a, path)?;
    // Markdown on standard output, or into a device or pipe (`-o /dev/stdout`), has no
    // folder to put a diagram file in.
    let folder = path.filter(|p| std::fs::metadata(p).map_or(true, |m| m.is_file()));
    let diagrams = if a.no_diagram {
        Err("left out (--no-diagram)")
    } else if format == ReportFormat::Md && folder.is_none() {
        Err("left out on standard output: with -o FILE.md it is written beside the report as FILE-impact.svg")
    } else {
        Ok(())
    };
    super::shock::refuse_other_models_flags(&doc::shock_args(&a)?)?;
    let doc = if a.ge.model == super::ge::ModelArg::Ge {
        ge::build(&a)?
    } else {
        doc::build(&a, diagrams)?
    };
    match format {
        ReportFormat::Html => out.bytes(html::page(&doc).as_bytes()),
        ReportFormat::Md => {
            let files: Vec<(PathBuf, &doc::Figure)> = match folder {
                Some(p) => doc
                    .figures()
                    .map(|f| (beside(Path::new(p), &f.stem), f))
                    .collect(),
                None => Vec::new(),
            };
            for (file, _) in &files {
                let name = file.to_string_lossy();
                if let Some((what, _)) = inputs.iter().find(|(_, i)| super::same_file(&name, i)) {
                    bail!("the diagram {name} beside -o would replace the {what}: give another -o name");
                }
            }
            // The diagrams first (the Markdown names them); when a write fails, the diagrams
            // this run created are removed: nothing is left half-written.
            let mut created = Vec::new();
            let mut written = Ok(());
            for (file, f) in &files {
                let existed = std::fs::symlink_metadata(file).is_ok();
                written = tradenet::io::write_atomic(file, f.svg_file().as_bytes());
                if written.is_err() {
                    break;
                }
                if !existed {
                    created.push(file);
                }
            }
            let names: Vec<String> = files
                .iter()
                .map(|(f, _)| {
                    f.file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
                })
                .collect();
            let result = written
                .map_err(anyhow::Error::from)
                .and_then(|()| out.bytes(markdown::page(&doc, &names).as_bytes()));
            if result.is_err() {
                for f in created {
                    let _ = std::fs::remove_file(f);
                }
            }
            result
        }
    }
}
