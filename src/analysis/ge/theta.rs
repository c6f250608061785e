//! The default trade elasticities: Caliendo and Parro's (2015) theta per ISIC Rev.3 goods
//! sector (`../shared/data/cp2015/sectors.csv`, from their `T.txt`), mapped to the sector
//! codes of the tables tradenet reads, and one documented default for services.
//!
//! | CP2015 sector (ISIC Rev.3) | theta | WIOD (NACE Rev.1) | OECD ICIO (ISIC Rev.4) |
//! |---|---|---|---|
//! | Agriculture (01-05) | 9.11 | c1 | A01, A02, A03, A01_02, D01T02, D03 |
//! | Mining (10-14) | 13.53 | c2 | B05..B09, B05_06, B07_08, D05T06, D07T08, D09 |
//! | Food (15-16) | 2.62 | c3 | C10T12, D10T12 |
//! | Textile (17-19) | 8.10 | c4, c5 | C13T15, D13T15 |
//! | Wood (20) | 11.50 | c6 | C16, D16 |
//! | Paper (21-22) | 16.52 | c7 | C17_18, D17T18 |
//! | Petroleum (23) | 64.85 | c8 | C19, D19 |
//! | Chemicals (24) | 3.13 | c9 | C20, C21, D20, D21 (pharmaceuticals are in ISIC Rev.3 24) |
//! | Plastic (25) | 1.67 | c10 | C22, D22 |
//! | Minerals (26) | 2.41 | c11 | C23, D23 |
//! | Basic metals (27) | 3.28 | c12 with 28 (mean 5.135) | C24, C24A, C24B, D24 |
//! | Metal products (28) | 6.99 | | C25, D25 |
//! | Machinery n.e.c. (29) | 1.45 | c13 | C28, D28 |
//! | Office (30), Communication (32), Medical (33) | 12.95, 3.95, 8.71 | c14 with 31 (mean of the four, 9.63) | C26, D26 (mean of the three, 8.5366...) |
//! | Electrical (31) | 12.91 | | C27, D27 |
//! | Auto (34) | 8.22 | c15 with 35 (8.22) | C29, D29 |
//! | Other transport (35) | 8.22 | | C30, C301, C302T309, D30 |
//! | Other (36-37) | 3.98 | c16 | C31T33, D31T33 |
//!
//! Where one code covers several CP2015 sectors the theta is their arithmetic mean (written
//! above). Every other sector of a recognised classification (electricity, construction and
//! services) gets [`SERVICES_THETA`] = 5, the central value of the aggregate trade elasticity
//! in the quantitative trade literature (Costinot and Rodriguez-Clare 2014, Head and Mayer
//! 2014); CP2015 itself treats services as non-traded, so the data of a graph that trades them
//! needs a value. Override any of them with a `sector,theta` file.

/// The theta of electricity, construction and services.
pub const SERVICES_THETA: f64 = 5.0;

const AGRI: f64 = 9.11;
const MINING: f64 = 13.53;
const FOOD: f64 = 2.62;
const TEXTILE: f64 = 8.10;
const WOOD: f64 = 11.50;
const PAPER: f64 = 16.52;
const PETROLEUM: f64 = 64.85;
const CHEMICALS: f64 = 3.13;
const PLASTIC: f64 = 1.67;
const MINERALS: f64 = 2.41;
const BASIC_METALS: f64 = 3.28;
const METAL_PRODUCTS: f64 = 6.99;
const MACHINERY: f64 = 1.45;
const OFFICE: f64 = 12.95;
const ELECTRICAL: f64 = 12.91;
const COMMUNICATION: f64 = 3.95;
const MEDICAL: f64 = 8.71;
const AUTO: f64 = 8.22;
const OTHER_TRANSPORT: f64 = 8.22;
const OTHER: f64 = 3.98;

/// CP2015's theta for a goods sector code of WIOD or OECD ICIO (any edition), or `None`.
pub fn goods_theta(code: &str) -> Option<f64> {
    let t = match code {
        "c1" | "A01" | "A02" | "A03" | "A01_02" | "D01T02" | "D03" => AGRI,
        "c2" | "B05" | "B06" | "B07" | "B08" | "B09" | "B05_06" | "B07_08" | "D05T06"
        | "D07T08" | "D09" => MINING,
        "c3" | "C10T12" | "D10T12" => FOOD,
        "c4" | "c5" | "C13T15" | "D13T15" => TEXTILE,
        "c6" | "C16" | "D16" => WOOD,
        "c7" | "C17_18" | "D17T18" => PAPER,
        "c8" | "C19" | "D19" => PETROLEUM,
        "c9" | "C20" | "C21" | "D20" | "D21" => CHEMICALS,
        "c10" | "C22" | "D22" => PLASTIC,
        "c11" | "C23" | "D23" => MINERALS,
        "c12" => (BASIC_METALS + METAL_PRODUCTS) / 2.0,
        "C24" | "C24A" | "C24B" | "D24" => BASIC_METALS,
        "C25" | "D25" => METAL_PRODUCTS,
        "c13" | "C28" | "D28" => MACHINERY,
        "c14" => (OFFICE + ELECTRICAL + COMMUNICATION + MEDICAL) / 4.0,
        "C26" | "D26" => (OFFICE + COMMUNICATION + MEDICAL) / 3.0,
        "C27" | "D27" => ELECTRICAL,
        "c15" => (AUTO + OTHER_TRANSPORT) / 2.0,
        "C29" | "D29" => AUTO,
        "C30" | "C301" | "C302T309" | "D30" => OTHER_TRANSPORT,
        "c16" | "C31T33" | "D31T33" => OTHER,
        _ => return None,
    };
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_where_codes_span_sectors() {
        assert_eq!(goods_theta("C29"), Some(8.22));
        assert!((goods_theta("c12").unwrap() - 5.135).abs() < 1e-12);
        assert!((goods_theta("c14").unwrap() - 9.63).abs() < 1e-12);
        assert_eq!(goods_theta("G"), None);
    }
}
