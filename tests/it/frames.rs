//! The ripple round by round: the library's cumulative change per node (round 0 = the direct
//! effect, the last round = the total, each round one more tier: A times the previous round's
//! increment), and `draw --rounds`' frames (numbered SVG/PNG files, one multi-page PDF, one
//! layout for all frames).

use crate::common::tradenet;
use std::collections::BTreeMap;
use tradenet::analysis::{
    parse_demand, parse_supply, parse_tariff, ripple, IoSystem, Scenario, Shock, ShockParams,
};

fn focus8() -> tradenet::TradeGraph {
    tradenet::bundled::default_graph().unwrap()
}

/// |a - b| <= tol * max(1, |b|).
fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn first_round_is_the_direct_effect_and_the_last_the_total() {
    let g = focus8();
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("USA:CAN:C29=25%").unwrap(),
    )]);
    let r = ripple(&g, &s, &ShockParams::default()).unwrap();
    assert_eq!(r.result.model.as_str(), "leontief");
    assert_eq!(r.rounds(), r.result.rounds.len());
    for (i, n) in r.result.nodes.iter().enumerate() {
        assert_eq!(r.cumulative[0][i], n.direct, "{}", n.id);
        assert_eq!(r.cumulative[r.rounds() - 1][i], n.delta, "{}", n.id);
    }
    // Each round's sum is the round's row of the result (`rounds[k].cumulative`).
    for (k, row) in r.result.rounds.iter().enumerate() {
        let sum: f64 = r.cumulative[k].iter().sum();
        assert!(
            near(sum, row.cumulative, 1e-9),
            "round {k}: {sum} vs {}",
            row.cumulative
        );
    }
    // Leontief: round k's increment is A times round k-1's (dx = dy + A dy + A^2 dy + ...).
    let sys = IoSystem::from_graph(&g).unwrap();
    for k in 2..r.rounds().min(6) {
        let prev: Vec<f64> = (0..g.node_count())
            .map(|i| r.cumulative[k - 1][i] - r.cumulative[k - 2][i])
            .collect();
        let want = sys.a_times(&prev);
        let scale = want.iter().map(|v| v.abs()).fold(0.0, f64::max);
        for (i, w) in want.iter().enumerate() {
            let got = r.cumulative[k][i] - r.cumulative[k - 1][i];
            assert!((got - w).abs() <= 1e-9 * scale, "round {k} node {i}");
        }
    }
    assert_eq!(r.reached(r.rounds() - 1), 1.0);
    let k99 = r.rounds_to(0.99).unwrap();
    assert!(r.reached(k99) >= 0.99 && (k99 == 0 || r.reached(k99 - 1) < 0.99));
    assert!(r.rounds_to(1.5).is_err());
}

#[test]
fn demand_and_supply_add_their_rounds_and_debtrank_keeps_its_own() {
    // Leontief and Ghosh at once: rounds added by index, the last is the sum of the totals.
    let g = focus8();
    let s = Scenario::new(vec![
        Shock::Demand(parse_demand("CHN=-10%").unwrap()),
        Shock::Supply(parse_supply("CAN:C29=-20%").unwrap()),
    ]);
    let r = ripple(&g, &s, &ShockParams::default()).unwrap();
    assert_eq!(r.result.model.as_str(), "leontief+ghosh");
    let last = r.cumulative.last().unwrap();
    for (i, n) in r.result.nodes.iter().enumerate() {
        assert_eq!(r.cumulative[0][i], n.direct, "{}", n.id);
        assert_eq!(last[i], n.delta, "{}", n.id);
    }
    // DebtRank on the country graph: round 0 = direct, the last = the total (gain - h(T) base).
    let g = g.countries();
    let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN=25%").unwrap())]);
    let r = ripple(&g, &s, &ShockParams::default()).unwrap();
    assert_eq!(r.result.model.as_str(), "debtrank");
    assert!(r.rounds() >= 2, "{}", r.rounds());
    assert!(
        r.result.debtrank.as_ref().unwrap().history.is_none(),
        "history only when asked"
    );
    for (i, n) in r.result.nodes.iter().enumerate() {
        assert_eq!(r.cumulative[0][i], n.direct, "{}", n.id);
        assert!(
            near(r.cumulative[r.rounds() - 1][i], n.delta, 1e-12),
            "{}",
            n.id
        );
    }
}

/// The centre (x, y) of every node of an SVG written by Graphviz: its first label line.
fn node_centres(svg: &str) -> BTreeMap<String, (String, String)> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, opts).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("node"))
        .filter_map(|n| {
            let title = n
                .children()
                .find(|c| c.has_tag_name("title"))?
                .text()?
                .to_string();
            let text = n.descendants().find(|c| c.has_tag_name("text"))?;
            Some((
                title,
                (
                    text.attribute("x")?.to_string(),
                    text.attribute("y")?.to_string(),
                ),
            ))
        })
        .collect()
}

fn has_dot() -> bool {
    let ok = std::process::Command::new("dot").arg("-V").output().is_ok();
    if !ok && std::env::var_os("CI").is_some() {
        panic!("Graphviz `dot` is not installed: CI must install it (.ci/run does)");
    }
    ok
}

#[test]
fn rounds_write_numbered_frames_on_one_layout_and_one_pdf() {
    if !has_dot() {
        eprintln!("frames not checked: Graphviz `dot` is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ripple.svg");
    let run = tradenet([
        "draw",
        "--rounds",
        "--tariff",
        "USA:CAN:C29=25%",
        "-o",
        out.to_str().unwrap(),
    ])
    .output();
    assert!(run.status.success());
    let notes = String::from_utf8_lossy(&run.stderr).into_owned();
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    // The headline tariff reaches 99% of its total change by round 5 of 36 (the library's
    // `rounds_to(0.99)`, checked above against its own definition).
    let g = focus8();
    let s = Scenario::new(vec![Shock::Tariff(
        parse_tariff("USA:CAN:C29=25%").unwrap(),
    )]);
    let r = ripple(&g, &s, &ShockParams::default()).unwrap();
    let n = r.rounds_to(0.99).unwrap() + 1;
    let want: Vec<String> = (0..n).map(|k| format!("ripple-{k:02}.svg")).collect();
    assert_eq!(files, want, "{notes}");
    assert!(notes.contains(&format!("{n} frame(s)")), "{notes}");
    let svgs: Vec<String> = want
        .iter()
        // Graphviz writes a minus sign as &#45;.
        .map(|f| {
            std::fs::read_to_string(dir.path().join(f))
                .unwrap()
                .replace("&#45;", "-")
        })
        .collect();
    let last = r.rounds() - 1;
    for (k, svg) in svgs.iter().enumerate() {
        assert!(
            svg.contains(&format!("round {k} of {last}:")),
            "frame {k} title"
        );
        // Every frame: the same nodes at the same places.
        assert_eq!(node_centres(svg), node_centres(&svgs[0]), "frame {k} moved");
    }
    assert!(node_centres(&svgs[0]).contains_key("CAN"));
    // Frame 0 shows the direct effect, the last frame the total, by country (percent of the
    // country's gross output, two decimals as the node labels write them).
    let can: Vec<usize> = (0..g.node_count())
        .filter(|&i| r.result.nodes[i].country == "CAN")
        .collect();
    let base: f64 = can.iter().map(|&i| r.result.nodes[i].baseline).sum();
    let pct = |k: usize| 100.0 * can.iter().map(|&i| r.cumulative[k][i]).sum::<f64>() / base;
    let direct = r.result.country("CAN").unwrap().direct / base * 100.0;
    assert!(near(pct(0), direct, 1e-12));
    assert!(
        svgs[0].contains(&format!("{:+.2}%", pct(0))),
        "frame 0: CAN {:+.2}%",
        pct(0)
    );
    assert!(svgs[n - 1].contains(&format!("{:+.2}%", pct(n - 1))));

    // --frames caps them; a PDF holds one page per frame.
    let pdf = dir.path().join("ripple.pdf");
    tradenet([
        "draw",
        "--rounds",
        "--frames",
        "3",
        "--tariff",
        "USA:CAN:C29=25%",
        "-o",
        pdf.to_str().unwrap(),
    ])
    .ok_with_notes();
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert_eq!(doc.get_pages().len(), 3);
    let png = dir.path().join("p.png");
    tradenet([
        "draw",
        "--rounds",
        "--frames",
        "2",
        "--tariff",
        "USA:CAN:C29=25%",
        "-o",
        png.to_str().unwrap(),
    ])
    .ok_with_notes();
    for k in 0..2 {
        let bytes = std::fs::read(dir.path().join(format!("p-{k:02}.png"))).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "frame {k} is a PNG");
    }
    assert!(!dir.path().join("p-02.png").exists());
}

#[test]
fn rounds_refuse_what_they_cannot_draw() {
    let err = tradenet(["draw", "--rounds", "-o", "/tmp/never-frames.svg"]).fails();
    assert!(err.contains("--rounds draws a shock's ripple"), "{err}");
    let err = tradenet(["draw", "--rounds", "--tariff", "USA:CAN:C29=25%"]).fails();
    assert!(err.contains("one file per frame"), "{err}");
    let err = tradenet(["draw", "--frames", "2", "--tariff", "USA:CAN:C29=25%"]).fails();
    assert!(err.contains("--rounds"), "--frames needs --rounds: {err}");
    let err = tradenet([
        "draw",
        "--rounds",
        "--frames",
        "0",
        "--tariff",
        "USA:CAN:C29=25%",
        "-o",
        "x.svg",
    ])
    .fails();
    assert!(err.contains("--frames") && err.contains(">= 1"), "{err}");
    // A frame that would replace an input (here the scenario file, named like frame 0) is
    // refused before anything is written.
    let dir = tempfile::tempdir().unwrap();
    let scen = dir.path().join("s-00.dot");
    let text = r#"{"format":"tradenet-scenario/1","shocks":[{"type":"tariff","importer":"USA","exporter":"CAN","sector":"C29","rate":0.25}]}"#;
    std::fs::write(&scen, text).unwrap();
    let err = tradenet([
        "draw",
        "--rounds",
        "--scenario",
        scen.to_str().unwrap(),
        "-o",
        dir.path().join("s.dot").to_str().unwrap(),
    ])
    .fails();
    assert!(err.contains("is an input file"), "{err}");
    assert_eq!(std::fs::read_to_string(&scen).unwrap(), text);
    assert!(!dir.path().join("s-01.dot").exists(), "nothing written");
}
