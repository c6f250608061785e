//! The `tradenet shock` command line that runs the report's scenario: the graph and how it was
//! read, the scenario flags as given (the default tariff when none was), the model's files.

use super::super::ge::ModelArg;
use super::super::shock::{ChannelArg, DEFAULT_SCENARIO};
use super::ReportArgs;
use clap::ValueEnum;

/// `s` as one shell word: as it is when it is made of safe characters, else in single quotes.
fn shell_word(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-+=:,./%@".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The name of a clap value.
fn value_name<T: ValueEnum>(v: &T) -> String {
    v.to_possible_value()
        .map_or(String::new(), |p| p.get_name().to_string())
}

/// `tradenet shock ...` running the report's scenario on its graph.
pub fn shock_command(a: &ReportArgs, is_default: bool) -> String {
    let mut w: Vec<String> = vec!["tradenet".into(), "shock".into()];
    let g = &a.graph;
    w.extend(g.graph.clone());
    let mut flag = |name: &str, v: Option<String>| {
        if let Some(v) = v {
            w.push(format!("--{name}"));
            w.push(v);
        }
    };
    flag("input-format", g.input_format.as_ref().map(value_name));
    flag("from-col", g.from_col.clone());
    flag("to-col", g.to_col.clone());
    flag("sector-col", g.sector_col.clone());
    flag("value-col", g.value_col.clone());
    flag("year-col", g.year_col.clone());
    flag("year", g.year.map(|y| y.to_string()));
    flag("weight-attr", g.weight_attr.clone());
    flag("country-codes", g.country_codes.clone());
    flag("hs-level", g.hs_level.as_ref().map(value_name));
    flag("comtrade-flow", g.comtrade_flow.as_ref().map(value_name));
    flag("regions", g.regions.clone());
    flag("sector-groups", g.sector_groups.clone());
    let s = &a.scenario;
    flag("scenario", s.scenario.clone());
    let tariffs = if is_default {
        vec![DEFAULT_SCENARIO.to_string()]
    } else {
        s.tariff.clone()
    };
    for (name, list) in [
        ("tariff", &tariffs),
        ("demand", &s.demand),
        ("supply", &s.supply),
        ("embargo", &s.embargo),
    ] {
        for v in list {
            flag(name, Some(v.clone()));
        }
    }
    flag(
        "import-elasticity",
        s.import_elasticity.map(|e| e.to_string()),
    );
    flag("substitution", s.substitution.map(|e| e.to_string()));
    flag("dy", a.dy.clone());
    flag("gross-output", a.gross_output.clone());
    flag("final-demand", a.final_demand.clone());
    flag(
        "channel",
        (a.channel != ChannelArg::Export).then(|| value_name(&a.channel)),
    );
    let ge = &a.ge;
    flag(
        "model",
        (ge.model == ModelArg::Ge).then(|| "ge".to_string()),
    );
    flag("deficits", ge.deficits.as_ref().map(value_name));
    for c in &ge.trade_cost {
        flag("trade-cost", Some(c.clone()));
    }
    flag("new-tariffs", ge.new_tariffs.clone());
    flag("theta", ge.theta.clone());
    flag("sigma", ge.sigma.map(|x| x.to_string()));
    flag("cost-coefficients", ge.cost_coefficients.clone());
    flag("method", ge.method.clone());
    flag("reference", ge.reference.clone());
    for v in &ge.set_variable {
        flag("set-variable", Some(v.clone()));
    }
    flag("ge-tol", ge.ge_tol.map(|x| x.to_string()));
    flag("max-iter", ge.max_iter.map(|x| x.to_string()));
    let mut words: Vec<String> = w.iter().map(|x| shell_word(x)).collect();
    if g.keep_split_blocks {
        words.push("--keep-split-blocks".into());
    }
    if g.keep_unlisted {
        words.push("--keep-unlisted".into());
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn words_are_quoted_for_the_shell() {
        assert_eq!(shell_word("USA:CAN:C29=25%"), "USA:CAN:C29=25%");
        assert_eq!(shell_word("USA:CAN=6.1%->0%"), "'USA:CAN=6.1%->0%'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
