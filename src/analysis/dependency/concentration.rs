//! Partner shares and concentration (MODELS.md §3): each country's exports and imports by
//! partner, their HHI and the partners that make up most of them.
//!
//! Trade indicators are computed on the graph seen as countries ([`TradeGraph::countries`]):
//! for an input-output graph that is intermediate plus final sales abroad.

use super::DependencyParams;
use crate::error::{Error, Result};
use crate::model::{NodeIx, SectorId, TradeGraph};
use crate::text::clip;
use serde::{Serialize, Serializer};

/// Concentration of one country's trade in one direction (exports or imports).
#[derive(Debug, Clone, PartialEq)]
pub struct Concentration {
    /// Total value.
    pub total: f64,
    /// Partners with a positive flow.
    pub partners: usize,
    /// The largest partner (ties by id).
    pub top_partner: Option<String>,
    /// Its share of the total.
    pub top_share: Option<f64>,
    /// Herfindahl-Hirschman index: the sum of squared partner shares; `None` without trade.
    pub hhi: Option<f64>,
    /// Normalised HHI* = (HHI - 1/N) / (1 - 1/N); `None` for fewer than two partners.
    pub hhi_norm: Option<f64>,
    /// Fewest partners whose shares reach the coverage (80% by default); `None` without trade.
    pub partners_to_cover: Option<usize>,
    /// Share of the total that goes to (or comes from) aggregate partners (rest of the world,
    /// pseudo-areas), left out of the HHI, the top partner, N and the coverage count.
    pub aggregate_share: f64,
    /// The HHI with each aggregate partner counted as one partner (an upper bound); `None`
    /// when there is no aggregate partner.
    pub hhi_upper: Option<f64>,
}

/// Partner shares, concentration and (optionally) the link to one partner, for one country.
///
/// Serialised flat, as one row of the `countries` of the command line's JSON: `id`, `name`,
/// `exports`, `imports`, `top_export_partner`, `top_export_share`, `export_hhi`, ... and, with
/// a partner, `partner`, `exports_to_partner`, ... (absent without one).
#[derive(Debug, Clone, PartialEq)]
pub struct CountryDependency {
    /// Country id.
    pub id: String,
    /// Readable name, if the graph has one.
    pub name: Option<String>,
    /// Exports: shares of destinations.
    pub exports: Concentration,
    /// Imports: shares of origins.
    pub imports: Concentration,
    /// Output (or GDP) when the graph has it: output if given, else GDP.
    pub output: Option<f64>,
    /// The link to the partner asked for.
    pub partner: Option<PartnerLink>,
}

/// One country's trade with one partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerLink {
    /// The partner.
    pub partner: String,
    /// Exports to the partner.
    #[serde(rename = "exports_to_partner")]
    pub exports_to: f64,
    /// Imports from the partner.
    #[serde(rename = "imports_from_partner")]
    pub imports_from: f64,
    /// exports_to / exports.
    #[serde(rename = "export_share_to_partner")]
    pub export_share: Option<f64>,
    /// imports_from / imports.
    #[serde(rename = "import_share_from_partner")]
    pub import_share: Option<f64>,
    /// exports_to / output (or GDP), MODELS.md §3 "exposure of i to j"; `None` without output.
    #[serde(rename = "exposure_to_partner")]
    pub exposure: Option<f64>,
}

/// A partner and its share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerShare {
    /// Partner id.
    pub id: String,
    /// Value traded with it.
    pub value: f64,
    /// Share of the country's total in that direction.
    pub share: f64,
    /// The partner is an aggregate of economies (rest of the world, a pseudo-area).
    pub aggregate: bool,
}

/// A partner as concentration sees it: id, value, and whether it is an aggregate of
/// economies ([`crate::model::Node::is_aggregate`]).
type Part = (String, f64, bool);

/// HHI, normalised HHI, top partner and coverage of a list of partners (MODELS.md §3).
///
/// Aggregate partners (rest of the world, pseudo-areas) are economies of unknown make-up: their
/// value stays in the total, so every share is a share of all trade, but they add nothing to
/// the sum of squared shares (the HHI is the lower bound, as if the aggregate were many small
/// partners; `hhi_upper` counts each aggregate as one partner), and they are never the top
/// partner nor counted in N or in the partners to cover (the fewest identified partners
/// reaching `coverage` of the trade with identified partners). The normalised HHI is that of
/// the identified partners' shares of the trade with identified partners, in [0, 1].
fn concentrate(mut parts: Vec<Part>, coverage: f64) -> (Concentration, Vec<PartnerShare>) {
    parts.retain(|(_, v, _)| *v > 0.0);
    parts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: f64 = parts.iter().map(|(_, v, _)| v).sum();
    if parts.is_empty() || total <= 0.0 {
        let c = Concentration {
            total: 0.0,
            partners: 0,
            top_partner: None,
            top_share: None,
            hhi: None,
            hhi_norm: None,
            partners_to_cover: None,
            aggregate_share: 0.0,
            hhi_upper: None,
        };
        return (c, Vec::new());
    }
    let shares: Vec<PartnerShare> = parts
        .into_iter()
        .map(|(id, value, aggregate)| PartnerShare {
            share: value / total,
            id,
            value,
            aggregate,
        })
        .collect();
    let known: Vec<&PartnerShare> = shares.iter().filter(|p| !p.aggregate).collect();
    let aggregate_share: f64 = shares.iter().filter(|p| p.aggregate).map(|p| p.share).sum();
    let hhi: f64 = known.iter().map(|p| p.share * p.share).sum();
    let hhi_upper: f64 = shares.iter().map(|p| p.share * p.share).sum();
    let n = known.len();
    let known_total: f64 = known.iter().map(|p| p.value).sum();
    // Normalised over the identified partners' shares of the trade with identified partners
    // (the HHI above divided by their part squared: the same without aggregates), so that it
    // stays in [0, 1]: with N partners the least it can be is 1/N of that trade.
    let hhi_norm = (n > 1).then(|| {
        let inv = 1.0 / n as f64;
        let part = known_total / total;
        (hhi / (part * part) - inv) / (1.0 - inv)
    });
    let mut cover = n;
    let mut acc = 0.0;
    for (k, p) in known.iter().enumerate() {
        acc += p.value;
        // A relative epsilon keeps an exact 80% from being missed by rounding.
        if acc >= coverage * known_total * (1.0 - 1e-12) {
            cover = k + 1;
            break;
        }
    }
    let c = Concentration {
        total,
        partners: n,
        top_partner: known.first().map(|p| p.id.clone()),
        top_share: known.first().map(|p| p.share),
        hhi: (n > 0).then_some(hhi),
        hhi_norm,
        partners_to_cover: (n > 0).then_some(cover),
        aggregate_share,
        hhi_upper: (aggregate_share > 0.0).then_some(hhi_upper),
    };
    (c, shares)
}

/// The graph as trade between countries, restricted to `sectors`.
fn trade_view(g: &TradeGraph, sectors: Option<&[SectorId]>) -> TradeGraph {
    let layer;
    let g = match sectors {
        Some(s) => {
            layer = g.sector_layer(s);
            &layer
        }
        None => g,
    };
    g.countries()
}

/// Per-country value by partner, in both directions: (exports\[i\] = [(j, v)], imports[j] = [(i, v)]).
type ByPartner = (Vec<Vec<(usize, f64)>>, Vec<Vec<(usize, f64)>>);

fn by_partner(t: &TradeGraph) -> ByPartner {
    let n = t.node_count();
    let mut ex: Vec<crate::model::FastMap<usize, f64>> = vec![Default::default(); n];
    let mut im: Vec<crate::model::FastMap<usize, f64>> = vec![Default::default(); n];
    for (a, b, f) in t.flows() {
        if a == b {
            continue;
        }
        *ex[a.index()].entry(b.index()).or_insert(0.0) += f.value;
        *im[b.index()].entry(a.index()).or_insert(0.0) += f.value;
    }
    let flat = |v: Vec<crate::model::FastMap<usize, f64>>| -> Vec<Vec<(usize, f64)>> {
        v.into_iter()
            .map(|m| {
                let mut l: Vec<(usize, f64)> = m.into_iter().collect();
                l.sort_by_key(|p| p.0);
                l
            })
            .collect()
    };
    (flat(ex), flat(im))
}

/// Partner shares and concentration of every country's exports and imports (MODELS.md §3).
///
/// Export share e\[i,j\] = f\[i,j\] / s_out(i), import share m\[i,j\] = f\[i,j\] / s_in(j); HHI = sum
/// of squared shares; HHI* = (HHI - 1/N) / (1 - 1/N) over N partners (undefined for N = 1);
/// the fewest partners reaching `coverage` of the total. With `partner`, each country's
/// exports to and imports from it, their shares, and exports to it relative to the country's
/// output (or GDP) where the graph gives one. Rows sorted by exports, descending, ties by id.
///
/// Errors: an unknown partner or sector (with the closest id); a partner without trade in the
/// sectors asked for ([`Error::Unsuited`]). Complexity O(m log m).
///
/// ```
/// use tradenet::analysis::{dependencies, DependencyParams};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,value\nCAN,USA,75\nCAN,MEX,25\nUSA,CAN,10\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let rows = dependencies(&g, &DependencyParams::default()).unwrap();
/// let can = rows.iter().find(|r| r.id == "CAN").unwrap();
/// assert_eq!(can.exports.top_partner.as_deref(), Some("USA"));
/// assert_eq!(can.exports.hhi, Some(0.75 * 0.75 + 0.25 * 0.25));
/// assert_eq!(can.exports.hhi_norm, Some((0.625 - 0.5) / 0.5));
/// ```
pub fn dependencies(g: &TradeGraph, p: &DependencyParams) -> Result<Vec<CountryDependency>> {
    let sectors = p.sector_ids(g)?;
    let t = trade_view(g, sectors.as_deref());
    let partner_ix = match &p.partner {
        Some(id) => {
            g.require_country(id)?;
            Some(t.node_index(id).ok_or_else(|| {
                Error::Unsuited(format!("'{}' has no trade in this view", clip(id)))
            })?)
        }
        None => None,
    };
    let (ex, im) = by_partner(&t);
    let id_of = |i: usize| t.node(NodeIx::new(i)).id.to_string();
    let part = |(j, v): &(usize, f64)| {
        let n = t.node(NodeIx::new(*j));
        (n.id.to_string(), *v, n.is_aggregate())
    };
    // Each country's nodes in g, found once (not a pass over every node per country).
    let of_country = g.nodes_by_country();
    let mut rows = Vec::with_capacity(t.node_count());
    for i in 0..t.node_count() {
        let node = t.node(NodeIx::new(i));
        let (exports, _) = concentrate(ex[i].iter().map(part).collect(), p.coverage);
        let (imports, _) = concentrate(im[i].iter().map(part).collect(), p.coverage);
        let nodes = of_country.get(&*node.id).map_or(&[][..], Vec::as_slice);
        let output = country_output(g, nodes);
        let partner = partner_ix.map(|pj| {
            let pj = pj.index();
            let exports_to = ex[i].iter().find(|&&(j, _)| j == pj).map_or(0.0, |p| p.1);
            let imports_from = im[i].iter().find(|&&(j, _)| j == pj).map_or(0.0, |p| p.1);
            PartnerLink {
                partner: id_of(pj),
                exports_to,
                imports_from,
                export_share: (exports.total > 0.0).then(|| exports_to / exports.total),
                import_share: (imports.total > 0.0).then(|| imports_from / imports.total),
                exposure: output.filter(|&o| o > 0.0).map(|o| exports_to / o),
            }
        });
        rows.push(CountryDependency {
            id: node.id.to_string(),
            name: nodes.first().and_then(|&ix| g.country_name_of(ix)),
            exports,
            imports,
            output,
            partner,
        });
    }
    rows.sort_by(|a, b| {
        b.exports
            .total
            .total_cmp(&a.exports.total)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(rows)
}

/// One country's partners by share, exports and imports, largest first (ties by id), in
/// `sectors` (all when `None`).
///
/// Errors: an unknown country. A country without trade in the view has no partners.
///
/// ```
/// use tradenet::analysis::partner_shares;
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,value\nCAN,USA,75\nCAN,MEX,25\nUSA,CAN,10\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let (exports, imports) = partner_shares(&g, "CAN", None).unwrap();
/// assert_eq!((exports[0].id.as_str(), exports[0].share), ("USA", 0.75));
/// assert_eq!(imports.len(), 1);
/// ```
pub fn partner_shares(
    g: &TradeGraph,
    country: &str,
    sectors: Option<&[SectorId]>,
) -> Result<(Vec<PartnerShare>, Vec<PartnerShare>)> {
    g.require_country(country)?;
    let t = trade_view(g, sectors);
    let Some(c) = t.node_index(country) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let (ex, im) = by_partner(&t);
    let part = |(j, v): &(usize, f64)| {
        let n = t.node(NodeIx::new(*j));
        (n.id.to_string(), *v, n.is_aggregate())
    };
    let (_, e) = concentrate(ex[c.index()].iter().map(part).collect(), 0.8);
    let (_, m) = concentrate(im[c.index()].iter().map(part).collect(), 0.8);
    Ok((e, m))
}

/// Output of a country (its `nodes`): the sum of their output, else their GDP.
fn country_output(g: &TradeGraph, nodes: &[NodeIx]) -> Option<f64> {
    let sum = |f: &dyn Fn(NodeIx) -> Option<f64>| -> Option<f64> {
        let v: Vec<f64> = nodes.iter().filter_map(|&i| f(i)).collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    sum(&|i| g.node(i).output()).or_else(|| sum(&|i| g.node(i).gdp()))
}

/// [`dependencies`] for every year of a multi-year file, years ascending.
///
/// Errors: a graph without years ([`Error::Param`] `by_year`), and those of [`dependencies`].
///
/// ```
/// use tradenet::analysis::{dependencies_by_year, DependencyParams};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,value,year\nCAN,USA,75,2000\nCAN,MEX,25,2001\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let years = dependencies_by_year(&g, &DependencyParams::default()).unwrap();
/// assert_eq!(years.iter().map(|(y, _)| *y).collect::<Vec<_>>(), [2000, 2001]);
/// let can_2001 = years[1].1.iter().find(|r| r.id == "CAN").unwrap();
/// assert_eq!(can_2001.exports.top_partner.as_deref(), Some("MEX"));
/// ```
pub fn dependencies_by_year(
    g: &TradeGraph,
    p: &DependencyParams,
) -> Result<Vec<(u16, Vec<CountryDependency>)>> {
    let years = g.years();
    if years.is_empty() {
        return Err(Error::param(
            "by_year",
            "",
            "needs a multi-year file (flows with a \"year\")",
        ));
    }
    years
        .into_iter()
        .map(|y| Ok((y, dependencies(&g.year(y)?, p)?)))
        .collect()
}

/// The flat JSON row of a [`CountryDependency`] (with its year in a by-year list).
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    name: &'a Option<String>,
    exports: f64,
    imports: f64,
    top_export_partner: &'a Option<String>,
    top_export_share: Option<f64>,
    export_hhi: Option<f64>,
    export_hhi_norm: Option<f64>,
    export_partners: usize,
    export_partners_to_cover: Option<usize>,
    top_import_partner: &'a Option<String>,
    top_import_share: Option<f64>,
    import_hhi: Option<f64>,
    import_hhi_norm: Option<f64>,
    import_partners: usize,
    import_partners_to_cover: Option<usize>,
    export_aggregate_share: f64,
    export_hhi_upper: Option<f64>,
    import_aggregate_share: f64,
    import_hhi_upper: Option<f64>,
    output: Option<f64>,
    #[serde(flatten)]
    partner: &'a Option<PartnerLink>,
}

impl CountryDependency {
    fn row(&self, year: Option<u16>) -> Row<'_> {
        let (e, m) = (&self.exports, &self.imports);
        Row {
            id: &self.id,
            year,
            name: &self.name,
            exports: e.total,
            imports: m.total,
            top_export_partner: &e.top_partner,
            top_export_share: e.top_share,
            export_hhi: e.hhi,
            export_hhi_norm: e.hhi_norm,
            export_partners: e.partners,
            export_partners_to_cover: e.partners_to_cover,
            top_import_partner: &m.top_partner,
            top_import_share: m.top_share,
            import_hhi: m.hhi,
            import_hhi_norm: m.hhi_norm,
            import_partners: m.partners,
            import_partners_to_cover: m.partners_to_cover,
            export_aggregate_share: e.aggregate_share,
            export_hhi_upper: e.hhi_upper,
            import_aggregate_share: m.aggregate_share,
            import_hhi_upper: m.hhi_upper,
            output: self.output,
            partner: &self.partner,
        }
    }
}

impl Serialize for CountryDependency {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.row(None).serialize(s)
    }
}

/// Years of country rows as one flat list, each row with its `year` after the `id`.
pub(crate) fn year_rows<S: Serializer>(
    years: &Option<Vec<(u16, Vec<CountryDependency>)>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let rows = years
        .iter()
        .flatten()
        .flat_map(|(y, rows)| rows.iter().map(move |r| r.row(Some(*y))));
    s.collect_seq(rows)
}
