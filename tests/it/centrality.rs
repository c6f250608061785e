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
fn a_seeded_sample_of_sources_is_a_param_of_betweenness() {
    let c = big_graph();
    let run = |sample: Option<usize>, seed: u64| {
        let p = BetweennessParams {
            normalized: false,
            sample,
            seed,
            ..Default::default()
        };
        betweenness(&c, &p, None).unwrap()
    };
    // The same seed draws the same sources; another seed others.
    assert_eq!(run(Some(30), 7), run(Some(30), 7));
    assert_ne!(run(Some(30), 7), run(Some(30), 8));
    // A sample as large as the graph is every node.
    assert_eq!(run(Some(c.n + 5), 1), run(None, 0));
    let both = BetweennessParams {
        sources: Some(vec![1]),
        sample: Some(3),
        ..Default::default()
    };
    let e = betweenness(&c, &both, None).unwrap_err().to_string();
    assert!(
        e.contains("betweenness.sample") && e.contains("one or the other"),
        "{e}"
    );
}

#[test]
fn centrality_params_are_checked_before_any_graph() {
    let ok = CentralityParams::default();
    assert_eq!(ok.measures, vec![Measure::Pagerank]);
    assert!(ok.validate().is_ok());
    let bad = |f: &dyn Fn(&mut CentralityParams)| {
        let mut p = CentralityParams::default();
        f(&mut p);
        p.validate().unwrap_err().to_string()
    };
    let e = bad(&|p| p.pagerank.alpha = f64::NAN);
    assert!(
        e.starts_with("pagerank.alpha = NaN: must be between 0 and 1"),
        "{e}"
    );
    let e = bad(&|p| p.katz.alpha = KatzAlpha::OfRadius(1.0));
    assert!(e.starts_with("katz.alpha = 1: must be a fraction"), "{e}");
    let e = bad(&|p| p.hits.tol = 0.0);
    assert!(
        e.starts_with("hits.tol = 0: must be a finite number above 0"),
        "{e}"
    );
    let e = bad(&|p| p.measures.clear());
    assert!(
        e.starts_with("measures: must name at least one measure"),
        "{e}"
    );
    let e = bad(&|p| p.betweenness.sample = Some(0));
    assert!(
        e.starts_with("betweenness.sample = 0: must be at least 1"),
        "{e}"
    );
    let e = bad(&|p| p.personalize = Some(vec![]));
    assert!(
        e.starts_with("personalize: must list at least one id"),
        "{e}"
    );
}

#[test]
fn centrality_keys_nodes_by_id() {
    let path = root().join("graphs/tiny.json");
    let g = tradenet::io::load(path.to_str().unwrap(), &LoadOptions::default()).unwrap();
    let p = CentralityParams {
        measures: vec![Measure::InStrength, Measure::Betweenness],
        personalize: Some(vec!["nope".into()]),
        ..Default::default()
    };
    let e = centrality(&g, &p).unwrap_err().to_string();
    assert!(e.starts_with("personalize: unknown node 'nope'"), "{e}");
    let p = CentralityParams {
        measures: vec![Measure::InStrength, Measure::Betweenness],
        ..Default::default()
    };
    let c = centrality(&g, &p).unwrap();
    let csr = Csr::from_graph(&g, &FlowFilter::default());
    let s = in_strength(&csr);
    // Every node once, ranked by in-strength, each score the kernel's at the node's position.
    assert_eq!(c.nodes.len(), g.node_count());
    assert!(c
        .nodes
        .windows(2)
        .all(|w| w[0].scores.0[0].1 >= w[1].scores.0[0].1));
    for n in &c.nodes {
        let i = g.node_index(&n.id).unwrap().index();
        assert_eq!(n.scores.get(Measure::InStrength), Some(s[i]));
    }
    let v = serde_json::to_value(&c).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["measures", "params", "nodes"]);
    let node: Vec<&str> = v["nodes"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(node, ["id", "name", "in_strength", "betweenness"]);
    assert_eq!(v["params"]["distance"], "inverse");
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
            "graphs/icio2022_focus8.json",
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

// ---------------------------------------------------------------------------------------
// Eigenvector, Katz and HITS where the power iteration is hard (issue #12): generated graphs
// (not strongly connected, periodic, acyclic, defective, USD-scaled, weights from 1e-300 to
// 1e300) against NetworkX (`eigen_cases.json`, made by `make_fixtures.py eigen_cases`), the
// crude-oil network through the command line, and the real graphs in ../shared/data checked
// as fixed points of their equations (no NetworkX values may be kept for those; the comparison
// is `tests/fixtures/centrality/check_shared_vs_networkx.py`, run by hand).

fn eigen_cases() -> Value {
    let path = root().join("tests/fixtures/centrality/eigen_cases.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// The case's matrix, nodes in the listed order.
fn case_csr(case: &Value) -> Csr {
    let nodes: Vec<&str> = case["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ix = |s: &Value| {
        nodes
            .iter()
            .position(|n| *n == s.as_str().unwrap())
            .unwrap()
    };
    let edges: Vec<(usize, usize, f64)> = case["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (ix(&e[0]), ix(&e[1]), e[2].as_f64().unwrap()))
        .collect();
    build(nodes.len(), &edges)
}

#[test]
fn eigen_cases_equal_networkx() {
    let fx = eigen_cases();
    let cases = fx["cases"].as_array().unwrap();
    assert!(cases.len() >= 9, "expected the generated cases");
    let mut compared = 0;
    for case in cases {
        let name = format!("eigen_cases {}", case["name"].as_str().unwrap());
        let c = case_csr(case);
        let values = &case["values"];
        let errors = &case["errors"];
        for (key, reverse) in [("eigenvector", false), ("eigenvector_reverse", true)] {
            let p = EigenvectorParams {
                tol: TIGHT,
                max_iter: 100_000,
                reverse,
            };
            let r = eigenvector(&c, &p);
            if let Some(want) = values.get(key) {
                let got = r.unwrap_or_else(|e| panic!("{name} {key}: {e}"));
                check(&name, key, &got.values, &floats(want), false);
                compared += 1;
            } else {
                assert!(
                    errors.get(key).is_some(),
                    "{name}: no value nor error for {key}"
                );
                let e = r.expect_err(&format!("{name} {key}: NetworkX raises, tradenet did not"));
                let msg = e.to_string();
                assert!(
                    matches!(e, tradenet::Error::Numeric(_))
                        && msg.starts_with("eigenvector: ")
                        && msg.contains("PowerIterationFailedConvergence"),
                    "{name} {key}: {msg}"
                );
            }
        }
        let kp = KatzParams {
            tol: TIGHT,
            max_iter: 100_000,
            ..Default::default()
        };
        if let Some(want) = values.get("katz") {
            let k = katz(&c, &kp).unwrap_or_else(|e| panic!("{name} katz: {e}"));
            let lam = case["katz"]["lambda_max"].as_f64().unwrap();
            let r = k.spectral_radius.unwrap();
            assert!(
                (r - lam).abs() <= 1e-9 * lam,
                "{name}: lambda_max {r} vs {lam}"
            );
            check(&name, "katz", &k.values, &floats(want), false);
            compared += 1;
        } else {
            assert!(
                matches!(katz(&c, &kp), Err(tradenet::Error::Param { ref name, .. }) if name == "katz.alpha"),
                "{name}"
            );
            let a = case["katz"]["absolute_alpha"].as_f64().unwrap();
            let p = KatzParams {
                alpha: KatzAlpha::Absolute(a),
                ..kp.clone()
            };
            let k = katz(&c, &p).unwrap();
            check(
                &name,
                "katz_absolute",
                &k.values,
                &floats(&values["katz_absolute"]),
                false,
            );
            compared += 1;
        }
        if let Some(want) = values.get("authority") {
            let hp = HitsParams {
                tol: TIGHT,
                max_iter: 100_000,
            };
            let h = hits(&c, &hp).unwrap_or_else(|e| panic!("{name} hits: {e}"));
            check(&name, "hub", &h.hubs, &floats(&values["hub"]), false);
            check(&name, "authority", &h.authorities, &floats(want), false);
            compared += 1;
        }
    }
    assert!(compared >= 30, "only {compared} comparisons");
}

/// The defective and acyclic cases name the components and the reason.
#[test]
fn eigenvector_without_limit_is_a_named_error() {
    let fx = eigen_cases();
    for (case, words) in [
        ("acyclic", ["no cycle", "1/k"]),
        ("defective", ["defective", "1/k"]),
    ] {
        let case = fx["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == case)
            .unwrap();
        let e = eigenvector(&case_csr(case), &EigenvectorParams::default())
            .unwrap_err()
            .to_string();
        assert!(words.iter().all(|w| e.contains(w)), "{e}");
        assert!(e.contains("node "), "names the nodes: {e}");
    }
    // Through the command line, nodes are named by id.
    let csv = "exporter,importer,value\nA,B,1\nB,A,1\nB,C,1\nC,D,1\nD,C,1\n";
    let out = cli()
        .args([
            "centrality",
            "-",
            "--input-format",
            "csv",
            "-m",
            "eigenvector",
        ])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("'A'") && err.contains("'C'"),
        "{err}"
    );
}

/// Weights from 1e-300 to 1e300: every score is finite and non-negative through the command
/// line, and equal to NetworkX on the rescaled graph (in `eigen_cases_equal_networkx`).
#[test]
fn extreme_weights_give_finite_scores() {
    let fx = eigen_cases();
    let case = fx["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "extreme")
        .unwrap();
    let mut csv = String::from("exporter,importer,value\n");
    for e in case["edges"].as_array().unwrap() {
        csv += &format!(
            "{},{},{:e}\n",
            e[0].as_str().unwrap(),
            e[1].as_str().unwrap(),
            e[2].as_f64().unwrap()
        );
    }
    let out = cli()
        .args([
            "centrality",
            "-",
            "--input-format",
            "csv",
            "-m",
            "eigenvector,katz,hub,authority",
            "--format",
            "json",
        ])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 6);
    for n in nodes {
        for m in ["eigenvector", "katz", "hub", "authority"] {
            let x = n[m].as_f64().unwrap_or(f64::NAN);
            assert!(x.is_finite() && x >= 0.0, "{} {m} = {}", n["id"], n[m]);
        }
    }
    let want = floats(&case["values"]["authority"]);
    let ids: Vec<&str> = case["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for n in nodes {
        let i = ids
            .iter()
            .position(|x| *x == n["id"].as_str().unwrap())
            .unwrap();
        let got = n["authority"].as_f64().unwrap();
        assert!(
            (got - want[i]).abs() <= 1e-9,
            "{}: {got} vs {}",
            ids[i],
            want[i]
        );
    }
}

/// `tradenet centrality graphs/crude_oil_2021.json -m eigenvector,katz,hub,authority` at its
/// defaults equals NetworkX within 1e-6: the graph of issue #12, where the power iteration on
/// A + I has ratio 0.99 (eigenvalues 2.44e10 and -2.42e10) and 81 nodes tend to 0.
#[test]
fn crude_oil_defaults_equal_networkx() {
    let fx: Value = serde_json::from_slice(
        &std::fs::read(root().join("tests/fixtures/centrality/graph_crude_oil_2021.fixture.json"))
            .unwrap(),
    )
    .unwrap();
    let out = cli()
        .args([
            "centrality",
            "graphs/crude_oil_2021.json",
            "-m",
            "eigenvector,katz,hub,authority",
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
    let ids: Vec<&str> = fx["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 182);
    let mut zeros = 0;
    for m in ["eigenvector", "katz", "hub", "authority"] {
        let want = floats(&fx["values"][m]);
        if m == "eigenvector" {
            assert_eq!(want.iter().filter(|x| **x == 0.0).count(), 19);
        }
        for n in v["nodes"].as_array().unwrap() {
            let i = ids
                .iter()
                .position(|x| *x == n["id"].as_str().unwrap())
                .unwrap();
            let got = n[m].as_f64().unwrap();
            assert!(
                (got - want[i]).abs() <= 1e-6,
                "crude oil {m} {}: {got} vs {}",
                ids[i],
                want[i]
            );
            if m == "eigenvector" && (got == 0.0) != (want[i] == 0.0) {
                zeros += 1;
            }
        }
    }
    // The 19 nodes without imports, which the leading component does not reach, score
    // exactly 0, as in NetworkX (whose values there underflow).
    assert_eq!(zeros, 0, "nodes at exactly 0 differ from NetworkX");
}

/// A real graph in ../shared/data: file, extra flags, and rows to drop before piping it in
/// (tradenet refuses negative values and, in a trade graph, domestic rows).
struct Shared {
    file: &'static str,
    value: &'static str,
    year: Option<u32>,
    drop_negative: bool,
    drop_domestic: bool,
}

const SHARED: [Shared; 7] = [
    Shared {
        file: "comtrade-1964-2016/edges_total_1964_2016.csv",
        value: "value",
        year: Some(1964),
        drop_negative: false,
        drop_domestic: false,
    },
    Shared {
        file: "comtrade-1964-2016/edges_total_1964_2016.csv",
        value: "value",
        year: Some(2016),
        drop_negative: false,
        drop_domestic: false,
    },
    Shared {
        file: "wiod2011/edges_total_1995_2011.csv",
        value: "value",
        year: Some(2011),
        drop_negative: false,
        drop_domestic: false,
    },
    Shared {
        file: "wiod2011/edges_by_sector_2011.csv",
        value: "value",
        year: None,
        drop_negative: true,
        drop_domestic: false,
    },
    Shared {
        file: "baci-2023-liberation-day/edges_2023_kusd.csv",
        value: "value_kusd",
        year: None,
        drop_negative: false,
        drop_domestic: false,
    },
    Shared {
        file: "gegravity-sample/sample_data_set.csv",
        value: "trade",
        year: None,
        drop_negative: false,
        drop_domestic: true,
    },
    Shared {
        file: "cp2015/xbilat1993.csv",
        value: "trade_thousand_usd",
        year: None,
        drop_negative: false,
        drop_domestic: true,
    },
];

/// The rows kept (exporter, importer, value) and the CSV text to pipe in, when filtered.
fn shared_rows(s: &Shared) -> (Vec<(String, String, f64)>, Option<String>) {
    let path = root().join("../shared/data").join(s.file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{path:?}: {e} (the shared data must sit beside the repository in ../shared/data)")
    });
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (ci, cj, cv) = (col("exporter"), col("importer"), col(s.value));
    let cy = header.iter().position(|h| *h == "year");
    let mut rows = Vec::new();
    let mut piped = header.join(",") + "\n";
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let v: f64 = if f[cv].trim().is_empty() {
            0.0
        } else {
            f[cv].trim().parse().unwrap()
        };
        let (a, b) = (f[ci].trim(), f[cj].trim());
        if (s.drop_negative && v < 0.0) || (s.drop_domestic && a == b) {
            continue;
        }
        piped += line;
        piped.push('\n');
        if let (Some(y), Some(cy)) = (s.year, cy) {
            if f[cy].trim().parse::<u32>().unwrap() != y {
                continue;
            }
        }
        if v != 0.0 {
            rows.push((a.to_string(), b.to_string(), v));
        }
    }
    let filtered = s.drop_negative || s.drop_domestic;
    (rows, filtered.then_some(piped))
}

/// On every real graph in ../shared/data the command succeeds and each vector solves its
/// equation, checked here from the CSV rows: eigenvector (I + A^T) x = (1 + lambda) x with
/// lambda the spectral radius reported for Katz, x >= 0 of norm 1; Katz x - alpha A^T x
/// constant (= beta / scale) with alpha = 0.5 / lambda; authorities A^T A a = s a and hubs
/// h ∝ A a, each summing to 1.
#[test]
fn shared_data_vectors_are_fixed_points() {
    for s in &SHARED {
        let label = format!("{} {:?}", s.file, s.year);
        let (rows, piped) = shared_rows(s);
        let rel = format!("../shared/data/{}", s.file);
        let mut args: Vec<String> = vec!["centrality".into()];
        args.push(if piped.is_some() {
            "-".into()
        } else {
            rel.clone()
        });
        for a in [
            "--input-format",
            "csv",
            "-m",
            "eigenvector,katz,hub,authority",
            "--format",
            "json",
        ] {
            args.push(a.into());
        }
        args.extend(
            [
                "--from-col",
                "exporter",
                "--to-col",
                "importer",
                "--value-col",
                s.value,
            ]
            .map(String::from),
        );
        if let Some(y) = s.year {
            args.extend([
                "--year".into(),
                y.to_string(),
                "--year-col".into(),
                "year".into(),
            ]);
        }
        let mut cmd = cli();
        cmd.args(&args);
        if let Some(p) = piped {
            cmd.write_stdin(p);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let nodes = v["nodes"].as_array().unwrap();
        let ids: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
        let n = ids.len();
        let ix: std::collections::HashMap<&str, usize> =
            ids.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        // A as a dense matrix (at most a few hundred nodes).
        let mut a = vec![vec![0.0f64; n]; n];
        for (x, y, w) in &rows {
            a[ix[x.as_str()]][ix[y.as_str()]] += w;
        }
        let col = |m: &str| -> Vec<f64> { nodes.iter().map(|x| x[m].as_f64().unwrap()).collect() };
        let at_times = |x: &[f64]| -> Vec<f64> {
            (0..n)
                .map(|j| (0..n).map(|i| a[i][j] * x[i]).sum())
                .collect()
        };
        let a_times = |x: &[f64]| -> Vec<f64> {
            (0..n)
                .map(|i| (0..n).map(|j| a[i][j] * x[j]).sum())
                .collect()
        };
        let inf = |x: &[f64]| x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let lam = v["params"]["spectral_radius"].as_f64().unwrap();

        let e = col("eigenvector");
        assert!(
            e.iter().all(|x| *x >= 0.0),
            "{label}: negative eigenvector entry"
        );
        let norm: f64 = e.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 1e-12, "{label}: norm {norm}");
        let ae = at_times(&e);
        let r: Vec<f64> = (0..n).map(|j| ae[j] - lam * e[j]).collect();
        assert!(
            inf(&r) <= 1e-8 * lam,
            "{label}: eigenvector residual {:e} (lambda {lam:e})",
            inf(&r)
        );

        let k = col("katz");
        let alpha = v["params"]["katz_alpha"].as_f64().unwrap();
        assert!(
            (alpha * lam - 0.5).abs() < 1e-12,
            "{label}: alpha {alpha} lambda {lam}"
        );
        let ak = at_times(&k);
        let c: Vec<f64> = (0..n).map(|j| k[j] - alpha * ak[j]).collect();
        let (lo, hi) = c
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), x| (l.min(*x), h.max(*x)));
        assert!(
            lo > 0.0 && hi - lo <= 1e-9 * hi,
            "{label}: katz x - alpha A^T x spans {lo:e}..{hi:e}"
        );

        let au = col("authority");
        let h = col("hub");
        for (what, x) in [("authority", &au), ("hub", &h)] {
            let s: f64 = x.iter().sum();
            assert!(
                (s - 1.0).abs() < 1e-12 && x.iter().all(|v| *v >= 0.0),
                "{label}: {what} sum {s}"
            );
        }
        let ha = a_times(&au);
        let sh: f64 = ha.iter().sum();
        let dh: Vec<f64> = (0..n).map(|i| ha[i] / sh - h[i]).collect();
        assert!(
            inf(&dh) <= 1e-12,
            "{label}: hubs are not A a: {:e}",
            inf(&dh)
        );
        let ata = at_times(&ha);
        let sa: f64 = ata.iter().sum();
        let da: Vec<f64> = (0..n).map(|j| ata[j] / sa - au[j]).collect();
        assert!(
            inf(&da) <= 1e-9 * inf(&au),
            "{label}: authorities residual {:e}",
            inf(&da)
        );
    }
}

/// Too few products: [`Error::NotConverged`] naming eigenvector, the products and the
/// tolerance (not a component's radius, even on a graph that is not strongly connected).
#[test]
fn eigenvector_not_converging_names_measure_iterations_and_tolerance() {
    let g = tradenet::io::load(
        root().join("graphs/crude_oil_2021.json").to_str().unwrap(),
        &LoadOptions::default(),
    )
    .unwrap();
    let c = Csr::from_graph(&g, &FlowFilter::default());
    let p = EigenvectorParams {
        max_iter: 3,
        ..Default::default()
    };
    let e = eigenvector(&c, &p).unwrap_err();
    assert!(matches!(e, tradenet::Error::NotConverged { .. }));
    let e = e.to_string();
    assert!(
        e.starts_with("eigenvector did not converge in 3 iterations (tolerance 1e-10)"),
        "{e}"
    );
}
