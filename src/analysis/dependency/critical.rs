//! Critical dependencies (MODELS.md §3): importer x sector pairs where imports are
//! concentrated, world supply is concentrated and the importer cannot make up from its own
//! exports.

use super::CriticalParams;
use crate::error::Result;
use crate::model::{NodeIx, TradeGraph};
use serde::Serialize;

/// One importer's dependency on one sector, with the values behind each criterion.
///
/// Serialised flat, as one row of the `dependencies` of the command line's JSON: `id` (the
/// importer), `importer`, `sector`, `imports`, `exports`, `top_supplier`,
/// `top_supplier_share`, `import_hhi`, `world_export_hhi`, `aggregate_import_share`,
/// `import_export_ratio` (null when infinite), `import_concentrated`, `world_concentrated`,
/// `net_importer`, `critical`.
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

/// Critical dependencies of every importer on every sector (MODELS.md §3): all three of (1)
/// HHI of its imports of the sector > `import_hhi`, (2) HHI of world exports of the sector by
/// exporter > `world_hhi`, (3) its imports / exports of the sector > `ratio` (no exports:
/// infinite). Every (importer, sector) with imports is returned with the values behind each
/// criterion; rows sorted critical first, then by imports, descending, then by id.
///
/// Input-output graphs are seen as countries first. Flows without a sector form no sector.
/// Aggregate economies ([`crate::model::Node::is_aggregate`]: rest of the world, pseudo-areas)
/// are not importers here, and add nothing to either HHI (their value stays in the totals).
///
/// Errors: a threshold out of range ([`CriticalParams::validate`]). Complexity O(m log m).
///
/// ```
/// use tradenet::analysis::{critical_dependencies, CriticalParams};
/// use tradenet::io::{load_bytes, LoadOptions};
/// // B buys all its s from A, which makes all of the world's s.
/// let csv = b"exporter,importer,sector,value\nA,B,s,10\nB,A,t,5\nC,A,t,5\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let rows = critical_dependencies(&g, &CriticalParams::default()).unwrap();
/// let b = rows.iter().find(|r| r.importer == "B").unwrap();
/// assert!(b.critical && b.sector == "s" && b.import_hhi == 1.0);
/// ```
pub fn critical_dependencies(g: &TradeGraph, p: &CriticalParams) -> Result<Vec<SectorDependency>> {
    p.validate()?;
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
    Ok(out)
}

/// The flat JSON row of a [`SectorDependency`].
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    importer: &'a str,
    sector: &'a str,
    imports: f64,
    exports: f64,
    top_supplier: Option<&'a str>,
    top_supplier_share: Option<f64>,
    import_hhi: f64,
    world_export_hhi: f64,
    aggregate_import_share: f64,
    /// JSON has no infinity: no exports gives a null ratio.
    import_export_ratio: Option<f64>,
    import_concentrated: bool,
    world_concentrated: bool,
    net_importer: bool,
    critical: bool,
}

impl Serialize for SectorDependency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        Row {
            id: &self.importer,
            importer: &self.importer,
            sector: &self.sector,
            imports: self.imports,
            exports: self.exports,
            top_supplier: self.top_supplier.as_ref().map(|t| t.0.as_str()),
            top_supplier_share: self.top_supplier.as_ref().map(|t| t.1),
            import_hhi: self.import_hhi,
            world_export_hhi: self.world_hhi,
            aggregate_import_share: self.aggregate_share,
            import_export_ratio: self.ratio.is_finite().then_some(self.ratio),
            import_concentrated: self.criteria[0],
            world_concentrated: self.criteria[1],
            net_importer: self.criteria[2],
            critical: self.critical,
        }
        .serialize(s)
    }
}
