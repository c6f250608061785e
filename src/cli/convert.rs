//! `tradenet convert`: write a graph (or a view of it) in another format.

use super::flags;
use super::output::Sink;
use super::GraphArgs;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use tradenet::io::OutputFormat;
use tradenet::Direction;

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Target format.
    #[arg(long, value_enum)]
    pub to: To,
    /// Not an option of convert (hidden): given, it is refused with the rule.
    #[arg(long, hide = true, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Keep only these sectors (comma-separated codes).
    #[arg(long, value_delimiter = ',', value_name = "S", value_parser = flags::name("a sector code"))]
    pub sector: Vec<String>,
    /// See an input-output graph as a trade graph between countries (intermediate + final
    /// sales abroad; domestic flows dropped).
    #[arg(long)]
    pub as_countries: bool,
    /// Aggregate to the nodes' regions (flows within a region dropped).
    #[arg(long, conflicts_with = "as_countries")]
    pub as_regions: bool,
    /// Sum parallel sector flows into one flow per pair: a simple directed graph, which
    /// NetworkX's centralities accept (they differ on, or refuse, a MultiDiGraph).
    #[arg(long, visible_alias = "collapse-sectors")]
    pub sum_sectors: bool,
    /// Node-link, GraphML: the edge attribute holding the flow value [default: weight, the name
    /// NetworkX's and igraph's weighted measures read].
    #[arg(long, value_name = "NAME", value_parser = flags::name("an attribute name"))]
    pub weight_name: Option<String>,
    /// Node-link, GraphML, GEXF: add each edge's `distance` (inverse 1/value, neglog
    /// -ln(value / exporter's total), hops 1), the lengths of `centrality --distance`, for
    /// NetworkX's `betweenness_centrality(G, weight="distance")`. One flow per pair: with
    /// sectors, add --collapse-sectors.
    #[arg(long, value_name = "D", value_parser = distance)]
    pub distance: Option<tradenet::analysis::Distance>,
    /// Keep only the ego network of this node: the flows that touch it (and, with --hops K,
    /// those of the nodes K-1 steps out and in).
    #[arg(long, value_name = "NODE", value_parser = flags::name("a node id"))]
    pub ego: Option<String>,
    /// Hops of the ego network.
    #[arg(long, default_value_t = 1, requires = "ego", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of hops"))]
    pub hops: usize,
}

/// `inverse`, `neglog` or `hops`.
fn distance(s: &str) -> Result<tradenet::analysis::Distance, String> {
    s.parse().map_err(|e: tradenet::Error| e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// tradenet JSON (reads back to the same graph).
    Json,
    /// NetworkX node-link JSON (`networkx.node_link_graph(data, edges="edges")`).
    Nodelink,
    /// CSV edge list (exporter,importer,sector,value[,year]); node attributes are not kept.
    Csv,
    /// GraphML for Gephi, yEd or Cytoscape (edge weight = value).
    Graphml,
    /// GEXF 1.3 for Gephi (edge weight = value).
    Gexf,
    /// Graphviz DOT with default styling (`tradenet draw` for more).
    Dot,
}

pub fn run(a: ConvertArgs, out: &Sink) -> Result<()> {
    if a.format.is_some() {
        bail!("--format does not apply to convert; choose the target with --to (json, nodelink, csv, graphml, gexf, dot)");
    }
    if matches!(a.to, To::Json | To::Csv | To::Dot)
        && (a.weight_name.is_some() || a.distance.is_some())
    {
        bail!("--weight-name and --distance apply to the interchange formats (--to nodelink, graphml, gexf); tradenet JSON and CSV keep `value`");
    }
    let mut g = a.graph.load()?.graph;
    if !a.sector.is_empty() {
        let ids = a
            .sector
            .iter()
            .map(|s| g.require_sector(s))
            .collect::<tradenet::Result<Vec<_>>>()?;
        g = g.sector_layer(&ids);
    }
    if a.as_countries {
        g = g.countries();
    }
    if a.as_regions {
        g = g.regions()?;
    }
    if let Some(c) = &a.ego {
        g = g.ego(c, a.hops, Direction::Both)?;
    }
    if a.sum_sectors {
        g = g.aggregate_sectors();
    }
    let fmt = match a.to {
        To::Json => OutputFormat::Native,
        To::Nodelink => OutputFormat::NodeLink,
        To::Csv => OutputFormat::Csv,
        To::Graphml => OutputFormat::GraphMl,
        To::Gexf => OutputFormat::Gexf,
        To::Dot => {
            let style = tradenet::io::dot::DotStyle {
                legend: true,
                unit: g.meta.unit.clone(),
                ..Default::default()
            };
            return out.bytes(tradenet::io::dot::to_dot(&g, &style).as_bytes());
        }
    };
    let opts = tradenet::io::ExportOptions {
        weight: a.weight_name.clone().unwrap_or_else(|| "weight".into()),
        distance: a.distance,
    };
    let bytes = tradenet::io::write_with(&g, fmt, &opts).map_err(|e| {
        let parallel = matches!(&e, tradenet::Error::Param { name, .. } if name == "distance");
        let e = e.rename_param(&[("weight", "--weight-name"), ("distance", "--distance")]);
        if parallel {
            anyhow::anyhow!("{e} (hint: add --collapse-sectors, or --year Y for a multi-year file)")
        } else {
            e.into()
        }
    })?;
    out.bytes(&bytes)
}
