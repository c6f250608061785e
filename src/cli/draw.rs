//! `tradenet draw`: a diagram for a report. Filters choose what to show, styles how, and
//! Graphviz renders SVG, PNG or PDF (DOT is written without it).

mod frames;
pub(crate) mod graphviz;
pub(crate) mod page;

use super::flags::{self, Range};
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use graphviz::render;
use std::path::Path;
use tradenet::analysis::{centrality, disparity_backbone, CentralityParams, Measure};
use tradenet::io::dot::{ColorBy, DotStyle, EdgeScale, Engine, Layout};
use tradenet::{Direction, GraphKind, TradeGraph};

#[derive(Debug, Args)]
pub struct DrawArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Not an option of draw (hidden): given, it is refused with the rule.
    #[arg(long, hide = true, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Keep the N largest flows [default: 40 when the graph has more than 60 flows and no
    /// other filter is given].
    #[arg(long, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of flows"))]
    pub top: Option<usize>,
    /// Keep flows that are at least this share of their exporter's exports (0-1).
    #[arg(long, value_name = "S", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "a share of the exporter's exports"))]
    pub min_share: Option<f64>,
    /// Keep the disparity-filter backbone at this significance (Serrano et al. 2009), e.g. 0.05.
    #[arg(long, value_name = "ALPHA", allow_hyphen_values = true,
          value_parser = flags::number(Range::Share, "the significance level"))]
    pub backbone: Option<f64>,
    /// Only these sectors (comma-separated codes).
    #[arg(long, value_delimiter = ',', value_name = "S", value_parser = flags::name("a sector code"))]
    pub sector: Vec<String>,
    /// The ego network of this node (a country, or a country-sector node): the flows that touch
    /// it (and, with --hops K, those of the nodes K-1 steps out along sales and in along
    /// purchases), not every flow among its partners.
    #[arg(long, value_name = "NODE", value_parser = flags::name("a node id"))]
    pub ego: Option<String>,
    /// Hops of the ego network.
    #[arg(long, default_value_t = 1, value_name = "K", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of hops"))]
    pub hops: usize,
    /// Only these countries (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "C", value_parser = flags::name("a country id"))]
    pub countries: Vec<String>,
    /// Draw an input-output graph's country-sector nodes instead of its country view.
    #[arg(long)]
    pub as_is: bool,
    /// Node fill.
    #[arg(long, value_enum, default_value_t = ColorArg::Region)]
    pub color_by: ColorArg,
    /// Node size: strength, exports, imports, output, none, or a centrality measure
    /// (pagerank, cheirank, eigenvector, katz, hub, authority, betweenness, closeness, harmonic).
    #[arg(long, default_value = "strength", value_name = "WHAT",
          value_parser = flags::name("a size measure"))]
    pub size_by: String,
    /// Shock results to colour by impact: the JSON of `tradenet shock --format json`
    /// (`nodes` or `countries` rows with `id` and `delta_pct`).
    #[arg(long, value_name = "FILE", value_parser = flags::name("a file name"))]
    pub impact: Option<String>,
    /// With --impact: only nodes whose change is at least this many percent (absolute).
    #[arg(long, value_name = "PCT", allow_hyphen_values = true,
          value_parser = flags::number(Range::NonNegative, "the impact threshold (percent, absolute)"))]
    pub impact_threshold: Option<f64>,
    /// Edge width scale.
    #[arg(long, value_enum, default_value_t = ScaleArg::Sqrt)]
    pub scale: ScaleArg,
    /// Layout engine.
    #[arg(long, value_enum, default_value_t = EngineArg::Neato)]
    pub engine: EngineArg,
    /// Group nodes into clusters by region (drawn by the dot engine).
    #[arg(long)]
    pub clusters: bool,
    /// Label edges with their value.
    #[arg(long)]
    pub edge_labels: bool,
    /// Title of the diagram [default: the graph's name].
    #[arg(long)]
    pub title: Option<String>,
    /// Leave out the legend.
    #[arg(long)]
    pub no_legend: bool,
    /// The largest the drawing may be: a4 (160 x 247 mm, the text block of an A4 page with
    /// 25 mm margins), letter (6.5 x 9 in) or WIDTHxHEIGHT with a unit mm, cm, in or pt
    /// (170x240mm, 6.5x9in, 400x300pt). The layout is compressed towards it and a larger
    /// drawing scaled down to fit; labels are set at 7.5-11 pt, so they print at that size
    /// when the drawing fits unscaled (a note says when they would print below 7 pt)
    /// [default: a4].
    #[arg(long, value_name = "PAGE", value_parser = page::parse)]
    pub page: Option<page::Page>,
    /// Draw the shock's ripple round by round, one frame per round of the Leontief (or
    /// Ghosh, or DebtRank) propagation: frame 0 the direct effect, frame k the cumulative
    /// change through the k-th tier of suppliers, all frames with one layout and one colour
    /// scale. -o FILE.svg or .png writes FILE-00.svg, FILE-01.svg...; -o FILE.pdf one page per
    /// frame.
    #[arg(long)]
    pub rounds: bool,
    /// With --rounds: at most N frames (rounds 0 to N-1) [default: the rounds until 99% of
    /// the total change is reached].
    #[arg(long, value_name = "N", requires = "rounds", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of frames"))]
    pub frames: Option<usize>,
    /// Draw the product space of economic complexity instead (Hidalgo et al. 2007): the
    /// maximum spanning tree of product proximity plus the links at or above
    /// --proximity-threshold, nodes sized by world exports; from a trade graph whose flows
    /// carry products, or a country,product,value table.
    #[arg(long)]
    pub product_space: bool,
    /// Draw trade in value added instead of gross flows: one node per country, an edge a -> b
    /// for a's value added absorbed in b's final demand (V B Y, as `tradenet gvc --tiva`);
    /// input-output graphs with final demand by destination.
    #[arg(long)]
    pub value_added: bool,
    /// With --product-space: highlight the products this country exports with RCA >= 1.
    #[arg(long, value_name = "C", requires = "product_space", value_parser = flags::name("a country id"))]
    pub country: Option<String>,
    /// With --product-space: links beyond the spanning tree where proximity is at least this.
    #[arg(long, default_value_t = 0.55, value_name = "PHI", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "a proximity threshold"))]
    pub proximity_threshold: f64,
    /// A shock to run and colour by (as `tradenet shock`): --tariff, --demand, --supply,
    /// --embargo, --scenario FILE. Colours by impact unless --color-by says otherwise.
    #[command(flatten)]
    pub scenario: super::shock::ScenarioArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Region,
    Sector,
    Impact,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScaleArg {
    Sqrt,
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    Dot,
    Neato,
    Sfdp,
    Circo,
}

/// The output type, from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Out {
    Dot,
    Svg,
    Png,
    Pdf,
}

pub(crate) fn out_kind(path: Option<&str>) -> Result<Out> {
    let Some(p) = path else { return Ok(Out::Dot) };
    let ext = Path::new(p)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "dot" | "gv" => Out::Dot,
        "svg" => Out::Svg,
        "png" => Out::Png,
        "pdf" => Out::Pdf,
        _ => bail!("-o {p}: unknown diagram type '.{ext}'; use .dot, .svg, .png or .pdf"),
    })
}

/// Impact per node id from a shock JSON ([`tradenet::io::values::read_impact`]).
fn read_impact(path: &str) -> Result<Vec<(String, f64)>> {
    tradenet::io::values::read_impact(path).map_err(|e| match e {
        e @ tradenet::Error::Io { .. } => anyhow::Error::from(e).context("--impact"),
        e => e.into(),
    })
}

/// The country graph of trade in value added: an edge a -> b carries a's value added absorbed
/// in b's final demand (V B Y); nodes keep their countries' names and regions.
fn value_added_graph(g: &TradeGraph) -> Result<TradeGraph> {
    use tradenet::analysis::gvc::{trade_in_value_added, GvcSystem};
    let sys = GvcSystem::from_graph(g)?;
    let t = trade_in_value_added(&sys);
    let mut b = tradenet::GraphBuilder::new();
    let mut meta = g.meta.clone();
    meta.name = Some(format!(
        "{}: value added of each country absorbed in the others' final demand (V B Y)",
        g.meta.name.as_deref().unwrap_or("graph")
    ));
    b.set_meta(meta);
    for c in &t.countries {
        let any = g.nodes().find(|n| n.country_id() == c.as_str());
        let e = tradenet::NodeExtra {
            name: g.country_name(c),
            region: any.and_then(|n| n.region().map(str::to_string)),
            ..Default::default()
        };
        b.add_node(c, Some(c), None, Some(e), tradenet::Place::Code);
    }
    for (a, row) in t.value_added.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            if a != c && v > 0.0 {
                b.add_flow(
                    &t.countries[a],
                    &t.countries[c],
                    None,
                    v,
                    None,
                    None,
                    tradenet::Place::Code,
                );
            }
        }
    }
    Ok(b.build("<value added>")?)
}

/// Run a shock and keep the change in percent of baseline of every node and country.
fn impact_of_shock(g: &TradeGraph, s: &tradenet::analysis::Scenario) -> Result<Vec<(String, f64)>> {
    let r = tradenet::analysis::shock(g, s, &tradenet::analysis::ShockParams::default())
        .map_err(super::shock::flagged)?;
    // The percentages of `shock --format json` (as `--impact FILE` reads them).
    let nodes = r.nodes.iter().map(|n| (&n.id, n.delta_pct));
    let countries = r.countries.iter().map(|c| (&c.id, c.delta_pct));
    Ok(nodes
        .chain(countries)
        .filter_map(|(id, p)| p.map(|p| (id.clone(), p)))
        .collect())
}

/// Node values for sizing, by node index of `g`.
fn size_values(g: &TradeGraph, what: &str) -> Result<Option<Vec<f64>>> {
    let n = g.node_count();
    let mut exp = vec![0.0; n];
    let mut imp = vec![0.0; n];
    for (a, b, f) in g.flows() {
        if a != b {
            exp[a.index()] += f.value;
            imp[b.index()] += f.value;
        }
    }
    Ok(match what {
        "none" => None,
        "strength" => Some(exp.iter().zip(&imp).map(|(e, i)| e + i).collect()),
        "exports" => Some(exp),
        "imports" => Some(imp),
        "output" => Some(g.nodes().map(|n| n.output().unwrap_or(0.0)).collect()),
        m => {
            let measure: Measure = m.parse().map_err(|e: tradenet::Error| {
                anyhow::anyhow!("--size-by: {e}; or strength, exports, imports, output, none")
            })?;
            let p = CentralityParams {
                measures: vec![measure],
                ..Default::default()
            };
            let mut v = vec![0.0; n];
            for s in centrality(g, &p)?.nodes {
                v[g.require_node(&s.id)?.index()] = s.scores.0[0].1;
            }
            Some(v)
        }
    })
}

pub fn run(a: DrawArgs, out: &super::output::Sink) -> Result<()> {
    if a.format.is_some() {
        bail!("--format does not apply to draw; the type follows the -o extension (.dot, .svg, .png, .pdf)");
    }
    let kind = out_kind(out.path.as_deref())?;
    if a.product_space {
        if a.rounds {
            bail!("--rounds draws a shock's ripple, not the product space: drop one of them");
        }
        return super::complexity::space::draw(&a, out);
    }
    let scenario = super::shock::scenario_of(&a.scenario, false)?;
    if scenario.is_some() && a.impact.is_some() {
        bail!("give either a shock (--tariff, --demand, --supply, --embargo, --scenario) or --impact FILE, not both");
    }
    if a.rounds {
        return frames::run(&a, scenario, kind, out);
    }
    let loaded = a.graph.load()?.latest_year()?;
    let label = loaded.label.clone();
    let mut notes = year_note(&a, &loaded);
    let mut g = loaded.graph;
    if a.value_added {
        if scenario.is_some() || a.impact.is_some() {
            bail!("--value-added draws countries' value added, not a shock's impact on nodes: drop the shock or --impact");
        }
        g = value_added_graph(&g).with_context(|| format!("--value-added on {label}"))?;
    }
    let impact = match (&scenario, &a.impact) {
        (Some(s), _) => {
            Some(impact_of_shock(&g, s).with_context(|| format!("the scenario on {label}"))?)
        }
        (None, Some(path)) => Some(read_impact(path)?),
        (None, None) => None,
    };
    let what = match (&scenario, &a.impact) {
        (Some(s), _) => Some(format!("Impact of {}", s.describe().join("; "))),
        (None, Some(path)) => Some(format!("Impact read from {path}")),
        _ => None,
    };
    let (drawn, style) = diagram(
        &a,
        g,
        impact.as_deref(),
        scenario.as_ref(),
        what,
        &mut notes,
    )?;
    let page = a.page.unwrap_or_default();
    let layout = Layout {
        page: Some(page.points()),
        ..Default::default()
    };
    let bytes = if kind == Out::Dot {
        tradenet::io::dot::to_dot_with(&drawn, &style, &layout).into_bytes()
    } else if a.clusters {
        // Clusters are drawn by the layout engine: one pass.
        render(
            &tradenet::io::dot::to_dot_with(&drawn, &style, &layout),
            kind,
            style.engine,
        )?
    } else {
        let placed = graphviz::place(&drawn, &style, &layout, page)?;
        fit_note(&drawn, &style, &layout, &placed, page)?;
        graphviz::render_pinned(&drawn, &style, &layout, &placed, kind)?
    };
    out.bytes(&bytes)
}

/// A note on standard error when the drawing, fitted to the page, would print its labels
/// below 7 pt.
fn fit_note(
    g: &TradeGraph,
    style: &DotStyle,
    layout: &Layout,
    placed: &graphviz::Placed,
    page: page::Page,
) -> Result<()> {
    let ((w, h), s) = graphviz::fit(g, style, layout, placed, page)?;
    let smallest = tradenet::io::dot::font::EDGE.min(tradenet::io::dot::font::NODE) * s;
    if tradenet::io::dot::font::NODE * s < 7.0 {
        note!(
            "note: the drawing is {w:.0} x {h:.0} pt; fitted to the page ({:.0} x {:.0} pt) it is scaled by {s:.2}, so its labels print at {:.1} pt and less ({smallest:.1} pt): draw fewer flows (--top), fewer nodes, or give a larger --page",
            page.width,
            page.height,
            tradenet::io::dot::font::NODE * s
        );
    }
    Ok(())
}

/// "year Y" when a multi-year file is drawn for one year.
fn year_note(a: &DrawArgs, loaded: &super::Loaded) -> Vec<String> {
    let mut notes = Vec::new();
    // A multi-year file is drawn for one year (its latest unless --year says), never summed.
    if let Some((y, _)) = loaded.latest_of {
        notes.push(format!("year {y}"));
    } else if let (Some(&y), None) = (loaded.graph.years().first(), a.graph.year) {
        notes.push(format!("year {y}"));
    }
    notes
}

/// The graph to draw and its style: the view, the flows kept, the colours and sizes. `what`
/// titles a shock's diagram (the graph is then named below it).
fn diagram(
    a: &DrawArgs,
    g: TradeGraph,
    impact: Option<&[(String, f64)]>,
    scenario: Option<&tradenet::analysis::Scenario>,
    what: Option<String>,
    notes: &mut Vec<String>,
) -> Result<(TradeGraph, DotStyle)> {
    let mut color_by = a.color_by;
    if scenario.is_some() && color_by == ColorArg::Region {
        color_by = ColorArg::Impact;
    }
    if color_by == ColorArg::Impact && impact.is_none() {
        bail!("--color-by impact needs a shock (--tariff ...) or --impact FILE (the JSON of `tradenet shock --format json`)");
    }
    if a.impact_threshold.is_some() && impact.is_none() {
        bail!("--impact-threshold needs a shock (--tariff ...) or --impact FILE");
    }
    let g = view(a, g, impact, notes)?;
    let by_sector = color_by == ColorArg::Sector && g.kind() == GraphKind::Trade;
    let g = if by_sector { g } else { g.aggregate_sectors() };
    let total_flows = g.flow_count();
    let sizes = size_values(&g, &a.size_by)?;
    let keep = flow_filter(a, &g, total_flows, notes);
    // Keep the chosen flows and the nodes they touch (and the ego centre).
    let mut node_keep = vec![false; g.node_count()];
    for (k, (x, y, _)) in g.flows().enumerate() {
        if keep[k] {
            node_keep[x.index()] = true;
            node_keep[y.index()] = true;
        }
    }
    if let Some(c) = a.ego.as_ref().and_then(|c| g.node_index(c)) {
        node_keep[c.index()] = true;
    }
    if !node_keep.iter().any(|&k| k) {
        bail!("nothing to draw: the filters left no flows (loosen --top, --min-share, --backbone or --impact-threshold)");
    }
    let flows_kept = keep.iter().filter(|&&k| k).count();
    let drawn = keep_flows(&g, &keep, &node_keep)?;
    let map_nodes = |v: &[f64]| -> Vec<f64> {
        drawn
            .nodes()
            .map(|n| g.node_index(&n.id).map_or(0.0, |i| v[i.index()]))
            .collect()
    };
    // A shock's diagram is titled by its scenario, the graph named below it; its tariffs'
    // flows are marked.
    if let (Some(_), Some(name)) = (&what, &g.meta.name) {
        notes.insert(0, name.clone());
    }
    let marked = scenario
        .iter()
        .flat_map(|s| &s.shocks)
        .filter_map(|s| match s {
            tradenet::analysis::Shock::Tariff(t) => Some((t.exporter.clone(), t.importer.clone())),
            _ => None,
        })
        .collect();
    let style = DotStyle {
        title: a.title.clone().or(what).or_else(|| g.meta.name.clone()),
        subtitle: Some(if notes.is_empty() {
            format!("{flows_kept} flows")
        } else {
            notes.join("; ")
        }),
        marked,
        edge_scale: match a.scale {
            ScaleArg::Sqrt => EdgeScale::Sqrt,
            ScaleArg::Log => EdgeScale::Log,
        },
        color_by: match color_by {
            ColorArg::Region => ColorBy::Region,
            ColorArg::Sector => ColorBy::Sector,
            ColorArg::Impact => ColorBy::Impact,
            ColorArg::None => ColorBy::None,
        },
        edges_by_sector: by_sector,
        size: sizes.map(|v| (map_nodes(&v), a.size_by.clone())),
        impact: impact.map(|rows| impact_by_node(&drawn, rows)),
        clusters: a.clusters,
        edge_labels: a.edge_labels,
        engine: engine(a.engine),
        unit: g.meta.unit.clone(),
        legend: !a.no_legend,
        undirected: false,
    };
    Ok((drawn, style))
}

/// The layout engine of a flag.
fn engine(e: EngineArg) -> Engine {
    match e {
        EngineArg::Dot => Engine::Dot,
        EngineArg::Neato => Engine::Neato,
        EngineArg::Sfdp => Engine::Sfdp,
        EngineArg::Circo => Engine::Circo,
    }
}

/// The impact of each node of `g` (`None`: not in the rows).
fn impact_by_node(g: &TradeGraph, rows: &[(String, f64)]) -> Vec<Option<f64>> {
    g.nodes()
        .map(|n| rows.iter().find(|(id, _)| **id == *n.id).map(|r| r.1))
        .collect()
}

/// The part of the graph to draw: the sectors, the country view of an input-output graph,
/// the countries, the ego network and the nodes whose impact passes the threshold.
fn view(
    a: &DrawArgs,
    mut g: TradeGraph,
    impact: Option<&[(String, f64)]>,
    notes: &mut Vec<String>,
) -> Result<TradeGraph> {
    if !a.sector.is_empty() {
        let ids = a
            .sector
            .iter()
            .map(|s| g.require_sector(s))
            .collect::<tradenet::Result<Vec<_>>>()?;
        g = g.sector_layer(&ids);
        notes.push(format!("sector {}", a.sector.join(", ")));
    }
    // An input-output graph is drawn as countries unless asked otherwise (280 country-sector
    // nodes are a hairball), or when the ego node is a country-sector node.
    let ego_is_node = a
        .ego
        .as_ref()
        .is_some_and(|e| g.node_index(e).is_some() && g.kind() == GraphKind::InputOutput);
    if g.kind() == GraphKind::InputOutput && !a.as_is && !ego_is_node {
        notes.push(format!("countries ({})", g.country_view_basis()));
        g = g.countries();
    }
    if !a.countries.is_empty() {
        let list: Vec<&str> = a.countries.iter().map(String::as_str).collect();
        g = g.only_countries(&list)?;
    }
    if let Some(c) = &a.ego {
        g = g.ego(c, a.hops, Direction::Both)?;
        notes.push(format!("{c} and its partners within {} hop(s)", a.hops));
    }
    if let (Some(t), Some(rows)) = (a.impact_threshold, impact) {
        let keep: Vec<bool> = impact_by_node(&g, rows)
            .iter()
            .map(|p| p.is_some_and(|p| p.abs() >= t))
            .collect();
        let t = tradenet::analysis::number_text(t);
        g = g.subgraph(&keep, &format!("impact >= {t}%"));
        notes.push(format!("nodes changing by {t}% or more"));
    }
    Ok(g)
}

/// The flows to draw: no self-flows, then --min-share, --backbone and --top (40 by default
/// on a graph of more than 60 flows).
fn flow_filter(
    a: &DrawArgs,
    g: &TradeGraph,
    total_flows: usize,
    notes: &mut Vec<String>,
) -> Vec<bool> {
    // Self-flows (an industry's deliveries to itself) are not drawn.
    let mut keep: Vec<bool> = g.flows().map(|(x, y, _)| x != y).collect();
    if let Some(s) = a.min_share {
        let mut exports = vec![0.0; g.node_count()];
        for (x, _, f) in g.flows() {
            exports[x.index()] += f.value;
        }
        for (k, (x, _, f)) in g.flows().enumerate() {
            keep[k] &= exports[x.index()] > 0.0 && f.value / exports[x.index()] >= s;
        }
        notes.push(format!(
            "flows of at least {:.0}% of their exporter's exports",
            s * 100.0
        ));
    }
    if let Some(alpha) = a.backbone {
        let kept = disparity_backbone(g, alpha);
        for (k, (x, y, _)) in g.flows().enumerate() {
            keep[k] &= kept
                .binary_search(&(x.index() as u32, y.index() as u32))
                .is_ok();
        }
        notes.push(format!("disparity backbone, alpha = {alpha}"));
    }
    let auto_top =
        a.top.is_none() && a.backbone.is_none() && a.min_share.is_none() && total_flows > 60;
    let top = if auto_top { Some(40) } else { a.top };
    if let Some(n) = top {
        let mut order: Vec<usize> = (0..g.flow_count()).filter(|&k| keep[k]).collect();
        let values: Vec<f64> = g.flows().map(|(_, _, f)| f.value).collect();
        order.sort_by(|&x, &y| values[y].total_cmp(&values[x]).then(x.cmp(&y)));
        let before = order.len();
        for &k in order.iter().skip(n) {
            keep[k] = false;
        }
        if before > n {
            notes.push(format!("the {n} largest of {before} flows"));
            if auto_top {
                note!("note: showing the {n} largest of {before} flows (choose with --top, --min-share or --backbone)");
            }
        }
    }
    keep
}

/// The flows marked in `keep` and the nodes marked in `node_keep`.
fn keep_flows(g: &TradeGraph, keep: &[bool], node_keep: &[bool]) -> tradenet::Result<TradeGraph> {
    let mut b = tradenet::GraphBuilder::new();
    b.set_meta(g.meta.clone());
    for s in g.sectors() {
        b.add_sector_with(&s.id, s.name.clone(), s.goods, tradenet::Place::Code);
    }
    b.declare_sectors();
    for (i, n) in g.nodes().enumerate() {
        if node_keep[i] {
            let sector = n.sector.map(|s| g.sector(s).id.clone());
            b.add_node(
                &n.id,
                n.country.as_deref(),
                sector.as_deref(),
                n.extra.as_deref().cloned(),
                tradenet::Place::Code,
            );
        }
    }
    for (k, (x, y, f)) in g.flows().enumerate() {
        if keep[k] {
            let sector = f.sector.map(|s| g.sector(s).id.clone());
            b.add_flow(
                &g.node(x).id,
                &g.node(y).id,
                sector.as_deref(),
                f.value,
                f.year,
                f.extra.as_deref().cloned(),
                tradenet::Place::Code,
            );
        }
    }
    b.build("<diagram>")
}
