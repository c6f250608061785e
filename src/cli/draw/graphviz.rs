//! Running Graphviz: one pass for DOT-only features (clusters, the product space), or a
//! layout pass whose positions are then pinned (`neato -n2`), so that the legend sits below
//! the drawing, the drawing fits the page, and several frames share one layout.

use super::page::Page;
use super::Out;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::process::{Command, Stdio};
use tradenet::io::dot::{font, to_dot_with, DotStyle, Engine, Layout, Pinned, PAD};
use tradenet::TradeGraph;

/// Run Graphviz `dot` with `args` on the DOT text; a missing Graphviz is bad usage with an
/// install hint.
pub(crate) fn graphviz(dot: &str, args: &[String]) -> Result<Vec<u8>> {
    let child = Command::new("dot")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("Graphviz is not installed, so SVG, PNG and PDF cannot be rendered (hint: install it with `apt-get install graphviz`, `brew install graphviz` or from https://graphviz.org/download/; writing -o FILE.dot works without it)")
        }
        Err(e) => return Err(e).context("cannot start Graphviz `dot`"),
    };
    let mut stdin = child.stdin.take().expect("piped stdin");
    let text = dot.to_string();
    // Write on another thread so a large output cannot dead-lock the pipes.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().context("Graphviz `dot` failed")?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to Graphviz failed"))?
        .context("writing to Graphviz")?;
    if !out.status.success() {
        bail!(
            "Graphviz `dot` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// The `-T` type and resolution flags of an output type (`None`: DOT, no Graphviz).
pub(crate) fn type_args(kind: Out) -> Option<Vec<String>> {
    Some(match kind {
        Out::Svg => vec!["-Tsvg".into()],
        // 200 dpi: sharp at the page's size.
        Out::Png => vec!["-Tpng".into(), "-Gdpi=200".into()],
        Out::Pdf => vec!["-Tpdf".into()],
        Out::Dot => return None,
    })
}

/// Render DOT text in one pass with `engine`, at most the default page in size.
pub(super) fn render(dot: &str, kind: Out, engine: Engine) -> Result<Vec<u8>> {
    let Some(mut args) = type_args(kind) else {
        return Ok(dot.as_bytes().to_vec());
    };
    let (w, h) = Page::default().points();
    args.push(format!("-K{}", engine.as_str()));
    args.push(format!(
        "-Gsize={:.2},{:.2}",
        (w - 2.0 * PAD) / 72.0,
        (h - 2.0 * PAD) / 72.0
    ));
    graphviz(dot, &args)
}

/// A layout computed once: the positions to pin, and the drawing's natural size.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    /// Node and legend positions.
    pub pinned: Pinned,
}

/// A node's centre and size (points) in Graphviz's JSON output.
struct Box2 {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// The nodes of `-Tjson` output in declaration order (`_gvid`): centre and size in points.
fn json_nodes(bytes: &[u8]) -> Result<Vec<Box2>> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).context("reading Graphviz's layout (-Tjson)")?;
    let mut out: Vec<(u64, Box2)> = Vec::new();
    for o in v["objects"].as_array().into_iter().flatten() {
        // Subgraphs list their nodes; nodes have a position.
        let (Some(pos), Some(id)) = (o["pos"].as_str(), o["_gvid"].as_u64()) else {
            continue;
        };
        let mut xy = pos.split(',').map(|t| t.trim().parse::<f64>());
        let (Some(Ok(x)), Some(Ok(y))) = (xy.next(), xy.next()) else {
            bail!("Graphviz's layout has a node without a position ({pos:?})");
        };
        let num = |k: &str| -> f64 {
            o[k].as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .or_else(|| o[k].as_f64())
                .unwrap_or(0.0)
                * 72.0
        };
        out.push((
            id,
            Box2 {
                x,
                y,
                w: num("width"),
                h: num("height"),
            },
        ));
    }
    out.sort_by_key(|(id, _)| *id);
    Ok(out.into_iter().map(|(_, b)| b).collect())
}

/// The width and height that boxes span.
fn span(boxes: &[Box2]) -> (f64, f64) {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for x in boxes {
        b[0] = b[0].min(x.x - x.w / 2.0);
        b[1] = b[1].min(x.y - x.h / 2.0);
        b[2] = b[2].max(x.x + x.w / 2.0);
        b[3] = b[3].max(x.y + x.h / 2.0);
    }
    if boxes.is_empty() {
        (1.0, 1.0)
    } else {
        ((b[2] - b[0]).max(1.0), (b[3] - b[1]).max(1.0))
    }
}

/// Lay `g` out once with the style's engine, fitted to `page`: the legend is measured, the
/// nodes are laid out in the page less the legend's and the title's height, and the legend
/// is pinned below them, at the left.
pub(super) fn place(
    g: &TradeGraph,
    style: &DotStyle,
    layout: &Layout,
    page: Page,
) -> Result<Placed> {
    let (pw, ph) = page.points();
    let n = g.node_count();
    let engine = format!("-K{}", style.engine.as_str());
    // The legend's size: it does not depend on where it goes.
    let legend = if style.legend {
        let dot = to_dot_with(g, style, layout);
        let nodes = json_nodes(&graphviz(&dot, &[engine.clone(), "-Tjson".into()])?)?;
        if nodes.len() != n + 1 {
            bail!(
                "Graphviz's layout has {} nodes, the diagram {}",
                nodes.len(),
                n + 1
            );
        }
        nodes.into_iter().nth(n).map(|b| (b.w, b.h))
    } else {
        None
    };
    let title_lines = tradenet::io::dot::title_label(g, style, layout)
        .lines()
        .count();
    let title_h = title_lines as f64 * font::TITLE * 1.25 + 8.0;
    let gap = 8.0;
    let legend_h = legend.map_or(0.0, |(_, h)| h + gap);
    let nodes_page = (pw, (ph - title_h - legend_h).max(ph / 3.0));
    let only_nodes = DotStyle {
        legend: false,
        ..style.clone()
    };
    let dot = to_dot_with(
        g,
        &only_nodes,
        &Layout {
            page: Some(nodes_page),
            ..layout.clone()
        },
    );
    let mut nodes = json_nodes(&graphviz(&dot, &[engine.clone(), "-Tjson".into()])?)?;
    if nodes.len() != n {
        bail!(
            "Graphviz's layout has {} nodes, the diagram {n}",
            nodes.len()
        );
    }
    // A layout wider than the page that would fit better turned a quarter (a spring layout
    // means the same either way) is laid out again from there (overlaps removed anew), and
    // the better of the two kept.
    let legend_w = legend.map_or(0.0, |(w, _)| w);
    let scale = |boxes: &[Box2]| {
        let (w, h) = span(boxes);
        ((pw - 2.0 * PAD) / w.max(legend_w)).min((ph - 2.0 * PAD) / (h + legend_h + title_h))
    };
    if style.engine == Engine::Neato && scale(&nodes) < 1.0 {
        let turned: Vec<(f64, f64)> = nodes.iter().map(|b| (-b.y, b.x)).collect();
        let dot = to_dot_with(
            g,
            &only_nodes,
            &Layout {
                page: Some(nodes_page),
                start: Some(turned),
                ..layout.clone()
            },
        );
        let again = json_nodes(&graphviz(&dot, &[engine, "-Tjson".into()])?)?;
        if again.len() == n && scale(&again) > scale(&nodes) {
            nodes = again;
        }
    }
    let left = nodes
        .iter()
        .map(|b| b.x - b.w / 2.0)
        .fold(f64::INFINITY, f64::min);
    let bottom = nodes
        .iter()
        .map(|b| b.y - b.h / 2.0)
        .fold(f64::INFINITY, f64::min);
    let legend_at = legend.map(|(w, h)| {
        let left = if left.is_finite() { left } else { 0.0 };
        let bottom = if bottom.is_finite() { bottom } else { 0.0 };
        (left + w / 2.0, bottom - gap - h / 2.0)
    });
    Ok(Placed {
        pinned: Pinned {
            nodes: nodes.iter().map(|b| (b.x, b.y)).collect(),
            legend: legend_at,
            corners: None,
        },
    })
}

/// Render `g` at the pinned positions of `placed` (`neato -n2`: edges routed, nothing moved).
pub(super) fn render_pinned(
    g: &TradeGraph,
    style: &DotStyle,
    layout: &Layout,
    placed: &Placed,
    kind: Out,
) -> Result<Vec<u8>> {
    let dot = to_dot_with(
        g,
        style,
        &Layout {
            pinned: Some(placed.pinned.clone()),
            ..layout.clone()
        },
    );
    let Some(mut args) = type_args(kind) else {
        return Ok(dot.into_bytes());
    };
    args.extend(["-Kneato".into(), "-n2".into()]);
    graphviz(&dot, &args)
}

/// The drawing at pinned positions as Graphviz lays it out: its bounding box (points, title
/// and legend included) and the title's width and height.
pub(super) struct Extent {
    /// x0, y0, x1, y1.
    pub bb: [f64; 4],
    /// The title's width and height.
    pub label: (f64, f64),
}

/// The [`Extent`] of `g` drawn at the pinned positions of `placed`.
pub(super) fn extent(
    g: &TradeGraph,
    style: &DotStyle,
    layout: &Layout,
    placed: &Placed,
) -> Result<Extent> {
    let dot = to_dot_with(
        g,
        style,
        &Layout {
            pinned: Some(placed.pinned.clone()),
            ..layout.clone()
        },
    );
    let out = graphviz(&dot, &["-Kneato".into(), "-n2".into(), "-Tjson".into()])?;
    let v: serde_json::Value = serde_json::from_slice(&out).context("reading Graphviz's layout")?;
    let bb: Vec<f64> = v["bb"]
        .as_str()
        .unwrap_or("")
        .split(',')
        .filter_map(|t| t.trim().parse().ok())
        .collect();
    let [x0, y0, x1, y1] = bb[..] else {
        bail!("Graphviz's layout has no bounding box");
    };
    // Graphviz moves the drawing so that its box starts at 0, 0: back to the pinned
    // positions' coordinates, by the first node's move.
    let first = json_nodes(&out)?.into_iter().next();
    let (dx, dy) = match (first, placed.pinned.nodes.first()) {
        (Some(b), Some(&(x, y))) => (b.x - x, b.y - y),
        _ => (0.0, 0.0),
    };
    let [x0, y0, x1, y1] = [x0 - dx, y0 - dy, x1 - dx, y1 - dy];
    let inches = |k: &str| {
        v[k].as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .or_else(|| v[k].as_f64())
            .unwrap_or(0.0)
            * 72.0
    };
    Ok(Extent {
        bb: [x0, y0, x1, y1],
        label: (inches("lwidth"), inches("lheight")),
    })
}

/// The drawing's natural size (points, title and legend included) at pinned positions, and
/// the factor Graphviz scales it by to fit `page` (at most 1).
pub(super) fn fit(
    g: &TradeGraph,
    style: &DotStyle,
    layout: &Layout,
    placed: &Placed,
    page: Page,
) -> Result<((f64, f64), f64)> {
    let [x0, y0, x1, y1] = extent(g, style, layout, placed)?.bb;
    let (w, h) = (x1 - x0, y1 - y0);
    let (pw, ph) = page.points();
    let s = ((pw - 2.0 * PAD) / w).min((ph - 2.0 * PAD) / h).min(1.0);
    Ok(((w, h), s))
}

/// Several PDFs as one, a page after another (each of Graphviz's PDFs has one page).
pub(super) fn merge_pdfs(docs: &[Vec<u8>]) -> Result<Vec<u8>> {
    use lopdf::{dictionary, Document, Object};
    let mut out = Document::with_version("1.5");
    let pages_id = out.new_object_id();
    let mut next = out.max_id + 1;
    let mut kids: Vec<Object> = Vec::new();
    for bytes in docs {
        let mut d = Document::load_mem(bytes).context("reading Graphviz's PDF")?;
        d.renumber_objects_with(next);
        next = d.max_id + 1;
        let pages: Vec<lopdf::ObjectId> = d.get_pages().into_values().collect();
        let root = d.trailer.get(b"Root")?.as_reference()?;
        let old_pages = d
            .get_object(root)?
            .as_dict()?
            .get(b"Pages")?
            .as_reference()?;
        for (id, obj) in std::mem::take(&mut d.objects) {
            if id != root && id != old_pages {
                out.objects.insert(id, obj);
            }
        }
        for p in pages {
            if let Ok(Object::Dictionary(dict)) = out.get_object_mut(p) {
                dict.set("Parent", pages_id);
            }
            kids.push(Object::Reference(p));
        }
    }
    out.max_id = next;
    let count = kids.len() as i64;
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
    );
    let catalog = out.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    out.trailer.set("Root", catalog);
    out.prune_objects();
    let mut v = Vec::new();
    out.save_to(&mut v).context("writing the PDF")?;
    Ok(v)
}
