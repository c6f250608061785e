//! Text for diagrams: short sector names for node labels, and lines wrapped to a page width.

/// A sector's name short enough for a node label: "Manufacture of" and "Manufacture of
/// basic" dropped, cut at the first `;` or `,`, at most 24 characters (cut at a word, with
/// `…`), first letter upper case. `Manufacture of motor vehicles, trailers and
/// semi-trailers` becomes `Motor vehicles`.
///
/// ```
/// use tradenet::io::dot::short_sector_name;
/// assert_eq!(short_sector_name("Manufacture of motor vehicles, trailers and semi-trailers"), "Motor vehicles");
/// assert_eq!(short_sector_name("Agriculture and hunting"), "Agriculture and hunting");
/// assert_eq!(short_sector_name("Extraction of crude petroleum and natural gas"), "Extraction of crude…");
/// ```
pub fn short_sector_name(name: &str) -> String {
    const MAX: usize = 24;
    let mut s = name.trim();
    for prefix in ["Manufacture of basic ", "Manufacture of "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    let s = s.split([';', ',']).next().unwrap_or(s).trim();
    let mut out = if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        let cut = head.rfind(' ').filter(|&i| i > 0).unwrap_or(head.len());
        let mut h = head[..cut].trim_end().to_string();
        h.push('…');
        h
    };
    if let Some(c) = out.chars().next() {
        if c.is_lowercase() {
            out = c.to_uppercase().chain(out.chars().skip(1)).collect();
        }
    }
    out
}

/// `text` broken into lines of at most `width` characters at spaces (a longer word stays
/// whole on its own line); existing line breaks are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}
