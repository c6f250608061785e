//! Dependency and concentration (MODELS.md §3): who depends on whom, directly through partner
//! shares, and through supply chains by value-chain exposure.
//!
//! Trade indicators are computed on the graph seen as countries ([`TradeGraph::countries`]):
//! for an input-output graph that is intermediate plus final sales abroad.

use crate::error::{Error, Result};
use crate::model::{FinalDemand, GraphKind, NodeIx, SectorId, TradeGraph};
use crate::text::clip;
use nalgebra::DMatrix;

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
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerLink {
    /// The partner.
    pub partner: String,
    /// Exports to the partner.
    pub exports_to: f64,
    /// Imports from the partner.
    pub imports_from: f64,
    /// exports_to / exports.
    pub export_share: Option<f64>,
    /// imports_from / imports.
    pub import_share: Option<f64>,
    /// exports_to / output (or GDP), MODELS.md §3 "exposure of i to j"; `None` without output.
    pub exposure: Option<f64>,
}

/// A partner and its share.
#[derive(Debug, Clone, PartialEq)]
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

/// Parameters of [`dependencies`].
#[derive(Debug, Clone)]
pub struct DependencyParams {
    /// Only these sectors (a flow's sector, or its supplier's). Default: all.
    pub sectors: Option<Vec<SectorId>>,
    /// Also report each country's link to this partner. Default: none.
    pub partner: Option<String>,
    /// Share of the total that "partners to cover" must reach. Default 0.8.
    pub coverage: f64,
}

impl Default for DependencyParams {
    fn default() -> Self {
        DependencyParams {
            sectors: None,
            partner: None,
            coverage: 0.8,
        }
    }
}

/// Thresholds of the critical-dependency test (CEPII GeoDep after the EU 2021 method).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticalParams {
    /// (1) the importer's imports of the sector are concentrated: HHI above this. Default 0.4.
    pub import_hhi: f64,
    /// (2) world exports of the sector are concentrated: HHI by exporter above this. Default 0.4.
    pub world_hhi: f64,
    /// (3) the importer imports more than it exports of the sector: ratio above this. Default 1.
    pub ratio: f64,
}

impl CriticalParams {
    /// Check the thresholds: each HHI threshold a number in [0, 1], the ratio a finite number
    /// not below 0. Errors name the threshold ([`Error::Param`]); NaN is refused (every
    /// comparison with it is false, so nothing would ever be critical).
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("import_hhi", self.import_hhi),
            ("world_hhi", self.world_hhi),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::ParamText(format!(
                    "critical threshold {name} must be a number from 0 to 1 (an HHI), got {v}"
                )));
            }
        }
        if !(self.ratio.is_finite() && self.ratio >= 0.0) {
            return Err(Error::ParamText(format!(
                "critical threshold ratio (imports / exports) must be a finite number >= 0, got {}",
                self.ratio
            )));
        }
        Ok(())
    }
}

impl Default for CriticalParams {
    fn default() -> Self {
        CriticalParams {
            import_hhi: 0.4,
            world_hhi: 0.4,
            ratio: 1.0,
        }
    }
}

/// One importer's dependency on one sector, with the values behind each criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorDependency {
    /// Importer.
    pub importer: String,
    /// Sector code.
    pub sector: String,
    /// The importer's imports of the sector.
    pub imports: f64,
    /// The importer's exports of the sector.
    pub exports: f64,
    /// Its largest identified supplier of the sector (aggregates excluded) and its share.
    pub top_supplier: Option<(String, f64)>,
    /// Share of its imports of the sector that come from aggregate economies (rest of the
    /// world, pseudo-areas): in the totals, left out of both HHIs.
    pub aggregate_share: f64,
    /// (1) HHI of the importer's imports of the sector by supplier.
    pub import_hhi: f64,
    /// (2) HHI of world exports of the sector by exporter.
    pub world_hhi: f64,
    /// (3) imports / exports (infinite without exports).
    pub ratio: f64,
    /// Which of (1), (2), (3) hold.
    pub criteria: [bool; 3],
    /// All three hold.
    pub critical: bool,
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
/// reaching `coverage` of the trade with identified partners).
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
    let hhi_norm = (n > 1).then(|| {
        let inv = 1.0 / n as f64;
        (hhi - inv) / (1.0 - inv)
    });
    let known_total: f64 = known.iter().map(|p| p.value).sum();
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
/// Errors: an unknown partner (with the closest country). Complexity O(m log m).
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
    let t = trade_view(g, p.sectors.as_deref());
    let partner_ix = match &p.partner {
        Some(id) => {
            g.require_country(id)?;
            Some(t.node_index(id).ok_or_else(|| {
                Error::ParamText(format!("'{}' has no trade in this view", clip(id)))
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

/// One country's partners by share, exports and imports, largest first (ties by id).
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

/// Critical dependencies of every importer on every sector (MODELS.md §3): all three of (1)
/// HHI of its imports of the sector > `import_hhi`, (2) HHI of world exports of the sector by
/// exporter > `world_hhi`, (3) its imports / exports of the sector > `ratio` (no exports:
/// infinite). Every (importer, sector) with imports is returned with the values behind each
/// criterion; rows sorted critical first, then by imports, descending, then by id.
///
/// Input-output graphs are seen as countries first. Flows without a sector form no sector.
/// Aggregate economies ([`crate::model::Node::is_aggregate`]: rest of the world, pseudo-areas)
/// are not importers here, and add nothing to either HHI (their value stays in the totals).
/// Complexity O(m log m).
pub fn critical_dependencies(g: &TradeGraph, p: &CriticalParams) -> Vec<SectorDependency> {
    let t = g.countries();
    let n = t.node_count();
    let ns = t.sectors().len();
    let aggregate: Vec<bool> = t.nodes().map(|x| x.is_aggregate()).collect();
    // value[sector][(from, to)] summed.
    let mut by_sector: Vec<crate::model::FastMap<(usize, usize), f64>> =
        vec![Default::default(); ns];
    for (a, b, f) in t.flows() {
        if let Some(s) = t.flow_sector(a, f) {
            if a != b {
                *by_sector[s.index()]
                    .entry((a.index(), b.index()))
                    .or_insert(0.0) += f.value;
            }
        }
    }
    let mut out = Vec::new();
    for (s, flows) in by_sector.iter().enumerate() {
        if flows.is_empty() {
            continue;
        }
        let mut exports = vec![0.0; n];
        let mut imports = vec![0.0; n];
        let mut suppliers: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for (&(a, b), &v) in flows {
            exports[a] += v;
            imports[b] += v;
            suppliers[b].push((a, v));
        }
        // Aggregate economies (rest of the world, pseudo-areas) stay in every total but add
        // nothing to a sum of squared shares, and are neither importers nor top suppliers here.
        let world: f64 = exports.iter().sum();
        let world_hhi: f64 = (0..n)
            .filter(|&a| !aggregate[a])
            .map(|a| (exports[a] / world).powi(2))
            .sum();
        for j in 0..n {
            if imports[j] <= 0.0 || aggregate[j] {
                continue;
            }
            let sup = &mut suppliers[j];
            sup.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            let import_hhi: f64 = sup
                .iter()
                .filter(|(a, _)| !aggregate[*a])
                .map(|(_, v)| (v / imports[j]).powi(2))
                .sum();
            let aggregate_share: f64 = sup
                .iter()
                .filter(|(a, _)| aggregate[*a])
                .map(|(_, v)| v / imports[j])
                .sum();
            let ratio = if exports[j] > 0.0 {
                imports[j] / exports[j]
            } else {
                f64::INFINITY
            };
            let criteria = [
                import_hhi > p.import_hhi,
                world_hhi > p.world_hhi,
                ratio > p.ratio,
            ];
            out.push(SectorDependency {
                importer: t.node(NodeIx::new(j)).id.to_string(),
                sector: t.sectors()[s].id.clone(),
                imports: imports[j],
                exports: exports[j],
                top_supplier: sup
                    .iter()
                    .find(|(a, _)| !aggregate[*a])
                    .map(|&(a, v)| (t.node(NodeIx::new(a)).id.to_string(), v / imports[j])),
                aggregate_share,
                import_hhi,
                world_hhi,
                ratio,
                criteria,
                critical: criteria.iter().all(|&c| c),
            });
        }
    }
    out.sort_by(|a, b| {
        b.critical
            .cmp(&a.critical)
            .then_with(|| b.imports.total_cmp(&a.imports))
            .then_with(|| a.importer.cmp(&b.importer))
            .then_with(|| a.sector.cmp(&b.sector))
    });
    out
}

/// Value-chain exposure of every country to every country's final demand (MODELS.md §3).
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureMatrix {
    /// Producing countries (rows), sorted.
    pub producers: Vec<String>,
    /// Countries whose final demand is followed (columns), sorted.
    pub destinations: Vec<String>,
    /// `exposure[a][b]`: share of country a's gross output that exists because of country b's
    /// final demand, directly and through every supply chain.
    pub exposure: Vec<Vec<f64>>,
    /// Each producer's gross output (the denominator).
    pub output: Vec<f64>,
}

impl ExposureMatrix {
    /// The exposure of `producer` to `destination`'s final demand.
    pub fn get(&self, producer: &str, destination: &str) -> Option<f64> {
        let a = self.producers.iter().position(|p| p == producer)?;
        let b = self.destinations.iter().position(|d| d == destination)?;
        Some(self.exposure[a][b])
    }
}

/// Value-chain exposure on an input-output graph: for every destination country b, solve
/// (I - A) x_b = y_b, where A = Z diag(x)^-1 (a column with x_j = 0 is all zero) and y_b\[i\] is
/// b's final demand for node i's output; the exposure of country a to b is the sum of x_b over
/// a's nodes divided by the sum of x over them. (I - A) is factorised once (LU with partial
/// pivoting) and the factors reused for every destination.
///
/// Errors: not an input-output graph; a node without output or final demand by destination;
/// a column of A summing to 1 or more (named), which makes (I - A) singular or its inverse
/// negative. Complexity O(n^3) for the factorisation (n country-sector nodes) plus O(n^2) per
/// destination.
pub fn value_chain_exposure(g: &TradeGraph) -> Result<ExposureMatrix> {
    if g.kind() != GraphKind::InputOutput {
        return Err(Error::ParamText(
            "value-chain exposure needs an input-output graph (country-sector nodes with output and final demand)".into(),
        ));
    }
    let n = g.node_count();
    let mut x = vec![0.0; n];
    for (i, node) in g.nodes().enumerate() {
        x[i] = node
            .output()
            .ok_or_else(|| Error::ParamText(format!("node '{}' has no output", clip(&node.id))))?;
    }
    // A = Z diag(x)^-1, dense (input-output systems are a few thousand nodes): refused
    // before it is made when it would not fit (A and its LU factors share the storage; the
    // final demand and the answer are n x countries).
    let countries = g.country_ids().len() as u64;
    let nn = n as u64;
    crate::budget::check(
        (nn.saturating_mul(nn) + 2 * nn.saturating_mul(countries)).saturating_mul(8),
        || format!("value-chain exposure (a dense {n} x {n} Leontief system)"),
    )?;
    let mut a = DMatrix::<f64>::zeros(n, n);
    for (i, j, f) in g.flows() {
        let (i, j) = (i.index(), j.index());
        if x[j] > 0.0 {
            a[(i, j)] += f.value / x[j];
        }
    }
    for j in 0..n {
        let col: f64 = a.column(j).iter().sum();
        if col >= 1.0 {
            return Err(Error::Numeric(format!(
                "column of A for node '{}' sums to {col:.4} (>= 1): its inputs exceed its output, so (I - A) cannot be inverted",
                clip(&g.node(NodeIx::new(j)).id)
            )));
        }
    }
    let producers: Vec<String> = g.country_ids().into_iter().map(str::to_string).collect();
    // Producers and every final-demand destination, once each (a set: a list search per
    // entry was quadratic in the number of destinations).
    let mut seen: std::collections::BTreeSet<&str> = producers.iter().map(String::as_str).collect();
    for node in g.nodes() {
        match node.final_demand() {
            Some(FinalDemand::ByDestination(d)) => {
                for (k, _) in d {
                    seen.insert(k.as_str());
                }
            }
            Some(FinalDemand::Total(_)) => {
                return Err(Error::ParamText(format!(
                    "node '{}' gives final demand as one number; value-chain exposure needs it by destination country",
                    clip(&node.id)
                )))
            }
            None => {}
        }
    }
    let destinations: Vec<String> = seen.into_iter().map(str::to_string).collect();
    let m = destinations.len();
    let dest_ix: crate::model::FastMap<&str, usize> = destinations
        .iter()
        .enumerate()
        .map(|(k, d)| (d.as_str(), k))
        .collect();
    let mut y = DMatrix::<f64>::zeros(n, m);
    for (i, node) in g.nodes().enumerate() {
        if let Some(FinalDemand::ByDestination(d)) = node.final_demand() {
            for (k, v) in d {
                y[(i, dest_ix[k.as_str()])] += v;
            }
        }
    }
    let mut i_minus_a = -a;
    for i in 0..n {
        i_minus_a[(i, i)] += 1.0;
    }
    let lu = i_minus_a.lu();
    let xs = lu
        .solve(&y)
        .ok_or_else(|| Error::Numeric("(I - A) is singular".into()))?;
    let prod_ix: crate::model::FastMap<&str, usize> = producers
        .iter()
        .enumerate()
        .map(|(k, p)| (p.as_str(), k))
        .collect();
    let mut num = vec![vec![0.0; m]; producers.len()];
    let mut den = vec![0.0; producers.len()];
    for (i, node) in g.nodes().enumerate() {
        let a = prod_ix[node.country_id()];
        den[a] += x[i];
        for b in 0..m {
            num[a][b] += xs[(i, b)];
        }
    }
    let exposure = num
        .iter()
        .zip(&den)
        .map(|(row, &d)| {
            row.iter()
                .map(|v| if d > 0.0 { v / d } else { 0.0 })
                .collect()
        })
        .collect();
    Ok(ExposureMatrix {
        producers,
        destinations,
        exposure,
        output: den,
    })
}

/// [`dependencies`] for every year of a multi-year file, years ascending.
pub fn dependencies_by_year(
    g: &TradeGraph,
    p: &DependencyParams,
) -> Result<Vec<(u16, Vec<CountryDependency>)>> {
    let years = g.years();
    if years.is_empty() {
        return Err(Error::ParamText(
            "--by-year needs a multi-year file (flows with a \"year\")".into(),
        ));
    }
    years
        .into_iter()
        .map(|y| Ok((y, dependencies(&g.year(y)?, p)?)))
        .collect()
}
