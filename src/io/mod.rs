//! Reading and writing graphs. Readers are pure translators from bytes to a validated
//! [`TradeGraph`]; writers return bytes and leave the destination to the caller.
//!
//! [`load`] recognises a file by its content (gzip, native JSON, NetworkX node-link JSON,
//! CSV edge list) or, for a folder, as an input-output CSV set; `-` reads standard input.

mod atomic;
pub mod csv;
pub mod dot;
mod fields;
pub mod graphml;
pub mod iocsv;
pub mod json;
pub mod nodelink;
mod text;

pub use self::csv::{Columns, CsvOptions};

use crate::error::{Error, Problem, Result};
use crate::model::TradeGraph;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// The graph file formats tradenet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Native `tradenet/1` JSON.
    Native,
    /// NetworkX node-link JSON.
    NodeLink,
    /// CSV edge list.
    Csv,
    /// Input-output CSV set (a folder).
    IoSet,
}

/// The formats tradenet writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Native JSON.
    Native,
    /// NetworkX node-link JSON.
    NodeLink,
    /// CSV edge list.
    Csv,
    /// GraphML (Gephi, yEd, Cytoscape).
    GraphMl,
    /// GEXF 1.3 (Gephi).
    Gexf,
}

/// How to read a graph.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Column names for CSV edge lists.
    pub columns: Columns,
    /// Keep only this year (CSV: rows of other years are skipped; JSON: the year view).
    pub year: Option<u16>,
    /// Edge attribute holding the value in node-link files (default `value`, then `weight`).
    pub weight_attr: Option<String>,
    /// Force a format instead of recognising it.
    pub format: Option<InputFormat>,
    /// Show a progress bar on stderr for large files (only when stderr is a terminal).
    pub progress: bool,
}

/// Read a whole file, decompressing gzip.
pub(crate) fn read_file_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        gunzip(&raw)
    } else {
        Ok(raw)
    }
}

/// Decompress gzip, stopping with an error past [`input_limit`] bytes (a small file can
/// unpack to more than the machine holds).
fn gunzip(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let limit = input_limit();
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(limit as usize));
    flate2::read::MultiGzDecoder::new(raw)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            too_big_text(limit),
        ));
    }
    Ok(out)
}

/// Peak memory per byte of input, as measured on the largest benchmark file (a 318 MB CSV
/// of 10 M flows peaks at 1.06 GB, the mapped file included), rounded up.
const PEAK_PER_INPUT_BYTE: u64 = 4;

/// The memory tradenet may plan to use: `TRADENET_MEMORY_LIMIT` (bytes, or with a K, M or G
/// suffix) when set, else the memory available now (`MemAvailable`, capped by the cgroup
/// limit) on Linux; unbounded elsewhere.
pub fn memory_budget() -> Option<u64> {
    if let Ok(v) = std::env::var("TRADENET_MEMORY_LIMIT") {
        let v = v.trim();
        let (num, mult) = match v.char_indices().last() {
            Some((i, 'K' | 'k')) => (&v[..i], 1u64 << 10),
            Some((i, 'M' | 'm')) => (&v[..i], 1 << 20),
            Some((i, 'G' | 'g')) => (&v[..i], 1 << 30),
            _ => (v, 1),
        };
        if let Ok(n) = num.trim().parse::<u64>() {
            return Some(n.saturating_mul(mult));
        }
    }
    #[cfg(target_os = "linux")]
    {
        let avail = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|r| r.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .map(|kb| kb * 1024)
        });
        let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok());
        match (avail, cgroup) {
            (Some(a), Some(c)) => Some(a.min(c)),
            (a, c) => a.or(c),
        }
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// The largest input (after decompression) that fits in [`memory_budget`].
pub fn input_limit() -> u64 {
    memory_budget().map_or(u64::MAX, |b| b / PEAK_PER_INPUT_BYTE)
}

fn too_big_text(limit: u64) -> String {
    too_big_text_at(limit, PEAK_PER_INPUT_BYTE)
}

fn too_big_text_at(limit: u64, per_byte: u64) -> String {
    format!(
        "the input (unpacked) is larger than {}, the most that fits in the memory available ({}, at about {per_byte} bytes per input byte)",
        fmt_bytes(limit),
        fmt_bytes(limit.saturating_mul(per_byte))
    )
}

/// Peak memory per input byte when reading node-link JSON whose edges come before its
/// nodes or graph attributes: then the document is held whole while it is read (measured:
/// 3.42 GB for the 221 MB node-link file of `icio`). In NetworkX's key order the edges are
/// streamed (0.44 GB for the same file) and the general limit applies.
const NODELINK_PEAK_PER_INPUT_BYTE: u64 = 16;

/// A node-link input too large for the memory available, or `None`.
fn nodelink_too_big(name: &str, body: &[u8]) -> Option<Error> {
    if nodelink::streams_edges(body) {
        return None;
    }
    let limit = memory_budget()? / NODELINK_PEAK_PER_INPUT_BYTE;
    (body.len() as u64 > limit).then(|| {
        Error::invalid(
            name,
            Problem::new("", too_big_text_at(limit, NODELINK_PEAK_PER_INPUT_BYTE)).hint(
                "node-link JSON is read as a whole document; write the graph as a CSV edge list instead (in Python: nx.to_pandas_edgelist(G).to_csv(...)), or set TRADENET_MEMORY_LIMIT (for example 64G) if you know it fits",
            ),
        )
    })
}

/// `2.5 GB`, `310.2 MB`, `12 KB`, `512 bytes`.
fn fmt_bytes(b: u64) -> String {
    let f = b as f64;
    if b >= 1 << 30 {
        format!("{:.1} GB", f / (1u64 << 30) as f64)
    } else if b >= 1 << 20 {
        format!("{:.1} MB", f / (1u64 << 20) as f64)
    } else if b >= 1 << 10 {
        format!("{} KB", b >> 10)
    } else {
        format!("{b} bytes")
    }
}

fn too_big(name: &str, limit: u64) -> Error {
    Error::invalid(
        name,
        Problem::new("", too_big_text(limit)).hint(
            "filter it first (one year or sector), free memory, or set TRADENET_MEMORY_LIMIT (for example 64G) if you know it fits",
        ),
    )
}

/// Load the graph at `path` (`-` for standard input; a folder for an input-output CSV set).
pub fn load(path: &str, opts: &LoadOptions) -> Result<TradeGraph> {
    let read_err = |e: std::io::Error| Error::Io {
        file: path.to_string(),
        action: "cannot read",
        error: e,
    };
    let p = Path::new(path);
    if path != "-" && p.is_dir() {
        if opts.format.is_some_and(|f| f != InputFormat::IoSet) {
            return Err(Error::invalid(
                path,
                Problem::new("", "is a folder, not a graph file"),
            ));
        }
        let g = iocsv::read(p)?;
        return apply_year(g, opts, path);
    }
    let limit = input_limit();
    if path == "-" {
        let mut v = Vec::new();
        std::io::stdin()
            .take(limit.saturating_add(1))
            .read_to_end(&mut v)
            .map_err(read_err)?;
        if v.len() as u64 > limit {
            return Err(too_big("<stdin>", limit));
        }
        return load_bytes("<stdin>", v, opts);
    }
    let file = std::fs::File::open(p).map_err(read_err)?;
    let len = file.metadata().map_err(read_err)?.len();
    if len == 0 {
        return load_bytes(path, Vec::new(), opts);
    }
    if len > limit {
        return Err(too_big(path, limit));
    }
    // SAFETY: the map is read-only and lives only while this function reads it. A file
    // truncated by another process while it is read could fault; tradenet's inputs are
    // files at rest.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(read_err)?;
    load_slice(path, &map, opts)
}

/// Load a graph from the bytes of a file called `name` (used in messages).
pub fn load_bytes(name: &str, raw: Vec<u8>, opts: &LoadOptions) -> Result<TradeGraph> {
    load_slice(name, &raw, opts)
}

fn load_slice(name: &str, raw: &[u8], opts: &LoadOptions) -> Result<TradeGraph> {
    let was_gz = raw.starts_with(&[0x1f, 0x8b]);
    let unzipped;
    let bytes: &[u8] = if was_gz {
        unzipped = gunzip(raw).map_err(|e| {
            if e.kind() == std::io::ErrorKind::FileTooLarge {
                return too_big(name, input_limit());
            }
            Error::invalid(
                name,
                Problem::new("", format!("not a valid gzip file: {e}"))
                    .hint("the file may be truncated"),
            )
        })?;
        &unzipped
    } else {
        raw
    };
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let format = match opts.format {
        Some(f) => f,
        None => detect(body, was_gz).map_err(|p| Error::invalid(name, p))?,
    };
    if format == InputFormat::NodeLink {
        if let Some(e) = nodelink_too_big(name, body) {
            return Err(e);
        }
    }
    let pb = progress_bar(
        opts.progress && body.len() > 32 << 20,
        body.len() as u64,
        name,
    );
    let g = match format {
        InputFormat::Native => json::read(body),
        InputFormat::NodeLink => nodelink::read(body, opts.weight_attr.as_deref()),
        InputFormat::Csv => {
            let copts = CsvOptions {
                columns: opts.columns.clone(),
                year: opts.year,
            };
            csv::read(body, &copts, pb.as_ref())
        }
        InputFormat::IoSet => Err(Error::invalid(
            name,
            Problem::new("", "an input-output CSV set is a folder, not one file"),
        )),
    }
    .map_err(|e| e.in_file(name))?;
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    if format == InputFormat::Csv {
        Ok(g)
    } else {
        apply_year(g, opts, name)
    }
}

fn apply_year(g: TradeGraph, opts: &LoadOptions, name: &str) -> Result<TradeGraph> {
    match opts.year {
        Some(y) => g
            .year(y)
            .map_err(|e| Error::invalid(name, Problem::new("", e.to_string()))),
        None => Ok(g),
    }
}

fn progress_bar(show: bool, len: u64, name: &str) -> Option<indicatif::ProgressBar> {
    if !show || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(len);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    pb.set_message(format!("reading {name}"));
    Some(pb)
}

/// Recognise a format from the first bytes of a file (decompressed, BOM removed).
pub fn detect(bytes: &[u8], was_gz: bool) -> std::result::Result<InputFormat, Problem> {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(Problem::new(
            "",
            if bytes.is_empty() {
                "the file is empty (0 bytes)"
            } else {
                "the file holds only white space"
            },
        )
        .hint("give a graph file: tradenet JSON, NetworkX node-link JSON or a CSV edge list"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(Problem::new(
            "",
            "this is a ZIP archive (an .xlsx workbook?), not a graph file",
        )
        .hint("export the sheet as CSV, or unzip the archive"));
    }
    if let Some(p) = text::encoding_problem(bytes) {
        return Err(p);
    }
    let head = &bytes[..bytes.len().min(1 << 16)];
    // Binary: many NUL bytes (more than 8, and more than 1 in 20), or mostly bytes that are not
    // UTF-8. Text in another encoding (Latin-1) and a few NUL bytes in text are left to the
    // reader, which names the line.
    let lossy = String::from_utf8_lossy(head);
    let bad = lossy
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    let nuls = memchr::memchr_iter(0, head).count();
    if (nuls > 8 && nuls * 20 > head.len()) || bad * 10 > lossy.chars().count() {
        let nul = head.iter().position(|&b| b == 0).unwrap_or(head.len());
        let invalid = std::str::from_utf8(head)
            .err()
            .map_or(head.len(), |e| e.valid_up_to());
        let at = nul.min(invalid);
        return Err(Problem::new(format!("byte {at}"), "not a text file: the bytes are not UTF-8 text").hint(if was_gz {
            "the file decompressed, but what it holds is not JSON or CSV"
        } else {
            "tradenet reads tradenet JSON, NetworkX node-link JSON, CSV edge lists (.csv or .csv.gz) and input-output CSV folders"
        }));
    }
    match trimmed[0] {
        b'{' => {
            // "format" or "flows" makes a native file whatever else is there: no need to
            // read on (a native file starts with "format").
            let keys = top_level_keys(
                trimmed,
                &["format", "edges", "links", "directed", "flows"],
                &["format", "flows"],
            );
            if keys.contains(&"format") || keys.contains(&"flows") {
                Ok(InputFormat::Native)
            } else if keys.iter().any(|k| matches!(*k, "edges" | "links" | "directed")) {
                Ok(InputFormat::NodeLink)
            } else {
                Ok(InputFormat::Native)
            }
        }
        b'[' => Err(Problem::new("line 1", "the JSON document is an array, not a graph object")
            .hint("a tradenet graph is an object {\"format\": \"tradenet/1\", \"nodes\": [...], \"flows\": [...]}")),
        _ => Ok(InputFormat::Csv),
    }
}

/// The top-level keys of a JSON object among `wanted`, found by a quick scan that skips
/// nested values and stops when all are found, or one of `decisive` is.
fn top_level_keys<'a>(bytes: &[u8], wanted: &[&'a str], decisive: &[&str]) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 {
                    let key = &bytes[start..i.min(bytes.len())];
                    let mut j = i + 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if j < bytes.len() && bytes[j] == b':' {
                        if let Some(w) = wanted.iter().find(|w| w.as_bytes() == key) {
                            if !found.contains(w) {
                                found.push(*w);
                                if found.len() == wanted.len() || decisive.contains(w) {
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Write `g` in `format`.
pub fn write(g: &TradeGraph, format: OutputFormat) -> Vec<u8> {
    match format {
        OutputFormat::Native => json::write(g),
        OutputFormat::NodeLink => nodelink::write(g),
        OutputFormat::Csv => csv::write(g),
        OutputFormat::GraphMl => graphml::write_graphml(g),
        OutputFormat::Gexf => graphml::write_gexf(g),
    }
}

/// A number as text for every writer (JSON, CSV, GraphML, ids): whole numbers below 2^53
/// without a fraction (`2420000000`), others in the shortest form that reads back to the same
/// value (`0.1`, `1e300`).
pub fn fmt_value(v: f64) -> String {
    let mut out = Vec::with_capacity(24);
    push_value(&mut out, v);
    String::from_utf8(out).expect("digits are ASCII")
}

/// [`fmt_value`] appended to a buffer, without an allocation per number (writers of millions
/// of values use this). A number that is not finite is written `null`, as JSON has it.
pub fn push_value(out: &mut Vec<u8>, v: f64) {
    if v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
        out.extend_from_slice(itoa::Buffer::new().format(v as i64).as_bytes());
    } else if v.is_finite() {
        // The shortest form that reads back to the same value (ryu, as serde_json prints it).
        out.extend_from_slice(ryu::Buffer::new().format_finite(v).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

pub use atomic::write_atomic;

/// Parse JSON into a value, refusing an object that gives the same key twice (scenario files
/// and every JSON input follow the same rule).
pub fn strict_json(bytes: &[u8]) -> std::result::Result<serde_json::Value, serde_json::Error> {
    fields::strict_value(bytes)
}

/// Whether a JSON error from [`strict_json`] reports a key given twice.
pub fn is_duplicate_key(e: &serde_json::Error) -> bool {
    fields::is_duplicate(e)
}
