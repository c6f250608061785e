//! Data shown to people: ids, names and values from input files are escaped and clipped
//! before they reach a terminal, a table or a message.
//!
//! A file can hold anything: escape sequences that clear, recolour or retitle a terminal, bidi
//! overrides that show the bytes `ASU` as `USA`, zero-width characters, an id of 50 MB. Every
//! place that shows data to a person goes through [`escape`] (table cells, lines of text) or
//! [`clip`] (data quoted in a message: escaped and cut to [`CLIP_CHARS`] characters). Machine
//! outputs (JSON, CSV, the exports) keep the data exact.
//!
//! ```
//! use tradenet::text::{clip, escape};
//! assert_eq!(escape("US\u{1b}[2JA"), "US\\x1b[2JA");
//! assert_eq!(escape("C\u{202e}AN"), "C\\u{202e}AN");
//! let id = "X".repeat(1_000_000);
//! assert_eq!(clip(&id), format!("{}…(999940 more bytes)", "X".repeat(60)));
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// The most characters of a piece of data quoted in a message; the rest is counted in bytes.
pub const CLIP_CHARS: usize = 60;

/// Invisible characters that reorder or hide text: bidi embeddings, overrides, isolates and
/// marks (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), zero-width spaces and joiners
/// (U+200B-U+200D), the word joiner and invisible operators (U+2060-U+2064), the byte-order
/// mark U+FEFF, the soft hyphen, the Mongolian vowel separator, interlinear annotations and tag
/// characters. Refused in ids, escaped wherever data is shown.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// True for a character that must not reach a terminal raw: C0 and C1 control characters
/// (escape, tab and line breaks included), DEL, the line and paragraph separators, the
/// noncharacters U+FFFE and U+FFFF, and the [invisible](is_invisible) ones.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
        || is_invisible(c)
}

/// Write `c` escaped: `\t`, `\n`, `\r`, `\x1b` below U+0080, `\u{202e}` above.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape_if(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every [unsafe](is_unsafe) character escaped (`\x1b`, `\t`, `\u{202e}`); other
/// text, backslashes included, is left as it is. Borrowed when there is nothing to escape.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_if(s, is_unsafe)
}

/// [`escape`] for text made of lines (a message, a note): line breaks `\n` are kept.
pub fn escape_lines(s: &str) -> Cow<'_, str> {
    escape_if(s, |c| c != '\n' && is_unsafe(c))
}

/// `s` escaped and cut to [`CLIP_CHARS`] characters of output: the form in which messages quote
/// data. See [`clip_to`].
pub fn clip(s: &str) -> Cow<'_, str> {
    clip_to(s, CLIP_CHARS)
}

/// `s` [escaped](escape) and cut to at most `max` characters, followed by `…(N more bytes)`
/// when it is longer. Only the part shown is read: the cost does not grow with `s`.
pub fn clip_to(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max && !s.chars().any(is_unsafe) {
        // No more bytes than `max`, so no more characters, and nothing to escape.
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut width = 0;
    for (i, c) in s.char_indices() {
        let before = out.len();
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        width += out[before..].chars().count();
        if width > max {
            out.truncate(before);
            let rest = s.len() - i;
            let unit = if rest == 1 { "byte" } else { "bytes" };
            let _ = write!(out, "…({rest} more {unit})");
            return Cow::Owned(out);
        }
    }
    Cow::Owned(out)
}

/// [`clip_to`] applied to each line of `s` (line breaks kept): a bound on text made of lines.
pub fn clip_lines(s: &str, max: usize) -> Cow<'_, str> {
    let long = s.split('\n').any(|l| l.len() > max);
    if !long {
        return escape_lines(s);
    }
    let lines: Vec<Cow<str>> = s.split('\n').map(|l| clip_to(l, max)).collect();
    Cow::Owned(lines.join("\n"))
}

/// The first `max` of `items`, each [clipped](clip), joined by `, `, and `and N more` for the
/// rest: a list of data (a header's column names) quoted in a message.
pub fn clip_list<'a>(items: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let mut out = String::new();
    let mut more = 0usize;
    for (k, item) in items.into_iter().enumerate() {
        if k >= max {
            more += 1;
            continue;
        }
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(&clip(item));
    }
    if more > 0 {
        let _ = write!(out, " and {more} more");
    }
    out
}

/// The code points of `s`, `U+0043 U+0410 U+004E`; after 32 of them, `…`.
pub fn code_points(s: &str) -> String {
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k == 32 {
            out.push_str(" …");
            break;
        }
        if k > 0 {
            out.push(' ');
        }
        let _ = write!(out, "U+{:04X}", c as u32);
    }
    out
}

/// True when `a` and `b` differ in a way the eye may miss: where they differ, one of them holds
/// a character that is not visible ASCII (a Cyrillic `А` for a Latin `A`, a zero-width space,
/// a trailing space, an accent).
pub fn differs_invisibly(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle = |v: &[char]| v[prefix..v.len() - suffix].to_vec();
    middle(&a)
        .into_iter()
        .chain(middle(&b))
        .any(|c| !c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        assert_eq!(escape("CAN"), "CAN");
        assert!(matches!(escape("Côte d'Ivoire"), Cow::Borrowed(_)));
        assert_eq!(escape("a\tb\nc\rd"), "a\\tb\\nc\\rd");
        assert_eq!(escape("\u{1b}]0;x\u{7}"), "\\x1b]0;x\\x07");
        assert_eq!(escape("\u{7f}\u{9b}"), "\\x7f\\u{9b}");
        assert_eq!(escape("A\u{200b}B\u{feff}"), "A\\u{200b}B\\u{feff}");
        assert_eq!(escape("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(escape("back\\slash"), "back\\slash");
        assert_eq!(escape_lines("a\nb\tc"), "a\nb\\tc");
    }

    #[test]
    fn clips_long_data_and_counts_the_rest() {
        assert_eq!(clip("USA"), "USA");
        let s = "é".repeat(100);
        assert_eq!(clip_to(&s, 3), "ééé…(194 more bytes)");
        // Escapes count in the width: no more than `max` characters shown.
        let esc = "\u{1b}".repeat(10);
        assert_eq!(clip_to(&esc, 9), "\\x1b\\x1b…(8 more bytes)");
        assert_eq!(clip_to("abcdef", 6), "abcdef");
        assert_eq!(clip_lines("ab\ncdef", 3), "ab\ncde…(1 more byte)");
        assert_eq!(clip_list(["a", "b\tc", "d"], 2), "a, b\\tc and 1 more");
    }

    #[test]
    fn code_points_and_confusables() {
        assert_eq!(code_points("CАN"), "U+0043 U+0410 U+004E");
        assert!(differs_invisibly("CАN", "CAN"));
        assert!(differs_invisibly("CA\u{200b}N", "CAN"));
        assert!(differs_invisibly("CAN ", "CAN"));
        assert!(!differs_invisibly("USX", "USA"));
        assert!(!differs_invisibly("usa", "USA"));
        assert!(!differs_invisibly("USA", "USA"));
        assert!(code_points(&"x".repeat(40)).ends_with(" …"));
    }
}
