//! `draw --rounds`: the ripple of a shock as a story, one frame per round of the propagation
//! (cumulative: frame k shows the change through round k), every frame with the same layout
//! and the same colour scale.

use super::graphviz::{self, merge_pdfs};
use super::{diagram, fit_note, impact_by_node, year_note, DrawArgs, Out};
use crate::cli::output::Sink;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use tradenet::analysis::{percent, ripple, Model, Ripple, Scenario, ShockParams};
use tradenet::io::dot::Layout;
use tradenet::TradeGraph;

/// The share of the total change that the default frames reach.
const REACH: f64 = 0.99;

/// Each node's and each country's change through round `k`, in percent of its baseline (as
/// `--impact` rows).
fn rows_of(g: &TradeGraph, r: &Ripple, k: usize) -> Vec<(String, f64)> {
    let cum = &r.cumulative[k];
    let mut rows: Vec<(String, f64)> = r
        .result
        .nodes
        .iter()
        .zip(r.percent(k))
        .filter_map(|(n, p)| p.map(|p| (n.id.clone(), p)))
        .collect();
    for c in &r.result.countries {
        let (mut base, mut delta) = (0.0, 0.0);
        for (i, n) in r.result.nodes.iter().enumerate() {
            if n.country == c.id {
                base += n.baseline;
                delta += cum[i];
            }
        }
        // A country node of a trade graph is already a row.
        if g.node_index(&c.id).is_none() {
            if let Some(p) = percent(delta, base) {
                rows.push((c.id.clone(), p));
            }
        }
    }
    rows
}

/// What the first k rounds add, by model: "2 tiers of suppliers (Leontief)".
fn tiers(model: Model, k: usize) -> String {
    let s = if k == 1 { "" } else { "s" };
    match model {
        Model::InputOutput {
            leontief: true,
            ghosh: true,
        } => format!("{k} tier{s} of suppliers (Leontief) and of buyers (Ghosh)"),
        Model::InputOutput { ghosh: true, .. } => format!("{k} tier{s} of buyers (Ghosh)"),
        Model::InputOutput { .. } => format!("{k} tier{s} of suppliers (Leontief)"),
        Model::DebtRank(_) => format!("{k} round{s} of DebtRank"),
    }
}

/// The files of the frames: `FILE-00.svg`, `FILE-01.svg`... beside `-o FILE.svg`.
fn frame_paths(path: &str, n: usize) -> Vec<PathBuf> {
    let p = Path::new(path);
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("frame");
    let ext = p.extension().and_then(|s| s.to_str()).unwrap_or("svg");
    let digits = n.saturating_sub(1).to_string().len().max(2);
    (0..n)
        .map(|k| p.with_file_name(format!("{stem}-{k:0digits$}.{ext}")))
        .collect()
}

pub(super) fn run(a: &DrawArgs, scenario: Option<Scenario>, kind: Out, out: &Sink) -> Result<()> {
    let Some(scenario) = scenario else {
        bail!("--rounds draws a shock's ripple: give the shock (--tariff, --demand, --supply, --embargo or --scenario FILE), e.g. --rounds --tariff USA:CAN:C29=25%");
    };
    if a.impact.is_some() {
        bail!("--rounds runs the shock itself, round by round: give its flags, not --impact FILE");
    }
    if a.value_added {
        bail!("--value-added draws countries' value added, not a shock's ripple: drop --rounds or --value-added");
    }
    if a.clusters {
        bail!("--clusters cannot be drawn with --rounds: the frames share one pinned layout, and clusters need the dot engine's own");
    }
    let path = out.path.as_deref().filter(|p| *p != "-");
    if path.is_none() && kind != Out::Pdf {
        bail!("--rounds writes one file per frame: give -o FILE.svg (or .png, .dot: FILE-00.svg, FILE-01.svg, ...) or -o FILE.pdf (one page per frame)");
    }
    let loaded = a.graph.load()?.latest_year()?;
    let label = loaded.label.clone();
    let mut notes = year_note(a, &loaded);
    let g = loaded.graph;
    let r = ripple(&g, &scenario, &ShockParams::default())
        .map_err(crate::cli::shock::flagged)
        .with_context(|| format!("the scenario on {label}"))?;
    let total = r.rounds();
    let last = total - 1;
    let shown = match a.frames {
        Some(n) => n.min(total),
        None => r.rounds_to(REACH)? + 1,
    };
    // The frames' files, checked against the inputs before anything is drawn.
    let paths = path
        .filter(|_| kind != Out::Pdf)
        .map(|p| frame_paths(p, shown));
    for p in paths.iter().flatten() {
        for input in [a.graph.graph.as_deref(), a.scenario.scenario.as_deref()]
            .into_iter()
            .flatten()
        {
            if crate::cli::same_file(&p.display().to_string(), input) {
                bail!(
                    "frame {} is an input file ({input}): writing it would replace the data being read (give another -o)",
                    p.display()
                );
            }
        }
    }
    // The view and the flows come from the total change (the same nodes in every frame).
    let what = format!("Impact of {}", scenario.describe().join("; "));
    let final_rows = rows_of(&g, &r, last);
    let (drawn, style) = diagram(
        a,
        g.clone(),
        Some(&final_rows),
        Some(&scenario),
        Some(what.clone()),
        &mut notes,
    )?;
    let frames: Vec<Vec<Option<f64>>> = (0..shown)
        .map(|k| impact_by_node(&drawn, &rows_of(&g, &r, k)))
        .collect();
    // One colour scale: the largest loss and gain over the frames shown.
    let all = || frames.iter().flatten().flatten().copied();
    let range = (
        all().fold(0.0f64, |m, x| m.max(-x)),
        all().fold(0.0f64, |m, x| m.max(x)),
    );
    let page = a.page.unwrap_or_default();
    let layout = Layout {
        page: Some(page.points()),
        impact_range: Some(range),
        ..Default::default()
    };
    let styled = |k: usize| {
        let mut s = style.clone();
        s.impact = Some(frames[k].clone());
        let title = a.title.clone().unwrap_or_else(|| what.clone());
        s.title = Some(format!("round {k} of {last}: {title}"));
        let step = if k == 0 {
            "round 0: the direct effect".to_string()
        } else {
            format!(
                "cumulative: the direct effect and {}",
                tiers(r.result.model, k)
            )
        };
        s.subtitle = Some(format!(
            "{}; {step}; the nodes {:.1}% of the way to their total change",
            style.subtitle.as_deref().unwrap_or(""),
            100.0 * r.reached(k)
        ));
        s
    };
    // Every frame's title has as many lines as the longest (so the drawing starts at the
    // same height).
    let titles: Vec<usize> = (0..shown)
        .map(|k| {
            tradenet::io::dot::title_label(&drawn, &styled(k), &layout)
                .lines()
                .count()
        })
        .collect();
    let most = titles.iter().copied().max().unwrap_or(1);
    let styled = |k: usize| {
        let mut s = styled(k);
        if let Some(sub) = s.subtitle.as_mut() {
            // A line of a no-break space: a line Graphviz keeps.
            sub.push_str(&"\n\u{a0}".repeat(most - titles[k]));
        }
        s
    };
    // The layout of the last frame shown (its labels are the longest), pinned for all, and
    // invisible corners around the largest frame, so that every frame has the same size.
    let mut placed = graphviz::place(&drawn, &styled(shown - 1), &layout, page)?;
    fit_note(&drawn, &styled(shown - 1), &layout, &placed, page)?;
    let mut span = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for k in 0..shown {
        let e = graphviz::extent(&drawn, &styled(k), &layout, &placed)?;
        let [x0, y0, x1, y1] = e.bb;
        // The title sits above the drawing, centred: keep the drawing's part and the
        // title's width.
        let mid = (x0 + x1) / 2.0;
        span[0] = span[0].min(x0).min(mid - e.label.0 / 2.0);
        span[1] = span[1].min(y0);
        span[2] = span[2].max(x1).max(mid + e.label.0 / 2.0);
        span[3] = span[3].max(y1 - e.label.1);
    }
    placed.pinned.corners = Some([(span[0], span[1]), (span[2], span[3])]);
    let rendered = (0..shown)
        .map(|k| graphviz::render_pinned(&drawn, &styled(k), &layout, &placed, kind))
        .collect::<Result<Vec<_>>>()?;
    note!(
        "note: {shown} frame(s), rounds 0 to {} of {last} (the nodes {:.1}% of the way to their total change: one minus the L1 distance to it){}",
        shown - 1,
        100.0 * r.reached(shown - 1),
        if a.frames.is_none() && shown < total {
            " (more with --frames N)"
        } else {
            ""
        }
    );
    if kind == Out::Pdf {
        return out.bytes(&merge_pdfs(&rendered)?);
    }
    let paths = paths.expect("a path for frames");
    for (p, bytes) in paths.iter().zip(&rendered) {
        tradenet::io::write_atomic(p, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::frame_paths;
    use std::path::PathBuf;

    #[test]
    fn frames_are_numbered_beside_the_output() {
        assert_eq!(
            frame_paths("out/ripple.svg", 3),
            vec![
                PathBuf::from("out/ripple-00.svg"),
                PathBuf::from("out/ripple-01.svg"),
                PathBuf::from("out/ripple-02.svg")
            ]
        );
        assert_eq!(frame_paths("r.png", 120)[7], PathBuf::from("r-007.png"));
    }
}
