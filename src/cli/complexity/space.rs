//! `tradenet draw --product-space`: the product space of economic complexity as a diagram
//! (Hidalgo et al. 2007), written as DOT or rendered by Graphviz.

use crate::cli::draw::graphviz::{graphviz, type_args};
use crate::cli::draw::out_kind;
use crate::cli::draw::DrawArgs;
use crate::cli::output::Sink;
use anyhow::{Context, Result};
use tradenet::analysis::complexity::{
    complexity, product_space, ComplexityParams, ProductSpace, ProductSpaceParams,
};
use tradenet::io::dot::{html, quote};

/// The part of the page's height the products take (the title and the legend below share
/// the rest).
const SPACE_SHARE: f64 = 0.55;
/// Iterations of the force layout.
const ITERATIONS: usize = 500;
/// Colours of the product groups (Tableau 20, and one more for the 21 HS sections).
const PALETTE: [&str; 21] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63",
    "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e", "#17becf",
];

/// The sections of the Harmonized System by their first chapter, with short names.
const HS_SECTIONS: [(u32, &str); 21] = [
    (1, "I live animals, animal products (01-05)"),
    (6, "II vegetable products (06-14)"),
    (15, "III fats and oils (15)"),
    (16, "IV food, beverages, tobacco (16-24)"),
    (25, "V mineral products (25-27)"),
    (28, "VI chemicals (28-38)"),
    (39, "VII plastics, rubber (39-40)"),
    (41, "VIII hides, leather (41-43)"),
    (44, "IX wood (44-46)"),
    (47, "X paper (47-49)"),
    (50, "XI textiles (50-63)"),
    (64, "XII footwear, headgear (64-67)"),
    (68, "XIII stone, glass, ceramics (68-70)"),
    (71, "XIV precious metals, stones (71)"),
    (72, "XV base metals (72-83)"),
    (84, "XVI machinery, electrical (84-85)"),
    (86, "XVII transport equipment (86-89)"),
    (90, "XVIII instruments (90-92)"),
    (93, "XIX arms (93)"),
    (94, "XX miscellaneous manufactures (94-96)"),
    (97, "XXI works of art (97)"),
];

/// The colour group of each product: the HS section when every code has six digits (HS6),
/// else the code's first character. Returns the group of each code and the groups' names.
fn groups(codes: &[&str]) -> (Vec<usize>, Vec<String>) {
    let hs6 = codes
        .iter()
        .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()));
    if hs6 {
        let section = |c: &str| {
            let ch: u32 = c[..2].parse().unwrap_or(0);
            HS_SECTIONS
                .iter()
                .rposition(|(first, _)| *first <= ch)
                .unwrap_or(0)
        };
        let g: Vec<usize> = codes.iter().map(|c| section(c)).collect();
        let names = HS_SECTIONS
            .iter()
            .map(|(_, n)| format!("HS section {n}"))
            .collect();
        return (g, names);
    }
    let mut firsts: Vec<char> = codes.iter().filter_map(|c| c.chars().next()).collect();
    firsts.sort_unstable();
    firsts.dedup();
    let g = codes
        .iter()
        .map(|c| {
            let f = c.chars().next().unwrap_or(' ');
            firsts.binary_search(&f).unwrap_or(0)
        })
        .collect();
    let names = firsts
        .iter()
        .map(|f| format!("codes beginning with {f}"))
        .collect();
    (g, names)
}

/// `s` escaped for an HTML-like label, broken into lines of at most `width` characters at
/// spaces, so that a long file name or caption does not widen the page.
fn wrap(s: &str, width: usize) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for word in s.split(' ') {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
        .iter()
        .map(|l| html(l))
        .collect::<Vec<_>>()
        .join("<BR/>")
}

/// What the picture says besides the product space itself.
struct Captions {
    /// The box the products are laid out in, in points: the page's width, part of its height.
    size: (f64, f64),
    title: String,
    subtitle: String,
    legend: bool,
    edge_labels: bool,
}

/// The DOT of the product space with every node at its computed place (`pos="x,y!"`), for
/// `neato -n2`: no layout, no overlap removal, straight edges; Graphviz only draws.
fn space_dot(s: &ProductSpace, pos: &[(f64, f64)], c: &Captions) -> String {
    use std::fmt::Write as _;
    let codes: Vec<&str> = s.nodes.iter().map(|n| n.id.as_str()).collect();
    let (group, names) = groups(&codes);
    let max = s.nodes.iter().map(|n| n.exports).fold(0.0, f64::max);
    let mut d = String::new();
    d.push_str("// The product space, laid out by tradenet (force-directed, positions pinned).\n");
    d.push_str("// Render it as it is: neato -n2 -Tsvg FILE.dot -o FILE.svg\n");
    d.push_str("graph product_space {\n");
    let _ = writeln!(
        d,
        "  graph [label=<<B>{}</B><BR/><FONT POINT-SIZE=\"8\">{}</FONT>>, labelloc=t, fontname=\"Helvetica\", fontsize=11, outputorder=edgesfirst, splines=false, overlap=true, pad=0.2, bgcolor=white];",
        wrap(&c.title, 70),
        wrap(&c.subtitle, 100)
    );
    d.push_str("  node [shape=circle, style=filled, label=\"\", fixedsize=true, fontname=\"Helvetica\", fontsize=8];\n");
    d.push_str("  edge [dir=\"none\"];\n");
    let highlight = s.country.is_some();
    for (i, n) in s.nodes.iter().enumerate() {
        // Node widths in inches, scaled with the box (0.35 inch at the largest on 900 points).
        let w = (0.05 + 0.3 * (n.exports / max.max(f64::MIN_POSITIVE)).sqrt())
            * (c.size.0 / 900.0).clamp(0.4, 1.0);
        let col = PALETTE[group[i] % PALETTE.len()];
        let (fill, border) = match (highlight, n.highlighted) {
            (true, true) => (col.to_string(), "color=\"#000000\", penwidth=1.2"),
            (true, false) => (format!("{col}40"), "color=\"#00000000\", penwidth=0"),
            _ => (col.to_string(), "color=\"#ffffff\", penwidth=0.4"),
        };
        let tip = format!(
            "{}: PCI {}, world exports {}",
            n.id,
            n.pci.map_or("-".into(), |p| format!("{p:.2}")),
            tradenet::io::dot::human(n.exports)
        );
        let _ = writeln!(
            d,
            "  {} [pos=\"{:.1},{:.1}!\", width={w:.3}, fillcolor=\"{fill}\", {border}, tooltip={}];",
            quote(&n.id),
            pos[i].0,
            pos[i].1,
            quote(&tip)
        );
    }
    for l in &s.links {
        let style = if l.tree {
            "color=\"#8c8c8c\", penwidth=0.7"
        } else {
            "color=\"#c8c8c8\", penwidth=0.4"
        };
        let label = if c.edge_labels {
            format!(", label=\"{:.2}\", fontsize=6", l.proximity)
        } else {
            String::new()
        };
        let _ = writeln!(
            d,
            "  {} -- {} [{style}{label}];",
            quote(&s.nodes[l.a].id),
            quote(&s.nodes[l.b].id)
        );
    }
    if c.legend {
        let mut count = vec![0usize; names.len()];
        for &g in &group {
            count[g] += 1;
        }
        let mut rows = String::new();
        for (g, name) in names.iter().enumerate().filter(|(g, _)| count[*g] > 0) {
            let _ = write!(
                rows,
                "<TR><TD BGCOLOR=\"{}\" WIDTH=\"14\" HEIGHT=\"10\"></TD><TD ALIGN=\"LEFT\">{} ({})</TD></TR>",
                PALETTE[g % PALETTE.len()],
                html(name),
                count[g]
            );
        }
        if let Some(country) = &s.country {
            let _ = write!(
                rows,
                "<TR><TD BORDER=\"1\" COLOR=\"#000000\" BGCOLOR=\"#999999\" WIDTH=\"14\" HEIGHT=\"10\"></TD><TD ALIGN=\"LEFT\">{}</TD></TR><TR><TD BGCOLOR=\"#99999940\" WIDTH=\"14\" HEIGHT=\"10\"></TD><TD ALIGN=\"LEFT\">other products (pale)</TD></TR>",
                html(&format!("{country} exports it with RCA >= 1 (black ring)")),
            );
        }
        rows.push_str("<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">node area: world exports; dark links: the spanning tree</TD></TR>");
        // Below the products: half its rows (about 13 points each) under the lowest node.
        let legend_rows = rows.matches("<TR>").count() + 1;
        let _ = writeln!(
            d,
            "  legend [shape=plaintext, style=\"\", fixedsize=false, fontsize=9, pos=\"{:.1},{:.1}!\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\"><TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>Legend</B></TD></TR>{rows}</TABLE>>];",
            c.size.0 / 2.0,
            -(legend_rows as f64) * 6.5 - 12.0
        );
    }
    d.push_str("}\n");
    d
}

/// `draw --product-space`: the product space (Hidalgo et al. 2007) laid out here and drawn by
/// Graphviz with the positions pinned (`neato -n2`), so that hundreds of products take
/// seconds; colours by product group, the country's RCA products ringed, a legend.
pub fn draw(a: &DrawArgs, out: &Sink) -> Result<()> {
    let (x, _, _, label) = super::load_matrix(&a.graph)?;
    let r = complexity(&x, &ComplexityParams::default()).with_context(|| label.clone())?;
    let p = ProductSpaceParams {
        threshold: a.proximity_threshold,
        country: a.country.clone(),
    };
    let s = product_space(&r, &p)
        .map_err(|e| e.rename_param(&[("threshold", "--proximity-threshold")]))?;
    let links: Vec<(usize, usize)> = s.links.iter().map(|l| (l.a, l.b)).collect();
    let tree: Vec<(usize, usize)> = s
        .links
        .iter()
        .filter(|l| l.tree)
        .map(|l| (l.a, l.b))
        .collect();
    let (page_w, page_h) = a.page.unwrap_or_default().points();
    let size = (page_w, page_h * SPACE_SHARE);
    let pos = super::layout::force_layout(s.nodes.len(), &links, &tree, size.0, size.1, ITERATIONS);
    let n_tree = tree.len();
    let captions = Captions {
        size,
        title: a.title.clone().unwrap_or_else(|| match &a.country {
            Some(c) => format!(
                "The product space, {c}'s products with revealed comparative advantage highlighted"
            ),
            None => "The product space".into(),
        }),
        subtitle: format!(
            "{label}: {} products; maximum spanning tree of proximity ({n_tree} links) plus {} links with proximity >= {}; node size: world exports",
            s.nodes.len(),
            s.links.len() - n_tree,
            s.threshold
        ),
        legend: !a.no_legend,
        edge_labels: a.edge_labels,
    };
    let dot = space_dot(&s, &pos, &captions);
    let kind = out_kind(out.path.as_deref())?;
    let bytes = match type_args(kind) {
        None => dot.into_bytes(),
        // The positions are pinned: neato draws them as they are (-n2).
        // The page bounds the drawing (Graphviz shrinks one that would not fit).
        Some(t) => {
            let fit = format!("-Gsize={:.2},{:.2}", page_w / 72.0, page_h / 72.0);
            graphviz(
                &dot,
                &[&["-Kneato".into(), "-n2".into(), fit], &t[..]].concat(),
            )?
        }
    };
    out.bytes(&bytes)
}

#[cfg(test)]
mod tests {
    use super::groups;

    /// HS6 codes fall in their Harmonized System sections (the WCO nomenclature's chapter
    /// ranges: 27 mineral fuels in V, 71 in XIV, 87 vehicles in XVII, 97 in XXI); other codes
    /// group by their first character.
    #[test]
    fn hs6_codes_group_by_section_and_others_by_first_digit() {
        let (g, names) = groups(&["010121", "270900", "710813", "870323", "970110"]);
        assert_eq!(g, [0, 4, 13, 16, 20]);
        assert!(names[16].contains("XVII transport equipment (86-89)"));
        let (g, names) = groups(&["0011", "7810", "7821", "9610"]);
        assert_eq!(g, [0, 1, 1, 2]);
        assert_eq!(
            names,
            [
                "codes beginning with 0",
                "codes beginning with 7",
                "codes beginning with 9"
            ]
        );
    }
}
