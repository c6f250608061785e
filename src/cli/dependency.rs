//! `tradenet dependency`: partner shares, concentration, critical dependencies and value-chain
//! exposure.

use super::flags::{self, Range};
use super::output::{human, pct, Printed, Sink, Table};
use super::GraphArgs;
use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::{json, Value};
use tradenet::analysis::{
    critical_dependencies, dependencies, dependencies_by_year, partner_shares,
    value_chain_exposure, CountryDependency, CriticalParams, DependencyParams, ExposureMatrix,
    PartnerShare, SectorDependency,
};
use tradenet::GraphKind;

#[derive(Debug, Args)]
pub struct DependencyArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub out: super::FormatArgs,
    /// One country in detail: its partners, and (input-output graphs) its value-chain exposure.
    #[arg(long, value_name = "C", value_parser = flags::name("a country id"))]
    pub country: Option<String>,
    /// Report every country's trade with this partner: shares, and exports to it relative to output.
    #[arg(long, value_name = "P", value_parser = flags::name("a country id"))]
    pub partner: Option<String>,
    /// Only these sectors (comma-separated codes).
    #[arg(long, value_delimiter = ',', value_name = "S", value_parser = flags::name("a sector code"))]
    pub sector: Vec<String>,
    /// List critical dependencies (importer x sector): all three criteria of MODELS.md §3.
    #[arg(long)]
    pub critical: bool,
    /// With --critical, list every importer x sector with its criteria, not only the critical ones.
    #[arg(long, requires = "critical")]
    pub all_pairs: bool,
    /// Criterion 1: HHI of the importer's imports of the sector above this.
    #[arg(long, default_value_t = 0.4, value_name = "H", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "a critical threshold (an HHI)"))]
    pub import_hhi: f64,
    /// Criterion 2: HHI of world exports of the sector above this.
    #[arg(long, default_value_t = 0.4, value_name = "H", allow_hyphen_values = true,
          value_parser = flags::number(Range::Unit, "a critical threshold (an HHI)"))]
    pub world_hhi: f64,
    /// Criterion 3: imports / exports of the sector above this.
    #[arg(long, default_value_t = 1.0, value_name = "R", allow_hyphen_values = true,
          value_parser = flags::number(Range::NonNegative, "the critical threshold of imports / exports"))]
    pub ratio: f64,
    /// Input-output graphs: the value-chain exposure of every country to every country's final
    /// demand (every partner is a column, so --partner does not combine with it).
    #[arg(long, conflicts_with = "partner")]
    pub matrix: bool,
    /// Multi-year files: the indicators for every year.
    #[arg(long)]
    pub by_year: bool,
    /// Share of trade that "partners to cover" must reach.
    #[arg(long, default_value_t = 0.8, value_name = "SHARE", allow_hyphen_values = true,
          value_parser = flags::number(Range::Share, "the share of trade to cover"))]
    pub coverage: f64,
    /// Rows in the human tables.
    #[arg(long, default_value_t = 20, value_name = "N", allow_hyphen_values = true,
          value_parser = flags::count(1, "the number of rows"))]
    pub top: usize,
}

fn opt(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::from)
}

fn country_json(r: &CountryDependency) -> Value {
    let mut m = json!({
        "id": r.id,
        "name": r.name,
        "exports": r.exports.total,
        "imports": r.imports.total,
        "top_export_partner": r.exports.top_partner,
        "top_export_share": opt(r.exports.top_share),
        "export_hhi": opt(r.exports.hhi),
        "export_hhi_norm": opt(r.exports.hhi_norm),
        "export_partners": r.exports.partners,
        "export_partners_to_cover": r.exports.partners_to_cover,
        "top_import_partner": r.imports.top_partner,
        "top_import_share": opt(r.imports.top_share),
        "import_hhi": opt(r.imports.hhi),
        "import_hhi_norm": opt(r.imports.hhi_norm),
        "import_partners": r.imports.partners,
        "import_partners_to_cover": r.imports.partners_to_cover,
        "export_aggregate_share": r.exports.aggregate_share,
        "export_hhi_upper": opt(r.exports.hhi_upper),
        "import_aggregate_share": r.imports.aggregate_share,
        "import_hhi_upper": opt(r.imports.hhi_upper),
        "output": opt(r.output),
    });
    if let (Some(p), Value::Object(o)) = (&r.partner, &mut m) {
        o.insert("partner".into(), json!(p.partner));
        o.insert("exports_to_partner".into(), json!(p.exports_to));
        o.insert("imports_from_partner".into(), json!(p.imports_from));
        o.insert("export_share_to_partner".into(), opt(p.export_share));
        o.insert("import_share_from_partner".into(), opt(p.import_share));
        o.insert("exposure_to_partner".into(), opt(p.exposure));
    }
    m
}

/// CSV cell of a JSON value: numbers and strings as they are, null as empty.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// CSV from JSON rows that share their keys.
fn csv_of(rows: &[Value]) -> (Vec<String>, Vec<Vec<String>>) {
    let Some(Value::Object(first)) = rows.first() else {
        return (vec!["id".into()], Vec::new());
    };
    let header: Vec<String> = first.keys().cloned().collect();
    let body = rows
        .iter()
        .map(|r| header.iter().map(|k| cell(&r[k.as_str()])).collect())
        .collect();
    (header, body)
}

fn share_or_dash(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "-".into())
}

fn num_or_dash(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "-".into())
}

fn countries_table(rows: &[CountryDependency], top: usize, partner: Option<&str>) -> Table {
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

fn shares_table(title: &str, shares: &[PartnerShare], top: usize) -> Table {
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

fn critical_table(rows: &[&SectorDependency], top: usize, p: &CriticalParams) -> Table {
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

fn dependency_json(d: &SectorDependency) -> Value {
    json!({
        "id": d.importer,
        "importer": d.importer,
        "sector": d.sector,
        "imports": d.imports,
        "exports": d.exports,
        "top_supplier": d.top_supplier.as_ref().map(|s| s.0.clone()),
        "top_supplier_share": d.top_supplier.as_ref().map(|s| s.1),
        "import_hhi": d.import_hhi,
        "world_export_hhi": d.world_hhi,
        "aggregate_import_share": d.aggregate_share,
        // JSON has no infinity: no exports gives a null ratio.
        "import_export_ratio": if d.ratio.is_finite() { Value::from(d.ratio) } else { Value::Null },
        "import_concentrated": d.criteria[0],
        "world_concentrated": d.criteria[1],
        "net_importer": d.criteria[2],
        "critical": d.critical,
    })
}

fn exposure_row_json(m: &ExposureMatrix, a: usize) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("id".into(), json!(m.producers[a]));
    o.insert("output".into(), json!(m.output[a]));
    for (b, d) in m.destinations.iter().enumerate() {
        o.insert(d.clone(), json!(m.exposure[a][b]));
    }
    Value::Object(o)
}

pub fn run(a: DependencyArgs, out: &Sink) -> Result<()> {
    CriticalParams {
        import_hhi: a.import_hhi,
        world_hhi: a.world_hhi,
        ratio: a.ratio,
    }
    .validate()
    .context("--import-hhi, --world-hhi, --ratio")?;
    // --by-year reports every year apart; everything else uses one year, never a sum.
    let loaded = if a.by_year {
        a.graph.load()?
    } else {
        a.graph.load()?.latest_year()?
    };
    let g = &loaded.graph;
    if let Some(c) = &a.country {
        g.require_country(c)?;
    }
    if let Some(p) = &a.partner {
        g.require_country(p)?;
    }
    if a.matrix && g.kind() != GraphKind::InputOutput {
        bail!("--matrix needs an input-output graph (country-sector nodes with output and final demand); this is a trade graph");
    }
    let sectors = if a.sector.is_empty() {
        None
    } else {
        Some(
            a.sector
                .iter()
                .map(|s| g.require_sector(s))
                .collect::<tradenet::Result<Vec<_>>>()?,
        )
    };
    let params = DependencyParams {
        sectors: sectors.clone(),
        partner: a.partner.clone(),
        coverage: a.coverage,
    };

    let mut summary = vec![format!("graph: {}", loaded.label)];
    if let Some(n) = &g.meta.name {
        summary.push(format!("name: {n}"));
    }
    if g.kind() == GraphKind::InputOutput {
        summary.push(format!(
            "trade indicators on the country view: {}",
            g.country_view_basis()
        ));
    }
    if !a.sector.is_empty() {
        summary.push(format!("sectors: {}", a.sector.join(", ")));
    }
    let mut tables = Vec::new();
    let mut json = json!({
        "graph": super::info::graph_json(&loaded),
        "params": {
            "country": a.country, "partner": a.partner, "sectors": a.sector, "coverage": a.coverage,
            "critical": {"import_hhi": a.import_hhi, "world_hhi": a.world_hhi, "ratio": a.ratio},
        },
    });
    let obj = json.as_object_mut().expect("an object");
    let mut csv: (Vec<String>, Vec<Vec<String>>);

    if a.by_year {
        let years = dependencies_by_year(g, &params)?;
        let mut rows_json = Vec::new();
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
        if let Some(p) = &a.partner {
            table
                .header
                .extend([format!("to {p}"), format!("from {p}")]);
            table.right.extend([9, 10]);
        }
        for (y, rows) in &years {
            for r in rows
                .iter()
                .filter(|r| a.country.as_ref().is_none_or(|c| *c == r.id))
            {
                let mut j = country_json(r);
                if let Value::Object(o) = &mut j {
                    o.shift_insert(1, "year".into(), json!(y));
                }
                rows_json.push(j);
                if a.country.is_some() {
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
        }
        if a.country.is_none() {
            summary.push(format!(
                "{} years; give --country for a table (JSON and CSV hold every country)",
                years.len()
            ));
        } else {
            tables.push(table);
        }
        csv = csv_of(&rows_json);
        obj.insert("by_year".into(), Value::Array(rows_json));
        return out.report(&Printed {
            summary,
            tables,
            json,
            csv,
        });
    }

    let rows = dependencies(g, &params)?;
    let shown: Vec<CountryDependency> = match &a.country {
        Some(c) => rows.iter().filter(|r| r.id == *c).cloned().collect(),
        None => rows.clone(),
    };
    let rows_json: Vec<Value> = shown.iter().map(country_json).collect();
    csv = csv_of(&rows_json);
    obj.insert("countries".into(), Value::Array(rows_json));

    if let Some(c) = &a.country {
        let r = shown.first();
        if let Some(r) = r {
            summary.push(format!(
                "{}{}: exports {}, imports {}",
                r.id,
                r.name
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                human(r.exports.total),
                human(r.imports.total)
            ));
            if let (Some(p), Some(s)) = (&r.exports.top_partner, r.exports.top_share) {
                summary.push(format!(
                    "exports: top destination {p} with {}; HHI {} (normalised {}); {} partners, {} of them make {}",
                    pct(s),
                    num_or_dash(r.exports.hhi),
                    num_or_dash(r.exports.hhi_norm),
                    r.exports.partners,
                    r.exports.partners_to_cover.unwrap_or(0),
                    pct(a.coverage)
                ));
            }
            if let (Some(p), Some(s)) = (&r.imports.top_partner, r.imports.top_share) {
                summary.push(format!(
                    "imports: top origin {p} with {}; HHI {} (normalised {}); {} partners, {} of them make {}",
                    pct(s),
                    num_or_dash(r.imports.hhi),
                    num_or_dash(r.imports.hhi_norm),
                    r.imports.partners,
                    r.imports.partners_to_cover.unwrap_or(0),
                    pct(a.coverage)
                ));
            }
            for (what, c) in [("exports to", &r.exports), ("imports from", &r.imports)] {
                if c.aggregate_share > 0.0 {
                    summary.push(format!(
                        "note: {} of {what} aggregate economies (rest of the world, pseudo-areas): \
                         in the totals and shares, left out of the top partner, the HHI (as if many \
                         small partners; counted as one partner it would be {}) and the partner counts",
                        pct(c.aggregate_share),
                        num_or_dash(c.hhi_upper)
                    ));
                }
            }
            if let Some(l) = &r.partner {
                summary.push(format!(
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
        }
        let (ex, im) = partner_shares(g, c, sectors.as_deref())?;
        tables.push(shares_table(
            &format!("{c}: export destinations"),
            &ex,
            a.top.min(15),
        ));
        tables.push(shares_table(
            &format!("{c}: import origins"),
            &im,
            a.top.min(15),
        ));
        let to_json = |l: &[PartnerShare]| -> Vec<Value> {
            l.iter()
                .map(|s| json!({"id": s.id, "value": s.value, "share": s.share, "aggregate": s.aggregate}))
                .collect()
        };
        obj.insert(
            "partners".into(),
            json!({"exports": to_json(&ex), "imports": to_json(&im)}),
        );
    } else if !a.critical && !a.matrix {
        tables.push(countries_table(&rows, a.top, a.partner.as_deref()));
    }

    if a.critical {
        let cp = CriticalParams {
            import_hhi: a.import_hhi,
            world_hhi: a.world_hhi,
            ratio: a.ratio,
        };
        let deps = critical_dependencies(g, &cp);
        let list: Vec<&SectorDependency> = deps
            .iter()
            .filter(|d| a.all_pairs || d.critical)
            .filter(|d| a.country.as_ref().is_none_or(|c| *c == d.importer))
            .filter(|d| a.sector.is_empty() || a.sector.contains(&d.sector))
            .collect();
        let n_critical = deps.iter().filter(|d| d.critical).count();
        summary.push(format!(
            "critical dependencies: {n_critical} of {} importer x sector pairs",
            deps.len()
        ));
        tables.push(critical_table(&list, a.top, &cp));
        let dj: Vec<Value> = list.iter().map(|d| dependency_json(d)).collect();
        csv = csv_of(&dj);
        obj.insert("dependencies".into(), Value::Array(dj));
    }

    let destinations = g.final_demand_has_destinations();
    if g.kind() == GraphKind::InputOutput && a.country.is_some() && !a.matrix && !destinations {
        summary.push(
            "note: value-chain exposure not computed: final demand in this graph has no destination (one total per node), and the exposure to a country's final demand needs it by destination".into(),
        );
    } else if g.kind() == GraphKind::InputOutput && (a.matrix || a.country.is_some()) {
        let m = value_chain_exposure(g)?;
        summary.push(format!(
            "value-chain exposure: solved (I - A) x = y for {} destinations on {} nodes",
            m.destinations.len(),
            g.node_count()
        ));
        if let Some(c) = &a.country {
            let ai = m
                .producers
                .iter()
                .position(|p| p == c)
                .expect("a producing country");
            let direct = shown.first();
            let mut order: Vec<usize> = (0..m.destinations.len()).collect();
            order.sort_by(|&x, &y| {
                m.exposure[ai][y]
                    .total_cmp(&m.exposure[ai][x])
                    .then_with(|| m.destinations[x].cmp(&m.destinations[y]))
            });
            let (ex, _) = partner_shares(g, c, None)?;
            let share_of = |d: &str| ex.iter().find(|s| s.id == d).map(|s| s.share);
            tables.push(Table {
                title: format!("{c}: share of its gross output that exists because of each country's final demand (value-chain exposure)"),
                header: ["final demand of", "exposure", "direct export share"].map(String::from).to_vec(),
                rows: order
                    .iter()
                    .take(a.top)
                    .map(|&b| {
                        let d = &m.destinations[b];
                        vec![d.clone(), pct(m.exposure[ai][b]), if d == c { "-".into() } else { share_or_dash(share_of(d)) }]
                    })
                    .collect(),
                right: vec![1, 2],
            });
            let _ = direct;
            let vc: Vec<Value> = order
                .iter()
                .map(|&b| json!({"id": m.destinations[b], "exposure": m.exposure[ai][b]}))
                .collect();
            obj.insert(
                "value_chain".into(),
                json!({"country": c, "output": m.output[ai], "exposure": vc}),
            );
            if !a.critical && !a.matrix {
                csv = csv_of(&vc);
            }
        }
        if a.matrix {
            let rows_json: Vec<Value> = (0..m.producers.len())
                .map(|k| exposure_row_json(&m, k))
                .collect();
            let mut header = vec!["producer \\ demand of".to_string()];
            header.extend(m.destinations.iter().cloned());
            tables.push(Table {
                title: "Value-chain exposure: share of each producer's gross output due to each country's final demand".into(),
                header,
                rows: (0..m.producers.len())
                    .map(|k| {
                        let mut r = vec![m.producers[k].clone()];
                        r.extend(m.exposure[k].iter().map(|v| format!("{:.1}", v * 100.0)));
                        r
                    })
                    .collect(),
                right: (1..=m.destinations.len()).collect(),
            });
            csv = csv_of(&rows_json);
            obj.insert(
                "value_chain_matrix".into(),
                json!({"destinations": m.destinations, "rows": rows_json}),
            );
        }
    }
    out.report(&Printed {
        summary,
        tables,
        json,
        csv,
    })
}
