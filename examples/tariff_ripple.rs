//! What a US 25% tariff on Canadian motor vehicles and parts (ISIC C29) does, directly
//! (WITS-SMART) and through supply chains round by round (Leontief), on the embedded OECD ICIO
//! 2022 input-output graph. Its final demand has no destination, so the tariff reaches the
//! intermediate deliveries only: what US industries buy from Canada's C29, not the cars US
//! households buy.
//!
//! `cargo run --example tariff_ripple` (same as `tradenet shock` with no arguments).

use tradenet::analysis::{parse_tariff, shock, Scenario, Shock, ShockParams};

fn bn(v: f64) -> String {
    format!("{:+.2} bn", v / 1e9)
}

fn mn(v: f64) -> String {
    format!("{:+.1} mn", v / 1e6)
}

fn main() -> Result<(), tradenet::Error> {
    let g = tradenet::bundled::default_graph()?;
    let scenario = Scenario::new(vec![Shock::Tariff(parse_tariff("USA:CAN:C29=25%")?)]);
    let r = shock(&g, &scenario, &ShockParams::default())?;

    let t = &r.tariffs[0];
    println!(
        "US tariff on Canadian motor vehicles and parts (C29), {:.0}% -> {:.0}%:",
        t.old_rate * 100.0,
        t.new_rate * 100.0
    );
    println!(
        "  US industries' purchases of C29 from Canada {:.2} bn, from everyone else {:.2} bn (USD, 2022)",
        t.imports_from_exporter / 1e9,
        t.imports_from_others / 1e9
    );
    println!(
        "  trade creation {} (imports that disappear), trade diversion {:.2} bn moved to other suppliers:",
        bn(t.smart.trade_creation),
        t.smart.trade_diversion / 1e9
    );
    for p in &t.partners[1..] {
        println!("    {:<6} gains {}", p.supplier, bn(p.delta));
    }
    println!(
        "  tariff revenue {}, welfare (deadweight triangle) {}",
        bn(t.revenue_change()),
        bn(t.smart.welfare)
    );

    println!("\nHow it ripples (round k = the k-th tier of suppliers):");
    for rd in r.rounds.iter().take(6) {
        let who: Vec<String> = rd
            .top
            .iter()
            .flatten()
            .take(3)
            .map(|m| format!("{} {}", m.id, bn(m.delta)))
            .collect();
        println!(
            "  round {}: {}  ({})",
            rd.round,
            bn(rd.delta),
            who.join(", ")
        );
    }
    let total = r.total_delta();
    println!(
        "  ... {} rounds in all: gross output changes by {} in total",
        r.rounds.len(),
        bn(total)
    );

    println!("\nBy country (direct, then through the losers' and the gainers' supply chains):");
    let mut countries = r.countries.clone();
    countries.sort_by(|a, b| a.delta.total_cmp(&b.delta).then(a.id.cmp(&b.id)));
    for c in &countries {
        println!(
            "  {:<6} {:>11}  ({:+.3}%)  direct {:>10}, via losses {:>10}, via gains {:>10}",
            c.id,
            bn(c.delta),
            c.delta_pct().unwrap_or(0.0),
            bn(c.direct),
            bn(c.via_losses),
            bn(c.via_gains)
        );
    }

    println!(
        "\nKorea, through Canadian assembly (via losses) and through diverted sales (via gains):"
    );
    let mut kor: Vec<_> = r.nodes.iter().filter(|n| n.country == "KOR").collect();
    kor.sort_by(|a, b| a.via_losses.total_cmp(&b.via_losses).then(a.id.cmp(&b.id)));
    for n in kor.iter().take(4) {
        println!(
            "  {:<8} via losses {:>10}, via gains {:>10}, net {:>10}",
            n.id,
            mn(n.via_losses),
            mn(n.via_gains),
            mn(n.delta)
        );
    }
    Ok(())
}
