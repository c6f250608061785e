//! The report as Markdown, for pasting into documents: the same sections as the HTML page,
//! tables as pipe tables, each diagram as an image link to the SVG file written beside it.

use super::doc::{Block, Doc};
use super::table::{self, md_escape as esc, visible};

/// The Markdown of a report; `files` names the diagrams' SVG files in the order of
/// [`Doc::figures`] (empty on standard output: the diagrams are then left out).
pub fn page(d: &Doc, files: &[String]) -> String {
    let mut s = format!("# {}\n\n", esc(&d.title));
    for l in &d.subtitle {
        s.push_str(&format!("{}  \n", esc(l)));
    }
    let mut figure = 0;
    for sec in &d.sections {
        s.push_str(&format!("\n## {}\n\n", esc(&sec.heading)));
        for b in &sec.blocks {
            match b {
                Block::Figure(f) => {
                    if let Some(file) = files.get(figure) {
                        // The file name is ours (REPORT-impact.svg); only its spaces and
                        // brackets would break the link.
                        let link = file
                            .replace(' ', "%20")
                            .replace('(', "%28")
                            .replace(')', "%29");
                        s.push_str(&format!(
                            "![{}]({link})\n\n*{}*\n\n",
                            esc(&f.stem),
                            esc(&f.caption)
                        ));
                    }
                    figure += 1;
                }
                b => s.push_str(&block(b)),
            }
        }
    }
    s.push_str(&format!("\n---\n\n{}\n", esc(&d.footer)));
    s
}

fn block(b: &Block) -> String {
    match b {
        Block::Text(t) => format!("{}\n\n", esc(t)),
        Block::List(items) if items.is_empty() => String::new(),
        Block::List(items) => {
            let li: String = items.iter().map(|i| format!("- {}\n", esc(i))).collect();
            format!("{li}\n")
        }
        Block::Code(c) => {
            // A fence longer than any run of backticks in the text.
            let longest = c.split(|ch| ch != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            let lines: Vec<String> = c.lines().map(visible).collect();
            format!("{fence}\n{}\n{fence}\n\n", lines.join("\n"))
        }
        Block::Heading(h) => format!("### {}\n\n", esc(h)),
        Block::Table(t) => format!("{}\n", table::markdown(t)),
        Block::Figure(_) => String::new(),
    }
}
