//! Load a bundled graph, take the motor-vehicles layer (ISIC C29) and read one flow.
//!
//! `cargo run --example autos` (from the repository root).

use tradenet::io::{load, LoadOptions};

fn main() -> Result<(), tradenet::Error> {
    let g = load(
        "graphs/icio2022_trade_by_sector.json",
        &LoadOptions::default(),
    )?;
    let autos = g.sector_layer(&[g.require_sector("C29")?]);
    let can = g.require_node("CAN")?;
    let to_us: f64 = autos
        .flows()
        .filter(|&(a, b, _)| a == can && &*autos.node(b).id == "USA")
        .map(|(_, _, f)| f.value)
        .sum();
    println!(
        "Canada -> USA, motor vehicles and parts (intermediate deliveries), 2022: {:.2} bn USD",
        to_us / 1e9
    );
    Ok(())
}
