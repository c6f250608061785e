//! Centrality and structure against NetworkX reference values, plus invariants.
//!
//! Fixtures: `tests/fixtures/centrality/*.fixture.json`, made by `make_fixtures.py` beside
//! them (NetworkX version and the exact call of every measure recorded inside). Tolerances:
//! exact measures (strength, degree, betweenness, closeness, harmonic, clustering, structure)
//! |ours - nx| <= 1e-9 * max(1, |nx|) (values in USD or 1/USD are large, so the bound scales
//! above 1); iterative measures (pagerank, cheirank, eigenvector, katz, hits)
//! |ours - nx| <= 1e-6 |nx| + 1e-12 max|nx|, run with tol 1e-13 (the fixtures are NetworkX's
//! fixed points to about 1e-15; at the default tol 1e-10 an entry that tends to 0 slowly is
//! still about 1e-11 away from it, which no relative bound can accept).

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tradenet::analysis::*;
use tradenet::io::LoadOptions;
use tradenet::{Csr, FlowFilter, TradeGraph};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Fixture {
    name: String,
    json: Value,
    g: TradeGraph,
    csr: Csr,
}

impl Fixture {
    fn values(&self, key: &str) -> Option<Vec<f64>> {
        let v = self.json["values"].get(key)?;
        Some(
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect(),
        )
    }
    fn n(&self) -> usize {
        self.csr.n
    }
}

fn fixtures() -> Vec<Fixture> {
    let dir = root().join("tests/fixtures/centrality");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".fixture.json"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "expected the fixtures in {dir:?}");
    files
        .into_iter()
        .map(|f| {
            let json: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
            let graph = root().join(json["graph"].as_str().unwrap());
            let g = tradenet::io::load(graph.to_str().unwrap(), &LoadOptions::default()).unwrap();
            let ids: Vec<&str> = g.nodes().map(|n| &*n.id).collect();
            let want: Vec<&str> = json["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(ids, want, "{f:?}: node order differs from the fixture");
            let csr = Csr::from_graph(&g, &FlowFilter::default());
            Fixture {
                name: f.file_name().unwrap().to_string_lossy().into_owned(),
                json,
                g,
                csr,
            }
        })
        .collect()
}

fn check(fx: &str, what: &str, ours: &[f64], nx: &[f64], exact: bool) {
    assert_eq!(ours.len(), nx.len(), "{fx} {what}: length");
    let scale = nx.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    for (i, (a, b)) in ours.iter().zip(nx).enumerate() {
        let tol = if exact {
            1e-9 * b.abs().max(1.0)
        } else {
            1e-6 * b.abs() + 1e-12 * scale
        };
        assert!(
            (a - b).abs() <= tol,
            "{fx} {what}[{i}]: tradenet {a:e}, networkx {b:e} (diff {:e}, tol {tol:e})",
            (a - b).abs()
        );
    }
}

#[test]
fn strength_and_degree_equal_networkx() {
    for f in fixtures() {
        check(
            &f.name,
            "in_strength",
            &in_strength(&f.csr),
            &f.values("in_strength").unwrap(),
            true,
        );
        check(
            &f.name,
            "out_strength",
            &out_strength(&f.csr),
            &f.values("out_strength").unwrap(),
            true,
        );
        check(
            &f.name,
            "in_degree",
            &in_degree(&f.csr),
            &f.values("in_degree").unwrap(),
            true,
        );
        check(
            &f.name,
            "out_degree",
            &out_degree(&f.csr),
            &f.values("out_degree").unwrap(),
            true,
        );
    }
}

const TIGHT: f64 = 1e-13;

#[test]
fn pagerank_and_cheirank_equal_networkx() {
    for f in fixtures() {
        let p = PagerankParams {
            tol: TIGHT,
            ..Default::default()
        };
        check(
            &f.name,
            "pagerank",
            &pagerank(&f.csr, &p).unwrap().values,
            &f.values("pagerank").unwrap(),
            false,
        );
        check(
            &f.name,
            "cheirank",
            &cheirank(&f.csr, &p).unwrap().values,
            &f.values("cheirank").unwrap(),
            false,
        );
        let mut pers = vec![0.0; f.n()];
        for id in f.json["personalization"].as_array().unwrap() {
            pers[f.g.node_index(id.as_str().unwrap()).unwrap().index()] = 1.0;
        }
        let pp = PagerankParams {
            personalization: Some(pers),
            ..p.clone()
        };
        check(
            &f.name,
            "pagerank_personalized",
            &pagerank(&f.csr, &pp).unwrap().values,
            &f.values("pagerank_personalized").unwrap(),
            false,
        );
    }
}

#[test]
fn eigenvector_katz_hits_equal_networkx() {
    for f in fixtures() {
        let p = EigenvectorParams {
            tol: TIGHT,
            max_iter: 100_000,
            reverse: false,
        };
        let e = eigenvector(&f.csr, &p).unwrap();
        check(
            &f.name,
            "eigenvector",
            &e.values,
            &f.values("eigenvector").unwrap(),
            false,
        );
        let p = EigenvectorParams { reverse: true, ..p };
        let e = eigenvector(&f.csr, &p).unwrap();
        check(
            &f.name,
            "eigenvector_reverse",
            &e.values,
            &f.values("eigenvector_reverse").unwrap(),
            false,
        );

        let kp = KatzParams {
            tol: TIGHT,
            max_iter: 100_000,
            ..Default::default()
        };
        let k = katz(&f.csr, &kp).unwrap();
        let want = f.json["katz"]["alpha"].as_f64().unwrap();
        assert!(
            (k.alpha - want).abs() <= 1e-8 * want,
            "{}: katz alpha {} vs {want}",
            f.name,
            k.alpha
        );
        check(
            &f.name,
            "katz",
            &k.values,
            &f.values("katz").unwrap(),
            false,
        );

        let hp = HitsParams {
            tol: TIGHT,
            max_iter: 100_000,
        };
        let h = hits(&f.csr, &hp).unwrap();
        check(&f.name, "hub", &h.hubs, &f.values("hub").unwrap(), false);
        check(
            &f.name,
            "authority",
            &h.authorities,
            &f.values("authority").unwrap(),
            false,
        );
    }
}

#[test]
fn paths_equal_networkx() {
    let mut seen = 0;
    for f in fixtures() {
        for (mode, d) in [
            ("inverse", Distance::Inverse),
            ("neglog", Distance::NegLog),
            ("hops", Distance::Hops),
        ] {
            let Some(want) = f.values(&format!("betweenness_{mode}")) else {
                continue;
            };
            seen += 1;
            let p = BetweennessParams {
                distance: d,
                ..Default::default()
            };
            let b = betweenness(&f.csr, &p, None).unwrap();
            check(&f.name, &format!("betweenness_{mode}"), &b, &want, true);
            let c = closeness(&f.csr, d);
            check(
                &f.name,
                &format!("closeness_{mode}"),
                &c,
                &f.values(&format!("closeness_{mode}")).unwrap(),
                true,
            );
            let h = harmonic(&f.csr, d);
            check(
                &f.name,
                &format!("harmonic_{mode}"),
                &h,
                &f.values(&format!("harmonic_{mode}")).unwrap(),
                true,
            );
        }
    }
    assert!(seen >= 21, "path fixtures missing");
}

#[test]
fn structure_equals_networkx() {
    for f in fixtures() {
        check(
            &f.name,
            "clustering",
            &clustering(&f.csr),
            &f.values("clustering").unwrap(),
            true,
        );
        let s = structure(&f.csr, &StructureParams::default());
        let w = &f.json["structure"];
        let close = |what: &str, a: Option<f64>, b: &Value| match (a, b.as_f64()) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-9, "{} {what}: {a} vs {b}", f.name),
            (None, None) => {}
            (a, _) => panic!("{} {what}: {a:?} vs {b}", f.name),
        };
        close("density", Some(s.density), &w["density"]);
        close("reciprocity", s.reciprocity, &w["reciprocity"]);
        close(
            "weighted_reciprocity",
            s.weighted_reciprocity,
            &w["weighted_reciprocity"],
        );
        close(
            "average_clustering",
            s.average_clustering,
            &w["average_clustering"],
        );
        let count = |k: &str| w[k].as_u64().unwrap() as usize;
        assert_eq!(s.pairs, count("pairs"), "{}", f.name);
        assert_eq!(s.self_loops, count("self_loops"), "{}", f.name);
        assert_eq!(s.weak.count, count("weak_components"), "{}", f.name);
        assert_eq!(s.weak.largest, count("largest_weak"), "{}", f.name);
        assert_eq!(s.strong.count, count("strong_components"), "{}", f.name);
        assert_eq!(s.strong.largest, count("largest_strong"), "{}", f.name);
    }
}

// ---------------------------------------------------------------------------------------
// Invariants on random graphs.

/// A graph on n nodes from (from, to, value) triples; repeated pairs are summed.
fn build(n: usize, edges: &[(usize, usize, f64)]) -> Csr {
    let mut rows = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        rows[a].push((b as u32, w));
    }
    let mut offsets = vec![0];
    let (mut t, mut w) = (vec![], vec![]);
    for r in rows {
        for (b, x) in r {
            t.push(b);
            w.push(x);
        }
        offsets.push(t.len());
    }
    Csr::from_unsorted_rows(n, offsets, t, w)
}

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, f64)>)> {
    (3usize..12).prop_flat_map(|n| {
        let edge = (0..n, 0..n, 1u32..50).prop_map(|(a, b, v)| (a, b, v as f64));
        (Just(n), prop::collection::vec(edge, 1..(n * n)))
    })
}

/// Equal within `rel` of the vector's largest entry (an empty vector, a measure that did not
/// converge, is equal only to an empty one... or skipped when the other converged).
fn close_vec(a: &[f64], b: &[f64], rel: f64) -> bool {
    if a.is_empty() || b.is_empty() {
        return true;
    }
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= rel * scale)
}

/// Every measure, by name, with the default parameters. A measure that fails (no convergence
/// on an awkward random graph, katz on an acyclic one) gives an empty vector, compared as such.
fn all_measures(c: &Csr) -> Vec<(String, Vec<f64>)> {
    let it = |r: tradenet::Result<Iterated>| r.map(|x| x.values).unwrap_or_default();
    let long = EigenvectorParams {
        max_iter: 20_000,
        ..Default::default()
    };
    let mut out = vec![
        (
            "pagerank".into(),
            it(pagerank(c, &PagerankParams::default())),
        ),
        (
            "cheirank".into(),
            it(cheirank(c, &PagerankParams::default())),
        ),
        ("clustering".into(), clustering(c)),
        ("in_degree".into(), in_degree(c)),
        ("eigenvector".into(), it(eigenvector(c, &long))),
        (
            "katz".into(),
            katz(c, &KatzParams::default())
                .map(|k| k.values)
                .unwrap_or_default(),
        ),
    ];
    let h = hits(
        c,
        &HitsParams {
            max_iter: 20_000,
            ..Default::default()
        },
    );
    let (hub, auth) = h.map(|h| (h.hubs, h.authorities)).unwrap_or_default();
    out.push(("hub".into(), hub));
    out.push(("authority".into(), auth));
    for d in [Distance::Inverse, Distance::NegLog, Distance::Hops] {
        let p = BetweennessParams {
            distance: d,
            ..Default::default()
        };
        out.push((
            format!("betweenness {d:?}"),
            betweenness(c, &p, None).unwrap(),
        ));
    }
    for d in [Distance::NegLog, Distance::Hops] {
        out.push((format!("closeness {d:?}"), closeness(c, d)));
        out.push((format!("harmonic {d:?}"), harmonic(c, d)));
    }
    out
}

proptest! {
    // A fixed seed: the same cases on every run, so CI is deterministic.
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261124),
        ..ProptestConfig::default()
    })]

    #[test]
    fn pagerank_sums_to_one((n, edges) in graph_strategy()) {
        let c = build(n, &edges);
        for r in [pagerank(&c, &PagerankParams::default()).unwrap(), cheirank(&c, &PagerankParams::default()).unwrap()] {
            prop_assert!((r.values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            prop_assert!(r.values.iter().all(|&v| v > 0.0));
        }
    }

    #[test]
    fn scaling_flows_changes_no_normalised_score((n, edges) in graph_strategy(), k in 0usize..3) {
        // Powers of two scale exactly, so even exact ties between path lengths survive.
        let factor = [1024.0, 0.125, 3.0e9][k];
        let c = build(n, &edges);
        let scaled: Vec<_> = edges.iter().map(|&(a, b, v)| (a, b, v * factor)).collect();
        let s = build(n, &scaled);
        for ((name, a), (_, b)) in all_measures(&c).into_iter().zip(all_measures(&s)) {
            // 3e9 is not a power of two: exact path ties may break, so skip paths for it.
            if k == 2 && name.starts_with("betweenness Inverse") {
                continue;
            }
            prop_assert!(close_vec(&b, &a, 1e-6), "{} changed under scaling by {}: {:?} vs {:?}", name, factor, a, b);
        }
    }

    #[test]
    fn relabelling_nodes_permutes_results((n, edges) in graph_strategy(), seed in any::<u64>()) {
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let c = build(n, &edges);
        let moved: Vec<_> = edges.iter().map(|&(a, b, v)| (perm[a], perm[b], v)).collect();
        let p = build(n, &moved);
        for ((name, a), (_, b)) in all_measures(&c).into_iter().zip(all_measures(&p)) {
            if b.is_empty() || a.is_empty() {
                continue;
            }
            // neglog gives a link that carries all of its exporter's trade length 0. Like
            // NetworkX, betweenness then counts equal paths into nodes already settled, which
            // depends on the order nodes leave the heap, i.e. on their labels: not invariant.
            if name.starts_with("betweenness NegLog") {
                continue;
            }
            let back: Vec<f64> = (0..n).map(|i| b[perm[i]]).collect();
            prop_assert!(close_vec(&back, &a, 1e-6), "{} not permuted: {:?} vs {:?}", name, a, back);
        }
    }

    #[test]
    fn one_thread_equals_two_threads_small((n, edges) in graph_strategy()) {
        let c = build(n, &edges);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let a = one.install(|| all_measures(&c));
        let b = two.install(|| all_measures(&c));
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            prop_assert!(x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits()), "{}", name);
        }
    }
}

/// A graph big enough for the parallel kernels to split work (every pass above the
/// sequential threshold): 3000 nodes, 90,000 pairs, skewed values.
fn big_graph() -> Csr {
    let n = 3000usize;
    let mut s = 42u64;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s >> 11
    };
    let mut edges = Vec::new();
    for _ in 0..90_000 {
        let a = (next() % n as u64) as usize;
        let b = (next() % n as u64) as usize;
        let v = ((next() % 1000) + 1) as f64 * 1e6 / (1 + a % 17) as f64;
        edges.push((a, b, v));
    }
    build(n, &edges)
}

#[test]
fn one_thread_equals_two_threads_bit_for_bit() {
    let c = big_graph();
    let run = || {
        let mut v = vec![
            pagerank(&c, &PagerankParams::default()).unwrap().values,
            cheirank(&c, &PagerankParams::default()).unwrap().values,
            eigenvector(&c, &EigenvectorParams::default())
                .unwrap()
                .values,
            katz(&c, &KatzParams::default()).unwrap().values,
            clustering(&c),
        ];
        let h = hits(&c, &HitsParams::default()).unwrap();
        v.push(h.hubs);
        v.push(h.authorities);
        let p = BetweennessParams {
            sources: Some((0..c.n).step_by(25).collect()),
            ..Default::default()
        };
        v.push(betweenness(&c, &p, None).unwrap());
        v
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one.install(run);
    let b = two.install(run);
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert!(
            x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits()),
            "measure {k} differs between 1 and 2 threads"
        );
    }
}

#[test]
fn sampled_sources_sum_the_exact_parts() {
    let c = big_graph();
    let raw = |s: Vec<usize>| {
        let p = BetweennessParams {
            normalized: false,
            sources: Some(s),
            ..Default::default()
        };
        betweenness(&c, &p, None).unwrap()
    };
    let a = raw((0..40).collect());
    let b = raw((40..80).collect());
    let ab = raw((0..80).collect());
    let sum: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
    assert!(close_vec(&ab, &sum, 1e-12));
    let bad = BetweennessParams {
        sources: Some(vec![1, 1]),
        ..Default::default()
    };
    assert!(betweenness(&c, &bad, None)
        .unwrap_err()
        .to_string()
        .contains("twice"));
}

#[test]
fn not_converging_names_measure_iterations_and_tolerance() {
    let c = big_graph();
    let p = PagerankParams {
        max_iter: 3,
        ..Default::default()
    };
    let e = pagerank(&c, &p).unwrap_err().to_string();
    assert!(
        e.contains("pagerank") && e.contains("3 iterations") && e.contains("1e-10"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------
// The command line.

fn cli() -> Command {
    let mut c = Command::cargo_bin("tradenet").unwrap();
    c.current_dir(root());
    c
}

#[test]
fn cli_json_has_every_measure_sorted() {
    let out = cli()
        .args([
            "centrality",
            "graphs/tiny.json",
            "--measure",
            "all",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "in_strength",
            "out_strength",
            "in_degree",
            "out_degree",
            "pagerank",
            "cheirank",
            "eigenvector",
            "katz",
            "hub",
            "authority",
            "betweenness",
            "closeness",
            "harmonic"
        ]
    );
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    let first: Vec<f64> = nodes
        .iter()
        .map(|n| n["in_strength"].as_f64().unwrap())
        .collect();
    assert!(first.windows(2).all(|w| w[0] >= w[1]));
    for n in nodes {
        for m in &names {
            assert!(n[*m].is_number(), "{m} missing");
        }
    }
    assert!(v["params"]["iterations"]["pagerank"].as_u64().unwrap() > 1);
    assert!(v["params"]["katz_alpha"].as_f64().unwrap() > 0.0);
}

#[test]
fn cli_rejects_bad_flags_by_name() {
    let out = cli()
        .args(["centrality", "graphs/tiny.json", "--measure", "pagernk"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--measure") && err.contains("pagerank"),
        "{err}"
    );
    let out = cli()
        .args(["centrality", "graphs/tiny.json", "--alpha", "1.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--alpha"));
}

#[test]
fn cli_csv_and_countries_view() {
    let out = cli()
        .args([
            "centrality",
            "graphs/wiod2011_focus8.json",
            "--countries",
            "-m",
            "cheirank,pagerank",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,cheirank,pagerank"));
    assert_eq!(lines.count(), 8);
}

#[test]
fn info_reports_structure() {
    let out = cli()
        .args(["info", "graphs/tiny.json", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = fixtures()
        .into_iter()
        .find(|f| f.name == "graph_tiny.fixture.json")
        .unwrap();
    let w = &f.json["structure"];
    for k in ["reciprocity", "weighted_reciprocity", "average_clustering"] {
        assert!(
            (v[k].as_f64().unwrap() - w[k].as_f64().unwrap()).abs() < 1e-9,
            "{k}"
        );
    }
    assert_eq!(v["strong_components"], w["strong_components"]);
    assert!(Path::new(&root().join("graphs/tiny.json")).exists());
}
