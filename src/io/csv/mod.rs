//! CSV edge lists (FORMAT.md §2): `exporter,importer,sector,value[,year]` by default, column
//! names configurable (BACI's `i,j,k,v,t` and common aliases are recognised), `,` `;` tab or
//! `|` separated. Rows with an empty or zero value are skipped and counted; a negative or
//! non-numeric value is a problem naming the line.

mod sharded;

use crate::error::{Problem, Result};
use crate::model::builder::id_problem;
use crate::model::{Flow, Link};
use crate::model::{GraphBuilder, Meta, Place, SectorId, TradeGraph};
use crate::text::{clip, clip_list};

/// Column names of an edge list. `None` means: the default name, then its usual aliases.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Exporter (supplier) column; default `exporter`, aliases `from`, `source`, `i`, `origin`.
    pub from: Option<String>,
    /// Importer (buyer) column; default `importer`, aliases `to`, `target`, `j`, `destination`.
    pub to: Option<String>,
    /// Sector column (optional in the file); default `sector`, aliases `k`, `product`, `industry`, `hs`.
    pub sector: Option<String>,
    /// Value column; default `value`, aliases `v`, `weight`, `trade_value`.
    pub value: Option<String>,
    /// Year column (optional in the file); default `year`, aliases `t`, `period`.
    pub year: Option<String>,
}

const FROM: &[&str] = &["exporter", "from", "source", "i", "origin", "supplier"];
const TO: &[&str] = &["importer", "to", "target", "j", "destination", "buyer"];
const SECTOR: &[&str] = &["sector", "k", "product", "industry", "hs", "commodity"];
const VALUE: &[&str] = &["value", "v", "weight", "trade_value"];
const YEAR: &[&str] = &["year", "t", "period"];

/// Options for reading an edge list.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// Column names.
    pub columns: Columns,
    /// Keep only the rows of this year (needs a year column).
    pub year: Option<u16>,
    /// Values are read times 10^`value_exp10` (3: thousands to units), by moving the decimal
    /// point of the text, so that `0.161` thousand reads as exactly 161. Default 0.
    pub value_exp10: i32,
}

/// The problem of a record the `csv` crate cannot read, placed at its line.
pub(crate) fn unreadable_record(e: &::csv::Error) -> Problem {
    let line = e.position().map_or(0, |p| p.line());
    Problem::new(format!("line {line}"), format!("unreadable CSV: {e}"))
}

/// Guess the separator from the header line: the most frequent of `,` `;` tab `|`.
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut best = (0usize, b',');
    for d in [b',', b';', b'\t', b'|'] {
        let c = header.iter().filter(|&&b| b == d).count();
        if c > best.0 {
            best = (c, d);
        }
    }
    best.1
}

fn find_col(
    header: &[String],
    given: &Option<String>,
    names: &[&str],
    what: &str,
    flag: &str,
) -> Result<Option<usize>, Problem> {
    let pos = |n: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    match given {
        Some(n) => pos(n).map(Some).ok_or_else(|| {
            Problem::new(
                "line 1",
                format!(
                    "no column '{}' for the {what} (columns: {})",
                    clip(n),
                    clip_list(header.iter().map(String::as_str), 20)
                ),
            )
            .hint(format!("check {flag}"))
        }),
        None => Ok(names.iter().find_map(|n| pos(n))),
    }
}

/// The resolved columns of a file.
#[derive(Debug, Clone, Copy)]
struct Cols {
    from: usize,
    to: usize,
    value: usize,
    sector: Option<usize>,
    year: Option<usize>,
    /// Fields a row needs.
    need: usize,
    /// Decimal exponent applied to values.
    exp10: i32,
}

fn resolve(header: &[String], opts: &CsvOptions) -> Result<Cols, Problem> {
    // Two columns of one name: which one a reader takes differs from tool to tool.
    for (j, name) in header.iter().enumerate() {
        if let Some(i) = header[..j].iter().position(|h| h == name) {
            return Err(Problem::new(
                "line 1",
                format!(
                    "two columns are named '{}' (columns {} and {})",
                    clip(name),
                    i + 1,
                    j + 1
                ),
            )
            .hint("give each column its own name in the header"));
        }
    }
    let cols = &opts.columns;
    let from = find_col(header, &cols.from, FROM, "exporter", "--from-col")?;
    let to = find_col(header, &cols.to, TO, "importer", "--to-col")?;
    let value = find_col(header, &cols.value, VALUE, "value", "--value-col")?;
    let sector = find_col(header, &cols.sector, SECTOR, "sector", "--sector-col")?;
    let year = find_col(header, &cols.year, YEAR, "year", "--year-col")?;
    let (Some(from), Some(to), Some(value)) = (from, to, value) else {
        let missing: Vec<&str> = [
            (from, "exporter (--from-col)"),
            (to, "importer (--to-col)"),
            (value, "value (--value-col)"),
        ]
        .iter()
        .filter(|(c, _)| c.is_none())
        .map(|(_, n)| *n)
        .collect();
        return Err(Problem::new("line 1", format!("no column for the {} (columns: {})", missing.join(", "), clip_list(header.iter().map(String::as_str), 20)))
            .hint("name the columns with --from-col, --to-col, --value-col (defaults: exporter, importer, value)"));
    };
    if opts.year.is_some() && year.is_none() {
        return Err(Problem::new(
            "line 1",
            format!(
                "a year was asked for, but there is no year column (columns: {})",
                clip_list(header.iter().map(String::as_str), 20)
            ),
        )
        .hint("name it with --year-col"));
    }
    let need = [Some(from), Some(to), Some(value), sector, year]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
        + 1;
    Ok(Cols {
        from,
        to,
        value,
        sector,
        year,
        need,
        exp10: opts.value_exp10,
    })
}

/// What one data row is.
enum Row<'a> {
    Flow {
        from: &'a str,
        to: &'a str,
        sector: Option<&'a str>,
        value: f64,
        year: Option<u16>,
    },
    /// Empty or zero value.
    Skip,
    /// A year other than the one asked for.
    OtherYear(u16),
    /// A blank line.
    Blank,
    Bad(Problem),
}

/// Classify one row given its fields. Shared by the parallel and the quoted-CSV readers.
fn row<'a>(
    fields: &[&'a [u8]],
    line: u64,
    c: &Cols,
    header: &[String],
    want_year: Option<u16>,
    utf8: bool,
) -> Row<'a> {
    if fields.len() == 1 && fields[0].is_empty() {
        return Row::Blank;
    }
    if fields.len() > header.len() {
        return Row::Bad(
            Problem::new(
                format!("line {line}"),
                format!(
                    "{} fields, but the header has {}",
                    fields.len(),
                    header.len()
                ),
            )
            .hint("a decimal comma (1,5) splits a number in two: write 1.5, quote the field (\"1,5\"), or use ; as the separator"),
        );
    }
    if fields.len() < c.need {
        return Row::Bad(
            Problem::new(
                format!("line {line}"),
                format!("expected {} fields, found {}", header.len(), fields.len()),
            )
            .hint("each row needs a field for every column of the header; a row may be cut short, or use another separator"),
        );
    }
    let place = Place::Line(line);
    let year = match c.year {
        Some(cy) => {
            let t = trim(fields[cy]);
            match std::str::from_utf8(t)
                .ok()
                .and_then(|s| s.parse::<u16>().ok())
                .filter(|y| (1..=9999).contains(y))
            {
                Some(y) if want_year.is_some_and(|w| w != y) => return Row::OtherYear(y),
                Some(y) => Some(y),
                None if t.is_empty() => None,
                None => {
                    return Row::Bad(Problem::new(
                        place.at(&header[cy]),
                        format!(
                            "year must be a whole number from 1 to 9999, found '{}'",
                            lossy(t)
                        ),
                    ))
                }
            }
        }
        None => None,
    };
    let raw = trim(fields[c.value]);
    if raw.is_empty() {
        return Row::Skip;
    }
    let parsed = if c.exp10 == 0 {
        fast_float2::parse::<f64, _>(raw)
    } else {
        parse_scaled(raw, c.exp10)
    };
    let value = match parsed {
        Ok(0.0) => return Row::Skip,
        Ok(v) if v.is_finite() && v > 0.0 => v,
        Ok(v) if v.is_nan() || v.is_infinite() => {
            return Row::Bad(
                Problem::new(place.at(&header[c.value]), format!("flow value must be finite, found '{}'", lossy(raw)))
                    .hint("remove the row or give its real value"),
            )
        }
        Ok(_) => {
            return Row::Bad(
                Problem::new(place.at(&header[c.value]), format!("flow value must be >= 0, found '{}'", lossy(raw)))
                    .hint("flows are gross values; net or negative entries do not belong in an edge list"),
            )
        }
        Err(_) => {
            return Row::Bad(
                Problem::new(place.at(&header[c.value]), format!("not a number: '{}'", lossy(raw)))
                    .hint("values must be plain numbers such as 1234.5 or 1.2e9, without thousands separators or units"),
            )
        }
    };
    let text = |i: usize| -> Result<&'a str, Problem> {
        let t = trim(fields[i]);
        if utf8 {
            // SAFETY: the caller checked that the whole chunk is UTF-8; splitting at an ASCII
            // separator and trimming ASCII white space keep character boundaries.
            debug_assert!(
                std::str::from_utf8(t).is_ok(),
                "field split inside a character"
            );
            return Ok(unsafe { std::str::from_utf8_unchecked(t) });
        }
        std::str::from_utf8(t).map_err(|_| {
            Problem::new(place.at(&header[i]), "not UTF-8 text")
                .hint("save the file as UTF-8, for example with iconv -f WINDOWS-1252 -t UTF-8")
        })
    };
    let from = match text(c.from) {
        Ok(s) => s,
        Err(p) => return Row::Bad(p),
    };
    let to = match text(c.to) {
        Ok(s) => s,
        Err(p) => return Row::Bad(p),
    };
    for (id, col) in [(from, c.from), (to, c.to)] {
        if id.is_empty() {
            return Row::Bad(Problem::new(place.at(&header[col]), "empty node id"));
        }
    }
    let sector = match c.sector.map(text) {
        Some(Ok("")) | None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(p)) => return Row::Bad(p),
    };
    Row::Flow {
        from,
        to,
        sector,
        value,
        year,
    }
}

/// How the data rows of a file are laid out, and what to keep: shared by both readers.
struct Layout<'h> {
    delim: u8,
    cols: Cols,
    header: &'h [String],
    want_year: Option<u16>,
    /// Told the bytes read since it was last called.
    progress: Option<&'h (dyn Fn(u64) + Sync)>,
    /// Bytes of the input held while it is read.
    input: u64,
}

/// Counts kept while reading.
#[derive(Default)]
struct Counts {
    rows: u64,
    skipped: u64,
    other_years: u64,
    /// The years of the rows left out by a year filter.
    years_seen: Vec<u16>,
    /// Problems found but not kept (beyond the cap).
    uncounted: usize,
}

impl Counts {
    /// Add the counts of another part of the file.
    fn add(&mut self, o: Counts) {
        self.rows += o.rows;
        self.skipped += o.skipped;
        self.other_years += o.other_years;
        self.uncounted += o.uncounted;
        for y in o.years_seen {
            if !self.years_seen.contains(&y) {
                self.years_seen.push(y);
            }
        }
    }

    /// Count a row that is not a flow; a bad row's problem is kept (up to the cap).
    fn tally(&mut self, r: Row, problems: &mut Vec<Problem>) {
        match r {
            Row::Flow { .. } => {}
            Row::Skip => self.skipped += 1,
            Row::OtherYear(y) => self.other_year(y),
            Row::Blank => self.rows -= 1,
            Row::Bad(p) => {
                if problems.len() < crate::error::MAX_PROBLEMS {
                    problems.push(p);
                } else {
                    self.uncounted += 1;
                }
            }
        }
    }

    fn other_year(&mut self, y: u16) {
        self.other_years += 1;
        if !self.years_seen.contains(&y) {
            self.years_seen.push(y);
        }
    }
}

/// Read an edge list from bytes (already decompressed, BOM removed).
pub fn read(
    bytes: &[u8],
    opts: &CsvOptions,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<TradeGraph> {
    read_from(Input::Borrowed(bytes), opts, progress)
}

/// [`read`] from `buf[start..]` (`start`: the length of a byte-order mark), taking the buffer:
/// it is freed once the flows are read, before the graph is assembled, so that the file and
/// the graph are not held at once.
pub(crate) fn read_owned(
    buf: Vec<u8>,
    start: usize,
    opts: &CsvOptions,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<TradeGraph> {
    read_from(Input::Owned(buf, start), opts, progress)
}

/// The bytes of an edge list, lent or given.
enum Input<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>, usize),
}

impl Input<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Input::Borrowed(b) => b,
            Input::Owned(v, start) => &v[*start..],
        }
    }
}

fn read_from(
    input: Input<'_>,
    opts: &CsvOptions,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<TradeGraph> {
    let bytes = input.bytes();
    let invalid = |p: Problem| crate::Error::invalid("<input>", p);
    if let Some(p) = super::text::encoding_problem(bytes) {
        return Err(invalid(p));
    }
    if let Some(p) = super::text::cr_only_problem(bytes) {
        return Err(invalid(p));
    }
    let header_end = memchr::memchr(b'\n', bytes)
        .map(|i| i + 1)
        .unwrap_or(bytes.len());
    let header_line = &bytes[..header_end];
    let delim = sniff_delimiter(header_line);
    let header: Vec<String> = {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .from_reader(header_line);
        let mut rec = csv::StringRecord::new();
        match r.read_record(&mut rec) {
            Ok(true) => rec.iter().map(|f| f.trim().to_string()).collect(),
            _ => {
                return Err(invalid(
                    Problem::new("line 1", "unreadable header row")
                        .hint("the first line must name the columns"),
                ))
            }
        }
    };
    // One scan of the whole file (memchr: a small fraction of the parse) for NUL bytes, which
    // no field may hold: named with the line and the column, not as a bad id or number.
    if let Some(at) = find_byte(0, bytes) {
        return Err(invalid(nul_in_field(bytes, at, delim, &header)));
    }
    let cols = resolve(&header, opts).map_err(invalid)?;
    let body = &bytes[header_end..];

    let mut b = GraphBuilder::new();
    b.set_input_bytes(bytes.len() as u64);
    b.set_auto_nodes(true);
    b.set_field_names(&header[cols.from], &header[cols.to], &header[cols.value]);
    let mut counts = Counts::default();
    let layout = Layout {
        delim,
        cols,
        header: &header,
        want_year: opts.year,
        progress,
        input: bytes.len() as u64,
    };
    if find_byte(b'"', body).is_none() {
        read_parallel(body, &layout, &mut b, &mut counts)?;
    } else {
        read_quoted(body, &layout, &mut b, &mut counts);
    }
    // Every id and sector is copied into the builder: the input is no longer needed.
    let t = std::time::Instant::now();
    drop(input);
    crate::timings::record("free file", t);

    b.add_skipped(counts.skipped);
    b.add_uncounted_problems(counts.uncounted);
    if let Some(y) = opts.year {
        if counts.rows > 0 && counts.rows == counts.other_years {
            let mut seen = counts.years_seen.clone();
            seen.sort_unstable();
            let list: Vec<String> = seen.iter().map(|y| y.to_string()).collect();
            b.problem(
                Problem::new(
                    "",
                    format!("no rows of year {y} (the file has {})", list.join(", ")),
                )
                .hint("choose one of those years with --year"),
            );
        }
    }
    let mut meta = Meta::default();
    let mut notes = Vec::new();
    if counts.skipped > 0 {
        notes.push(format!(
            "{} rows with an empty or zero value skipped",
            counts.skipped
        ));
    }
    if let Some(y) = opts.year {
        meta.year = Some(y as i64);
        notes.push(format!(
            "year {y} only ({} rows of other years left out)",
            counts.other_years
        ));
    }
    if !notes.is_empty() {
        meta.notes = Some(notes.join("; "));
    }
    b.set_meta(meta);
    if counts.rows == 0 {
        b.problem(Problem::new("", "no data rows after the header"));
    }
    b.build("<input>")
}

/// The first `byte` in `bytes`, searched in pieces on all cores when there are many.
fn find_byte(byte: u8, bytes: &[u8]) -> Option<usize> {
    use rayon::prelude::*;
    const PIECE: usize = 4 << 20;
    if bytes.len() < 2 * PIECE {
        return memchr::memchr(byte, bytes);
    }
    bytes
        .par_chunks(PIECE)
        .enumerate()
        .find_map_first(|(k, c)| memchr::memchr(byte, c).map(|i| k * PIECE + i))
}

/// The problem of the first NUL byte of a file, at `at`: its line and column (counted by the
/// separators before it on its line, outside quotes).
fn nul_in_field(bytes: &[u8], at: usize, delim: u8, header: &[String]) -> Problem {
    let (line, _) = super::text::line_col(bytes, at);
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let mut field = 0;
    let mut quoted = false;
    for &b in &bytes[start..at] {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delim && !quoted {
            field += 1;
        }
    }
    let place = match header.get(field) {
        Some(name) if line > 1 => Place::Line(line as u64).at(name),
        _ => format!("line {line} (column {})", field + 1),
    };
    let more = memchr::memchr_iter(0, &bytes[at + 1..]).count();
    super::text::nul_problem(place, more)
}

/// One chunk of a file, parsed on its own: ids and sectors local to the chunk.
#[derive(Default)]
struct Chunk<'a> {
    ids: Vec<&'a str>,
    index: crate::model::IdIndex,
    sectors: Vec<&'a str>,
    edges: Vec<Link>,
    problems: Vec<Problem>,
    self_loops: (usize, Vec<String>),
    counts: Counts,
    /// The chunk's ids against the memory budget (its share of the whole).
    watch: crate::model::mem::Watch,
}

impl<'a> Chunk<'a> {
    /// The chunk-local index of id `s`, first seen at `line` in column `col`.
    fn id(&mut self, index: &mut crate::model::IdIndex, s: &'a str, line: u64, col: &str) -> u32 {
        let next = self.ids.len() as u32;
        let (i, new) = index.get_or_insert(s, next);
        if new {
            self.ids.push(s);
            self.watch.add(0, 1);
            if let Some(p) = id_problem(s, "node id", Place::Line(line).at(col)) {
                self.problems.push(p);
            }
        }
        i
    }
}

/// Files without quotes: split at line ends into one chunk per thread, parse and intern each
/// chunk on its own, then merge the chunks in file order (which gives the node order of a
/// sequential read).
fn read_parallel(body: &[u8], l: &Layout, b: &mut GraphBuilder, counts: &mut Counts) -> Result<()> {
    use rayon::prelude::*;
    let threads = if body.len() < 1 << 20 {
        1
    } else {
        rayon::current_num_threads().max(1)
    };
    let mut bounds = vec![0usize];
    for k in 1..threads {
        let at = (body.len() * k / threads).max(*bounds.last().expect("non-empty"));
        let end = memchr::memchr(b'\n', &body[at..])
            .map(|i| at + i + 1)
            .unwrap_or(body.len());
        bounds.push(end);
    }
    bounds.push(body.len());
    let mut line = 2u64; // line 1 is the header
    let ends: Vec<u64> = bounds
        .par_windows(2)
        .map(|w| memchr::memchr_iter(b'\n', &body[w[0]..w[1]]).count() as u64)
        .collect();
    let pieces: Vec<sharded::Piece> = {
        let mut v = Vec::with_capacity(threads);
        for (w, &ends) in bounds.windows(2).zip(&ends) {
            let bytes = &body[w[0]..w[1]];
            v.push(sharded::Piece {
                bytes,
                first_line: line,
                lines: ends + 1,
            });
            line += ends;
        }
        v
    };
    // Every row may be a flow: their room is known before parsing, and checked.
    let rows = line - 2 + 1;
    let base = crate::budget::graph_bytes(l.input, rows, 0);
    crate::budget::check(base, || {
        format!(
            "the graph ({} rows, at about {} bytes a flow, with the input held)",
            crate::budget::fmt_count(rows),
            crate::budget::PER_FLOW
        )
    })?;
    if !sharded::off() && sharded::read(&pieces, l, b, counts)? {
        return Ok(());
    }
    let n_pieces = pieces.len() as u64;
    let t = std::time::Instant::now();
    let mut chunks: Vec<Chunk> = pieces
        .par_iter()
        .map(|p| {
            let mut watch = crate::model::mem::Watch::new(l.input, n_pieces);
            watch.preset_flows(rows / n_pieces);
            parse_chunk(p.bytes, p.first_line, l, watch)
        })
        .collect();
    crate::timings::record("parse", t);
    let t = std::time::Instant::now();
    if let Some(e) = chunks.iter_mut().find_map(|c| c.watch.error.take()) {
        return Err(e);
    }
    // Only the first chunk's index can become the graph's (the others' ids are interned into
    // it): the others are freed now, before the nodes are made.
    for ch in chunks.iter_mut().skip(1) {
        ch.index = crate::model::IdIndex::default();
    }
    for ch in chunks {
        counts.add(ch.counts);
        for p in ch.problems {
            b.problem(p);
        }
        b.add_run(&ch.ids, ch.index, &ch.sectors, ch.edges, ch.self_loops);
    }
    crate::timings::record("merge", t);
    Ok(())
}

/// Rows are split and checked in batches; a batch's ids can be prefetched (told to `ahead` as
/// its rows are split) before the batch is handled (by `each`, in order), so that the cache
/// misses of the lookups overlap.
const BATCH: usize = 64;

/// The places of the separators and line ends of a piece, in order, then the piece's end:
/// found 64 bytes at a time as a bit mask (one compare of the block against each byte, which
/// the compiler makes a few vector instructions), so that a field costs a bit scan rather
/// than a search call.
struct Stops<'a> {
    piece: &'a [u8],
    delim: u8,
    /// Start of the block of `mask`.
    base: usize,
    mask: u64,
    done: bool,
}

impl<'a> Stops<'a> {
    fn new(piece: &'a [u8], delim: u8) -> Self {
        let mut s = Stops {
            piece,
            delim,
            base: 0,
            mask: 0,
            done: false,
        };
        s.mask = s.block(0);
        s
    }

    /// The mask of the block at `at`: bit i set when byte `at + i` is a separator or `\n`.
    #[inline]
    fn block(&self, at: usize) -> u64 {
        let rest = &self.piece[at.min(self.piece.len())..];
        let mut b = [0u8; 64];
        let bytes: &[u8; 64] = match rest.first_chunk::<64>() {
            Some(full) => full,
            None => {
                b[..rest.len()].copy_from_slice(rest);
                &b
            }
        };
        block_mask(bytes, self.delim)
    }
}

/// Bit i set when byte i of `b` is `delim` or a line end: four 16-byte compares on x86-64.
#[cfg(target_arch = "x86_64")]
#[inline]
fn block_mask(b: &[u8; 64], delim: u8) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut m = 0u64;
    // SAFETY: SSE2 is part of every x86-64 CPU; each unaligned load reads 16 bytes inside `b`.
    unsafe {
        let d = _mm_set1_epi8(delim as i8);
        let nl = _mm_set1_epi8(b'\n' as i8);
        for k in 0..4 {
            let x = _mm_loadu_si128(b.as_ptr().add(16 * k) as *const __m128i);
            let hit = _mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, nl));
            m |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
        }
    }
    m
}

/// Bit i set when byte i of `b` is `delim` or a line end.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn block_mask(b: &[u8; 64], delim: u8) -> u64 {
    let mut m = 0u64;
    for (i, &c) in b.iter().enumerate() {
        m |= u64::from((c == delim) | (c == b'\n')) << i;
    }
    m
}

impl Iterator for Stops<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 64;
            if self.base >= self.piece.len() {
                if self.done {
                    return None;
                }
                self.done = true;
                return Some(self.piece.len());
            }
            self.mask = self.block(self.base);
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// Split `piece` (whole lines, the first being `first_line`) into rows and classify them:
/// `ahead` is shown each row as it is split (what it returns is handed to `each` with the
/// row: work done ahead is not done twice), `each` gets them in order, a batch at a time;
/// `each` returning false stops the walk after its batch. Progress is reported in bytes.
fn walk_rows<'a, A>(
    piece: &'a [u8],
    first_line: u64,
    l: &Layout,
    mut ahead: impl FnMut(&Row<'a>) -> A,
    mut each: impl FnMut(u64, Row<'a>, A) -> bool,
) {
    let Layout {
        delim,
        cols: ref c,
        header,
        want_year,
        progress,
        ..
    } = *l;
    // One check of the whole chunk lets every field skip its own UTF-8 check.
    let utf8 = std::str::from_utf8(piece).is_ok();
    let mut batch: Vec<(u64, Row<'a>, A)> = Vec::with_capacity(BATCH);
    let mut fields: Vec<&'a [u8]> = Vec::with_capacity(header.len() + 1);
    let mut line = first_line;
    let mut field_start = 0usize;
    let mut reported = 0usize;
    let mut stops = Stops::new(piece, delim);
    loop {
        let mut done = false;
        while batch.len() < BATCH {
            let Some(at) = stops.next() else {
                done = true;
                break;
            };
            if at < piece.len() && piece[at] == delim {
                fields.push(&piece[field_start..at]);
                field_start = at + 1;
                continue;
            }
            // End of a line (or of the chunk).
            let mut last = &piece[field_start..at];
            if let [rest @ .., b'\r'] = last {
                last = rest;
            }
            fields.push(last);
            field_start = at + 1;
            let r = if at == piece.len() && fields.len() == 1 && fields[0].is_empty() {
                Row::Blank
            } else {
                row(&fields, line, c, header, want_year, utf8)
            };
            fields.clear();
            let a = ahead(&r);
            batch.push((line, r, a));
            line += 1;
        }
        let mut go_on = true;
        for (line, r, a) in batch.drain(..) {
            go_on &= each(line, r, a);
        }
        if let Some(tell) = progress {
            if field_start - reported > 1 << 22 {
                tell((field_start.min(piece.len()) - reported) as u64);
                reported = field_start.min(piece.len());
            }
        }
        if done || !go_on {
            break;
        }
    }
    if let Some(tell) = progress {
        tell((piece.len() - reported) as u64);
    }
}

fn parse_chunk<'a>(
    piece: &'a [u8],
    first_line: u64,
    l: &Layout,
    watch: crate::model::mem::Watch,
) -> Chunk<'a> {
    let (c, header) = (&l.cols, l.header);
    let mut ch = Chunk {
        watch,
        ..Chunk::default()
    };
    let est = memchr::memchr_iter(b'\n', piece).count() + 1;
    ch.edges = Vec::with_capacity(est);
    // Start small and grow: a table sized for the worst case would spread a few hundred ids
    // over megabytes and miss the cache on every lookup.
    ch.index.reserve(1024);
    let mut sector_index = crate::model::IdIndex::default();
    let mut last_sector: Option<(&str, SectorId)> = None;
    let mut last_from: Option<(&str, u32)> = None;
    let index = std::cell::RefCell::new(std::mem::take(&mut ch.index));
    walk_rows(
        piece,
        first_line,
        l,
        |r| {
            if let Row::Flow { to, .. } = r {
                index.borrow().prefetch(to);
            }
        },
        |line, r, ()| {
            ch.counts.rows += 1;
            match r {
                Row::Flow {
                    from,
                    to,
                    sector,
                    value,
                    year,
                } => {
                    let mut ix = index.borrow_mut();
                    let a = match last_from {
                        Some((s, i)) if s == from => i,
                        _ => {
                            let i = ch.id(&mut ix, from, line, &header[c.from]);
                            last_from = Some((from, i));
                            i
                        }
                    };
                    let bb = ch.id(&mut ix, to, line, &header[c.to]);
                    if a == bb {
                        ch.self_loops.0 += 1;
                        if ch.self_loops.1.len() < 5 {
                            ch.self_loops.1.push(format!("line {line}"));
                        }
                    }
                    let sector = sector.map(|s| match last_sector {
                        Some((k, id)) if k == s => id,
                        _ => {
                            let next = ch.sectors.len() as u32;
                            let (i, new) = sector_index.get_or_insert(s, next);
                            if new {
                                ch.sectors.push(s);
                                let col = c.sector.map_or("sector", |k| &header[k]);
                                if let Some(p) =
                                    id_problem(s, "sector id", Place::Line(line).at(col))
                                {
                                    ch.problems.push(p);
                                }
                            }
                            let id = SectorId::new(i as usize);
                            last_sector = Some((s, id));
                            id
                        }
                    });
                    ch.edges.push(Link {
                        from: a,
                        to: bb,
                        flow: Flow {
                            value,
                            sector,
                            year,
                            extra: None,
                        },
                    });
                }
                r => ch.counts.tally(r, &mut ch.problems),
            }
            ch.watch.error.is_none()
        },
    );
    ch.index = index.into_inner();
    ch
}

/// Files with quoted fields: the csv crate, sequentially, in batches whose importer ids are
/// prefetched before they are interned.
fn read_quoted(body: &[u8], l: &Layout, b: &mut GraphBuilder, counts: &mut Counts) {
    let Layout {
        delim,
        cols: ref c,
        header,
        want_year,
        progress,
        ..
    } = *l;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(body);
    const BATCH: usize = 256;
    let mut batch: Vec<csv::ByteRecord> = vec![csv::ByteRecord::new(); BATCH];
    let mut told = 0u64;
    loop {
        let mut filled = 0usize;
        let mut eof = false;
        while filled < BATCH {
            match rdr.read_byte_record(&mut batch[filled]) {
                Ok(true) => filled += 1,
                Ok(false) => {
                    eof = true;
                    break;
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line() + 1).unwrap_or(0);
                    b.problem(Problem::new(
                        format!("line {line}"),
                        format!("unreadable CSV: {e}"),
                    ));
                    eof = true;
                    break;
                }
            }
        }
        for r in &batch[..filled] {
            if let Some(t) = r.get(c.to).and_then(|t| std::str::from_utf8(trim(t)).ok()) {
                b.prefetch(t);
            }
        }
        let mut fields: Vec<&[u8]> = Vec::with_capacity(header.len() + 1);
        for rec in &batch[..filled] {
            counts.rows += 1;
            let line = rec.position().map(|p| p.line() + 1).unwrap_or(0);
            if counts.rows % 65536 == 0 {
                if let (Some(tell), Some(p)) = (progress, rec.position()) {
                    tell(p.byte().saturating_sub(told));
                    told = p.byte();
                }
            }
            fields.clear();
            fields.extend(rec.iter());
            match row(&fields, line, c, header, want_year, false) {
                Row::Flow {
                    from,
                    to,
                    sector,
                    value,
                    year,
                } => b.add_flow(from, to, sector, value, year, None, Place::Line(line)),
                Row::Skip => counts.skipped += 1,
                Row::OtherYear(y) => counts.other_year(y),
                Row::Blank => counts.rows -= 1,
                Row::Bad(p) => b.problem(p),
            }
        }
        if eof || b.is_full() {
            if let Some(tell) = progress {
                tell((body.len() as u64).saturating_sub(told));
            }
            return;
        }
    }
}

/// `raw` read as a number times 10^`exp10`, exactly as the text with its exponent moved would
/// read (`0.161` with 3 reads as `0.161e3` = 161): one rounding, not two.
fn parse_scaled(raw: &[u8], exp10: i32) -> Result<f64, fast_float2::Error> {
    let (mant, exp) = match raw.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => {
            let e = std::str::from_utf8(&raw[at + 1..])
                .ok()
                .and_then(|t| t.parse::<i32>().ok());
            match e {
                Some(e) => (&raw[..at], e.saturating_add(exp10)),
                None => return fast_float2::parse::<f64, _>(raw),
            }
        }
        None => (raw, exp10),
    };
    let mut buf: Vec<u8> = Vec::with_capacity(mant.len() + 12);
    buf.extend_from_slice(mant);
    buf.push(b'e');
    buf.extend_from_slice(itoa::Buffer::new().format(exp).as_bytes());
    fast_float2::parse::<f64, _>(&buf)
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn lossy(b: &[u8]) -> String {
    clip(&String::from_utf8_lossy(b)).into_owned()
}

/// The flows of `g` as a CSV edge list: `exporter,importer,sector,value` plus `year`,
/// `quantity` and `tariff` when any flow has them. Node attributes are not kept.
pub fn write(g: &TradeGraph) -> Vec<u8> {
    let has_year = g.flows().any(|(_, _, f)| f.year.is_some());
    let has_q = g
        .flows()
        .any(|(_, _, f)| f.extra.as_ref().is_some_and(|x| x.quantity.is_some()));
    let has_t = g.flows().any(|(_, _, f)| f.tariff().is_some());
    let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(g.flow_count() * 40));
    let mut header = vec!["exporter", "importer", "sector", "value"];
    if has_year {
        header.push("year");
    }
    if has_q {
        header.push("quantity");
    }
    if has_t {
        header.push("tariff");
    }
    w.write_record(&header)
        .expect("writing to a Vec cannot fail");
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for (a, b, f) in g.flows() {
        row.clear();
        row.push(g.node(a).id.to_string());
        row.push(g.node(b).id.to_string());
        row.push(
            g.flow_sector(a, f)
                .map(|s| g.sector(s).id.clone())
                .unwrap_or_default(),
        );
        row.push(super::fmt_value(f.value));
        if has_year {
            row.push(f.year.map(|y| y.to_string()).unwrap_or_default());
        }
        let x = f.extra.as_deref();
        if has_q {
            row.push(
                x.and_then(|x| x.quantity)
                    .map(super::fmt_value)
                    .unwrap_or_default(),
            );
        }
        if has_t {
            row.push(
                x.and_then(|x| x.tariff)
                    .map(super::fmt_value)
                    .unwrap_or_default(),
            );
        }
        w.write_record(&row).expect("writing to a Vec cannot fail");
    }
    w.into_inner().expect("flushing a Vec cannot fail")
}
