//! Shock propagation (MODELS.md §4) against hand calculations, the numpy references made by
//! tests/fixtures/shock/make_fixtures.py (committed beside its output), and invariants:
//! zero shock, linearity, rounds = direct solve, diversion conserves value, named errors.

use crate::common::{num, shared_data, tradenet as run};
use serde_json::Value;
use std::path::Path;
use tradenet::analysis::{
    debtrank, parse_tariff, shock, smart, tariff_effects, Channel, DebtRankParams, Demand,
    DemandValue, Elasticities, IoSystem, RoundParams, Scenario, Shock, ShockParams, SmartParams,
    Supply, Tariff,
};
use tradenet::io::{load, load_bytes, LoadOptions};
use tradenet::{Csr, Error, TradeGraph};

fn root(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .to_string_lossy()
        .into_owned()
}

fn graph(p: &str) -> TradeGraph {
    load(&root(p), &LoadOptions::default()).unwrap()
}

fn focus8() -> TradeGraph {
    tradenet::bundled::default_graph().unwrap()
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root("tests/fixtures/shock/reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `a` equals `b` to `rel`, relative to |b| or, for entries near zero, to `scale`.
fn close(a: f64, b: f64, rel: f64, scale: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(scale)
}

/// Compare a vector in node order against `{id: value}` of the reference. Rounds stop on an L1
/// tolerance, so they are compared norm-wise: max |got - numpy| <= 1e-9 * max |numpy|. Direct
/// solves (`elementwise`) also agree entry by entry to 1e-9 relative (floor 1e-12 * max).
fn assert_matches_with(g: &TradeGraph, got: &[f64], want: &Value, what: &str, elementwise: bool) {
    let want = want.as_object().unwrap();
    let max = want
        .values()
        .map(|v| v.as_f64().unwrap().abs())
        .fold(0.0, f64::max);
    assert_eq!(want.len(), got.len(), "{what}: node count");
    for (i, n) in g.nodes().enumerate() {
        let w = want[&*n.id].as_f64().unwrap();
        let ok = if elementwise {
            close(got[i], w, 1e-9, 1e-12 * max)
        } else {
            (got[i] - w).abs() <= 1e-9 * max
        };
        assert!(ok, "{what}: {} = {} but numpy says {}", n.id, got[i], w);
    }
}

fn assert_matches(g: &TradeGraph, got: &[f64], want: &Value, what: &str) {
    assert_matches_with(g, got, want, what, false)
}

fn assert_matches_exactly(g: &TradeGraph, got: &[f64], want: &Value, what: &str) {
    assert_matches_with(g, got, want, what, true)
}

/// The 3-node input-output system of the hand-worked examples, as a native graph.
/// x = (100, 200, 100); z[A,A] = 10, z[A,B] = 40, z[B,C] = 50, z[C,A] = 10; `x_b` is B's output.
fn three(x_b: f64) -> TradeGraph {
    let json = format!(
        r#"{{"format": "tradenet/1", "meta": {{"unit": "USD"}},
        "sectors": [{{"id": "m"}}],
        "nodes": [
          {{"id": "A:m", "country": "A", "sector": "m", "output": 100, "final_demand": {{"A": 50}}}},
          {{"id": "B:m", "country": "B", "sector": "m", "output": {x_b}, "final_demand": {{"B": 100, "A": 50}}}},
          {{"id": "C:m", "country": "C", "sector": "m", "output": 100, "final_demand": {{"C": 90}}}}
        ],
        "flows": [
          {{"from": "A:m", "to": "A:m", "value": 10}},
          {{"from": "A:m", "to": "B:m", "value": 40}},
          {{"from": "B:m", "to": "C:m", "value": 50}},
          {{"from": "C:m", "to": "A:m", "value": 10}}
        ]}}"#
    );
    load_bytes("three.json", json.into_bytes(), &LoadOptions::default()).unwrap()
}

#[test]
fn hand_worked_three_node_leontief_and_ghosh() {
    let g = three(200.0);
    let sys = IoSystem::from_graph(&g).unwrap();
    // A = Z diag(x)^-1: a[A,A] = 10/100 = .1, a[A,B] = 40/200 = .2, a[B,C] = 50/100 = .5,
    // a[C,A] = 10/100 = .1. Demand for C falls by 10: dy = (0, 0, -10).
    let dy = [0.0, 0.0, -10.0];
    let p = sys.leontief(&dy, &RoundParams::default()).unwrap();
    // Round 1 = A dy, row i = sum_j a[i,j] dy_j: C's supplier B (a[B,C] = .5) loses 5:
    // (0, -5, 0).
    // Round 2 = A (0,-5,0): A supplies B (a[A,B] = .2): (-1, 0, 0).
    // Round 3 = A (-1,0,0): A supplies itself (.1) and C supplies A (.1): (-.1, 0, -.1).
    let r: Vec<f64> = p.rounds.iter().map(|r| r.sum).collect();
    assert_eq!(r[0], -10.0);
    assert!((r[1] - -5.0).abs() < 1e-12);
    assert!((r[2] - -1.0).abs() < 1e-12);
    assert!((r[3] - -0.2).abs() < 1e-12);
    // Exact: (I - A) dx = dy, i.e. .9a - .2b = 0, b - .5c = 0, -.1a + c = -10, so b = c/2,
    // a = c/9 and c (1 - 1/90) = -10: c = -900/89, b = -450/89, a = -100/89.
    let want = [-100.0 / 89.0, -450.0 / 89.0, -900.0 / 89.0];
    let dense = sys.leontief_dense(&dy).unwrap();
    for ((got, lu), w) in p.total.iter().zip(&dense).zip(want) {
        assert!((got - w).abs() < 1e-9, "{got} vs {w}");
        assert!((lu - w).abs() < 1e-12, "{lu} vs {w}");
    }

    // Ghosh: B = diag(x)^-1 Z: b[A,A] = .1, b[A,B] = 40/100 = .4, b[B,C] = 50/200 = .25,
    // b[C,A] = .1. A's primary inputs fall by 10 (10% of x_A): dv = (-10, 0, 0).
    // dx' = dv' (I - B)^-1: a - .1a - .1c = -10, b = .4a, c = .25b = .1a, so .89a = -10:
    // a = -1000/89, b = -400/89, c = -100/89.
    let dv = [-10.0, 0.0, 0.0];
    let q = sys.ghosh(&dv, &RoundParams::default()).unwrap();
    let want = [-1000.0 / 89.0, -400.0 / 89.0, -100.0 / 89.0];
    for (got, w) in q.total.iter().zip(want) {
        assert!((got - w).abs() < 1e-9, "{got} vs {w}");
    }
    // Round 1 = dv' B: A's buyers: itself (.1 * -10) and B (.4 * -10).
    assert!((q.rounds[1].sum - -5.0).abs() < 1e-12);

    // The same through the scenario API: a 10% supply cut at A and a 10/90 demand cut at C.
    let s = Scenario::new(vec![Shock::Supply(Supply {
        node: "A:m".into(),
        pct: -10.0,
    })]);
    let res = shock(&g, &s, &ShockParams::default()).unwrap();
    assert_eq!(res.model.as_str(), "ghosh");
    assert!((res.node("B:m").unwrap().delta - -400.0 / 89.0).abs() < 1e-9);
    assert!((res.node("B:m").unwrap().delta_pct().unwrap() - -400.0 / 89.0 / 2.0).abs() < 1e-9);
}

#[test]
fn leontief_matches_numpy_on_focus8() {
    let g = focus8();
    let r = reference();
    let sys = IoSystem::from_graph(&g).unwrap();
    let dy: Vec<f64> = g
        .nodes()
        .map(|n| r["leontief"]["dy"][&*n.id].as_f64().unwrap())
        .collect();
    let p = sys.leontief(&dy, &RoundParams::default()).unwrap();
    assert_matches(&g, &p.total, &r["leontief"]["dx"], "Leontief rounds");
    let d = sys.leontief_dense(&dy).unwrap();
    assert_matches_exactly(&g, &d, &r["leontief"]["dx"], "Leontief LU");
    // The scenario that made dy gives the same answer.
    let shocks: Vec<Shock> = serde_json::from_value(r["leontief"]["shocks"].clone()).unwrap();
    let res = shock(&g, &Scenario::new(shocks), &ShockParams::default()).unwrap();
    let got: Vec<f64> = res.nodes.iter().map(|n| n.delta).collect();
    assert_matches(&g, &got, &r["leontief"]["dx"], "Leontief scenario");
    let direct: Vec<f64> = res.nodes.iter().map(|n| n.direct).collect();
    assert_matches_exactly(&g, &direct, &r["leontief"]["dy"], "dy");
}

#[test]
fn ghosh_matches_numpy_on_focus8() {
    let g = focus8();
    let r = reference();
    let shocks: Vec<Shock> = serde_json::from_value(r["ghosh"]["shocks"].clone()).unwrap();
    let res = shock(&g, &Scenario::new(shocks), &ShockParams::default()).unwrap();
    assert_eq!(res.model.as_str(), "ghosh");
    let got: Vec<f64> = res.nodes.iter().map(|n| n.delta).collect();
    assert_matches(&g, &got, &r["ghosh"]["dx"], "Ghosh rounds");
    let sys = IoSystem::from_graph(&g).unwrap();
    let dv: Vec<f64> = res.nodes.iter().map(|n| n.direct).collect();
    assert_matches_exactly(&g, &dv, &r["ghosh"]["dv"], "dv");
    assert_matches_exactly(
        &g,
        &sys.ghosh_dense(&dv).unwrap(),
        &r["ghosh"]["dx"],
        "Ghosh LU",
    );
    // Row sums of B close to 1 (JPN:B05, coal, 0.9992: almost all of it sold to industries) do
    // not stop Ghosh: B and A are similar.
    assert!(res.checks[0].max_rel_diff.unwrap() < 1e-9);
}

#[test]
fn headline_tariff_matches_numpy() {
    // ICIO's final demand has no destination: the tariff reaches the intermediate deliveries
    // of CAN:C29 to US industries only, and numpy's reference models exactly that.
    let g = focus8();
    let r = &reference()["headline"];
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("USA:CAN:C29=25%").unwrap(),
    )]);
    let res = shock(&g, &s, &ShockParams::default()).unwrap();
    assert!(
        res.notes
            .iter()
            .any(|n| n.contains("a tariff taxes intermediate deliveries only")),
        "{:?}",
        res.notes
    );
    let t = &res.tariffs[0];
    let sm = &r["smart"];
    assert!(close(t.imports_from_exporter, num(sm, "m_e"), 1e-12, 0.0));
    assert!(close(
        t.smart.trade_creation,
        num(sm, "trade_creation"),
        1e-12,
        0.0
    ));
    assert!(close(
        t.smart.trade_diversion,
        num(sm, "trade_diversion"),
        1e-12,
        0.0
    ));
    assert!(close(t.smart.welfare, num(sm, "welfare"), 1e-12, 0.0));
    // Partners in the same order (by imports, descending), each gaining its share.
    let others: Vec<&str> = r["others"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> = t.partners[1..]
        .iter()
        .map(|p| p.supplier.as_str())
        .collect();
    assert_eq!(ours, others);
    for (p, g) in t.partners[1..].iter().zip(sm["gains"].as_array().unwrap()) {
        assert!(close(p.trade_diversion, g.as_f64().unwrap(), 1e-12, 0.0));
        assert!(close(
            p.baseline,
            num(&r["imports"], &p.supplier),
            1e-12,
            0.0
        ));
    }
    let got: Vec<f64> = res.nodes.iter().map(|n| n.delta).collect();
    assert_matches(&g, &got, &r["dx"], "headline dx");
    let dy: Vec<f64> = res.nodes.iter().map(|n| n.direct).collect();
    assert_matches_exactly(&g, &dy, &r["dy"], "headline dy");
    let biggest = res
        .countries
        .iter()
        .map(|c| c.delta.abs())
        .fold(0.0, f64::max);
    for c in &res.countries {
        let want = num(&r["countries"], &c.id);
        assert!(
            (c.delta - want).abs() <= 1e-9 * biggest,
            "{}: {} vs {want}",
            c.id,
            c.delta
        );
    }
    assert!(close(res.total_delta(), num(r, "total"), 1e-9, 0.0));
    // The indirect effect of the losses alone, against numpy's solve on min(dy, 0).
    let via: Vec<f64> = res.nodes.iter().map(|n| n.via_losses).collect();
    assert_matches(&g, &via, &r["via_losses"], "headline via losses");
    // The Canada-Korea story: Korean parts and steel lose through Canadian assembly (via
    // losses), as do US parts makers and Canadian steel, even where diversion nets a gain.
    for id in ["KOR:C29", "KOR:C24A", "USA:C29", "CAN:C24A"] {
        assert!(res.node(id).unwrap().via_losses < 0.0, "{id}");
        assert!(num(&r["via_losses"], id) < 0.0, "{id}");
    }
    // Rounds: the first is the direct effect, and they add up to the total.
    assert!(close(res.rounds[0].delta, dy.iter().sum(), 1e-12, 1.0));
    let last = res.rounds.last().unwrap();
    assert!(close(last.cumulative, res.total_delta(), 1e-12, 1.0));
}

/// `../shared/data/wiod2011/full/NAME.csv.gz` as `(from, to, value)` rows (read at run time,
/// never copied into the project).
fn wiod_full_rows(name: &str) -> Vec<(String, String, f64)> {
    use std::io::Read;
    let raw = std::fs::read(shared_data(&format!("wiod2011/full/{name}.csv.gz"))).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap())
        })
        .collect()
}

#[test]
fn a_tariff_reaches_final_demand_sold_to_the_importer() {
    // The bundled ICIO graph has no final demand by destination, so this path needs the WIOD
    // 2011 input-output set, read at run time from ../shared/data/wiod2011/full (1,435 nodes,
    // final demand by destination country). USA's imports of c15 (transport equipment) from
    // each country k, summed by hand from the CSVs: k:c15's intermediate deliveries to every
    // US node plus k:c15's final demand sold to the USA.
    let dir = shared_data("wiod2011/full");
    let g = load(dir.to_str().unwrap(), &LoadOptions::default()).unwrap();
    let mut inter = std::collections::BTreeMap::<String, f64>::new();
    let mut fin = std::collections::BTreeMap::<String, f64>::new();
    for (from, to, v) in wiod_full_rows("intermediate_flows_2011") {
        if from.ends_with(":c15") && to.starts_with("USA:") && !from.starts_with("USA:") {
            *inter.entry(from[..3].to_string()).or_default() += v;
        }
    }
    for (from, to, v) in wiod_full_rows("final_demand_2011") {
        if from.ends_with(":c15") && to == "USA" && !from.starts_with("USA:") {
            *fin.entry(from[..3].to_string()).or_default() += v;
        }
    }
    let hand = |k: &str| {
        (inter.get(k).copied().unwrap_or(0.0) + fin.get(k).copied().unwrap_or(0.0)).max(0.0)
    };
    // SOURCE.md: WIOD 2011 c15 CAN -> USA 59.8 bn USD, intermediate plus final; the final
    // part is most of it.
    assert!((hand("CAN") / 1e9 - 59.83).abs() < 0.01, "{}", hand("CAN"));
    assert!(fin["CAN"] > inter["CAN"], "{fin:?} {inter:?}");
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("USA:CAN:c15=25%").unwrap(),
    )]);
    let res = shock(&g, &s, &ShockParams::default()).unwrap();
    assert_eq!(res.model.as_str(), "leontief");
    assert!(
        !res.notes
            .iter()
            .any(|n| n.contains("intermediate deliveries only")),
        "{:?}",
        res.notes
    );
    let t = &res.tariffs[0];
    assert!(close(t.imports_from_exporter, hand("CAN"), 1e-12, 0.0));
    for p in &t.partners {
        assert!(
            close(p.baseline, hand(&p.supplier), 1e-12, 0.0),
            "{}: {} vs {}",
            p.supplier,
            p.baseline,
            hand(&p.supplier)
        );
    }
    // Every foreign supplier of c15 to the USA is a partner.
    let suppliers = inter
        .keys()
        .chain(fin.keys())
        .filter(|k| hand(k) > 0.0)
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(t.partners.len(), suppliers.len());
    // SMART on those imports is the direct effect on the supplier nodes (smart() itself is
    // checked against Python above).
    let others: Vec<f64> = t.partners[1..].iter().map(|p| p.baseline).collect();
    let want = smart(&SmartParams {
        exporter: hand("CAN"),
        others: &others,
        old_rate: 0.0,
        new_rate: 0.25,
        import_demand: -1.0,
        substitution: 1.5,
    });
    let can = res.node("CAN:c15").unwrap();
    assert!(close(can.direct, want.exporter_delta, 1e-9, 0.0));
    let direct: f64 = res.nodes.iter().map(|n| n.direct).sum();
    assert!(close(direct, want.trade_creation, 1e-9, 1.0));
    // Rounds and the dense solve agree on the 1,435-node system.
    assert!(res.checks[0].max_rel_diff.unwrap() < 1e-9);
}

#[test]
fn smart_formulas_match_python() {
    for c in reference()["smart"].as_array().unwrap() {
        let others: Vec<f64> = c["others"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let s = smart(&SmartParams {
            exporter: num(c, "m_e"),
            others: &others,
            old_rate: num(c, "t0"),
            new_rate: num(c, "t1"),
            import_demand: num(c, "eps"),
            substitution: num(c, "sigma"),
        });
        let name = c["name"].as_str().unwrap();
        for (got, key) in [
            (s.trade_creation, "trade_creation"),
            (s.trade_diversion, "trade_diversion"),
            (s.new_flow, "new_flow"),
            (s.revenue_change, "revenue_change"),
        ] {
            assert!(
                close(got, num(c, key), 1e-12, 1e-12 * num(c, "m_e")),
                "{name}: {key} {got} vs {}",
                c[key]
            );
        }
        // Welfare: the closed form against Python's quadrature of the demand curve.
        assert!(
            close(s.welfare, num(c, "welfare"), 1e-9, 1e-12 * num(c, "m_e")),
            "{name}: welfare {} vs {}",
            s.welfare,
            c["welfare"]
        );
        // Diversion moves value between suppliers without creating it.
        let gained: f64 = s.gains.iter().sum();
        if !others.is_empty() {
            assert!(
                (gained - s.trade_diversion).abs() <= 1e-12 * s.trade_diversion.abs().max(1.0),
                "{name}"
            );
        }
        // Never more than exists: the exporter keeps >= 0, the others keep >= 0.
        assert!(s.new_flow >= 0.0, "{name}");
        assert!(num(c, "m_e") + s.exporter_delta >= -1e-12, "{name}");
        for (m, g) in others.iter().zip(&s.gains) {
            assert!(m + g >= -1e-12, "{name}");
        }
    }
    // Hand check: 100 from e, 200 + 100 from others, 0 -> 25%, eps -1, sigma 1.5:
    // p^sigma = 1.25^1.5 = 1.397542485937369, TD = 100 * 300 * 0.397542485937369 /
    // (100 + 300 * 1.397542485937369) = 22.96770695571...; TC = (100 - TD) * (1/1.25 - 1).
    let s = smart(&SmartParams {
        exporter: 100.0,
        others: &[200.0, 100.0],
        old_rate: 0.0,
        new_rate: 0.25,
        import_demand: -1.0,
        substitution: 1.5,
    });
    let td = 100.0 * 300.0 * 0.397_542_485_937_369 / (100.0 + 300.0 * 1.397_542_485_937_369);
    assert!(
        (s.trade_diversion - td).abs() < 1e-12,
        "{}",
        s.trade_diversion
    );
    assert!((s.trade_creation - (100.0 - td) * -0.2).abs() < 1e-12);
    assert!((s.gains[0] - 2.0 * s.gains[1]).abs() < 1e-12);
    // For small changes the formulas are those of MODELS.md §4 (first order): TC = eps M_e d,
    // TD = M_e M_K sigma d / (M_e + M_K + M_e sigma d), welfare 0.5 (t1 - t0) TC.
    for d in [1e-4, 1e-3] {
        let s = smart(&SmartParams {
            exporter: 100.0,
            others: &[200.0, 100.0],
            old_rate: 0.0,
            new_rate: d,
            import_demand: -1.3,
            substitution: 1.5,
        });
        let tc = -1.3 * 100.0 * d;
        let td = 100.0 * 300.0 * 1.5 * d / (100.0 + 300.0 + 100.0 * 1.5 * d);
        assert!((s.trade_creation - tc).abs() <= 5.0 * d * tc.abs(), "{d}");
        assert!((s.trade_diversion - td).abs() <= 5.0 * d * td.abs(), "{d}");
        let w = 0.5 * d * tc;
        assert!(
            (s.welfare - w).abs() <= 5.0 * d * w.abs(),
            "{d}: {} vs {w}",
            s.welfare
        );
    }
}

#[test]
fn extreme_rates_stay_finite_and_within_existing_trade() {
    for (t0, t1) in [(0.0, 1e300), (1e6, 0.0), (0.0, 1e6), (5.0, 0.0)] {
        let s = smart(&SmartParams {
            exporter: 100.0,
            others: &[50.0, 25.0],
            old_rate: t0,
            new_rate: t1,
            import_demand: -1.0,
            substitution: 1.5,
        });
        assert!(
            s.trade_creation.is_finite() && s.trade_diversion.is_finite(),
            "{t0} {t1}: {s:?}"
        );
        assert!(s.gains.iter().all(|g| g.is_finite()));
        assert!(100.0 + s.exporter_delta >= -1e-9, "{t0} {t1}: {s:?}");
        assert!(s.trade_diversion >= -75.0 - 1e-9);
    }
    // A cut from 1e300% multiplies imports by 1e300 (constant elasticity): beyond the range
    // of numbers, which is an error, not inf or NaN.
    let e = tariff_effects(
        &graph("graphs/tiny.json"),
        &parse_tariff("USA:CAN:C29=1e302%->0%").unwrap(),
        &Elasticities::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("beyond the range of numbers"), "{e}");
    let out = run([
        "shock",
        "--tariff",
        "USA:CAN:C29=1e300%",
        "--format",
        "json",
    ])
    .json();
    assert!(
        out["flows"][0]["delta"].as_f64().unwrap()
            >= -num(&out["flows"][0], "baseline") * (1.0 + 1e-12)
    );
}

#[test]
fn diversion_conserves_value_on_every_sector() {
    // A tariff without a sector: each sector of the pair separately; diversion nets to zero.
    let g = graph("graphs/icio2022_trade_by_sector.json");
    let t = Tariff {
        importer: "USA".into(),
        exporter: "CHN".into(),
        sector: None,
        rate: 0.25,
        old: None,
    };
    let effects = tariff_effects(&g, &t, &Elasticities::default()).unwrap();
    assert!(effects.len() > 10, "{} sectors", effects.len());
    for e in &effects {
        let net: f64 = e.partners.iter().map(|p| p.trade_diversion).sum();
        assert!(
            net.abs() <= 1e-9 * e.smart.trade_diversion.abs().max(1.0),
            "{:?}",
            e.sector
        );
        let created: f64 = e.partners.iter().map(|p| p.trade_creation).sum();
        assert_eq!(created, e.smart.trade_creation);
        assert_eq!(e.partners[0].supplier, "CHN");
    }
}

#[test]
fn debtrank_matches_python_on_tiny() {
    let g = graph("graphs/tiny.json");
    let r = &reference()["debtrank"];
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("USA:CAN:C29=25%").unwrap(),
    )]);
    for (channel, key) in [(Channel::Export, "export"), (Channel::Import, "import")] {
        let p = ShockParams {
            channel,
            history: true,
            ..Default::default()
        };
        let res = shock(&g, &s, &p).unwrap();
        assert_eq!(res.model.as_str(), "debtrank");
        let want = &r[key];
        for n in &res.nodes {
            assert!(
                close(n.h0.unwrap(), num(&want["h0"], &n.id), 1e-12, 1e-12),
                "{key} h0 {}",
                n.id
            );
            assert!(
                close(n.h.unwrap(), num(&want["h"], &n.id), 1e-12, 1e-12),
                "{key} h {}",
                n.id
            );
            assert!(close(n.baseline, num(&want["base"], &n.id), 1e-12, 0.0));
            assert!(
                close(n.delta, num(&want["delta"], &n.id), 1e-9, 1.0),
                "{key} delta {}",
                n.id
            );
        }
        let dr = res.debtrank.as_ref().unwrap();
        assert!(close(
            dr.systemic_loss,
            num(want, "systemic_loss"),
            1e-12,
            0.0
        ));
        // h per node per round.
        let hist = dr.history.as_ref().unwrap();
        let want_hist = want["history"].as_array().unwrap();
        assert_eq!(hist.len(), want_hist.len(), "{key} rounds");
        for (h, w) in hist.iter().zip(want_hist) {
            for (i, n) in g.nodes().enumerate() {
                assert!(close(h[i], num(w, &n.id), 1e-12, 1e-12));
            }
        }
    }
}

#[test]
fn debtrank_is_capped_and_each_node_propagates_once() {
    // A cycle a -> b -> c -> a of equal flows: everyone is fully reliant on one partner.
    let csr = Csr {
        n: 3,
        offsets: vec![0, 1, 2, 3],
        targets: vec![1, 2, 0],
        weights: vec![5.0, 5.0, 5.0],
    };
    let r = debtrank(&csr, &[1.0, 0.0, 0.0], &DebtRankParams::default()).unwrap();
    // Export channel: a's distress reaches its supplier c (c sells all to a), then c's reaches b;
    // b's would reach a, but a has already propagated. h stays <= 1.
    assert_eq!(r.h, vec![1.0, 1.0, 1.0]);
    assert_eq!(r.rounds.len(), 4);
    assert_eq!(r.distressed_round, vec![Some(0), Some(2), Some(1)]);
    assert!((r.systemic_loss - 2.0 / 3.0).abs() < 1e-15);
    assert!(debtrank(&csr, &[1.5, 0.0, 0.0], &DebtRankParams::default()).is_err());
}

#[test]
fn embargoes_and_sector_targets() {
    // An embargo is the exporter losing its sales to the importer: B:m's 50 to C:m.
    let g = three(200.0);
    let e = Scenario::new(vec![Shock::Embargo(
        tradenet::analysis::parse_embargo("B:C").unwrap(),
    )]);
    let by_embargo = shock(&g, &e, &ShockParams::default()).unwrap();
    let v = Scenario::new(vec![Shock::DemandValue(DemandValue {
        node: "B:m".into(),
        value: -50.0,
    })]);
    let by_value = shock(&g, &v, &ShockParams::default()).unwrap();
    for (a, b) in by_embargo.nodes.iter().zip(&by_value.nodes) {
        assert_eq!(a.delta, b.delta, "{}", a.id);
    }
    let f = &by_embargo.flows[0];
    assert_eq!(
        (f.from.as_str(), f.to.as_str(), f.baseline, f.delta),
        ("B", "C", 50.0, -50.0)
    );
    // A sector target is that sector in every country.
    let g = focus8();
    let s = Scenario::new(vec![Shock::Demand(Demand {
        target: "C29".into(),
        pct: -10.0,
    })]);
    let r = shock(&g, &s, &ShockParams::default()).unwrap();
    let hit: Vec<&str> = r
        .nodes
        .iter()
        .filter(|n| n.direct != 0.0)
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(hit.len(), 8, "{hit:?}");
    assert!(hit.iter().all(|id| id.ends_with(":C29")));
    let c29 = r.sectors.iter().find(|s| s.id == "C29").unwrap();
    assert_eq!(c29.nodes, 8);
}

#[test]
fn rounds_do_not_depend_on_the_thread_count() {
    // 700 nodes, about 250,000 entries: large enough for the parallel kernel.
    let n = 700usize;
    let mut offsets = vec![0usize];
    let (mut targets, mut weights) = (Vec::new(), Vec::new());
    let mut s = 7u64;
    for _ in 0..n {
        for j in 0..n {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if (s >> 33) % 2 == 0 {
                targets.push(j as u32);
                weights.push(((s >> 11) % 1000) as f64 / 1000.0);
            }
        }
        offsets.push(targets.len());
    }
    assert!(targets.len() > 200_000);
    let z = Csr {
        n,
        offsets,
        targets,
        weights,
    };
    let ids: Vec<String> = (0..n).map(|i| format!("n{i}")).collect();
    let x = vec![1000.0; n];
    let sys = IoSystem::new(ids, z, x, vec![0.0; n]).unwrap();
    let dy = vector(n, 42);
    let run_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| sys.leontief(&dy, &RoundParams::default()).unwrap())
    };
    let (one, two) = (run_with(1), run_with(2));
    assert_eq!(one, two);
    let lu = sys.leontief_dense(&dy).unwrap();
    let scale = lu.iter().map(|v| v.abs()).fold(0.0, f64::max);
    for (a, b) in one.total.iter().zip(&lu) {
        assert!((a - b).abs() <= 1e-9 * scale);
    }
}

#[test]
fn zero_shock_changes_nothing() {
    let g = focus8();
    let s = Scenario::new(vec![Shock::Demand(Demand {
        target: "CHN".into(),
        pct: 0.0,
    })]);
    let res = shock(&g, &s, &ShockParams::default()).unwrap();
    assert!(res.nodes.iter().all(|n| n.delta == 0.0 && n.direct == 0.0));
    assert!(res.countries.iter().all(|c| c.delta == 0.0));
    assert_eq!(res.rounds.len(), 1);
    assert!(res.flows.is_empty());
    let sys = IoSystem::from_graph(&g).unwrap();
    let z = vec![0.0; g.node_count()];
    let p = sys.ghosh(&z, &RoundParams::default()).unwrap();
    assert!(p.total.iter().all(|&v| v == 0.0));
    // DebtRank: nothing distressed, nothing lost.
    let t = graph("graphs/tiny.json");
    let s = Scenario::new(vec![Shock::Demand(Demand {
        target: "USA".into(),
        pct: 0.0,
    })]);
    let res = shock(&t, &s, &ShockParams::default()).unwrap();
    assert!(res.nodes.iter().all(|n| n.delta == 0.0));
    assert_eq!(res.debtrank.unwrap().systemic_loss, 0.0);
}

/// A deterministic pseudo-random vector (a few entries non-zero, both signs).
fn vector(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if (s >> 60) < 3 {
                ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e9
            } else {
                0.0
            }
        })
        .collect()
}

#[test]
fn leontief_and_ghosh_are_linear_and_rounds_sum_to_the_direct_solve() {
    let g = focus8();
    let sys = IoSystem::from_graph(&g).unwrap();
    let n = g.node_count();
    let p = RoundParams::default();
    for seed in 1..4u64 {
        let a = vector(n, seed);
        let b = vector(n, seed + 100);
        let ab: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        let a2: Vec<f64> = a.iter().map(|x| 2.0 * x).collect();
        for model in ["leontief", "ghosh"] {
            let run = |v: &[f64]| -> (Vec<f64>, Vec<f64>, f64) {
                if model == "leontief" {
                    let r = sys.leontief(v, &p).unwrap();
                    let s: f64 = r.rounds.iter().map(|x| x.sum).sum();
                    (r.total, sys.leontief_dense(v).unwrap(), s)
                } else {
                    let r = sys.ghosh(v, &p).unwrap();
                    let s: f64 = r.rounds.iter().map(|x| x.sum).sum();
                    (r.total, sys.ghosh_dense(v).unwrap(), s)
                }
            };
            let (xa, da, sum_rounds) = run(&a);
            let (xb, _, _) = run(&b);
            let (xab, _, _) = run(&ab);
            let (x2, _, _) = run(&a2);
            let scale = xa.iter().map(|v| v.abs()).fold(0.0, f64::max);
            for i in 0..n {
                assert!(
                    close(x2[i], 2.0 * xa[i], 1e-12, 1e-9 * scale),
                    "{model} 2dy {i}"
                );
                assert!(
                    close(xab[i], xa[i] + xb[i], 1e-9, 1e-9 * scale),
                    "{model} a+b {i}"
                );
                assert!(
                    close(xa[i], da[i], 1e-9, 1e-9 * scale),
                    "{model} rounds vs LU {i}"
                );
            }
            let total: f64 = xa.iter().sum();
            assert!(
                close(sum_rounds, total, 1e-12, 1e-9 * scale),
                "{model} round sums"
            );
        }
    }
}

#[test]
fn rounds_that_do_not_shrink_name_the_node() {
    // B's inputs (40 from A) equal its output: the column of A for B sums to 1.
    let g = three(40.0);
    let e = IoSystem::from_graph(&g).unwrap_err();
    assert!(matches!(e, Error::Numeric(_)), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("'B:m'") && msg.contains("sums to 1.0000"),
        "{msg}"
    );
    let s = Scenario::new(vec![Shock::Demand(Demand {
        target: "C:m".into(),
        pct: -10.0,
    })]);
    let msg = shock(&g, &s, &ShockParams::default())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("'B:m'"), "{msg}");
    // Too few rounds allowed is a clear error too.
    let sys = IoSystem::from_graph(&three(200.0)).unwrap();
    let p = RoundParams {
        max_rounds: 3,
        ..Default::default()
    };
    let e = sys.leontief(&[0.0, 0.0, -10.0], &p).unwrap_err();
    assert!(
        matches!(e, Error::NotConverged { iterations: 3, .. }),
        "{e}"
    );
}

#[test]
fn unknown_names_are_suggested() {
    let g = focus8();
    let one = |s: Shock| shock(&g, &Scenario::new(vec![s]), &ShockParams::default()).unwrap_err();
    let e = one(Shock::Demand(Demand {
        target: "KAN:C29".into(),
        pct: -10.0,
    }));
    assert!(e.to_string().contains("did you mean 'CAN:C29'?"), "{e}");
    let e = one(Shock::Tariff(parse_tariff("USA:CNA:C29=25%").unwrap()));
    assert!(
        matches!(&e, Error::Unknown { what: "country", suggestion: Some(s), .. } if s == "CAN"),
        "{e}"
    );
    let e = one(Shock::Tariff(parse_tariff("USA:CAN:C99=25%").unwrap()));
    assert!(matches!(&e, Error::Unknown { what: "sector", .. }), "{e}");
    let e = one(Shock::DemandValue(DemandValue {
        node: "KOR:C24Z".into(),
        value: 1.0,
    }));
    assert!(e.to_string().contains("did you mean 'KOR:C24"), "{e}");
    let e = one(Shock::Supply(Supply {
        node: "JNP:C27".into(),
        pct: -5.0,
    }));
    assert!(e.to_string().contains("did you mean 'JPN:C27'?"), "{e}");
}

#[test]
fn tariff_on_a_pair_that_does_not_trade_is_refused() {
    // A:m sells only to A and B; C imports nothing from A.
    let g = three(200.0);
    let t = parse_tariff("C:A:all=10%").unwrap();
    let e = shock(
        &g,
        &Scenario::new(vec![Shock::Tariff(t)]),
        &ShockParams::default(),
    )
    .unwrap_err();
    assert!(matches!(e, Error::Unsuited(_)), "{e}");
    assert!(
        e.to_string().contains("A does not export at all to C"),
        "{e}"
    );
    // Its sector 'm' is neither flagged nor a known code: "all goods" cannot be told.
    let t = parse_tariff("C:A=10%").unwrap();
    let e = shock(
        &g,
        &Scenario::new(vec![Shock::Tariff(t)]),
        &ShockParams::default(),
    )
    .unwrap_err();
    assert!(matches!(e, Error::TariffScope { .. }), "{e}");
    // On a trade graph, and with a sector.
    let t = graph("graphs/tiny.json");
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("JPN:CAN:C29=10%").unwrap(),
    )]);
    let e = shock(&t, &s, &ShockParams::default()).unwrap_err();
    assert!(
        e.to_string().contains("CAN does not export C29 to JPN"),
        "{e}"
    );
}

#[test]
fn scenario_file_errors_name_the_json_path() {
    let e = Scenario::from_json(
        br#"{"shocks": [{"type": "supply", "node": "JPN:C27", "pct": "-20%", "sector": "C27"}]}"#,
        "s.json",
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("s.json: 2 problems"), "{e}");
    assert!(
        e.contains("shocks[0].pct: expected a number, got \"-20%\""),
        "{e}"
    );
    assert!(e.contains("shocks[0].sector: unknown key"), "{e}");
    let e = Scenario::from_json(br#"{"shocks": []}"#, "s.json")
        .unwrap_err()
        .to_string();
    assert!(e.contains("shocks: empty"), "{e}");
    let e = Scenario::from_json(b"{\"shocks\": [", "s.json")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 1") && e.contains("not valid JSON"), "{e}");
    let e = Scenario::from_json(
        br#"{"shocks": [{"type": "demand", "target": "CHN", "pct": -150}]}"#,
        "s.json",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains(">= -100"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// The command line.

#[test]
fn cli_default_headline() {
    let out = run(["shock"]).ok();
    assert!(
        out.contains("no scenario given: running the default scenario --tariff USA:CAN:C29=25%"),
        "{out}"
    );
    for want in [
        "CAN -> USA",
        "MEX -> USA",
        "KOR -> USA",
        "Top movers",
        "Ripple by round",
        // Korean steel among Korea's nodes most exposed through Canadian assembly.
        "KOR:C24A",
        "Countries",
        // ICIO's final demand has no destination: the note says what the tariff reaches.
        "a tariff taxes intermediate deliveries only",
    ] {
        assert!(out.contains(want), "missing {want}:\n{out}");
    }
    let v = run(["shock", "--format", "json"]).json();
    assert_eq!(v["scenario"]["default"], true);
    assert_eq!(v["model"], "leontief");
    let first = &v["nodes"][0];
    assert_eq!(first["id"], "CAN:C29");
    for k in ["baseline", "delta", "delta_pct"] {
        assert!(first[k].is_number(), "{k}");
    }
    let flow = &v["flows"][0];
    assert_eq!(
        (
            flow["from"].as_str(),
            flow["to"].as_str(),
            flow["sector"].as_str()
        ),
        (Some("CAN"), Some("USA"), Some("C29"))
    );
    for k in ["baseline", "delta", "trade_creation", "trade_diversion"] {
        assert!(flow[k].is_number(), "{k}");
    }
    assert_eq!(v["rounds"][0]["round"], 0);
    assert!(v["rounds"][1]["cumulative"].is_number());
    assert!(v["countries"].as_array().unwrap().len() == 8);
    let csv = run(["shock", "--format", "csv"]).ok();
    assert!(
        csv.starts_with("id,baseline,delta,delta_pct\nCAN:C29,"),
        "{csv}"
    );
}

#[test]
fn cli_scenario_flags_files_and_errors() {
    // Flags parse into the same scenario as a file.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.json");
    std::fs::write(
        &f,
        r#"{"shocks": [{"type": "demand", "target": "CHN", "pct": -10}, {"type": "supply", "node": "JPN:C27", "pct": -20}]}"#,
    )
    .unwrap();
    let a = run([
        "shock",
        "--scenario",
        f.to_str().unwrap(),
        "--format",
        "json",
    ])
    .json();
    let b = run([
        "shock",
        "--demand",
        "CHN=-10%",
        "--supply",
        "JPN:C27=-20%",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(a["nodes"], b["nodes"]);
    assert_eq!(a["model"], "leontief+ghosh");
    // Bad flags: exit 2, naming the flag and the value, before loading anything.
    let e = run(["shock", "--tariff", "USA:CAN:C29=25"]).fails();
    assert!(
        e.contains("--tariff USA:CAN:C29=25: ") && e.contains("percentage"),
        "{e}"
    );
    let e = run(["shock", "--embargo", "KOR"]).fails();
    assert!(e.contains("--embargo KOR: expected FROM:TO"), "{e}");
    let e = run(["shock", "--demand", "KAN:C29=-10%"]).fails();
    assert!(e.contains("did you mean 'CAN:C29'?"), "{e}");
    // KOR:T (households as employers) sells nothing to US industries.
    let e = run(["shock", "--tariff", "USA:KOR:T=10%"]).fails();
    assert!(e.contains("does not export T to USA"), "{e}");
    let e = run(["shock", "graphs/tiny.json"]).fails();
    assert!(e.contains("no scenario"), "{e}");
    // A trade graph runs DebtRank.
    let v = run([
        "shock",
        "graphs/tiny.json",
        "--tariff",
        "USA:CAN:C29=25%",
        "--channel",
        "import",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(v["model"], "debtrank");
    assert_eq!(v["debtrank"]["channel"], "import");
    assert!(v["debtrank"]["h_by_round"]["CAN"].is_array());
}

#[test]
fn cli_edge_list_with_node_value_files() {
    // An edge list of country-sector flows plus output, final demand and dy files.
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    std::fs::write(
        p("z.csv"),
        "exporter,importer,value\nA:m,A:m,10\nA:m,B:m,40\nB:m,C:m,50\nC:m,A:m,10\n",
    )
    .unwrap();
    std::fs::write(p("x.csv"), "node,value\nA:m,100\nB:m,200\nC:m,100\n").unwrap();
    std::fs::write(p("y.csv"), "node,value\nA:m,50\nB:m,150\nC:m,90\n").unwrap();
    std::fs::write(p("dy.csv"), "node,value\nC:m,-10\n").unwrap();
    let v = run([
        "shock",
        &p("z.csv"),
        "--gross-output",
        &p("x.csv"),
        "--final-demand",
        &p("y.csv"),
        "--dy",
        &p("dy.csv"),
        "--format",
        "json",
    ])
    .json();
    let c = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "C:m")
        .unwrap();
    assert!((num(c, "delta") - -900.0 / 89.0).abs() < 1e-9);
    assert!((num(&v["checks"][0], "max_rel_diff")) < 1e-9);
    // Missing output for a node is refused, naming it.
    std::fs::write(p("x2.csv"), "node,value\nA:m,100\nB:m,200\n").unwrap();
    let e = run([
        "shock",
        &p("z.csv"),
        "--gross-output",
        &p("x2.csv"),
        "--dy",
        &p("dy.csv"),
    ])
    .fails();
    assert!(e.contains("no value for node 'C:m'"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Issue #12, items 2 and 3: the scope of a tariff without a sector, stacking, and the model's
// domain. Hand values come from the data: CAN -> USA C29 (motor vehicles and parts,
// intermediate deliveries) is 6,352.5274 mn USD in icio2022_trade_by_sector.json, the sum of
// CAN:C29's deliveries to the US industries in icio2022_focus8.json (graphs/README.md: 6.35 bn).

const CAN_USA_C29: f64 = 6_352_527_400.0;

/// The 27 goods industries of the ICIO graphs (ISIC sections A-C: agriculture, mining,
/// manufacturing), in table order.
const ICIO_GOODS: [&str; 27] = [
    "A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16", "C17_18",
    "C19", "C20", "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28", "C29", "C301",
    "C302T309", "C31T33",
];

fn run_scenario(
    g: &TradeGraph,
    specs: &[&str],
) -> tradenet::Result<tradenet::analysis::ShockResult> {
    let shocks = specs
        .iter()
        .map(|s| parse_tariff(s).map(Shock::Tariff))
        .collect::<tradenet::Result<Vec<_>>>()?;
    shock(g, &Scenario::new(shocks), &ShockParams::default())
}

fn sectors_of(r: &tradenet::analysis::ShockResult) -> Vec<String> {
    r.tariffs
        .iter()
        .map(|t| t.sector.clone().unwrap_or_default())
        .collect()
}

#[test]
fn a_tariff_without_a_sector_covers_the_goods_sectors_only() {
    let g = focus8();
    let r = run_scenario(&g, &["USA:CAN=25%"]).unwrap();
    // ICIO sections A-C (agriculture, mining, manufacturing), 27 of the 50 industries; Canada
    // sells all of them to US industries.
    assert_eq!(sectors_of(&r), ICIO_GOODS);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("goods sectors only, 27 of 50")),
        "{:?}",
        r.notes
    );
    // `goods` says the same; `all` adds the services Canada sells to US industries (D
    // onwards; T, households as employers, sells nothing).
    let goods = run_scenario(&g, &["USA:CAN:goods=25%"]).unwrap();
    assert_eq!(sectors_of(&goods), ICIO_GOODS);
    let all = run_scenario(&g, &["USA:CAN:all=25%"]).unwrap();
    assert_eq!(sectors_of(&all).len(), 49, "{:?}", sectors_of(&all));
    assert!(sectors_of(&all).contains(&"M".to_string()));
    // The flags of the bundled file agree with the ICIO rule of src/model/sector_kind.rs:
    // ISIC sections A-C are goods, electricity (D) onwards are not.
    let flagged: Vec<&str> = g
        .sectors()
        .iter()
        .filter(|s| s.goods == Some(true))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(flagged, ICIO_GOODS);
    let by_section: Vec<&str> = g
        .sectors()
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| matches!(id.as_bytes()[0], b'A' | b'B' | b'C'))
        .collect();
    assert_eq!(by_section, ICIO_GOODS);
    // The command line says so.
    let out = run(["shock", "--tariff", "USA:CAN=25%"]).ok();
    assert!(out.contains("USA on CAN, goods sectors"), "{out}");
    assert!(out.contains("goods sectors only, 27 of 50"), "{out}");
    assert!(!out.contains("tariff USA on CAN D"), "{out}");
    assert!(!out.contains("tariff USA on CAN G"), "{out}");
}

#[test]
fn sector_lists_and_ranges() {
    let g = focus8();
    let r = run_scenario(&g, &["USA:CAN:C27,C29=25%"]).unwrap();
    assert_eq!(sectors_of(&r), ["C27", "C29"]);
    // A range: the codes with the prefix of both ends whose first number lies between them
    // (C24A and C24B are both 24).
    let r = run_scenario(&g, &["USA:CAN:C24A-C29=25%"]).unwrap();
    assert_eq!(
        sectors_of(&r),
        ["C24A", "C24B", "C25", "C26", "C27", "C28", "C29"]
    );
    // Hierarchical codes order division first: C301 and C302T309 (division 30) lie between
    // C29 and C31T33, so the range of all manufacturing takes all 19 C industries.
    let r = run_scenario(&g, &["USA:CAN:C29-C31T33=25%"]).unwrap();
    assert_eq!(sectors_of(&r), ["C29", "C301", "C302T309", "C31T33"]);
    let r = run_scenario(&g, &["USA:CAN:C10T12-C31T33=25%"]).unwrap();
    assert_eq!(r.tariffs.len(), 19);
    let r = run_scenario(&g, &["USA:CAN:A01-A03,C29=25%"]).unwrap();
    assert_eq!(sectors_of(&r), ["A01", "A02", "A03", "C29"]);
    let r = run_scenario(&g, &["USA:CAN:B05-B09=25%"]).unwrap();
    assert_eq!(r.tariffs.len(), 5);
    // An unknown end is named with the closest code; a bad list is refused by the parser.
    let e = run_scenario(&g, &["USA:CAN:C24A-C61=25%"]).unwrap_err();
    assert!(matches!(e, Error::Unknown { .. }), "{e}");
    // Ends with different prefixes (sections A and C) are not a range.
    let e = run_scenario(&g, &["USA:CAN:A01-C29=25%"]).unwrap_err();
    assert!(matches!(e, Error::TariffScope { .. }), "{e}");
    assert!(parse_tariff("USA:CAN:C27,,C29=25%").is_err());
    assert!(parse_tariff("USA:CAN:C27-=25%").is_err());
    // From a scenario file, the same syntax.
    let s = Scenario::from_json(
        br#"{"shocks": [{"type": "tariff", "importer": "USA", "exporter": "CAN", "sector": "C26-C27", "rate": 0.1}]}"#,
        "s.json",
    )
    .unwrap();
    let r = shock(&g, &s, &ShockParams::default()).unwrap();
    assert_eq!(sectors_of(&r), ["C26", "C27"]);
}

#[test]
fn a_specific_tariff_replaces_a_general_one_and_a_repeat_is_an_error() {
    let g = graph("graphs/icio2022_trade_by_sector.json");
    let r = run_scenario(&g, &["USA:CAN=25%", "USA:CAN:C29=50%"]).unwrap();
    // One effect per sector: C29 at 50%, the 26 other goods sectors at 25%.
    assert_eq!(r.tariffs.len(), 27);
    for t in &r.tariffs {
        let want = if t.sector.as_deref() == Some("C29") {
            0.5
        } else {
            0.25
        };
        assert_eq!(t.new_rate, want, "{:?}", t.sector);
    }
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("replaces tariff 1") && n.contains("C29")),
        "{:?}",
        r.notes
    );
    // Before the fix the two stacked and the flow lost more than it held (WIOD 2011 c15:
    // 89.43 bn of a 59.83 bn flow).
    let lost: f64 = r
        .flows
        .iter()
        .filter(|f| f.from == "CAN" && f.to == "USA" && f.sector.as_deref() == Some("C29"))
        .map(|f| f.delta)
        .sum();
    let c29 = r
        .tariffs
        .iter()
        .find(|t| t.sector.as_deref() == Some("C29"))
        .unwrap();
    assert_eq!(c29.imports_from_exporter, CAN_USA_C29);
    assert!(lost < 0.0 && -lost <= CAN_USA_C29, "{lost}");
    // ... and exactly what the 50% tariff alone does.
    let alone = run_scenario(&g, &["USA:CAN:C29=50%"]).unwrap();
    assert_eq!(lost, alone.tariffs[0].smart.exporter_delta);
    // The order does not matter.
    let r2 = run_scenario(&g, &["USA:CAN:C29=50%", "USA:CAN=25%"]).unwrap();
    let c29b = r2
        .tariffs
        .iter()
        .find(|t| t.sector.as_deref() == Some("C29"))
        .unwrap();
    assert_eq!(c29b.new_rate, 0.5);
    // An exact repeat, the same sectors twice in other words, and overlapping lists of the
    // same length are errors. The goods spelt out: a range per ISIC section, with C301 and
    // C302T309 (ISIC groups 30.1 and 30.2-30.9, whose first numbers read 301 and 302) named.
    let goods = "A01-A03,B05-B09,C10T12-C31T33,C301,C302T309";
    let spelt = format!("USA:CAN:{goods}=30%");
    assert_eq!(
        sectors_of(&run_scenario(&g, &[&spelt]).unwrap()),
        ICIO_GOODS
    );
    for pair in [
        ["USA:CAN:C29=25%", "USA:CAN:C29=25%"],
        ["USA:CAN:C29=25%", "USA:CAN:C29=50%"],
        ["USA:CAN=25%", "USA:CAN:goods=30%"],
        ["USA:CAN=25%", spelt.as_str()],
        ["USA:CAN:A01,A02=5%", "USA:CAN:A02,A03=6%"],
    ] {
        let e = run_scenario(&g, &pair).unwrap_err();
        assert!(matches!(e, Error::TariffScope { .. }), "{pair:?}: {e}");
        assert!(e.to_string().contains("given twice"), "{e}");
    }
    // Another pair or another exporter is another tariff.
    assert!(run_scenario(&g, &["USA:CAN:C29=25%", "USA:MEX:C29=25%"]).is_ok());
    // From the command line, exit code 2 with the hint.
    let e = run([
        "shock",
        "--tariff",
        "USA:CAN:C29=25%",
        "--tariff",
        "USA:CAN:C29=30%",
    ])
    .fails();
    assert!(e.contains("given twice") && e.contains("hint:"), "{e}");
}

#[test]
fn a_scope_that_cannot_be_told_asks_for_sectors() {
    // Sector 'total' of the WIOD totals (goods and services, 1995-2011, read at run time from
    // ../shared/data: no multi-year graph is bundled) mixes goods and services: no flag.
    let panel = shared_data("wiod2011/edges_total_1995_2011.csv");
    let panel = panel.to_str().unwrap();
    let e = run(["shock", panel, "--year", "2011", "--tariff", "USA:CAN=25%"]).fails();
    assert!(e.contains("\"all goods\" cannot be told"), "{e}");
    assert!(
        e.contains("hint: name the sectors, e.g. USA:CAN:total=25%"),
        "{e}"
    );
    // Naming it works.
    run([
        "shock",
        panel,
        "--year",
        "2011",
        "--tariff",
        "USA:CAN:total=25%",
    ])
    .ok();
    // The same for the bundled ICIO totals (intermediate deliveries of every industry).
    let e = run([
        "shock",
        "graphs/icio2022_trade_total.json",
        "--tariff",
        "USA:CAN=25%",
    ])
    .fails();
    assert!(
        e.contains("\"all goods\" cannot be told")
            && e.contains("hint: name the sectors, e.g. USA:CAN:total=25%"),
        "{e}"
    );
    // One product, crude oil (HS 270900), is a good by its code: the whole graph is covered.
    let out = run([
        "shock",
        "graphs/crude_oil_2021.json",
        "--tariff",
        "USA:CAN=25%",
    ])
    .ok();
    assert!(out.contains("goods sectors only, 1 of 1"), "{out}");
    // Flows without any sector: `all` is the way.
    let csv = b"exporter,importer,value\nA,B,10\nC,B,20\n".to_vec();
    let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
    let e = run_scenario(&g, &["B:A=10%"]).unwrap_err();
    assert!(e.to_string().contains("B:A:all=10%"), "{e}");
    let r = run_scenario(&g, &["B:A:all=10%"]).unwrap();
    assert_eq!(r.tariffs.len(), 1);
}

#[test]
fn old_and_new_rates_and_a_change_that_changes_nothing() {
    let g = focus8();
    // A cut from 6.1% to 0: Canada sells more, the others less.
    let r = run_scenario(&g, &["USA:CAN:C29=6.1%->0%"]).unwrap();
    let t = &r.tariffs[0];
    assert_eq!((t.old_rate, t.new_rate), (0.061, 0.0));
    assert!(t.smart.trade_creation > 0.0 && t.smart.trade_diversion < 0.0);
    // A cut shrinks the deadweight loss: a welfare gain (SMART), not a loss.
    assert!(t.smart.welfare > 0.0, "{:?}", t.smart);
    assert!(t.partners[1..].iter().all(|p| p.delta <= 0.0));
    // The data holds no tariffs: 0% -> 0% warns and says how to give the old rate.
    let r = run_scenario(&g, &["USA:CAN:C29=0%"]).unwrap();
    assert_eq!(r.tariffs[0].smart.exporter_delta, 0.0);
    let w = r
        .notes
        .iter()
        .find(|n| n.starts_with("warning:"))
        .expect("a warning");
    assert!(
        w.contains("0% -> 0% changes nothing") && w.contains("USA:CAN:C29=6.1%->0%"),
        "{w}"
    );
    let out = run(["shock", "--tariff", "USA:CAN:C29=0%"]).ok();
    assert!(out.contains("no tariff on these flows"), "{out}");
    // --help documents OLD.
    let help = run(["shock", "--help"]).ok();
    assert!(
        help.contains("=OLD%->NEW%") && help.contains("OLD: the rate in force"),
        "{help}"
    );
}

#[test]
fn the_assumptions_are_stated_in_the_header_and_the_json() {
    let out = run(["shock", "--tariff", "USA:CAN:C29=25%"]).ok();
    let head: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    let head = head.join("\n");
    assert!(head.contains("world prices do not change"), "{head}");
    assert!(
        head.contains("own producers do not replace the imports"),
        "{head}"
    );
    let j = run(["shock", "--tariff", "USA:CAN:C29=25%", "--format", "json"]).json();
    let a = j["scenario"]["assumptions"].as_array().unwrap();
    assert!(a
        .iter()
        .any(|x| x.as_str().unwrap().contains("world prices do not change")));
}

#[test]
fn high_tariffs_wipe_the_flow_out_without_going_negative() {
    // The issue: at 100% diversion was 0, above 51% it shrank; at 1000% the linear TC would
    // be -10 M_e. Now: e's loss stays below M_e and diversion grows with the rate.
    let g = graph("graphs/icio2022_trade_by_sector.json");
    let mut last: Option<tradenet::analysis::Smart> = None;
    for rate in [25, 51, 75, 100, 200, 500, 1000] {
        let r = run_scenario(&g, &[&format!("USA:CAN:C29={rate}%")]).unwrap();
        let t = &r.tariffs[0];
        let s = t.smart.clone();
        assert_eq!(t.imports_from_exporter, CAN_USA_C29);
        assert!(
            s.new_flow >= 0.0 && -s.exporter_delta <= CAN_USA_C29,
            "{rate}: {s:?}"
        );
        assert!(s.trade_diversion <= CAN_USA_C29 && s.trade_diversion > 0.0);
        if let Some(p) = last {
            assert!(s.trade_diversion > p.trade_diversion, "{rate}");
            assert!(s.new_flow < p.new_flow, "{rate}");
            assert!(s.welfare < p.welfare, "{rate}");
        }
        // Revenue is on the actual new flow.
        assert!((t.revenue_change() - rate as f64 / 100.0 * s.new_flow).abs() < 1.0);
        last = Some(s);
    }
    let s = last.unwrap();
    assert!(s.new_flow < 0.01 * CAN_USA_C29, "{s:?}");
}

#[test]
fn the_json_is_the_result_types_and_reads_back_into_them() {
    // The command's JSON rows are the library's types: `nodes` reads back into NodeEffect,
    // `countries` into GroupEffect, equal to the library's result ranked by |delta|.
    let g = tradenet::bundled::default_graph().unwrap();
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("USA:CAN:C29=25%").unwrap(),
    )]);
    let r = shock(&g, &s, &ShockParams::default()).unwrap();
    let out = run(["shock", "--tariff", "USA:CAN:C29=25%", "--format", "json"]).json();
    let nodes: Vec<tradenet::analysis::NodeEffect> =
        serde_json::from_value(out["nodes"].clone()).unwrap();
    let want: Vec<_> = r.ranked_nodes().into_iter().cloned().collect();
    assert_eq!(nodes.len(), want.len());
    for (a, b) in nodes.iter().zip(&want) {
        assert_eq!((&a.id, a.delta, a.delta_pct), (&b.id, b.delta, b.delta_pct));
    }
    let countries: Vec<tradenet::analysis::GroupEffect> =
        serde_json::from_value(out["countries"].clone()).unwrap();
    let want: Vec<_> = r.ranked_countries().into_iter().cloned().collect();
    assert_eq!(countries, want);
    // The "hit abroad" table is the library's hit_abroad.
    let table = run(["shock", "--tariff", "USA:CAN:C29=25%"]).ok();
    let h = r.hit_abroad().unwrap();
    assert!(table.contains("Hit abroad through the supply chains of the losers (CAN directly hit)"));
    assert!(table.contains(&h.countries[0].country.id));
}
