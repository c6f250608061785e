//! DOT for Graphviz, built with graphviz-rust's structures and printer. Every id and label is
//! quoted and escaped, so quotes, backslashes, newlines, `<` `>`, unicode and DOT keywords in
//! country names survive.

use crate::model::{GraphKind, TradeGraph};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

mod text;
pub use text::{short_sector_name, wrap};

/// Font sizes in points as printed: the drawing is laid out at these sizes and fitted to
/// [`Layout::page`], so they print at this size when the drawing fits the page unscaled.
pub mod font {
    /// The title (the subtitle lines too).
    pub const TITLE: f64 = 11.0;
    /// The smallest node label (nodes sized by a measure grow to [`NODE_MAX`]).
    pub const NODE: f64 = 8.5;
    /// The largest node label.
    pub const NODE_MAX: f64 = 11.0;
    /// Edge labels.
    pub const EDGE: f64 = 7.5;
    /// The legend (a whole number: Graphviz's HTML labels round sizes).
    pub const LEGEND: f64 = 9.0;
}

/// Where the drawing goes: the page it must fit, the colour scale shared by several frames,
/// and positions fixed by an earlier layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// The largest drawing, width and height in points: Graphviz `size` (a drawing larger
    /// than this is scaled down to fit, a smaller one is not blown up), the layout compressed
    /// towards it, and the title wrapped to its width. `None`: no size.
    pub page: Option<(f64, f64)>,
    /// The largest loss and the largest gain (percent, both >= 0) that the impact colours and
    /// the legend span, for frames that share one scale. `None`: those of [`DotStyle::impact`].
    pub impact_range: Option<(f64, f64)>,
    /// Positions fixed by an earlier layout: render with `neato -n2`.
    pub pinned: Option<Pinned>,
    /// Where the layout engine starts (points, by node index; `neato` only): a layout turned
    /// a quarter to fit a tall page, before overlaps are removed again. Ignored when pinned.
    pub start: Option<Vec<(f64, f64)>>,
}

/// Node and legend positions in points (Graphviz coordinates, y up).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pinned {
    /// The centre of each node, by node index of the drawn graph.
    pub nodes: Vec<(f64, f64)>,
    /// The centre of the legend.
    pub legend: Option<(f64, f64)>,
    /// Two corners (lower left, upper right) that the drawing spans at least, marked by
    /// invisible points: frames drawn with the same corners have the same size.
    pub corners: Option<[(f64, f64); 2]>,
}

/// The id of the legend node in the DOT text of `g`: `tradenet:legend`, with `_` added
/// while that is a node of the graph.
pub fn legend_id(g: &TradeGraph) -> String {
    let mut legend_id = String::from("tradenet:legend");
    while g.node_index(&legend_id).is_some() {
        legend_id.push('_');
    }
    legend_id
}

/// The margin Graphviz adds around the drawing (`pad`), in points.
pub const PAD: f64 = 7.2;

/// How edge width follows value. Graphviz `weight` is never used (it changes the layout, not
/// the look).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EdgeScale {
    /// penwidth proportional to the square root of value (areas compare like values).
    #[default]
    Sqrt,
    /// penwidth proportional to log(1 + value / smallest value) (for values over many orders).
    Log,
}

/// What fills the nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorBy {
    /// The node's region (default; grey when the graph has none).
    #[default]
    Region,
    /// The node's sector (country-sector nodes); edges are coloured by sector too.
    Sector,
    /// The shock impact of [`DotStyle::impact`], on a diverging palette.
    Impact,
    /// One colour.
    None,
}

/// Graphviz layout engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// Hierarchical (left to right).
    Dot,
    /// Spring model (default: trade graphs have no natural hierarchy).
    #[default]
    Neato,
    /// Scalable force-directed, for larger graphs.
    Sfdp,
    /// Circular.
    Circo,
}

impl Engine {
    /// The engine's name as Graphviz knows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Dot => "dot",
            Engine::Neato => "neato",
            Engine::Sfdp => "sfdp",
            Engine::Circo => "circo",
        }
    }
}

/// How a diagram looks.
#[derive(Debug, Clone, Default)]
pub struct DotStyle {
    /// Title above the diagram.
    pub title: Option<String>,
    /// A second title line (what was filtered, the source).
    pub subtitle: Option<String>,
    /// Edge width scale.
    pub edge_scale: EdgeScale,
    /// Node fill.
    pub color_by: ColorBy,
    /// Edges coloured by sector (default when colouring by sector).
    pub edges_by_sector: bool,
    /// Node size values by node index of the drawn graph, and what they are (`strength`,
    /// `pagerank`...). `None`: all nodes the same size.
    pub size: Option<(Vec<f64>, String)>,
    /// Impact by node index: change in percent of baseline (for [`ColorBy::Impact`]).
    pub impact: Option<Vec<Option<f64>>>,
    /// Flows the shock hits directly (a tariff's exporter and importer, by node id or by the
    /// nodes' countries): drawn dashed in red and named in the legend.
    pub marked: Vec<(String, String)>,
    /// Group nodes into clusters by region (engine `dot` only draws clusters).
    pub clusters: bool,
    /// Label edges with their value.
    pub edge_labels: bool,
    /// Layout engine.
    pub engine: Engine,
    /// Unit of values for labels (`USD`).
    pub unit: Option<String>,
    /// Draw a legend.
    pub legend: bool,
    /// Draw edges without arrows (a symmetric relation, such as the proximity of a product
    /// space); the legend names the edge value by `unit`.
    pub undirected: bool,
}

/// Quote and escape a string for DOT: backslashes and quotes escaped, line breaks as `\n`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escape text for a Graphviz HTML-like label.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn q(s: &str) -> Id {
    Id::Escaped(quote(s))
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), q(v))
}

/// A value in readable units: `59.8 bn`, `1.23 trn`.
pub fn human(v: f64) -> String {
    let a = v.abs();
    if a >= 1e12 {
        format!("{:.2} trn", v / 1e12)
    } else if a >= 1e9 {
        format!("{:.1} bn", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1} mn", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.3}")
    }
}

/// A categorical palette (Tableau 10, then 10 lighter tones).
const PALETTE: [&str; 20] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63",
    "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e",
];

/// Red (loss) - white - blue (gain), for t in [-1, 1].
fn diverging(t: f64) -> String {
    let t = t.clamp(-1.0, 1.0);
    let (end, white) = if t < 0.0 {
        ((178.0, 24.0, 43.0), (247.0, 247.0, 247.0))
    } else {
        ((33.0, 102.0, 172.0), (247.0, 247.0, 247.0))
    };
    let a = t.abs();
    let mix = |e: f64, w: f64| (w + (e - w) * a).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(end.0, white.0),
        mix(end.1, white.1),
        mix(end.2, white.2)
    )
}

/// Categories in order of first appearance, with their palette colour.
fn categories<'a>(names: impl Iterator<Item = Option<&'a str>>) -> Vec<(String, &'static str)> {
    let mut cats: Vec<String> = Vec::new();
    for n in names.flatten() {
        if !cats.iter().any(|c| c == n) {
            cats.push(n.to_string());
        }
    }
    cats.sort();
    cats.into_iter()
        .enumerate()
        .map(|(i, c)| (c, PALETTE[i % PALETTE.len()]))
        .collect()
}

/// The DOT text of `g` drawn with `style`. Pure: the caller decides where it goes.
pub fn to_dot(g: &TradeGraph, style: &DotStyle) -> String {
    to_dot_with(g, style, &Layout::default())
}

/// [`to_dot`] fitted to a page, on a shared colour scale or at fixed positions
/// ([`Layout`]).
pub fn to_dot_with(g: &TradeGraph, style: &DotStyle, layout: &Layout) -> String {
    let unit = style
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let in_unit = style
        .unit
        .as_deref()
        .map(|u| format!(", {u}"))
        .unwrap_or_default();
    let mut stmts: Vec<Stmt> = Vec::new();
    let label = title_label(g, style, layout);
    let mut gattrs = vec![
        attr(
            "layout",
            if layout.pinned.is_some() {
                "neato"
            } else {
                style.engine.as_str()
            },
        ),
        attr("label", &label),
        attr("labelloc", "t"),
        attr("fontname", "Helvetica"),
        attr("fontsize", &font::TITLE.to_string()),
    ];
    match (&layout.pinned, layout.page) {
        // Fixed positions: nothing moves.
        (Some(_), _) => gattrs.push(attr("overlap", "true")),
        // Overlaps removed from a compact start (-1: the spring layout scaled by the average
        // node size, not 4 times it), so the drawing fits a page at print size.
        (None, Some(_)) => {
            gattrs.push(attr("overlap", "prism"));
            gattrs.push(attr("overlap_scaling", "-1"));
        }
        (None, None) => gattrs.push(attr("overlap", "prism")),
    }
    if let Some((w, h)) = layout.page {
        let inch = |pt: f64| format!("{:.2}", ((pt - 2.0 * PAD) / 72.0).max(0.5));
        gattrs.push(attr("size", &format!("{},{}", inch(w), inch(h))));
        if style.engine == Engine::Dot && layout.pinned.is_none() {
            gattrs.push(attr("ratio", "compress"));
        }
    }
    gattrs.extend([
        attr("splines", "true"),
        attr("outputorder", "edgesfirst"),
        attr("rankdir", "LR"),
        attr("pad", &format!("{:.2}", PAD / 72.0)),
        attr("bgcolor", "white"),
    ]);
    stmts.push(Stmt::GAttribute(
        graphviz_rust::dot_structures::GraphAttributes::Graph(gattrs),
    ));
    stmts.push(Stmt::GAttribute(
        graphviz_rust::dot_structures::GraphAttributes::Node(vec![
            attr("shape", "box"),
            attr("style", "rounded,filled"),
            attr("margin", "0.04,0.02"),
            attr("fontname", "Helvetica"),
            attr("color", "#555555"),
            attr("penwidth", "0.8"),
            attr("fontsize", &font::NODE.to_string()),
        ]),
    ));
    stmts.push(Stmt::GAttribute(
        graphviz_rust::dot_structures::GraphAttributes::Edge(vec![
            attr("arrowsize", "0.6"),
            attr("fontname", "Helvetica"),
            attr("fontsize", &font::EDGE.to_string()),
        ]),
    ));

    // Node colours.
    let region_cats = categories(g.nodes().map(|n| n.region()));
    let sector_of = |n: &crate::model::Node| n.sector.map(|s| g.sector(s).id.as_str());
    let sector_cats = categories(
        g.nodes().map(sector_of).chain(
            g.flows()
                .map(|(a, _, f)| g.flow_sector(a, f).map(|s| g.sector(s).id.as_str())),
        ),
    );
    let color_of = |cats: &[(String, &'static str)], name: Option<&str>| -> &'static str {
        name.and_then(|n| cats.iter().find(|(c, _)| c == n))
            .map_or("#dddddd", |(_, col)| col)
    };
    // The largest loss and gain the colours span: the shared range of several frames, or
    // this drawing's.
    let (loss, gain) = layout.impact_range.unwrap_or_else(|| {
        let values = || style.impact.iter().flatten().flatten().copied();
        (
            values().fold(0.0f64, |m, x| m.max(-x)),
            values().fold(0.0f64, |m, x| m.max(x)),
        )
    });
    let max_impact = Some(loss.max(gain)).filter(|m| *m > 0.0).unwrap_or(1.0);
    let size_max = style
        .size
        .as_ref()
        .map(|(v, _)| v.iter().cloned().fold(0.0f64, f64::max))
        .filter(|m| *m > 0.0);

    let mut node_stmts: Vec<(Option<String>, Stmt)> = Vec::new();
    for (i, n) in g.nodes().enumerate() {
        let mut attrs = Vec::new();
        let mut text = n.id.to_string();
        if let Some(name) = n.name() {
            if name != &*n.id && g.node_count() <= 60 && n.sector.is_none() {
                // A long official name loses its parenthesis: "China (People's Republic of)".
                let name = name.split(" (").next().unwrap_or(name);
                text = format!("{}\n{}", n.id, name);
            }
        }
        // A country-sector node says which industry its code is.
        if let Some(name) = n.sector.and_then(|s| g.sector(s).name.as_deref()) {
            if g.node_count() <= 60 {
                text = format!("{}\n{}", n.id, short_sector_name(name));
            }
        }
        let fill = match style.color_by {
            ColorBy::Region => color_of(&region_cats, n.region()).to_string(),
            ColorBy::Sector => color_of(&sector_cats, sector_of(n)).to_string(),
            ColorBy::Impact => match style
                .impact
                .as_ref()
                .and_then(|v| v.get(i).copied().flatten())
            {
                Some(p) => {
                    text.push_str(&format!("\n{}", pct_label(p, true)));
                    diverging((p / max_impact).signum() * (p.abs() / max_impact).sqrt())
                }
                None => "#eeeeee".to_string(),
            },
            ColorBy::None => "#c6dbef".to_string(),
        };
        if let (Some((vals, what)), Some(max)) = (&style.size, size_max) {
            let r = (vals[i].max(0.0) / max).sqrt();
            attrs.push(attr("width", &format!("{:.2}", 0.3 + 0.6 * r)));
            attrs.push(attr("height", &format!("{:.2}", 0.25 + 0.35 * r)));
            attrs.push(attr(
                "fontsize",
                &format!("{:.1}", font::NODE + (font::NODE_MAX - font::NODE) * r),
            ));
            if what == "strength" || what == "exports" || what == "imports" || what == "output" {
                text.push_str(&format!("\n{}", human(vals[i])));
            }
        }
        attrs.push(attr("label", &text));
        attrs.push(attr("fillcolor", &fill));
        attrs.push(attr("tooltip", n.name().unwrap_or(&n.id)));
        if let Some((x, y)) = layout.pinned.as_ref().and_then(|p| p.nodes.get(i)) {
            attrs.push(attr("pos", &format!("{x:.2},{y:.2}!")));
        } else if let Some((x, y)) = layout.start.as_ref().and_then(|p| p.get(i)) {
            // Start positions are read in inches.
            attrs.push(attr("pos", &format!("{:.4},{:.4}", x / 72.0, y / 72.0)));
        }
        let stmt = Stmt::Node(Node::new(NodeId(q(&n.id), None), attrs));
        let cluster = if style.clusters {
            n.region().map(str::to_string)
        } else {
            None
        };
        node_stmts.push((cluster, stmt));
    }
    // Clusters by region (in sorted order), then unclustered nodes.
    let mut clusters: Vec<String> = node_stmts.iter().filter_map(|(c, _)| c.clone()).collect();
    clusters.sort();
    clusters.dedup();
    for (k, c) in clusters.iter().enumerate() {
        let mut inner = vec![
            Stmt::Attribute(attr("label", c)),
            Stmt::Attribute(attr("style", "rounded,dashed")),
            Stmt::Attribute(attr("color", "#999999")),
        ];
        inner.extend(
            node_stmts
                .iter()
                .filter(|(cc, _)| cc.as_ref() == Some(c))
                .map(|(_, s)| s.clone()),
        );
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("cluster_{k}")),
            stmts: inner,
        }));
    }
    stmts.extend(
        node_stmts
            .into_iter()
            .filter(|(c, _)| c.is_none())
            .map(|(_, s)| s),
    );

    // Edges.
    let values: Vec<f64> = g
        .flows()
        .map(|(_, _, f)| f.value)
        .filter(|v| *v > 0.0)
        .collect();
    let vmax = values.iter().cloned().fold(0.0f64, f64::max);
    let vmin = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let width = |v: f64| -> f64 {
        if vmax <= 0.0 {
            return 1.0;
        }
        let r = match style.edge_scale {
            EdgeScale::Sqrt => (v / vmax).sqrt(),
            EdgeScale::Log if vmax > vmin => (1.0 + v / vmin).ln() / (1.0 + vmax / vmin).ln(),
            EdgeScale::Log => 1.0,
        };
        0.4 + 7.6 * r
    };
    let by_sector = style.edges_by_sector || style.color_by == ColorBy::Sector;
    for (a, b, f) in g.flows() {
        let mut attrs = vec![attr("penwidth", &format!("{:.2}", width(f.value)))];
        let sector = g.flow_sector(a, f).map(|s| g.sector(s).id.as_str());
        let color = if by_sector {
            format!("{}b0", color_of(&sector_cats, sector))
        } else {
            "#4d4d4d90".to_string()
        };
        let country = |i| {
            let n = g.node(i);
            n.country.as_deref().unwrap_or(&n.id).to_string()
        };
        let hit = style.marked.iter().any(|(x, y)| {
            (x.as_str(), y.as_str()) == (&*g.node(a).id, &*g.node(b).id)
                || (x.as_str(), y.as_str()) == (country(a).as_str(), country(b).as_str())
        });
        if hit {
            attrs.push(attr("color", "#cb181d"));
            attrs.push(attr("style", "dashed"));
        } else {
            attrs.push(attr("color", &color));
        }
        if style.undirected {
            attrs.push(attr("dir", "none"));
        }
        let mut tip = format!(
            "{} {} {}: {}{unit}",
            g.node(a).id,
            if style.undirected { "-" } else { "->" },
            g.node(b).id,
            human(f.value)
        );
        if let Some(s) = sector {
            tip.push_str(&format!(" ({s})"));
        }
        attrs.push(attr("tooltip", &tip));
        if style.edge_labels {
            attrs.push(attr("label", &human(f.value)));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(q(&g.node(a).id), None)),
                Vertex::N(NodeId(q(&g.node(b).id), None)),
            ),
            attributes: attrs,
        }));
    }

    if style.legend {
        let mut rows = String::new();
        // Lines of the legend fit the page: a row's text beside its swatch, a note across.
        let across = chars_across(layout, font::LEGEND).unwrap_or(usize::MAX / 2);
        let lines = |text: &str, n: usize| {
            wrap(text, n)
                .iter()
                .map(|l| html(l))
                .collect::<Vec<_>>()
                .join("<BR ALIGN=\"LEFT\"/>")
        };
        let mut row = |swatch: &str, text: &str| {
            rows.push_str(&format!(
                "<TR><TD BGCOLOR=\"{swatch}\" WIDTH=\"14\" HEIGHT=\"10\" FIXEDSIZE=\"TRUE\"></TD><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">{}</TD></TR>",
                lines(text, across.saturating_sub(4))
            ));
        };
        match style.color_by {
            ColorBy::Region if !region_cats.is_empty() => {
                region_cats.iter().for_each(|(c, col)| row(col, c))
            }
            ColorBy::Sector => sector_cats.iter().take(20).for_each(|(c, col)| {
                let name = g.sector_id(c).and_then(|s| g.sector(s).name.clone());
                row(
                    col,
                    &name
                        .map(|n| format!("{c} {n}"))
                        .unwrap_or_else(|| c.clone()),
                )
            }),
            ColorBy::Impact => {
                // The actual range: the largest loss and the largest gain each at the colour
                // its nodes have (the scale is shared, so a small gain is pale).
                let shade = |p: f64| diverging(p.signum() * (p.abs() / max_impact).sqrt());
                if loss > 0.0 {
                    row(
                        &shade(-loss),
                        &format!("largest loss: {} of baseline", pct_label(loss, false)),
                    );
                    row(
                        &shade(-loss / 4.0),
                        &format!("loss of {}", pct_label(loss / 4.0, false)),
                    );
                }
                row(&diverging(0.0), "no change");
                if gain > 0.0 {
                    row(
                        &shade(gain / 4.0),
                        &format!("gain of {}", pct_label(gain / 4.0, false)),
                    );
                    row(
                        &shade(gain),
                        &format!("largest gain: {} of baseline", pct_label(gain, false)),
                    );
                }
                let then = match &style.size {
                    Some((_, what)) if figure_shown(what) => {
                        format!(", then its {}{in_unit}", measure_text(what))
                    }
                    _ => String::new(),
                };
                row(
                    "#eeeeee",
                    &format!("node figures: the change in percent of its baseline{then}"),
                );
            }
            _ => {}
        }
        if by_sector && style.color_by != ColorBy::Sector {
            sector_cats
                .iter()
                .take(12)
                .for_each(|(c, col)| row(col, &format!("edge: {c}")));
        }
        let scale = match style.edge_scale {
            EdgeScale::Sqrt => "square root",
            EdgeScale::Log => "log",
        };
        if !style.marked.is_empty() {
            row("#cb181d", "dashed red: the flows the shock hits directly");
        }
        let mut notes = vec![format!(
            "edge width: {scale} of value; widest {}{unit}",
            human(vmax)
        )];
        if style.edge_labels {
            notes.push(format!("edge figures: the flow's value{in_unit}"));
        }
        if let Some((_, what)) = &style.size {
            if style.color_by != ColorBy::Impact && figure_shown(what) {
                notes.push(format!(
                    "node size and figure: {}{in_unit}",
                    measure_text(what)
                ));
            } else {
                notes.push(format!("node size: {}", measure_text(what)));
            }
        }
        if g.kind() == GraphKind::InputOutput {
            notes.push("nodes: country-sector pairs".into());
        }
        for n in notes {
            rows.push_str(&format!(
                "<TR><TD></TD><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">{}</TD></TR>",
                lines(&n, across.saturating_sub(4))
            ));
        }
        let table = format!("<<FONT POINT-SIZE=\"{}\"><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" BGCOLOR=\"#ffffffd0\"><TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>Legend</B></TD></TR>{rows}</TABLE></FONT>>", font::LEGEND);
        // The legend is a node of its own: its id must not be one of the graph's.
        let mut attrs = vec![
            Attribute(Id::Plain("shape".into()), Id::Plain("plaintext".into())),
            Attribute(Id::Plain("label".into()), Id::Html(table)),
            attr("style", ""),
        ];
        if let Some((x, y)) = layout.pinned.as_ref().and_then(|p| p.legend) {
            attrs.push(attr("pos", &format!("{x:.2},{y:.2}!")));
        }
        stmts.push(Stmt::Node(Node::new(NodeId(q(&legend_id(g)), None), attrs)));
    }
    if let Some(corners) = layout.pinned.as_ref().and_then(|p| p.corners) {
        for (k, (x, y)) in corners.iter().enumerate() {
            let mut id = format!("tradenet:corner{k}");
            while g.node_index(&id).is_some() {
                id.push('_');
            }
            stmts.push(Stmt::Node(Node::new(
                NodeId(q(&id), None),
                vec![
                    attr("shape", "point"),
                    attr("style", "invis"),
                    attr("width", "0"),
                    attr("label", ""),
                    attr("pos", &format!("{x:.2},{y:.2}!")),
                ],
            )));
        }
    }

    let graph = Graph::DiGraph {
        id: q(g.meta.name.as_deref().unwrap_or("tradenet")),
        strict: false,
        stmts,
    };
    let mut ctx = PrinterContext::default();
    let mut s = graph.print(&mut ctx);
    s.push('\n');
    s
}

/// The title and subtitle of the diagram, wrapped to the page's width (lines separated by
/// `\n`).
pub fn title_label(g: &TradeGraph, style: &DotStyle, layout: &Layout) -> String {
    let mut label = style
        .title
        .clone()
        .unwrap_or_else(|| g.meta.name.clone().unwrap_or_else(|| "trade flows".into()));
    if let Some(s) = &style.subtitle {
        label.push('\n');
        label.push_str(s);
    }
    if let Some(n) = chars_across(layout, font::TITLE) {
        label = wrap(&label, n).join("\n");
    }
    label
}

/// How many characters of `pt` points fit across the page (Helvetica averages a little over
/// half an em per character).
fn chars_across(layout: &Layout, pt: f64) -> Option<usize> {
    layout
        .page
        .map(|(w, _)| ((w - 2.0 * PAD) / (0.55 * pt)) as usize)
}

/// Whether a node shows its size measure as a figure (values in the graph's unit).
fn figure_shown(what: &str) -> bool {
    matches!(what, "strength" | "exports" | "imports" | "output")
}

/// What a size measure is, for the legend.
fn measure_text(what: &str) -> String {
    match what {
        "strength" => "strength (exports + imports)".into(),
        "output" => "gross output".into(),
        w => w.to_string(),
    }
}

/// A percentage for a label with two decimals (`+2.13%`), in exponent form from 1e15 on
/// (`+1.00e300%`, never hundreds of digits).
fn pct_label(p: f64, sign: bool) -> String {
    // Two decimals, or two significant digits for a change below 0.005% (never "-0.00%",
    // which hides whether a node lost or gained), at most 8 decimals.
    let prec = if p != 0.0 && p.abs() < 0.005 {
        ((-p.abs().log10()).ceil() as usize + 1).min(8)
    } else {
        2
    };
    match (p.abs() >= 1e15, sign) {
        (true, true) => format!("{p:+.2e}%"),
        (true, false) => format!("{p:.2e}%"),
        (false, true) => format!("{p:+.prec$}%"),
        (false, false) => format!("{p:.prec$}%"),
    }
}
