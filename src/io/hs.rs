//! Harmonized System (HS) product codes: levels (HS6, HS4 heading, HS2 chapter, section) and
//! the 21 sections of the nomenclature.
//!
//! Provenance: the chapters of each section are those of the HS nomenclature's table of
//! contents (World Customs Organization; the same in HS 1992 to HS 2022: chapter 77 is reserved
//! for future use, chapters 98 and 99 for national use and so in no section). Written here as
//! facts, not copied from a file.

use crate::model::Grouping;

/// The level products are kept at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HsLevel {
    /// Six-digit subheadings, as BACI publishes them (the default).
    #[default]
    Hs6,
    /// Four-digit headings.
    Hs4,
    /// Two-digit chapters.
    Hs2,
    /// The 21 sections (`I` to `XXI`).
    Section,
}

impl HsLevel {
    /// `6`, `4`, `2` or `section`, as the flag spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            HsLevel::Hs6 => "6",
            HsLevel::Hs4 => "4",
            HsLevel::Hs2 => "2",
            HsLevel::Section => "section",
        }
    }
}

/// The sections: (id, first chapter, last chapter, title).
pub const SECTIONS: [(&str, u8, u8, &str); 21] = [
    ("I", 1, 5, "Live animals; animal products"),
    ("II", 6, 14, "Vegetable products"),
    (
        "III",
        15,
        15,
        "Animal, vegetable or microbial fats and oils",
    ),
    (
        "IV",
        16,
        24,
        "Prepared foodstuffs; beverages, spirits and vinegar; tobacco",
    ),
    ("V", 25, 27, "Mineral products"),
    (
        "VI",
        28,
        38,
        "Products of the chemical or allied industries",
    ),
    ("VII", 39, 40, "Plastics and rubber, and articles thereof"),
    (
        "VIII",
        41,
        43,
        "Raw hides and skins, leather, furskins; saddlery, handbags",
    ),
    ("IX", 44, 46, "Wood, cork and articles thereof; basketware"),
    (
        "X",
        47,
        49,
        "Pulp of wood; paper and paperboard; printed matter",
    ),
    ("XI", 50, 63, "Textiles and textile articles"),
    (
        "XII",
        64,
        67,
        "Footwear, headgear, umbrellas; artificial flowers",
    ),
    (
        "XIII",
        68,
        70,
        "Articles of stone, plaster, cement; ceramic products; glass",
    ),
    (
        "XIV",
        71,
        71,
        "Pearls, precious stones and metals; jewellery; coin",
    ),
    ("XV", 72, 83, "Base metals and articles of base metal"),
    (
        "XVI",
        84,
        85,
        "Machinery and mechanical appliances; electrical equipment",
    ),
    (
        "XVII",
        86,
        89,
        "Vehicles, aircraft, vessels and transport equipment",
    ),
    (
        "XVIII",
        90,
        92,
        "Optical, photographic, measuring, medical instruments; clocks; musical instruments",
    ),
    ("XIX", 93, 93, "Arms and ammunition"),
    ("XX", 94, 96, "Miscellaneous manufactured articles"),
    (
        "XXI",
        97,
        97,
        "Works of art, collectors' pieces and antiques",
    ),
];

/// The section of chapter `ch` (1-97), `None` for 77, 98, 99 and numbers outside the HS.
pub fn section_of(ch: u8) -> Option<(&'static str, &'static str)> {
    if ch == 77 {
        return None;
    }
    SECTIONS
        .iter()
        .find(|(_, a, b, _)| (*a..=*b).contains(&ch))
        .map(|(id, _, _, title)| (*id, *title))
}

/// A six-digit HS code from a product code as written: six digits, or five when a leading
/// zero was lost (`10121` is `010121`). `None` otherwise.
pub fn hs6(code: &str) -> Option<String> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.len() {
        6 => Some(code.to_string()),
        5 => Some(format!("0{code}")),
        _ => None,
    }
}

/// The grouping of `codes` (product codes as written) to `level`, and the codes that are not
/// HS6 codes or whose chapter is in no section (77, 98, 99; at the section level only).
pub fn grouping(codes: &[&str], level: HsLevel) -> (Grouping, Vec<String>) {
    let mut g = Grouping::new(format!("HS {} level", level.as_str()));
    let mut bad = Vec::new();
    for &c in codes {
        let Some(h) = hs6(c) else {
            bad.push(c.to_string());
            continue;
        };
        let target = match level {
            HsLevel::Hs6 => h,
            HsLevel::Hs4 => h[..4].to_string(),
            HsLevel::Hs2 => h[..2].to_string(),
            HsLevel::Section => {
                let ch: u8 = h[..2].parse().expect("two digits");
                match section_of(ch) {
                    Some((id, title)) => {
                        g.name_group(id, title);
                        id.to_string()
                    }
                    None => {
                        bad.push(c.to_string());
                        continue;
                    }
                }
            }
        };
        g.insert(c, target);
    }
    (g, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_cover_chapters_1_to_97_but_77() {
        for ch in 1..=97u8 {
            assert_eq!(section_of(ch).is_none(), ch == 77, "chapter {ch}");
        }
        assert!(section_of(0).is_none() && section_of(98).is_none() && section_of(99).is_none());
        assert_eq!(section_of(87).unwrap().0, "XVII");
        assert_eq!(section_of(27).unwrap().0, "V");
        assert_eq!(section_of(71).unwrap().0, "XIV");
    }

    #[test]
    fn codes() {
        assert_eq!(hs6("10121").as_deref(), Some("010121"));
        assert_eq!(hs6("870323").as_deref(), Some("870323"));
        assert!(hs6("8703").is_none() && hs6("87032a").is_none() && hs6("1234567").is_none());
        let (g, bad) = grouping(&["010121", "10129", "870323", "999999"], HsLevel::Section);
        assert_eq!(g.group_of("10129"), Some("I"));
        assert_eq!(g.group_of("870323"), Some("XVII"));
        assert_eq!(bad, vec!["999999".to_string()]);
        let (g, _) = grouping(&["10129"], HsLevel::Hs4);
        assert_eq!(g.group_of("10129"), Some("0101"));
    }
}
