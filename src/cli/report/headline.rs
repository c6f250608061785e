//! The headline figures of a shock, each with its one-line definition, read from the JSON of
//! `tradenet shock --format json` so that the report and the JSON cannot disagree.

use super::super::output::{human, Table};
use super::super::shock_tables::{pct_text, signed};
use serde_json::Value;
use tradenet::io::fmt_value;

/// One figure: its name, where it is in the shock's JSON, how to print it and what it means.
struct Figure {
    name: String,
    value: Option<f64>,
    kind: Kind,
    definition: String,
}

#[derive(Clone, Copy)]
enum Kind {
    /// A change in the graph's unit.
    Change,
    /// A level in the graph's unit.
    Level,
    /// A percentage (already in percent).
    Percent,
    /// A share (0-1).
    Share,
}

/// The headline figures of the shock's JSON: the totals of the ripple, DebtRank's systemic
/// loss, and each tariff's creation, diversion, revenue and welfare.
pub fn table(json: &Value, debtrank: bool, unit: &str) -> Table {
    let s = &json["summary"];
    let (what, via) = if debtrank {
        (
            "trade of every node on the channel's side (exports or imports)",
            "passed on by distressed partners (DebtRank rounds 1, 2, ...)",
        )
    } else {
        (
            "gross output of every node",
            "passed on through supply chains (rounds 1, 2, ...: suppliers of suppliers for demand shocks, buyers of buyers for supply shocks)",
        )
    };
    let mut figures = vec![
        Figure {
            name: "total change".into(),
            value: s["delta"].as_f64(),
            kind: Kind::Change,
            definition: format!("the change of the {what}, summed: direct effect plus ripple"),
        },
        Figure {
            name: "total change in percent".into(),
            value: s["delta_pct"].as_f64(),
            kind: Kind::Percent,
            definition: "the total change as a percentage of the baseline".into(),
        },
        Figure {
            name: "baseline".into(),
            value: s["baseline"].as_f64(),
            kind: Kind::Level,
            definition: format!("the {what} before the shock, summed"),
        },
        Figure {
            name: "direct effect".into(),
            value: s["direct"].as_f64(),
            kind: Kind::Change,
            definition: "the change where the shock lands (round 0), before anyone passes it on"
                .into(),
        },
        Figure {
            name: "ripple".into(),
            value: s["indirect"].as_f64(),
            kind: Kind::Change,
            definition: format!("the change {via}"),
        },
    ];
    if let Some(loss) = json["debtrank"]["systemic_loss"].as_f64() {
        figures.push(Figure {
            name: "systemic loss".into(),
            value: Some(loss),
            kind: Kind::Share,
            definition: "DebtRank's loss: the share of total trade lost through distress".into(),
        });
    }
    for (who, rows) in tariff_groups(json) {
        // Many sectors of one pair: their sums here, each sector in the direct-effect table.
        let sum = |k: &str| -> Option<f64> { rows.iter().map(|t| t[k].as_f64()).sum() };
        let of = if rows.len() > 1 {
            format!(
                " (summed over its {} sectors; each in the direct effect)",
                rows.len()
            )
        } else {
            String::new()
        };
        figures.extend([
            Figure {
                name: format!("{who}: trade creation"),
                value: sum("trade_creation"),
                kind: Kind::Change,
                definition: format!("imports lost because the taxed goods cost more (WITS-SMART, import-demand elasticity){of}"),
            },
            Figure {
                name: format!("{who}: trade diversion"),
                value: sum("trade_diversion"),
                kind: Kind::Level,
                definition: format!("imports moved from the taxed exporter to the other suppliers (substitution elasticity); the importer's total is unchanged by it{of}"),
            },
            Figure {
                name: format!("{who}: tariff revenue"),
                value: sum("revenue_change"),
                kind: Kind::Change,
                definition: format!("the change of the tariff collected on the imports that remain{of}"),
            },
            Figure {
                name: format!("{who}: welfare"),
                value: sum("welfare"),
                kind: Kind::Change,
                definition: format!("the importer's deadweight loss: the area under the import-demand curve between the old and new rate (negative: a loss){of}"),
            },
        ]);
    }
    let with_unit = |v: String| {
        if unit.is_empty() {
            v
        } else {
            format!("{v} {unit}")
        }
    };
    Table {
        title: String::new(),
        header: ["figure", "value", "exact", "definition"]
            .map(String::from)
            .to_vec(),
        rows: figures
            .into_iter()
            .map(|f| {
                let shown = match (f.value, f.kind) {
                    (None, _) => "-".into(),
                    (Some(v), Kind::Change) => with_unit(signed(v)),
                    (Some(v), Kind::Level) => with_unit(human(v)),
                    (Some(v), Kind::Percent) => pct_text(Some(v)),
                    (Some(v), Kind::Share) => format!("{:.4}%", v * 100.0),
                };
                vec![
                    f.name,
                    shown,
                    f.value.map_or("-".into(), fmt_value),
                    f.definition,
                ]
            })
            .collect(),
        right: vec![1, 2],
    }
}

/// The tariffs of the shock's JSON by importer and exporter, in order: one sector named by it
/// ("USA tariff on CAN C29"), more than three summed under the pair ("USA tariff on CAN,
/// 27 sectors"), a few listed apart.
fn tariff_groups(json: &Value) -> Vec<(String, Vec<&Value>)> {
    let text = |t: &Value, k: &str| t[k].as_str().unwrap_or("").to_string();
    let mut pairs: Vec<((String, String), Vec<&Value>)> = Vec::new();
    for t in json["tariffs"].as_array().into_iter().flatten() {
        let key = (text(t, "importer"), text(t, "exporter"));
        match pairs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(t),
            None => pairs.push((key, vec![t])),
        }
    }
    let mut out = Vec::new();
    for ((imp, exp), rows) in pairs {
        if rows.len() > 3 {
            out.push((
                format!("{imp} tariff on {exp}, {} sectors", rows.len()),
                rows,
            ));
            continue;
        }
        for t in rows {
            let sector = t["sector"]
                .as_str()
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            out.push((format!("{imp} tariff on {exp}{sector}"), vec![t]));
        }
    }
    out
}
