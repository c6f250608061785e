//! General equilibrium (Caliendo-Parro 2015) against the R peer `cp2015` and the published
//! Table 2 (`../shared/data/cp2015/reference/`, read at run time).

use crate::common::shared_data;
use std::collections::HashMap;
use tradenet::analysis::ge::{ge_data, Deficits, GeData, GeParams, GeResult};
use tradenet::io::cp2015;

/// Rows of a reference CSV as maps column -> text.
fn rows(rel: &str) -> Vec<HashMap<String, String>> {
    let path = shared_data(rel);
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let names: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            names
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn f(row: &HashMap<String, String>, k: &str) -> f64 {
    row[k]
        .parse()
        .unwrap_or_else(|_| panic!("{k} = {:?}", row[k]))
}

fn cp_data() -> GeData {
    cp2015::read(&shared_data("cp2015")).expect("cp2015 data reads")
}

/// The NAFTA experiment: 1993 tariffs, then the 2005 tariffs on the six NAFTA pairs (the
/// peer's `tariff_cfl`, `reference/nafta_tariff_changes.csv`).
fn nafta(deficits: Deficits) -> GeResult {
    let d = cp_data();
    let path = shared_data("cp2015/reference/nafta_tariff_changes.csv");
    let schedule = cp2015::read_schedule(path.to_str().unwrap(), &d).expect("schedule reads");
    assert_eq!(schedule.len(), 116);
    let p = GeParams {
        schedule,
        deficits,
        ..Default::default()
    };
    ge_data(&d, &p).expect("NAFTA solves")
}

fn check_welfare(r: &GeResult, rel: &str) {
    // Peer: paulofelipe/cp2015 at tol 1e-7, which is within about 1e-6 pp of the converged
    // solution (reference/README.md); tolerance 1e-5 pp as the issue asks.
    let reference = rows(rel);
    assert_eq!(reference.len(), 31);
    for row in &reference {
        let c = r.countries.iter().find(|c| c.id == row["iso3"]).unwrap();
        for (ours, key) in [
            (c.terms_of_trade_pct, "tot_pct"),
            (c.volume_of_trade_pct, "vot_pct"),
            (c.technology_pct, "tech_pct"),
            (c.welfare_pct, "welfare_pct"),
            (c.real_wage_pct, "realwage_pct"),
            (c.real_income_pct, "real_income_change_pct"),
        ] {
            let want = f(row, key);
            assert!(
                (ours - want).abs() < 1e-5,
                "{} {key}: {ours} vs peer {want}",
                c.id
            );
        }
        let ih = c.income_new / c.income_baseline;
        let want = f(row, "I_cfl") / f(row, "I_bln");
        assert!((ih / want - 1.0).abs() < 1e-7, "{} I^ {ih} vs {want}", c.id);
        assert!(
            (c.income_baseline / f(row, "I_bln") - 1.0).abs() < 1e-6,
            "{} I_bln",
            c.id
        );
    }
}

#[test]
fn nafta_without_deficits_matches_the_peer_for_every_country() {
    let r = nafta(Deficits::Zero);
    check_welfare(&r, "cp2015/reference/nafta_no_deficit/welfare.csv");
    assert_eq!(r.changed_cells, 116);
    for s in [&r.solver.baseline, &r.solver.counterfactual] {
        assert!(s.residuals.max() < 1e-10, "{s:?}");
    }
}

#[test]
fn nafta_with_deficits_matches_the_peer_for_every_country() {
    let r = nafta(Deficits::Data);
    check_welfare(&r, "cp2015/reference/nafta_with_deficit/welfare.csv");
}
