//! Load a bundled graph, take the transport-equipment layer and read one flow.
//!
//! `cargo run --example autos` (from the repository root).

use tradenet::io::{load, LoadOptions};

fn main() -> Result<(), tradenet::Error> {
    let g = load(
        "graphs/wiod2011_trade_by_sector.json",
        &LoadOptions::default(),
    )?;
    let autos = g.sector_layer(&[g.require_sector("c15")?]);
    let can = g.require_node("CAN")?;
    let to_us: f64 = autos
        .flows()
        .filter(|&(a, b, _)| a == can && &*autos.node(b).id == "USA")
        .map(|(_, _, f)| f.value)
        .sum();
    println!(
        "Canada -> USA, transport equipment, 2011: {:.1} bn USD",
        to_us / 1e9
    );
    Ok(())
}
