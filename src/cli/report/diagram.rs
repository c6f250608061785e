//! The report's diagram: the impact diagram exactly as `tradenet draw --tariff ... -o x.svg`
//! makes it (draw's own code, run into a temporary file), and its SVG made fit to sit inside
//! an HTML page.

use super::super::draw::{self, DrawArgs};
use super::super::output::Sink;
use super::super::shock::{ChannelArg, ScenarioArgs, Shocked, DEFAULT_SCENARIO};
use super::super::Format;
use super::doc::Figure;
use super::ReportArgs;
use anyhow::{Context, Result};
use clap::{Args, FromArgMatches};
use serde_json::Value;

/// `tradenet draw`'s arguments with its defaults.
fn draw_defaults() -> Result<DrawArgs> {
    let cmd = DrawArgs::augment_args(clap::Command::new("draw"));
    let m = cmd
        .try_get_matches_from(["draw"])
        .context("the diagram's default flags")?;
    DrawArgs::from_arg_matches(&m).context("the diagram's default flags")
}

/// The impact diagram of the shock. `draw` runs the scenario itself when the model is the
/// default one (then the tariffed flows are marked); otherwise (`--dy`, `--channel import`,
/// `--gross-output`, `--final-demand`) it colours by the report's own result, the shock's
/// JSON, as `draw --impact FILE` does.
pub fn impact(a: &ReportArgs, s: &Shocked, json: &Value) -> Result<Figure> {
    let dir = tempfile::tempdir().context("a temporary folder for the diagram")?;
    let mut d = draw_defaults()?;
    d.graph = a.graph.clone();
    if a.graph.graph.as_deref() == Some("-") {
        // Standard input is read once: draw reads the graph as loaded, from a file.
        let file = dir.path().join("graph.json");
        let bytes = tradenet::io::write(&s.loaded.graph, tradenet::io::OutputFormat::Native);
        std::fs::write(&file, bytes).context("a temporary copy of the graph")?;
        d.graph = a.graph.clone();
        d.graph.graph = Some(file.to_string_lossy().into_owned());
        d.graph.input_format = None;
        d.graph.regions = None;
        d.graph.sector_groups = None;
        d.graph.keep_unlisted = false;
    }
    let own_model = a.dy.is_some()
        || a.gross_output.is_some()
        || a.final_demand.is_some()
        || a.channel != ChannelArg::Export;
    if own_model {
        let file = dir.path().join("impact.json");
        std::fs::write(&file, serde_json::to_vec(json)?).context("a temporary impact file")?;
        d.impact = Some(file.to_string_lossy().into_owned());
        d.title = Some(super::doc::impact_title(&s.scenario));
    } else if s.is_default {
        d.scenario = ScenarioArgs {
            tariff: vec![DEFAULT_SCENARIO.into()],
            ..Default::default()
        };
    } else {
        d.scenario = a.scenario.clone();
    }
    let svg_path = dir.path().join("impact.svg");
    let sink = Sink {
        format: Format::Table,
        path: Some(svg_path.to_string_lossy().into_owned()),
    };
    draw::run(d, &sink).context("the impact diagram (leave it out with --no-diagram)")?;
    let svg = std::fs::read_to_string(&svg_path).context("reading the rendered diagram")?;
    let svg = fit_view_box(&svg);
    Ok(Figure {
        stem: "impact".into(),
        caption: "The shock's impact on each country: node colour = change of gross output (or trade) in percent, node size = trade strength, edges = the largest flows; as tradenet draw makes it".into(),
        svg,
    })
}

/// Graphviz's SVG with its `viewBox` set to its drawn size: Graphviz 2.43 rendering at a dpi
/// other than 72 (draw renders at 150) scales the drawing but keeps the unscaled `viewBox`,
/// so a browser shows the top-left corner only. `width="2930pt" height="1482pt"` gives
/// `viewBox="0 0 2930 1482"`, which is also what newer Graphviz writes.
pub fn fit_view_box(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(len) = svg[start..].find('>') else {
        return svg.to_string();
    };
    let tag = &svg[start..start + len];
    let attr = |name: &str| -> Option<&str> {
        let k = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let e = tag[k..].find('"')?;
        Some(&tag[k..k + e])
    };
    let pt = |v: &str| v.strip_suffix("pt").and_then(|n| n.parse::<f64>().ok());
    let (Some(w), Some(h), Some(vb)) = (
        attr("width").and_then(pt),
        attr("height").and_then(pt),
        attr("viewBox"),
    ) else {
        return svg.to_string();
    };
    let new_tag = tag.replacen(
        &format!("viewBox=\"{vb}\""),
        &format!("viewBox=\"0 0 {w} {h}\""),
        1,
    );
    format!("{}{new_tag}{}", &svg[..start], &svg[start + len..])
}

/// Graphviz's SVG document as an element of an HTML page: from `<svg` on, without comments,
/// and without the namespace declarations (an HTML page names no outside address; inline SVG
/// needs none).
pub fn inline(svg: &str) -> String {
    let body = svg.find("<svg").map_or(svg, |k| &svg[k..]);
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(k) = rest.find("<!--") {
        out.push_str(&rest[..k]);
        rest = match rest[k..].find("-->") {
            Some(e) => &rest[k + e + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    let uses_xlink = out.contains("xlink:");
    let mut out = out.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    if !uses_xlink {
        out = out.replacen(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", 1);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_view_box_is_the_drawn_size() {
        let svg = "<?xml?>\n<svg width=\"2930pt\" height=\"1482pt\"\n viewBox=\"0.00 0.00 1406.20 711.20\" x=\"1\">\n<g/></svg>";
        assert_eq!(
            super::fit_view_box(svg),
            "<?xml?>\n<svg width=\"2930pt\" height=\"1482pt\"\n viewBox=\"0 0 2930 1482\" x=\"1\">\n<g/></svg>"
        );
    }

    #[test]
    fn inline_svg_drops_the_prolog_comments_and_namespaces() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<!-- Generated by graphviz -->\n<svg width=\"8pt\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<!-- a&#45;&gt;b -->\n<g id=\"graph0\"><title>a</title></g>\n</svg>\n";
        assert_eq!(
            super::inline(svg),
            "<svg width=\"8pt\">\n\n<g id=\"graph0\"><title>a</title></g>\n</svg>"
        );
    }
}
