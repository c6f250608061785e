//! The human tables and summary lines of `tradenet dependency`.

use crate::cli::output::{human, pct, Table};
use tradenet::analysis::dependency::ValueChain;
use tradenet::analysis::{
    CountryDependency, CriticalParams, ExposureMatrix, PartnerShare, SectorDependency,
};

pub(super) fn share_or_dash(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "-".into())
}

pub(super) fn num_or_dash(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "-".into())
}

pub(super) fn countries_table(
    rows: &[CountryDependency],
    top: usize,
    partner: Option<&str>,
) -> Table {
    let mut header: Vec<String> = [
        "id",
        "exports",
        "top destination",
        "HHI",
        "HHI*",
        "n80",
        "imports",
        "top origin",
        "HHI",
        "n80",
    ]
    .map(String::from)
    .to_vec();
    if let Some(p) = partner {
        header.extend([
            format!("to {p}"),
            format!("from {p}"),
            format!("to {p} / output"),
        ]);
    }
    let body = rows
        .iter()
        .take(top)
        .map(|r| {
            let tp = |c: &tradenet::analysis::Concentration| match (&c.top_partner, c.top_share) {
                (Some(p), Some(s)) => format!("{p} {}", pct(s)),
                _ => "-".into(),
            };
            let mut row = vec![
                r.id.clone(),
                human(r.exports.total),
                tp(&r.exports),
                num_or_dash(r.exports.hhi),
                num_or_dash(r.exports.hhi_norm),
                r.exports
                    .partners_to_cover
                    .map_or("-".into(), |n| n.to_string()),
                human(r.imports.total),
                tp(&r.imports),
                num_or_dash(r.imports.hhi),
                r.imports
                    .partners_to_cover
                    .map_or("-".into(), |n| n.to_string()),
            ];
            if let Some(l) = &r.partner {
                row.extend([
                    share_or_dash(l.export_share),
                    share_or_dash(l.import_share),
                    share_or_dash(l.exposure),
                ]);
            }
            row
        })
        .collect();
    Table {
        title: format!(
            "Partner concentration ({} of {} countries, by exports; n80 = partners for 80%)",
            rows.len().min(top),
            rows.len()
        ),
        header,
        rows: body,
        right: (1..20).collect(),
    }
}

pub(super) fn shares_table(title: &str, shares: &[PartnerShare], top: usize) -> Table {
    let mut acc = 0.0;
    Table {
        title: title.to_string(),
        header: ["#", "partner", "value", "share", "cumulative"]
            .map(String::from)
            .to_vec(),
        rows: shares
            .iter()
            .take(top)
            .enumerate()
            .map(|(i, s)| {
                acc += s.share;
                vec![
                    (i + 1).to_string(),
                    if s.aggregate {
                        format!("{} (aggregate)", s.id)
                    } else {
                        s.id.clone()
                    },
                    human(s.value),
                    pct(s.share),
                    pct(acc),
                ]
            })
            .collect(),
        right: vec![0, 2, 3, 4],
    }
}

pub(super) fn critical_table(rows: &[SectorDependency], top: usize, p: &CriticalParams) -> Table {
    Table {
        title: format!(
            "Critical dependencies: import HHI > {}, world export HHI > {}, imports/exports > {} ({} rows)",
            p.import_hhi,
            p.world_hhi,
            p.ratio,
            rows.len()
        ),
        header: ["importer", "sector", "imports", "top supplier", "import HHI", "world HHI", "imp/exp", "critical"].map(String::from).to_vec(),
        rows: rows
            .iter()
            .take(top)
            .map(|d| {
                let flag = |i: usize, v: String| if d.criteria[i] { format!("{v} *") } else { v };
                vec![
                    d.importer.clone(),
                    d.sector.clone(),
                    human(d.imports),
                    d.top_supplier.as_ref().map_or("-".into(), |(s, sh)| format!("{s} {}", pct(*sh))),
                    flag(0, format!("{:.3}", d.import_hhi)),
                    flag(1, format!("{:.3}", d.world_hhi)),
                    flag(2, if d.ratio.is_finite() { format!("{:.2}", d.ratio) } else { "inf".into() }),
                    if d.critical { "yes".into() } else { "no".into() },
                ]
            })
            .collect(),
        right: vec![2, 4, 5, 6],
    }
}

pub(super) fn value_chain_table(v: &ValueChain, top: usize) -> Table {
    let c = &v.country;
    Table {
        title: format!("{c}: share of its gross output that exists because of each country's final demand (value-chain exposure)"),
        header: ["final demand of", "exposure", "direct export share"].map(String::from).to_vec(),
        rows: v
            .exposure
            .iter()
            .take(top)
            .map(|e| {
                let direct = if e.id == *c { "-".into() } else { share_or_dash(e.direct_share) };
                vec![e.id.clone(), pct(e.exposure), direct]
            })
            .collect(),
        right: vec![1, 2],
    }
}

pub(super) fn matrix_table(m: &ExposureMatrix) -> Table {
    let mut header = vec!["producer \\ demand of".to_string()];
    header.extend(m.destinations.iter().cloned());
    Table {
        title: "Value-chain exposure: share of each producer's gross output due to each country's final demand".into(),
        header,
        rows: m
            .producers
            .iter()
            .zip(&m.exposure)
            .map(|(p, row)| {
                let mut r = vec![p.clone()];
                r.extend(row.iter().map(|v| format!("{:.1}", v * 100.0)));
                r
            })
            .collect(),
        right: (1..=m.destinations.len()).collect(),
    }
}

pub(super) fn by_year_table(
    years: &[(u16, Vec<CountryDependency>)],
    partner: Option<&str>,
) -> Table {
    let mut table = Table {
        title: "By year".into(),
        header: [
            "year",
            "id",
            "exports",
            "top destination",
            "share",
            "export HHI",
            "imports",
            "top origin",
            "share",
        ]
        .map(String::from)
        .to_vec(),
        right: vec![0, 2, 4, 5, 6, 8],
        ..Default::default()
    };
    if let Some(p) = partner {
        table
            .header
            .extend([format!("to {p}"), format!("from {p}")]);
        table.right.extend([9, 10]);
    }
    for (y, rows) in years {
        for r in rows {
            let mut row = vec![
                y.to_string(),
                r.id.clone(),
                human(r.exports.total),
                r.exports.top_partner.clone().unwrap_or("-".into()),
                share_or_dash(r.exports.top_share),
                num_or_dash(r.exports.hhi),
                human(r.imports.total),
                r.imports.top_partner.clone().unwrap_or("-".into()),
                share_or_dash(r.imports.top_share),
            ];
            if let Some(l) = &r.partner {
                row.extend([share_or_dash(l.export_share), share_or_dash(l.import_share)]);
            }
            table.rows.push(row);
        }
    }
    table
}

/// The summary lines on one country: its totals, concentration, aggregates and partner link.
pub(super) fn country_summary(r: &CountryDependency, coverage: f64) -> Vec<String> {
    let name = r
        .name
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let mut s = vec![format!(
        "{}{name}: exports {}, imports {}",
        r.id,
        human(r.exports.total),
        human(r.imports.total)
    )];
    for (what, top, c) in [
        ("exports", "destination", &r.exports),
        ("imports", "origin", &r.imports),
    ] {
        if let (Some(p), Some(share)) = (&c.top_partner, c.top_share) {
            s.push(format!(
                "{what}: top {top} {p} with {}; HHI {} (normalised {}); {} partners, {} of them make {}{}",
                pct(share),
                num_or_dash(c.hhi),
                num_or_dash(c.hhi_norm),
                c.partners,
                c.partners_to_cover.unwrap_or(0),
                pct(coverage),
                if c.aggregate_share > 0.0 {
                    " of the trade with them"
                } else {
                    ""
                }
            ));
        }
    }
    for (what, c) in [("exports to", &r.exports), ("imports from", &r.imports)] {
        if c.aggregate_share > 0.0 {
            s.push(format!(
                "note: {} of {what} aggregate economies (rest of the world, pseudo-areas): \
                 in the totals and shares, left out of the top partner, the HHI (as if many \
                 small partners; counted as one partner it would be {}) and the partner counts",
                pct(c.aggregate_share),
                num_or_dash(c.hhi_upper)
            ));
        }
    }
    if let Some(l) = &r.partner {
        s.push(format!(
            "with {}: exports {} ({} of exports), imports {} ({} of imports){}",
            l.partner,
            human(l.exports_to),
            share_or_dash(l.export_share),
            human(l.imports_from),
            share_or_dash(l.import_share),
            l.exposure
                .map(|e| format!(", exports to it = {} of output", pct(e)))
                .unwrap_or_default()
        ));
    }
    s
}
