//! Text that is not what the readers take, named as what it is: UTF-16 or UTF-32 (what
//! Excel's "Unicode Text" and Windows tools write), lines ending in CR only (classic Mac OS),
//! NUL bytes in the text. The readers read UTF-8; each of these used to be reported as "not a
//! text file" or as a file without data rows.

use crate::error::Problem;

/// Bytes looked at to recognise an encoding without a byte-order mark.
const SAMPLE: usize = 4096;

/// A problem when `bytes` (gzip unpacked, a UTF-8 byte-order mark removed) are UTF-16 or
/// UTF-32 text: by their byte-order mark, or, without one, by the NUL bytes that pad ASCII
/// characters in them (`e\0x\0` is `ex` in UTF-16, little-endian).
pub(crate) fn encoding_problem(bytes: &[u8]) -> Option<Problem> {
    let (name, iconv, bom) = if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        ("UTF-32 (little-endian)", "UTF-32", true)
    } else if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        ("UTF-32 (big-endian)", "UTF-32", true)
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        ("UTF-16 (little-endian)", "UTF-16", true)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        ("UTF-16 (big-endian)", "UTF-16", true)
    } else {
        let (name, iconv) = padded_ascii(bytes)?;
        (name, iconv, false)
    };
    let how = if bom {
        "it starts with a byte-order mark"
    } else {
        "NUL bytes pad every character"
    };
    Some(
        Problem::new("", format!("the file is {name} text ({how}), not UTF-8")).hint(format!(
            "save it as UTF-8 (in Excel: \"CSV UTF-8\"), or convert it: iconv -f {iconv} -t UTF-8 FILE > FILE.utf8"
        )),
    )
}

/// UTF-16 or UTF-32 without a byte-order mark, from the pattern of NUL bytes in its first
/// characters: most code units are an ASCII character and NUL padding on one side, and no
/// unit is NUL on the other side.
fn padded_ascii(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let n = bytes.len().min(SAMPLE);
    let utf32 = |ascii_at: usize| {
        let units: Vec<&[u8]> = bytes[..n - n % 4].chunks_exact(4).collect();
        let hits = units
            .iter()
            .filter(|u| u[ascii_at] != 0 && (0..4).all(|k| k == ascii_at || u[k] == 0))
            .count();
        units.len() >= 2 && hits * 10 >= units.len() * 9
    };
    if utf32(0) {
        return Some(("UTF-32 (little-endian)", "UTF-32LE"));
    }
    if utf32(3) {
        return Some(("UTF-32 (big-endian)", "UTF-32BE"));
    }
    let units: Vec<&[u8]> = bytes[..n - n % 2].chunks_exact(2).collect();
    let count = |f: fn(&[u8]) -> bool| units.iter().filter(|u| f(u)).count();
    let le = count(|u| u[0] != 0 && u[1] == 0);
    let be = count(|u| u[0] == 0 && u[1] != 0);
    let both = count(|u| u[0] == 0 && u[1] == 0);
    let few = |k: usize| k * 20 <= units.len();
    if units.len() >= 2 && le * 2 >= units.len() && few(be + both) {
        return Some(("UTF-16 (little-endian)", "UTF-16LE"));
    }
    if units.len() >= 2 && be * 2 >= units.len() && few(le + both) {
        return Some(("UTF-16 (big-endian)", "UTF-16BE"));
    }
    None
}

/// The line (from 1) and column (from 1, in bytes) of byte `at`.
pub(crate) fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, at - start + 1)
}

/// The rule and hint for a NUL byte at `place`; `more` is how many other NUL bytes the file
/// holds.
pub(crate) fn nul_problem(place: String, more: usize) -> Problem {
    let others = match more {
        0 => String::new(),
        1 => " (and 1 more in the file)".to_string(),
        n => format!(" (and {n} more in the file)"),
    };
    Problem::new(
        place,
        format!("a NUL byte (U+0000){others}: text files hold no NUL bytes"),
    )
    .hint("the file may be damaged, or padded by the program that wrote it; remove the NUL bytes, e.g. tr -d '\\000' < FILE > FILE.clean")
}

/// A problem when the lines of `bytes` end in CR only (classic Mac OS): CR and no LF in the
/// file, or a CR inside the first line (followed by neither LF nor another CR: `\r\r\n` is
/// a CRLF line end written twice over, which the readers take).
pub(crate) fn cr_only_problem(bytes: &[u8]) -> Option<Problem> {
    let cr_only = match memchr::memchr(b'\n', bytes) {
        None => memchr::memchr(b'\r', bytes).is_some(),
        Some(i) => bytes[..i]
            .windows(2)
            .any(|w| w[0] == b'\r' && w[1] != b'\r'),
    };
    if !cr_only {
        return None;
    }
    Some(
        Problem::new(
            "line 1",
            "the lines end with CR only (classic Mac OS line endings), so the file reads as one line",
        )
        .hint("convert the line endings to LF or CRLF, e.g. tr '\\r' '\\n' < FILE > FILE.unix, or save the file again as CSV UTF-8"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(text: &str, f: fn(u16) -> [u8; 2]) -> Vec<u8> {
        text.encode_utf16().flat_map(f).collect()
    }

    #[test]
    fn encodings() {
        let text = "exporter,importer,value\nCAN,USA,1\n";
        let name = |b: &[u8]| encoding_problem(b).map(|p| p.to_string());
        let le = enc(text, u16::to_le_bytes);
        let be = enc(text, u16::to_be_bytes);
        assert!(name(&le)
            .unwrap()
            .contains("UTF-16 (little-endian) text (NUL bytes pad"));
        assert!(name(&be).unwrap().contains("UTF-16 (big-endian)"));
        let bom: Vec<u8> = [0xFF, 0xFE].iter().chain(&le).copied().collect();
        assert!(name(&bom).unwrap().contains("byte-order mark"));
        let u32le: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let u32be: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert!(name(&u32le).unwrap().contains("UTF-32 (little-endian)"));
        assert!(name(&u32be).unwrap().contains("UTF-32 (big-endian)"));
        // UTF-8, with or without a stray NUL, is not UTF-16.
        assert!(name(text.as_bytes()).is_none());
        assert!(name(b"exporter,importer,value\nCA\0N,USA,1\n").is_none());
        assert!(name(b"").is_none() && name(b"a").is_none());
        // Non-ASCII UTF-16 (a CJK name) still has its ASCII separators padded.
        let cjk = enc("exporter,importer,value\n中国,日本,1\n", u16::to_le_bytes);
        assert!(name(&cjk).is_some());
    }

    #[test]
    fn places() {
        let b = b"ab\ncd\nef";
        assert_eq!(line_col(b, 0), (1, 1));
        assert_eq!(line_col(b, 4), (2, 2));
        assert_eq!(line_col(b, 6), (3, 1));
    }

    #[test]
    fn line_endings() {
        assert!(cr_only_problem(b"a,b\rc,d\r").is_some());
        assert!(cr_only_problem(b"a,b\rc,d").is_some());
        assert!(cr_only_problem(b"a,b\r\nc,d\r\n").is_none());
        assert!(cr_only_problem(b"a,b\nc,d\n").is_none());
        assert!(cr_only_problem(b"a,b").is_none());
        // The whole file one line ending in CR: CR only.
        assert!(cr_only_problem(b"a,b\r").is_some());
        // CR lines with a last LF; a doubled CR before LF is a (Windows) line end.
        assert!(cr_only_problem(b"a,b\rc,d\n").is_some());
        assert!(cr_only_problem(b"a,b\r\r\nc,d\r\r\n").is_none());
    }
}
