//! The direct effect of a tariff: partial equilibrium after WITS-SMART (Laird and Yeats 1986),
//! in the constant-elasticity form whose first-order terms are the formulas of MODELS.md §4
//! (see [`smart`] for why), and the scope of a tariff: which sectors it covers
//! ([`tariff_scope`]; the goods/services rule itself is `crate::model::sector_kinds`).
//!
//! Symbols (one importer m, one product s): `m_e` = M_e, m's imports of s from the exporter e
//! whose tariff moves from `t0` to `t1`; `m_k` = M_k, imports from each other supplier k;
//! `m_big_k` = M_K = sum of M_k; `eps` = eps_m (import-demand elasticity, < 0); `sigma` = the
//! substitution elasticity; p = (1 + t1)/(1 + t0), e's relative price (`ln_p` = ln p), and
//! d = p - 1 its relative change.

use super::scenario::{
    number_text, percent_text, Elasticities, Tariff, DEFAULT_IMPORT_DEMAND, DEFAULT_SUBSTITUTION,
};
use crate::error::{Error, Result};
use crate::model::{sector_kinds, FinalDemand, GraphKind, NodeIx, SectorId, TradeGraph};

/// What every tariff result rests on (partial equilibrium, MODELS.md §4): printed with the
/// results.
pub const TARIFF_ASSUMPTIONS: [&str; 3] = [
    "partial equilibrium: world prices do not change (export supply infinitely elastic), so the tariff falls on the importer's buyers",
    "no domestic substitution: the importing country's own producers do not replace the imports (they do not gain); only other foreign suppliers do (diversion)",
    "each tariff is computed against the same baseline and the effects are added (no feedback through incomes or exchange rates)",
];

/// Which sectors a tariff covers ([`tariff_scope`]), from the most general to the most specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// `all`: every sector, goods and services, and flows without a sector.
    All,
    /// No sector, or `goods`: the tradable goods sectors ([`crate::model::sector_kinds`]).
    Goods,
    /// A list or range of sectors (`c1,c2`, `c1-c16`).
    List,
    /// One sector.
    Sector,
}

/// The sectors one tariff covers.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffScope {
    /// How they were given.
    pub kind: ScopeKind,
    /// The sectors, in table order (`None`: flows without a sector, `all` only).
    pub sectors: Vec<Option<SectorId>>,
    /// For the goods scope: where the goods/services split comes from.
    pub basis: Option<String>,
}

impl TariffScope {
    /// Specificity: the fewer sectors a tariff names, the more specific it is; of two tariffs
    /// on the same importer, exporter and sector, the one with the smaller value wins.
    pub fn breadth(&self) -> usize {
        self.sectors.len()
    }
}

/// `c15` -> ("c", 15); `D01T02` -> ("D", 01); `01` -> ("", 01): a code's prefix and its first
/// number.
pub(crate) fn prefix_number(code: &str) -> Option<(&str, CodeNumber<'_>)> {
    let start = code.find(|c: char| c.is_ascii_digit())?;
    let digits = code[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(&code[start..], |e| &code[start..start + e]);
    Some((&code[..start], CodeNumber(digits)))
}

/// The first number of a sector code, ordered as classifications order their codes: by value
/// when either has a single digit (WIOD's `c2` < `c10`), else digit by digit, so that
/// hierarchical codes sort by division first (ISIC's `C29` < `C301` < `C302T309` < `C31T33`,
/// where `C301` is group 1 of division 30, not number 301). Equal orders fall back to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeNumber<'a>(&'a str);

impl CodeNumber<'_> {
    /// The number's value (saturating: codes have a handful of digits).
    pub(crate) fn value(self) -> u64 {
        self.0.bytes().fold(0u64, |v, d| {
            v.saturating_mul(10).saturating_add(u64::from(d - b'0'))
        })
    }
}

impl Ord for CodeNumber<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let by_digits = self.0.len() >= 2 && other.0.len() >= 2;
        let first = if by_digits {
            self.0.cmp(other.0)
        } else {
            self.value().cmp(&other.value())
        };
        first.then_with(|| self.0.cmp(other.0))
    }
}

impl PartialOrd for CodeNumber<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The sectors a tariff's `sector` field names (MODELS.md §4, "Scope and stacking"):
///
/// - none, or `goods`: the tradable goods sectors (agriculture, mining, manufacturing) as
///   told by [`crate::model::sector_kinds`]; services are taxed only when named;
/// - `all`: every sector, services included, and flows without a sector;
/// - a code (`c15`), a list (`c1,c2`), a range (`c1-c16`: the codes with the same prefix whose
///   first number lies between the two ends, inclusive, e.g. `D01T02-D31T33` or `C24A-C31T33`,
///   hierarchical numbers ordered division first), or a mix
///   (`c1-c5,c8`). A code of the graph always means that sector (even one called `goods`).
///
/// Errors ([`Error::TariffScope`], with a hint): "all goods" on a graph whose sectors cannot
/// be told apart (no sectors, or sectors without a `goods` flag whose codes follow no known
/// classification); a range whose ends do not share a prefix. [`Error::Unknown`]: a code that
/// is not a sector of the graph, with the closest one.
pub fn tariff_scope(g: &TradeGraph, t: &Tariff) -> Result<TariffScope> {
    let spec = t.sector.as_deref().map(str::trim);
    let who = format!("tariff {} on {}", t.importer, t.exporter);
    let scope_err = |rule: String, hint: String| Error::TariffScope {
        tariff: who.clone(),
        rule,
        hint,
    };
    let example = |what: &str| {
        format!(
            "{}:{}:{what}={}",
            t.importer,
            t.exporter,
            percent_text(t.rate)
        )
    };
    match spec {
        Some(code) if g.sector_id(code).is_some() => {
            return Ok(TariffScope {
                kind: ScopeKind::Sector,
                sectors: vec![g.sector_id(code)],
                basis: None,
            })
        }
        Some("all") => {
            let mut sectors: Vec<Option<SectorId>> = (0..g.sectors().len())
                .map(|i| Some(SectorId::new(i)))
                .collect();
            sectors.push(None);
            return Ok(TariffScope {
                kind: ScopeKind::All,
                sectors,
                basis: None,
            });
        }
        None | Some("goods") => {
            if g.sectors().is_empty() {
                return Err(scope_err(
                    "the flows carry no sector, so the goods they hold cannot be told from services".into(),
                    format!("tax every flow with {}", example("all")),
                ));
            }
            let kinds = sector_kinds(g.sectors());
            let unknown = kinds.unknown();
            if !unknown.is_empty() {
                let names: Vec<&str> = unknown
                    .iter()
                    .take(5)
                    .map(|&i| g.sectors()[i].id.as_str())
                    .collect();
                let more = if unknown.len() > 5 {
                    format!(" and {} more", unknown.len() - 5)
                } else {
                    String::new()
                };
                return Err(scope_err(
                    format!(
                        "\"all goods\" cannot be told on this graph: sector{} {}{more} carr{} no \"goods\" flag and the codes follow no known classification (WIOD c1-c35, OECD ICIO, HS or SITC products)",
                        if unknown.len() == 1 { "" } else { "s" },
                        names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", "),
                        if unknown.len() == 1 { "ies" } else { "y" },
                    ),
                    format!(
                        "name the sectors, e.g. {} (or {} for every sector, services included), or add \"goods\": true|false to the file's \"sectors\" entries",
                        example(names[0]),
                        example("all")
                    ),
                ));
            }
            return Ok(TariffScope {
                kind: ScopeKind::Goods,
                sectors: kinds
                    .goods()
                    .into_iter()
                    .map(|i| Some(SectorId::new(i)))
                    .collect(),
                basis: Some(kinds.basis()),
            });
        }
        Some(_) => {}
    }
    let spec = spec.unwrap_or_default();
    let mut chosen = vec![false; g.sectors().len()];
    for item in spec.split(',').map(str::trim) {
        if let Some(s) = g.sector_id(item) {
            chosen[s.index()] = true;
            continue;
        }
        let Some((lo, hi)) = item.split_once('-').map(|(a, b)| (a.trim(), b.trim())) else {
            // Not a code and not a range: the closest code is suggested.
            g.require_sector(item)?;
            continue;
        };
        let a = g.require_sector(lo)?;
        let b = g.require_sector(hi)?;
        let (pa, na) = prefix_number(lo).unzip();
        let (pb, nb) = prefix_number(hi).unzip();
        match (pa, na, pb, nb) {
            (Some(pa), Some(na), Some(pb), Some(nb)) if pa == pb => {
                let (na, nb) = (na.min(nb), na.max(nb));
                for (i, sec) in g.sectors().iter().enumerate() {
                    if let Some((p, n)) = prefix_number(&sec.id) {
                        if p == pa && na <= n && n <= nb {
                            chosen[i] = true;
                        }
                    }
                }
                chosen[a.index()] = true;
                chosen[b.index()] = true;
            }
            _ => {
                return Err(scope_err(
                    format!("the range '{item}' needs two codes with the same prefix followed by a number (c1-c16, D01T02-D31T33)"),
                    format!("list the sectors with commas instead, e.g. {}", example(&format!("{lo},{hi}"))),
                ))
            }
        }
    }
    let sectors: Vec<Option<SectorId>> = (0..chosen.len())
        .filter(|&i| chosen[i])
        .map(|i| Some(SectorId::new(i)))
        .collect();
    Ok(TariffScope {
        kind: if sectors.len() == 1 {
            ScopeKind::Sector
        } else {
            ScopeKind::List
        },
        sectors,
        basis: None,
    })
}

/// The SMART effects for one importer, product and taxed supplier ([`smart`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Smart {
    /// TC: the change of the importer's total imports of the product, (M_e - TD) (p^eps - 1)
    /// with p = (1 + t1)/(1 + t0) (negative when the tariff rises).
    pub trade_creation: f64,
    /// TD: value diverted from the exporter to the other suppliers,
    /// M_e M_K (p^sigma - 1) / (M_e + M_K p^sigma) (negative: diverted to the exporter, when
    /// its tariff falls). Never more than M_e, never less than -M_K.
    pub trade_diversion: f64,
    /// What each other supplier k gains: TD * M_k / M_K, in the order given.
    pub gains: Vec<f64>,
    /// Change of the exporter's sales to the importer: TC - TD (never below -M_e).
    pub exporter_delta: f64,
    /// The exporter's sales after: M_e + TC - TD = (M_e - TD) p^eps (never negative).
    pub new_flow: f64,
    /// Change of tariff revenue on the exporter's goods: t1 * new_flow - t0 * M_e.
    pub revenue_change: f64,
    /// The welfare triangle: the area between the exporter's import demand curve
    /// M(t) = M_e ((1 + t)/(1 + t0))^eps and the old price, from t0 to t1, which is
    /// 0.5 * |t1 - t0| * |TC| for small changes: negative (a loss) when a tariff rises,
    /// positive (a gain) when it falls.
    pub welfare: f64,
}

/// (1 + x)^a - 1 for p = 1 + x given as ln p, accurate near 0 and never `inf - inf`.
fn pow_m1(ln_p: f64, a: f64) -> f64 {
    if a == 0.0 {
        0.0
    } else {
        (a * ln_p).exp_m1()
    }
}

/// The inputs of [`smart`]: one importer's imports of one product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmartParams<'a> {
    /// M_e: imports from the taxed exporter.
    pub exporter: f64,
    /// M_k: imports from each other supplier.
    pub others: &'a [f64],
    /// t0: the tariff before (0.25 = 25%). Default 0.
    pub old_rate: f64,
    /// t1: the tariff after. Default 0.
    pub new_rate: f64,
    /// eps_m (<= 0). Default -1.0, as [`Elasticities`].
    pub import_demand: f64,
    /// sigma (>= 0). Default 1.5, as [`Elasticities`].
    pub substitution: f64,
}

impl Default for SmartParams<'_> {
    fn default() -> Self {
        SmartParams {
            exporter: 0.0,
            others: &[],
            old_rate: 0.0,
            new_rate: 0.0,
            import_demand: DEFAULT_IMPORT_DEMAND,
            substitution: DEFAULT_SUBSTITUTION,
        }
    }
}

/// WITS-SMART partial-equilibrium effects of moving the tariff on one supplier from `t0` to
/// `t1`, in the constant-elasticity form (MODELS.md §4 gives their first-order versions).
/// With p = (1 + t1)/(1 + t0) the exporter's relative price, M_e its sales to the importer,
/// M_K = the sum of `others`, S = M_e + M_K:
///
/// - **diversion** at fixed total imports, the ratio M_e/M_K falling by p^-sigma (constant
///   elasticity of substitution sigma): TD = M_e M_K (p^sigma - 1) / (M_e + M_K p^sigma);
///   for small d = p - 1 this is M_e M_K sigma d / (M_e + M_K + M_e sigma d) of MODELS.md to
///   first order. It grows with t1 towards M_e (a prohibitive tariff diverts everything
///   the exporter sold) and, for a cut, falls towards -M_K. Each other supplier k gains
///   TD M_k / M_K;
/// - **creation**: what the exporter keeps responds to its price with constant import-demand
///   elasticity eps: TC = (M_e - TD) (p^eps - 1), which is eps M_e (t1 - t0)/(1 + t0) of
///   MODELS.md to first order. The exporter's sales become (M_e - TD) p^eps: never negative,
///   falling monotonically towards 0 as t1 grows;
/// - **revenue** on the exporter's goods: t1 (M_e + TC - TD) - t0 M_e;
/// - **welfare triangle**: the exact area between the import demand curve
///   M(t) = M_e ((1 + t)/(1 + t0))^eps and the old price from t0 to t1,
///   W = integral of (t - t0) dM(t) = M_e (1 + t0) [eps (p^(eps+1) - 1)/(eps + 1) - (p^eps - 1)]
///   (eps = -1: M_e (1 + t0) [1 - 1/p - ln p]), which is 0.5 (t1 - t0) TC for small rises;
///   a loss (W < 0) when the tariff rises, a gain of the same area (-W, SMART's
///   0.5 (t0 - t1) TC for small cuts) when it falls, where MODELS.md's 0.5 (t1 - t0) TC would
///   count a cut as a loss too. It falls monotonically as t1 rises, and stays finite.
///
/// Assumptions (partial equilibrium): world prices do not change (infinitely elastic export
/// supply), and the importer's own producers do not substitute for imports (they do not gain).
///
/// The inputs are a [`SmartParams`]. Nothing is validated here: see [`tariff_effects`].
/// Complexity O(number of suppliers).
///
/// ```
/// use tradenet::analysis::{smart, SmartParams};
/// // 100 from e, 300 from others (200 + 100), tariff 0 -> 25%, eps -1, sigma 1.5:
/// let p = SmartParams { exporter: 100.0, others: &[200.0, 100.0], new_rate: 0.25, ..Default::default() };
/// let s = smart(&p);
/// let ps = 1.25f64.powf(1.5);
/// let td = 100.0 * 300.0 * (ps - 1.0) / (100.0 + 300.0 * ps);
/// assert!((s.trade_diversion - td).abs() < 1e-9);                 // 29.95...
/// assert!((s.trade_creation - (100.0 - td) * (1.0 / 1.25 - 1.0)).abs() < 1e-9);
/// assert!((s.gains[0] - td * 2.0 / 3.0).abs() < 1e-9);
/// // A prohibitive tariff: the flow goes to 0, never below.
/// let s = smart(&SmartParams { new_rate: 1000.0, ..p });
/// assert!(s.new_flow >= 0.0 && s.new_flow < 0.01 && s.exporter_delta >= -100.0);
/// ```
pub fn smart(p: &SmartParams<'_>) -> Smart {
    let SmartParams {
        exporter: m_e,
        others,
        old_rate: t0,
        new_rate: t1,
        import_demand: eps,
        substitution: sigma,
    } = *p;
    let m_big_k: f64 = others.iter().sum();
    // ln p, accurate for small changes.
    let ln_p = ((t1 - t0) / (1.0 + t0)).ln_1p();
    let td = if m_e > 0.0 && m_big_k > 0.0 && sigma > 0.0 && ln_p != 0.0 {
        if ln_p > 0.0 {
            // Divided through by p^sigma so that a huge p^sigma cannot make inf / inf.
            let inv = (-sigma * ln_p).exp();
            m_e * m_big_k * -pow_m1(ln_p, -sigma) / (m_e * inv + m_big_k)
        } else {
            let ps = (sigma * ln_p).exp();
            m_e * m_big_k * pow_m1(ln_p, sigma) / (m_e + m_big_k * ps)
        }
    } else {
        0.0
    };
    let td = td.clamp(-m_big_k, m_e);
    let kept = m_e - td;
    let tc = kept * pow_m1(ln_p, eps);
    let new_flow = (kept + tc).max(0.0);
    let exporter_delta = new_flow - m_e;
    let gains = others
        .iter()
        .map(|&mk| {
            if m_big_k > 0.0 {
                td * mk / m_big_k
            } else {
                0.0
            }
        })
        .collect();
    // W = M_e (1 + t0) [eps ((p^(eps+1) - 1)/(eps + 1)) - (p^eps - 1)].
    let a = eps + 1.0;
    let integral = if (a * ln_p).abs() < 1e-8 {
        ln_p * (1.0 + 0.5 * a * ln_p)
    } else {
        pow_m1(ln_p, a) / a
    };
    // The area is <= 0 on both sides of t0; a cut shrinks the deadweight loss by it (a gain,
    // as SMART reports liberalisation), a rise adds it (a loss).
    let welfare = if m_e > 0.0 && ln_p != 0.0 && eps != 0.0 {
        let area = (m_e * (1.0 + t0) * (eps * integral - pow_m1(ln_p, eps))).min(0.0);
        if ln_p > 0.0 {
            area
        } else {
            -area
        }
    } else {
        0.0
    };
    Smart {
        trade_creation: tc,
        trade_diversion: td,
        gains,
        exporter_delta,
        new_flow,
        revenue_change: t1 * new_flow - t0 * m_e,
        welfare,
    }
}

/// One supplier's part of a tariff's direct effect.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerEffect {
    /// Supplier country (trade graphs: supplier node).
    pub supplier: String,
    /// The supplier node whose sales change (input-output graphs: `supplier:sector`).
    pub node: NodeIx,
    /// The importer's imports of the sector from this supplier, before.
    pub baseline: f64,
    /// The tariff on this supplier before (for the exporter: t0).
    pub old_rate: f64,
    /// The tariff after (for the exporter: t1; others unchanged).
    pub new_rate: f64,
    /// Trade creation: TC for the exporter, 0 for the others.
    pub trade_creation: f64,
    /// Trade diversion: -TD for the exporter, + TD * M_k / M_K for the others (sums to 0).
    pub trade_diversion: f64,
    /// New minus baseline: trade_creation + trade_diversion.
    pub delta: f64,
    /// Change of tariff revenue on this supplier's goods.
    pub revenue_change: f64,
    /// Welfare triangle (the exporter only; 0 for the others).
    pub welfare: f64,
}

/// The direct effect of one tariff on one importer's imports of one sector.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffEffect {
    /// The importer.
    pub importer: String,
    /// The taxed exporter.
    pub exporter: String,
    /// Sector code; `None` for flows without a sector.
    pub sector: Option<String>,
    /// t0.
    pub old_rate: f64,
    /// t1.
    pub new_rate: f64,
    /// eps_m used.
    pub import_demand: f64,
    /// sigma used.
    pub substitution: f64,
    /// M_e.
    pub imports_from_exporter: f64,
    /// M_K.
    pub imports_from_others: f64,
    /// The formulas' results.
    pub smart: Smart,
    /// Every supplier: the exporter first, then the others by baseline, descending (ties by id).
    pub partners: Vec<PartnerEffect>,
}

impl TariffEffect {
    /// Total tariff revenue change, all suppliers.
    pub fn revenue_change(&self) -> f64 {
        self.partners.iter().map(|p| p.revenue_change).sum()
    }
}

/// A row of the JSON's `tariffs` (FORMAT.md §3).
#[derive(serde::Serialize)]
struct TariffRow<'a> {
    importer: &'a str,
    exporter: &'a str,
    sector: &'a Option<String>,
    old_rate: f64,
    new_rate: f64,
    import_demand_elasticity: f64,
    substitution_elasticity: f64,
    imports_from_exporter: f64,
    imports_from_others: f64,
    trade_creation: f64,
    trade_diversion: f64,
    new_flow: f64,
    revenue_change: f64,
    welfare: f64,
}

/// FORMAT.md §3's `tariffs` row: the rates, elasticities, imports and the formulas' totals
/// (the partners are in `flows`).
impl serde::Serialize for TariffEffect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        TariffRow {
            importer: &self.importer,
            exporter: &self.exporter,
            sector: &self.sector,
            old_rate: self.old_rate,
            new_rate: self.new_rate,
            import_demand_elasticity: self.import_demand,
            substitution_elasticity: self.substitution,
            imports_from_exporter: self.imports_from_exporter,
            imports_from_others: self.imports_from_others,
            trade_creation: self.smart.trade_creation,
            trade_diversion: self.smart.trade_diversion,
            new_flow: self.smart.new_flow,
            revenue_change: self.revenue_change(),
            welfare: self.smart.welfare,
        }
        .serialize(s)
    }
}

/// One supplier of one importer in one sector.
#[derive(Debug, Clone)]
pub(crate) struct Supplier {
    pub party: String,
    pub node: NodeIx,
    pub value: f64,
    /// sum of tariff * value over flows that carry a tariff (flows without count as 0).
    pub taxed: f64,
}

impl Supplier {
    pub fn rate(&self) -> f64 {
        if self.value > 0.0 {
            self.taxed / self.value
        } else {
            0.0
        }
    }
}

/// Who trades in a graph: countries of an input-output graph, nodes of a trade graph.
pub(crate) fn party(g: &TradeGraph, ix: NodeIx) -> &str {
    let n = g.node(ix);
    match g.kind() {
        GraphKind::InputOutput => n.country_id(),
        GraphKind::Trade => &n.id,
    }
}

/// Check that `name` is a party (country of an IO graph, node of a trade graph).
pub(crate) fn require_party(g: &TradeGraph, name: &str) -> Result<()> {
    match g.kind() {
        GraphKind::InputOutput => g.require_country(name),
        GraphKind::Trade => g.require_node(name).map(|_| ()),
    }
}

/// The importer's imports by (sector, supplier): intermediate flows from other parties into
/// its nodes, plus (input-output graphs) final demand sold to it. Sectors in table order
/// (`None` last), suppliers by value, descending, ties by id.
pub(crate) fn imports_of(g: &TradeGraph, importer: &str) -> Vec<(Option<SectorId>, Vec<Supplier>)> {
    let mut table: crate::model::FastMap<(Option<SectorId>, &str), Supplier> = Default::default();
    for (a, b, f) in g.flows() {
        if party(g, b) != importer {
            continue;
        }
        let pa = party(g, a);
        if pa == importer {
            continue;
        }
        let s = g.flow_sector(a, f);
        let e = table.entry((s, pa)).or_insert_with(|| Supplier {
            party: pa.to_string(),
            node: a,
            value: 0.0,
            taxed: 0.0,
        });
        e.value += f.value;
        if let Some(t) = f.tariff() {
            e.taxed += t * f.value;
        }
    }
    if g.kind() == GraphKind::InputOutput {
        for a in g.node_indices() {
            let node = g.node(a);
            let pa = node.country_id();
            if pa == importer {
                continue;
            }
            if let Some(FinalDemand::ByDestination(d)) = node.final_demand() {
                let v: f64 = d
                    .iter()
                    .filter(|(k, _)| k == importer)
                    .map(|(_, v)| *v)
                    .sum();
                if v != 0.0 {
                    let e = table.entry((node.sector, pa)).or_insert_with(|| Supplier {
                        party: pa.to_string(),
                        node: a,
                        value: 0.0,
                        taxed: 0.0,
                    });
                    e.value += v;
                }
            }
        }
    }
    let mut by_sector: Vec<(Option<SectorId>, Vec<Supplier>)> = Vec::new();
    let mut entries: Vec<((Option<SectorId>, &str), Supplier)> = table.into_iter().collect();
    // Sector order: table order, sector-less last.
    entries.sort_by(|x, y| {
        let key = |s: Option<SectorId>| s.map_or(usize::MAX, |s| s.index());
        key(x.0 .0)
            .cmp(&key(y.0 .0))
            .then_with(|| y.1.value.total_cmp(&x.1.value))
            .then_with(|| x.0 .1.cmp(y.0 .1))
    });
    for ((s, _), mut sup) in entries {
        // Negative final demand (inventory drawdowns) cannot make imports negative.
        sup.value = sup.value.max(0.0);
        match by_sector.last_mut() {
            Some((ls, list)) if *ls == s => list.push(sup),
            _ => by_sector.push((s, vec![sup])),
        }
    }
    by_sector
}

fn sector_name(g: &TradeGraph, s: Option<SectorId>) -> Option<String> {
    s.map(|s| g.sector(s).id.clone())
}

fn no_trade(g: &TradeGraph, exporter: &str, importer: &str, sector: Option<SectorId>) -> Error {
    let what = match sector {
        Some(s) => format!(" {}", g.sector(s).id),
        None => String::new(),
    };
    let through = if g.kind() == GraphKind::InputOutput {
        " (no intermediate deliveries, no final demand)"
    } else {
        ""
    };
    Error::Unsuited(format!(
        "{exporter} does not export{what} to {importer}{through}: a tariff or embargo on a pair that does not trade has no effect to compute"
    ))
}

/// One sector of an importer's imports: the sector, its suppliers, and the exporter's position.
pub(crate) type SectorSuppliers = (Option<SectorId>, Vec<Supplier>, usize);

/// The exporter's supplies to the importer, per sector (`sector` given: that one only).
///
/// Errors: the pair does not trade (in that sector).
pub(crate) fn pair_trade(
    g: &TradeGraph,
    importer: &str,
    exporter: &str,
    sector: Option<SectorId>,
) -> Result<Vec<SectorSuppliers>> {
    let table = imports_of(g, importer);
    let mut out = Vec::new();
    for (s, list) in table {
        if sector.is_some() && s != sector {
            continue;
        }
        if let Some(k) = list
            .iter()
            .position(|p| p.party == exporter && p.value > 0.0)
        {
            out.push((s, list, k));
        }
    }
    if out.is_empty() {
        return Err(no_trade(g, exporter, importer, sector));
    }
    Ok(out)
}

/// The direct effect of one tariff (MODELS.md §4), one [`TariffEffect`] per sector of its
/// scope ([`tariff_scope`]: the named sectors, or the goods sectors when it names none) that
/// the pair trades.
///
/// On an input-output graph the parties are countries and m's imports of s from k are node
/// k:s's intermediate deliveries to all of m's nodes plus k:s's final demand sold to m
/// (negative inventory entries are kept in the sum, which is floored at 0). On a trade graph
/// the parties are nodes and sectors are the flows' sectors. The old rate is `tariff.old`,
/// else the value-weighted `tariff` field of the flows (flows without one count as 0).
///
/// Errors: unknown importer, exporter or sector ([`Error::Unknown`] with the closest name);
/// a scope that cannot be told ([`Error::TariffScope`]); a pair that does not trade (in that
/// sector, or in any sector of the scope: [`Error::Unsuited`]); bad rates ([`Error::Param`]);
/// imports beyond the range of numbers ([`Error::Numeric`]).
/// Complexity O(m + n) for the import table, then O(suppliers) per sector.
///
/// ```
/// use tradenet::analysis::{tariff_effects, Elasticities, Tariff};
/// use tradenet::io::{load_bytes, LoadOptions};
/// let csv = b"exporter,importer,sector,value\nCAN,USA,c15,100\nMEX,USA,c15,200\nJPN,USA,c15,100\nCAN,USA,c30,50\n".to_vec();
/// let g = load_bytes("t.csv", csv, &LoadOptions::default()).unwrap();
/// // No sector: the goods sectors (c15 is WIOD transport equipment; c30 business services).
/// let t = Tariff { importer: "USA".into(), exporter: "CAN".into(), sector: None, rate: 0.25, old: None };
/// let e = tariff_effects(&g, &t, &Elasticities::default()).unwrap();
/// assert_eq!(e.len(), 1);
/// assert_eq!(e[0].sector.as_deref(), Some("c15"));
/// assert_eq!(e[0].partners[0].supplier, "CAN");
/// let diverted: f64 = e[0].partners[1..].iter().map(|p| p.trade_diversion).sum();
/// assert!((diverted - e[0].smart.trade_diversion).abs() < 1e-9);
/// ```
pub fn tariff_effects(
    g: &TradeGraph,
    tariff: &Tariff,
    el: &Elasticities,
) -> Result<Vec<TariffEffect>> {
    require_party(g, &tariff.importer)?;
    require_party(g, &tariff.exporter)?;
    let scope = tariff_scope(g, tariff)?;
    tariff_effects_on(g, tariff, &scope, &scope.sectors, el)
}

/// [`tariff_effects`] on the sectors `sectors` of the tariff's `scope` (fewer than the scope's
/// when a more specific tariff took some).
pub(crate) fn tariff_effects_on(
    g: &TradeGraph,
    tariff: &Tariff,
    scope: &TariffScope,
    sectors: &[Option<SectorId>],
    el: &Elasticities,
) -> Result<Vec<TariffEffect>> {
    require_party(g, &tariff.importer)?;
    require_party(g, &tariff.exporter)?;
    if !tariff.rate.is_finite()
        || tariff.rate < 0.0
        || tariff.old.is_some_and(|o| !o.is_finite() || o < 0.0)
    {
        let (name, value) = if tariff.rate.is_finite() && tariff.rate >= 0.0 {
            ("tariff.old", tariff.old.unwrap_or(tariff.rate))
        } else {
            ("tariff.rate", tariff.rate)
        };
        return Err(Error::param(
            name,
            value,
            "must be finite and >= 0 (0.25 = 25%)",
        ));
    }
    if tariff.importer == tariff.exporter {
        return Err(Error::param(
            "tariff.exporter",
            crate::text::clip(&tariff.exporter),
            "a tariff needs two different countries (the importer is the same)",
        ));
    }
    el.validate()?;
    let mut out = Vec::new();
    let trade = if scope.kind == ScopeKind::Sector {
        pair_trade(g, &tariff.importer, &tariff.exporter, scope.sectors[0])?
    } else {
        let all = imports_of(g, &tariff.importer);
        let found: Vec<SectorSuppliers> = all
            .into_iter()
            .filter(|(s, _)| sectors.contains(s))
            .filter_map(|(s, list)| {
                let k = list
                    .iter()
                    .position(|p| p.party == tariff.exporter && p.value > 0.0)?;
                Some((s, list, k))
            })
            .collect();
        if found.is_empty() && !sectors.is_empty() {
            let what = match scope.kind {
                ScopeKind::Goods => " in any goods sector",
                ScopeKind::All => " at all",
                _ => " in any of the sectors named",
            };
            return Err(Error::Unsuited(format!(
                "{} does not export{what} to {}: a tariff on a pair that does not trade has no effect to compute",
                tariff.exporter, tariff.importer
            )));
        }
        found
    };
    for (s, list, k) in trade {
        let code = sector_name(g, s);
        let (eps, sigma) = el.for_sector(code.as_deref());
        let e = &list[k];
        let t0 = tariff.old.unwrap_or_else(|| e.rate());
        let t1 = tariff.rate;
        let others: Vec<&Supplier> = list
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(_, p)| p)
            .collect();
        let m_k: Vec<f64> = others.iter().map(|p| p.value).collect();
        let r = smart(&SmartParams {
            exporter: e.value,
            others: &m_k,
            old_rate: t0,
            new_rate: t1,
            import_demand: eps,
            substitution: sigma,
        });
        if !(r.trade_creation.is_finite() && r.welfare.is_finite() && r.revenue_change.is_finite())
        {
            return Err(Error::Numeric(format!(
                "tariff {} on {}: a change from {} to {} with import-demand elasticity {} gives imports beyond the range of numbers",
                tariff.importer,
                tariff.exporter,
                percent_text(t0),
                percent_text(t1),
                number_text(eps)
            )));
        }
        let mut partners = Vec::with_capacity(list.len());
        partners.push(PartnerEffect {
            supplier: e.party.clone(),
            node: e.node,
            baseline: e.value,
            old_rate: t0,
            new_rate: t1,
            trade_creation: r.trade_creation,
            trade_diversion: -r.trade_diversion,
            delta: r.exporter_delta,
            revenue_change: r.revenue_change,
            welfare: r.welfare,
        });
        for (p, &gain) in others.iter().zip(&r.gains) {
            let rate = p.rate();
            partners.push(PartnerEffect {
                supplier: p.party.clone(),
                node: p.node,
                baseline: p.value,
                old_rate: rate,
                new_rate: rate,
                trade_creation: 0.0,
                trade_diversion: gain,
                delta: gain,
                revenue_change: rate * gain,
                welfare: 0.0,
            });
        }
        out.push(TariffEffect {
            importer: tariff.importer.clone(),
            exporter: tariff.exporter.clone(),
            sector: code,
            old_rate: t0,
            new_rate: t1,
            import_demand: eps,
            substitution: sigma,
            imports_from_exporter: e.value,
            imports_from_others: m_k.iter().sum(),
            smart: r,
            partners,
        });
    }
    Ok(out)
}
