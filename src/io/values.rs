//! Auxiliary files of values by node: a `node,value` CSV (changes of final demand, gross
//! output, final demand), and the change in percent of each node in a shock's JSON (what
//! `draw --impact` colours by).

use crate::error::{Error, Problem, Result};
use crate::io::fields::Field;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

/// A `node,value` CSV as (node id, value) pairs in file order. The header row is skipped (its
/// names are free); every row needs two columns and a finite value, and no node may be given
/// twice.
///
/// Errors: [`Error::Io`] when the file cannot be read; [`Error::Invalid`] naming the line.
///
/// ```
/// let v = tradenet::io::values::node_values(b"node,value\nUSA:C29, -5\nCAN:C29,2.5\n", "dy.csv").unwrap();
/// assert_eq!(v, vec![("USA:C29".to_string(), -5.0), ("CAN:C29".to_string(), 2.5)]);
/// let e = tradenet::io::values::node_values(b"node,value\nA,1\nA,2\n", "dy.csv").unwrap_err();
/// assert_eq!(e.to_string(), "dy.csv: line 3: node 'A' given twice");
/// ```
pub fn node_values(bytes: &[u8], file: &str) -> Result<Vec<(String, f64)>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (k, rec) in r.records().enumerate() {
        let line = k + 2;
        let problem =
            |rule: String| Error::invalid(file, Problem::new(format!("line {line}"), rule));
        let rec = rec.map_err(|e| problem(e.to_string()))?;
        if rec.len() < 2 {
            return Err(problem("expected two columns, node and value".into()));
        }
        let v: f64 = rec[1]
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                problem(format!(
                    "value '{}' is not a finite number",
                    crate::text::clip(&rec[1])
                ))
            })?;
        if !seen.insert(rec[0].to_string()) {
            return Err(problem(format!(
                "node '{}' given twice",
                crate::text::clip(&rec[0])
            )));
        }
        out.push((rec[0].to_string(), v));
    }
    Ok(out)
}

/// [`node_values`] of the file at `path`.
pub fn read_node_values(path: &str) -> Result<Vec<(String, f64)>> {
    node_values(&super::read_file(path)?, path)
}

/// A shock's JSON as far as its impact goes: `nodes` and `countries` rows.
#[derive(Deserialize)]
struct ImpactDoc<'a> {
    #[serde(default, borrow)]
    nodes: Option<Rows<'a>>,
    #[serde(default, borrow)]
    countries: Option<Rows<'a>>,
}

/// A list of rows, or something else (ignored, as a document without the key).
#[derive(Deserialize)]
#[serde(untagged)]
enum Rows<'a> {
    List(#[serde(borrow)] Vec<Row<'a>>),
    Other(IgnoredAny),
}

/// A row: an object with the fields read leniently, or anything else (a problem).
#[derive(Deserialize)]
#[serde(untagged)]
enum Row<'a> {
    Object(#[serde(borrow)] ImpactRow<'a>),
    Other(IgnoredAny),
}

/// The two fields of a [`NodeEffect`](crate::analysis::NodeEffect) or
/// [`GroupEffect`](crate::analysis::GroupEffect) row that `draw` needs; `None` when absent
/// (a `null` is kept, as a field present).
#[derive(Deserialize)]
struct ImpactRow<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<Field<'a>>,
    #[serde(default, borrow, deserialize_with = "present")]
    delta_pct: Option<Field<'a>>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Field<'de>>, D::Error> {
    Field::deserialize(d).map(Some)
}

/// The change in percent of each node and country in a shock's JSON (`tradenet shock --format
/// json`, FORMAT.md §3): `nodes` rows, then `countries` rows, as (id, delta_pct). Rows whose
/// `delta_pct` is `null` (a zero baseline) are left out, and so are `countries` rows without
/// one (a general-equilibrium result's countries carry welfare instead).
///
/// Errors: [`Error::Invalid`] for a document that is not JSON, a row without an `id` and a
/// numeric `delta_pct`, or no such rows at all.
///
/// ```
/// let json = br#"{"nodes": [{"id": "CAN", "delta_pct": -1.5}, {"id": "X", "delta_pct": null}]}"#;
/// let v = tradenet::io::values::impact(json, "s.json").unwrap();
/// assert_eq!(v, vec![("CAN".to_string(), -1.5)]);
/// ```
pub fn impact(bytes: &[u8], file: &str) -> Result<Vec<(String, f64)>> {
    let doc: ImpactDoc = serde_json::from_slice(bytes).map_err(|e| {
        Error::invalid(
            file,
            Problem::new(format!("line {}", e.line()), format!("invalid JSON: {e}")),
        )
    })?;
    let mut out = Vec::new();
    for (key, rows) in [("nodes", &doc.nodes), ("countries", &doc.countries)] {
        let Some(Rows::List(rows)) = rows else {
            continue;
        };
        for (i, r) in rows.iter().enumerate() {
            let (id, pct) = match r {
                Row::Object(r) => (&r.id, &r.delta_pct),
                Row::Other(_) => (&None, &None),
            };
            let pct_num = match pct {
                Some(Field::Num(p)) => Some(*p),
                Some(Field::Int(p)) => Some(*p as f64),
                _ => None,
            };
            match (id, pct_num) {
                (Some(Field::Str(id)), Some(p)) => out.push((id.to_string(), p)),
                (Some(Field::Str(_)), None) if matches!(pct, Some(Field::Other("null"))) => {}
                // A GE result's countries carry welfare, not a change of output.
                (Some(Field::Str(_)), None) if key == "countries" && pct.is_none() => {}
                _ => {
                    return Err(Error::invalid(
                        file,
                        Problem::new(
                            format!("{key}[{i}]"),
                            "needs \"id\" and a numeric \"delta_pct\"",
                        ),
                    ))
                }
            }
        }
    }
    if out.is_empty() {
        return Err(Error::invalid(
            file,
            Problem::new(
                "",
                "no \"nodes\" or \"countries\" rows with \"id\" and \"delta_pct\"",
            )
            .hint("write it with `tradenet shock ... --format json -o FILE`"),
        ));
    }
    Ok(out)
}

/// [`impact`] of the file at `path`.
pub fn read_impact(path: &str) -> Result<Vec<(String, f64)>> {
    impact(&super::read_file(path)?, path)
}
