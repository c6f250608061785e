//! Everything `tradenet gvc` reports in one call: the decomposition of gross exports, trade in
//! value added, the Leontief indicators by node and upstreamness, as one serialisable
//! [`ValueAdded`].

use super::{
    gvc_on, leontief_nodes, trade_in_value_added, upstreamness, ExporterGvc, GvcParams, GvcSystem,
    Method, NodeShare, PartnerValueAdded, Position, Tiva,
};
use crate::error::{Error, Result};
use crate::model::TradeGraph;
use serde::Serialize;
use std::collections::BTreeMap;

/// Parameters of [`value_added`].
#[derive(Debug, Clone, Default)]
pub struct ValueAddedParams {
    /// The exporter (default every country) and the decomposition (default Leontief).
    pub gvc: GvcParams,
    /// Also the country x country trade in value added (V B Y). Default false.
    pub tiva: bool,
    /// Also the upstreamness and downstreamness of every node. Default false.
    pub upstreamness: bool,
    /// Net inventory change by node id, for upstreamness' correction. Default none.
    pub inventories: Option<BTreeMap<String, f64>>,
}

impl ValueAddedParams {
    /// Check the parameters without a graph ([`GvcParams::validate`]; inventories only with
    /// upstreamness, each finite).
    pub fn validate(&self) -> Result<()> {
        self.gvc.validate()?;
        if let Some(inv) = &self.inventories {
            if !self.upstreamness {
                return Err(Error::param(
                    "inventories",
                    "",
                    "correct upstreamness, which is not asked for",
                ));
            }
            if let Some((id, v)) = inv.iter().find(|(_, v)| !v.is_finite()) {
                return Err(Error::param(
                    format!("inventories[{}]", crate::text::clip(id)),
                    v,
                    "must be a finite number",
                ));
            }
        }
        Ok(())
    }

    /// Whether the value-added system is assembled on `g`: always, except for upstreamness
    /// alone on a graph whose final demand has no destinations (the decompositions need them;
    /// upstreamness does not).
    pub fn needs_system(&self, g: &TradeGraph) -> bool {
        g.final_demand_has_destinations() || !self.upstreamness
    }
}

/// One exporter's partners by value added and by gross exports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueAddedPartners {
    /// The exporter.
    pub country: String,
    /// Its value added absorbed abroad / gross exports.
    pub vax_ratio: Option<f64>,
    /// Partners by value added absorbed in their final demand, and by gross exports.
    pub partners: Vec<PartnerValueAdded>,
}

/// Everything [`value_added`] computes; the parts not computed are `None` (and absent from the
/// JSON, in this key order after the command line's `graph`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueAdded {
    /// The decomposition.
    pub method: Method,
    /// With an exporter: its partners by value added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_added_partners: Option<ValueAddedPartners>,
    /// Method Leontief: i2e, e2r, nrca of every node (the exporter's only, with one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leontief_nodes: Option<Vec<NodeShare>>,
    /// With `tiva`: trade in value added between every pair of countries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiva: Option<Tiva>,
    /// Every exporter's decomposition (the one asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exporters: Option<Vec<ExporterGvc>>,
    /// Statements about what was and was not computed in the decomposition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
    /// With upstreamness: whether the net-inventory correction was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory_correction: Option<bool>,
    /// With upstreamness: every node's position, in graph order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<Position>>,
    /// Nodes and countries of the system, when it was assembled.
    #[serde(skip)]
    pub system: Option<(usize, usize)>,
    /// Trade in value added, whenever the system was assembled (for each exporter's VAX ratio).
    #[serde(skip)]
    pub trade: Option<Tiva>,
}

impl ValueAdded {
    /// The VAX ratio of country `c` (value added absorbed abroad / gross exports).
    pub fn vax_ratio(&self, c: &str) -> Option<f64> {
        let t = self.trade.as_ref()?;
        let k = t.countries.iter().position(|x| x == c)?;
        t.vax_ratio[k]
    }
}

/// Value added in the trade of `g` as `p` asks: [`gvc`](super::gvc) with trade in value added,
/// the Leontief indicators by node (method Leontief) and [`upstreamness`] (see
/// [`value_added_on`]).
///
/// Errors: those of [`ValueAddedParams::validate`], [`GvcSystem::from_graph`], [`gvc_on`] and
/// [`upstreamness`].
///
/// ```
/// use tradenet::analysis::gvc::{value_added, ValueAddedParams};
/// use tradenet::io::iocsv::read_files;
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let p = ValueAddedParams { tiva: true, upstreamness: true, ..Default::default() };
/// let out = value_added(&g, &p).unwrap();
/// assert_eq!(out.exporters.as_ref().unwrap().len(), 2);
/// assert!(out.vax_ratio("A").unwrap() > 0.0 && out.tiva.is_some());
/// assert_eq!(out.nodes.as_ref().unwrap().len(), 2);
/// ```
pub fn value_added(g: &TradeGraph, p: &ValueAddedParams) -> Result<ValueAdded> {
    p.validate()?;
    if let Some(c) = &p.gvc.exporter {
        g.require_country(c)?;
    }
    let sys = if p.needs_system(g) {
        Some(GvcSystem::from_graph(g)?)
    } else {
        None
    };
    value_added_on(g, sys.as_ref(), p)
}

/// [`value_added`] with the system already assembled (`None` when
/// [`ValueAddedParams::needs_system`] is false: upstreamness alone).
///
/// ```
/// use tradenet::analysis::gvc::{value_added_on, GvcSystem, ValueAddedParams};
/// use tradenet::io::iocsv::read_files;
/// // Two countries, one industry each.
/// let files = vec![
///     ("z.csv".to_string(), b"from,to,value\nA:x,A:x,10\nA:x,B:x,20\nB:x,A:x,5\n".to_vec()),
///     ("y.csv".to_string(), b"from,to_country,value\nA:x,A,50\nA:x,B,20\nB:x,B,95\n".to_vec()),
///     ("o.csv".to_string(), b"node,country,sector,gross_output\nA:x,A,x,100\nB:x,B,x,100\n".to_vec()),
/// ];
/// let g = read_files("two", files).unwrap();
/// let sys = GvcSystem::from_graph(&g).unwrap();
/// let out = value_added_on(&g, Some(&sys), &ValueAddedParams::default()).unwrap();
/// assert_eq!(out.system, Some((2, 2)));
/// assert!(out.leontief_nodes.is_some() && out.nodes.is_none());
/// ```
pub fn value_added_on(
    g: &TradeGraph,
    sys: Option<&GvcSystem>,
    p: &ValueAddedParams,
) -> Result<ValueAdded> {
    p.validate()?;
    let mut out = ValueAdded {
        method: p.gvc.method,
        value_added_partners: None,
        leontief_nodes: None,
        tiva: None,
        exporters: None,
        notes: None,
        inventory_correction: None,
        nodes: None,
        system: None,
        trade: None,
    };
    if let Some(sys) = sys {
        let res = gvc_on(sys, &p.gvc)?;
        out.system = Some((sys.len(), sys.countries.len()));
        let trade = trade_in_value_added(sys);
        if let Some(c) = &p.gvc.exporter {
            let k = sys.country_index(c).expect("a country of the system");
            out.value_added_partners = Some(ValueAddedPartners {
                country: c.clone(),
                vax_ratio: trade.vax_ratio[k],
                partners: trade.partners(c).expect("a country of the system"),
            });
        }
        if p.gvc.method == Method::Leontief {
            let mut nodes = leontief_nodes(sys).nodes;
            nodes.retain(|n| p.gvc.exporter.as_ref().is_none_or(|c| *c == n.country));
            out.leontief_nodes = Some(nodes);
        }
        if p.tiva {
            out.tiva = Some(trade.clone());
        }
        out.trade = Some(trade);
        out.exporters = Some(res.exporters);
        out.notes = Some(res.notes);
    }
    if p.upstreamness {
        let u = upstreamness(
            g,
            &super::UpstreamParams {
                inventories: p.inventories.clone(),
            },
        )?;
        out.inventory_correction = Some(u.inventory_correction);
        out.nodes = Some(u.nodes);
    }
    Ok(out)
}
