//! Writing the native graph file: one node or flow per line, deterministic, read back by
//! [`read`](super::read) to the same graph.

use super::CURRENT;
use crate::model::{FinalDemand, Meta, TradeGraph};
use serde_json::{Map, Value};

/// Append a JSON string.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// Append a JSON number: whole numbers without a fraction, others in shortest round-trip form.
pub(crate) fn push_num(out: &mut Vec<u8>, v: f64) {
    crate::io::push_value(out, v);
}

/// Append a sector object `{"id": ..., "name": ..., "goods": ...}`. Shared with node-link.
pub(crate) fn push_sector(out: &mut Vec<u8>, s: &crate::model::Sector) {
    out.extend_from_slice(b"{\"id\":");
    push_str(out, &s.id);
    if let Some(n) = &s.name {
        out.extend_from_slice(b",\"name\":");
        push_str(out, n);
    }
    if let Some(g) = s.goods {
        out.extend_from_slice(if g {
            b",\"goods\":true"
        } else {
            b",\"goods\":false"
        });
    }
    out.push(b'}');
}

/// Append a node object; `flatten_attrs` writes free attributes at the top level (node-link).
pub(crate) fn push_node(
    out: &mut Vec<u8>,
    g: &TradeGraph,
    n: &crate::model::Node,
    flatten_attrs: bool,
) {
    out.extend_from_slice(b"{\"id\":");
    push_str(out, &n.id);
    push_node_fields(out, g, n, flatten_attrs);
    out.push(b'}');
}

/// Append `"key":value` for a serde_json value.
pub(crate) fn push_value(out: &mut Vec<u8>, v: &Value) {
    serde_json::to_writer(&mut *out, v).expect("writing to a Vec cannot fail");
}

pub(crate) fn meta_to_map(meta: &Meta) -> Map<String, Value> {
    let mut m = Map::new();
    let put = |m: &mut Map<String, Value>, k: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(k.to_string(), Value::String(v.clone()));
        }
    };
    put(&mut m, "name", &meta.name);
    if let Some(y) = meta.year {
        m.insert("year".into(), Value::from(y));
    }
    put(&mut m, "unit", &meta.unit);
    put(&mut m, "source", &meta.source);
    put(&mut m, "notes", &meta.notes);
    for (k, v) in &meta.extra {
        m.insert(k.clone(), v.clone());
    }
    m
}

/// Write a node's fields (after `"id"`) as `,"key":value` pairs. Shared with node-link.
pub(crate) fn push_node_fields(
    out: &mut Vec<u8>,
    g: &TradeGraph,
    n: &crate::model::Node,
    flatten_attrs: bool,
) {
    let field = |out: &mut Vec<u8>, k: &str| {
        out.push(b',');
        push_str(out, k);
        out.push(b':');
    };
    if let Some(x) = &n.extra {
        if let Some(v) = &x.name {
            field(out, "name");
            push_str(out, v);
        }
        if let Some(v) = &x.region {
            field(out, "region");
            push_str(out, v);
        }
        if let Some(v) = &x.group {
            field(out, "group");
            push_str(out, v);
        }
        if x.aggregate {
            field(out, "aggregate");
            out.extend_from_slice(b"true");
        }
    }
    if let Some(c) = &n.country {
        field(out, "country");
        push_str(out, c);
    }
    if let Some(s) = n.sector {
        field(out, "sector");
        push_str(out, &g.sector(s).id);
    }
    if let Some(x) = &n.extra {
        for (k, v) in [
            ("output", x.output),
            ("value_added", x.value_added),
            ("gdp", x.gdp),
        ] {
            if let Some(v) = v {
                field(out, k);
                push_num(out, v);
            }
        }
        match &x.final_demand {
            Some(FinalDemand::Total(v)) => {
                field(out, "final_demand");
                push_num(out, *v);
            }
            Some(FinalDemand::ByDestination(d)) => {
                field(out, "final_demand");
                out.push(b'{');
                for (i, (k, v)) in d.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    push_str(out, k);
                    out.push(b':');
                    push_num(out, *v);
                }
                out.push(b'}');
            }
            None => {}
        }
        if let Some(a) = &x.attrs {
            push_attrs(out, a, flatten_attrs);
        }
    }
}

/// Keys of node-link node and edge objects that tradenet writes or reads with a meaning.
const FLAT_RESERVED: &[&str] = &[
    "id",
    "name",
    "region",
    "group",
    "aggregate",
    "country",
    "sector",
    "output",
    "value_added",
    "gdp",
    "final_demand",
    "source",
    "target",
    "key",
    "value",
    "weight",
    "year",
    "quantity",
    "tariff",
    "from",
    "to",
];

/// Write free-form attributes, either as `"attrs":{...}` or flattened into the object.
pub(crate) fn push_attrs(out: &mut Vec<u8>, a: &Map<String, Value>, flatten: bool) {
    if flatten {
        for (k, v) in a {
            out.push(b',');
            // Flattened into a node-link object, an attribute must not take the name of a key
            // node-link gives a meaning (a flow attribute called `target` would move the
            // edge): such a name gets `_attr` appended, as often as needed.
            let mut key = std::borrow::Cow::Borrowed(k.as_str());
            while FLAT_RESERVED.contains(&&*key) || (key != k.as_str() && a.contains_key(&*key)) {
                key = std::borrow::Cow::Owned(format!("{key}_attr"));
            }
            push_str(out, &key);
            out.push(b':');
            push_value(out, v);
        }
    } else {
        out.extend_from_slice(b",\"attrs\":");
        push_value(out, &Value::Object(a.clone()));
    }
}

/// Write a flow's optional fields (sector, value, year, quantity, tariff, attrs). Shared with node-link.
pub(crate) fn push_flow_fields(
    out: &mut Vec<u8>,
    g: &TradeGraph,
    f: &crate::model::Flow,
    value_key: &str,
    flatten_attrs: bool,
) {
    if let Some(s) = f.sector {
        out.extend_from_slice(b",\"sector\":");
        push_str(out, &g.sector(s).id);
    }
    out.push(b',');
    push_str(out, value_key);
    out.push(b':');
    push_num(out, f.value);
    if let Some(y) = f.year {
        out.extend_from_slice(b",\"year\":");
        out.extend_from_slice(y.to_string().as_bytes());
    }
    if let Some(x) = &f.extra {
        if let Some(q) = x.quantity {
            out.extend_from_slice(b",\"quantity\":");
            push_num(out, q);
        }
        if let Some(t) = x.tariff {
            out.extend_from_slice(b",\"tariff\":");
            push_num(out, t);
        }
        if let Some(a) = &x.attrs {
            push_attrs(out, a, flatten_attrs);
        }
    }
}

/// The native JSON text of `g`: one node or flow per line, deterministic, and read back by
/// [`read`](super::read()) to the same graph.
pub fn write(g: &TradeGraph) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + g.node_count() * 80 + g.flow_count() * 60);
    out.extend_from_slice(b"{\"format\":");
    push_str(&mut out, CURRENT);
    out.extend_from_slice(b",\n\"meta\":");
    push_value(&mut out, &Value::Object(meta_to_map(&g.meta)));
    out.extend_from_slice(b",\n\"sectors\":[");
    for (i, s) in g.sectors().iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        push_sector(&mut out, s);
    }
    out.extend_from_slice(b"],\n\"nodes\":[");
    for (i, n) in g.nodes().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        push_node(&mut out, g, n, false);
    }
    out.extend_from_slice(b"],\n\"flows\":[");
    for (i, (a, b, f)) in g.flows().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(b"{\"from\":");
        push_str(&mut out, &g.node(a).id);
        out.extend_from_slice(b",\"to\":");
        push_str(&mut out, &g.node(b).id);
        push_flow_fields(&mut out, g, f, "value", false);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
    out
}
