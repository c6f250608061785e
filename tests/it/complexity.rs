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

/// Population mean and sd.
fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

/// The hand-checked case. B and C, and A = B + C (so A's export shares are the world's and
/// its RCA is exactly 1 in every product):
///
/// ```text
///        p1  p2  p3   total        RCA: p1    p2     p3         M: p1 p2 p3
///   A     1   5  14     20              1     1      1              1  1  1
///   B     1   4   5     10              2     1.6    0.714          1  1  0
///   C     0   1   9     10              0     0.4    1.286          0  0  1
/// ```
/// k_c = (3, 2, 1), k_p = (2, 2, 2). M~ = [[5/12, 5/12, 1/6], [5/12, 5/12, 1/6], [1/6, 1/6,
/// 2/3]]: eigenvalues 1, 1/2, 0; for 1/2 the eigenvector (1, 1, -2). ECI_raw = (0, 1, -2)
/// (positively correlated with diversity), mean -1/3, population sd sqrt(14)/3, so ECI = (1,
/// 4, -5) / sqrt(14) and PCI = (4, 4, -5) / sqrt(14). Proximity p1-p2 = 2/2, p1-p3 = 1/2;
/// density of p1 for C = phi_13 / (1 + 1 + 1/2) = 0.2.
fn hand() -> CountryProduct {
    CountryProduct::from_triples(
        [
            ("B", "p1", 1.0),
            ("B", "p2", 4.0),
            ("B", "p3", 5.0),
            ("C", "p2", 1.0),
            ("C", "p3", 9.0),
            ("A", "p1", 1.0),
            ("A", "p2", 5.0),
            ("A", "p3", 14.0),
        ],
        Vec::new(),
    )
    .unwrap()
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

#[test]
fn fitness_equals_the_r_package_published_values() {
    // EXPECTED.md quotes the R package economiccomplexity's published complexity_index_country
    // (its default, the fitness method of Tacchella et al.) on the same data: jpn 2.902,
    // deu 3.813 (three decimals).
    let path = shared_data(FILE);
    let Loaded::Table(t) =
        load_graph_or_table(path.to_str().unwrap(), &LoadOptions::default()).unwrap()
    else {
        panic!("not a table");
    };
    let x = CountryProduct::from_table(&t).unwrap();
    let p = ComplexityParams {
        method: Method::Fitness,
        ..Default::default()
    };
    let r = complexity(&x, &p).unwrap();
    let f = |id: &str| r.countries[r.country_index(id).unwrap()].fitness.unwrap();
    assert!((f("jpn") - 2.902).abs() < 5e-4, "{}", f("jpn"));
    assert!((f("deu") - 3.813).abs() < 5e-4, "{}", f("deu"));
    // Mean-normalised.
    let (m, _) = mean_sd(
        &r.countries
            .iter()
            .map(|c| c.fitness.unwrap())
            .collect::<Vec<_>>(),
    );
    assert!((m - 1.0).abs() < 1e-12);
    // ECI and PCI are still those of the eigenvector method.
    assert!((eci(&r, "jpn") - 2.262632232917456).abs() < 1e-9);
}

#[test]
fn identities_of_the_normalisation() {
    let r = world();
    let eci_all: Vec<f64> = r.countries.iter().map(|c| c.eci.unwrap()).collect();
    let (m, sd) = mean_sd(&eci_all);
    assert!(
        m.abs() < 1e-12 && (sd - 1.0).abs() < 1e-12,
        "ECI mean {m}, sd {sd}"
    );
    // PCI uses ECI's mean and sd: its own are 0.4704 and 2.3099 here (EXPECTED.md).
    let pci: Vec<f64> = r.products.iter().map(|p| p.pci.unwrap()).collect();
    let (pm, psd) = mean_sd(&pci);
    assert!(
        (pm - 0.4704).abs() < 5e-5 && (psd - 2.3099).abs() < 5e-5,
        "PCI mean {pm}, sd {psd}"
    );
    // ECI_c = the mean PCI over the products it exports with advantage, exactly.
    let np = r.products.len();
    for (c, row) in r.countries.iter().enumerate() {
        let mine: Vec<f64> = (0..np)
            .filter(|&p| r.matrices.m[c * np + p])
            .map(|p| pci[p])
            .collect();
        assert_eq!(mine.len(), row.diversity);
        let mean = mine.iter().sum::<f64>() / mine.len() as f64;
        assert!((mean - row.eci.unwrap()).abs() < 1e-12, "{}", row.id);
    }
    // Diversity and ubiquity are the sums of M.
    assert_eq!(
        r.countries.iter().map(|c| c.diversity).sum::<usize>(),
        r.m_sum
    );
    assert_eq!(
        r.products.iter().map(|p| p.ubiquity).sum::<usize>(),
        r.m_sum
    );
}

#[test]
fn hand_checked_three_by_three() {
    let x = hand();
    assert_eq!(x.countries, ["A", "B", "C"]);
    let rca = tradenet::analysis::complexity::rca::balassa(&x);
    // A's shares are the world's: RCA exactly 1, so M = 1 under ">=" (and 0 under ">").
    assert_eq!(&rca[0..3], &[1.0, 1.0, 1.0]);
    assert_eq!(rca[3], 2.0);
    assert!((rca[4] - 1.6).abs() < 1e-15 && (rca[5] - 0.5 / 0.7).abs() < 1e-15);
    assert_eq!(rca[6], 0.0);
    let m = tradenet::analysis::complexity::rca::presence(&rca, 1.0);
    assert_eq!(m, [true, true, true, true, true, false, false, false, true]);
    // The ">=" edge: RCA exactly at the threshold counts, just below it does not.
    let m2 = tradenet::analysis::complexity::rca::presence(&rca, 2.0);
    assert!(m2[3] && !m2[4]);
    let above = tradenet::analysis::complexity::rca::presence(&rca, 1.0 + f64::EPSILON);
    assert!(!above[0] && !above[1] && !above[2]);

    let r = complexity(&x, &ComplexityParams::default()).unwrap();
    assert!((r.eigenvalue - 0.5).abs() < 1e-12);
    let s = 14f64.sqrt();
    for (c, want) in r.countries.iter().zip([1.0 / s, 4.0 / s, -5.0 / s]) {
        assert!(
            (c.eci.unwrap() - want).abs() < 1e-12,
            "{}: {:?}",
            c.id,
            c.eci
        );
    }
    for (p, want) in r.products.iter().zip([4.0 / s, 4.0 / s, -5.0 / s]) {
        assert!(
            (p.pci.unwrap() - want).abs() < 1e-12,
            "{}: {:?}",
            p.id,
            p.pci
        );
    }
    // The sign rule: the most diversified country (B has diversity 2, C 1) ranks above.
    assert!(r.countries[1].eci > r.countries[2].eci);
    assert_eq!(r.proximity(0, 1), 1.0);
    assert_eq!(r.proximity(0, 2), 0.5);
    assert_eq!(r.proximity(2, 2), 1.0);
    assert!((r.density(2)[0] - 0.2).abs() < 1e-15);
    // Scaling every value changes nothing.
    let y = CountryProduct::from_triples(
        x.countries.iter().enumerate().flat_map(|(c, cid)| {
            let x = &x;
            x.products
                .iter()
                .enumerate()
                .map(move |(p, pid)| (cid.as_str(), pid.as_str(), 3.5 * x.get(c, p)))
        }),
        Vec::new(),
    )
    .unwrap();
    let r2 = complexity(&y, &ComplexityParams::default()).unwrap();
    for (a, b) in r.countries.iter().zip(&r2.countries) {
        assert!((a.eci.unwrap() - b.eci.unwrap()).abs() < 1e-12);
        assert!((a.coi.unwrap() - b.coi.unwrap()).abs() < 1e-12);
    }
}

#[test]
fn a_network_in_pieces_and_bad_params_are_named_errors() {
    // Just above 1, A's products all drop out: B {p1, p2} and C {p3} share nothing.
    let p = ComplexityParams {
        threshold: 1.0 + 1e-9,
        ..Default::default()
    };
    let e = complexity(&hand(), &p).unwrap_err().to_string();
    assert!(e.contains("separate groups"), "{e}");
    for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let p = ComplexityParams {
            threshold: t,
            ..Default::default()
        };
        let e = p.validate().unwrap_err();
        let tradenet::Error::Param { name, value, rule } = &e else {
            panic!("not a parameter error: {e:?}");
        };
        assert_eq!(
            (name.as_str(), value.as_str()),
            ("threshold", t.to_string().as_str())
        );
        assert!(rule.contains("finite number above 0"), "{e}");
    }
    for (p, want) in [
        (
            ComplexityParams {
                tol: 1.0,
                ..Default::default()
            },
            "tol",
        ),
        (
            ComplexityParams {
                fitness_tol: f64::NAN,
                ..Default::default()
            },
            "fitness_tol",
        ),
        (
            ComplexityParams {
                fitness_max_iter: 0,
                ..Default::default()
            },
            "fitness_max_iter",
        ),
    ] {
        let e = p.validate().unwrap_err();
        assert!(
            matches!(&e, tradenet::Error::Param { name, .. } if name == want),
            "{e:?}"
        );
    }
    // Too few countries left at a threshold: the threshold is named.
    let p = ComplexityParams {
        threshold: 1.5,
        ..Default::default()
    };
    let e = complexity(&hand(), &p).unwrap_err();
    assert!(
        matches!(&e, tradenet::Error::Param { name, .. } if name == "threshold"),
        "{e:?}"
    );
    let p = ComplexityParams {
        rca: Rca::Population(Default::default()),
        ..Default::default()
    };
    assert!(p.validate().unwrap_err().to_string().contains("population"));
    let mut pop = std::collections::BTreeMap::new();
    pop.insert("A".to_string(), 10.0);
    let p = ComplexityParams {
        rca: Rca::Population(pop),
        ..Default::default()
    };
    let e = complexity(&hand(), &p).unwrap_err().to_string();
    assert!(e.contains("2 of 3 have none: B, C"), "{e}");
    let r = complexity(&hand(), &ComplexityParams::default()).unwrap();
    let e = country_profile(&r, "D", 5, 5).unwrap_err().to_string();
    assert!(e.contains("unknown country 'D'"), "{e}");
}

#[test]
fn population_weighted_rca_is_rpop() {
    // RPOP_cp = (x_cp / pop_c) / (x_p / sum pop): with populations 20, 10, 10 (proportional to
    // total exports) it equals Balassa's RCA, so the indices are the same.
    let mut pop = std::collections::BTreeMap::new();
    for (c, v) in [("A", 20.0), ("B", 10.0), ("C", 10.0)] {
        pop.insert(c.to_string(), v);
    }
    let r = complexity(
        &hand(),
        &ComplexityParams {
            rca: Rca::Population(pop),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.matrices.rca[3], 2.0);
    let s = 14f64.sqrt();
    assert!((r.countries[1].eci.unwrap() - 4.0 / s).abs() < 1e-12);
}

fn temp(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(name);
    std::fs::write(&p, text).unwrap();
    let s = p.to_str().unwrap().to_string();
    (d, s)
}

const HAND_TABLE: &str =
    "country,product,value\nB,p1,1\nB,p2,4\nB,p3,5\nC,p2,1\nC,p3,9\nA,p1,1\nA,p2,5\nA,p3,14\n";

#[test]
fn cli_json_has_every_country_and_product() {
    let f = shared_data(FILE);
    let v = tradenet(["complexity", f.to_str().unwrap(), "--format", "json"]).json();
    let cs = v["countries"].as_array().unwrap();
    let ps = v["products"].as_array().unwrap();
    assert_eq!((cs.len(), ps.len()), (226, 785));
    for c in cs {
        for k in ["id", "diversity", "eci", "coi"] {
            assert!(c.get(k).is_some(), "{k} missing in {c}");
        }
    }
    for p in ps {
        for k in ["id", "ubiquity", "pci"] {
            assert!(p.get(k).is_some(), "{k} missing in {p}");
        }
    }
    // Ranked by ECI; product codes keep their leading zeros.
    assert_eq!(cs[1]["id"], "jpn");
    assert!((cs[1]["eci"].as_f64().unwrap() - 2.262632232917456).abs() < 1e-9);
    assert!(ps.iter().any(|p| p["id"] == "0011"));
    let p7810 = ps.iter().find(|p| p["id"] == "7810").unwrap();
    assert!((p7810["pci"].as_f64().unwrap() - 4.099478915777894).abs() < 1e-9);
}

#[test]
fn cli_country_profile_and_the_graph_path_agree_with_the_table() {
    let (_d, t) = temp("hand.csv", HAND_TABLE);
    let v = tradenet(["complexity", &t, "--country", "C", "--format", "json"]).json();
    let s = 14f64.sqrt();
    assert!((v["country"]["country"]["eci"].as_f64().unwrap() + 5.0 / s).abs() < 1e-12);
    let cand = v["country"]["candidates"].as_array().unwrap();
    assert_eq!(cand.len(), 2);
    // Both candidates are exported with advantage by A (and p1, p2 by B).
    assert!(cand.iter().all(|c| c["exporters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "A")));
    assert_eq!(v["country"]["advantages"][0]["id"], "p3");
    // The same exports as a trade graph whose flows carry products, split over importers.
    let (_e, g) = temp(
        "hand_edges.csv",
        "exporter,importer,sector,value\nB,A,p1,0.5\nB,C,p1,0.5\nB,A,p2,4\nB,A,p3,5\nC,A,p2,1\nC,B,p3,9\nA,B,p1,1\nA,B,p2,2\nA,C,p2,3\nA,B,p3,14\n",
    );
    let w = tradenet(["complexity", &g, "--format", "json"]).json();
    let by_id = |v: &serde_json::Value, id: &str| -> f64 {
        v["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["eci"]
            .as_f64()
            .unwrap()
    };
    for (id, want) in [("A", 1.0 / s), ("B", 4.0 / s), ("C", -5.0 / s)] {
        assert!((by_id(&w, id) - want).abs() < 1e-12, "{id}");
    }
    assert_eq!(w["graph"]["kind"], "trade");
}

#[test]
fn cli_years_bad_tables_and_bad_flags() {
    let two = "country,product,value,year\nB,p1,1,2000\nB,p2,4,2000\nB,p3,5,2000\nC,p2,1,2000\nC,p3,9,2000\nA,p1,1,2000\nA,p2,5,2000\nA,p3,14,2000\nB,p1,2,2001\nB,p2,8,2001\nB,p3,10,2001\nC,p2,2,2001\nC,p3,18,2001\nA,p1,2,2001\nA,p2,10,2001\nA,p3,28,2001\n";
    let (_d, t) = temp("years.csv", two);
    let out = tradenet(["complexity", &t, "--format", "json"]).output();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("using 2001, the latest of the file's 2 years"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["graph"]["year"].as_u64(),
            v["graph"]["years_in_file"].as_u64()
        ),
        (Some(2001), Some(2))
    );
    let v = tradenet(["complexity", &t, "--year", "2000", "--format", "json"]).json();
    assert_eq!(v["graph"]["year"], 2000);
    assert_eq!(v["countries"].as_array().unwrap().len(), 3);
    let e = tradenet(["complexity", &t, "--year", "1999"]).fails();
    assert!(e.contains("unknown year '1999'"), "{e}");

    for (text, want) in [
        (
            "country,product,value\nA,p1,1\nA,p2,-3\n",
            "line 3: value must be a finite number of at least 0, found '-3'",
        ),
        (
            "country,product,value\nA,p1,1\nA,p1,2\n",
            "line 3: country 'A', product 'p1' is given twice (first on line 2)",
        ),
        (
            "country,product,value\nA,p1,x\n",
            "line 2: value 'x' is not a number",
        ),
        (
            "country,product,value\nA,p1,1\n,p2,1\n",
            "line 3: country is empty",
        ),
        (
            "country,product,value\nA,p1,1\nA,p2,2\n",
            "at least 2 countries and 2 products",
        ),
        (
            "country,product,value\nA,p1,0\n",
            "no row with a positive value",
        ),
        (
            "country,product,value,year\nA,p1,1,20x0\n",
            "line 2: year must be a whole number",
        ),
    ] {
        let (_d, f) = temp("bad.csv", text);
        let e = tradenet(["complexity", &f]).fails();
        assert!(e.contains(want), "{text:?}: {e}");
        assert!(e.contains("bad.csv"), "the file is named: {e}");
    }
    let (_d, f) = temp("hand.csv", HAND_TABLE);
    for (args, want) in [
        (
            vec!["--threshold", "0"],
            "the RCA threshold is a finite number above 0",
        ),
        (vec!["--threshold", "NaN"], "not a number"),
        (vec!["--threshold", "-1"], "out of range"),
        (vec!["--method", "pagerank"], "invalid value 'pagerank'"),
        (vec!["--country", "D"], "unknown country 'D'"),
        (vec!["--regions", "x.csv"], "--regions apply to graph files"),
        (vec!["--threshold", "1.5"], "only 1 countries"),
    ] {
        let mut a = vec!["complexity", f.as_str()];
        a.extend(args.iter().copied());
        let e = tradenet(&a).fails();
        assert!(e.contains(want), "{args:?}: {e}");
    }
    let (_p, pop) = temp("pop.csv", "country,population\nA,20\nB,-1\n");
    let e = tradenet(["complexity", &f, "--population", &pop]).fails();
    assert!(e.contains("line 3: population '-1' of 'B'"), "{e}");
    // Two products: each country has its advantage in one of them, and the network splits.
    let e = tradenet(["complexity", "graphs/tiny.json"]).fails();
    assert!(
        e.starts_with(
            "error: graphs/tiny.json: the country-product network falls apart into separate groups"
        ),
        "{e}"
    );
    // Flows without products.
    let (_g, g) = temp("nosector.csv", "exporter,importer,value\nA,B,1\nB,C,2\n");
    let e = tradenet(["complexity", &g]).fails();
    assert!(e.contains("2 flows carry no product (sector)"), "{e}");
}

#[test]
fn output_is_deterministic() {
    let f = shared_data(FILE);
    let a = tradenet(["complexity", f.to_str().unwrap(), "--format", "csv"]).ok();
    let b = tradenet(["complexity", f.to_str().unwrap(), "--format", "csv"])
        .env("RAYON_NUM_THREADS", "1")
        .ok();
    assert_eq!(a, b);
    assert!(
        a.starts_with("id,diversity,eci,coi,exports\n"),
        "{}",
        &a[..80]
    );
}

#[test]
fn product_space_is_the_maximum_spanning_tree_plus_strong_links() {
    use tradenet::analysis::complexity::{product_space, ProductSpaceParams};
    let r = complexity(&hand(), &ComplexityParams::default()).unwrap();
    let s = product_space(
        &r,
        &ProductSpaceParams {
            threshold: 0.55,
            country: Some("C".into()),
        },
    )
    .unwrap();
    assert_eq!(s.nodes.len(), 3);
    // Tree: p1-p2 (phi 1), then p3 by its strongest link, 0.5 to p1 (the lower index).
    let links: Vec<(usize, usize, f64, bool)> = s
        .links
        .iter()
        .map(|l| (l.a, l.b, l.proximity, l.tree))
        .collect();
    assert_eq!(links, [(0, 1, 1.0, true), (0, 2, 0.5, true)]);
    let hl: Vec<bool> = s.nodes.iter().map(|n| n.highlighted).collect();
    assert_eq!(hl, [false, false, true]);
    let all = product_space(
        &r,
        &ProductSpaceParams {
            threshold: 0.0,
            country: None,
        },
    )
    .unwrap();
    assert_eq!(all.links.len(), 3);
    assert!(product_space(
        &r,
        &ProductSpaceParams {
            threshold: 1.5,
            country: None
        }
    )
    .is_err());

    let f = shared_data(FILE);
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("ps.dot");
    tradenet([
        "draw",
        "--product-space",
        f.to_str().unwrap(),
        "--country",
        "can",
        "-o",
        out.to_str().unwrap(),
    ])
    .ok();
    let dot = std::fs::read_to_string(&out).unwrap();
    // 785 products, all with ubiquity above 0: a spanning tree of 784 links (the caption is
    // broken into lines to fit the page).
    assert!(
        dot.replace("<BR/>", " ")
            .contains("785 products; maximum spanning tree of proximity (784 links)"),
        "{}",
        &dot[..600]
    );
    assert!(dot.contains("dir=\"none\""));
    // The legend names the highlight (HTML-escaped).
    assert!(
        dot.contains("can exports it with RCA &gt;= 1"),
        "legend missing"
    );
    // Every product is placed by tradenet (pinned for `neato -n2`), and the links are the
    // spanning tree's 784 plus those at or above 0.55.
    let pinned = dot.lines().filter(|l| l.contains("!\", width=")).count();
    assert_eq!(pinned, 785);
    assert!(dot.contains("neato -n2"));
    let links = dot.lines().filter(|l| l.contains(" -- ")).count();
    assert_eq!(links, 784 + all_above(&world(), 0.55));
    // Rendered, the drawing fits the page it is given (the legend below, captions wrapped).
    for (page, most) in [
        ("a4", 160.0 * 72.0 / 25.4),
        ("100x120mm", 100.0 * 72.0 / 25.4),
    ] {
        let svg = d.path().join(format!("ps-{page}.svg"));
        tradenet([
            "draw",
            "--product-space",
            f.to_str().unwrap(),
            "--country",
            "can",
            "--page",
            page,
            "-o",
            svg.to_str().unwrap(),
        ])
        .ok();
        let text = std::fs::read_to_string(&svg).unwrap();
        let width: f64 = text
            .split("<svg width=\"")
            .nth(1)
            .and_then(|t| t.split("pt\"").next())
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            width <= most + 1.0 && width > most * 0.5,
            "{page}: {width} pt"
        );
    }
    // SITC codes: coloured by their first digit, the ten groups in the legend.
    assert!(dot.contains("codes beginning with 7 (159)"), "groups");
    // The layout is the same at one thread.
    let one = d.path().join("ps1.dot");
    tradenet([
        "draw",
        "--product-space",
        f.to_str().unwrap(),
        "--country",
        "can",
        "-o",
        one.to_str().unwrap(),
    ])
    .env("RAYON_NUM_THREADS", "1")
    .ok();
    assert_eq!(std::fs::read_to_string(&one).unwrap(), dot);
}

/// Links beyond the maximum spanning tree at or above `t` in the world file, counted from
/// the proximity matrix: every pair at or above `t`, less the tree links at or above it.
fn all_above(r: &Complexity, t: f64) -> usize {
    use tradenet::analysis::complexity::{product_space, ProductSpaceParams};
    let s = product_space(
        r,
        &ProductSpaceParams {
            threshold: t,
            country: None,
        },
    )
    .unwrap();
    let n = r.products.len();
    let pairs = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .filter(|&(a, b)| r.proximity(a, b) >= t)
        .count();
    let tree_above = s
        .links
        .iter()
        .filter(|l| l.tree && l.proximity >= t)
        .count();
    assert_eq!(
        s.links.iter().filter(|l| !l.tree).count(),
        pairs - tree_above
    );
    pairs - tree_above
}

/// Two years of made-up exports: 2000 is the hand-checked case, 2001 another network (four
/// countries, four products).
const TWO_YEARS: &str = "country,product,value,year\nA,p1,1,2000\nA,p2,5,2000\nA,p3,14,2000\nB,p1,1,2000\nB,p2,4,2000\nB,p3,5,2000\nC,p2,1,2000\nC,p3,9,2000\nA,p1,3,2001\nA,p2,2,2001\nA,p3,10,2001\nA,p4,1,2001\nB,p1,2,2001\nB,p2,6,2001\nB,p3,1,2001\nC,p3,7,2001\nC,p4,4,2001\nD,p1,1,2001\nD,p4,2,2001\n";

/// A JSON document without its `graph` block (which names the year chosen).
fn without_graph(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("graph");
    v
}

/// `TWO_YEARS` and two years too sparse for complexity: 2002 with one product, 2003 with one
/// country.
fn with_sparse_years() -> String {
    format!("{TWO_YEARS}A,p1,3,2002\nB,p1,2,2002\nE,p9,1,2003\n")
}

#[test]
fn by_year_skips_and_names_the_years_that_cannot_be_computed() {
    let (_d, t) = temp("sparse.csv", &with_sparse_years());
    // The years that can be are each as if run alone; the others are named with why.
    let out = tradenet(["complexity", &t, "--by-year", "--format", "json"]).output();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let years: Vec<u64> = v["by_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_u64().unwrap())
        .collect();
    assert_eq!(years, [2000, 2001]);
    let alone =
        without_graph(tradenet(["complexity", &t, "--year", "2001", "--format", "json"]).json());
    let mut got = v["by_year"][1].clone();
    got.as_object_mut().unwrap().shift_remove("year");
    assert_eq!(got, alone);
    let skipped = v["skipped_years"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    for (k, (year, found)) in [(2002, "found 2 and 1"), (2003, "found 1 and 1")]
        .iter()
        .enumerate()
    {
        assert_eq!(skipped[k]["year"], *year);
        let why = skipped[k]["reason"].as_str().unwrap();
        assert!(
            why.contains("at least 2 countries and 2 products") && why.contains(found),
            "{why}"
        );
    }
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(
        notes.contains("note: year 2002 skipped: ") && notes.contains("note: year 2003 skipped: "),
        "{notes}"
    );
    // The CSV holds the computed years' rows; the tables name the skipped years.
    let csv = tradenet(["complexity", &t, "--by-year", "--format", "csv"]).ok_with_notes();
    let in_csv: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(in_csv.into_iter().collect::<Vec<_>>(), ["2000", "2001"]);
    let text = tradenet(["complexity", &t, "--by-year"]).ok_with_notes();
    assert!(text.contains("years: 2000, 2001 (each apart"), "{text}");
    assert!(
        text.contains("skipped: 2002: ") && text.contains("skipped: 2003: "),
        "{text}"
    );
    // A year without the country asked for is skipped as a whole (D exports in 2001 only).
    let v = tradenet([
        "complexity",
        &t,
        "--by-year",
        "--country",
        "D",
        "--format",
        "json",
    ])
    .output();
    let v: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v["by_year"].as_array().unwrap().len(), 1);
    assert_eq!(v["by_year"][0]["year"], 2001);
    let skipped: Vec<u64> = v["skipped_years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["year"].as_u64().unwrap())
        .collect();
    assert_eq!(skipped, [2000, 2002, 2003]);
    assert!(v["skipped_years"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("unknown country 'D'"));
    // No year that can be computed: an error naming each.
    let (_e, only) = temp(
        "only_sparse.csv",
        "country,product,value,year\nA,p1,3,2002\nB,p1,2,2002\nE,p9,1,2003\n",
    );
    let e = tradenet(["complexity", &only, "--by-year"]).fails();
    assert!(e.contains("no year of the file can be computed"), "{e}");
    assert!(
        e.contains("year 2002: ") && e.contains("year 2003: "),
        "{e}"
    );
}

#[test]
fn by_year_gives_each_year_as_if_run_alone() {
    let (_d, t) = temp("two.csv", TWO_YEARS);
    // The same years as a trade graph whose flows carry products and years.
    let mut edges = String::from("exporter,importer,sector,value,year\n");
    for line in TWO_YEARS.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let to = if f[0] == "A" { "B" } else { "A" };
        edges.push_str(&format!("{},{to},{},{},{}\n", f[0], f[1], f[2], f[3]));
    }
    let (_e, g) = temp("two_edges.csv", &edges);
    for file in [&t, &g] {
        for extra in [&[][..], &["--country", "A"][..]] {
            let mut args = vec!["complexity", file.as_str(), "--by-year", "--format", "json"];
            args.extend(extra);
            let v = tradenet(&args).json();
            let years = v["by_year"].as_array().unwrap();
            assert_eq!(years.len(), 2, "{file}");
            for (k, y) in ["2000", "2001"].iter().enumerate() {
                let mut one = vec!["complexity", file.as_str(), "--year", y, "--format", "json"];
                one.extend(extra);
                let alone = without_graph(tradenet(&one).json());
                let mut got = years[k].clone();
                let o = got.as_object_mut().unwrap();
                assert_eq!(o.shift_remove("year").unwrap(), y.parse::<u64>().unwrap());
                assert_eq!(got, alone, "{file} {y} {extra:?}");
            }
            // 2000 is the hand-checked case: ECI = (1, 4, -5) / sqrt(14).
            let s = 14f64.sqrt();
            let eci: Vec<(String, f64)> = years[0]["countries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["id"].as_str().unwrap().into(), c["eci"].as_f64().unwrap()))
                .collect();
            for (id, want) in [("A", 1.0 / s), ("B", 4.0 / s), ("C", -5.0 / s)] {
                let got = eci.iter().find(|(i, _)| i == id).unwrap().1;
                assert!((got - want).abs() < 1e-12, "{id}: {got}");
            }
        }
    }
    // CSV: each year's rows after a year column, as the one-year CSV.
    let csv = tradenet(["complexity", &t, "--by-year", "--format", "csv"]).ok();
    let mut want = String::from("year,id,diversity,eci,coi,exports\n");
    for y in ["2000", "2001"] {
        let one = tradenet(["complexity", &t, "--year", y, "--format", "csv"]).ok();
        for row in one.lines().skip(1) {
            want.push_str(&format!("{y},{row}\n"));
        }
    }
    assert_eq!(csv, want);
    assert_eq!(csv.lines().count(), 1 + 3 + 4);
    // Tables: one set per year, titled with it.
    let text = tradenet(["complexity", &t, "--by-year"]).ok();
    assert!(text.contains("years: 2000, 2001 (each apart; years are never summed)"));
    assert!(text.contains("2001: Countries by economic complexity (ECI) (4 of 4)"));
    let threads = tradenet(["complexity", &t, "--by-year", "--format", "csv"])
        .env("RAYON_NUM_THREADS", "1")
        .ok();
    assert_eq!(threads, csv);
    // --by-year and --year, and a file without years.
    let e = tradenet(["complexity", &t, "--by-year", "--year", "2000"]).fails();
    assert!(e.contains("give one of them"), "{e}");
    let (_h, h) = temp("hand.csv", HAND_TABLE);
    let e = tradenet(["complexity", &h, "--by-year"]).fails();
    assert!(e.contains("--by-year needs a file with years"), "{e}");
}
