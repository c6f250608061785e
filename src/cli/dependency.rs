//! `tradenet dependency`: partner shares, concentration, critical dependencies and value-chain
//! exposure.

use super::flags::{self, Range};
use super::output::{human, pct, to_json, Csv, Report, Sink, Table};
use super::GraphArgs;
use anyhow::Result;
use clap::Args;
use serde::Serialize;
use serde_json::Value;
use tradenet::analysis::dependency::ValueChain;
use tradenet::analysis::{
    dependency, CountryDependency, CriticalParams, DependencyOutput, DependencyParams,
    ExposureMatrix, PartnerShare, SectorDependency,
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

fn critical_table(rows: &[SectorDependency], top: usize, p: &CriticalParams) -> Table {
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


/// Library parameter names and their flags.
const FLAGS: [(&str, &str); 8] = [
    ("coverage", "--coverage"),
    ("critical.import_hhi", "--import-hhi"),
    ("critical.world_hhi", "--world-hhi"),
    ("critical.ratio", "--ratio"),
    ("all_pairs", "--all-pairs"),
    ("matrix", "--matrix"),
    ("by_year", "--by-year"),
    ("sectors", "--sector"),
];

fn value_chain_table(v: &ValueChain, top: usize) -> Table {
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

fn matrix_table(m: &ExposureMatrix) -> Table {
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

fn by_year_table(years: &[(u16, Vec<CountryDependency>)], partner: Option<&str>) -> Table {
    let mut table = Table {
        title: "By year".into(),
        header: ["year", "id", "exports", "top destination", "share", "export HHI", "imports", "top origin", "share"]
            .map(String::from)
            .to_vec(),
        right: vec![0, 2, 4, 5, 6, 8],
        ..Default::default()
    };
    if let Some(p) = partner {
        table.header.extend([format!("to {p}"), format!("from {p}")]);
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
fn country_summary(r: &CountryDependency, coverage: f64) -> Vec<String> {
    let name = r.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
    let mut s = vec![format!(
        "{}{name}: exports {}, imports {}",
        r.id,
        human(r.exports.total),
        human(r.imports.total)
    )];
    for (what, top, c) in [("exports", "destination", &r.exports), ("imports", "origin", &r.imports)] {
        if let (Some(p), Some(share)) = (&c.top_partner, c.top_share) {
            s.push(format!(
                "{what}: top {top} {p} with {}; HHI {} (normalised {}); {} partners, {} of them make {}",
                pct(share),
                num_or_dash(c.hhi),
                num_or_dash(c.hhi_norm),
                c.partners,
                c.partners_to_cover.unwrap_or(0),
                pct(coverage)
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

/// The `dependency` output in each format.
struct DependencyReport<'a> {
    /// The `graph` block of the JSON.
    graph: Value,
    /// The summary's first lines (the graph and the view).
    head: Vec<String>,
    /// Nodes of the graph (for the value-chain line).
    nodes: usize,
    p: &'a DependencyParams,
    out: &'a DependencyOutput,
    top: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    graph: &'a Value,
    params: &'a DependencyParams,
    #[serde(flatten)]
    out: &'a DependencyOutput,
}

/// CSV of JSON rows that share their keys: numbers and strings as they are, null as empty.
fn csv_of(rows: &Value) -> Csv {
    let rows = rows.as_array().map_or(&[][..], Vec::as_slice);
    let Some(Value::Object(first)) = rows.first() else {
        return (vec!["id".into()], Vec::new());
    };
    let header: Vec<String> = first.keys().cloned().collect();
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let body = rows
        .iter()
        .map(|r| header.iter().map(|k| cell(&r[k.as_str()])).collect())
        .collect();
    (header, body)
}

impl Report for DependencyReport<'_> {
    fn summary(&self) -> Vec<String> {
        let (p, out) = (self.p, self.out);
        let mut s = self.head.clone();
        if let Some(years) = &out.by_year {
            if p.country.is_none() {
                s.push(format!(
                    "{} years; give --country for a table (JSON and CSV hold every country)",
                    years.len()
                ));
            }
            return s;
        }
        if let (Some(_), Some(r)) = (&p.country, out.countries.iter().flatten().next()) {
            s.extend(country_summary(r, p.coverage));
        }
        if let Some((critical, pairs)) = out.critical_pairs {
            s.push(format!(
                "critical dependencies: {critical} of {pairs} importer x sector pairs"
            ));
        }
        s.extend(out.notes.iter().map(|n| format!("note: {n}")));
        if let Some(d) = out.exposure_destinations {
            s.push(format!(
                "value-chain exposure: solved (I - A) x = y for {d} destinations on {} nodes",
                self.nodes
            ));
        }
        s
    }

    fn tables(&self) -> Vec<Table> {
        let (p, out, top) = (self.p, self.out, self.top);
        let mut t = Vec::new();
        if let Some(years) = &out.by_year {
            if p.country.is_some() {
                t.push(by_year_table(years, p.partner.as_deref()));
            }
            return t;
        }
        if let (Some(c), Some(parts)) = (&p.country, &out.partners) {
            t.push(shares_table(&format!("{c}: export destinations"), &parts.exports, top.min(15)));
            t.push(shares_table(&format!("{c}: import origins"), &parts.imports, top.min(15)));
        } else if !p.list_critical && !p.matrix {
            let rows = out.countries.as_deref().unwrap_or_default();
            t.push(countries_table(rows, top, p.partner.as_deref()));
        }
        if let Some(d) = &out.dependencies {
            t.push(critical_table(d, top, &p.critical));
        }
        if let Some(v) = &out.value_chain {
            t.push(value_chain_table(v, top));
        }
        if let Some(m) = &out.matrix {
            t.push(matrix_table(m));
        }
        t
    }

    fn json(&self) -> Result<Value> {
        to_json(&Doc {
            graph: &self.graph,
            params: self.p,
            out: self.out,
        })
    }

    /// The rows of the last part asked for: the matrix, the critical dependencies, one
    /// country's value chain, else the countries (or years).
    fn csv(&self) -> Result<Csv> {
        let v = to_json(self.out)?;
        let rows = if let Some(m) = v.get("value_chain_matrix") {
            &m["rows"]
        } else if let Some(d) = v.get("dependencies") {
            d
        } else if let Some(vc) = v.get("value_chain") {
            &vc["exposure"]
        } else if let Some(y) = v.get("by_year") {
            y
        } else {
            &v["countries"]
        };
        Ok(csv_of(rows))
    }
}

pub fn run(a: DependencyArgs, out: &Sink) -> Result<()> {
    let p = DependencyParams {
        country: a.country,
        partner: a.partner,
        sectors: a.sector,
        coverage: a.coverage,
        critical: CriticalParams {
            import_hhi: a.import_hhi,
            world_hhi: a.world_hhi,
            ratio: a.ratio,
        },
        list_critical: a.critical,
        all_pairs: a.all_pairs,
        matrix: a.matrix,
        by_year: a.by_year,
    };
    p.validate().map_err(|e| e.rename_param(&FLAGS))?;
    // --by-year reports every year apart; everything else uses one year, never a sum.
    let loaded = if a.by_year {
        a.graph.load()?
    } else {
        a.graph.load()?.latest_year()?
    };
    let g = &loaded.graph;
    let result = dependency(g, &p).map_err(|e| e.rename_param(&FLAGS))?;
    let mut head = vec![format!("graph: {}", loaded.label)];
    if let Some(n) = &g.meta.name {
        head.push(format!("name: {n}"));
    }
    if g.kind() == GraphKind::InputOutput {
        head.push(format!(
            "trade indicators on the country view: {}",
            g.country_view_basis()
        ));
    }
    if !p.sectors.is_empty() {
        head.push(format!("sectors: {}", p.sectors.join(", ")));
    }
    out.report(&DependencyReport {
        graph: to_json(&super::info::graph_json(&loaded))?,
        head,
        nodes: g.node_count(),
        p: &p,
        out: &result,
        top: a.top,
    })
}
