//! Which sectors are tradable goods and which are services: the one place that decides it.
//!
//! A tariff without a sector applies to "all goods" (MODELS.md §4, "Scope and stacking of
//! tariffs"): the tradable goods sectors, that is agriculture, mining and manufacturing.
//! Electricity, gas and water, construction and every service are not goods in this sense.
//! [`sector_kinds`] tells them apart, sector by sector:
//!
//! 1. the file's own flag (`"goods": true|false` on a `sectors` entry of the native JSON or of
//!    node-link graph attributes) decides when given;
//! 2. otherwise the code, when every code of the sector table belongs to one known
//!    classification (a whole table is needed: a lone `D` is manufacturing in NACE Rev.1 but
//!    electricity in ISIC Rev.4):
//!    - **WIOD** (NACE Rev.1 industries `c1`..`c35`, `../shared/data/wiod2011/sectors.csv`):
//!      `c1`..`c16` are goods (c1 AtB agriculture, c2 C mining, c3-c16 NACE 15-37
//!      manufacturing); `c17` (E: electricity, gas and water) onwards are not;
//!    - **OECD ICIO** (2023 edition, 45 ISIC Rev.4 activities, old codes `D01T02`..`D97T98` or
//!      new codes `A01_02`..`T`; 2025 edition, 50 activities `A01`..`T` with `C24A`/`C24B`,
//!      `C301`/`C302T309`): ISIC sections A-C (`D01T02`..`D31T33`, `A01_02`..`C31T33`,
//!      `A01`..`C31T33`, mining support services `D09`/`B09` included with section B) are
//!      goods; `D35`/`D` (electricity) onwards are not;
//!    - **HS or SITC product codes** (every code 1 to 6 digits: HS chapters `01`..`97`,
//!      headings, subheadings; SITC sections to subgroups): every product is a good. A table
//!      of numeric *industry* codes (ISIC divisions) would be read as products: flag it.
//! 3. otherwise the kind is unknown, and a tariff that needs it asks for sectors.

use super::Sector;

/// What a sector produces, for the scope of a tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectorKind {
    /// Tradable goods: agriculture, mining, manufacturing (products of the HS or SITC).
    Goods,
    /// Services, utilities and construction.
    Services,
}

/// The kind of every sector of a table ([`sector_kinds`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SectorKinds {
    /// One entry per sector, in table order; `None`: unknown.
    pub kinds: Vec<Option<SectorKind>>,
    /// The classification recognised from the codes (`None`: none, or every sector flagged).
    pub scheme: Option<&'static str>,
    /// How many kinds came from the file's flags.
    pub flagged: usize,
}

impl SectorKinds {
    /// Positions (in the sector table) of the goods sectors.
    pub fn goods(&self) -> Vec<usize> {
        self.positions(Some(SectorKind::Goods))
    }

    /// Positions of the sectors whose kind is unknown.
    pub fn unknown(&self) -> Vec<usize> {
        self.positions(None)
    }

    fn positions(&self, k: Option<SectorKind>) -> Vec<usize> {
        (0..self.kinds.len())
            .filter(|&i| self.kinds[i] == k)
            .collect()
    }

    /// Where the kinds come from, for messages: `the file's "goods" flags`, the scheme's rule,
    /// or both.
    pub fn basis(&self) -> String {
        match (self.flagged, self.scheme) {
            (0, Some(s)) => s.to_string(),
            (_, Some(s)) => format!("the file's \"goods\" flags, else {s}"),
            (_, None) => "the file's \"goods\" flags".into(),
        }
    }
}

/// WIOD's goods rule.
const WIOD: &str = "WIOD industries (c1-c16 agriculture, mining, manufacturing are goods; c17 electricity, gas and water onwards are not)";
/// OECD ICIO's goods rule.
const ICIO: &str = "OECD ICIO activities (ISIC Rev.4 sections A-C, agriculture, mining, manufacturing, are goods; electricity onwards are not)";
/// Product codes.
const PRODUCTS: &str = "HS or SITC product codes (every product is a good)";

/// The 45 OECD ICIO 2023 activities, old codes, in table order; the first 22 are goods
/// (`../shared/data/mrio-layouts/oecd-icio-2023/activities.csv`).
const ICIO_OLD: [&str; 45] = [
    "D01T02", "D03", "D05T06", "D07T08", "D09", "D10T12", "D13T15", "D16", "D17T18", "D19", "D20",
    "D21", "D22", "D23", "D24", "D25", "D26", "D27", "D28", "D29", "D30", "D31T33", "D35",
    "D36T39", "D41T43", "D45T47", "D49", "D50", "D51", "D52", "D53", "D55T56", "D58T60", "D61",
    "D62T63", "D64T66", "D68", "D69T75", "D77T82", "D84", "D85", "D86T88", "D90T93", "D94T96",
    "D97T98",
];
/// The same activities, new codes.
const ICIO_NEW: [&str; 45] = [
    "A01_02", "A03", "B05_06", "B07_08", "B09", "C10T12", "C13T15", "C16", "C17_18", "C19", "C20",
    "C21", "C22", "C23", "C24", "C25", "C26", "C27", "C28", "C29", "C30", "C31T33", "D", "E", "F",
    "G", "H49", "H50", "H51", "H52", "H53", "I", "J58T60", "J61", "J62_63", "K", "L", "M", "N",
    "O", "P", "Q", "R", "S", "T",
];
/// How many ICIO 2023 activities (from the start of the list) are goods.
const ICIO_GOODS: usize = 22;
/// The 50 activities of the OECD ICIO 2025 release (ISIC Rev.4, agriculture, mining and basic
/// metals split finer, ships apart from other transport equipment), in table order; the first
/// 27 are goods.
const ICIO_2025: [&str; 50] = [
    "A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16", "C17_18",
    "C19", "C20", "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28", "C29", "C301",
    "C302T309", "C31T33", "D", "E", "F", "G", "H49", "H50", "H51", "H52", "H53", "I", "J58T60",
    "J61", "J62_63", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T",
];
/// How many ICIO 2025 activities are goods.
const ICIO_2025_GOODS: usize = 27;

fn wiod(code: &str) -> Option<SectorKind> {
    let n: u32 = code.strip_prefix('c')?.parse().ok()?;
    if code.len() > 1 && code.as_bytes()[1] == b'0' {
        return None;
    }
    match n {
        1..=16 => Some(SectorKind::Goods),
        17..=35 => Some(SectorKind::Services),
        _ => None,
    }
}

fn icio(list: &[&str], goods: usize, code: &str) -> Option<SectorKind> {
    let i = list.iter().position(|c| *c == code)?;
    Some(if i < goods {
        SectorKind::Goods
    } else {
        SectorKind::Services
    })
}

fn product(code: &str) -> Option<SectorKind> {
    (!code.is_empty() && code.len() <= 6 && code.bytes().all(|b| b.is_ascii_digit()))
        .then_some(SectorKind::Goods)
}

/// The kind of every sector: the file's `goods` flag where given, else the rule of the
/// classification that every code of the table belongs to (see the module documentation).
///
/// ```
/// use tradenet::model::{sector_kinds, Sector, SectorKind};
/// let table: Vec<Sector> = ["c1", "c15", "c17", "c30"]
///     .iter()
///     .map(|c| Sector { id: c.to_string(), ..Default::default() })
///     .collect();
/// let k = sector_kinds(&table);
/// assert_eq!(k.goods(), vec![0, 1]);
/// assert_eq!(k.kinds[2], Some(SectorKind::Services));
/// ```
pub fn sector_kinds(sectors: &[Sector]) -> SectorKinds {
    type Rule = fn(&str) -> Option<SectorKind>;
    let rules: [(&'static str, Rule); 5] = [
        (WIOD, wiod),
        (ICIO, |c| icio(&ICIO_OLD, ICIO_GOODS, c)),
        (ICIO, |c| icio(&ICIO_NEW, ICIO_GOODS, c)),
        (ICIO, |c| icio(&ICIO_2025, ICIO_2025_GOODS, c)),
        (PRODUCTS, product),
    ];
    let fits = |rule: Rule| !sectors.is_empty() && sectors.iter().all(|s| rule(&s.id).is_some());
    let scheme = rules.iter().find(|(_, r)| fits(*r)).copied();
    let kinds: Vec<Option<SectorKind>> = sectors
        .iter()
        .map(|s| match s.goods {
            Some(true) => Some(SectorKind::Goods),
            Some(false) => Some(SectorKind::Services),
            None => scheme.and_then(|(_, rule)| rule(&s.id)),
        })
        .collect();
    let flagged = sectors.iter().filter(|s| s.goods.is_some()).count();
    let needed = flagged < sectors.len();
    SectorKinds {
        kinds,
        scheme: scheme.filter(|_| needed).map(|(name, _)| name),
        flagged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(codes: &[&str]) -> Vec<Sector> {
        codes
            .iter()
            .map(|c| Sector {
                id: c.to_string(),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn wiod_goods_are_c1_to_c16() {
        let codes: Vec<String> = (1..=35).map(|i| format!("c{i}")).collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let k = sector_kinds(&table(&refs));
        assert_eq!(k.goods(), (0..16).collect::<Vec<_>>());
        assert!(k.unknown().is_empty());
        assert_eq!(k.scheme, Some(WIOD));
        // c0, c36 and c01 are not WIOD codes: the table is not recognised.
        for bad in ["c0", "c36", "c01"] {
            assert!(sector_kinds(&table(&["c1", bad])).scheme.is_none(), "{bad}");
        }
    }

    #[test]
    fn icio_old_and_new_codes() {
        let k = sector_kinds(&table(&ICIO_OLD));
        assert_eq!(k.goods().len(), 22);
        assert_eq!(k.kinds[21], Some(SectorKind::Goods)); // D31T33
        assert_eq!(k.kinds[22], Some(SectorKind::Services)); // D35
        let k = sector_kinds(&table(&["A01_02", "C29", "D", "K"]));
        assert_eq!(k.goods(), vec![0, 1]);
        // A lone `D` with WIOD codes is nothing known.
        assert_eq!(sector_kinds(&table(&["c1", "D"])).unknown(), vec![0, 1]);
        // The 2025 release: 50 activities, 27 goods (sections A-C: A01 to C31T33).
        let k = sector_kinds(&table(&ICIO_2025));
        assert_eq!(k.goods().len(), 27);
        assert_eq!(k.kinds[25], Some(SectorKind::Goods)); // C302T309
        assert_eq!(k.kinds[27], Some(SectorKind::Services)); // D
        let k = sector_kinds(&table(&["A01", "C24A", "C301", "H49", "T"]));
        assert_eq!(k.goods(), vec![0, 1, 2]);
        assert_eq!(k.scheme, Some(ICIO));
    }

    #[test]
    fn products_flags_and_unknown() {
        let k = sector_kinds(&table(&["01", "8703", "870323", "0", "781"]));
        assert_eq!(k.goods().len(), 5);
        let k = sector_kinds(&table(&["total"]));
        assert_eq!(k.unknown(), vec![0]);
        let mut t = table(&["total", "c15"]);
        t[0].goods = Some(true);
        let k = sector_kinds(&t);
        assert_eq!(k.goods(), vec![0]);
        assert_eq!(k.unknown(), vec![1]);
        // A flag beats the code.
        let mut t = table(&["c1", "c17"]);
        t[1].goods = Some(true);
        assert_eq!(sector_kinds(&t).goods(), vec![0, 1]);
        assert!(sector_kinds(&t).basis().contains("flags"));
    }
}
