//! The scenario file reader: walks the JSON by hand so that every problem carries its path
//! (`shocks[0].rate: expected a number, got "25%"`).

use super::scenario::*;
use crate::error::{Error, Problem, Problems, Result};
use serde_json::{Map, Value};

/// The scenario in `bytes` (a byte-order mark is skipped), every problem listed with its path.
pub(super) fn read(bytes: &[u8], file: &str) -> Result<Scenario> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    // A key given twice is refused, as in graph files: readers differ in which one they keep.
    let v: Value = crate::io::strict_json(bytes).map_err(|e| {
        let place = format!("line {}, column {}", e.line(), e.column());
        let p = if crate::io::is_duplicate_key(&e) {
            let rule = e.to_string();
            let rule = rule.split(" at line ").next().unwrap_or(&rule).to_string();
            Problem::new(place, rule).hint("give each key once per object")
        } else {
            Problem::new(place, format!("not valid JSON: {e}"))
        };
        Error::invalid(file, p)
    })?;
    let mut probs = Problems::default();
    let scenario = read_scenario(&v, &mut probs);
    probs.into_result(file)?;
    let s = scenario.ok_or_else(|| Error::invalid(file, Problem::new("", "not a scenario")))?;
    Ok(s)
}

fn type_name(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The fields of one JSON object, each taken at most once; [`Fields::finish`] reports the
/// keys nobody took.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    place: String,
    taken: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    fn new(v: &'a Value, place: &str, probs: &mut Problems) -> Option<Self> {
        match v {
            Value::Object(map) => Some(Fields {
                map,
                place: place.to_string(),
                taken: Vec::new(),
            }),
            other => {
                probs.push(Problem::new(
                    place,
                    format!("expected an object, got {}", type_name(other)),
                ));
                None
            }
        }
    }

    fn at(&self, key: &str) -> String {
        if self.place.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.place)
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.taken.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn opt_str(&mut self, key: &'static str, probs: &mut Problems) -> Option<String> {
        match self.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            other => {
                probs.push(Problem::new(
                    self.at(key),
                    format!("expected a non-empty string, got {}", type_name(other)),
                ));
                None
            }
        }
    }

    fn str(&mut self, key: &'static str, probs: &mut Problems) -> Option<String> {
        let v = self.opt_str(key, probs);
        if v.is_none() && self.map.get(key).is_none_or(|v| v.is_null()) {
            probs.push(Problem::new(self.at(key), "missing (required)"));
        }
        v
    }

    fn opt_num(&mut self, key: &'static str, probs: &mut Problems, hint: &str) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            other => {
                let mut p = Problem::new(
                    self.at(key),
                    format!("expected a number, got {}", type_name(other)),
                );
                if !hint.is_empty() {
                    p = p.hint(hint);
                }
                probs.push(p);
                None
            }
        }
    }

    fn num(&mut self, key: &'static str, probs: &mut Problems, hint: &str) -> Option<f64> {
        let v = self.opt_num(key, probs, hint);
        if v.is_none() && self.map.get(key).is_none_or(|v| v.is_null()) {
            probs.push(Problem::new(self.at(key), "missing (required)"));
        }
        v
    }

    fn finish(self, probs: &mut Problems) {
        for k in self.map.keys() {
            if !self.taken.contains(&k.as_str()) {
                let mut expected: Vec<&str> = self.taken.clone();
                expected.dedup();
                probs.push(Problem::new(
                    self.at(k),
                    format!("unknown key (expected one of: {})", expected.join(", ")),
                ));
            }
        }
    }
}

const RATE_HINT: &str = "rates are fractions: 0.25 = 25%";
const PCT_HINT: &str = "percent as a plain number: -10 = a 10% fall";

fn read_scenario(v: &Value, probs: &mut Problems) -> Option<Scenario> {
    let mut f = Fields::new(v, "", probs)?;
    if let Some(fmt) = f.opt_str("format", probs) {
        if fmt != SCENARIO_FORMAT {
            probs.push(Problem::new(
                "format",
                format!("unknown version '{fmt}' (supported: {SCENARIO_FORMAT})"),
            ));
        }
    }
    let name = f.opt_str("name", probs);
    let _ = f.opt_str("description", probs);
    let mut shocks = Vec::new();
    match f.get("shocks") {
        None => probs.push(Problem::new(
            "shocks",
            "missing (required): a list of shocks",
        )),
        Some(Value::Array(list)) => {
            if list.is_empty() {
                probs.push(Problem::new("shocks", "empty: give at least one shock"));
            }
            for (k, s) in list.iter().enumerate() {
                if let Some(s) = read_shock(s, &format!("shocks[{k}]"), probs) {
                    shocks.push(s);
                }
            }
        }
        Some(other) => probs.push(Problem::new(
            "shocks",
            format!("expected an array, got {}", type_name(other)),
        )),
    }
    let elasticities = match f.get("elasticities") {
        None => Elasticities::default(),
        Some(e) => read_elasticities(e, probs).unwrap_or_default(),
    };
    f.finish(probs);
    Some(Scenario {
        name,
        shocks,
        elasticities,
    })
}

fn read_shock(v: &Value, place: &str, probs: &mut Problems) -> Option<Shock> {
    let mut f = Fields::new(v, place, probs)?;
    let kind = f.str("type", probs)?;
    let shock = match kind.as_str() {
        "tariff" => {
            let importer = f.str("importer", probs);
            let exporter = f.str("exporter", probs);
            let sector = f.opt_str("sector", probs);
            let rate = f.num("rate", probs, RATE_HINT);
            let old = f.opt_num("old", probs, RATE_HINT);
            match (importer, exporter, rate) {
                (Some(importer), Some(exporter), Some(rate)) => Some(Shock::Tariff(Tariff {
                    importer,
                    exporter,
                    sector,
                    rate,
                    old,
                })),
                _ => None,
            }
        }
        "demand" => {
            let target = f.str("target", probs);
            let pct = f.num("pct", probs, PCT_HINT);
            target
                .zip(pct)
                .map(|(target, pct)| Shock::Demand(Demand { target, pct }))
        }
        "demand_value" => {
            let node = f.str("node", probs);
            let value = f.num("value", probs, "");
            node.zip(value)
                .map(|(node, value)| Shock::DemandValue(DemandValue { node, value }))
        }
        "supply" => {
            let node = f.str("node", probs);
            let pct = f.num("pct", probs, PCT_HINT);
            node.zip(pct)
                .map(|(node, pct)| Shock::Supply(Supply { node, pct }))
        }
        "embargo" => {
            let from = f.str("from", probs);
            let to = f.str("to", probs);
            let sector = f.opt_str("sector", probs);
            from.zip(to)
                .map(|(from, to)| Shock::Embargo(Embargo { from, to, sector }))
        }
        "trade_cost" => {
            let importer = f.str("importer", probs);
            let exporter = f.str("exporter", probs);
            let sector = f.opt_str("sector", probs);
            let factor = f.num(
                "factor",
                probs,
                "the factor multiplying the trade cost: 1.1 = 10% dearer",
            );
            match (importer, exporter, factor) {
                (Some(importer), Some(exporter), Some(factor)) => {
                    Some(Shock::TradeCost(crate::analysis::ge::TradeCost {
                        importer,
                        exporter,
                        sector,
                        factor,
                    }))
                }
                _ => None,
            }
        }
        other => {
            probs.push(Problem::new(
                format!("{place}.type"),
                format!("unknown shock type '{other}' (expected one of: tariff, demand, demand_value, supply, embargo, trade_cost)"),
            ));
            return None;
        }
    };
    f.finish(probs);
    shock
}

fn read_elasticities(v: &Value, probs: &mut Problems) -> Option<Elasticities> {
    let mut f = Fields::new(v, "elasticities", probs)?;
    let mut e = Elasticities::default();
    if let Some(x) = f.opt_num("import_demand", probs, "") {
        e.import_demand = x;
    }
    if let Some(x) = f.opt_num("substitution", probs, "") {
        e.substitution = x;
    }
    match f.get("sectors") {
        None => {}
        Some(Value::Object(map)) => {
            // Every key is a sector code (checked against the graph when the scenario runs).
            for (code, sv) in map {
                let place = format!("elasticities.sectors.{code}");
                if let Some(mut g) = Fields::new(sv, &place, probs) {
                    let se = SectorElasticities {
                        import_demand: g.opt_num("import_demand", probs, ""),
                        substitution: g.opt_num("substitution", probs, ""),
                    };
                    g.finish(probs);
                    e.sectors.insert(code.clone(), se);
                }
            }
        }
        Some(other) => probs.push(Problem::new(
            "elasticities.sectors",
            format!(
                "expected an object keyed by sector code, got {}",
                type_name(other)
            ),
        )),
    }
    f.finish(probs);
    Some(e)
}
