//! The report as one self-contained HTML page: inline CSS, diagrams as inline SVG, no script,
//! no outside font, image or address; a Content-Security-Policy that forbids fetching
//! anything, so a browser proves it. The markup is also well-formed XML (void elements closed).

use super::doc::{Block, Doc};
use super::table::{self, html_escape as esc};

/// The page's style: readable on screen, tables that fit an A4 page when printed.
const CSS: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
  color: #1d1d1f; background: #fff; max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem;
  line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #c9d3df; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.sub { color: #555; margin: 0.1rem 0; }
nav ol { columns: 2; padding-left: 1.2rem; }
table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-size: 0.85rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { padding: 0.2rem 0.55rem; border-bottom: 1px solid #e2e6ea; vertical-align: top; }
th { background: #eef2f6; text-align: left; }
tbody tr:nth-child(even) { background: #f8f9fb; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre { background: #f4f5f7; padding: 0.6rem 0.8rem; overflow-x: auto; font-size: 0.85rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9rem; }
footer { margin-top: 3rem; color: #666; font-size: 0.85rem; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; } nav { display: none; }
  table { font-size: 7.5pt; } th, td { padding: 1pt 3pt; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; font-size: 7.5pt; }
  table, figure { page-break-inside: avoid; } }
";

/// The HTML page of a report.
pub fn page(d: &Doc) -> String {
    let mut s =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n");
    s.push_str(&format!(
        "<meta name=\"generator\" content=\"tradenet {}\"/>\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&d.title)
    ));
    s.push_str(&format!("<header>\n<h1>{}</h1>\n", esc(&d.title)));
    for l in &d.subtitle {
        s.push_str(&format!("<p class=\"sub\">{}</p>\n", esc(l)));
    }
    s.push_str("</header>\n<nav>\n<ol>\n");
    for sec in &d.sections {
        s.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            sec.id,
            esc(&sec.heading)
        ));
    }
    s.push_str("</ol>\n</nav>\n");
    for sec in &d.sections {
        s.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            sec.id,
            esc(&sec.heading)
        ));
        for b in &sec.blocks {
            s.push_str(&block(b));
        }
        s.push_str("</section>\n");
    }
    s.push_str(&format!(
        "<footer><p>{}</p></footer>\n</body>\n</html>\n",
        esc(&d.footer)
    ));
    s
}

fn block(b: &Block) -> String {
    match b {
        Block::Text(t) => format!("<p>{}</p>\n", esc(t)),
        Block::List(items) if items.is_empty() => String::new(),
        Block::List(items) => {
            let li: String = items
                .iter()
                .map(|i| format!("<li>{}</li>\n", esc(i)))
                .collect();
            format!("<ul>\n{li}</ul>\n")
        }
        Block::Code(c) => {
            let lines: Vec<String> = c.lines().map(esc).collect();
            format!("<pre>{}</pre>\n", lines.join("\n"))
        }
        Block::Heading(h) => format!("<h3>{}</h3>\n", esc(h)),
        Block::Table(t) => table::html(t),
        Block::Figure(f) => format!(
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            super::diagram::inline(&f.svg),
            esc(&f.caption)
        ),
    }
}
