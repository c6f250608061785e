//! `tradenet shock --value-added`: whose value added the taxed flows carry.

use super::output::{human, Printed, Table};
use anyhow::{bail, Result};
use tradenet::analysis::gvc::value_added_carried;
use tradenet::analysis::{FlowCause, ShockResult};
use tradenet::TradeGraph;

/// Add to `rep` the value added inside the flows a tariff taxes (their baseline value, by the
/// selling node): by origin country and by origin node.
pub fn value_added_report(
    g: &TradeGraph,
    r: &ShockResult,
    top: usize,
    rep: &mut Printed,
) -> Result<()> {
    if g.kind() != tradenet::GraphKind::InputOutput {
        bail!("--value-added needs an input-output graph (country-sector nodes with output): value added is output less inputs");
    }
    let mut w = vec![0.0; g.node_count()];
    for f in &r.flows {
        let taxed =
            f.cause == FlowCause::Tariff && f.new_rate.is_some() && f.new_rate != f.old_rate;
        if !taxed {
            continue;
        }
        let Some(sector) = &f.sector else { continue };
        let node = g
            .nodes_of_country(&f.from)
            .into_iter()
            .find(|&i| g.node(i).sector.is_some_and(|s| &g.sector(s).id == sector));
        if let Some(i) = node {
            w[i.index()] += f.baseline;
        }
    }
    if w.iter().all(|&v| v == 0.0) {
        bail!("--value-added traces the flows a tariff taxes: this scenario taxes none (give --tariff)");
    }
    let c = value_added_carried(g, &w)?;
    // Value added from outside the taxed exporters' own countries.
    let sellers: std::collections::BTreeSet<&str> = g
        .nodes()
        .enumerate()
        .filter(|(i, _)| w[*i] > 0.0)
        .map(|(_, n)| n.country_id())
        .collect();
    let abroad: Vec<_> = c
        .countries
        .iter()
        .filter(|o| !sellers.contains(o.id.as_str()))
        .collect();
    rep.summary.push(format!(
        "value added in the taxed flows ({}): {} ({:.1}%) created outside {}, traced through every tier of suppliers (B = (I - A)^-1)",
        human(c.sales),
        human(abroad.iter().map(|o| o.value).sum::<f64>()),
        100.0 * abroad.iter().map(|o| o.share).sum::<f64>(),
        sellers.into_iter().collect::<Vec<_>>().join(", ")
    ));
    let rows = |list: &[tradenet::analysis::gvc::Origin]| -> Vec<Vec<String>> {
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
    rep.tables.push(Table {
        title: "Whose value added the taxed flows carry, by country".into(),
        header: ["country", "value added", "share"]
            .map(String::from)
            .to_vec(),
        rows: rows(&c.countries),
        right: vec![1, 2],
    });
    rep.tables.push(Table {
        title: format!(
            "... by country-sector ({} of {})",
            c.nodes.len().min(top),
            c.nodes.len()
        ),
        header: ["node", "value added", "share"].map(String::from).to_vec(),
        rows: rows(&c.nodes),
        right: vec![1, 2],
    });
    if let Some(obj) = rep.json.as_object_mut() {
        obj.insert("value_added".into(), serde_json::to_value(&c)?);
    }
    Ok(())
}
