//! Reading and writing graphs. Readers are pure translators from bytes to a validated
//! [`TradeGraph`]; writers return bytes and leave the destination to the caller.
//!
//! [`load`] recognises a file by its content (gzip, ZIP, native JSON, NetworkX node-link JSON,
//! an OECD ICIO table, a WIOD workbook, a FIGARO flat file, CSV edge list) or, for a folder,
//! as an EXIOBASE 3, Eora26, GLORIA or WIOD set or an input-output CSV set; `-` reads
//! standard input.

mod atomic;
pub mod baci;
pub mod comtrade;
pub mod country_product;
pub mod cp2015;
pub mod csv;
pub mod dot;
mod export;
mod fields;
pub mod graphml;
pub mod gravity;
mod grouping;
pub mod hs;
mod input;
pub mod iocsv;
pub mod json;
pub mod mrio;
pub mod nodelink;
pub mod table;
mod text;
pub mod values;

pub use self::comtrade::ComtradeFlow;
pub use self::country_product::{CountryProductTable, ExportRow};
pub use self::csv::{Columns, CsvOptions};
pub use self::export::ExportOptions;
pub use self::grouping::{parse_grouping, read_grouping};
pub use self::hs::HsLevel;

use crate::error::{Error, Problem, Result};
use crate::model::TradeGraph;
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
    /// CEPII BACI (`t,i,j,k,v,q`), recognised by its header.
    Baci,
    /// UN Comtrade+ bulk or API CSV, recognised by its header.
    Comtrade,
    /// An OECD Inter-Country Input-Output table as downloaded (`.csv`, or a `.zip` holding it).
    OecdIcio,
    /// EXIOBASE 3 as downloaded: the folder or `.zip` with `file_parameters.json`, `A.txt`,
    /// `Y.txt`, ... (a file of the folder names the folder); also EXIOBASE 1 and 2 (`mrIot*.txt`,
    /// ...).
    Exiobase3,
    /// Eora26 as downloaded: the folder (or `.zip`) with `Eora26_{year}_{bp|pp}_T.txt`, `_FD`,
    /// `_VA` and the label files (a file of the folder names the folder).
    Eora26,
    /// The World Input-Output Database, 2013 release: `wiotYY_row_sep12.xlsx` as downloaded,
    /// or the folder of them with `--year`.
    Wiod,
    /// GLORIA (v59): the folder with `GLORIA_MRIOs_59_{year}/` (the T, Y and V results CSVs)
    /// and `GLORIA_ReadMe_059.xlsx` (the labels).
    Gloria,
    /// Eurostat FIGARO as a flat file (`flatfile_eu-ic-io_ind-by-ind_23ed_2021.csv`, or the
    /// `.zip` holding it), recognised by its header.
    Figaro,
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

/// Progress of a long read, called from any thread with the bytes just read and the total
/// (unpacked) size; the caller draws it (the command line shows a bar on a terminal).
pub type Progress = std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>;

/// How to read a graph.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// Column names for CSV edge lists.
    pub columns: Columns,
    /// Keep only this year (CSV: rows of other years are skipped; JSON: the year view).
    pub year: Option<u16>,
    /// Edge attribute holding the value in node-link files (default `value`, then `weight`).
    pub weight_attr: Option<String>,
    /// Force a format instead of recognising it.
    pub format: Option<InputFormat>,
    /// Told how a large input (over 32 MB) is getting on, when given.
    pub progress: Option<Progress>,
    /// BACI: the country table (`country_codes_V*.csv`) to map codes with; without it, the one
    /// beside the file, else the shipped table.
    pub country_codes: Option<std::path::PathBuf>,
    /// BACI: the product level (default HS6). Given for another format, it is an error.
    pub hs_level: Option<HsLevel>,
    /// Comtrade: exports as reported (default) or imports mirrored. Given for another format,
    /// it is an error.
    pub comtrade_flow: Option<ComtradeFlow>,
    /// OECD ICIO: keep China's and Mexico's split blocks (CN1.., MX1..) as nodes of their own
    /// of the country CHN or MEX, instead of adding them into the country's nodes.
    pub keep_split_blocks: bool,
}

impl std::fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadOptions")
            .field("columns", &self.columns)
            .field("year", &self.year)
            .field("weight_attr", &self.weight_attr)
            .field("format", &self.format)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .field("country_codes", &self.country_codes)
            .field("hs_level", &self.hs_level)
            .field("comtrade_flow", &self.comtrade_flow)
            .finish()
    }
}

/// Read a whole auxiliary file (a scenario, a `node,value` list, a saved result; `-` for
/// standard input) the way graphs are read: a regular file or a pipe, within the memory
/// budget, errors naming the file ([`Error::Io`]).
pub fn read_file(path: &str) -> Result<Vec<u8>> {
    input::read_raw(path)
}

/// Read a whole file (gzip unpacked): the parts of an input-output folder.
pub(crate) fn read_file_bytes(path: &Path) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let raw = input::read_raw(&name)?;
    if input::is_gzip(&raw) {
        input::gunzip(&name, &raw)
    } else {
        Ok(raw)
    }
}

/// The node-link hint when a document held whole would not fit.
const NODELINK_HINT: &str = "node-link JSON whose edges come before its nodes is read as a whole document; write the graph as a CSV edge list instead (in Python: nx.to_pandas_edgelist(G).to_csv(...)), or set TRADENET_MEMORY_LIMIT (for example 64G) if you know it fits";

/// Load the graph at `path` (`-` for standard input; a folder for an input-output CSV set).
/// Every file, pipe and standard input is read whole with `read(2)` (no memory map: a file
/// truncated while mapped would kill the process), within the memory budget
/// ([`crate::budget`]).
pub fn load(path: &str, opts: &LoadOptions) -> Result<TradeGraph> {
    let p = Path::new(path);
    if path != "-" && p.is_dir() {
        let names = mrio::Files::dir(p).names();
        // GLORIA's results zipped in the folder, the ReadMe beside them.
        if matches!(opts.format, None | Some(InputFormat::Gloria)) {
            if let Some(z) = mrio::gloria::zip_in(&names, opts.year) {
                check_format_options(path, InputFormat::Gloria, opts)?;
                let zname = p.join(&z).display().to_string();
                let mut files = mrio::Files::zip(&zname, input::read_raw(&zname)?)?;
                let t = mrio::gloria::read(&mut files, Some(p.to_path_buf()), opts.year, None)?;
                return apply_year(t.into_graph(&zname)?, opts, path);
            }
        }
        let set = match opts.format {
            Some(f @ (InputFormat::Exiobase3 | InputFormat::Eora26 | InputFormat::Gloria)) => {
                Some(f)
            }
            None if mrio::exiobase::is_set(&names) => Some(InputFormat::Exiobase3),
            None if mrio::eora::is_set(&names) => Some(InputFormat::Eora26),
            None if mrio::gloria::is_set(&names) => Some(InputFormat::Gloria),
            _ => None,
        };
        if let Some(f) = set {
            check_format_options(path, f, opts)?;
            let g = read_set(f, mrio::Files::dir(p), path, None, opts)?;
            return apply_year(g, opts, path);
        }
        let forced = opts.format;
        if forced == Some(InputFormat::Wiod) || (forced.is_none() && mrio::wiod::is_set(&names)) {
            check_format_options(path, InputFormat::Wiod, opts)?;
            let file = mrio::wiod::choose(path, &names, opts.year)?;
            let full = p.join(&file).display().to_string();
            let raw = input::read_raw(&full)?;
            let g = read_wiod(&full, raw, true)?.expect("forced");
            return apply_year(g, opts, path);
        }
        if opts.format.is_some_and(|f| f != InputFormat::IoSet) {
            return Err(Error::invalid(
                path,
                Problem::new("", "is a folder, not a graph file"),
            ));
        }
        let g = iocsv::read(p)?;
        return apply_year(g, opts, path);
    }
    let t = std::time::Instant::now();
    let raw = input::read_raw(path)?;
    crate::timings::record("read", t);
    if path != "-" {
        if let Some(g) = load_set_file(path, raw.as_slice(), opts)? {
            return apply_year(g, opts, path);
        }
    }
    let name = if path == "-" { "<stdin>" } else { path };
    let beside = (path != "-").then(|| p.parent().unwrap_or(Path::new("")));
    load_slice(name, raw, opts, beside)
}

/// A file that stands for a set of files (EXIOBASE 3, Eora26): an archive holding the set, or
/// a file of the set's folder (`A.txt`, `file_parameters.json`, `Eora26_2010_bp_T.txt`), read
/// as the whole set; `None` for any other file.
fn load_set_file(path: &str, raw: &[u8], opts: &LoadOptions) -> Result<Option<TradeGraph>> {
    let p = Path::new(path);
    let forced = opts.format.filter(|f| {
        matches!(
            f,
            InputFormat::Exiobase3 | InputFormat::Eora26 | InputFormat::Wiod | InputFormat::Gloria
        )
    });
    if opts.format.is_some() && forced.is_none() {
        return Ok(None);
    }
    let file_name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let wiod = forced == Some(InputFormat::Wiod);
    if mrio::is_zip(raw) || wiod {
        // The names only: the archive is copied when it holds a set, not otherwise.
        let Some(names) = mrio::zip_names(raw) else {
            // A workbook cut short is still one: its reader says so.
            if wiod || mrio::wiod::is_name(&file_name) {
                check_format_options(path, InputFormat::Wiod, opts)?;
                return read_wiod(path, raw.to_vec(), true);
            }
            return Ok(None);
        };
        if wiod || (forced.is_none() && names.iter().any(|n| n == "xl/workbook.xml")) {
            check_format_options(path, InputFormat::Wiod, opts)?;
            return read_wiod(path, raw.to_vec(), wiod);
        }
        let set = forced.or_else(|| {
            if mrio::exiobase::is_set(&names) {
                Some(InputFormat::Exiobase3)
            } else if mrio::eora::is_set(&names) {
                Some(InputFormat::Eora26)
            } else if mrio::gloria::is_set(&names) {
                Some(InputFormat::Gloria)
            } else {
                None
            }
        });
        return match set {
            Some(f) => {
                check_format_options(path, f, opts)?;
                let files = mrio::Files::zip(path, raw.to_vec())?;
                read_set(f, files, path, None, opts).map(Some)
            }
            None => Ok(None),
        };
    }
    let body = raw.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(raw);
    let set = forced.or_else(|| {
        if file_name == "file_parameters.json" || mrio::exiobase::looks_like(body) {
            Some(InputFormat::Exiobase3)
        } else if mrio::eora::parse_name(&file_name).is_some() {
            Some(InputFormat::Eora26)
        } else if mrio::gloria::parse_name(&file_name).is_some() {
            Some(InputFormat::Gloria)
        } else {
            None
        }
    });
    let Some(f) = set else { return Ok(None) };
    check_format_options(path, f, opts)?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    read_set(f, mrio::Files::dir(&dir), path, Some(&file_name), opts).map(Some)
}

/// Read the WIOD workbook `raw` at `path`; `None` when it is another workbook and the format
/// was not asked for.
fn read_wiod(path: &str, raw: Vec<u8>, forced: bool) -> Result<Option<TradeGraph>> {
    let Some(mut t) = mrio::wiod::read(path, raw, forced)? else {
        return Ok(None);
    };
    let dir = match Path::new(path).parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    mrio::wiod::note_satellites(&mut t, &mrio::Files::dir(&dir).names());
    t.into_graph(path).map(Some)
}

/// Read EXIOBASE 3 or Eora26 from `files`; `path` is what the user gave, `named` the file of
/// the set it names, if one.
fn read_set(
    format: InputFormat,
    mut files: mrio::Files,
    path: &str,
    named: Option<&str>,
    opts: &LoadOptions,
) -> Result<TradeGraph> {
    let label = files.label();
    let table = if format == InputFormat::Exiobase3 {
        let name_year = mrio::year_from_name(&label);
        mrio::exiobase::read(&mut files, name_year)?
    } else if format == InputFormat::Gloria {
        // The ReadMe is beside the GLORIA_MRIOs folder (or archive), when not in it.
        let beside = match &files {
            mrio::Files::Dir(d) => mrio::gloria::readme_folder(d),
            mrio::Files::Zip(..) => Path::new(path).parent().map(Path::to_path_buf),
        };
        mrio::gloria::read(&mut files, beside, opts.year, named)?
    } else {
        // Eora ships the label files in indices.zip beside the year's archive.
        let labels = match &files {
            mrio::Files::Zip(..) => {
                let beside = Path::new(path)
                    .parent()
                    .map(|d| d.join("indices.zip"))
                    .filter(|z| z.is_file());
                match beside {
                    Some(z) => {
                        let zname = z.display().to_string();
                        Some(mrio::Files::zip(&zname, input::read_raw(&zname)?)?)
                    }
                    None => None,
                }
            }
            mrio::Files::Dir(_) => None,
        };
        mrio::eora::read(&mut files, labels, opts.year, named)?
    };
    table.into_graph(&label)
}

/// What a file holds: a graph, or a country-product table of export values (the input of
/// economic complexity, `country,product,value[,year]`, recognised by that header).
#[derive(Debug)]
pub enum Loaded {
    /// A graph, read as [`load`] reads it.
    Graph(Box<TradeGraph>),
    /// A country-product table ([`country_product`]), all years (choose one with
    /// [`CountryProductTable::year`]).
    Table(CountryProductTable),
}

/// Load a graph or a country-product table from `path` (`-` for standard input; a folder is
/// an input-output CSV set). A country-product table is recognised by its header unless
/// `opts.format` names a graph format; a year asked for in `opts` is not applied to a table.
pub fn load_graph_or_table(path: &str, opts: &LoadOptions) -> Result<Loaded> {
    let p = Path::new(path);
    if (path != "-" && p.is_dir()) || opts.format.is_some() {
        return load(path, opts).map(|g| Loaded::Graph(Box::new(g)));
    }
    let raw = input::read_raw(path)?;
    let name = if path == "-" { "<stdin>" } else { path };
    let bytes = if input::is_gzip(&raw) {
        input::gunzip(name, &raw)?
    } else {
        raw
    };
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes);
    if detect(body, false).is_ok_and(|f| f == InputFormat::Csv)
        && country_product::is_country_product_header(body)
    {
        return country_product::read(body)
            .map(Loaded::Table)
            .map_err(|e| e.in_file(name));
    }
    let beside = (path != "-").then(|| p.parent().unwrap_or(Path::new("")));
    load_slice(name, bytes, opts, beside).map(|g| Loaded::Graph(Box::new(g)))
}

/// Load a graph from the bytes of a file called `name` (used in messages).
pub fn load_bytes(name: &str, raw: Vec<u8>, opts: &LoadOptions) -> Result<TradeGraph> {
    load_slice(name, raw, opts, None)
}

/// The format of a CSV file by its header: a FIGARO flat file, BACI, Comtrade+, or a plain edge
/// list.
fn csv_kind(body: &[u8]) -> InputFormat {
    let end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let line = &body[..end];
    if mrio::figaro::is_header(line) {
        InputFormat::Figaro
    } else if baci::is_baci_header(line) {
        InputFormat::Baci
    } else if comtrade::is_comtrade_header(line) {
        InputFormat::Comtrade
    } else {
        InputFormat::Csv
    }
}

/// Options that belong to one format, given for another: an error naming them.
fn check_format_options(name: &str, format: InputFormat, opts: &LoadOptions) -> Result<()> {
    let what = match format {
        InputFormat::Native => "tradenet JSON",
        InputFormat::NodeLink => "NetworkX node-link JSON",
        InputFormat::Csv => "a CSV edge list",
        InputFormat::IoSet => "an input-output CSV set",
        InputFormat::Baci => "a BACI file",
        InputFormat::Comtrade => "a UN Comtrade+ file",
        InputFormat::OecdIcio => "an OECD ICIO table",
        InputFormat::Exiobase3 => "EXIOBASE 3",
        InputFormat::Eora26 => "Eora26",
        InputFormat::Wiod => "a WIOD table",
        InputFormat::Gloria => "GLORIA",
        InputFormat::Figaro => "a FIGARO flat file",
    };
    let mut wrong = Vec::new();
    if format != InputFormat::Baci {
        if opts.country_codes.is_some() {
            wrong.push("--country-codes");
        }
        if opts.hs_level.is_some() {
            wrong.push("--hs-level");
        }
    }
    if format != InputFormat::Comtrade && opts.comtrade_flow.is_some() {
        wrong.push("--comtrade-flow");
    }
    if format != InputFormat::OecdIcio && opts.keep_split_blocks {
        wrong.push("--keep-split-blocks");
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        name,
        Problem::new(
            "",
            format!("{} apply to BACI or Comtrade+ files, but this file is read as {what}", wrong.join(", ")),
        )
        .hint("BACI files have exactly the columns t,i,j,k,v,q; Comtrade+ files have reporterISO, partnerISO, flowCode, cmdCode, refYear and primaryValue"),
    ))
}

/// Load a graph from `raw`, the whole of a file. The bytes are given, not lent: an edge list
/// frees them once its flows are read, before the graph is assembled.
fn load_slice(
    name: &str,
    raw: Vec<u8>,
    opts: &LoadOptions,
    beside: Option<&Path>,
) -> Result<TradeGraph> {
    let was_gz = input::is_gzip(&raw);
    let was_zip = mrio::is_zip(&raw);
    // The name the year of a table is read from: the file's, or the ZIP member's.
    let mut table_name = name.to_string();
    // The packed bytes stay held while the graph is read.
    let held = if was_gz || was_zip {
        raw.len() as u64
    } else {
        0
    };
    let bytes: Vec<u8> = if was_gz {
        input::gunzip(name, &raw)?
    } else if was_zip {
        let (member, b) = mrio::unzip_single(name, &raw, opts.year)?;
        table_name = member;
        b
    } else {
        raw
    };
    let was_gz = was_gz || was_zip;
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[bom..];
    let format = match opts.format {
        Some(f) => f,
        None => match detect(body, was_gz).map_err(|p| Error::invalid(name, p))? {
            InputFormat::Csv => csv_kind(body),
            f => f,
        },
    };
    check_format_options(name, format, opts)?;
    if format == InputFormat::NodeLink && !nodelink::streams_edges(body) {
        let need = held.saturating_add(
            (body.len() as u64).saturating_mul(crate::budget::PER_JSON_DOCUMENT_BYTE),
        );
        crate::budget::check_hint(
            need,
            || {
                format!(
                    "reading {name} as one JSON document ({} bytes, at about {} bytes of memory per byte)",
                    body.len(),
                    crate::budget::PER_JSON_DOCUMENT_BYTE
                )
            },
            NODELINK_HINT,
        )?;
    }
    // Reports add up to the total: what the reader did not report is reported at the end,
    // so a caller can close its bar on reaching the total.
    let total = body.len() as u64;
    let sent = std::sync::atomic::AtomicU64::new(0);
    let report = opts.progress.as_ref().filter(|_| total > 32 << 20);
    let progress = report.map(|f| {
        let sent = &sent;
        move |n: u64| {
            let before = sent.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            f(n.min(total.saturating_sub(before)), total)
        }
    });
    let g = match format {
        InputFormat::Native => json::read(body),
        InputFormat::NodeLink => nodelink::read(body, opts.weight_attr.as_deref()),
        InputFormat::Csv => {
            let copts = CsvOptions {
                columns: opts.columns.clone(),
                year: opts.year,
                value_exp10: 0,
            };
            csv::read_owned(
                bytes,
                bom,
                &copts,
                progress.as_ref().map(|f| f as &(dyn Fn(u64) + Sync)),
            )
        }
        InputFormat::Baci => {
            let bopts = baci::BaciOptions {
                country_codes: opts.country_codes.clone(),
                beside: beside.map(Path::to_path_buf),
                data_name: Path::new(name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                hs_level: opts.hs_level.unwrap_or_default(),
                year: opts.year,
            };
            // The country table's own problems name its file (not the data file's).
            let table = baci::country_table(&bopts)?;
            baci::read(
                body,
                &bopts,
                table,
                progress.as_ref().map(|f| f as &(dyn Fn(u64) + Sync)),
            )
        }
        InputFormat::Comtrade => {
            comtrade::read(body, opts.comtrade_flow.unwrap_or_default(), opts.year)
        }
        InputFormat::IoSet => Err(Error::invalid(
            name,
            Problem::new("", "an input-output CSV set is a folder, not one file"),
        )),
        InputFormat::OecdIcio => mrio::oecd::read_with(
            name,
            &table_name,
            body,
            progress.as_ref().map(|f| f as &(dyn Fn(u64) + Sync)),
            opts.keep_split_blocks,
        )
        .and_then(|t| t.into_graph(name)),
        InputFormat::Exiobase3 | InputFormat::Eora26 | InputFormat::Gloria => Err(Error::invalid(
            name,
            Problem::new("", "EXIOBASE 3, Eora26 and GLORIA are read from a folder or a .zip, not from standard input or bytes")
                .hint("give the folder (or the archive) as downloaded"),
        )),
        InputFormat::Wiod => Err(Error::invalid(
            name,
            Problem::new("", "a WIOD table is read from its .xlsx file, not from standard input or bytes")
                .hint("give the file wiotYY_row_sep12.xlsx as downloaded"),
        )),
        InputFormat::Figaro => mrio::figaro::read(name, &table_name, body).and_then(|t| t.into_graph(name)),
    };
    if let Some(f) = report {
        let done = sent.load(std::sync::atomic::Ordering::Relaxed);
        if done < total {
            f(total - done, total);
        }
    }
    let g = g.map_err(|e| e.in_file(name))?;
    if matches!(
        format,
        InputFormat::Csv | InputFormat::Baci | InputFormat::Comtrade
    ) {
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
        _ if mrio::oecd::looks_like(bytes) => Ok(InputFormat::OecdIcio),
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
    write_with(g, format, &ExportOptions::default()).expect("the default options always write")
}

/// [`write()`] with the interchange options: the name of the value attribute and a `distance`
/// per edge (node-link, GraphML and GEXF; native JSON and CSV keep `value` and carry no
/// distance). Errors ([`Error::Param`]): options that
/// [`ExportOptions::validate`] refuses, or a distance asked for on a graph with parallel flows.
///
/// ```
/// use tradenet::io::{load_bytes, write_with, ExportOptions, LoadOptions, OutputFormat};
/// use tradenet::analysis::Distance;
/// let csv = b"exporter,importer,value\nCAN,USA,4\nCAN,MEX,1\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let opts = ExportOptions { distance: Some(Distance::Inverse), ..Default::default() };
/// let text = String::from_utf8(write_with(&g, OutputFormat::NodeLink, &opts).unwrap()).unwrap();
/// assert!(text.contains(r#""weight":4,"distance":0.25"#));
/// ```
pub fn write_with(g: &TradeGraph, format: OutputFormat, opts: &ExportOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    let distances = match (format, opts.distance) {
        (OutputFormat::NodeLink | OutputFormat::GraphMl | OutputFormat::Gexf, Some(d)) => {
            Some(export::distances(g, d)?)
        }
        _ => None,
    };
    let d = distances.as_deref();
    Ok(match format {
        OutputFormat::Native => json::write(g),
        OutputFormat::NodeLink => nodelink::write(g, opts, d),
        OutputFormat::Csv => csv::write(g),
        OutputFormat::GraphMl => graphml::write_graphml(g, opts, d),
        OutputFormat::Gexf => graphml::write_gexf(g, d),
    })
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
