//! The default graph, embedded in the binary so that `tradenet info` works with no file.

/// File name of the default graph in `graphs/`.
pub const DEFAULT_NAME: &str = "icio2022_focus8.json";

/// The bytes of `graphs/icio2022_focus8.json`: the OECD ICIO 2022 input-output system of USA,
/// CAN, MEX, KOR, JPN, CHN, DEU and the 73 other economies (ROW73), 50 industries each, from the
/// PyPI package sanction-simulator 0.1.4 (see `graphs/README.md`). Final demand is one total per
/// node: the data has no final demand by destination.
pub const DEFAULT_GRAPH: &[u8] = include_bytes!("../graphs/icio2022_focus8.json");

/// Load the embedded default graph.
pub fn default_graph() -> crate::Result<crate::TradeGraph> {
    crate::io::json::read(DEFAULT_GRAPH).map_err(|e| e.in_file(DEFAULT_NAME))
}
