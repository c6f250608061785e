//! The command line: clap definitions, loading the graph, and printing results as a table,
//! JSON or CSV. One file per subcommand; each turns its arguments into library calls and a
//! [`Report`].

/// `eprintln!` that never panics: when standard error is closed (`2>&1 | head -1`) the line is
/// lost, not the run.
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        // Notes may quote data (a path, an id): escaped, and each line bounded.
        let line = format!($($t)*);
        let _ = writeln!(std::io::stderr(), "{}", tradenet::text::clip_lines(&line, 1000));
    }};
}

mod carried;
mod centrality;
mod compare;
mod complexity;
mod convert;
mod dependency;
mod draw;
mod flags;
mod ge;
mod gravity;
mod gvc;
mod info;
mod output;
mod report;
mod scenario;
mod shock;
mod shock_tables;
mod validate;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use tradenet::io::{Columns, ComtradeFlow, HsLevel, InputFormat, LoadOptions};
use tradenet::TradeGraph;

/// tradenet: trade as a network. Load trade and input-output graphs, measure who matters,
/// see who depends on whom, and follow shocks through supply chains.
#[derive(Debug, Parser)]
#[command(name = "tradenet", version, about, long_about = None, max_term_width = 110)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Write the output to FILE (atomically: complete or not at all) instead of standard output.
    #[arg(short = 'o', long = "output", global = true, value_name = "FILE",
          value_parser = flags::name("a file name"))]
    pub output: Option<String>,
    /// Allow -o to name the input graph file (it is replaced only when the output is complete).
    #[arg(long, global = true)]
    pub overwrite_input: bool,
}

/// The output format of the commands that print results (not `convert`, whose target is
/// `--to`, nor `draw`, whose type follows the `-o` extension).
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A human table.
    Table,
    /// JSON for machines.
    Json,
    /// CSV: one header row, the first column is `id`.
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarise a graph: size, value, density, top exporters and importers.
    Info(info::InfoArgs),
    /// Check a graph file and report every problem in it (exit code 2 when there are any).
    Validate(validate::ValidateArgs),
    /// Who depends on whom: partner shares, concentration (HHI), critical dependencies, value-chain exposure.
    Dependency(dependency::DependencyArgs),
    /// Draw a diagram for a report: DOT, or SVG/PNG/PDF rendered by Graphviz.
    Draw(draw::DrawArgs),
    /// What a tariff, demand change, supply cut or embargo does: the direct effect (WITS-SMART)
    /// and the ripple through supply chains round by round (Leontief, Ghosh, DebtRank).
    Shock(shock::ShockArgs),
    /// Value added in trade: where the value in gross exports is created and absorbed
    /// (Leontief, Borin-Mancini, Wang-Wei-Zhu, Miroudot-Ye, OECD TiVA), VAX ratios, upstreamness.
    Gvc(gvc::GvcArgs),
    /// Convert a graph to another format (native JSON, NetworkX node-link JSON, CSV edge list).
    Convert(convert::ConvertArgs),
    /// Rank nodes by centrality: strength, degree, PageRank, CheiRank, eigenvector, Katz, HITS,
    /// betweenness, closeness, harmonic (each equal to NetworkX on the same weighted graph).
    Centrality(centrality::CentralityArgs),
    /// Economic complexity: RCA, diversity and ubiquity, ECI and PCI, proximity, density,
    /// complexity outlook (COI, COG), as the Growth Lab's ecomplexity; or fitness-complexity.
    Complexity(complexity::ComplexityArgs),
    /// A report a reader can open: a shock's scenario, headline figures, tables, the
    /// dependency of the countries involved and its diagram, as one self-contained HTML file
    /// (-o report.html) or Markdown (-o report.md, diagrams as SVG files beside it).
    Report(report::ReportArgs),
}

/// Where the graph comes from and how to read it; shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
    /// Graph file (tradenet JSON, NetworkX node-link JSON, CSV or .csv.gz edge list, an OECD ICIO
    /// table as downloaded: .csv or .zip), EXIOBASE 3 or Eora26 as downloaded (the folder or
    /// .zip), a WIOD 2013 workbook (.xlsx), a GLORIA folder, a FIGARO flat file (.csv or .zip),
    /// an input-output CSV folder, or `-` for standard input. Default: the embedded OECD ICIO 2022 graph (8 regions x 50 industries).
    #[arg(value_name = "GRAPH", value_parser = flags::name("a graph file, or - for standard input"))]
    pub graph: Option<String>,
    /// Read the file as this format instead of recognising it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// CSV column holding the exporter [default: exporter, from, source, i].
    #[arg(long, value_name = "NAME", help_heading = "CSV columns", value_parser = flags::name("a column name"))]
    pub from_col: Option<String>,
    /// CSV column holding the importer [default: importer, to, target, j].
    #[arg(long, value_name = "NAME", help_heading = "CSV columns", value_parser = flags::name("a column name"))]
    pub to_col: Option<String>,
    /// CSV column holding the sector [default: sector, k, product, industry].
    #[arg(long, value_name = "NAME", help_heading = "CSV columns", value_parser = flags::name("a column name"))]
    pub sector_col: Option<String>,
    /// CSV column holding the value [default: value, v, weight].
    #[arg(long, value_name = "NAME", help_heading = "CSV columns", value_parser = flags::name("a column name"))]
    pub value_col: Option<String>,
    /// CSV column holding the year [default: year, t].
    #[arg(long, value_name = "NAME", help_heading = "CSV columns", value_parser = flags::name("a column name"))]
    pub year_col: Option<String>,
    /// Keep only this year of a multi-year file.
    #[arg(long, value_name = "YEAR", allow_hyphen_values = true, value_parser = flags::year)]
    pub year: Option<u16>,
    /// Edge attribute holding the value in NetworkX node-link files [default: value, then weight].
    #[arg(long, value_name = "NAME", value_parser = flags::name("an edge attribute name"))]
    pub weight_attr: Option<String>,
    /// BACI's country table (country_codes_V*.csv) to map exporter and importer codes to ISO3
    /// [default: the one beside the file, else tradenet's shipped ISO 3166 table].
    #[arg(long, value_name = "FILE", help_heading = "BACI and Comtrade+ files",
          value_parser = flags::name("a file name"))]
    pub country_codes: Option<String>,
    /// BACI products as HS6 codes, or summed to HS4 headings, HS2 chapters or the 21 HS sections [default: 6].
    #[arg(
        long,
        value_enum,
        value_name = "LEVEL",
        help_heading = "BACI and Comtrade+ files"
    )]
    pub hs_level: Option<HsLevelArg>,
    /// Comtrade+: exports as reported (flowCode X) or imports mirrored (flowCode M, the importer reporting) [default: exports].
    #[arg(
        long,
        value_enum,
        value_name = "FLOW",
        help_heading = "BACI and Comtrade+ files"
    )]
    pub comtrade_flow: Option<ComtradeFlowArg>,
    /// OECD ICIO: keep China's and Mexico's split blocks (CN1.., MX1..) as nodes of their own,
    /// of the country CHN or MEX, instead of adding them into CHN's and MEX's nodes (as
    /// exvatools builds its system; value-added terms then match its).
    #[arg(long, help_heading = "Published input-output tables")]
    pub keep_split_blocks: bool,
    /// Merge countries into regions: a CSV `country,region` (flows within a region are dropped
    /// in a trade graph, kept as domestic deliveries in an input-output graph).
    #[arg(long, value_name = "FILE", help_heading = "Aggregation",
          value_parser = flags::name("a file name"))]
    pub regions: Option<String>,
    /// Merge sectors into groups: a CSV `sector,group`.
    #[arg(long, value_name = "FILE", help_heading = "Aggregation",
          value_parser = flags::name("a file name"))]
    pub sector_groups: Option<String>,
    /// With --regions or --sector-groups: keep countries or sectors the file does not list as
    /// they are (without it, they are an error listing them).
    #[arg(long, help_heading = "Aggregation")]
    pub keep_unlisted: bool,
}

/// `--hs-level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HsLevelArg {
    /// HS6 subheadings, as published.
    #[value(name = "6")]
    Hs6,
    /// HS4 headings.
    #[value(name = "4")]
    Hs4,
    /// HS2 chapters.
    #[value(name = "2")]
    Hs2,
    /// The 21 HS sections (I to XXI).
    Section,
}

/// `--comtrade-flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ComtradeFlowArg {
    /// Exports as reported: reporter -> partner.
    Exports,
    /// Imports mirrored: partner -> reporter.
    Imports,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// tradenet JSON.
    Json,
    /// NetworkX node-link JSON.
    Nodelink,
    /// CSV edge list.
    Csv,
    /// OECD ICIO table as downloaded (.csv, or a .zip holding it).
    OecdIcio,
    /// EXIOBASE 3 as downloaded (the folder or .zip with file_parameters.json, A.txt, Y.txt).
    Exiobase3,
    /// Eora26 as downloaded (the folder with Eora26_{year}_{bp|pp}_T.txt, _FD, _VA and labels).
    Eora26,
    /// WIOD 2013 release: wiotYY_row_sep12.xlsx as downloaded (or the folder, with --year).
    Wiod,
    /// GLORIA v59: the folder with GLORIA_MRIOs_59_{year}/ and GLORIA_ReadMe_059.xlsx.
    Gloria,
    /// Eurostat FIGARO flat file (flatfile_eu-ic-io_ind-by-ind_*.csv, or its .zip).
    Figaro,
}

/// A loaded graph and how to name it in outputs.
pub struct Loaded {
    pub graph: TradeGraph,
    /// The file as given, or `<embedded default: NAME>`.
    pub label: String,
    /// The year chosen by the one-year rule and how many years the file has, when the file has
    /// several and `--year` chose none.
    pub latest_of: Option<(u16, usize)>,
}

impl Loaded {
    /// The one-year rule of every command that analyses ([`TradeGraph::latest_year`]): a
    /// multi-year file is cut to its latest year, with a note on standard error and in
    /// `latest_of` (written into the outputs' `graph` block), never summed over years.
    pub fn latest_year(mut self) -> Result<Loaded> {
        if let Some((g, year, n)) = self.graph.latest_year()? {
            note!(
                "note: {}: using {year}, the latest of the file's {n} years \
                 (years are never summed; choose one with --year)",
                self.label
            );
            self.graph = g;
            self.latest_of = Some((year, n));
        }
        Ok(self)
    }
}

impl GraphArgs {
    fn options(&self) -> LoadOptions {
        LoadOptions {
            columns: Columns {
                from: self.from_col.clone(),
                to: self.to_col.clone(),
                sector: self.sector_col.clone(),
                value: self.value_col.clone(),
                year: self.year_col.clone(),
            },
            year: self.year,
            weight_attr: self.weight_attr.clone(),
            format: self.input_format.map(|f| match f {
                InputFormatArg::Json => InputFormat::Native,
                InputFormatArg::Nodelink => InputFormat::NodeLink,
                InputFormatArg::Csv => InputFormat::Csv,
                InputFormatArg::OecdIcio => InputFormat::OecdIcio,
                InputFormatArg::Exiobase3 => InputFormat::Exiobase3,
                InputFormatArg::Eora26 => InputFormat::Eora26,
                InputFormatArg::Wiod => InputFormat::Wiod,
                InputFormatArg::Gloria => InputFormat::Gloria,
                InputFormatArg::Figaro => InputFormat::Figaro,
            }),
            progress: progress_bar(self.graph.as_deref().unwrap_or("-")),
            country_codes: self.country_codes.as_ref().map(std::path::PathBuf::from),
            hs_level: self.hs_level.map(|l| match l {
                HsLevelArg::Hs6 => HsLevel::Hs6,
                HsLevelArg::Hs4 => HsLevel::Hs4,
                HsLevelArg::Hs2 => HsLevel::Hs2,
                HsLevelArg::Section => HsLevel::Section,
            }),
            comtrade_flow: self.comtrade_flow.map(|f| match f {
                ComtradeFlowArg::Exports => ComtradeFlow::Exports,
                ComtradeFlowArg::Imports => ComtradeFlow::Imports,
            }),
            keep_split_blocks: self.keep_split_blocks,
        }
    }

    /// The aggregation views asked for (`--regions`, `--sector-groups`), applied after loading,
    /// and the warnings of the reader, printed once.
    fn views(&self, mut loaded: Loaded) -> Result<Loaded> {
        for w in std::mem::take(&mut loaded.graph.warnings) {
            note!("warning: {}: {w}", loaded.label);
        }
        if (self.keep_unlisted) && self.regions.is_none() && self.sector_groups.is_none() {
            anyhow::bail!("--keep-unlisted goes with --regions or --sector-groups");
        }
        let params = tradenet::GroupParams {
            keep_unlisted: self.keep_unlisted,
            ..Default::default()
        };
        if let Some(f) = &self.regions {
            let r = tradenet::io::read_grouping(f, "country")?;
            loaded.graph = loaded.graph.group_countries(&r, &params)?.0;
        }
        if let Some(f) = &self.sector_groups {
            let s = tradenet::io::read_grouping(f, "sector")?;
            loaded.graph = loaded.graph.group_sectors(&s, &params)?.0;
        }
        Ok(loaded)
    }

    /// Load the graph named on the command line, or the embedded default.
    pub fn load(&self) -> Result<Loaded> {
        let opts = self.options();
        match &self.graph {
            Some(path) => {
                let graph = tradenet::io::load(path, &opts)?;
                let label = if path == "-" {
                    "<stdin>".to_string()
                } else {
                    path.clone()
                };
                self.views(Loaded {
                    graph,
                    label,
                    latest_of: None,
                })
            }
            None => {
                let mut graph =
                    tradenet::bundled::default_graph().context("the embedded default graph")?;
                if let Some(y) = opts.year {
                    graph = graph.year(y)?;
                }
                self.views(Loaded {
                    graph,
                    label: format!("<embedded default: {}>", tradenet::bundled::DEFAULT_NAME),
                    latest_of: None,
                })
            }
        }
    }
}

/// A progress bar on standard error for a large input, when standard error is a terminal:
/// made at the first report (which gives the total), cleared when the total is reached.
fn progress_bar(path: &str) -> Option<tradenet::io::Progress> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let name = tradenet::text::clip(if path == "-" { "<stdin>" } else { path }).into_owned();
    let bar: std::sync::OnceLock<indicatif::ProgressBar> = std::sync::OnceLock::new();
    Some(std::sync::Arc::new(move |n: u64, total: u64| {
        let pb = bar.get_or_init(|| {
            let pb = indicatif::ProgressBar::new(total);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            pb.set_message(format!("reading {name}"));
            pb
        });
        pb.inc(n);
        if pb.position() >= total {
            pb.finish_and_clear();
        }
    }))
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    if let Some(out) = &cli.output {
        for (what, input) in cli.command.inputs() {
            if !cli.overwrite_input && same_file(out, input) {
                anyhow::bail!(
                    "-o {out} is the {what}: writing it would replace the data being read \
                     (give another file, or --overwrite-input to replace it once the output is complete)"
                );
            }
        }
    }
    let out = output::Sink {
        format: cli.command.format(),
        path: cli.output.clone(),
    };
    let inputs: Vec<(String, String)> = cli
        .command
        .inputs()
        .into_iter()
        .map(|(w, p)| (w.to_string(), p.to_string()))
        .collect();
    match cli.command {
        Command::Info(a) => info::run(a, &out),
        Command::Validate(a) => validate::run(a, &out),
        Command::Convert(a) => convert::run(a, &out),
        Command::Centrality(a) => centrality::run(a, &out),
        Command::Dependency(a) => dependency::run(a, &out),
        Command::Gvc(a) => gvc::run(a, &out),
        Command::Shock(a) => shock::run(a, &out),
        Command::Draw(a) => draw::run(a, &out),
        Command::Complexity(a) => complexity::run(a, &out),
        Command::Report(a) => {
            let inputs: Vec<(&str, &str)> = inputs
                .iter()
                .map(|(w, p)| (w.as_str(), p.as_str()))
                .collect();
            report::run(a, &out, &inputs)
        }
    }
}

/// Whether two paths name the same existing file (links followed).
pub(crate) fn same_file(a: &str, b: &str) -> bool {
    if a == "-" || b == "-" {
        return false;
    }
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok(),
        _ => false,
    }
}

impl Command {
    /// The graph file the command reads, if one is named.
    /// Every file the command reads, with what it is for messages: the graph, and the
    /// `--sources`, `--impact`, `--scenario`, `--dy`, `--gross-output`, `--final-demand` files.
    fn inputs(&self) -> Vec<(&'static str, &str)> {
        let g = match self {
            Command::Info(a) => &a.graph,
            Command::Validate(a) => &a.graph,
            Command::Convert(a) => &a.graph,
            Command::Centrality(a) => &a.graph,
            Command::Dependency(a) => &a.graph,
            Command::Gvc(a) => &a.graph,
            Command::Shock(a) => &a.graph,
            Command::Draw(a) => &a.graph,
            Command::Complexity(a) => &a.graph,
            Command::Report(a) => &a.graph,
        };
        let mut v: Vec<(&'static str, Option<&str>)> = vec![
            ("input graph file", g.graph.as_deref()),
            ("--country-codes file", g.country_codes.as_deref()),
            ("--regions file", g.regions.as_deref()),
            ("--sector-groups file", g.sector_groups.as_deref()),
        ];
        match self {
            Command::Centrality(a) => v.push(("--sources file", a.sources.as_deref())),
            Command::Gvc(a) => v.push(("--categories file", a.categories.as_deref())),
            Command::Complexity(a) => v.push(("--population file", a.population.as_deref())),
            Command::Shock(a) => v.extend([
                ("--scenario file", a.scenario.scenario.as_deref()),
                ("--dy file", a.dy.as_deref()),
                ("--gross-output file", a.gross_output.as_deref()),
                ("--final-demand file", a.final_demand.as_deref()),
            ]),
            Command::Draw(a) => v.extend([
                ("--impact file", a.impact.as_deref()),
                ("--scenario file", a.scenario.scenario.as_deref()),
            ]),
            Command::Report(a) => v.extend([
                ("--scenario file", a.scenario.scenario.as_deref()),
                ("--dy file", a.dy.as_deref()),
                ("--gross-output file", a.gross_output.as_deref()),
                ("--final-demand file", a.final_demand.as_deref()),
            ]),
            _ => {}
        }
        v.into_iter().filter_map(|(w, p)| Some((w, p?))).collect()
    }

    /// The output format: `--format` of the commands that print results; `convert` and `draw`
    /// write their own (`--to`, the `-o` extension).
    fn format(&self) -> Format {
        match self {
            Command::Info(a) => a.out.format,
            Command::Validate(a) => a.out.format,
            Command::Centrality(a) => a.out.format,
            Command::Dependency(a) => a.out.format,
            Command::Gvc(a) => a.out.format,
            Command::Shock(a) => a.out.format,
            Command::Complexity(a) => a.out.format,
            Command::Convert(_) | Command::Draw(_) | Command::Report(_) => Format::Table,
        }
    }
}
