//! The human tables of `tradenet complexity`.

use super::report::ComplexityReport;
use crate::cli::output::{human, Table};
use tradenet::analysis::complexity::CountryProfile;

pub(super) fn num(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.3}"))
}

pub(super) fn profile_tables(p: &CountryProfile, top: usize, nearest: usize) -> Vec<Table> {
    let adv = Table {
        title: format!(
            "{}: products exported with revealed comparative advantage ({} of {}, highest RCA first)",
            p.country.id,
            p.advantages.len().min(top),
            p.advantages.len()
        ),
        header: ["product", "RCA", "exports", "PCI"].map(String::from).to_vec(),
        rows: p
            .advantages
            .iter()
            .take(top)
            .map(|a| vec![a.id.clone(), format!("{:.2}", a.rca), human(a.value), num(a.pci)])
            .collect(),
        right: vec![1, 2, 3],
    };
    let cand = Table {
        title: format!(
            "{}: where to diversify: the {} products nearest its basket (density), ranked by complexity outlook gain",
            p.country.id,
            nearest.min(p.candidates.len())
        ),
        header: ["#", "product", "density", "COG", "PCI", "RCA now", "already exported by (RCA >= threshold, largest first)"]
            .map(String::from)
            .to_vec(),
        rows: p
            .candidates
            .iter()
            .take(top)
            .enumerate()
            .map(|(i, c)| {
                vec![
                    (i + 1).to_string(),
                    c.id.clone(),
                    format!("{:.3}", c.density),
                    format!("{:.3}", c.cog),
                    num(c.pci),
                    format!("{:.2}", c.rca),
                    c.exporters
                        .iter()
                        .take(4)
                        .map(|e| e.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect(),
        right: vec![0, 2, 3, 4, 5],
    };
    vec![adv, cand]
}

impl ComplexityReport<'_> {
    pub(super) fn countries_table(&self) -> Table {
        let (r, fit, top) = (self.r, self.fit(), self.top);
        let key = if fit { "fitness" } else { "ECI" };
        let mut header = vec!["#", "id", "diversity", key, "COI", "exports"];
        if fit {
            header.insert(4, "ECI");
        }
        Table {
            title: format!(
                "Countries by {} ({} of {})",
                if fit {
                    "fitness"
                } else {
                    "economic complexity (ECI)"
                },
                top.min(r.countries.len()),
                r.countries.len()
            ),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: self
                .c_order
                .iter()
                .take(top)
                .enumerate()
                .map(|(k, &i)| {
                    let c = &r.countries[i];
                    let mut row = vec![(k + 1).to_string(), c.id.clone(), c.diversity.to_string()];
                    if fit {
                        row.push(num(c.fitness));
                    }
                    row.extend([num(c.eci), num(c.coi), human(c.exports)]);
                    row
                })
                .collect(),
            right: (0..header.len()).filter(|&i| i != 1).collect(),
        }
    }

    pub(super) fn products_table(&self) -> Table {
        let (r, fit, top) = (self.r, self.fit(), self.top);
        let header: &[&str] = if fit {
            &[
                "#",
                "product",
                "ubiquity",
                "complexity",
                "PCI",
                "world exports",
            ]
        } else {
            &["#", "product", "ubiquity", "PCI", "world exports"]
        };
        Table {
            title: format!(
                "Products by {} ({} of {})",
                if fit {
                    "complexity (fitness method)"
                } else {
                    "product complexity (PCI)"
                },
                top.min(r.products.len()),
                r.products.len()
            ),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: self
                .p_order
                .iter()
                .take(top)
                .enumerate()
                .map(|(k, &i)| {
                    let p = &r.products[i];
                    let mut row = vec![(k + 1).to_string(), p.id.clone(), p.ubiquity.to_string()];
                    if fit {
                        row.push(num(p.complexity));
                    }
                    row.extend([num(p.pci), human(p.exports)]);
                    row
                })
                .collect(),
            right: vec![0, 2, 3, 4, 5],
        }
    }
}
