//! Whose value added the flows a tariff taxes carry (`shock --value-added`): the taxed
//! flows' baseline value, by selling node, traced through every tier of suppliers.

use super::results::{FlowCause, ShockResult};
use crate::analysis::gvc::{value_added_carried, Carried};
use crate::error::{Error, Result};
use crate::model::{GraphKind, TradeGraph};

/// The value added inside the flows a tariff of a shock taxes.
#[derive(Debug, Clone, PartialEq)]
pub struct TaxedValueAdded {
    /// The value added by origin country and node ([`value_added_carried`]).
    pub carried: Carried,
    /// The taxed exporters' countries, by id.
    pub sellers: Vec<String>,
    /// Value added created outside the sellers' countries.
    pub abroad: f64,
    /// Its share of the total.
    pub abroad_share: f64,
}

/// Trace the flows whose tariff `r` changes (their baseline value, by the selling node of
/// `g`) to the value added that makes them: by origin country and node (B = (I - A)^-1).
///
/// Errors: a graph that is not an input-output graph, or a result that taxes no flow
/// ([`Error::Unsuited`]); those of [`value_added_carried`].
///
/// ```
/// use tradenet::analysis::{parse_tariff, shock, taxed_value_added, Scenario, Shock, ShockParams};
/// let g = tradenet::bundled::default_graph().unwrap();
/// let s = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN:C29=25%").unwrap())]);
/// let r = shock(&g, &s, &ShockParams::default()).unwrap();
/// let v = taxed_value_added(&g, &r).unwrap();
/// assert_eq!(v.sellers, ["CAN"]);
/// assert!(v.abroad_share > 0.0 && v.abroad_share < 1.0);
/// ```
pub fn taxed_value_added(g: &TradeGraph, r: &ShockResult) -> Result<TaxedValueAdded> {
    if g.kind() != GraphKind::InputOutput {
        return Err(Error::Unsuited(
            "tracing value added needs an input-output graph (country-sector nodes with output): value added is output less inputs".into(),
        ));
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
        return Err(Error::Unsuited(
            "tracing value added follows the flows a tariff taxes: this scenario taxes none (give a tariff)".into(),
        ));
    }
    let carried = value_added_carried(g, &w)?;
    let sellers: std::collections::BTreeSet<&str> = g
        .nodes()
        .enumerate()
        .filter(|(i, _)| w[*i] > 0.0)
        .map(|(_, n)| n.country_id())
        .collect();
    let abroad: Vec<_> = carried
        .countries
        .iter()
        .filter(|o| !sellers.contains(o.id.as_str()))
        .collect();
    Ok(TaxedValueAdded {
        abroad: abroad.iter().map(|o| o.value).sum(),
        abroad_share: abroad.iter().map(|o| o.share).sum(),
        sellers: sellers.into_iter().map(str::to_string).collect(),
        carried,
    })
}
