//! The `graph` block every JSON output starts with.

use super::super::Loaded;

/// The `graph` object every JSON output starts with (FORMAT.md): the file, its name, kind and
/// size, and the year chosen when the file has several.
#[derive(Debug, serde::Serialize)]
pub struct GraphInfo<'a> {
    file: &'a str,
    name: Option<&'a str>,
    kind: &'static str,
    nodes: usize,
    flows: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    years_in_file: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year_rule: Option<&'static str>,
}

/// The `graph` object of `l`, to embed in a command's JSON output.
pub fn graph_info(l: &Loaded) -> GraphInfo<'_> {
    let g = &l.graph;
    GraphInfo {
        file: &l.label,
        name: g.meta.name.as_deref(),
        kind: g.kind().as_str(),
        nodes: g.node_count(),
        flows: g.flow_count(),
        year: l.latest_of.map(|(y, _)| y),
        years_in_file: l.latest_of.map(|(_, n)| n),
        year_rule: l
            .latest_of
            .map(|_| "latest year of a multi-year file; years are never summed"),
    }
}

/// The `graph` object as JSON (for commands that still build their JSON as a tree).
pub fn graph_json(l: &Loaded) -> serde_json::Value {
    serde_json::to_value(graph_info(l)).unwrap_or_default()
}
