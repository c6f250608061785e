//! The human tables of `tradenet gvc`.

use super::report::GvcReport;
use crate::cli::output::{human, pct, Table};
use tradenet::analysis::gvc::{ExporterGvc, Terms};

/// One line on each term, for the human table.
pub(super) fn explain(term: &str) -> &'static str {
    match term {
        "EXGR" => "gross exports (intermediate and final)",
        "DC" => "domestic content: DVA + DDC",
        "DVA" => "domestic value added, counted once",
        "VAX" => "domestic value added absorbed abroad",
        "REF" => "domestic value added that returns home and is absorbed there",
        "DDC" => "domestic double counting",
        "FC" => "foreign content: FVA + FDC",
        "FVA" => "foreign value added",
        "FDC" => "foreign double counting",
        "VAX1" => "in final goods absorbed by the direct importer",
        "VAX2" => "in intermediates absorbed by the direct importer",
        "VAX3" => "in the importer's final-good exports to third countries",
        "VAX4" => "in intermediates re-exported further",
        "REF1" => "returns home in the importer's final goods",
        "REF2" => "returns home in intermediates",
        "DAVAX" => "directly absorbed: VAX1 + VAX2",
        "FVA1" => "foreign VA in final goods absorbed by the importer",
        "FVA2" => "foreign VA in intermediates absorbed by the importer",
        "FVA3" => "foreign VA in the importer's final-good exports",
        "FVA4" => "foreign VA in intermediates re-exported further",
        "GVCB" => "backward GVC participation",
        "GVCF" => "forward GVC participation",
        "GVC" => "GVC participation: GVCB + GVCF",
        "FDC1" => "world perspective: foreign VA that crossed one border before",
        "FDC2" => "world perspective: the rest of the foreign content",
        "EXGR_DDC" => "value added of the exporting industry itself",
        "EXGR_IDC" => "value added of other domestic industries",
        "EXGR_RIM" => "re-imported domestic content",
        "EXGR_FVA" => "foreign content",
        "DVA_FIN" => "T1 domestic VA in final exports",
        "DVA_INT" => "T2 in intermediates absorbed by the importer",
        "DVA_INTrex1" => "T3 in intermediates re-exported to third countries' final use",
        "DVA_INTrex2" => "T4 in intermediates re-exported as final goods",
        "DVA_INTrex3" => "T5 in intermediates re-exported as intermediates",
        "RDV_FIN1" => "T6 returns home in the importer's final goods",
        "RDV_FIN2" => "T7 returns home in third countries' final goods",
        "RDV_INT" => "T8 returns home in intermediates",
        "DDC_FIN" => "T9 double counted, for final goods",
        "DDC_INT" => "T10 double counted, for intermediates",
        "FVA_FIN1" => "T11 importer's VA in final exports",
        "FVA_FIN2" => "T12 third countries' VA in final exports",
        "FVA_INT1" => "T13 importer's VA in intermediate exports",
        "FVA_INT2" => "T14 third countries' VA in intermediate exports",
        "MDC" => "T15 importer's double-counted VA",
        "ODC" => "T16 third countries' double-counted VA",
        _ => "",
    }
}

pub(super) fn terms_table(title: String, t: &Terms) -> Table {
    let exgr = t.get("EXGR").unwrap_or(0.0);
    Table {
        title,
        header: ["term", "value", "of EXGR", "what"]
            .map(String::from)
            .to_vec(),
        rows: t
            .0
            .iter()
            .map(|(k, v)| {
                vec![
                    k.to_string(),
                    human(*v),
                    if exgr != 0.0 {
                        pct(v / exgr)
                    } else {
                        "-".into()
                    },
                    explain(k).to_string(),
                ]
            })
            .collect(),
        right: vec![1, 2],
    }
}

/// The terms shown as columns of the partner and exporter tables.
pub(super) const COLUMNS: [&str; 5] = ["EXGR", "DVA", "VAX", "FVA", "FDC"];

/// Rows of a table of terms by exporter or partner: id, the COLUMNS, and more cells.
pub(super) fn terms_rows<'a>(
    rows: impl Iterator<Item = (&'a str, &'a Terms)>,
    more: impl Fn(&str) -> Option<String>,
) -> Vec<Vec<String>> {
    rows.map(|(id, t)| {
        let mut r = vec![id.to_string()];
        r.extend(COLUMNS.iter().map(|k| human(t.get(k).unwrap_or(0.0))));
        r.extend(more(id));
        r
    })
    .collect()
}

/// Descending by EXGR, ties by id.
pub(super) fn by_exgr<T>(items: &[T], f: impl Fn(&T) -> (&str, &Terms)) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    let g = |t: &Terms| t.get("EXGR").unwrap_or(0.0);
    v.sort_by(|x, y| {
        let ((xi, xt), (yi, yt)) = (f(x), f(y));
        g(yt).total_cmp(&g(xt)).then_with(|| xi.cmp(yi))
    });
    v
}

impl GvcReport<'_> {
    pub(super) fn exporter_tables(&self, c: &str, e: &ExporterGvc) -> Vec<Table> {
        let (out, top) = (self.out, self.top);
        let mut t = vec![terms_table(
            format!(
                "{c}: value added in gross exports ({})",
                out.method.as_str()
            ),
            &e.terms,
        )];
        let partners = out
            .value_added_partners
            .as_ref()
            .map_or(&[][..], |v| &v.partners);
        t.push(Table {
            title: format!("{c}: where its value added is absorbed (final demand) and where its gross exports go"),
            header: ["partner", "value added", "share", "gross exports", "share"].map(String::from).to_vec(),
            rows: partners
                .iter()
                .take(top)
                .map(|p| vec![p.id.clone(), human(p.value_added), pct(p.value_added_share), human(p.gross), pct(p.gross_share)])
                .collect(),
            right: vec![1, 2, 3, 4],
        });
        if !e.by_partner.is_empty() {
            let bp = by_exgr(&e.by_partner, |p| (&p.id, &p.terms));
            let mut header = vec!["direct importer".to_string()];
            header.extend(COLUMNS.iter().map(|s| s.to_string()));
            t.push(Table {
                title: format!(
                    "{c}: terms by direct importer ({} of {}, by EXGR)",
                    bp.len().min(top),
                    bp.len()
                ),
                header,
                rows: terms_rows(
                    bp.iter().take(top).map(|p| (p.id.as_str(), &p.terms)),
                    |_| None,
                ),
                right: (1..=COLUMNS.len()).collect(),
            });
        }
        t
    }

    pub(super) fn exporters_table(&self, exporters: &[ExporterGvc]) -> Table {
        let ex = by_exgr(exporters, |e| (&e.id, &e.terms));
        let mut header = vec!["exporter".to_string()];
        header.extend(COLUMNS.iter().map(|s| s.to_string()));
        header.push("VAX ratio".into());
        Table {
            title: format!("Value added in gross exports ({} of {} exporters, by EXGR; VAX ratio = value added absorbed abroad / gross exports)", ex.len().min(self.top), ex.len()),
            header,
            rows: terms_rows(ex.iter().take(self.top).map(|e| (e.id.as_str(), &e.terms)), |id| {
                Some(self.out.vax_ratio(id).map_or("-".into(), pct))
            }),
            right: (1..=COLUMNS.len() + 1).collect(),
        }
    }

    pub(super) fn tiva_table(&self, tiva: &tradenet::analysis::gvc::Tiva) -> Table {
        let n = tiva.countries.len();
        let mut rows: Vec<(String, f64, f64, Option<f64>)> = (0..n)
            .map(|k| {
                let va: f64 = (0..n)
                    .filter(|&c| c != k)
                    .map(|c| tiva.value_added[k][c])
                    .sum();
                let gross: f64 = tiva.gross[k].iter().sum();
                (tiva.countries[k].clone(), va, gross, tiva.vax_ratio[k])
            })
            .collect();
        rows.sort_by(|x, y| y.2.total_cmp(&x.2).then_with(|| x.0.cmp(&y.0)));
        Table {
            title:
                "Trade in value added: value added absorbed abroad (V B Y) against gross exports"
                    .into(),
            header: [
                "country",
                "value added exports",
                "gross exports",
                "VAX ratio",
            ]
            .map(String::from)
            .to_vec(),
            rows: rows
                .iter()
                .take(self.top)
                .map(|r| {
                    vec![
                        r.0.clone(),
                        human(r.1),
                        human(r.2),
                        r.3.map_or("-".into(), pct),
                    ]
                })
                .collect(),
            right: vec![1, 2, 3],
        }
    }
}
