//! Structural gravity in general equilibrium (`tradenet::analysis::ge::gravity`,
//! `tradenet::io::gravity`).
//!
//! Reference values: `../shared/data/gegravity-sample/reference/` (see its README.md), the full
//! output of gegravity 0.3's documented `OneSectorGE` example (CAN-JPN trade agreement, sigma
//! 5, reference importer DEU, `hybr` at tol 1e-8) on `sample_data_set.csv`, written by
//! `export_results(include_levels=True)`. gegravity stops at 1e-8, so its figures carry about
//! 1e-8 of solver error; they are compared at 1e-6 (pp or relative). The exact method's GDP
//! changes are the README's own "textbook full-endowment" computation (not gegravity), printed
//! to 6 decimals there, compared at 1e-5 pp. The data is read at run time, never copied.

use crate::common::shared_data;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tradenet::analysis::ge::gravity::{
    gravity_ge, GravityMethod, GravityParams, GravityResult, SetVariable,
};
use tradenet::io::gravity::{
    load_cost_coefficients, load_gravity, read_cost_coefficients, read_gravity, GravityData,
};
use tradenet::Error;

fn sample() -> PathBuf {
    shared_data("gegravity-sample/sample_data_set.csv")
}

fn reference(file: &str) -> PathBuf {
    shared_data(&format!("gegravity-sample/reference/{file}"))
}

/// A CSV's rows as maps from column name to text.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|x| {
            h.iter()
                .cloned()
                .zip(x.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    let s = row
        .get(col)
        .unwrap_or_else(|| panic!("no column '{col}' in {row:?}"));
    s.parse()
        .unwrap_or_else(|_| panic!("not a number in '{col}': {s}"))
}

fn data() -> GravityData {
    load_gravity(&sample(), Some(2006)).unwrap()
}

/// gegravity's example: coefficients from `reference/cost_coefficients.csv`, sigma 5, DEU.
fn can_jpn(d: &GravityData, method: GravityMethod) -> GravityParams {
    GravityParams {
        sigma: 5.0,
        reference: Some("DEU".into()),
        coefficients: load_cost_coefficients(&reference("cost_coefficients.csv"), d).unwrap(),
        experiments: vec![
            SetVariable::parse("pta:CAN:JPN=1").unwrap(),
            SetVariable::parse("pta:JPN:CAN=1").unwrap(),
        ],
        method,
        ..Default::default()
    }
}

fn country<'a>(
    r: &'a GravityResult,
    id: &str,
) -> &'a tradenet::analysis::ge::gravity::GravityCountry {
    r.countries
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no country {id}"))
}

#[test]
fn reads_the_sample_data_set() {
    let d = data();
    assert_eq!(d.len(), 30);
    assert_eq!(d.trade.len(), 900);
    assert_eq!(d.year, Some(2006));
    let names: Vec<&str> = d.variable_names().collect();
    assert_eq!(
        names,
        [
            "pta",
            "contiguity",
            "common_language",
            "lndist",
            "international"
        ]
    );
    // SOURCE.md: US intranational trade 4.23 trillion, US output 5.02 trillion; USA and CAN
    // internal distances 7.5592 and 7.3345; sum(Y) = 24,822,039 and sum(E) = 24,620,554.
    let usa = d.index("USA").unwrap();
    let can = d.index("CAN").unwrap();
    let n = d.len();
    assert!((d.trade[usa * n + usa] / 4.23e6 - 1.0).abs() < 0.005);
    assert!((d.output[usa] / 5.02e6 - 1.0).abs() < 0.005);
    assert_eq!(d.variable("lndist").unwrap()[usa * n + usa], 7.5592);
    assert_eq!(d.variable("lndist").unwrap()[can * n + can], 7.3345);
    assert_eq!(d.output.iter().sum::<f64>(), 24_822_039.0);
    assert_eq!(d.expenditure.iter().sum::<f64>(), 24_620_554.0);
    // The year is optional when the file holds one; another year is unknown.
    assert_eq!(load_gravity(&sample(), None).unwrap(), d);
    let e = load_gravity(&sample(), Some(2007)).unwrap_err();
    assert!(matches!(e, Error::Unknown { what: "year", .. }), "{e}");
    assert!(e.to_string().contains("2006"), "{e}");
}

#[test]
fn gegravity_method_matches_gegravity_country_results() {
    let d = data();
    let r = gravity_ge(&d, &can_jpn(&d, GravityMethod::Gegravity)).unwrap();
    assert_eq!(r.reference, "DEU");
    assert!(r.solver.converged);
    // Confirmed figures of reference/README.md (also in the gegravity documentation).
    for (id, gdp) in [
        ("CAN", 0.4182613159),
        ("JPN", 0.0537548832),
        ("USA", -0.0074111069),
    ] {
        let c = country(&r, id);
        assert!(
            (c.gdp_pct - gdp).abs() < 1e-6,
            "{id}: {} vs {gdp}",
            c.gdp_pct
        );
    }
    // Every country of reference/can_jpn_pta_country_results.csv (gegravity 0.3
    // export_results), at 1e-6 pp (levels at 1e-6 relative).
    let rows = table(&reference("can_jpn_pta_country_results.csv"));
    assert_eq!(rows.len(), 30);
    for row in &rows {
        let c = country(&r, &row["country"]);
        let pp = [
            ("GDP change (percent)", c.gdp_pct),
            ("terms of trade change (percent)", c.terms_of_trade_pct),
            ("factory gate price change (percent)", c.factory_price_pct),
            ("imr change (percent)", c.imr_pct),
            ("omr change (percent)", c.omr_pct),
            ("output change (percent)", c.factory_price_pct),
            ("foreign exports change (percent)", c.exports_pct),
            ("foreign imports change (percent)", c.imports_pct),
            ("intranational trade change (percent)", c.intranational_pct),
        ];
        for (col, ours) in pp {
            let want = num(row, col);
            assert!(
                (ours - want).abs() < 1e-6,
                "{} {col}: {ours} vs {want}",
                c.id
            );
        }
        // welfare statistic = (E/P)/(E'/P'): 100 (1/stat - 1) is the GDP change.
        let w = 100.0 * (1.0 / num(row, "welfare statistic") - 1.0);
        assert!(
            (c.welfare_pct - w).abs() < 1e-6,
            "{}: {} vs {w}",
            c.id,
            c.welfare_pct
        );
        let levels = [
            ("baseline imr", c.imr_baseline),
            ("experiment imr", c.imr_new),
            ("baseline omr", c.omr_baseline),
            ("experiment omr", c.omr_new),
            ("baseline output", c.output_baseline),
            ("experiment output", c.output_new),
            ("baseline expenditure", c.expenditure_baseline),
            ("experiment expenditure", c.expenditure_new),
        ];
        for (col, ours) in levels {
            let want = num(row, col);
            assert!(
                (ours / want - 1.0).abs() < 1e-6,
                "{} {col}: {ours} vs {want}",
                c.id
            );
        }
    }
    // DEU is the reference: its imr is 1 and does not change.
    let deu = country(&r, "DEU");
    assert_eq!(
        (deu.imr_baseline, deu.imr_new, deu.imr_pct),
        (1.0, 1.0, 0.0)
    );
}

#[test]
fn gegravity_method_matches_gegravity_mr_terms_and_all_900_flows() {
    let d = data();
    let r = gravity_ge(&d, &can_jpn(&d, GravityMethod::Gegravity)).unwrap();
    // reference/can_jpn_pta_mr_terms.csv: baseline and experiment IMR (P) and OMR (Pi), 1e-6
    // relative. (gegravity's conditional and experiment MRs agree to 1e-10.)
    for row in table(&reference("can_jpn_pta_mr_terms.csv")) {
        let c = country(&r, &row["country"]);
        for (col, ours) in [
            ("baseline imr", c.imr_baseline),
            ("baseline omr", c.omr_baseline),
            ("conditional imr", c.imr_new),
            ("conditional omr", c.omr_new),
            ("experiment imr", c.imr_new),
            ("experiment omr", c.omr_new),
        ] {
            let want = num(&row, col);
            assert!(
                (ours / want - 1.0).abs() < 1e-6,
                "{} {col}: {ours} vs {want}",
                c.id
            );
        }
    }
    // reference/can_jpn_pta_bilateral_results.csv: baseline modeled and experiment trade of
    // all 900 pairs, 1e-6 relative; the change in percent at 1e-6 pp.
    let rows = table(&reference("can_jpn_pta_bilateral_results.csv"));
    assert_eq!(rows.len(), 900);
    assert_eq!(r.flows.len(), 900);
    let by_pair: BTreeMap<(&str, &str), _> = r
        .flows
        .iter()
        .map(|f| ((f.from.as_str(), f.to.as_str()), f))
        .collect();
    let mut worst = 0.0f64;
    for row in &rows {
        let f = by_pair[&(row["exporter"].as_str(), row["importer"].as_str())];
        for (col, ours) in [
            ("baseline modeled trade", f.baseline),
            ("experiment trade", f.new),
        ] {
            let want = num(row, col);
            let rel = (ours / want - 1.0).abs();
            worst = worst.max(rel);
            assert!(rel < 1e-6, "{}->{} {col}: {ours} vs {want}", f.from, f.to);
        }
        let want = num(row, "trade change (percent)");
        assert!(
            (f.delta_pct - want).abs() < 1e-6,
            "{}->{}: {} vs {want}",
            f.from,
            f.to,
            f.delta_pct
        );
    }
    // README: CAN->JPN trade +62.44%, JPN->CAN +55.29%.
    assert!((by_pair[&("CAN", "JPN")].delta_pct - 62.44).abs() < 0.005);
    assert!((by_pair[&("JPN", "CAN")].delta_pct - 55.29).abs() < 0.005);
    // Flows are in sorted order, exporter then importer.
    let keys: Vec<(&str, &str)> = r
        .flows
        .iter()
        .map(|f| (f.from.as_str(), f.to.as_str()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    eprintln!("largest relative flow difference from gegravity: {worst:e}");
}

#[test]
fn exact_method_clears_every_market() {
    let d = data();
    let r = gravity_ge(&d, &can_jpn(&d, GravityMethod::Exact)).unwrap();
    // reference/README.md, "Caveats": the textbook full-endowment solution (the README
    // author's own computation, not gegravity), 6 decimals, compared at 1e-5 pp.
    for (id, gdp) in [
        ("CAN", 0.428227),
        ("JPN", 0.050413),
        ("USA", -0.006606),
        ("MEX", -0.011548),
        ("DEU", -0.001612),
    ] {
        let c = country(&r, id);
        assert!(
            (c.gdp_pct - gdp).abs() < 1e-5,
            "{id}: {} vs {gdp}",
            c.gdp_pct
        );
    }
    for c in &r.solver.residuals {
        assert!(c.max_abs < 1e-10, "{c:?}");
    }
    let names: Vec<&str> = r
        .solver
        .residuals
        .iter()
        .map(|c| c.condition.as_str())
        .collect();
    assert!(
        names.contains(&"output market clearing (shares)"),
        "{names:?}"
    );
    assert!(names.contains(&"expenditure market clearing"), "{names:?}");
    // The same flows by hand: column sums are E', row shares are Y' shares.
    let n = d.len();
    let sum_y: f64 = r.countries.iter().map(|c| c.output_new).sum();
    let total: f64 = r.flows.iter().map(|f| f.new).sum();
    for (k, c) in r.countries.iter().enumerate() {
        let row: f64 = r.flows[k * n..(k + 1) * n].iter().map(|f| f.new).sum();
        let col: f64 = (0..n).map(|i| r.flows[i * n + k].new).sum();
        assert!(
            (row / total / (c.output_new / sum_y) - 1.0).abs() < 1e-10,
            "{}",
            c.id
        );
        assert!((col / c.expenditure_new - 1.0).abs() < 1e-10, "{}", c.id);
    }
    // gegravity's flows do not clear: its residuals are far above the tolerance.
    let g = gravity_ge(&d, &can_jpn(&d, GravityMethod::Gegravity)).unwrap();
    let worst = g
        .solver
        .residuals
        .iter()
        .map(|c| c.max_abs)
        .fold(0.0, f64::max);
    assert!(worst > 1e-6, "{:?}", g.solver.residuals);
}

#[test]
fn zero_shock_changes_nothing() {
    let d = data();
    for m in [GravityMethod::Exact, GravityMethod::Gegravity] {
        let mut p = can_jpn(&d, m);
        // pta of CAN-JPN is 0 in the data: set it to 0.
        let pta = d.variable("pta").unwrap();
        let (can, jpn, n) = (d.index("CAN").unwrap(), d.index("JPN").unwrap(), d.len());
        assert_eq!((pta[jpn * n + can], pta[can * n + jpn]), (0.0, 0.0));
        for s in &mut p.experiments {
            s.value = 0.0;
        }
        p.trade_cost_factors = vec![("USA".into(), "MEX".into(), 1.0)];
        let r = gravity_ge(&d, &p).unwrap();
        for c in &r.countries {
            for v in [
                c.gdp_pct,
                c.welfare_pct,
                c.factory_price_pct,
                c.imr_pct,
                c.omr_pct,
                c.terms_of_trade_pct,
                c.exports_pct,
                c.imports_pct,
                c.intranational_pct,
            ] {
                assert!(v.abs() < 1e-12, "{m:?} {}: {c:?}", c.id);
            }
        }
        for f in &r.flows {
            assert!(f.delta_pct.abs() < 1e-12, "{m:?} {f:?}");
        }
    }
}

/// The sample's rows in another order, with every country renamed so that the sorted order
/// is reversed (`z29_AUS` ... `z00_ZAF`... as text sorted backwards): results by original id.
#[test]
fn row_and_country_order_do_not_matter() {
    let d = data();
    let text = std::fs::read_to_string(sample()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    // A fixed permutation: every 7th row first, then the rest reversed.
    let (mut a, mut b): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for (k, l) in lines.iter().enumerate() {
        if k % 7 == 0 {
            a.push(l);
        } else {
            b.push(l);
        }
    }
    b.reverse();
    let rename = |id: &str| {
        let k = d.index(id).unwrap();
        format!("z{:02}_{id}", 29 - k)
    };
    let mut csv = format!("{header}\n");
    for l in a.iter().chain(&b) {
        let (exp, rest) = l.split_once(',').unwrap();
        let (imp, rest) = rest.split_once(',').unwrap();
        csv += &format!("{},{},{rest}\n", rename(exp), rename(imp));
    }
    let d2 = read_gravity(csv.as_bytes(), None).unwrap();
    assert_eq!(d2.countries[0], rename("ZAF"));
    for m in [GravityMethod::Exact, GravityMethod::Gegravity] {
        let r1 = gravity_ge(&d, &can_jpn(&d, m)).unwrap();
        let mut p2 = can_jpn(&d2, m);
        p2.reference = Some(rename("DEU"));
        for s in &mut p2.experiments {
            s.importer = rename(&s.importer);
            s.exporter = rename(&s.exporter);
        }
        let r2 = gravity_ge(&d2, &p2).unwrap();
        for c in &r1.countries {
            let c2 = country(&r2, &rename(&c.id));
            for (a, b) in [
                (c.gdp_pct, c2.gdp_pct),
                (c.factory_price_pct, c2.factory_price_pct),
                (c.imr_pct, c2.imr_pct),
                (c.omr_pct, c2.omr_pct),
                (c.exports_pct, c2.exports_pct),
            ] {
                assert!((a - b).abs() < 1e-9, "{m:?} {}: {a} vs {b}", c.id);
            }
            assert!((c.imr_baseline / c2.imr_baseline - 1.0).abs() < 1e-12);
        }
        let by_pair: BTreeMap<(String, String), f64> = r2
            .flows
            .iter()
            .map(|f| ((f.from.clone(), f.to.clone()), f.new))
            .collect();
        for f in &r1.flows {
            let other = by_pair[&(rename(&f.from), rename(&f.to))];
            assert!((f.new / other - 1.0).abs() < 1e-12, "{m:?} {f:?}");
        }
    }
}

/// Numeraire independence: with USA instead of DEU as the reference, real changes (GDP,
/// welfare, terms of trade) and the baseline flows are the same; nominal changes (factory
/// prices, output, flows) differ by one common factor (prices are in another numeraire).
#[test]
fn the_reference_country_is_only_the_numeraire() {
    let d = data();
    for m in [GravityMethod::Exact, GravityMethod::Gegravity] {
        let r1 = gravity_ge(&d, &can_jpn(&d, m)).unwrap();
        let mut p = can_jpn(&d, m);
        p.reference = Some("USA".into());
        let r2 = gravity_ge(&d, &p).unwrap();
        assert_eq!(r2.reference, "USA");
        assert_eq!(country(&r2, "USA").imr_baseline, 1.0);
        let k0 = (1.0 + r2.countries[0].factory_price_pct / 100.0)
            / (1.0 + r1.countries[0].factory_price_pct / 100.0);
        assert!(
            (k0 - 1.0).abs() > 1e-9,
            "the numeraire should move nominal prices"
        );
        for (a, b) in r1.countries.iter().zip(&r2.countries) {
            for (x, y) in [
                (a.gdp_pct, b.gdp_pct),
                (a.welfare_pct, b.welfare_pct),
                (a.terms_of_trade_pct, b.terms_of_trade_pct),
            ] {
                assert!((x - y).abs() < 1e-9, "{m:?} {}: {x} vs {y}", a.id);
            }
            let k = (1.0 + b.factory_price_pct / 100.0) / (1.0 + a.factory_price_pct / 100.0);
            assert!((k / k0 - 1.0).abs() < 1e-9, "{m:?} {}", a.id);
            // Relative resistances P_i / P_DEU do not depend on the reference.
            let deu1 = country(&r1, "DEU").imr_baseline;
            let deu2 = country(&r2, "DEU").imr_baseline;
            assert!((a.imr_baseline / deu1 / (b.imr_baseline / deu2) - 1.0).abs() < 1e-9);
        }
        for (f1, f2) in r1.flows.iter().zip(&r2.flows) {
            assert!((f1.baseline / f2.baseline - 1.0).abs() < 1e-9, "{f1:?}");
            let k = (f2.new / f2.baseline) / (f1.new / f1.baseline);
            assert!((k / k0 - 1.0).abs() < 1e-9, "{m:?} {f1:?} {f2:?}");
        }
    }
}

#[test]
fn default_reference_is_the_largest_expenditure() {
    let d = data();
    let mut p = can_jpn(&d, GravityMethod::Exact);
    p.reference = None;
    let r = gravity_ge(&d, &p).unwrap();
    assert_eq!(r.reference, "USA");
}

const HEADER: &str = "exporter,importer,year,trade,Y,E,dist\n";

/// A 2-country gravity CSV with the rows given after the header.
fn two(rows: &str) -> Result<GravityData, Error> {
    read_gravity(format!("{HEADER}{rows}").as_bytes(), None)
}

const GOOD: &str =
    "A,A,2006,5,10,9,0.5\nA,B,2006,5,10,11,2\nB,A,2006,4,10,9,2\nB,B,2006,6,10,11,0.5\n";

#[test]
fn bad_gravity_files_name_line_column_and_rule() {
    assert_eq!(two(GOOD).unwrap().len(), 2);
    // Missing column.
    let e = read_gravity(b"exporter,importer,trade,Y,dist\nA,A,1,1,1\n", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 1") && e.contains("no column 'E'"), "{e}");
    let cases = [
        // Not a number in a cost variable.
        (
            GOOD.replace("A,B,2006,5,10,11,2", "A,B,2006,5,10,11,far"),
            "line 3 (dist)",
            "must be a finite number",
        ),
        // Negative trade.
        (
            GOOD.replace("A,B,2006,5,", "A,B,2006,-5,"),
            "line 3 (trade)",
            "at least 0",
        ),
        // A pair given twice.
        (
            format!("{GOOD}A,B,2006,5,10,11,2\n"),
            "line 6",
            "given twice (first on line 3)",
        ),
        // A pair missing.
        (
            GOOD.replace("B,A,2006,4,10,9,2\n", ""),
            "exporter 'B', importer 'A'",
            "no row",
        ),
        // Y differing across one exporter's rows.
        (
            GOOD.replace("A,B,2006,5,10,11,2", "A,B,2006,5,10.5,11,2"),
            "line 3 (Y)",
            "on line 2",
        ),
    ];
    for (csv, place, rule) in cases {
        let e = two_raw(&csv);
        assert!(matches!(e, Error::Invalid { .. }), "{e}");
        let s = e.to_string();
        assert!(
            s.contains(place) && s.contains(rule),
            "{place} / {rule} not in: {s}"
        );
        assert!(s.contains("hint"), "no hint: {s}");
    }
    // Several years: choose one, and the message names them.
    let more = format!("{GOOD}{}", GOOD.replace("2006", "2007"));
    let e = two_raw(&more).to_string();
    assert!(
        e.contains("2006") && e.contains("2007") && e.contains("choose one"),
        "{e}"
    );
    assert_eq!(
        read_gravity(format!("{HEADER}{more}").as_bytes(), Some(2007))
            .unwrap()
            .year,
        Some(2007)
    );
    // A file read by path names itself.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.csv");
    std::fs::write(&path, format!("{HEADER}A,A,2006,x,10,9,0.5\n")).unwrap();
    let e = load_gravity(&path, None).unwrap_err().to_string();
    assert!(e.contains("g.csv") && e.contains("line 2 (trade)"), "{e}");
}

fn two_raw(rows: &str) -> Error {
    two(rows).unwrap_err()
}

#[test]
fn bad_coefficients_and_parameters_are_named() {
    let d = data();
    // An unknown variable, with the closest one.
    let e = read_cost_coefficients(b"var,beta,stderr\nlndst,-0.39,0.07\n", &d)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 2 (var)") && e.contains("'lndst'") && e.contains("did you mean 'lndist'?"),
        "{e}"
    );
    // `constant` needs no column (gegravity adds constant = 1 itself).
    let c = read_cost_coefficients(b"var,beta\nconstant,16.3\nlndist,-0.39\n", &d).unwrap();
    assert_eq!(
        c,
        [
            ("constant".to_string(), 16.3),
            ("lndist".to_string(), -0.39)
        ]
    );
    let e = read_cost_coefficients(b"variable,beta\nlndist,-0.39\n", &d)
        .unwrap_err()
        .to_string();
    assert!(e.contains("'var' and 'beta'"), "{e}");
    let e = read_cost_coefficients(b"var,beta\nlndist,x\n", &d)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2 (beta)"), "{e}");
    // Coefficients given in code are checked the same way.
    let mut p = can_jpn(&d, GravityMethod::Exact);
    p.coefficients.push(("contiguty".into(), 1.0));
    let e = gravity_ge(&d, &p).unwrap_err().to_string();
    assert!(
        e.contains("'contiguty'") && e.contains("'contiguity'"),
        "{e}"
    );
    // sigma must be above 1 and finite.
    for s in [1.0, 0.5, f64::NAN, f64::INFINITY] {
        let mut p = can_jpn(&d, GravityMethod::Exact);
        p.sigma = s;
        let e = gravity_ge(&d, &p).unwrap_err();
        assert!(
            matches!(&e, Error::Param { name, rule, .. } if name == "sigma" && rule.contains("above 1")),
            "{e}"
        );
    }
    // Unknown countries get a suggestion; a variable without a coefficient is refused.
    let mut p = can_jpn(&d, GravityMethod::Exact);
    p.reference = Some("DUE".into());
    let e = gravity_ge(&d, &p).unwrap_err().to_string();
    assert!(e.contains("'DUE'") && e.contains("DEU"), "{e}");
    let mut p = can_jpn(&d, GravityMethod::Exact);
    p.coefficients.retain(|c| c.0 != "pta");
    let e = gravity_ge(&d, &p).unwrap_err().to_string();
    assert!(e.contains("'pta' has no cost coefficient"), "{e}");
    // Non-convergence is an error naming the stage.
    let mut p = can_jpn(&d, GravityMethod::Exact);
    p.max_iter = 1;
    let e = gravity_ge(&d, &p).unwrap_err();
    assert!(matches!(e, Error::NotConverged { .. }), "{e}");
    assert!(e.to_string().contains("gravity baseline MR"), "{e}");
}

/// A large shock: every border removed (`international` set to 0 on all 870 foreign pairs, which
/// multiplies their T by exp(3.41) = 30). Both methods converge, the exact one clears markets,
/// and every country gains.
#[test]
fn a_world_without_borders_converges() {
    let d = data();
    for m in [GravityMethod::Exact, GravityMethod::Gegravity] {
        let mut p = can_jpn(&d, m);
        p.experiments.clear();
        for a in &d.countries {
            for b in &d.countries {
                if a != b {
                    p.experiments.push(SetVariable {
                        var: "international".into(),
                        importer: a.clone(),
                        exporter: b.clone(),
                        value: 0.0,
                    });
                }
            }
        }
        let r = gravity_ge(&d, &p).unwrap_or_else(|e| panic!("{m:?}: {e}"));
        assert!(r.solver.iterations < 60, "{m:?}: {:?}", r.solver);
        if m == GravityMethod::Exact {
            for c in &r.solver.residuals {
                assert!(c.max_abs < 1e-10, "{c:?}");
            }
        }
        for c in &r.countries {
            assert!(c.gdp_pct > 10.0, "{m:?} {}: {}", c.id, c.gdp_pct);
        }
        eprintln!(
            "{m:?}: {} iterations, USA {:+.3}%, CAN {:+.3}%",
            r.solver.iterations,
            country(&r, "USA").gdp_pct,
            country(&r, "CAN").gdp_pct
        );
    }
}
