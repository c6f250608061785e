//! The one renderer of the command line's tables ([`Table`], as `trait Report` gives them) to
//! HTML and to Markdown, with the escaping each needs: data (ids) can hold anything.

use super::super::output::{no_negative_zero, Table};
use tradenet::text::clip_to;

/// The most characters of a cell or a line of text (a 50 MB id is cut, the rest counted).
const CHARS: usize = 300;

/// Data as a page may show it: control and invisible characters escaped (`\x1b`, `\u{202e}`),
/// cut to [`CHARS`], and no `-0` printed.
pub fn visible(s: &str) -> String {
    no_negative_zero(&clip_to(s, CHARS))
}

/// Text for HTML (element content and attribute values): `& < > " '` as entities.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown: the characters that mark up (`` \ ` * _ [ ] < | ~ & # ``, and `>` at the
/// start) escaped with a backslash, so a cell or a line reads as the data.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (k, c) in visible(s).chars().enumerate() {
        if "\\`*_[]<|~&#".contains(c) || (k == 0 && c == '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A table as HTML: its title as the caption, numbers right-aligned.
pub fn html(t: &Table) -> String {
    let class = |k: usize| {
        if t.right.contains(&k) {
            " class=\"num\""
        } else {
            ""
        }
    };
    let mut s = String::from("<table>\n");
    if !t.title.is_empty() {
        s.push_str(&format!("<caption>{}</caption>\n", html_escape(&t.title)));
    }
    s.push_str("<thead><tr>");
    for (k, h) in t.header.iter().enumerate() {
        s.push_str(&format!("<th{}>{}</th>", class(k), html_escape(h)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        s.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            s.push_str(&format!("<td{}>{}</td>", class(k), html_escape(c)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A table as Markdown (GitHub's pipe tables): its title in bold above, numbers
/// right-aligned.
pub fn markdown(t: &Table) -> String {
    let mut s = String::new();
    if !t.title.is_empty() {
        s.push_str(&format!("**{}**\n\n", md_escape(&t.title)));
    }
    let row = |cells: &mut dyn Iterator<Item = String>| {
        let mut line = String::from("|");
        for c in cells {
            line.push(' ');
            line.push_str(&c);
            line.push_str(" |");
        }
        line.push('\n');
        line
    };
    let cols = t.header.len();
    s.push_str(&row(&mut t.header.iter().map(|h| md_escape(h))));
    s.push_str(&row(&mut (0..cols).map(|k| {
        if t.right.contains(&k) { "--:" } else { "---" }.to_string()
    })));
    for r in &t.rows {
        // Every row has the header's cells (a short row is padded, a long one cut).
        s.push_str(&row(
            &mut (0..cols).map(|k| md_escape(r.get(k).map_or("", String::as_str)))
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Table {
        Table {
            title: "Top <movers> & more".into(),
            header: vec!["node".into(), "delta".into()],
            rows: vec![vec!["a|b*c\u{1b}[31m".into(), "-0.00%".into()]],
            right: vec![1],
        }
    }

    #[test]
    fn html_escapes_data() {
        let h = html(&t());
        assert!(
            h.contains("<caption>Top &lt;movers&gt; &amp; more</caption>"),
            "{h}"
        );
        assert!(
            h.contains("<td>a|b*c\\x1b[31m</td><td class=\"num\">0.00%</td>"),
            "{h}"
        );
    }

    #[test]
    fn markdown_escapes_data() {
        let m = markdown(&t());
        assert_eq!(
            m,
            "**Top \\<movers> \\& more**\n\n| node | delta |\n| --- | --: |\n| a\\|b\\*c\\\\x1b\\[31m | 0.00% |\n"
        );
    }
}
