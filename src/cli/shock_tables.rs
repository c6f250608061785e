//! The human output of `tradenet shock`: the summary lines and the tables, from a
//! [`ShockResult`].

use super::output::{human, Table};
use tradenet::analysis::{
    number_text, percent, percent_text, Channel, FlowEffect, HitAbroad, ShockResult,
    TARIFF_ASSUMPTIONS,
};

/// A change in percent: `+1.5%`, `-0.0012%`, `-` when there is no baseline.
pub fn pct_text(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        // Beyond a million trillion percent: exponent form, never hundreds of digits.
        Some(p) if p.abs() >= 1e15 => format!("{p:+.2e}%"),
        Some(p) if p.abs() >= 10.0 => format!("{p:+.1}%"),
        Some(p) if p.abs() >= 0.01 || p == 0.0 => format!("{p:+.2}%"),
        Some(p) if p.abs() >= 0.0001 => format!("{p:+.4}%"),
        Some(p) => format!("{p:+.1e}%"),
    }
}

/// A change with its sign, in readable units.
pub fn signed(v: f64) -> String {
    let s = human(v);
    if v == 0.0 {
        "0".into()
    } else if v.abs() < 5e-5 {
        format!("{v:+.1e}")
    } else if v > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

fn share_text(v: f64) -> String {
    format!("{:.2}%", 100.0 * v)
}

fn rate_text(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| {
        let p = r * 100.0;
        if p.abs() >= 1e15 {
            // `1e300%`, never hundreds of digits.
            percent_text(r)
        } else if (p - p.round()).abs() < 1e-9 {
            format!("{}%", p.round())
        } else {
            format!("{p:.2}%")
        }
    })
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

/// How the shock was propagated: DebtRank's run, or each input-output model's rounds and
/// cross-check.
pub fn propagation_lines(r: &ShockResult) -> Vec<String> {
    if let Some(d) = &r.debtrank {
        let distressed = d.distressed_round.iter().filter(|x| x.is_some()).count();
        return vec![format!(
            "propagation: DebtRank, {} channel ({}); {} rounds, {} of {} nodes distressed, systemic loss {:.6} (share of total trade)",
            d.channel.as_str(),
            if d.channel == Channel::Export {
                "a buyer's distress cuts its suppliers by the share of their exports it took; baseline = exports"
            } else {
                "a supplier's distress cuts its buyers by the share of their imports it provided; baseline = imports"
            },
            d.rounds.len(),
            distressed,
            r.nodes.len(),
            d.systemic_loss
        )];
    }
    r.checks
        .iter()
        .map(|c| {
            let what = if c.model == "leontief" {
                "Leontief (dx = dy + A dy + A^2 dy + ..., round k = k-th tier of suppliers)"
            } else {
                "Ghosh (dx' = dv' + dv' B + ..., round k = k-th tier of buyers)"
            };
            let check = match c.max_rel_diff {
                Some(d) => format!("dense LU solve agrees to {d:.1e} (max relative difference)"),
                None => format!(
                    "dense LU check skipped above {} nodes",
                    r.params.dense_check_max
                ),
            };
            format!(
                "propagation: {what}; {} rounds to tol {:e}; {check}; residual {:.1e} of |shock| {}",
                c.rounds,
                r.params.rounds.tol,
                if c.shock_l1 > 0.0 { c.residual_l1 / c.shock_l1 } else { c.residual_l1 },
                human(c.shock_l1)
            )
        })
        .collect()
}

/// The total change, the tariff assumptions and effects, and the notes.
pub fn result_lines(r: &ShockResult, unit: &str) -> Vec<String> {
    let mut out = Vec::new();
    let t = r.totals();
    let (what, via) = if r.debtrank.is_some() {
        ("trade (the channel's base)", "through partners")
    } else {
        ("gross output", "through supply chains")
    };
    out.push(format!(
        "total change of {what}: {}{unit} ({} of {}), direct {}, {via} {}",
        signed(t.delta),
        pct_text(t.delta_pct),
        human(t.baseline),
        signed(t.direct),
        signed(t.indirect)
    ));
    if !r.tariffs.is_empty() {
        for a in TARIFF_ASSUMPTIONS {
            out.push(format!("assumption: {a}"));
        }
    }
    for t in &r.tariffs {
        let s = &t.smart;
        out.push(format!(
            "tariff {} on {} {}: {} -> {} (eps {}, sigma {}): imports from {} {}, from others {}; trade creation {}, diversion {} to others; tariff revenue {}, welfare {}{}",
            t.importer,
            t.exporter,
            t.sector.as_deref().unwrap_or("(no sector)"),
            rate_text(Some(t.old_rate)),
            rate_text(Some(t.new_rate)),
            number_text(t.import_demand),
            number_text(t.substitution),
            t.exporter,
            human(t.imports_from_exporter),
            human(t.imports_from_others),
            signed(s.trade_creation),
            human(s.trade_diversion),
            signed(t.revenue_change()),
            signed(s.welfare),
            if s.new_flow == 0.0 && t.imports_from_exporter > 0.0 {
                " [the flow is wiped out]"
            } else {
                ""
            }
        ));
    }
    for n in &r.notes {
        out.push(format!("note: {n}"));
    }
    out
}

/// The direct effect on the trade flows (twice `top` rows), with a total row.
pub fn flows_table(r: &ShockResult, top: usize) -> Option<Table> {
    if r.flows.is_empty() {
        return None;
    }
    let mut rows: Vec<Vec<String>> = r
        .flows
        .iter()
        .take(top.max(1) * 2)
        .map(|f| {
            vec![
                format!("{} -> {}", f.from, f.to),
                f.sector.clone().unwrap_or_else(|| "-".into()),
                f.cause.as_str().into(),
                human(f.baseline),
                if f.old_rate == f.new_rate {
                    rate_text(f.old_rate)
                } else {
                    format!("{} -> {}", rate_text(f.old_rate), rate_text(f.new_rate))
                },
                signed(f.trade_creation),
                signed(f.trade_diversion),
                signed(f.delta),
                pct_text(percent(f.delta, f.baseline)),
                signed(f.revenue_change),
                signed(f.welfare),
            ]
        })
        .collect();
    if r.flows.len() > 1 {
        // Sums that cancel (diversion) are shown as 0, not as rounding noise.
        let sum = |k: fn(&FlowEffect) -> f64| -> f64 {
            let s: f64 = r.flows.iter().map(k).sum();
            let scale: f64 = r.flows.iter().map(|f| k(f).abs()).sum();
            if s.abs() <= 1e-9 * scale {
                0.0
            } else {
                s
            }
        };
        rows.push(vec![
            "total".into(),
            String::new(),
            String::new(),
            human(sum(|f| f.baseline)),
            String::new(),
            signed(sum(|f| f.trade_creation)),
            signed(sum(|f| f.trade_diversion)),
            signed(sum(|f| f.delta)),
            String::new(),
            signed(sum(|f| f.revenue_change)),
            signed(sum(|f| f.welfare)),
        ]);
    }
    Some(Table {
        title: "Direct effect on trade flows (WITS-SMART partial equilibrium; diversion moves sales between suppliers)".into(),
        header: header(&[
            "flow", "sector", "cause", "baseline", "tariff", "creation", "diversion", "delta",
            "delta %", "revenue", "welfare",
        ]),
        rows,
        right: vec![3, 4, 5, 6, 7, 8, 9, 10],
    })
}

/// The nodes that move most.
pub fn movers_table(r: &ShockResult, top: usize) -> Table {
    let movers = r.ranked_nodes();
    let is_dr = r.debtrank.is_some();
    Table {
        title: format!(
            "Top movers ({} of {} nodes, by |delta|; baseline = {})",
            top.min(movers.len()),
            movers.len(),
            if is_dr {
                "the channel's trade"
            } else {
                "gross output"
            }
        ),
        header: if is_dr {
            header(&[
                "#",
                "node",
                "baseline",
                "delta",
                "delta %",
                "direct",
                "via partners",
                "h0",
                "h",
            ])
        } else {
            header(&[
                "#",
                "node",
                "baseline",
                "delta",
                "delta %",
                "direct",
                "via losses",
                "via gains",
            ])
        },
        rows: movers
            .iter()
            .take(top)
            .enumerate()
            .map(|(k, n)| {
                let mut row = vec![
                    (k + 1).to_string(),
                    n.id.clone(),
                    human(n.baseline),
                    signed(n.delta),
                    pct_text(n.delta_pct),
                    signed(n.direct),
                ];
                if let (Some(h0), Some(h)) = (n.h0, n.h) {
                    row.push(signed(n.indirect));
                    row.push(format!("{h0:.4}"));
                    row.push(format!("{h:.4}"));
                } else {
                    row.push(signed(n.via_losses));
                    row.push(signed(n.via_gains));
                }
                row
            })
            .collect(),
        right: vec![0, 2, 3, 4, 5, 6, 7, 8],
    }
}

/// Who abroad is hit through the losers' supply chains ([`ShockResult::hit_abroad`]).
pub fn hit_abroad_table(h: &HitAbroad<'_>, top: usize) -> Table {
    Table {
        title: format!(
            "Hit abroad through the supply chains of the losers ({} directly hit), before any gain",
            h.hit.join(", ")
        ),
        header: header(&[
            "country",
            "via losses",
            "% of output",
            "via gains",
            "net delta",
            "most exposed nodes (via losses)",
        ]),
        rows: h
            .countries
            .iter()
            .take(top)
            .map(|c| {
                vec![
                    c.country.id.clone(),
                    signed(c.country.via_losses),
                    pct_text(c.via_losses_pct),
                    signed(c.country.via_gains),
                    signed(c.country.delta),
                    c.nodes
                        .iter()
                        .take(3)
                        .map(|n| format!("{} {}", n.id, signed(n.via_losses)))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect(),
        right: vec![1, 2, 3, 4],
    }
}

/// The ripple by round: the first 12, then the rest in one row.
pub fn rounds_table(r: &ShockResult) -> Table {
    const SHOWN: usize = 12;
    let is_dr = r.debtrank.is_some();
    let share = |s: Option<f64>| s.map_or("-".into(), share_text);
    let mut rows = Vec::new();
    for rd in r.rounds.iter().take(SHOWN) {
        let who = match (&rd.newly_distressed, &rd.top) {
            (Some(nd), _) => format!("{nd} newly distressed"),
            (None, top) => top
                .iter()
                .flatten()
                .take(3)
                .map(|m| format!("{} {}", m.id, signed(m.delta)))
                .collect::<Vec<_>>()
                .join(", "),
        };
        rows.push(vec![
            rd.round.to_string(),
            signed(rd.delta),
            signed(rd.cumulative),
            share(rd.share),
            who,
        ]);
    }
    if r.rounds.len() > SHOWN {
        let rest = &r.rounds[SHOWN..];
        let d: f64 = rest.iter().map(|x| x.delta).sum();
        let total = r.total_delta();
        rows.push(vec![
            format!("{}-{}", SHOWN, r.rounds.len() - 1),
            signed(d),
            signed(rest.last().map_or(0.0, |x| x.cumulative)),
            share((total != 0.0).then(|| d / total)),
            String::new(),
        ]);
    }
    Table {
        title: if is_dr {
            "Ripple by round (DebtRank: each distressed node passes its loss on once)".into()
        } else {
            "Ripple by round (round 0 = the shock; round k = the k-th tier of the supply chain)"
                .into()
        },
        header: header(&[
            "round",
            "delta",
            "cumulative",
            "share of total",
            if is_dr { "nodes" } else { "largest movers" },
        ]),
        rows,
        right: vec![0, 1, 2, 3],
    }
}

/// The countries by |delta|; `None` when the nodes are the countries.
pub fn countries_table(r: &ShockResult, top: usize) -> Option<Table> {
    let countries = r.ranked_countries();
    // Trade graphs whose nodes are countries already show them as nodes.
    if r.nodes.len() == countries.len() {
        return None;
    }
    let is_dr = r.debtrank.is_some();
    Some(Table {
        title: format!(
            "Countries ({} of {}, by |delta|)",
            top.min(countries.len()),
            countries.len()
        ),
        header: if is_dr {
            header(&[
                "country",
                "baseline",
                "delta",
                "delta %",
                "direct",
                "via partners",
            ])
        } else {
            header(&[
                "country",
                "baseline",
                "delta",
                "delta %",
                "direct",
                "via losses",
                "via gains",
            ])
        },
        rows: countries
            .iter()
            .take(top)
            .map(|c| {
                let mut row = vec![
                    c.id.clone(),
                    human(c.baseline),
                    signed(c.delta),
                    pct_text(c.delta_pct),
                    signed(c.direct),
                ];
                if is_dr {
                    row.push(signed(c.indirect));
                } else {
                    row.push(signed(c.via_losses));
                    row.push(signed(c.via_gains));
                }
                row
            })
            .collect(),
        right: vec![1, 2, 3, 4, 5, 6],
    })
}

/// Every table, in the story's order: the flows, the movers, the ripple by round, who it
/// reaches abroad, the countries.
pub fn tables(r: &ShockResult, top: usize) -> Vec<Table> {
    let mut out: Vec<Table> = flows_table(r, top).into_iter().collect();
    out.push(movers_table(r, top));
    out.push(rounds_table(r));
    out.extend(r.hit_abroad().map(|h| hit_abroad_table(&h, top)));
    out.extend(countries_table(r, top));
    out
}
