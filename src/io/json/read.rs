//! Reading the native graph file: a streaming deserializer over the whole document that
//! records every problem with its JSON path and builds the graph as it goes.

use super::SUPPORTED;
use crate::error::{Problem, Result};
use crate::io::fields::{duplicate_key, is_duplicate, syntax_problem, Field, Strict};
use crate::model::{FinalDemand, FlowExtra, GraphBuilder, Meta, NodeExtra, Place, TradeGraph};
use crate::text::clip;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Read a native graph file. Problems are reported against `<input>`; the caller names the file.
pub fn read(bytes: &[u8]) -> Result<TradeGraph> {
    if let Some(p) = crate::io::text::encoding_problem(bytes) {
        return Err(crate::Error::invalid("<input>", p));
    }
    let mut b = GraphBuilder::new();
    b.set_input_bytes(bytes.len() as u64);
    let mut state = DocState::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = DocSeed {
        b: &mut b,
        st: &mut state,
    }
    .deserialize(&mut de)
    .and_then(|_| de.end());
    if let Err(e) = parsed {
        if b.over_budget() {
            return Err(b.fail("<input>"));
        }
        if e.is_syntax() || e.is_eof() || is_duplicate(&e) {
            b.problem(syntax_problem(&e, bytes));
        } else {
            b.problem(Problem::new("", e.to_string()));
        }
        // Whole-graph checks (unknown nodes, emptiness) mean nothing in a file read halfway.
        return Err(b.fail("<input>"));
    }
    if let Some(p) = state.version_problem {
        // Nothing else is meaningful in a file of another version.
        return Err(crate::Error::invalid("<input>", p));
    }
    if !state.saw_format {
        return Err(crate::Error::invalid(
            "<input>",
            Problem::new("format", "missing \"format\"")
                .hint("a tradenet graph file starts with \"format\": \"tradenet/1\" (NetworkX node-link files need \"nodes\" and \"edges\" or \"links\")"),
        ));
    }
    b.build("<input>")
}

/// The message that stops a reader whose graph would not fit in memory (the builder holds
/// the real error).
pub(crate) const OVER_BUDGET: &str = "over the memory budget";

#[derive(Default)]
struct DocState {
    saw_format: bool,
    version_problem: Option<Problem>,
}

struct DocSeed<'a> {
    b: &'a mut GraphBuilder,
    st: &'a mut DocState,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object with \"format\", \"nodes\" and \"flows\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(duplicate_key(&key)));
            }
            match &*key {
                "format" => {
                    self.st.saw_format = true;
                    let f: Field = map.next_value()?;
                    match f.string(|| "format".into(), false) {
                        Ok(v) if SUPPORTED.contains(&&*v) => {}
                        Ok(v) => {
                            self.st.version_problem = Some(
                                Problem::new("format", format!("unknown format version '{}' (supported: {})", clip(&v), SUPPORTED.join(", ")))
                                    .hint("this file was written by another version of tradenet; upgrade tradenet or convert the file"),
                            )
                        }
                        Err(p) => self.st.version_problem = Some(p),
                    }
                }
                "meta" => {
                    let Strict(v) = map.next_value()?;
                    let meta = meta_from_value(v, self.b);
                    self.b.set_meta(meta);
                }
                "sectors" => {
                    let Strict(v) = map.next_value()?;
                    read_sectors(v, self.b);
                }
                "nodes" => map.next_value_seed(ListSeed {
                    b: self.b,
                    what: List::Nodes,
                })?,
                "flows" => map.next_value_seed(ListSeed {
                    b: self.b,
                    what: List::Flows,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Metadata from the `meta` object; known keys typed, the rest kept in order.
pub(crate) fn meta_from_value(v: Value, b: &mut GraphBuilder) -> Meta {
    let mut meta = Meta::default();
    let Value::Object(m) = v else {
        b.problem(Problem::new("meta", "must be an object"));
        return meta;
    };
    for (k, v) in m {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            _ => None,
        };
        match (k.as_str(), &v) {
            ("name", _) if text(&v).is_some() => meta.name = text(&v),
            ("unit", _) if text(&v).is_some() => meta.unit = text(&v),
            ("source", _) if text(&v).is_some() => meta.source = text(&v),
            ("notes", _) if text(&v).is_some() => meta.notes = text(&v),
            ("year", Value::Number(n)) if n.as_i64().is_some() => meta.year = n.as_i64(),
            ("name" | "unit" | "source" | "notes", _) => {
                b.problem(Problem::new(format!("meta.{k}"), "must be a string"))
            }
            ("year", _) => b.problem(Problem::new("meta.year", "must be a whole number")),
            _ => {
                meta.extra.insert(k, v);
            }
        }
    }
    meta
}

fn read_sectors(v: Value, b: &mut GraphBuilder) {
    let Value::Array(list) = v else {
        b.problem(Problem::new(
            "sectors",
            "must be an array of {\"id\", \"name\"} objects",
        ));
        return;
    };
    b.declare_sectors();
    for (i, s) in list.into_iter().enumerate() {
        let place = Place::Item("sectors", i);
        match s {
            Value::Object(mut m) => {
                let id = match m.remove("id") {
                    Some(Value::String(s)) => s,
                    Some(_) => {
                        b.problem(Problem::new(place.at("id"), "must be a string"));
                        continue;
                    }
                    None => {
                        b.problem(Problem::new(place.at("id"), "missing id"));
                        continue;
                    }
                };
                let name = match m.remove("name") {
                    Some(Value::String(s)) => Some(s),
                    None | Some(Value::Null) => None,
                    Some(_) => {
                        b.problem(Problem::new(place.at("name"), "must be a string"));
                        None
                    }
                };
                let goods = sector_goods(m.remove("goods"), &place, b);
                b.add_sector_with(&id, name, goods, place);
            }
            // A bare string is a sector id.
            Value::String(id) => b.add_sector(&id, None, place),
            _ => b.problem(Problem::new(
                place.at(""),
                "must be an object {\"id\", \"name\"}",
            )),
        }
    }
}

/// A sector's optional `"goods"` flag: `true` (tradable goods: agriculture, mining,
/// manufacturing), `false` (services), absent or null. Shared with node-link.
pub(crate) fn sector_goods(v: Option<Value>, place: &Place, b: &mut GraphBuilder) -> Option<bool> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Bool(g)) => Some(g),
        Some(other) => {
            b.problem(
                Problem::new(
                    place.at("goods"),
                    format!("must be true or false, got {other}"),
                )
                .hint("true for a tradable goods sector (agriculture, mining, manufacturing), false for services"),
            );
            None
        }
    }
}

#[derive(Clone, Copy)]
enum List {
    Nodes,
    Flows,
}

struct ListSeed<'a> {
    b: &'a mut GraphBuilder,
    what: List,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut i = 0usize;
        match self.what {
            List::Nodes => {
                while let Some(Strict(v)) = seq.next_element()? {
                    node_from_value(v, Place::Item("nodes", i), self.b, false);
                    i += 1;
                    if self.b.over_budget() {
                        return Err(de::Error::custom(OVER_BUDGET));
                    }
                }
            }
            List::Flows => {
                while let Some(raw) = seq.next_element::<RawFlow>()? {
                    raw.add_to(self.b, Place::Item("flows", i));
                    i += 1;
                    if self.b.over_budget() {
                        return Err(de::Error::custom(OVER_BUDGET));
                    }
                }
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.wrong_type()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<(), E> {
        self.wrong_type()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        self.wrong_type()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        self.wrong_type()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        self.wrong_type()
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        self.wrong_type()
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        self.wrong_type()
    }
}

impl ListSeed<'_> {
    fn wrong_type<E>(self) -> std::result::Result<(), E> {
        let key = match self.what {
            List::Nodes => "nodes",
            List::Flows => "flows",
        };
        self.b.problem(Problem::new(key, "must be an array"));
        Ok(())
    }
}

/// A number (`None` when absent or null; a problem at `place`, made only then, otherwise).
fn number_field(v: Option<Value>, place: impl Fn() -> String, b: &mut GraphBuilder) -> Option<f64> {
    match v {
        None | Some(Value::Null) => None,
        Some(v) => Field::of(&v).number(place).map_err(|p| b.problem(p)).ok(),
    }
}

/// A string, or with `numbers_ok` a number as text (`None` when absent or null; a problem at
/// `place`, made only then, otherwise).
fn string_field(
    v: Option<Value>,
    place: impl Fn() -> String,
    b: &mut GraphBuilder,
    numbers_ok: bool,
) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) if numbers_ok => {
            if n.is_i64() || n.is_u64() {
                return Some(n.to_string());
            }
            let v = n.as_f64().unwrap_or(0.0);
            let id = crate::io::fields::number_id(v);
            if id.is_none() {
                b.problem(crate::io::fields::too_large_id(place(), v));
            }
            id
        }
        Some(_) => {
            b.problem(Problem::new(place(), "must be a string"));
            None
        }
    }
}

/// A node from its JSON object (native, or NetworkX node-link with `numbers_ok` ids). Unknown
/// keys go into `attrs`.
pub(crate) fn node_from_value(v: Value, place: Place, b: &mut GraphBuilder, numbers_ok: bool) {
    let Value::Object(mut m) = v else {
        b.problem(Problem::new(
            place.at(""),
            "must be an object with an \"id\"",
        ));
        return;
    };
    let id = match m.remove("id") {
        None => {
            b.problem(Problem::new(place.at("id"), "missing id"));
            return;
        }
        v => match string_field(v, || place.at("id"), b, numbers_ok) {
            Some(id) => id,
            None => return,
        },
    };
    let country = string_field(m.remove("country"), || place.at("country"), b, false);
    let sector = string_field(m.remove("sector"), || place.at("sector"), b, false);
    let mut x = NodeExtra {
        name: string_field(m.remove("name"), || place.at("name"), b, false),
        region: string_field(m.remove("region"), || place.at("region"), b, false),
        group: string_field(m.remove("group"), || place.at("group"), b, false),
        aggregate: match m.remove("aggregate") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(v)) => v,
            Some(_) => {
                b.problem(Problem::new(
                    place.at("aggregate"),
                    "must be true or false (true: the node stands for several economies, e.g. the rest of the world)",
                ));
                false
            }
        },
        output: number_field(m.remove("output"), || place.at("output"), b),
        value_added: number_field(m.remove("value_added"), || place.at("value_added"), b),
        gdp: number_field(m.remove("gdp"), || place.at("gdp"), b),
        final_demand: None,
        attrs: None,
    };
    match m.remove("final_demand") {
        None | Some(Value::Null) => {}
        Some(v @ Value::Number(_)) => {
            x.final_demand =
                number_field(Some(v), || place.at("final_demand"), b).map(FinalDemand::Total)
        }
        Some(Value::Object(d)) => {
            let mut list = Vec::with_capacity(d.len());
            for (dest, v) in d {
                let p = || format!("{}.{}", place.at("final_demand"), clip(&dest));
                match v {
                    Value::Null => b.problem(Problem::new(p(), "must be a number, found null")),
                    v => {
                        if let Some(v) = number_field(Some(v), p, b) {
                            list.push((dest, v));
                        }
                    }
                }
            }
            x.final_demand = Some(FinalDemand::ByDestination(list));
        }
        Some(_) => b.problem(Problem::new(
            place.at("final_demand"),
            "must be a number or an object keyed by destination country",
        )),
    }
    let mut attrs = match m.remove("attrs") {
        None | Some(Value::Null) => None,
        Some(Value::Object(a)) => Some(a),
        Some(_) => {
            b.problem(Problem::new(place.at("attrs"), "must be an object"));
            None
        }
    };
    if !m.is_empty() {
        attrs.get_or_insert_with(Map::new).extend(m);
    }
    x.attrs = attrs;
    let extra = (x != NodeExtra::default()).then_some(x);
    b.add_node(&id, country.as_deref(), sector.as_deref(), extra, place);
}

/// One flow as read, every field lenient.
#[derive(Default)]
struct RawFlow<'a> {
    not_object: Option<&'static str>,
    from: Option<Field<'a>>,
    to: Option<Field<'a>>,
    sector: Option<Field<'a>>,
    value: Option<Field<'a>>,
    year: Option<Field<'a>>,
    quantity: Option<Field<'a>>,
    tariff: Option<Field<'a>>,
    attrs: Option<Value>,
    other: Vec<(String, Value)>,
}

impl<'de> de::Deserialize<'de> for RawFlow<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(RawFlowVisitor)
    }
}

struct RawFlowVisitor;

impl<'de> Visitor<'de> for RawFlowVisitor {
    type Value = RawFlow<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a flow object")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut r = RawFlow::default();
        let mut others = std::collections::HashSet::new();
        let dup = |k: &str| de::Error::custom(duplicate_key(k));
        // Set a field once; a second time is an error.
        fn once<T, E>(slot: &mut Option<T>, v: T, e: impl FnOnce() -> E) -> Result<(), E> {
            if slot.is_some() {
                return Err(e());
            }
            *slot = Some(v);
            Ok(())
        }
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let k = &*key;
            match k {
                "from" => once(&mut r.from, map.next_value()?, || dup(k))?,
                "to" => once(&mut r.to, map.next_value()?, || dup(k))?,
                "sector" => once(&mut r.sector, map.next_value()?, || dup(k))?,
                "value" => once(&mut r.value, map.next_value()?, || dup(k))?,
                "year" => once(&mut r.year, map.next_value()?, || dup(k))?,
                "quantity" => once(&mut r.quantity, map.next_value()?, || dup(k))?,
                "tariff" => once(&mut r.tariff, map.next_value()?, || dup(k))?,
                "attrs" => {
                    let Strict(v) = map.next_value()?;
                    once(&mut r.attrs, v, || dup(k))?
                }
                _ => {
                    if !others.insert(key.clone()) {
                        return Err(dup(k));
                    }
                    let Strict(v) = map.next_value()?;
                    r.other.push((key.into_owned(), v));
                }
            }
        }
        Ok(r)
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RawFlow {
            not_object: Some("an array"),
            ..Default::default()
        })
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Self::Value, E> {
        Ok(RawFlow {
            not_object: Some("a string"),
            ..Default::default()
        })
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
        Ok(RawFlow {
            not_object: Some("a number"),
            ..Default::default()
        })
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
        Ok(RawFlow {
            not_object: Some("a number"),
            ..Default::default()
        })
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
        Ok(RawFlow {
            not_object: Some("a number"),
            ..Default::default()
        })
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
        Ok(RawFlow {
            not_object: Some("a boolean"),
            ..Default::default()
        })
    }
    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok(RawFlow {
            not_object: Some("null"),
            ..Default::default()
        })
    }
}

impl<'a> RawFlow<'a> {
    fn add_to(self, b: &mut GraphBuilder, place: Place) {
        if let Some(kind) = self.not_object {
            b.problem(Problem::new(
                place.at(""),
                format!("must be an object {{\"from\", \"to\", \"value\"}}, found {kind}"),
            ));
            return;
        }
        let mut ok = true;
        let mut req = |f: Option<Field<'a>>, name: &str, b: &mut GraphBuilder| match f {
            None => {
                b.problem(Problem::new(place.at(name), format!("missing {name}")));
                ok = false;
                None
            }
            Some(f) => match f.into_string(|| place.at(name)) {
                Ok(s) => Some(s),
                Err(p) => {
                    b.problem(p);
                    ok = false;
                    None
                }
            },
        };
        let from = req(self.from, "from", b);
        let to = req(self.to, "to", b);
        let sector = match self.sector {
            None | Some(Field::Other("null")) => None,
            Some(f) => req(Some(f), "sector", b),
        };
        let value = match self.value {
            None => {
                b.problem(
                    Problem::new(place.at("value"), "missing value")
                        .hint("every flow needs a \"value\""),
                );
                None
            }
            Some(f) => f
                .number(|| place.at("value"))
                .map_err(|p| b.problem(p))
                .ok(),
        };
        let year = match self.year {
            None | Some(Field::Other("null")) => None,
            Some(f) => match f.year(|| place.at("year")) {
                Ok(y) => Some(y),
                Err(p) => {
                    b.problem(p);
                    return;
                }
            },
        };
        let mut num = |f: Option<Field>, name: &str| -> Option<f64> {
            match f {
                None | Some(Field::Other("null")) => None,
                Some(f) => f.number(|| place.at(name)).map_err(|p| b.problem(p)).ok(),
            }
        };
        let quantity = num(self.quantity, "quantity");
        let tariff = num(self.tariff, "tariff");
        let mut attrs = match self.attrs {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                b.problem(Problem::new(place.at("attrs"), "must be an object"));
                None
            }
        };
        if !self.other.is_empty() {
            attrs.get_or_insert_with(Map::new).extend(self.other);
        }
        let (Some(from), Some(to), Some(value), true) = (from, to, value, ok) else {
            return;
        };
        let extra =
            (quantity.is_some() || tariff.is_some() || attrs.is_some()).then_some(FlowExtra {
                quantity,
                tariff,
                attrs,
            });
        b.add_flow(&from, &to, sector.as_deref(), value, year, extra, place);
    }
}
