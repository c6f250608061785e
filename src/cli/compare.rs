//! `tradenet shock --compare A B`: two shocks side by side, each a saved result or a scenario
//! file run on the graph.

use super::output::{human, to_json, Csv, Report, Sink, Table};
use super::scenario::ScenarioArgs;
use super::shock::{compute_with, ShockArgs};
use anyhow::{bail, Context, Result};
use tradenet::analysis::{compare, CompareParams, Comparison, Difference, SavedShock};

/// Read (or run) the two sides, compare them, hand the comparison to the sink.
pub fn run(a: &ShockArgs, out: &Sink) -> Result<()> {
    let files = &a.compare;
    if a.ge.model == super::ge::ModelArg::Ge {
        bail!(
            "--compare runs scenario files with the ripple models; for general equilibrium save the result first (`tradenet shock --model ge ... --format json -o B.json`) and compare the files"
        );
    }
    let (sa, ran_a) = side(a, &files[0])?;
    let (sb, ran_b) = side(a, &files[1])?;
    if !(ran_a || ran_b) && a.graph.graph.is_some() {
        bail!(
            "--compare {} {}: both are saved results, so the graph is not used (hint: leave the graph out, or give scenario files to run on it)",
            files[0],
            files[1]
        );
    }
    let c = compare(&sa, &sb, &CompareParams::default())?;
    out.report(&CompareReport {
        c: &c,
        files,
        top: a.top,
    })
}

/// One side: a saved shock result as it is, or a scenario file run on the graph (the default
/// graph without one) exactly as `tradenet shock --scenario FILE` runs it. True when it ran.
fn side(a: &ShockArgs, file: &str) -> Result<(SavedShock, bool)> {
    let bytes = tradenet::io::read_file(file)?;
    let saved = match SavedShock::from_json(&bytes, file) {
        Ok(s) => return Ok((s, false)),
        Err(e) => e,
    };
    // Not a result: a scenario file (run below, which names its problems), or neither.
    if !looks_like_scenario(&bytes) {
        return Err(saved.into());
    }
    let sc = ScenarioArgs {
        scenario: Some(file.to_string()),
        ..ScenarioArgs::default()
    };
    let shocked = compute_with(a, &sc).with_context(|| format!("--compare {file}"))?;
    let json = shocked.report(a.top, None).json()?;
    let result = SavedShock::from_json(&serde_json::to_vec(&json)?, file)?;
    Ok((result, true))
}

/// True for a JSON object with a scenario file's `shocks` and no result's `nodes`.
fn looks_like_scenario(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .is_ok_and(|v| v.get("nodes").is_none() && v.get("shocks").is_some())
}

struct CompareReport<'a> {
    c: &'a Comparison,
    files: &'a [String],
    top: usize,
}

fn table(title: &str, rows: &[Difference], top: usize) -> Table {
    let p = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:+.3}%"));
    Table {
        title: format!(
            "{title}, largest difference first ({} of {})",
            rows.len().min(top),
            rows.len()
        ),
        header: [
            "id", "baseline", "change A", "change B", "B - A", "A %", "B %",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .take(top)
            .map(|d| {
                let f = |v: f64| human(v);
                vec![
                    d.id.clone(),
                    f(d.baseline),
                    f(d.delta_a),
                    f(d.delta_b),
                    f(d.difference),
                    p(d.delta_pct_a),
                    p(d.delta_pct_b),
                ]
            })
            .collect(),
        right: (1..7).collect(),
    }
}

impl Report for CompareReport<'_> {
    fn summary(&self) -> Vec<String> {
        let c = self.c;
        let total = |f: fn(&Difference) -> f64| c.countries.iter().map(f).sum::<f64>();
        vec![
            format!(
                "A: {} ({}): {}",
                self.files[0],
                c.models[0],
                c.scenarios[0].join("; ")
            ),
            format!(
                "B: {} ({}): {}",
                self.files[1],
                c.models[1],
                c.scenarios[1].join("; ")
            ),
            format!(
                "Total change: A {}, B {}, B - A {}",
                human(total(|d| d.delta_a)),
                human(total(|d| d.delta_b)),
                human(total(|d| d.difference))
            ),
        ]
    }
    fn tables(&self) -> Vec<Table> {
        vec![
            table("Countries", &self.c.countries, self.top),
            table("Nodes", &self.c.nodes, self.top),
        ]
    }
    fn json(&self) -> Result<serde_json::Value> {
        to_json(self.c)
    }
    fn csv(&self) -> Result<Csv> {
        let rows = (self.c.countries.iter().map(|d| ("country", d)))
            .chain(self.c.nodes.iter().map(|d| ("node", d)));
        let n = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        Ok((
            [
                "id",
                "level",
                "baseline",
                "delta_a",
                "delta_b",
                "difference",
                "delta_pct_a",
                "delta_pct_b",
            ]
            .map(String::from)
            .to_vec(),
            rows.map(|(level, d)| {
                vec![
                    d.id.clone(),
                    level.into(),
                    d.baseline.to_string(),
                    d.delta_a.to_string(),
                    d.delta_b.to_string(),
                    d.difference.to_string(),
                    n(d.delta_pct_a),
                    n(d.delta_pct_b),
                ]
            })
            .collect(),
        ))
    }
}
