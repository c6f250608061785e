//! The default graph, embedded in the binary so that `tradenet info` works with no file.

/// File name of the default graph in `graphs/`.
pub const DEFAULT_NAME: &str = "wiod2011_focus8.json";

/// The bytes of `graphs/wiod2011_focus8.json`: the WIOD 2011 input-output system of USA, CAN,
/// MEX, KOR, JPN, CHN, DEU and the rest of the world, 35 industries each.
pub const DEFAULT_GRAPH: &[u8] = include_bytes!("../graphs/wiod2011_focus8.json");

/// Load the embedded default graph.
pub fn default_graph() -> crate::Result<crate::TradeGraph> {
    crate::io::json::read(DEFAULT_GRAPH).map_err(|e| e.in_file(DEFAULT_NAME))
}
