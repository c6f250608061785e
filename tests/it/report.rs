//! `tradenet report`: the HTML page is well-formed, self-contained (no script, no outside
//! address, every link an anchor of the page) and its headline figures are those of
//! `tradenet shock --format json` on the same scenario; the Markdown has the same sections and
//! its diagram beside it; data is escaped in both; and the page opens in a real headless
//! Chromium without a console message and screenshots at the size asked for.

use crate::common::{root, tradenet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The committed example (regenerate with the command in the README's "Reports").
const EXAMPLE: &str = "examples/report-headline-tariff.html";

fn has_dot() -> bool {
    Command::new("dot").arg("-V").output().is_ok()
}

/// `--no-diagram` where Graphviz is missing outside CI (the diagram is then not checked); in
/// CI a missing Graphviz fails, as the draw tests do.
fn diagram_flags() -> Vec<&'static str> {
    if has_dot() {
        Vec::new()
    } else if std::env::var_os("CI").is_some() {
        panic!("Graphviz `dot` is not installed: the report embeds its diagram; CI must install it (.ci/run does: apt-get install graphviz)");
    } else {
        eprintln!("diagram not checked: Graphviz `dot` is not installed (apt install graphviz; CI fails here)");
        vec!["--no-diagram"]
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The HTML parsed as XML (the page is written well-formed), or a failure quoting the error.
fn parse(html: &str) -> roxmltree::Document<'_> {
    let opt = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, opt)
        .unwrap_or_else(|e| panic!("the report is not well-formed: {e}"))
}

/// Every text under a node, joined.
fn text(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// Self-contained: no script, stylesheet link, image, frame or object; no attribute naming an
/// outside address; every link an anchor of the page; no `url(` or `@import` in the style.
fn assert_self_contained(doc: &roxmltree::Document) {
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !["script", "link", "img", "iframe", "object", "embed", "image", "use", "base"]
                .contains(&tag),
            "<{tag}> in a self-contained report"
        );
        for a in n.attributes() {
            let v = a.value().to_ascii_lowercase();
            assert!(
                !v.contains("http:") && !v.contains("https:") && !v.contains("//"),
                "<{tag} {}={:?}> names an outside address",
                a.name(),
                a.value()
            );
            if a.name() == "href" {
                let target = a.value().strip_prefix('#').unwrap_or_else(|| {
                    panic!("<{tag} href={:?}> is not an anchor of the page", a.value())
                });
                assert!(ids.contains(&target), "href #{target} has no target");
            }
            assert!(
                a.name() != "src" && a.name() != "srcset",
                "<{tag} {}> loads something",
                a.name()
            );
        }
    }
    let style: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("style"))
        .map(text)
        .collect();
    assert!(!style.is_empty(), "no inline style");
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "{style}"
    );
    let csp = doc
        .descendants()
        .find(|n| n.attribute("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|n| n.attribute("content"))
        .expect("a Content-Security-Policy");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
}

/// The rows of the table in `<section id=ID>`: cell texts.
fn section_table(doc: &roxmltree::Document, id: &str, caption: &str) -> Vec<Vec<String>> {
    let sec = doc
        .descendants()
        .find(|n| n.has_tag_name("section") && n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no section {id}"));
    let table = sec
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .find(|t| {
            let c = t
                .children()
                .find(|c| c.has_tag_name("caption"))
                .map(text)
                .unwrap_or_default();
            c.starts_with(caption)
        })
        .unwrap_or_else(|| panic!("no table {caption:?} in section {id}"));
    table
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .map(|tr| tr.children().filter(|c| c.is_element()).map(text).collect())
        .collect()
}

/// The headline figures of the shock's JSON that the report must show: name -> value.
fn headline_of(json: &Value) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    let sum = &json["summary"];
    for (name, key) in [
        ("total change", "delta"),
        ("total change in percent", "delta_pct"),
        ("baseline", "baseline"),
        ("direct effect", "direct"),
        ("ripple", "indirect"),
    ] {
        m.insert(name.to_string(), sum[key].as_f64().unwrap());
    }
    for t in json["tariffs"].as_array().unwrap() {
        let who = format!(
            "{} tariff on {} {}",
            t["importer"].as_str().unwrap(),
            t["exporter"].as_str().unwrap(),
            t["sector"].as_str().unwrap()
        );
        for (name, key) in [
            ("trade creation", "trade_creation"),
            ("trade diversion", "trade_diversion"),
            ("tariff revenue", "revenue_change"),
            ("welfare", "welfare"),
        ] {
            m.insert(format!("{who}: {name}"), t[key].as_f64().unwrap());
        }
    }
    m
}

/// Each headline figure of the JSON is in the rows (figure, value, exact, definition), its
/// exact column the same number, with a definition.
fn assert_headline(rows: &[Vec<String>], json: &Value) {
    let want = headline_of(json);
    assert!(want.len() >= 9, "{want:?}");
    for (name, v) in &want {
        let row = rows
            .iter()
            .find(|r| r[0] == *name)
            .unwrap_or_else(|| panic!("no headline figure {name:?} in {rows:?}"));
        let exact: f64 = row[2]
            .parse()
            .unwrap_or_else(|e| panic!("{name}: exact {:?}: {e}", row[2]));
        assert_eq!(exact, *v, "{name}: report {exact} vs shock JSON {v}");
        assert!(row[3].len() > 20, "{name}: no definition: {row:?}");
    }
}

#[test]
fn html_report_of_the_headline_tariff() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let mut args = vec!["report", "-o", s(&out)];
    args.extend(diagram_flags());
    assert_eq!(tradenet(&args).ok(), "");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{html:.200}"
    );
    let doc = parse(&html);
    assert_self_contained(&doc);
    let h1 = doc.descendants().find(|n| n.has_tag_name("h1")).map(text);
    assert_eq!(
        h1.as_deref(),
        Some("US 25% tariff on Canadian motor vehicles and parts (default)")
    );
    let sections: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("section"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(
        sections,
        [
            "scenario",
            "headline",
            "direct",
            "rounds",
            "countries",
            "abroad",
            "dependency",
            "diagram",
            "notes",
            "scenario-file"
        ]
    );
    // The headline numbers are `tradenet shock --format json`'s.
    let json = tradenet(["shock", "--format", "json"]).json();
    assert_headline(&section_table(&doc, "headline", ""), &json);
    assert!(html.contains("tradenet shock --tariff USA:CAN:C29=25%"));
    // The shock's own tables, from `tradenet shock`'s renderer.
    let flows = section_table(&doc, "direct", "Direct effect on trade flows");
    assert_eq!(flows[1][0], "CAN -> USA");
    let rounds = section_table(&doc, "rounds", "Ripple by round");
    assert_eq!(rounds[1][0], "0");
    let countries = section_table(&doc, "countries", "Countries (8 of 8");
    assert_eq!(countries.len(), 9);
    assert_eq!(countries[1][0], "CAN");
    section_table(&doc, "abroad", "Hit abroad");
    // The dependency of the two countries of the tariff.
    let can = section_table(&doc, "dependency", "CAN: export destinations");
    assert_eq!(can[1][1], "USA");
    section_table(&doc, "dependency", "USA: import origins");
    if has_dot() {
        let svg = doc
            .descendants()
            .find(|n| n.has_tag_name("svg"))
            .expect("the diagram inline");
        assert!(
            svg.ancestors().any(|a| a.has_tag_name("figure")),
            "the SVG is in a figure"
        );
        let titles: Vec<String> = svg
            .descendants()
            .filter(|n| n.attribute("class") == Some("node"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("title")).map(text))
            .collect();
        for c in ["CAN", "USA", "MEX"] {
            assert!(titles.iter().any(|t| t == c), "{c} not drawn: {titles:?}");
        }
        // The drawing fits its view box (Graphviz 2.43 at 150 dpi scales it past the box).
        let vb: Vec<f64> = svg
            .attribute("viewBox")
            .unwrap()
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        let w: f64 = svg
            .attribute("width")
            .unwrap()
            .trim_end_matches("pt")
            .parse()
            .unwrap();
        assert!((vb[2] - w).abs() < 1.0, "viewBox {vb:?} vs width {w}");
    }
}

#[test]
fn markdown_report_has_the_same_figures_and_its_diagram_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tariff report.md");
    let mut args = vec!["report", "--tariff", "USA:MEX:C29=10%", "-o", s(&out)];
    args.extend(diagram_flags());
    tradenet(&args).ok();
    let md = std::fs::read_to_string(&out).unwrap();
    for h in [
        "# Impact of tariff: USA on MEX",
        "\n## Scenario\n",
        "\n## Headline figures\n",
        "\n## Direct effect\n",
        "\n## Ripple by round\n",
        "\n## By country and node\n",
        "\n## Hit abroad\n",
        "\n## Dependency of the countries involved\n",
        "\n### USA (United States)\n",
        "\n### MEX (Mexico)\n",
        "\n## Diagram\n",
    ] {
        assert!(md.contains(h), "missing {h:?}:\n{md}");
    }
    assert!(!md.contains("](http"), "a link to an outside address");
    // The headline table: | figure | value | exact | definition |.
    let rows: Vec<Vec<String>> = md
        .lines()
        .skip_while(|l| *l != "| figure | value | exact | definition |")
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().replace('\\', ""))
                .collect()
        })
        .collect();
    let json = tradenet(["shock", "--tariff", "USA:MEX:C29=10%", "--format", "json"]).json();
    assert_headline(&rows, &json);
    if has_dot() {
        let svg = dir.path().join("tariff report-impact.svg");
        assert!(md.contains("![impact](tariff%20report-impact.svg)"), "{md}");
        let text = std::fs::read_to_string(&svg).unwrap();
        let opt = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&text, opt).unwrap();
        assert!(doc.root_element().has_tag_name("svg"));
    }
    // Without -o: Markdown on standard output, the diagram left out (no folder for it).
    let printed = tradenet(["report", "--tariff", "USA:MEX:C29=10%"]).ok();
    assert!(
        printed.starts_with("# Impact of tariff: USA on MEX"),
        "{printed:.200}"
    );
    assert!(printed.contains("left out on standard output"));
    // A --dy file of many nodes is titled by its first three changes.
    let dy = dir.path().join("dy.csv");
    std::fs::write(
        &dy,
        "node,value\nCAN:C29,-1e9\nUSA:C29,5e8\nMEX:C29,1e8\nJPN:C29,1e8\nKOR:C29,1e8\n",
    )
    .unwrap();
    let printed = tradenet(["report", "--dy", s(&dy)]).ok();
    let first = printed.lines().next().unwrap();
    assert!(
        first.starts_with("# Impact of 5 shocks: demand: ") && first.ends_with("; and 2 more"),
        "{first}"
    );
    // HTML to a pipe is allowed.
    let html = tradenet(["report", "--format", "html", "--no-diagram"]).ok();
    parse(&html);
}

#[test]
fn data_is_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("g.csv");
    std::fs::write(
        &csv,
        "exporter,importer,value\n\"A<i>&\"\"x\",B|*_y,10\nB|*_y,\"A<i>&\"\"x\",4\nB|*_y,C'z#,6\nC'z#,\"A<i>&\"\"x\",3\n",
    )
    .unwrap();
    let html_out = dir.path().join("r.html");
    let mut args = vec![
        "report",
        s(&csv),
        "--demand",
        "B|*_y=-50%",
        "-o",
        s(&html_out),
    ];
    args.extend(diagram_flags());
    tradenet(&args).ok();
    let html = std::fs::read_to_string(&html_out).unwrap();
    let doc = parse(&html);
    assert_self_contained(&doc);
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("i")),
        "an id became markup"
    );
    let cells: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("td"))
        .map(text)
        .collect();
    for id in ["A<i>&\"x", "B|*_y", "C'z#"] {
        assert!(cells.iter().any(|c| c == id), "{id} not a cell: {cells:?}");
    }
    let md_out = dir.path().join("r.md");
    tradenet([
        "report",
        s(&csv),
        "--demand",
        "B|*_y=-50%",
        "--no-diagram",
        "-o",
        s(&md_out),
    ])
    .ok();
    let md = std::fs::read_to_string(&md_out).unwrap();
    assert!(md.contains("| A\\<i>\\&\"x |"), "{md}");
    assert!(md.contains("B\\|\\*\\_y"), "{md}");
    assert!(!md.contains("<i>&"), "{md}");
}

#[test]
fn bad_output_names_and_formats_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.txt");
    let err = tradenet(["report", "-o", s(&out)]).fails();
    assert!(err.contains("unknown report type '.txt'"), "{err}");
    assert!(!out.exists());
    let bare = dir.path().join("report");
    let err = tradenet(["report", "-o", s(&bare)]).fails_with(2);
    assert!(err.contains("has no extension"), "{err}");
    assert!(!bare.exists());
    // Markdown into a device: no diagram file beside it (/dev/null-impact.svg).
    assert_eq!(
        tradenet(["report", "--format", "md", "-o", "/dev/null"]).ok(),
        ""
    );
    assert!(!Path::new("/dev/null-impact.svg").exists());
    // A Markdown that cannot be written leaves no diagram behind (a loop of links).
    if has_dot() {
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let err = tradenet(["report", "-o", s(&a)]).fails();
        assert!(err.contains("too many levels of symbolic links"), "{err}");
        assert!(
            !dir.path().join("a-impact.svg").exists(),
            "a diagram left behind"
        );
    }
    // The Markdown's diagram may not replace an input.
    let graph = dir.path().join("g-impact.svg");
    std::fs::copy(root().join("graphs/tiny.json"), &graph).unwrap();
    let md = dir.path().join("g.md");
    if has_dot() {
        let err = tradenet([
            "report",
            s(&graph),
            "--input-format",
            "json",
            "--demand",
            "USA=-10%",
            "-o",
            s(&md),
        ])
        .fails();
        assert!(err.contains("would replace the input graph file"), "{err}");
        assert!(!md.exists());
    }
}

// ---- a real browser ----

/// Debian's Chromium; a failure (not a skip) when it is missing.
fn chromium() -> PathBuf {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("Chromium is not installed: this test opens the report in a headless browser (install it with `apt-get install -y chromium`; .ci/run does)");
}

/// Run Chromium headless on `page` with `extra` flags in a fresh profile; its stdout and
/// stderr. Killed after two minutes (a hung browser fails the test instead of hanging it).
fn run_chromium(page: &Path, extra: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(format!("file://{}", page.canonicalize().unwrap().display()))
    .stdin(Stdio::null());
    let dir = tempfile::tempdir().unwrap();
    let (o, e) = (dir.path().join("out"), dir.path().join("err"));
    cmd.stdout(std::fs::File::create(&o).unwrap())
        .stderr(std::fs::File::create(&e).unwrap());
    let mut child = cmd.spawn().expect("cannot start Chromium");
    let mut waited = 0;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if waited > 1200 {
            let _ = child.kill();
            panic!(
                "Chromium did not finish in two minutes on {}",
                page.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    };
    let out = std::fs::read_to_string(&o).unwrap();
    let err = std::fs::read_to_string(&e).unwrap();
    assert!(status.success(), "Chromium failed ({status}):\n{err}");
    (out, err)
}

/// The browser's console messages and failed loads (its own start-up noise, D-Bus and GPU
/// warnings, is not about the page).
fn page_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Failed to load resource")
                || l.contains("net::ERR_")
                || l.contains("Uncaught")
        })
        .collect()
}

/// The PNG's width and height, from its IHDR header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |k: usize| u32::from_be_bytes(bytes[k..k + 4].try_into().unwrap());
    (be(16), be(20))
}

/// Open `page`: the DOM Chromium parsed holds the report (and its diagram when `diagram`),
/// nothing was logged to the console or failed to load, and a screenshot is 1280 x 2000
/// pixels.
fn assert_opens(page: &Path, title: &str, diagram: bool) {
    let (dom, log) = run_chromium(page, &["--dump-dom".to_string()]);
    assert!(
        page_errors(&log).is_empty(),
        "{}: the browser reported:\n{}",
        page.display(),
        page_errors(&log).join("\n")
    );
    assert!(dom.contains(&format!("<h1>{title}</h1>")), "{dom:.400}");
    for id in ["headline", "direct", "rounds", "dependency", "diagram"] {
        assert!(dom.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    if diagram {
        assert!(
            dom.contains("<svg"),
            "the diagram is not in the parsed page"
        );
    }
    let shots = tempfile::tempdir().unwrap();
    let png = shots.path().join("shot.png");
    let (_, log) = run_chromium(
        page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".into(),
            "--force-device-scale-factor=1".into(),
            "--hide-scrollbars".into(),
        ],
    );
    assert!(
        page_errors(&log).is_empty(),
        "{}",
        page_errors(&log).join("\n")
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot: {e}\n{log}"));
    assert_eq!(png_size(&bytes), (1280, 2000));
}

#[test]
fn the_report_opens_in_headless_chromium() {
    chromium();
    let dir = tempfile::tempdir().unwrap();
    // The check sees what a page does wrong: an outside image is blocked and logged.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"/><title>x</title></head><body><img src=\"http://example.invalid/x.png\"/></body></html>",
    )
    .unwrap();
    let (_, log) = run_chromium(&bad, &["--dump-dom".to_string()]);
    assert!(
        !page_errors(&log).is_empty(),
        "the blocked image was not reported; the console check would see nothing:\n{log}"
    );
    let out = dir.path().join("r.html");
    let mut args = vec!["report", "-o", s(&out)];
    args.extend(diagram_flags());
    tradenet(&args).ok();
    assert_opens(
        &out,
        "US 25% tariff on Canadian motor vehicles and parts (default)",
        has_dot(),
    );
}

#[test]
fn the_example_report_opens_in_headless_chromium_and_is_current() {
    let page = root().join(EXAMPLE);
    assert_opens(
        &page,
        "US 25% tariff on Canadian motor vehicles and parts (default)",
        true,
    );
    // Its figures are today's: regenerate it when the model changes.
    let html = std::fs::read_to_string(&page).unwrap();
    let doc = parse(&html);
    assert_self_contained(&doc);
    let json = tradenet(["shock", "--format", "json"]).json();
    let rows = section_table(&doc, "headline", "");
    let want = headline_of(&json);
    for (name, v) in &want {
        let got: f64 = rows
            .iter()
            .find(|r| r[0] == *name)
            .map(|r| r[2].parse().unwrap())
            .unwrap_or_else(|| panic!("{EXAMPLE}: no {name}"));
        assert!(
            (got - v).abs() <= 1e-9 * v.abs().max(1.0),
            "{EXAMPLE} is stale ({name}: {got} vs {v}): regenerate it with `tradenet report -o {EXAMPLE}` and its .md"
        );
    }
}

#[test]
fn a_tariff_on_many_sectors_is_summed_in_the_headline() {
    // 27 goods sectors of one pair: four headline figures for the pair, each the sum of the
    // shock JSON's per-sector figures (which stay in the direct-effect table), not 108 rows.
    let g = "graphs/icio2022_trade_by_sector.json";
    let json = tradenet(["shock", g, "--tariff", "USA:CAN=25%", "--format", "json"]).json();
    let tariffs = json["tariffs"].as_array().unwrap();
    assert_eq!(tariffs.len(), 27);
    let md = tradenet(["report", g, "--tariff", "USA:CAN=25%", "--no-diagram"]).ok();
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("USA tariff on CAN"))
        .collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    for (name, key) in [
        ("trade creation", "trade_creation"),
        ("trade diversion", "trade_diversion"),
        ("tariff revenue", "revenue_change"),
        ("welfare", "welfare"),
    ] {
        let want: f64 = tariffs.iter().map(|t| t[key].as_f64().unwrap()).sum();
        let row = rows
            .iter()
            .find(|r| r.contains(&format!("USA tariff on CAN, 27 sectors: {name} |")))
            .unwrap_or_else(|| panic!("{name}: {rows:?}"));
        let exact: f64 = row.split('|').nth(3).unwrap().trim().parse().unwrap();
        assert!(
            (exact - want).abs() <= 1e-9 * want.abs(),
            "{name}: {exact} vs {want}"
        );
        assert!(row.contains("summed over its 27 sectors"), "{row}");
    }
}

/// `report --model ge`: the general-equilibrium run of `tradenet shock --model ge`, its
/// numbers in the report's tables (checked against the shock's JSON, a separate run), its
/// summary in words, its command; the ripple model's flags are refused.
#[test]
fn ge_report_shows_the_ge_runs_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("ge.html");
    tradenet(["report", "--model", "ge", "-o", s(&page)]).ok();
    let html = std::fs::read_to_string(&page).unwrap();
    let doc = parse(&html);
    assert_self_contained(&doc);
    let json = tradenet([
        "shock",
        "--model",
        "ge",
        "--tariff",
        "USA:CAN:C29=25%",
        "--format",
        "json",
    ])
    .json();
    let rows = section_table(&doc, "results", "Countries");
    assert_eq!(rows[0][..3], ["country", "welfare", "terms of trade"]);
    let countries = json["countries"].as_array().unwrap();
    assert_eq!(rows.len() - 1, countries.len());
    for row in &rows[1..] {
        let c = countries.iter().find(|c| c["id"] == row[0]).unwrap();
        for (k, key) in [
            (1, "welfare_pct"),
            (2, "terms_of_trade_pct"),
            (4, "real_income_pct"),
        ] {
            let shown: f64 = row[k].replace('\u{2212}', "-").parse().unwrap();
            let want = c[key].as_f64().unwrap();
            assert!(
                (shown - want).abs() <= 5e-5,
                "{} {key}: {shown} vs {want}",
                row[0]
            );
        }
    }
    // CAN loses and USA gains in welfare, as the shock says.
    assert!(
        html.contains("General equilibrium: tariff USA:CAN:C29=25%"),
        "title"
    );
    assert!(html.contains("Caliendo-Parro 2015"), "the model named");
    assert!(
        html.contains("tradenet shock --tariff USA:CAN:C29=25% --model ge"),
        "the command"
    );
    assert!(!html.contains("<svg"), "no diagram for the GE model");
    // The flows table too.
    let flows = section_table(&doc, "results", "Cross-border flows");
    assert_eq!(flows[1][..3], ["CAN", "USA", "C29"]);
    // Flags of the ripple model are refused by name, here and in `tradenet shock`.
    for cmd in ["report", "shock"] {
        let e = tradenet([cmd, "--model", "ge", "--channel", "import"]).fails();
        assert!(e.contains("--channel belongs to the ripple model"), "{e}");
    }
    // The GE model's flags without --model ge are refused (the ripple model would ignore
    // them), here and in `tradenet shock`.
    for cmd in ["report", "shock"] {
        let e = tradenet([cmd, "--trade-cost", "USA:CAN=1.1"]).fails();
        assert!(
            e.contains("--trade-cost belongs to the general-equilibrium model"),
            "{e}"
        );
    }
    // Without a scenario on a graph of its own, the GE model's own message (the default
    // tariff is the default graph's only).
    let own = root().join("graphs/icio2022_focus8.json");
    let e = tradenet(["report", "--model", "ge", s(&own)]).fails();
    assert!(e.contains("no scenario for the GE model"), "{e}");
}
