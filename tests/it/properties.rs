//! Property suites for dependency, shock and draw on small random graphs (centrality has its
//! own in `tests/centrality.rs`). Every case is generated from a fixed seed, so CI runs the
//! same cases each time; each property is an identity that holds for any graph, checked with
//! an explicit tolerance.

use crate::common::tradenet;
use proptest::prelude::*;
use tradenet::analysis::{
    dependencies, parse_demand, partner_shares, shock, smart, DependencyParams, Scenario, Shock,
    ShockParams,
};
use tradenet::io::{load_bytes, LoadOptions};
use tradenet::TradeGraph;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 40,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261124),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A trade graph: up to 7 countries, up to 3 sectors, whole values (so that scaling by a power
/// of two is exact).
fn trade_strategy() -> impl Strategy<Value = Vec<(usize, usize, usize, u32)>> {
    prop::collection::vec((0usize..7, 0usize..7, 0usize..3, 1u32..5000), 2..40).prop_map(|v| {
        v.into_iter()
            .filter(|&(a, b, _, _)| a != b)
            .collect::<Vec<_>>()
    })
}

fn trade_csv(flows: &[(usize, usize, usize, u32)], scale: f64) -> Vec<u8> {
    let mut s = String::from("exporter,importer,sector,value\n");
    for &(a, b, k, v) in flows {
        s.push_str(&format!("C{a},C{b},s{k},{}\n", v as f64 * scale));
    }
    s.into_bytes()
}

fn load(name: &str, bytes: Vec<u8>) -> TradeGraph {
    load_bytes(name, bytes, &LoadOptions::default()).expect("generated graph loads")
}

/// An input-output graph (native JSON): countries x sectors nodes, random intermediate flows,
/// and gross output = intermediate sales + a positive final demand, so that every column of
/// A = Z diag(x)^-1 sums to less than 1 (a productive economy).
/// Countries, sectors, flows (from, to, value) and final demand per node.
type IoCase = (usize, usize, Vec<(usize, usize, u32)>, Vec<u32>);

fn io_strategy() -> impl Strategy<Value = IoCase> {
    (2usize..4, 1usize..3).prop_flat_map(|(k, m)| {
        let n = k * m;
        (
            Just(k),
            Just(m),
            prop::collection::vec((0..n, 0..n, 1u32..1000), 1..30),
            prop::collection::vec(10u32..2000, n),
        )
    })
}

fn io_json(k: usize, m: usize, flows: &[(usize, usize, u32)], fd: &[u32]) -> Vec<u8> {
    let n = k * m;
    let id = |i: usize| format!("C{}:s{}", i / m, i % m);
    let (mut sales, mut inputs) = (vec![0.0f64; n], vec![0.0f64; n]);
    let mut merged = std::collections::BTreeMap::new();
    for &(a, b, v) in flows {
        *merged.entry((a, b)).or_insert(0.0) += v as f64;
    }
    for (&(a, b), v) in &merged {
        sales[a] += v;
        inputs[b] += v;
    }
    // Final demand tops up each node so that output (sales + final demand) exceeds its inputs.
    let fd: Vec<f64> = (0..n)
        .map(|i| fd[i] as f64 + (inputs[i] - sales[i]).max(0.0))
        .collect();
    let sectors: Vec<_> = (0..m)
        .map(|j| serde_json::json!({"id": format!("s{j}")}))
        .collect();
    let nodes: Vec<_> = (0..n)
        .map(|i| {
            serde_json::json!({"id": id(i), "country": format!("C{}", i / m), "sector": format!("s{}", i % m),
                "output": sales[i] + fd[i], "final_demand": fd[i]})
        })
        .collect();
    let fl: Vec<_> = merged
        .iter()
        .map(|(&(a, b), &v)| serde_json::json!({"from": id(a), "to": id(b), "value": v}))
        .collect();
    serde_json::json!({"format": "tradenet/1", "meta": {"name": "random io"}, "sectors": sectors, "nodes": nodes, "flows": fl})
        .to_string()
        .into_bytes()
}

fn demand(spec: &str) -> Scenario {
    Scenario::new(vec![Shock::Demand(parse_demand(spec).unwrap())])
}

proptest! {
    #![proptest_config(config())]

    /// Partner shares add up to 1, the HHI is the sum of squared shares, and n80 is the
    /// smallest number of largest partners covering 80%.
    #[test]
    fn dependency_shares_hhi_and_n80(flows in trade_strategy()) {
        prop_assume!(!flows.is_empty());
        let g = load("t.csv", trade_csv(&flows, 1.0));
        for d in dependencies(&g, &DependencyParams::default()).unwrap() {
            let (exp, imp) = partner_shares(&g, &d.id, None).unwrap();
            for (list, c) in [(&exp, &d.exports), (&imp, &d.imports)] {
                if list.is_empty() {
                    prop_assert!(c.hhi.is_none());
                    continue;
                }
                let total: f64 = list.iter().map(|p| p.share).sum();
                prop_assert!((total - 1.0).abs() < 1e-12, "{}: shares sum to {}", d.id, total);
                let hhi: f64 = list.iter().map(|p| p.share * p.share).sum();
                prop_assert!((c.hhi.unwrap() - hhi).abs() < 1e-12);
                prop_assert!(list.windows(2).all(|w| w[0].share >= w[1].share));
                let mut cum = 0.0;
                let k = list.iter().position(|p| { cum += p.share; cum >= 0.8 - 1e-12 }).unwrap() + 1;
                prop_assert_eq!(c.partners_to_cover, Some(k), "{}", d.id);
            }
        }
    }

    /// Doubling every value three times changes no share or HHI.
    #[test]
    fn dependency_is_scale_free(flows in trade_strategy()) {
        prop_assume!(!flows.is_empty());
        let a = dependencies(&load("a.csv", trade_csv(&flows, 1.0)), &DependencyParams::default()).unwrap();
        let b = dependencies(&load("b.csv", trade_csv(&flows, 8.0)), &DependencyParams::default()).unwrap();
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(&x.id, &y.id);
            prop_assert_eq!(x.exports.hhi, y.exports.hhi);
            prop_assert_eq!(x.imports.hhi, y.imports.hhi);
            prop_assert_eq!(x.exports.top_share, y.exports.top_share);
            prop_assert_eq!(x.exports.total * 8.0, y.exports.total);
        }
    }

    /// Leontief is linear: a 20% demand cut moves every node twice as far as a 10% cut, never
    /// up, and by no more than the node's output.
    #[test]
    fn leontief_demand_shock_is_linear_and_never_raises_output((k, m, flows, fd) in io_strategy()) {
        let g = load("io.json", io_json(k, m, &flows, &fd));
        let p = ShockParams::default();
        let a = shock(&g, &demand("C0=-10%"), &p).unwrap();
        let b = shock(&g, &demand("C0=-20%"), &p).unwrap();
        let scale = a.nodes.iter().map(|n| n.baseline).fold(0.0, f64::max);
        for (x, y) in a.nodes.iter().zip(&b.nodes) {
            prop_assert!((y.delta - 2.0 * x.delta).abs() <= 1e-9 * scale, "{}: {} vs 2 x {}", x.id, y.delta, x.delta);
            prop_assert!(x.delta <= 1e-9 * scale, "{} rose by {}", x.id, x.delta);
            prop_assert!(-x.delta <= x.baseline * (1.0 + 1e-9), "{} fell more than its output", x.id);
        }
        // The total is the sum over nodes, and over countries.
        let by_node: f64 = a.nodes.iter().map(|n| n.delta).sum();
        let by_country: f64 = a.countries.iter().map(|c| c.delta).sum();
        prop_assert!((a.total_delta() - by_node).abs() <= 1e-9 * scale);
        prop_assert!((by_country - by_node).abs() <= 1e-9 * scale);
    }

    /// Scaling every value (flows, output, final demand) scales every change by the same
    /// factor: percentages do not move.
    #[test]
    fn shock_is_scale_free((k, m, flows, fd) in io_strategy()) {
        let g = load("io.json", io_json(k, m, &flows, &fd));
        let scaled: Vec<_> = flows.iter().map(|&(a, b, v)| (a, b, v * 4)).collect();
        let fd4: Vec<u32> = fd.iter().map(|v| v * 4).collect();
        let g4 = load("io4.json", io_json(k, m, &scaled, &fd4));
        let p = ShockParams::default();
        let a = shock(&g, &demand("C1=-15%"), &p).unwrap();
        let b = shock(&g4, &demand("C1=-15%"), &p).unwrap();
        let scale = a.nodes.iter().map(|n| n.baseline).fold(0.0, f64::max);
        for (x, y) in a.nodes.iter().zip(&b.nodes) {
            prop_assert!((y.delta - 4.0 * x.delta).abs() <= 1e-9 * 4.0 * scale, "{}", x.id);
        }
    }

    /// DebtRank on a trade graph: distress stays in [0, 1], losses never exceed the baseline,
    /// and a demand cut never raises trade.
    #[test]
    fn debtrank_stays_in_bounds(flows in trade_strategy(), pct in 1u32..100) {
        prop_assume!(!flows.is_empty());
        let g = load("t.csv", trade_csv(&flows, 1.0));
        let Some(target) = g.nodes().next().map(|n| n.id.to_string()) else { return Ok(()) };
        let r = shock(&g, &demand(&format!("{target}=-{pct}%")), &ShockParams::default()).unwrap();
        for n in &r.nodes {
            let h = n.h.unwrap_or(0.0);
            prop_assert!((0.0..=1.0).contains(&h), "{}: h = {}", n.id, h);
            prop_assert!(n.delta <= 0.0 && -n.delta <= n.baseline * (1.0 + 1e-12), "{}: {} of {}", n.id, n.delta, n.baseline);
        }
    }

    /// A DOT diagram parses back with exactly `--top` edges (or every trading pair, when fewer), and the same command gives the same bytes.
    #[test]
    fn draw_top_n_parses_and_is_deterministic(flows in trade_strategy(), top in 1usize..12) {
        prop_assume!(!flows.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.csv");
        std::fs::write(&f, trade_csv(&flows, 1.0)).unwrap();
        let f = f.to_str().unwrap();
        let top_s = top.to_string();
        let args = ["draw", f, "--top", top_s.as_str(), "--as-is"];
        let a = tradenet(args).ok_with_notes();
        let b = tradenet(args).ok_with_notes();
        prop_assert_eq!(&a, &b);
        let parsed = graphviz_rust::parse(&a).map_err(|e| TestCaseError::fail(format!("{e}\n{a}")))?;
        use graphviz_rust::dot_structures::{Graph, Stmt};
        let stmts = match &parsed { Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts };
        let edges = stmts.iter().filter(|s| matches!(s, Stmt::Edge(_))).count();
        // Drawn edges are trading pairs (sectors summed), the `top` largest.
        let pairs: std::collections::BTreeSet<(usize, usize)> = flows.iter().map(|&(a, b, _, _)| (a, b)).collect();
        prop_assert_eq!(edges, top.min(pairs.len()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..config() })]

    /// The tariff model's domain (issue #12 item 3): from 0% to 1000% (a cut below the old
    /// rate t0, a rise above), diversion never falls and never exceeds the flow (M_e one way,
    /// M_K the other), welfare never rises (a gain for a cut, a loss for a rise), the
    /// exporter's sales fall towards 0 and never below, its loss (creation + diversion) never
    /// exceeds M_e, and the others gain from a rise.
    #[test]
    fn tariff_effects_are_monotone_and_bounded_in_the_rate(
        m_e in 1.0f64..1e12,
        others in prop::collection::vec(0.0f64..1e12, 0..5),
        eps in -4.0f64..=0.0,
        sigma in 0.0f64..12.0,
        t0 in prop::sample::select(vec![0.0, 0.05, 0.3]),
    ) {
        let mut prev: Option<tradenet::analysis::Smart> = None;
        let m_big_k: f64 = others.iter().sum();
        // From 0% (a cut, when t0 > 0) to 1000%.
        let mut t1 = 0.0;
        while t1 <= 10.0 {
            let s = smart(&tradenet::analysis::SmartParams { exporter: m_e, others: &others, old_rate: t0, new_rate: t1, import_demand: eps, substitution: sigma });
            let tol = 1e-9 * (m_e + m_big_k);
            prop_assert!(s.new_flow >= 0.0 && s.new_flow.is_finite(), "{t1}: {s:?}");
            prop_assert!(-s.exporter_delta <= m_e + tol);
            prop_assert!(s.trade_diversion >= -m_big_k - tol && s.trade_diversion <= m_e + tol);
            prop_assert!(s.gains.iter().zip(&others).all(|(&g, &m)| m + g >= -tol));
            if t1 >= t0 {
                // A rise: the exporter keeps at most what it had, the others gain, a loss.
                prop_assert!(s.new_flow <= m_e + tol, "{t1}: {s:?}");
                prop_assert!(s.trade_diversion >= -tol && s.gains.iter().all(|&g| g >= -tol));
                prop_assert!(s.welfare <= tol);
            } else {
                prop_assert!(s.welfare >= -tol, "a cut is a gain: {t1}: {s:?}");
            }
            if let Some(p) = &prev {
                prop_assert!(s.trade_diversion >= p.trade_diversion - tol, "{t1}: {s:?} after {p:?}");
                prop_assert!(s.welfare <= p.welfare + tol, "{t1}: {s:?} after {p:?}");
                prop_assert!(s.new_flow <= p.new_flow + tol, "{t1}: {s:?} after {p:?}");
            }
            prev = Some(s);
            t1 += 0.05;
        }
    }
}
