//! Published MRIO tables read as downloaded (issue #15): the OECD ICIO mocks of pymrio's test
//! suite (`../shared/data/mrio-layouts/pymrio-mocks/`, read at run time), against the totals and
//! cell values of `LAYOUTS.md` (produced by pymrio's parser at commit 89c9b97f and asserted in
//! its `tests/test_parsers.py`); a table in the 2023 extended layout generated here; and bad
//! input, which fails with exit 2 naming the file, the place and the rule.

use crate::common::{shared_data, tradenet};
use std::path::{Path, PathBuf};
use tradenet::io::{load, LoadOptions};
use tradenet::{FinalDemand, TradeGraph};

/// Relative tolerance of the LAYOUTS.md values (printed to 12 or more significant digits).
const REL: f64 = 1e-12;

fn mock(name: &str) -> PathBuf {
    shared_data(&format!("mrio-layouts/pymrio-mocks/oecd_mock/{name}"))
}

fn read(path: &Path) -> TradeGraph {
    load(path.to_str().unwrap(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `got` equals `want`, printed in LAYOUTS.md to `decimals` decimals, to half its last digit.
fn rounded(got: f64, want: f64, decimals: i32, what: &str) {
    let tol = 0.5 * 10f64.powi(-decimals) * (1.0 + 1e-9);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (to {decimals} decimals)"
    );
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= REL * want.abs().max(1.0),
        "{what}: got {got}, want {want} (relative {:e})",
        (got - want).abs() / want.abs()
    );
}

/// Sum of Z (the flows), of Y (final demand) and of x (output) of a graph.
fn totals(g: &TradeGraph) -> (f64, f64, f64) {
    let z = g.total_value();
    let y = g
        .nodes()
        .filter_map(|n| n.final_demand())
        .map(FinalDemand::total)
        .sum();
    let x = g.nodes().filter_map(|n| n.output()).sum();
    (z, y, x)
}

fn flow(g: &TradeGraph, from: &str, to: &str) -> f64 {
    let (a, b) = (g.require_node(from).unwrap(), g.require_node(to).unwrap());
    g.flows()
        .filter(|(x, y, _)| *x == a && *y == b)
        .map(|(_, _, f)| f.value)
        .sum()
}

fn attr(g: &TradeGraph, node: &str, path: &[&str]) -> f64 {
    let n = g.node(g.require_node(node).unwrap());
    let mut v = &n.extra.as_ref().unwrap().attrs.as_ref().unwrap()[path[0]];
    for p in &path[1..] {
        v = &v[*p];
    }
    v.as_f64()
        .unwrap_or_else(|| panic!("{node} attrs {path:?} is {v}"))
}

fn countries(g: &TradeGraph) -> Vec<&str> {
    g.country_ids()
}

#[test]
fn icio2016_totals_cells_and_merge() {
    let g = read(&mock("ICIO2016_2003.csv"));
    assert_eq!(g.kind(), tradenet::GraphKind::InputOutput);
    assert_eq!(g.node_count(), 32);
    assert_eq!(countries(&g), ["AUS", "CHN", "NZL", "PER"]);
    let (z, y, x) = totals(&g);
    close(z, 25308592.605806, "sum Z");
    close(y, 10753340468.0, "sum Y");
    close(x, 10778649060.605804, "sum x");
    let va: f64 = g
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    rounded(va, 24117105.775, 3, "sum of VA+TAXSUB");
    // pymrio's test values.
    close(
        flow(&g, "AUS:C01T05AGR", "AUS:C01T05AGR"),
        23697.221,
        "Z AUS AGR -> AUS AGR",
    );
    close(
        flow(&g, "NZL:C23PET", "AUS:C20WOD"),
        684.49784,
        "Z NZL PET -> AUS WOD",
    );
    close(
        flow(&g, "CHN:C01T05AGR", "AUS:C15T16FOD"),
        6932.1858,
        "Z CHN AGR -> AUS FOD (merged)",
    );
    close(
        attr(
            &g,
            "NZL:C23PET",
            &["final_demand_by_category", "PER", "DIRP"],
        ),
        14822221.0,
        "Y NZL PET, PER DIRP",
    );
    close(
        attr(
            &g,
            "CHN:C23PET",
            &["final_demand_by_category", "NZL", "HFCE"],
        ),
        24074818.0,
        "Y CHN PET, NZL HFCE",
    );
    close(
        attr(&g, "CHN:C20WOD", &["value_added_by_component", "VA+TAXSUB"]),
        569612.84,
        "F VA+TAXSUB, CHN WOD",
    );
    assert_eq!(g.meta.extra["layout"], "OECD ICIO 2016");
    assert_eq!(g.meta.unit.as_deref(), Some("million USD"));
    assert_eq!(g.meta.year, Some(2003));
    let merged = g.meta.extra["merged"].to_string();
    assert!(merged.contains("CN1, CN2 added into CHN"), "{merged}");
}

#[test]
fn icio2018_totals_cells_and_zip() {
    let csv = read(&mock("ICIO2018_2010.CSV"));
    assert_eq!(countries(&csv), ["AUS", "BEL", "BRA", "COL", "MEX"]);
    assert_eq!(csv.node_count(), 40);
    let (z, y, x) = totals(&csv);
    close(z, 25308592.605806, "sum Z");
    close(y, 11436429103.3, "sum Y");
    close(x, 11461737695.905806, "sum x");
    let va: f64 = csv
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    rounded(va, 24117580.3517, 4, "F sum");
    let fy: f64 = csv.meta.extra["value_added_on_final_demand"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    rounded(fy, 274.9368, 4, "F_Y sum");
    close(
        flow(&csv, "BEL:16", "AUS:05T06"),
        150.89421,
        "Z BEL 16 -> AUS 05T06",
    );
    close(
        attr(&csv, "BRA:09", &["final_demand_by_category", "COL", "GGFC"]),
        11211977.0,
        "Y BRA 09, COL GGFC",
    );
    close(
        attr(&csv, "MEX:01T03", &["value_added_by_component", "VALU"]),
        284552.21,
        "F VALU MEX 01T03 (MX1 merged)",
    );
    close(
        attr(&csv, "BEL:16", &["value_added_by_component", "MEX_TAXSUB"]),
        1.66161232097811,
        "F MEX_TAXSUB BEL 16",
    );
    // Taxes on final products (pymrio's F_Y) are not value added of an industry.
    let dropped = csv.meta.extra["dropped"].to_string();
    assert!(
        dropped.contains("under the final-demand columns"),
        "{dropped}"
    );
    assert_eq!(csv.meta.extra["layout"], "OECD ICIO 2018");
    let checks = csv.meta.extra["checks"].to_string();
    assert!(!checks.contains("MISMATCH"), "{checks}");
    // The ZIP as downloaded reads to the same graph, byte for byte.
    let zip = read(&mock("ICIO2018_2010.zip"));
    let w = |g: &TradeGraph| tradenet::io::write(g, tradenet::io::OutputFormat::Native);
    assert_eq!(w(&csv), w(&zip));
}

#[test]
fn negative_and_zero_cells_follow_pymrio() {
    // Zero cells are not flows; the graph has no split block left.
    for f in ["ICIO2016_2003.csv", "ICIO2018_2010.CSV"] {
        let g = read(&mock(f));
        assert!(g.flows().all(|(_, _, fl)| fl.value > 0.0));
        for c in countries(&g) {
            assert!(
                !c.starts_with("CN") && !c.starts_with("MX"),
                "{f}: {c} left"
            );
        }
    }
}

#[test]
fn native_json_keeps_categories_and_components() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icio.json");
    tradenet([
        "convert",
        mock("ICIO2016_2003.csv").to_str().unwrap(),
        "--to",
        "json",
        "-o",
        out.to_str().unwrap(),
    ])
    .ok();
    let g = read(&out);
    close(
        attr(
            &g,
            "CHN:C23PET",
            &["final_demand_by_category", "NZL", "HFCE"],
        ),
        24074818.0,
        "after a JSON round trip",
    );
    assert_eq!(g.meta.extra["layout"], "OECD ICIO 2016");
    let (z, y, x) = totals(&g);
    close(z, 25308592.605806, "sum Z");
    close(y, 10753340468.0, "sum Y");
    close(x, 10778649060.605804, "sum x");
}

#[test]
fn info_names_layout_unit_and_merges() {
    let f = mock("ICIO2016_2003.csv");
    let text = tradenet(["info", f.to_str().unwrap()]).ok();
    for want in [
        "layout: OECD ICIO 2016",
        "unit: million USD",
        "year: 2003",
        "merged: CN1, CN2 added into CHN",
        "dropped: total row OUT",
        "check: the output row equals",
    ] {
        assert!(text.contains(want), "no `{want}` in:\n{text}");
    }
    let v = tradenet([
        "info",
        mock("ICIO2018_2010.zip").to_str().unwrap(),
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["layout"], "OECD ICIO 2018");
    assert_eq!(v["unit"], "million USD");
    assert_eq!(v["data_year"], 2010);
    assert!(
        v["merged"][0]
            .as_str()
            .unwrap()
            .starts_with("MX1 added into MEX"),
        "{v}"
    );
    assert_eq!(v["kind"], "io");
}

#[test]
fn forced_format() {
    let f = mock("ICIO2016_2003.csv");
    let v = tradenet([
        "info",
        f.to_str().unwrap(),
        "--input-format",
        "oecd-icio",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["nodes"], 32);
    let e = tradenet(["info", "tests/good/baci.csv", "--input-format", "oecd-icio"]).fails();
    assert!(e.contains("tests/good/baci.csv: line 1"), "{e}");
    assert!(e.contains("not an OECD ICIO table"), "{e}");
}

/// The 2016 mock with `edit` applied to its text, written to `dir/name`.
fn edited(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> String {
    let text = std::fs::read_to_string(mock("ICIO2016_2003.csv")).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, edit(text)).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn bad_tables_fail_with_place_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    // Cut in the middle of a row: that row is short.
    let cut = edited(dir.path(), "cut.csv", |t| t[..t.len() * 2 / 3].to_string());
    let e = tradenet(["info", &cut]).fails();
    assert!(e.contains(&format!("{cut}: line ")), "{e}");
    assert!(e.contains("fields, the header has 74"), "{e}");
    assert!(e.contains("cut short"), "{e}");
    // Cut at a row end: rows are missing.
    let rows = edited(dir.path(), "rows.csv", |t| {
        t.split_inclusive('\n').take(30).collect()
    });
    let e = tradenet(["info", &rows]).fails();
    assert!(e.contains("industries of the columns have no row"), "{e}");
    assert!(e.contains("truncated"), "{e}");
    // A cell that is not a number: its line, row and column label.
    let word = edited(dir.path(), "word.csv", |t| {
        t.replacen(",57.495387,", ",abc,", 1)
    });
    let e = tradenet(["info", &word]).fails();
    assert!(
        e.contains("line 2 (row 'AUS_C01T05AGR', column 'AUS_C10T14MIN'): not a number: 'abc'"),
        "{e}"
    );
    // A ragged row: one field too many.
    let ragged = edited(dir.path(), "ragged.csv", |t| {
        t.replacen(",57.495387,", ",57.495387,1,", 1)
    });
    let e = tradenet(["info", &ragged]).fails();
    assert!(
        e.contains("line 2: row 'AUS_C01T05AGR' has 75 fields, the header has 74"),
        "{e}"
    );
    // A ZIP archive cut short.
    let raw = std::fs::read(mock("ICIO2018_2010.zip")).unwrap();
    let z = dir.path().join("cut.zip");
    std::fs::write(&z, &raw[..raw.len() / 2]).unwrap();
    let e = tradenet(["info", z.to_str().unwrap()]).fails();
    assert!(e.contains("not a readable ZIP archive"), "{e}");
    assert!(e.contains("fetch the file again"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// A table in the 2023 extended layout, made here (5 countries + ROW, the 45 activities of the
// 2023 ReadMe, China and Mexico split into CN1, CN2, MX1, MX2 with empty CHN and MEX blocks).

/// A small seeded generator (xorshift64*), so that the table is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn activities() -> Vec<String> {
    let text =
        std::fs::read_to_string(shared_data("mrio-layouts/oecd-icio-2023/activities.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records().map(|r| r.unwrap()[2].to_string()).collect()
}

#[test]
fn generated_2023_extended_table_round_trips_totals() {
    let sectors = activities();
    assert_eq!(sectors.len(), 45);
    let regions = ["CHN", "DEU", "MEX", "USA", "ROW"];
    let blocks = [
        "CHN", "DEU", "MEX", "USA", "ROW", "MX1", "MX2", "CN1", "CN2",
    ];
    let cats = ["HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"];
    let ind: Vec<String> = blocks
        .iter()
        .flat_map(|c| sectors.iter().map(move |s| format!("{c}_{s}")))
        .collect();
    let fd: Vec<String> = regions
        .iter()
        .flat_map(|c| cats.iter().map(move |k| format!("{c}_{k}")))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::new();
    out.push(',');
    out.push_str(&ind.join(","));
    out.push(',');
    out.push_str(&fd.join(","));
    out.push_str(",OUT\n");
    let (mut sz, mut sy) = (0.0, 0.0);
    let mut colsum = vec![0.0; ind.len()];
    let cell = |rng: &mut Rng, empty: bool| -> f64 {
        if empty || rng.next() < 0.2 {
            0.0
        } else {
            // Six decimals, as published; written and read back exactly.
            (rng.next() * 1e4 * 1e6).round() / 1e6
        }
    };
    let fmt = |v: f64| {
        if v == 0.0 {
            String::new()
        } else {
            format!("{v}")
        }
    };
    for r in &ind {
        // The CHN and MEX blocks are empty: the data is in their splits.
        let empty_row = r.starts_with("CHN_") || r.starts_with("MEX_");
        let mut row = vec![r.clone()];
        let mut x = 0.0;
        for (j, c) in ind.iter().enumerate() {
            let v = cell(
                &mut rng,
                empty_row || c.starts_with("CHN_") || c.starts_with("MEX_"),
            );
            x += v;
            colsum[j] += v;
            row.push(fmt(v));
        }
        sz += x;
        for _ in &fd {
            let mut v = cell(&mut rng, empty_row);
            if rng.next() < 0.1 {
                v = -v; // inventories may fall
            }
            x += v;
            sy += v;
            row.push(fmt(v));
        }
        row.push(format!("{x}"));
        out.push_str(&row.join(","));
        out.push('\n');
    }
    let mut va_total = 0.0;
    let mut out_row = colsum.clone();
    for label in ["TLS", "VA"] {
        let mut row = vec![label.to_string()];
        for (j, c) in ind.iter().enumerate() {
            let v = cell(&mut rng, c.starts_with("CHN_") || c.starts_with("MEX_"));
            va_total += v;
            out_row[j] += v;
            row.push(fmt(v));
        }
        for _ in &fd {
            row.push(if label == "TLS" {
                "1.5".into()
            } else {
                String::new()
            });
        }
        row.push(String::new());
        out.push_str(&row.join(","));
        out.push('\n');
    }
    let mut row = vec!["OUT".to_string()];
    row.extend(out_row.iter().map(|v| format!("{v}")));
    row.extend(fd.iter().map(|_| String::new()));
    row.push(String::new());
    out.push_str(&row.join(","));
    out.push('\n');

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2020.csv");
    std::fs::write(&path, &out).unwrap();
    let g = read(&path);
    assert_eq!(g.meta.extra["layout"], "OECD ICIO 2023 extended");
    assert_eq!(g.meta.year, Some(2020));
    assert_eq!(countries(&g).len(), 5);
    assert_eq!(g.node_count(), 5 * 45);
    let (z, y, x) = totals(&g);
    close(z, sz, "sum Z");
    close(y, sy, "sum Y");
    close(x, sz + sy, "sum x");
    let va: f64 = g
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    close(va, va_total, "sum of value added");
    let checks = g.meta.extra["checks"].to_string();
    assert!(!checks.contains("MISMATCH"), "{checks}");
    let merged = g.meta.extra["merged"].to_string();
    assert!(merged.contains("CN1, CN2 added into CHN"), "{merged}");
    assert!(merged.contains("MX1, MX2 added into MEX"), "{merged}");
    // The same table zipped, as the OECD ships it, with other years beside it.
    let zpath = dir.path().join("2020-2021.zip");
    {
        let f = std::fs::File::create(&zpath).unwrap();
        let mut w = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for name in ["2020.csv", "2021.csv"] {
            w.start_file(name, o).unwrap();
            std::io::Write::write_all(&mut w, out.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    let z = zpath.to_str().unwrap();
    let e = tradenet(["info", z]).fails();
    assert!(e.contains("holds 2 .csv files (2020.csv, 2021.csv)"), "{e}");
    assert!(e.contains("--year"), "{e}");
    let v = tradenet(["info", z, "--year", "2020", "--format", "json"]).json();
    assert_eq!(v["nodes"], 225);
    assert_eq!(v["data_year"], 2020);
}

// ---------------------------------------------------------------------------------------------
// EXIOBASE 3 and Eora26 (LAYOUTS.md §3 and §4): pymrio's mocks read at run time, copied to a
// temporary folder (never into the repository) when a test needs to change or zip them.

/// Relative tolerance for EXIOBASE 3: the mock stores coefficients A (12 significant digits),
/// so x and Z come from a solve of I - A, done here by one LU and by pymrio with numpy's
/// inverse; LAYOUTS.md's values are pymrio's on these same coefficients (its ~1e-8 is the gap to
/// `load_test()`, not to them). The two solves agree to about 1e-14 here; 1e-9 leaves room for
/// another order of rounding without hiding a wrong reading.
const REL_EXIO: f64 = 1e-9;

fn close_to(got: f64, want: f64, rel: f64, what: &str) {
    assert!(
        (got - want).abs() <= rel * want.abs().max(1.0),
        "{what}: got {got}, want {want} (relative {:e}, allowed {rel:e})",
        (got - want).abs() / want.abs()
    );
}

fn pymrio_mock(name: &str) -> PathBuf {
    shared_data(&format!("mrio-layouts/pymrio-mocks/{name}"))
}

/// A copy of the mock folder `name` in `dir/to`, with its sub-folders.
fn copy_mock(name: &str, dir: &Path, to: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    let out = dir.join(to);
    copy(&pymrio_mock(name), &out);
    out
}

/// `folder` zipped into `zip`, every member under `prefix`.
fn zip_folder(folder: &Path, zip: &Path, prefix: &str) {
    let f = std::fs::File::create(zip).unwrap();
    let mut w = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    for e in std::fs::read_dir(folder).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            for s in std::fs::read_dir(&p).unwrap() {
                files.push(s.unwrap().path());
            }
        } else {
            files.push(p);
        }
    }
    files.sort();
    for p in files {
        let rel = p.strip_prefix(folder).unwrap().to_str().unwrap();
        w.start_file(format!("{prefix}{rel}"), o).unwrap();
        std::io::Write::write_all(&mut w, &std::fs::read(&p).unwrap()).unwrap();
    }
    w.finish().unwrap();
}

fn exio_totals(g: &TradeGraph, what: &str) {
    let (z, y, x) = totals(g);
    close_to(z, 38872616.883921, REL_EXIO, &format!("{what}: sum Z"));
    close_to(y, 3285132732.421107, REL, &format!("{what}: sum Y"));
    close_to(x, 3324005349.305029, REL_EXIO, &format!("{what}: sum x"));
}

#[test]
fn exiobase3_totals_renames_unit_and_year() {
    let g = read(&pymrio_mock("exio3_mock"));
    assert_eq!(g.kind(), tradenet::GraphKind::InputOutput);
    assert_eq!(g.node_count(), 48);
    assert_eq!(countries(&g), ["AU", "BR", "FI", "FR", "KR", "WF"]);
    exio_totals(&g, "exio3_mock");
    assert_eq!(g.meta.extra["layout"], "EXIOBASE 3 pxp");
    assert_eq!(g.meta.unit.as_deref(), Some("Mill USD"));
    assert_eq!(g.meta.year, Some(2009));
    let notes = g.meta.notes.clone().unwrap();
    for want in [
        "x = (I - A)^-1 (row sums of Y) by one dense LU (48 x 48)",
        "AUS->AU, BRA->BR, FIN->FI, FRA->FR, KOR->KR, WWF->WF",
        "satellite/F.txt read: its 2 rows are stressors (emission_type1, emission_type2), none labelled as a part of value added",
        "year 2009 from metadata.json",
    ] {
        assert!(notes.contains(want), "no `{want}` in {notes}");
    }
    // Stressors are not value added: none is invented.
    assert!(g
        .nodes()
        .all(|n| n.extra.as_ref().unwrap().value_added.is_none()));
    // Final demand goes to the renamed regions.
    let fd = attr(
        &g,
        "AU:food",
        &[
            "final_demand_by_category",
            "AU",
            "Final consumption expenditure by households",
        ],
    );
    assert!(fd > 0.0, "{fd}");
}

#[test]
fn exiobase3_zip_and_a_file_of_the_folder_read_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("IOT_2009_pxp.zip");
    zip_folder(&pymrio_mock("exio3_mock"), &zip, "IOT_2009_pxp/");
    let z = read(&zip);
    exio_totals(&z, "zip");
    assert_eq!(z.meta.year, Some(2009));
    assert_eq!(countries(&z), ["AU", "BR", "FI", "FR", "KR", "WF"]);
    let a = read(&pymrio_mock("exio3_mock/A.txt"));
    exio_totals(&a, "A.txt");
    let f = read(&pymrio_mock("exio3_mock/file_parameters.json"));
    assert_eq!(f.node_count(), 48);
    let w = |g: &TradeGraph| {
        g.flows()
            .map(|(_, _, f)| f.value.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(w(&z), w(&a));
}

/// A copy of the EXIOBASE 3 mock with the files of a real download: `Z.txt` and/or `x.txt`
/// written from the graph read from A (`with_z`, `with_x`), listed in file_parameters.json.
fn exio_download(dir: &Path, with_z: bool, with_x: bool) -> PathBuf {
    let g = read(&pymrio_mock("exio3_mock"));
    let out = copy_mock("exio3_mock", dir, if with_z { "z" } else { "x" });
    // The original three-letter codes, as in the files.
    let back = |c: &str| match c {
        "AU" => "AUS",
        "BR" => "BRA",
        "FI" => "FIN",
        "FR" => "FRA",
        "KR" => "KOR",
        "WF" => "WWF",
        other => panic!("{other}"),
    };
    let a = std::fs::read_to_string(out.join("A.txt")).unwrap();
    let lines: Vec<&str> = a.lines().collect();
    let cols: Vec<(String, String)> = lines[0]
        .split('\t')
        .zip(lines[1].split('\t'))
        .skip(2)
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect();
    let id = |(r, s): &(String, String)| {
        let code = match r.as_str() {
            "AUS" => "AU",
            "BRA" => "BR",
            "FIN" => "FI",
            "FRA" => "FR",
            "KOR" => "KR",
            "WWF" => "WF",
            o => o,
        };
        format!("{code}:{s}")
    };
    if with_z {
        let mut text = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[2]);
        for r in &cols {
            text.push_str(&format!("{}\t{}", r.0, r.1));
            for c in &cols {
                text.push_str(&format!("\t{:e}", flow(&g, &id(r), &id(c))));
            }
            text.push('\n');
        }
        std::fs::write(out.join("Z.txt"), text).unwrap();
    }
    if with_x {
        let mut text = String::from("region\tsector\tindout\n");
        for r in &cols {
            let n = g.node(g.require_node(&id(r)).unwrap());
            let x = n.extra.as_ref().unwrap().output.unwrap();
            assert_eq!(back(&id(r)[..2]), r.0);
            text.push_str(&format!("{}\t{}\t{x:e}\n", r.0, r.1));
        }
        std::fs::write(out.join("x.txt"), text).unwrap();
    }
    let mut p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("file_parameters.json")).unwrap())
            .unwrap();
    let entry = |name: &str, h: &str| serde_json::json!({"name": name, "nr_index_col": "2", "nr_header": h});
    if with_z {
        p["files"]["Z"] = entry("Z.txt", "2");
    }
    if with_x {
        p["files"]["x"] = entry("x.txt", "1");
    }
    std::fs::write(out.join("file_parameters.json"), p.to_string()).unwrap();
    out
}

#[test]
fn exiobase3_with_z_or_x_as_real_downloads_ship_them() {
    let dir = tempfile::tempdir().unwrap();
    let z = read(&exio_download(dir.path(), true, true));
    exio_totals(&z, "with Z.txt");
    let notes = z.meta.notes.clone().unwrap();
    assert!(notes.contains("Z.txt (flows) and Y.txt read"), "{notes}");
    assert!(notes.contains("A.txt not read"), "{notes}");
    let x = read(&exio_download(dir.path(), false, true));
    exio_totals(&x, "with x.txt");
    let notes = x.meta.notes.clone().unwrap();
    assert!(notes.contains("Z = A diag(x) with x from x.txt"), "{notes}");
    // x.txt is also a check: the row sums of Z and Y give it back.
    let checks = x.meta.extra["checks"].to_string();
    assert!(checks.contains("the output column equals"), "{checks}");
}

#[test]
fn exiobase3_value_added_only_from_rows_labelled_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = copy_mock("exio3_mock", dir.path(), "va");
    let f = std::fs::read_to_string(out.join("satellite/F.txt")).unwrap();
    let lines: Vec<&str> = f.lines().collect();
    let width = lines[0].split('\t').count() - 1;
    let row = |label: &str, v: f64| {
        let mut s = label.to_string();
        for _ in 0..width {
            s.push_str(&format!("\t{v}"));
        }
        s.push('\n');
        s
    };
    std::fs::create_dir_all(out.join("factor_inputs")).unwrap();
    let mut text = format!("{}\n{}\n", lines[0], lines[1]);
    text.push_str(&row(
        "Taxes less subsidies on products purchased: Total",
        1.5,
    ));
    text.push_str(&row("Operating surplus: Rents on land", 2.0));
    text.push_str(&row("Employment: Low-skilled male", 1000.0));
    std::fs::write(out.join("factor_inputs/F.txt"), text).unwrap();
    std::fs::write(
        out.join("factor_inputs/file_parameters.json"),
        r#"{"files": {"F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"}}, "systemtype": "Extension", "name": "Factor Inputs"}"#,
    )
    .unwrap();
    let g = read(&out);
    let va: f64 = g
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    close(va, 48.0 * 3.5, "value added: the two labelled rows");
    close(
        attr(
            &g,
            "KR:trade",
            &[
                "value_added_by_component",
                "Operating surplus: Rents on land",
            ],
        ),
        2.0,
        "a component",
    );
    let notes = g.meta.notes.clone().unwrap();
    assert!(
        notes.contains("factor_inputs/F.txt read: value added from its 2 rows labelled as parts of value added"),
        "{notes}"
    );
    assert!(notes.contains("its other 1 rows are stressors"), "{notes}");
}

#[test]
fn eora26_totals_value_added_unit_and_year() {
    let g = read(&pymrio_mock("eora26_mock"));
    assert_eq!(g.node_count(), 48);
    assert_eq!(
        countries(&g),
        ["reg1", "reg2", "reg3", "reg4", "reg5", "reg6"]
    );
    let (z, y, x) = totals(&g);
    close(z, 38872616.883925, "sum Z");
    close(y, 3285132732.421107, "sum Y");
    close(x, 3324005349.305033, "sum x");
    let va: f64 = g
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    rounded(va, 39141414.265, 3, "VA F sum");
    assert_eq!(g.meta.extra["layout"], "Eora26 bp");
    assert_eq!(g.meta.unit.as_deref(), Some("million USD"));
    assert_eq!(g.meta.year, Some(2010));
    let notes = g.meta.notes.clone().unwrap();
    assert!(
        notes.contains("Eora does not state the unit of its values"),
        "{notes}"
    );
    // A file of the set names the set; so does the forced format.
    let t = read(&pymrio_mock("eora26_mock/Eora26_2010_bp_T.txt"));
    assert_eq!(t.node_count(), 48);
    let v = tradenet([
        "info",
        pymrio_mock("eora26_mock").to_str().unwrap(),
        "--input-format",
        "eora26",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["nodes"], 48);
    assert_eq!(v["layout"], "Eora26 bp");
}

#[test]
fn eora26_row_is_dropped_with_the_amount_lost() {
    let dir = tempfile::tempdir().unwrap();
    let out = copy_mock("eora26_mock", dir.path(), "row");
    for f in ["labels_T.txt", "labels_FD.txt"] {
        let t = std::fs::read_to_string(out.join(f)).unwrap();
        std::fs::write(out.join(f), t.replace("\treg6\t", "\tROW\t")).unwrap();
    }
    let sum = |f: &str| -> f64 {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .split(['\t', '\n'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<f64>().unwrap())
            .sum()
    };
    let all_t = sum("Eora26_2010_bp_T.txt");
    let g = read(&out);
    assert_eq!(g.node_count(), 40);
    assert_eq!(countries(&g), ["reg1", "reg2", "reg3", "reg4", "reg5"]);
    let dropped = g.meta.extra["dropped"][0].as_str().unwrap().to_string();
    assert!(
        dropped.starts_with("ROW (Eora's rest of the world), as pymrio drops it: 8 row(s) and column(s) of T (losing "),
        "{dropped}"
    );
    let lost: f64 = dropped["ROW (Eora's rest of the world), as pymrio drops it: 8 row(s) and column(s) of T (losing ".len()..]
        .split(')')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    close(g.total_value() + lost, all_t, "kept + lost = all of T");
    let text = tradenet(["info", out.to_str().unwrap()]).ok();
    assert!(
        text.contains("dropped: ROW (Eora's rest of the world)"),
        "{text}"
    );
}

#[test]
fn bad_exiobase_and_eora_sets_fail_with_file_place_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    // A missing file of the set.
    let out = copy_mock("exio3_mock", dir.path(), "noy");
    std::fs::remove_file(out.join("Y.txt")).unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("file_parameters.json lists Y as Y.txt, but Y.txt is not there"),
        "{e}"
    );
    assert!(e.contains("unpack or fetch it again"), "{e}");
    // A ragged row: one field too many at the end of A's first data row.
    let out = copy_mock("exio3_mock", dir.path(), "ragged");
    let a = std::fs::read_to_string(out.join("A.txt")).unwrap();
    let line4 = a.lines().nth(3).unwrap();
    assert!(line4.starts_with("AUS\tfood\t"), "{line4}");
    std::fs::write(
        out.join("A.txt"),
        a.replacen(line4, &format!("{line4}\t1"), 1),
    )
    .unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("A.txt: line 4: row 'AUS' has 51 fields, the header has 50"),
        "{e}"
    );
    assert!(e.contains("hint:"), "{e}");
    // A cell that is not a number.
    let out = copy_mock("exio3_mock", dir.path(), "word");
    let y = std::fs::read_to_string(out.join("Y.txt")).unwrap();
    assert!(y.contains("\nAUS\tfood\t58180.65\t"));
    std::fs::write(
        out.join("Y.txt"),
        y.replacen("\nAUS\tfood\t58180.65\t", "\nAUS\tfood\tabc\t", 1),
    )
    .unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("Y.txt: line 4 (row 'AUS', column 'AUS/Final consumption expenditure by households'): not a number: 'abc'"),
        "{e}"
    );
    // Not EXIOBASE 3 when forced.
    let e = tradenet([
        "info",
        pymrio_mock("eora26_mock").to_str().unwrap(),
        "--input-format",
        "exiobase3",
    ])
    .fails();
    assert!(
        e.contains("no file_parameters.json of an input-output system"),
        "{e}"
    );
    // Eora: a missing matrix, a cut matrix, a cell that is not a number.
    let out = copy_mock("eora26_mock", dir.path(), "nova");
    std::fs::remove_file(out.join("Eora26_2010_bp_VA.txt")).unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("the Eora26 set of 2010 (bp) is incomplete: Eora26_2010_bp_VA.txt missing"),
        "{e}"
    );
    let out = copy_mock("eora26_mock", dir.path(), "cut");
    let t = std::fs::read_to_string(out.join("Eora26_2010_bp_T.txt")).unwrap();
    let keep: String = t.split_inclusive('\n').take(47).collect();
    std::fs::write(out.join("Eora26_2010_bp_T.txt"), keep).unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("Eora26_2010_bp_T.txt: has 47 rows, but labels_T.txt has 48 labels for them"),
        "{e}"
    );
    let out = copy_mock("eora26_mock", dir.path(), "eoraword");
    std::fs::write(
        out.join("Eora26_2010_bp_T.txt"),
        t.replacen("\t57.495387\t", "\tabc\t", 1),
    )
    .unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("Eora26_2010_bp_T.txt: line 1 (column 'reg1 mining'): not a number: 'abc'"),
        "{e}"
    );
    let out = copy_mock("eora26_mock", dir.path(), "eoraragged");
    std::fs::write(
        out.join("Eora26_2010_bp_T.txt"),
        t.replacen("\t57.495387\t", "\t57.495387\t1\t", 1),
    )
    .unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains(
            "Eora26_2010_bp_T.txt: line 1: the row has 49 fields, the column labels give 48 columns"
        ),
        "{e}"
    );
    assert!(!e.contains("problems"), "one problem, not one per row: {e}");
}

#[test]
fn eora26_zip_with_indices_zip_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let mock = pymrio_mock("eora26_mock");
    let pack = |zip: &Path, names: &[&str]| {
        let f = std::fs::File::create(zip).unwrap();
        let mut w = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for n in names {
            w.start_file(*n, o).unwrap();
            std::io::Write::write_all(&mut w, &std::fs::read(mock.join(n)).unwrap()).unwrap();
        }
        w.finish().unwrap();
    };
    let year = dir.path().join("Eora26_2010_bp.zip");
    pack(
        &year,
        &[
            "Eora26_2010_bp_T.txt",
            "Eora26_2010_bp_FD.txt",
            "Eora26_2010_bp_VA.txt",
        ],
    );
    // Without the labels the set is incomplete.
    let e = tradenet(["info", year.to_str().unwrap()]).fails();
    assert!(
        e.contains("incomplete: labels_T.txt, labels_FD.txt, labels_VA.txt missing"),
        "{e}"
    );
    pack(
        &dir.path().join("indices.zip"),
        &["labels_T.txt", "labels_FD.txt", "labels_VA.txt"],
    );
    let g = read(&year);
    let (z, y, x) = totals(&g);
    close(z, 38872616.883925, "sum Z");
    close(y, 3285132732.421107, "sum Y");
    close(x, 3324005349.305033, "sum x");
    assert_eq!(g.meta.year, Some(2010));
    assert_eq!(g.meta.extra["layout"], "Eora26 bp");
}

#[test]
fn exiobase1_folder_and_exiobase2_zip_totals() {
    let one = read(&pymrio_mock("exio1_mock"));
    let two = read(&pymrio_mock(
        "exio2_mock/mrIOT_PxP_ita_coefficient_version2.2.2.zip",
    ));
    for (g, what, layout) in [
        (&one, "EXIOBASE 1", "EXIOBASE 1"),
        (&two, "EXIOBASE 2", "EXIOBASE 2 pxp"),
    ] {
        assert_eq!(g.node_count(), 48, "{what}");
        assert_eq!(
            countries(g),
            ["reg1", "reg2", "reg3", "reg4", "reg5", "reg6"]
        );
        exio_totals(g, what);
        let x = g
            .node(g.require_node("reg1:food").unwrap())
            .extra
            .as_ref()
            .unwrap()
            .output
            .unwrap();
        close_to(
            x,
            239154.3864726,
            REL_EXIO,
            &format!("{what}: x[reg1, food]"),
        );
        // Value-added coefficients times x (pymrio's F after calc_all).
        let va: f64 = g
            .nodes()
            .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
            .sum();
        rounded(va, 39141414.265, 3, &format!("{what}: value added"));
        assert_eq!(g.meta.extra["layout"], layout);
        assert_eq!(g.meta.unit.as_deref(), Some("M.EUR"));
        assert_eq!(g.meta.year, None, "{what}: the files give no year");
    }
    let notes = one.meta.notes.clone().unwrap();
    assert!(
        notes.contains("EXIOBASE 1 does not say whether it is pxp or ixi"),
        "{notes}"
    );
    let dropped = two.meta.extra["dropped"].to_string();
    assert!(
        dropped.contains("mrEmissions_version2.2.2.txt"),
        "{dropped}"
    );
    let text = tradenet(["info", pymrio_mock("exio1_mock").to_str().unwrap()]).ok();
    assert!(text.contains("layout: EXIOBASE 1"), "{text}");
    assert!(text.contains("unit: M.EUR"), "{text}");
}

/// exvatools' ICIO-layout test table (`iciotest`, first header cell `row`, final-demand columns
/// `_CONS`/`_INVST`) is read by the OECD reader as downloaded, split blocks MX1/MX2 and CN1/CN2
/// added into MEX and CHN (pymrio's rule). The published exporter totals that do not depend on
/// how the split blocks are kept hold (gvc/iciotest/EXPECTED.md, exvatools 0.9.0: EXGR 4666.96,
/// DVA 1880.60); the terms that do (DC, DDC, REF) differ from exvatools, which keeps MX1/MX2 as
/// separate industries of MEX: the file says what it merged.
#[test]
fn exvatools_iciotest_reads_as_an_icio_table() {
    let path = shared_data("gvc/iciotest/iciotest_data.csv");
    let p = path.to_str().unwrap();
    let info = tradenet(["info", "--format", "json", p]).json();
    assert_eq!(info["nodes"], 18, "{info:#}");
    let text = tradenet(["info", p]).ok();
    assert!(text.contains("merged: MX1, MX2 added into MEX"), "{text}");
    let j = tradenet([
        "gvc",
        p,
        "--exporter",
        "ESP",
        "--method",
        "bm-source",
        "--format",
        "json",
    ])
    .json();
    let t = &j["exporters"][0]["terms"];
    assert_eq!(j["exporters"][0]["id"], "ESP");
    let round2 = |k: &str| (t[k].as_f64().unwrap() * 100.0).round() / 100.0;
    assert_eq!(round2("EXGR"), 4666.96, "{t:#}");
    assert_eq!(round2("DVA"), 1880.60, "{t:#}");
}

fn wiod_mock() -> PathBuf {
    pymrio_mock("wiod_mock/wiot09_row_sep12.xlsx")
}

/// A copy of the workbook `src` at `out` with `edit` applied to its member `member`.
fn xlsx_edited(src: &Path, out: &Path, member: &str, edit: impl FnOnce(String) -> String) {
    use std::io::{Read, Write};
    let raw = std::fs::read(src).unwrap();
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut edit = Some(edit);
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut body = Vec::new();
        f.read_to_end(&mut body).unwrap();
        if name == member {
            body = (edit.take().unwrap())(String::from_utf8(body).unwrap()).into_bytes();
        }
        w.start_file(name, o).unwrap();
        w.write_all(&body).unwrap();
    }
    w.finish().unwrap();
    assert!(edit.is_none(), "no member {member} in {}", src.display());
}

/// A copy of the WIOD mock in `dir` with `edit` applied to its sheet XML.
fn wiod_edited(dir: &Path, edit: impl FnOnce(String) -> String) -> PathBuf {
    let out = dir.join("wiot09_row_sep12.xlsx");
    xlsx_edited(&wiod_mock(), &out, "xl/worksheets/sheet1.xml", edit);
    out
}

#[test]
fn wiod_2013_totals_value_added_unit_and_year() {
    let g = read(&wiod_mock());
    assert_eq!(g.node_count(), 48);
    let mut c = countries(&g);
    c.sort_unstable();
    assert_eq!(c, ["AUS", "BEL", "LUX", "ROU", "RoW", "USA"]);
    let (z, y, x) = totals(&g);
    close(z, 38872616.883925, "sum Z");
    close(y, 3283795836.165648, "sum Y");
    close(x, 3322668453.049574, "sum x");
    let va: f64 = g
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    rounded(va, 2559123.64559, 5, "factor-input F sum");
    assert_eq!(g.meta.extra["layout"], "WIOD 2013 release");
    assert_eq!(g.meta.unit.as_deref(), Some("millions of US$"));
    assert_eq!(g.meta.year, Some(2009));
    assert_eq!(
        g.meta.extra["final_demand_categories"],
        serde_json::json!(["c37", "c38", "c39", "c41", "c42"])
    );
    assert_eq!(
        g.meta.extra["value_added_components"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    // A cell: AUS AtB to AUS AtB, E7 of the sheet; households of LUX buy from AUS AtB (BK7).
    close(
        flow(&g, "AUS:AtB", "AUS:AtB"),
        23697.221,
        "Z[AUS AtB, AUS AtB]",
    );
    close(
        attr(&g, "AUS:AtB", &["final_demand_by_category", "LUX", "c37"]),
        2888.5969,
        "Y[AUS AtB, LUX c37]",
    );
    for c in g.meta.extra["checks"].as_array().unwrap() {
        assert!(!c.as_str().unwrap().starts_with("MISMATCH"), "{c}");
    }
    // The folder with the year, and the forced format, read the same table.
    let v = tradenet([
        "info",
        pymrio_mock("wiod_mock").to_str().unwrap(),
        "--year",
        "2009",
        "--input-format",
        "wiod",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["nodes"], 48);
    assert_eq!(v["layout"], "WIOD 2013 release");
    let e = tradenet([
        "info",
        pymrio_mock("wiod_mock").to_str().unwrap(),
        "--year",
        "2010",
    ])
    .fails();
    assert!(
        e.contains("no WIOD table of 2010 (wiot10*.xlsx) here"),
        "{e}"
    );
}

#[test]
fn bad_wiod_workbooks_fail_with_file_place_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    // Cut short: half the bytes of the workbook.
    let raw = std::fs::read(wiod_mock()).unwrap();
    let cut = dir.path().join("wiot09_row_sep12.xlsx");
    std::fs::write(&cut, &raw[..raw.len() / 2]).unwrap();
    let e = tradenet(["info", cut.to_str().unwrap()]).fails();
    assert!(e.contains("wiot09_row_sep12.xlsx"), "{e}");
    assert!(e.contains("not a readable .xlsx workbook"), "{e}");
    assert!(
        e.contains("hint: the workbook is damaged or cut short"),
        "{e}"
    );
    // A cell that is not a number names the sheet and the cell.
    let sub = dir.path().join("word");
    std::fs::create_dir(&sub).unwrap();
    let word = wiod_edited(&sub, |x| {
        x.replacen(
            r#"<c r="E7" s="0" t="n"><v>23697.221</v></c>"#,
            r#"<c r="E7" t="inlineStr"><is><t>abc</t></is></c>"#,
            1,
        )
    });
    let e = tradenet(["info", word.to_str().unwrap()]).fails();
    assert!(
        e.contains("sheet 'WIOT_2009', cell E7: an intermediate flow must be a number, not 'abc'"),
        "{e}"
    );
    // Another workbook forced as WIOD: the rule it breaks.
    let readme = pymrio_mock("gloria_mock/GLORIA_ReadMe_059.xlsx");
    let e = tradenet(["info", readme.to_str().unwrap(), "--input-format", "wiod"]).fails();
    assert!(
        e.contains("sheet 'Regions': is not laid out as a WIOD table"),
        "{e}"
    );
    assert!(
        e.contains("hint: a WIOD 2013-release table is the workbook"),
        "{e}"
    );
}

const GLORIA_T: &str =
    "GLORIA_MRIOs_59_2022/0_120secMother_AllCountries_002_T-Results_2022_059_Markup001(full).csv";

/// The number in row `r`, column `c` (0-based) of a headerless CSV.
fn csv_cell(path: &Path, r: usize, c: usize) -> f64 {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().nth(r).unwrap();
    line.split(',').nth(c).unwrap().parse().unwrap()
}

#[test]
fn gloria_totals_value_added_unit_and_year() {
    let g = read(&pymrio_mock("gloria_mock"));
    assert_eq!(g.node_count(), 9);
    assert_eq!(countries(&g), ["AUS", "AUT", "AZE"]);
    let (z, y, x) = totals(&g);
    close(z, 2947295.350491, "sum Z");
    close(y, 3956844.515398, "sum Y");
    close(x, 6904139.865889, "sum x");
    let va: f64 = g
        .nodes()
        .map(|n| n.extra.as_ref().unwrap().value_added.unwrap())
        .sum();
    rounded(va, 3553956.0928, 4, "VA F sum");
    assert_eq!(
        g.meta.extra["layout"],
        "GLORIA v59 bp (construct B: product by product)"
    );
    assert_eq!(g.meta.unit.as_deref(), Some("thousand USD"));
    assert_eq!(g.meta.year, Some(2022));
    assert_eq!(
        g.meta.extra["value_added_components"],
        serde_json::json!(["Compensation of employees D.1", "Taxes on production D.29"])
    );
    // V is diagonal: Z is U, the Product rows x Industry columns of T (row 4, column 1 of the
    // file: AUS product 1 used by AUS industry 1).
    let t = pymrio_mock(&format!("gloria_mock/{GLORIA_T}"));
    close(
        flow(&g, "AUS:Forestry and logging", "AUS:Forestry and logging"),
        csv_cell(&t, 3, 0),
        "Z[AUS 1, AUS 1] = T[AUS Product 1, AUS Industry 1]",
    );
    // The MRIOs folder (ReadMe one folder up), a file of it and the forced format read the same.
    for p in [pymrio_mock("gloria_mock/GLORIA_MRIOs_59_2022"), t.clone()] {
        let v = tradenet(["info", p.to_str().unwrap(), "--format", "json"]).json();
        assert_eq!(v["nodes"], 9, "{}", p.display());
        assert_eq!(v["total_value"].as_f64().unwrap().round(), 2947295.0);
    }
    let v = tradenet([
        "info",
        pymrio_mock("gloria_mock").to_str().unwrap(),
        "--input-format",
        "gloria",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(
        v["layout"],
        "GLORIA v59 bp (construct B: product by product)"
    );
}

#[test]
fn gloria_region_with_an_empty_t_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let out = copy_mock("gloria_mock", dir.path(), "g");
    // AZE is the third region: rows and columns 12..18 of T.
    let t = out.join(GLORIA_T);
    let text = std::fs::read_to_string(&t).unwrap();
    let zeroed: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            l.split(',')
                .enumerate()
                .map(|(j, v)| if i >= 12 || j >= 12 { "0.0" } else { v })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    std::fs::write(&t, zeroed.join("\n") + "\n").unwrap();
    let g = read(&out);
    assert_eq!(countries(&g), ["AUS", "AUT"]);
    assert_eq!(g.node_count(), 6);
    let dropped = g.meta.extra["dropped"][0].as_str().unwrap();
    assert_eq!(
        dropped,
        "AZE (all T rows and columns sum to 0), as pymrio drops them"
    );
}

#[test]
fn bad_gloria_sets_fail_with_file_place_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    // The ReadMe without its Sectors sheet.
    let out = copy_mock("gloria_mock", dir.path(), "nosheet");
    let readme = out.join("GLORIA_ReadMe_059.xlsx");
    xlsx_edited(
        &pymrio_mock("gloria_mock/GLORIA_ReadMe_059.xlsx"),
        &readme,
        "xl/workbook.xml",
        |x| x.replacen("name=\"Sectors\"", "name=\"Sektoren\"", 1),
    );
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(e.contains("GLORIA_ReadMe_059.xlsx: no sheet 'Sectors' (its sheets: Regions, Sektoren, Value added and final demand, Satellites)"), "{e}");
    assert!(
        e.contains("hint: GLORIA_ReadMe_059.xlsx as downloaded has the sheets"),
        "{e}"
    );
    // No ReadMe at all.
    std::fs::remove_file(&readme).unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(
        e.contains("GLORIA_ReadMe_059.xlsx (the labels of the matrices) is not here"),
        "{e}"
    );
    // A T matrix cut short by its last row.
    let out = copy_mock("gloria_mock", dir.path(), "cut");
    let t = out.join(GLORIA_T);
    let text = std::fs::read_to_string(&t).unwrap();
    let cut: Vec<&str> = text.lines().take(17).collect();
    std::fs::write(&t, cut.join("\n")).unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(e.contains("T-Results_2022_059_Markup001(full).csv: has 17 rows and 18 columns, but the ReadMe's labels make it 18 x 18"), "{e}");
    // A Y file missing from the set.
    let out = copy_mock("gloria_mock", dir.path(), "noy");
    std::fs::remove_file(out.join(GLORIA_T.replace("_T-", "_Y-"))).unwrap();
    let e = tradenet(["info", out.to_str().unwrap()]).fails();
    assert!(e.contains("the GLORIA set of 2022 is incomplete: ..._Y-Results_2022_059_Markup001(full).csv missing"), "{e}");
}

const FIGARO: &str = "tests/fixtures/figaro/flatfile_eu-ic-io_ind-by-ind_23ed_2021.csv";

/// The FIGARO fixture, with `edit` applied, in `dir`.
fn figaro_edited(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> String {
    let out = dir.join(name);
    std::fs::write(&out, edit(std::fs::read_to_string(FIGARO).unwrap())).unwrap();
    out.to_str().unwrap().to_string()
}

#[test]
fn figaro_flat_file_totals_by_hand() {
    // The fixture's values (tests/fixtures/figaro/make.py), summed by hand:
    // Z rows AT:A01 10+20+1+2 = 33, AT:C10T12 3+30+4 = 37, DE:A01 2+40+50 = 92,
    // DE:C10T12 5+6+60 = 71: sum Z 233;
    // Y rows AT:A01 100-2+7 = 105, AT:C10T12 200+10+1+15 = 226, DE:A01 300+20+5 = 325,
    // DE:C10T12 400+30+8 = 438: sum Y 1094; x = 138, 263, 417, 509: sum 1327;
    // value added (W2 rows under industries) 123 + 208 + 370 + 393 = 1094; D21X31 on final
    // demand 12 + 20 = 32.
    let g = read(Path::new(FIGARO));
    assert_eq!(g.node_count(), 4);
    assert_eq!(countries(&g), ["AT", "DE"]);
    let (z, y, x) = totals(&g);
    assert_eq!((z, y, x), (233.0, 1094.0, 1327.0));
    for (node, want_x, want_va) in [
        ("AT:A01", 138.0, 123.0),
        ("AT:C10T12", 263.0, 208.0),
        ("DE:A01", 417.0, 370.0),
        ("DE:C10T12", 509.0, 393.0),
    ] {
        let e = g.node(g.require_node(node).unwrap()).extra.clone().unwrap();
        assert_eq!(e.output, Some(want_x), "{node} output");
        assert_eq!(e.value_added, Some(want_va), "{node} value added");
    }
    assert_eq!(flow(&g, "DE:C10T12", "AT:C10T12"), 5.0);
    assert_eq!(
        attr(&g, "AT:A01", &["final_demand_by_category", "AT", "P5M"]),
        -2.0
    );
    assert_eq!(
        attr(&g, "DE:A01", &["value_added_by_component", "D1"]),
        200.0
    );
    assert_eq!(
        attr(&g, "AT:A01", &["value_added_by_component", "D29X39"]),
        -1.0
    );
    assert_eq!(g.meta.extra["value_added_on_final_demand"]["D21X31"], 32.0);
    assert_eq!(
        g.meta.extra["final_demand_categories"],
        serde_json::json!(["P3_S13", "P3_S14", "P3_S15", "P51G", "P5M"])
    );
    assert_eq!(g.meta.extra["layout"], "FIGARO ind-by-ind");
    assert_eq!(g.meta.unit.as_deref(), Some("million EUR"));
    assert_eq!(g.meta.year, Some(2021));
    // Zipped as Eurostat ships it, and forced, it reads the same.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::copy(
        FIGARO,
        src.join("flatfile_eu-ic-io_ind-by-ind_23ed_2021.csv"),
    )
    .unwrap();
    let z = dir
        .path()
        .join("flatfile_eu-ic-io_ind-by-ind_23ed_2021.zip");
    zip_folder(&src, &z, "");
    let gz = read(&z);
    assert_eq!(totals(&gz), (233.0, 1094.0, 1327.0));
    assert_eq!(gz.meta.year, Some(2021));
    // The product-by-product flat file names its columns rowPp, colPp.
    let pxp = figaro_edited(
        dir.path(),
        "flatfile_eu-ic-io_prod-by-prod_23ed_2021.csv",
        |t| {
            t.replacen(
                "icioiRow,icioiCol,refArea,rowIi,counterpartArea,colIi,obsValue",
                "iciopRow,iciopCol,refArea,rowPp,counterpartArea,colPp,obsValue",
                1,
            )
        },
    );
    let gp = read(Path::new(&pxp));
    assert_eq!(totals(&gp), (233.0, 1094.0, 1327.0));
    assert_eq!(gp.meta.extra["layout"], "FIGARO prod-by-prod");
    let v = tradenet([
        "info",
        FIGARO,
        "--input-format",
        "figaro",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["nodes"], 4);
    assert_eq!(v["total_value"], 233.0);
}

#[test]
fn bad_figaro_files_fail_with_line_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    // A column missing: colIi dropped from every line.
    let nocol = figaro_edited(dir.path(), "nocol.csv", |t| {
        t.lines()
            .map(|l| {
                let mut f: Vec<&str> = l.split(',').collect();
                f.remove(5);
                f.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let e = tradenet(["info", &nocol]).fails();
    assert!(e.contains("nocol.csv: line 1: no column colIi (or colPp) (the header has: icioiRow, icioiCol, refArea, rowIi, counterpartArea, obsValue)"), "{e}");
    assert!(e.contains("hint: a FIGARO input-output flat file"), "{e}");
    // A value that is not a number.
    let word = figaro_edited(dir.path(), "word.csv", |t| {
        t.replacen(
            "AT_A01,AT_C10T12,AT,A01,AT,C10T12,20.0",
            "AT_A01,AT_C10T12,AT,A01,AT,C10T12,abc",
            1,
        )
    });
    let e = tradenet(["info", &word]).fails();
    assert!(
        e.contains("word.csv: line 3 (obsValue): not a number: 'abc'"),
        "{e}"
    );
    // A line with too few fields.
    let short = figaro_edited(dir.path(), "short.csv", |t| {
        t.replacen(
            "AT_A01,AT_C10T12,AT,A01,AT,C10T12,20.0",
            "AT_A01,AT_C10T12,AT",
            1,
        )
    });
    let e = tradenet(["info", &short]).fails();
    assert!(
        e.contains("short.csv: line 3: has 3 fields, the header has 7"),
        "{e}"
    );
    // A cell listed twice.
    let twice = figaro_edited(dir.path(), "twice.csv", |t| {
        t + "AT_A01,AT_A01,AT,A01,AT,A01,1.0\n"
    });
    let e = tradenet(["info", &twice]).fails();
    assert!(
        e.contains("the intermediate cell AT A01 -> AT A01 is listed twice"),
        "{e}"
    );
    // A supply table is not an input-output table.
    let sup = figaro_edited(dir.path(), "sup.csv", |_| {
        "icsupRow,icsupCol,refArea,rowPi,counterpartArea,colPi,obsValue\nAT_CPA_A01,AT_A01,AT,CPA_A01,AT,A01,1\n".into()
    });
    let e = tradenet(["info", &sup]).fails();
    assert!(
        e.contains("line 1: this is a FIGARO supply table (icsupRow), not an input-output table"),
        "{e}"
    );
}

#[test]
fn gloria_zipped_results_beside_the_readme() {
    // As pymrio's downloader leaves them: GLORIA_MRIOs_59_2022.zip and the ReadMe in a folder.
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("GLORIA_MRIOs_59_2022.zip");
    zip_folder(
        &pymrio_mock("gloria_mock/GLORIA_MRIOs_59_2022"),
        &z,
        "GLORIA_MRIOs_59_2022/",
    );
    std::fs::copy(
        pymrio_mock("gloria_mock/GLORIA_ReadMe_059.xlsx"),
        dir.path().join("GLORIA_ReadMe_059.xlsx"),
    )
    .unwrap();
    for p in [dir.path().to_path_buf(), z] {
        let g = read(&p);
        let (zs, y, x) = totals(&g);
        close(zs, 2947295.350491, "sum Z");
        close(y, 3956844.515398, "sum Y");
        close(x, 6904139.865889, "sum x");
    }
}

/// `info` names each published layout, its unit and year, and what was merged, dropped or
/// checked on the way in: one row per reader (the mock sets of pymrio's test suite, the WIOD
/// and FIGARO fixtures).
#[test]
fn info_names_layout_unit_year_and_what_was_done() {
    let cases: [(PathBuf, &[&str]); 5] = [
        (
            pymrio_mock("exio3_mock"),
            &[
                "layout: EXIOBASE 3 pxp",
                "unit: Mill USD",
                "year: 2009",
                "region codes renamed to EXIOBASE's two-letter codes",
                "dropped: satellite/F_hh.txt (final-demand stressors): not read",
            ],
        ),
        (
            pymrio_mock("eora26_mock"),
            &[
                "layout: Eora26 bp",
                "unit: million USD",
                "year: 2010",
                "dropped: Eora26_2010_bp_Q.txt, Eora26_2010_bp_QY.txt (satellite stressors): not read",
            ],
        ),
        (
            wiod_mock(),
            &[
                "layout: WIOD 2013 release",
                "unit: millions of US$",
                "year: 2009",
                "merged: ROM renamed ROU",
                "dropped: the last column (CE, total output) and the rows r60 (Total intermediate consumption), r69 (Output at basic prices)",
                "dropped: the satellite accounts beside the table (AIR_may12, WIOD_SEA_July14.xlsx, lan_may12.zip): not read",
                "check: the output column equals the row sums of Z and Y for all 48 nodes",
            ],
        ),
        (
            pymrio_mock("gloria_mock"),
            &[
                "layout: GLORIA v59 bp (construct B: product by product)",
                "unit: thousand USD",
                "year: 2022",
                "dropped: TQ-Results, YQ-Results of 2022 (satellite accounts): not read",
                "basic prices (Markup001) read; T-Results Markup005, Y-Results Markup005 beside them not",
            ],
        ),
        (
            PathBuf::from(FIGARO),
            &[
                "layout: FIGARO ind-by-ind",
                "unit: million EUR",
                "year: 2021",
                "source: Eurostat FIGARO inter-country input-output tables (edition 23ed)",
                "value added from the W2 rows (B2A3G, D1, D21X31, D29X39)",
                "pymrio has no reader of this layout",
            ],
        ),
    ];
    for (path, wants) in cases {
        let text = tradenet(["info", path.to_str().unwrap()]).ok();
        for want in wants {
            assert!(text.contains(want), "no `{want}` in:\n{text}");
        }
    }
    // The same in the JSON, read as a forced format.
    let exio = pymrio_mock("exio3_mock");
    let v = tradenet([
        "info",
        exio.to_str().unwrap(),
        "--input-format",
        "exiobase3",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["layout"], "EXIOBASE 3 pxp");
    assert_eq!(v["unit"], "Mill USD");
    assert_eq!(v["data_year"], 2009);
}

#[test]
fn exiobase3_rows_in_another_order_than_the_columns_read_the_same_table() {
    // The matrix is parsed in file order and put in node (column) order: rows written in
    // reverse must give every flow of the original, bit for bit.
    let dir = tempfile::tempdir().unwrap();
    let out = copy_mock("exio3_mock", dir.path(), "reversed");
    let a = std::fs::read_to_string(out.join("A.txt")).unwrap();
    let lines: Vec<&str> = a.lines().collect();
    let head = lines
        .iter()
        .take_while(|l| {
            l.split('\t')
                .nth(2)
                .and_then(|f| f.parse::<f64>().ok())
                .is_none()
        })
        .count();
    assert!(head >= 2 && head < lines.len(), "{head}");
    let mut text: String = lines[..head].iter().map(|l| format!("{l}\n")).collect();
    for l in lines[head..].iter().rev() {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(out.join("A.txt"), text).unwrap();
    let flows = |g: &TradeGraph| {
        g.flows()
            .map(|(a, b, f)| {
                (
                    g.node(a).id.clone(),
                    g.node(b).id.clone(),
                    f.value.to_bits(),
                )
            })
            .collect::<Vec<_>>()
    };
    let original = read(&pymrio_mock("exio3_mock"));
    let reversed = read(&out);
    exio_totals(&reversed, "rows reversed");
    assert_eq!(flows(&reversed), flows(&original));
}
