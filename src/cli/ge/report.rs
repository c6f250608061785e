//! The output of a GE run in the three formats.

use super::super::output::{human, to_json, Csv, Report, Table};
use anyhow::Result;
use serde::Serialize;
use tradenet::analysis::ge::GeResult;

/// The JSON document of a GE run.
#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a serde_json::Value,
    model: &'static str,
    #[serde(flatten)]
    result: &'a GeResult,
    scenario: &'a [String],
}

/// A GE run as the sink prints it.
pub(super) struct GeReport<'a> {
    pub r: &'a GeResult,
    /// Countries and sectors.
    pub size: (usize, usize),
    pub scenario: Vec<String>,
    pub graph: serde_json::Value,
    pub top: usize,
}

impl Report for GeReport<'_> {
    fn summary(&self) -> Vec<String> {
        let (r, s) = (self.r, &self.r.solver);
        let mut summary = vec![
            format!(
                "General equilibrium (Caliendo-Parro 2015, exact hat algebra): {} countries x {} sectors, deficits {}",
                self.size.0,
                self.size.1,
                r.deficits.as_str()
            ),
            format!(
                "Scenario: {} ({} changed)",
                self.scenario.join("; "),
                match r.changed_cells {
                    1 => "1 cell".to_string(),
                    n => format!("{n} cells"),
                }
            ),
            format!(
                "Solver: {}, baseline {} and counterfactual {} iterations to a step below {:e}; largest residual of any market {:.1e}",
                s.method,
                s.baseline.iterations,
                s.counterfactual.iterations,
                s.tol,
                s.baseline.residuals.max().max(s.counterfactual.residuals.max())
            ),
            "welfare = CP2015's terms of trade + volume of trade (Table 2's measure); real income = the exact change (I'/I)/P".into(),
        ];
        summary.extend(r.notes.iter().map(|n| format!("note: {n}")));
        summary
    }

    fn tables(&self) -> Vec<Table> {
        vec![
            countries_table(self.r, self.top),
            flows_table(self.r, self.top),
        ]
    }

    fn json(&self) -> Result<serde_json::Value> {
        to_json(&Doc {
            graph: &self.graph,
            model: "ge",
            result: self.r,
            scenario: &self.scenario,
        })
    }

    fn csv(&self) -> Result<Csv> {
        Ok(super::super::output::number_rows(
            &[
                "id",
                "welfare_pct",
                "terms_of_trade_pct",
                "volume_of_trade_pct",
                "real_income_pct",
                "real_wage_pct",
                "price_index_pct",
                "income_baseline",
                "income_new",
            ],
            &self.r.countries,
            |c| {
                let v = vec![
                    c.welfare_pct,
                    c.terms_of_trade_pct,
                    c.volume_of_trade_pct,
                    c.real_income_pct,
                    c.real_wage_pct,
                    c.price_index_pct,
                    c.income_baseline,
                    c.income_new,
                ];
                (c.id.clone(), v)
            },
        ))
    }
}

fn countries_table(r: &GeResult, top: usize) -> Table {
    let mut countries: Vec<_> = r.countries.iter().collect();
    countries.sort_by(|x, y| {
        y.real_income_pct
            .abs()
            .total_cmp(&x.real_income_pct.abs())
            .then_with(|| x.id.cmp(&y.id))
    });
    let f4 = |v: f64| format!("{v:+.4}");
    Table {
        title: format!(
            "Countries, largest real-income change first ({} of {}), percent",
            countries.len().min(top),
            countries.len()
        ),
        header: [
            "country",
            "welfare",
            "terms of trade",
            "volume of trade",
            "real income",
            "real wage",
            "price index",
            "imports",
        ]
        .map(String::from)
        .to_vec(),
        rows: countries
            .iter()
            .take(top)
            .map(|c| {
                vec![
                    c.id.clone(),
                    f4(c.welfare_pct),
                    f4(c.terms_of_trade_pct),
                    f4(c.volume_of_trade_pct),
                    f4(c.real_income_pct),
                    f4(c.real_wage_pct),
                    f4(c.price_index_pct),
                    format!("{:+.2}", 100.0 * (c.imports_new / c.imports_baseline - 1.0)),
                ]
            })
            .collect(),
        right: (1..8).collect(),
    }
}

fn flows_table(r: &GeResult, top: usize) -> Table {
    let mut flows: Vec<_> = r.flows.iter().filter(|f| f.from != f.to).collect();
    flows.sort_by(|x, y| {
        y.delta
            .abs()
            .total_cmp(&x.delta.abs())
            .then_with(|| (&x.from, &x.to, &x.sector).cmp(&(&y.from, &y.to, &y.sector)))
    });
    Table {
        title: format!(
            "Cross-border flows, largest change first ({} of {}), {} net of tariffs",
            flows.len().min(top),
            flows.len(),
            if r.unit.is_empty() { "values" } else { &r.unit }
        ),
        header: ["from", "to", "sector", "baseline", "new", "change"]
            .map(String::from)
            .to_vec(),
        rows: flows
            .iter()
            .take(top)
            .map(|f| {
                vec![
                    f.from.clone(),
                    f.to.clone(),
                    f.sector.clone(),
                    human(f.baseline),
                    human(f.new),
                    f.delta_pct.map_or("-".into(), |p| format!("{p:+.2}%")),
                ]
            })
            .collect(),
        right: vec![3, 4, 5],
    }
}
