//! `tradenet shock --value-added`: whose value added the taxed flows carry.

use super::output::{human, Table};
use tradenet::analysis::gvc::Origin;
use tradenet::analysis::TaxedValueAdded;

/// How much of the taxed flows' value added is created abroad.
pub fn summary_line(c: &TaxedValueAdded) -> String {
    format!(
        "value added in the taxed flows ({}): {} ({:.1}%) created outside {}, traced through every tier of suppliers (B = (I - A)^-1)",
        human(c.carried.sales),
        human(c.abroad),
        100.0 * c.abroad_share,
        c.sellers.join(", ")
    )
}

/// The origins by country and by country-sector (`top` rows each).
pub fn tables(c: &TaxedValueAdded, top: usize) -> Vec<Table> {
    let rows = |list: &[Origin]| -> Vec<Vec<String>> {
        list.iter()
            .take(top)
            .map(|o| {
                vec![
                    o.id.clone(),
                    human(o.value),
                    format!("{:.2}%", 100.0 * o.share),
                ]
            })
            .collect()
    };
    let header = |first: &str| vec![first.to_string(), "value added".into(), "share".into()];
    let c = &c.carried;
    vec![
        Table {
            title: "Whose value added the taxed flows carry, by country".into(),
            header: header("country"),
            rows: rows(&c.countries),
            right: vec![1, 2],
        },
        Table {
            title: format!(
                "... by country-sector ({} of {})",
                c.nodes.len().min(top),
                c.nodes.len()
            ),
            header: header("node"),
            rows: rows(&c.nodes),
            right: vec![1, 2],
        },
    ]
}
