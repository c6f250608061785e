//! `tradenet draw --product-space`: the product space of economic complexity as a diagram
//! (Hidalgo et al. 2007), written as DOT or rendered by Graphviz.

use crate::cli::draw::{DrawArgs, EngineArg};
use crate::cli::output::Sink;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use tradenet::analysis::complexity::{
    complexity, product_space, ComplexityParams, ProductSpaceParams,
};
use tradenet::io::dot::{to_dot, ColorBy, DotStyle, EdgeScale, Engine};

/// The Graphviz output type of `-o` (none: DOT).
fn graphviz_type(path: Option<&str>) -> Result<Option<&'static str>> {
    let Some(p) = path else { return Ok(None) };
    let ext = Path::new(p)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "dot" | "gv" => None,
        "svg" => Some("svg"),
        "png" => Some("png"),
        "pdf" => Some("pdf"),
        _ => bail!("-o {p}: unknown diagram type '.{ext}'; use .dot, .svg, .png or .pdf"),
    })
}

/// Run Graphviz with `args` on the DOT text; a missing Graphviz is bad usage with an install hint.
fn render(dot: &str, args: &[String]) -> Result<Vec<u8>> {
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

/// The layout engine of a flag.
fn engine(e: EngineArg) -> Engine {
    match e {
        EngineArg::Dot => Engine::Dot,
        EngineArg::Neato => Engine::Neato,
        EngineArg::Sfdp => Engine::Sfdp,
        EngineArg::Circo => Engine::Circo,
    }
}

/// `draw --product-space`: the product space as a graph of products (links = proximity),
/// written by the DOT writer.
pub fn draw(a: &DrawArgs, out: &Sink) -> Result<()> {
    let (x, _, _, label) = super::load_matrix(&a.graph)?;
    let r = complexity(&x, &ComplexityParams::default()).with_context(|| label.clone())?;
    let p = ProductSpaceParams {
        threshold: a.proximity_threshold,
        country: a.country.clone(),
    };
    let s = product_space(&r, &p)
        .map_err(|e| e.rename_param(&[("threshold", "--proximity-threshold")]))?;
    let mut b = tradenet::GraphBuilder::new();
    let pcis: Vec<f64> = s.nodes.iter().filter_map(|n| n.pci).collect();
    let mut sorted = pcis.clone();
    sorted.sort_by(f64::total_cmp);
    let quart = |v: f64| {
        let k = sorted.partition_point(|x| *x < v) * 4 / sorted.len().max(1);
        [
            "PCI: lowest quarter",
            "PCI: second quarter",
            "PCI: third quarter",
            "PCI: highest quarter",
        ][k.min(3)]
    };
    for n in &s.nodes {
        let mut e = tradenet::NodeExtra {
            name: Some(format!(
                "{}: PCI {}, world exports {}",
                n.id,
                n.pci.map_or("-".into(), |p| format!("{p:.2}")),
                tradenet::io::dot::human(n.exports)
            )),
            ..Default::default()
        };
        e.region = Some(match &a.country {
            Some(c) if n.highlighted => format!("{c} exports it with RCA >= 1"),
            Some(_) => "other products".into(),
            None => quart(n.pci.unwrap_or(f64::NEG_INFINITY)).to_string(),
        });
        b.add_node(&n.id, None, None, Some(e), tradenet::Place::Code);
    }
    for l in &s.links {
        b.add_flow(
            &s.nodes[l.a].id,
            &s.nodes[l.b].id,
            None,
            l.proximity,
            None,
            None,
            tradenet::Place::Code,
        );
    }
    let g = b.build("<product space>")?;
    let tree = s.links.iter().filter(|l| l.tree).count();
    let style = DotStyle {
        marked: Vec::new(),
        title: Some(a.title.clone().unwrap_or_else(|| match &a.country {
            Some(c) => format!("The product space, {c}'s products with revealed comparative advantage highlighted"),
            None => "The product space".into(),
        })),
        subtitle: Some(format!(
            "{label}: {} products; maximum spanning tree of proximity ({tree} links) plus {} links with proximity >= {}; node size: world exports",
            s.nodes.len(),
            s.links.len() - tree,
            s.threshold
        )),
        edge_scale: EdgeScale::Sqrt,
        color_by: ColorBy::Region,
        edges_by_sector: false,
        size: Some((s.nodes.iter().map(|n| n.exports).collect(), "world exports".into())),
        impact: None,
        clusters: false,
        edge_labels: a.edge_labels,
        engine: engine(a.engine),
        unit: Some("proximity".into()),
        legend: !a.no_legend,
        undirected: true,
    };
    let dot = to_dot(&g, &style);
    let bytes = match graphviz_type(out.path.as_deref())? {
        None => dot.into_bytes(),
        Some(t) => render(
            &dot,
            &[
                format!("-K{}", style.engine.as_str()),
                format!("-T{t}"),
                "-Gdpi=150".into(),
            ],
        )?,
    };
    out.bytes(&bytes)
}
