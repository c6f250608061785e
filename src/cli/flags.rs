//! Value parsers for the flags. A value out of its range (NaN, infinity, a negative count, a
//! share above 1, an empty sector code) is refused by clap before anything is read, with exit
//! code 2 and a message naming the flag, the value and the range:
//!
//! ```text
//! error: invalid value 'NaN' for '--import-hhi <H>': not a number; a critical HHI threshold is a number from 0 to 1
//! ```

/// The numbers a flag accepts. Every range is finite: NaN and infinity are always refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// [0, 1].
    Unit,
    /// (0, 1): both ends excluded.
    OpenUnit,
    /// (0, 1]: above 0, at most 1.
    Share,
    /// (0, inf).
    Positive,
    /// [0, inf).
    NonNegative,
    /// (-inf, 0].
    NonPositive,
}

impl Range {
    fn contains(self, v: f64) -> bool {
        match self {
            Range::Unit => (0.0..=1.0).contains(&v),
            Range::OpenUnit => v > 0.0 && v < 1.0,
            Range::Share => v > 0.0 && v <= 1.0,
            Range::Positive => v > 0.0,
            Range::NonNegative => v >= 0.0,
            Range::NonPositive => v <= 0.0,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Range::Unit => "a number from 0 to 1",
            Range::OpenUnit => "a number between 0 and 1, both excluded",
            Range::Share => "a number above 0 and at most 1",
            Range::Positive => "a finite number above 0",
            Range::NonNegative => "a finite number >= 0",
            Range::NonPositive => "a finite number <= 0",
        }
    }
}

/// A parser of a number in `range`; `what` names the quantity in the message.
pub fn number(
    range: Range,
    what: &'static str,
) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        let why = match s.trim().parse::<f64>() {
            Ok(v) if v.is_nan() => "not a number",
            Ok(v) if v.is_infinite() => "not a finite number",
            // `+ 0.0` turns -0 into 0, so that it is never printed as -0.
            Ok(v) if range.contains(v) => return Ok(v + 0.0),
            Ok(_) => "out of range",
            Err(_) => "not a number",
        };
        Err(format!("{why}; {what} is {}", range.text()))
    }
}

/// A whole number from `min` to `max`, or why not.
fn whole(s: &str, min: u64, max: u64, what: &str, range: &str) -> Result<u64, String> {
    let t = s.trim();
    let why = match t.parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => return Ok(v),
        Ok(_) => "out of range",
        Err(_) if t.starts_with('-') && t[1..].parse::<f64>().is_ok() => "negative",
        Err(_) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => "too large",
        Err(_) if t.parse::<f64>().is_ok_and(f64::is_finite) => "not a whole number",
        Err(_) => "not a number",
    };
    Err(format!("{why}; {what} is {range}"))
}

/// A parser of a count of at least `min` (rows, iterations, hops); `what` names it.
pub fn count(
    min: usize,
    what: &'static str,
) -> impl Fn(&str) -> Result<usize, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        let range = format!("a whole number >= {min}");
        whole(s, min as u64, usize::MAX as u64, what, &range).map(|v| v as usize)
    }
}

/// A parser of a random seed: any whole number that fits in 64 bits.
pub fn seed(s: &str) -> Result<u64, String> {
    whole(
        s,
        0,
        u64::MAX,
        "the seed",
        "a whole number from 0 to 18446744073709551615",
    )
}

/// A parser of a year, as the readers accept it: 1 to 9999.
pub fn year(s: &str) -> Result<u16, String> {
    whole(s, 1, 9999, "a year", "a whole number from 1 to 9999").map(|v| v as u16)
}

/// A parser of a name (a sector code, a node or country id, a column, a file) that is not
/// empty and not only white space; `what` says what to give.
pub fn name(
    what: &'static str,
) -> impl Fn(&str) -> Result<String, String> + Clone + Send + Sync + 'static {
    move |s: &str| match blank(s) {
        Some(why) => Err(format!("{why}; give {what}")),
        None => Ok(s.to_string()),
    }
}

/// A parser of a comma-separated list of names, none of them blank (`c15,` has an empty last
/// item); `what` says what to give.
pub fn name_list(
    what: &'static str,
) -> impl Fn(&str) -> Result<String, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        if let Some(why) = blank(s) {
            return Err(format!("{why}; give {what}, separated by commas"));
        }
        if s.split(',').any(|item| item.trim().is_empty()) {
            return Err(format!(
                "an empty item in the list; give {what}, separated by commas"
            ));
        }
        Ok(s.to_string())
    }
}

fn blank(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        Some("empty")
    } else if s.trim().is_empty() {
        Some("only white space")
    } else {
        None
    }
}

/// The names of the flags given, in order, from `(given, name)` pairs.
pub fn given<const N: usize>(flags: [(bool, &'static str); N]) -> Vec<&'static str> {
    flags
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect()
}

/// `flags` and the verb that agrees with them (`--dy belongs`, `--dy, --channel belong`).
pub fn named(flags: &[&str]) -> String {
    let verb = if flags.len() == 1 {
        "belongs"
    } else {
        "belong"
    };
    format!("{} {verb}", flags.join(", "))
}

/// `e` with a library parameter error ([`tradenet::Error::Param`]) named by its flag: `names`
/// pairs the parameter (`solver.tol`) with the flag (`--ge-tol`). Other errors pass unchanged.
pub fn rename(e: anyhow::Error, names: &[(&str, &str)]) -> anyhow::Error {
    match e.downcast::<tradenet::Error>() {
        Ok(t) => t.rename_param(names).into(),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let p = number(Range::Unit, "a share");
        assert_eq!(p("0.5"), Ok(0.5));
        assert_eq!(p("-0").map(f64::to_bits), Ok(0.0f64.to_bits()));
        for (v, why) in [
            ("NaN", "not a number"),
            ("inf", "not a finite number"),
            ("-infinity", "not a finite number"),
            ("1e400", "not a finite number"),
            ("1.5", "out of range"),
            ("-0.1", "out of range"),
            ("abc", "not a number"),
            ("", "not a number"),
        ] {
            assert_eq!(
                p(v),
                Err(format!("{why}; a share is a number from 0 to 1")),
                "{v}"
            );
        }
        let open = number(Range::OpenUnit, "x");
        assert!(open("0").is_err() && open("1").is_err() && open("0.5").is_ok());
        let share = number(Range::Share, "x");
        assert!(share("0").is_err() && share("1").is_ok());
        let pos = number(Range::Positive, "x");
        assert!(pos("0").is_err() && pos("1e300").is_ok());
        let neg = number(Range::NonPositive, "x");
        assert!(neg("0.1").is_err() && neg("-2").is_ok() && neg("0").is_ok());
    }

    #[test]
    fn whole_numbers() {
        let c = count(1, "the rows");
        assert_eq!(c("3"), Ok(3));
        for (v, why) in [
            ("0", "out of range"),
            ("-3", "negative"),
            ("2.5", "not a whole number"),
            ("99999999999999999999999", "too large"),
            ("ten", "not a number"),
            ("NaN", "not a number"),
        ] {
            assert_eq!(
                c(v),
                Err(format!("{why}; the rows is a whole number >= 1")),
                "{v}"
            );
        }
        assert_eq!(year("2011"), Ok(2011));
        assert!(year("0").is_err() && year("10000").is_err());
        assert_eq!(seed("18446744073709551615"), Ok(u64::MAX));
        assert!(seed("-1").unwrap_err().starts_with("negative"));
    }

    #[test]
    fn names() {
        let n = name("a sector code");
        assert_eq!(n("c15"), Ok("c15".into()));
        assert_eq!(n(""), Err("empty; give a sector code".into()));
        assert_eq!(n(" \t"), Err("only white space; give a sector code".into()));
        let l = name_list("sector codes");
        assert!(l("c15,c16").is_ok());
        assert!(l("c15,").unwrap_err().starts_with("an empty item"));
        assert!(l(" ").unwrap_err().starts_with("only white space"));
    }
}
