//! `tradenet shock --compare A.json B.json`: two saved shock results side by side.

use super::output::{human, to_json, Csv, Report, Sink, Table};
use anyhow::Result;
use tradenet::analysis::{compare, CompareParams, Comparison, Difference, SavedShock};

/// Read the two results, compare them, hand the comparison to the sink.
pub fn run(files: &[String], top: usize, out: &Sink) -> Result<()> {
    let read = |f: &String| -> Result<SavedShock> {
        Ok(SavedShock::from_json(&tradenet::io::read_file(f)?, f)?)
    };
    let (a, b) = (read(&files[0])?, read(&files[1])?);
    let c = compare(&a, &b, &CompareParams::default())?;
    out.report(&CompareReport { c: &c, files, top })
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
