//! Economic complexity (`tradenet complexity`, `tradenet::analysis::complexity`).
//!
//! Reference values: `../shared/data/complexity/EXPECTED.md`, computed with the Harvard Growth
//! Lab's `ecomplexity` 0.5.3 (`ecomplexity(df, cols, presence_test="rca",
//! rca_mcp_threshold=1)`, pandas 3.1.1, numpy 2.4) on `world_trade_avg_1998_2000.csv` (SITC
//! rev. 2, 4 digits, average 1998-2000, from the R package `economiccomplexity` 2.0.0), and
//! re-derived there by an independent numpy implementation. The data file is read at run
//! time; the test fails when it is missing. Tolerances as EXPECTED.md suggests: 1e-9 absolute
//! for ECI and PCI, exact for M, diversity, ubiquity and proximity.

use crate::common::{shared_data, tradenet};
use tradenet::analysis::complexity::{
    complexity, country_profile, Complexity, ComplexityParams, CountryProduct, Method, Rca,
};
use tradenet::io::{load_graph_or_table, LoadOptions, Loaded};

const FILE: &str = "complexity/world_trade_avg_1998_2000.csv";

fn world() -> Complexity {
    let path = shared_data(FILE);
    let Loaded::Table(t) = load_graph_or_table(path.to_str().unwrap(), &LoadOptions::default())
        .expect("the complexity table reads")
    else {
        panic!("{FILE} was not recognised as a country-product table");
    };
    let x = CountryProduct::from_table(&t).unwrap();
    complexity(&x, &ComplexityParams::default()).unwrap()
}

fn eci(r: &Complexity, id: &str) -> f64 {
    r.countries[r.country_index(id).unwrap()].eci.unwrap()
}

#[test]
fn ecomplexity_reference_values() {
    let r = world();
    // EXPECTED.md: 226 countries, 785 products, sum of M 31,951.
    assert_eq!(r.countries.len(), 226);
    assert_eq!(r.products.len(), 785);
    assert_eq!(r.m_sum, 31_951);
    // The second eigenvalue of M~pp: 0.17913.
    assert!((r.eigenvalue - 0.17913).abs() < 5e-6, "{}", r.eigenvalue);
    for (id, diversity, want) in [
        ("jpn", 296, 2.262632232917456),
        ("deu", 385, 1.884378928823952),
        ("usa", 350, 1.825036824485349),
        ("kor", 214, 1.262183096987205),
        ("mex", 221, 1.101791335707226),
        ("chn", 294, 0.601776631409129),
        ("can", 81, -0.114068788609673),
    ] {
        let c = &r.countries[r.country_index(id).unwrap()];
        assert_eq!(c.diversity, diversity, "diversity of {id}");
        let got = c.eci.unwrap();
        assert!((got - want).abs() < 1e-9, "ECI {id}: {got} vs {want}");
    }
    let p = r.product_index("7810").unwrap();
    assert_eq!(r.products[p].ubiquity, 25);
    let pci = r.products[p].pci.unwrap();
    assert!((pci - 4.099478915777894).abs() < 1e-9, "PCI 7810: {pci}");
    let q = r.product_index("7821").unwrap();
    assert_eq!(r.products[q].ubiquity, 26);
    // 17 countries export both with advantage: 17 / max(25, 26).
    assert_eq!(r.proximity(p, q), 17.0 / 26.0);
    assert_eq!(r.proximity(q, p), 0.6538461538461539);
}
