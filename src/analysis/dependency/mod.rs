//! Dependency and concentration (MODELS.md §3): who depends on whom, directly through partner
//! shares, and through supply chains by value-chain exposure.
//!
//! [`dependency`] runs what [`DependencyParams`] asks for and returns it as one
//! [`DependencyOutput`]; its parts are public too: [`dependencies`] (partner shares and
//! concentration of every country), [`partner_shares`], [`critical_dependencies`],
//! [`value_chain_exposure`] and [`dependencies_by_year`].
//!
//! Trade indicators are computed on the graph seen as countries ([`TradeGraph::countries`]):
//! for an input-output graph that is intermediate plus final sales abroad.

mod concentration;
mod critical;
mod exposure;
mod params;

pub use concentration::{
    dependencies, dependencies_by_year, partner_shares, Concentration, CountryDependency,
    PartnerLink, PartnerShare,
};
pub use critical::{critical_dependencies, SectorDependency};
pub use exposure::{value_chain_exposure, ExposureMatrix};
pub use params::{CriticalParams, DependencyParams};

use crate::error::{Error, Result};
use crate::model::{GraphKind, TradeGraph};
use serde::Serialize;

/// One country's partners by share, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partners {
    /// Export destinations.
    pub exports: Vec<PartnerShare>,
    /// Import origins.
    pub imports: Vec<PartnerShare>,
}

/// One destination of a country's value-chain exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposure {
    /// The country whose final demand is followed.
    pub id: String,
    /// Share of the country's gross output that exists because of that final demand.
    pub exposure: f64,
    /// The destination's share of the country's direct exports (all sectors); `None` for the
    /// country itself and for destinations it does not export to. Not serialised.
    #[serde(skip)]
    pub direct_share: Option<f64>,
}

/// One country's value-chain exposure to every country's final demand, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueChain {
    /// The country.
    pub country: String,
    /// Its gross output.
    pub output: f64,
    /// Its exposure to each destination, largest first (ties by id).
    pub exposure: Vec<Exposure>,
}

/// Everything [`dependency`] computes; the parts not asked for are `None` (and absent from
/// the JSON, whose keys are in this order after the command line's `graph` and `params`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DependencyOutput {
    /// Every country's row (only `country`'s when one is asked for), by exports descending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub countries: Option<Vec<CountryDependency>>,
    /// With `by_year`: each year's rows (only `country`'s when one is asked for), years
    /// ascending; serialised as one flat list, each row with its `year`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "concentration::year_rows"
    )]
    pub by_year: Option<Vec<(u16, Vec<CountryDependency>)>>,
    /// With `country`: its partners by share (in the sectors asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partners: Option<Partners>,
    /// With `list_critical`: the importer x sector pairs shown (critical ones, or all with
    /// `all_pairs`; only `country`'s and the `sectors`' when given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<SectorDependency>>,
    /// With `country` on an input-output graph whose final demand has destinations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_chain: Option<ValueChain>,
    /// With `matrix`: every country's value-chain exposure.
    #[serde(rename = "value_chain_matrix", skip_serializing_if = "Option::is_none")]
    pub matrix: Option<ExposureMatrix>,
    /// With `list_critical`: critical pairs and all importer x sector pairs with imports.
    #[serde(skip)]
    pub critical_pairs: Option<(usize, usize)>,
    /// Destinations of the value-chain exposure, when it was solved.
    #[serde(skip)]
    pub exposure_destinations: Option<usize>,
    /// Remarks on what was not computed and why.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Dependency indicators of `g` as `p` asks (MODELS.md §3): every country's partner
/// concentration ([`dependencies`]), or every year's ([`dependencies_by_year`], with
/// `by_year` and nothing else); with `country`, its partners by share and, on an input-output
/// graph, its value-chain exposure; with `list_critical`, the critical dependencies; with
/// `matrix`, the value-chain exposure of every country.
///
/// Errors: a parameter out of range ([`DependencyParams::validate`]); an unknown country,
/// partner or sector; `matrix` on a graph that is not input-output, `by_year` on a graph
/// without years ([`Error::Param`]); and those of the parts.
///
/// ```
/// use tradenet::analysis::{dependency, DependencyParams};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,value\nCAN,USA,75\nCAN,MEX,25\nUSA,CAN,10\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// let p = DependencyParams { country: Some("CAN".into()), ..Default::default() };
/// let out = dependency(&g, &p).unwrap();
/// assert_eq!(out.countries.as_ref().unwrap()[0].exports.partners, 2);
/// assert_eq!(out.partners.as_ref().unwrap().exports[0].id, "USA");
/// let json = serde_json::to_value(&out).unwrap();
/// assert_eq!(json["countries"][0]["top_export_share"], 0.75);
/// ```
pub fn dependency(g: &TradeGraph, p: &DependencyParams) -> Result<DependencyOutput> {
    p.validate()?;
    for c in p.country.iter().chain(&p.partner) {
        g.require_country(c)?;
    }
    let io = g.kind() == GraphKind::InputOutput;
    if p.matrix && !io {
        return Err(Error::param(
            "matrix",
            "",
            "needs an input-output graph (country-sector nodes with output and final demand); this is a trade graph",
        ));
    }
    let sectors = p.sector_ids(g)?;
    let mine = |id: &str| p.country.as_deref().is_none_or(|c| c == id);
    let mut out = DependencyOutput::default();
    if p.by_year {
        let years = dependencies_by_year(g, p)?;
        let years = years
            .into_iter()
            .map(|(y, rows)| (y, rows.into_iter().filter(|r| mine(&r.id)).collect()))
            .collect();
        out.by_year = Some(years);
        return Ok(out);
    }
    let mut rows = dependencies(g, p)?;
    rows.retain(|r| mine(&r.id));
    out.countries = Some(rows);
    if let Some(c) = &p.country {
        let (exports, imports) = partner_shares(g, c, sectors.as_deref())?;
        out.partners = Some(Partners { exports, imports });
    }
    if p.list_critical {
        let deps = critical_dependencies(g, &p.critical)?;
        let n_critical = deps.iter().filter(|d| d.critical).count();
        out.critical_pairs = Some((n_critical, deps.len()));
        let shown = deps
            .into_iter()
            .filter(|d| p.all_pairs || d.critical)
            .filter(|d| mine(&d.importer))
            .filter(|d| p.sectors.is_empty() || p.sectors.contains(&d.sector))
            .collect();
        out.dependencies = Some(shown);
    }
    if io && (p.matrix || p.country.is_some()) {
        if !p.matrix && !g.final_demand_has_destinations() {
            out.notes.push(
                "value-chain exposure not computed: final demand in this graph has no destination (one total per node), and the exposure to a country's final demand needs it by destination".into(),
            );
            return Ok(out);
        }
        let m = value_chain_exposure(g)?;
        out.exposure_destinations = Some(m.destinations.len());
        if let Some(c) = &p.country {
            out.value_chain = Some(value_chain(g, &m, c)?);
        }
        if p.matrix {
            out.matrix = Some(m);
        }
    }
    Ok(out)
}

/// Country `c`'s row of the exposure matrix, largest first, with its direct export shares.
fn value_chain(g: &TradeGraph, m: &ExposureMatrix, c: &str) -> Result<ValueChain> {
    let a =
        m.producers.iter().position(|p| p == c).ok_or_else(|| {
            Error::Unsuited(format!("'{}' produces nothing", crate::text::clip(c)))
        })?;
    let (direct, _) = partner_shares(g, c, None)?;
    let mut exposure: Vec<Exposure> = m
        .destinations
        .iter()
        .zip(&m.exposure[a])
        .map(|(d, &v)| Exposure {
            id: d.clone(),
            exposure: v,
            direct_share: (d != c)
                .then(|| direct.iter().find(|s| s.id == *d).map(|s| s.share))
                .flatten(),
        })
        .collect();
    exposure.sort_by(|x, y| {
        y.exposure
            .total_cmp(&x.exposure)
            .then_with(|| x.id.cmp(&y.id))
    });
    Ok(ValueChain {
        country: c.to_string(),
        output: m.output[a],
        exposure,
    })
}
