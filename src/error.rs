//! The library's one error type.
//!
//! Every variant carries what a user needs to fix the input: the file, the place (JSON path or
//! CSV line), the rule that was broken and, where one exists, a hint. Nothing in the library
//! panics on user input; everything that can go wrong comes back as an [`Error`].

use crate::text::{clip, clip_to, code_points, differs_invisibly};
use std::fmt;

/// One problem found in an input: where it is, which rule it breaks, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The place: a JSON path (`flows[12].to`), a CSV line (`line 5`), or a file-level place.
    pub place: String,
    /// The rule that was broken, as a sentence fragment: `unknown node 'XYZ' (not in "nodes")`.
    pub rule: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem at `place` breaking `rule`.
    pub fn new(place: impl Into<String>, rule: impl Into<String>) -> Self {
        Problem {
            place: place.into(),
            rule: rule.into(),
            hint: None,
        }
    }

    /// The same problem with a hint on how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The most characters of a problem's place, and of its rule or hint, shown in a message: the
/// data quoted in them is [clipped](crate::text::clip) where it is written, and this bounds
/// whatever was not (a message is one line of bounded length, whatever the input).
const PLACE_CHARS: usize = 200;
const RULE_CHARS: usize = 2000;

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rule = clip_to(&self.rule, RULE_CHARS);
        if self.place.is_empty() {
            write!(f, "{rule}")?;
        } else {
            write!(f, "{}: {rule}", clip_to(&self.place, PLACE_CHARS))?;
        }
        if let Some(h) = &self.hint {
            write!(f, " (hint: {})", clip_to(h, RULE_CHARS))?;
        }
        Ok(())
    }
}

/// The most problems kept for one file; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// Everything that can go wrong in tradenet.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input breaks the format's rules. All problems found are listed (up to
    /// [`MAX_PROBLEMS`]; `more` counts the rest).
    #[error("{}", fmt_invalid(.file, .problems, *.more))]
    Invalid {
        /// The file (or `<stdin>`, or `<graph>` for graphs built in code).
        file: String,
        /// The problems, in the order they were found.
        problems: Vec<Problem>,
        /// How many more problems there were beyond those listed.
        more: usize,
    },
    /// The file could not be read or written.
    #[error("{}: {action}: {error}", esc(.file))]
    Io {
        /// The file.
        file: String,
        /// What was being done (`cannot read`, `cannot write`).
        action: &'static str,
        /// The operating system's error (part of the message, so not also a `source`).
        error: std::io::Error,
    },
    /// A node, country or sector named by the user does not exist.
    #[error("unknown {what} '{}'{}", clip(.id), suggestion_text(.id, .suggestion))]
    Unknown {
        /// `node`, `country`, `sector`, `year`.
        what: &'static str,
        /// The name the user gave.
        id: String,
        /// The closest existing name, if one is close.
        suggestion: Option<String>,
    },
    /// A parameter is outside its allowed range, or contradicts another. `name` is the
    /// parameter as the library calls it (`pagerank.alpha`, `coverage`); the command line maps
    /// it to its flag (`--alpha`) before printing.
    #[error("{}", fmt_param(.name, .value, .rule))]
    Param {
        /// The parameter (a field path of the analysis' `Params`, or a flag such as `--alpha`
        /// once the command line has named it).
        name: String,
        /// The value given, as text (empty when the rule is about the parameter as a whole).
        value: String,
        /// The rule it breaks: `must be between 0 and 1`.
        rule: String,
    },
    /// The graph does not have what the analysis needs: a view with no trade, an input-output
    /// analysis on a graph without output or final demand, a node that has no output.
    #[error("{}", esc(.0))]
    Unsuited(String),
    /// An iterative method did not reach its tolerance.
    #[error("{measure} did not converge in {iterations} iterations (tolerance {tol:e}){}", hint_text(.hint))]
    NotConverged {
        /// The measure (`pagerank`, `eigenvector`, ...).
        measure: String,
        /// Iterations done.
        iterations: usize,
        /// The tolerance asked for.
        tol: f64,
        /// What to try.
        hint: Option<String>,
    },
    /// A numeric system cannot be solved (singular, or its series does not shrink).
    #[error("{}", esc(.0))]
    Numeric(String),
    /// The sectors a tariff applies to cannot be told: "all goods" on a graph whose sectors
    /// are not known to be goods or services, a sector list or range that names nothing, or
    /// two tariffs giving the same sectors of one pair twice.
    #[error("{}: {} (hint: {})", esc(.tariff), esc(.rule), esc(.hint))]
    TariffScope {
        /// The tariff, as the user wrote it (`--tariff USA:CAN=25%`, or `shock 2 (...)`).
        tariff: String,
        /// What cannot be told, and why.
        rule: String,
        /// How to say it.
        hint: String,
    },
    /// The work would need more memory than tradenet may use (see [`crate::budget`]): refused
    /// before the allocation, with the numbers.
    #[error("{} {} the {} tradenet may use ({}) (hint: {})", esc(.what), needs_text(*.need), crate::budget::fmt_bytes(*.budget), esc(.limit), esc(.hint))]
    Memory {
        /// What would be allocated: `reading g.csv (4,000,000 flows, 2 nodes so far)`.
        what: String,
        /// Bytes it would need; `u64::MAX` when only "more than the budget" is known (a
        /// stream or an unpacking stopped at the limit).
        need: u64,
        /// Bytes tradenet may use.
        budget: u64,
        /// The limit that sets the budget.
        limit: String,
        /// What to do.
        hint: String,
    },
    /// An output path that cannot or must not be written: a folder, a missing folder, a block
    /// device, the input itself.
    #[error("{}: {} (hint: {})", esc(.file), esc(.rule), esc(.hint))]
    OutputPath {
        /// The path as given.
        file: String,
        /// Why it is refused.
        rule: String,
        /// What to give instead.
        hint: String,
    },
}

impl Error {
    /// [`Error::Param`]: parameter `name` has `value`, which breaks `rule`.
    ///
    /// ```
    /// let e = tradenet::Error::param("pagerank.alpha", 1.5, "must be between 0 and 1");
    /// assert_eq!(e.to_string(), "pagerank.alpha = 1.5: must be between 0 and 1");
    /// ```
    pub fn param(
        name: impl Into<String>,
        value: impl fmt::Display,
        rule: impl Into<String>,
    ) -> Self {
        Error::Param {
            name: name.into(),
            value: value.to_string(),
            rule: rule.into(),
        }
    }

    /// An [`Error::Param`] renamed by `names` (library name, then the name to show, such as
    /// a command-line flag); other errors, and parameters not in the list, are unchanged.
    ///
    /// ```
    /// let e = tradenet::Error::param("pagerank.alpha", 1.5, "must be between 0 and 1");
    /// let e = e.rename_param(&[("pagerank.alpha", "--alpha")]);
    /// assert_eq!(e.to_string(), "--alpha 1.5: must be between 0 and 1");
    /// ```
    pub fn rename_param(self, names: &[(&str, &str)]) -> Self {
        match self {
            Error::Param { name, value, rule } => {
                let name = names
                    .iter()
                    .find(|(from, _)| *from == name)
                    .map_or(name, |(_, to)| to.to_string());
                Error::Param { name, value, rule }
            }
            other => other,
        }
    }

    /// A single problem in `file`.
    pub fn invalid(file: impl Into<String>, problem: Problem) -> Self {
        Error::Invalid {
            file: file.into(),
            problems: vec![problem],
            more: 0,
        }
    }

    /// True when the error is the user's input or usage (exit code 2), false for internal
    /// failures such as an unwritable disk (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(
            self,
            Error::Io {
                action: "cannot write",
                ..
            }
        )
    }

    /// Replace the file name of an `Invalid` error (readers report `<input>` until the caller
    /// knows the path).
    pub fn in_file(self, name: &str) -> Self {
        match self {
            Error::Invalid { problems, more, .. } => Error::Invalid {
                file: name.to_string(),
                problems,
                more,
            },
            Error::Io { action, error, .. } => Error::Io {
                file: name.to_string(),
                action,
                error,
            },
            Error::Memory {
                what,
                need,
                budget,
                limit,
                hint,
            } if !what.starts_with("reading ") => Error::Memory {
                what: format!("reading {name}: {what}"),
                need,
                budget,
                limit,
                hint,
            },
            other => other,
        }
    }
}

/// `pagerank.alpha = 1.5: must be ...`, `--alpha 1.5: must be ...` (a flag takes its value
/// as on the command line), or `measures: must not be empty` when there is no value to show.
fn fmt_param(name: &str, value: &str, rule: &str) -> String {
    let (name, value, rule) = (esc(name), crate::text::clip_to(value, 200), esc(rule));
    if value.is_empty() {
        format!("{name}: {rule}")
    } else if name.starts_with("--") {
        format!("{name} {value}: {rule}")
    } else {
        format!("{name} = {value}: {rule}")
    }
}

/// `needs about 1.2 GB, more than` or, when the need is not known, `needs more than`.
fn needs_text(need: u64) -> String {
    if need == u64::MAX {
        "needs more than".to_string()
    } else {
        format!("needs about {}, more than", crate::budget::fmt_bytes(need))
    }
}

/// Text of a message escaped for a terminal (line breaks kept): data quoted in a rule or a
/// file name never reaches a terminal raw, whoever prints the error.
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    crate::text::escape_lines(s)
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn fmt_invalid(file: &str, problems: &[Problem], more: usize) -> String {
    let total = problems.len() + more;
    let file = crate::text::escape(file);
    if total == 1 {
        return format!("{file}: {}", problems[0]);
    }
    let mut s = format!("{file}: {total} problems");
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    if more > 0 {
        s.push_str(&format!("\n  ... and {more} more"));
    }
    s
}

fn suggestion_text(typed: &str, s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" ({})", did_you_mean(typed, s)),
        None => String::new(),
    }
}

/// `did you mean 'USA'?`, and when the two differ in a way the eye may miss (a Cyrillic letter,
/// a zero-width space, a trailing space) the code points of both:
/// `did you mean 'CAN' (U+0043 U+0041 U+004E)? 'CАN' is U+0043 U+0410 U+004E`.
pub fn did_you_mean(typed: &str, suggestion: &str) -> String {
    if differs_invisibly(typed, suggestion) {
        format!(
            "did you mean '{}' ({})? '{}' is {}",
            clip(suggestion),
            code_points(suggestion),
            clip(typed),
            code_points(typed)
        )
    } else {
        format!("did you mean '{}'?", clip(suggestion))
    }
}

fn hint_text(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("; {s}"),
        None => String::new(),
    }
}

/// The longest name, in characters, that [`closest`] looks for: edit distance costs the
/// product of the two lengths, and a long name is no typo of a short one.
pub const SUGGEST_MAX_CHARS: usize = 64;

/// The work one [`closest`] call may do, in characters read and distance cells computed
/// (a few milliseconds per million): past it the search stops with the best found so far.
pub const SUGGEST_BUDGET: usize = 16_000_000;

/// The closest of `candidates` to `name`, if it is close enough to be a likely typo:
/// case-insensitive optimal-string-alignment distance (a swap of two letters counts once) of at
/// most a third of the length (at least 1), ties broken by Jaro-Winkler similarity, then by name.
///
/// Bounded: no suggestion for a name of more than [`SUGGEST_MAX_CHARS`] characters, and at
/// most [`SUGGEST_BUDGET`] of work (see [`closest_within`]).
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut budget = SUGGEST_BUDGET;
    closest_within(name, candidates, &mut budget)
}

/// [`closest`], spending at most `budget` (characters read plus distance cells computed; what
/// is spent is taken off), so that a caller making many suggestions can bound them all.
/// Candidates whose length, or whose letters, differ by more than the distance allowed are
/// skipped after one read; the distance is computed only near the diagonal and stops as soon
/// as it exceeds the limit. When the budget runs out the best candidate so far is returned.
pub fn closest_within<'a, I>(name: &str, candidates: I, budget: &mut usize) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    if name.len() > 4 * SUGGEST_MAX_CHARS {
        return None;
    }
    let lower: Vec<char> = name.to_lowercase().chars().collect();
    let n = lower.len();
    if n > SUGGEST_MAX_CHARS {
        return None;
    }
    let lower_s: String = lower.iter().collect();
    let limit = (n / 3).max(1);
    // A histogram of the letters, hashed into 64 buckets: the letters the two names do not
    // share bound the edit distance from below, and cost one pass to count.
    let bucket = |c: char| ((c as usize).wrapping_mul(0x9E37_79B9) >> 26) & 63;
    let mut hist = [0u8; 64];
    for &c in &lower {
        hist[bucket(c)] += 1;
    }
    let mut rows = [Vec::new(), Vec::new(), Vec::new()];
    let mut cl: Vec<char> = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // A character is 1 to 4 bytes: the byte length alone rules most lengths out.
        if c.len() > 4 * (n + limit) || c.len() + limit < n {
            continue;
        }
        let read = c.len() + 8;
        if *budget < read {
            break;
        }
        *budget -= read;
        cl.clear();
        cl.extend(c.chars().flat_map(char::to_lowercase));
        let m = cl.len();
        if m.abs_diff(n) > limit {
            continue;
        }
        // Letters of the candidate not in the name, and of the name not in the candidate.
        let mut h = hist;
        let mut extra = 0;
        for &ch in &cl {
            let k = &mut h[bucket(ch)];
            if *k > 0 {
                *k -= 1;
            } else {
                extra += 1;
            }
        }
        if extra.max(n - (m - extra)) > limit {
            continue;
        }
        let (d, cells) = osa_within(&lower, &cl, limit, &mut rows);
        *budget = budget.saturating_sub(cells);
        let Some(d) = d else {
            continue;
        };
        let better = match best {
            None => true,
            Some((bd, _)) if d != bd => d < bd,
            Some((_, bc)) => {
                // A tie: the higher Jaro-Winkler similarity, then the smaller name.
                let cs: String = cl.iter().collect();
                let bs = bc.to_lowercase();
                let (jw, bj) = (
                    strsim::jaro_winkler(&lower_s, &cs),
                    strsim::jaro_winkler(&lower_s, &bs),
                );
                jw > bj || (jw == bj && c < bc)
            }
        };
        if better {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// The optimal-string-alignment distance of `a` and `b` (as `strsim::osa_distance`) when it is
/// at most `limit`, else `None`, and the number of cells computed. Only cells within `limit`
/// of the diagonal are computed, and the computation stops at the first row whose every cell
/// exceeds `limit` (no later row can come back under it). `rows` is scratch space, reused from
/// call to call.
fn osa_within(
    a: &[char],
    b: &[char],
    limit: usize,
    rows: &mut [Vec<usize>; 3],
) -> (Option<usize>, usize) {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > limit {
        return (None, 0);
    }
    let mut cells = limit + 1;
    let big = limit + 1;
    for r in rows.iter_mut() {
        r.clear();
        r.resize(m + 1, big);
    }
    let [two, prev, cur] = rows;
    for (j, v) in prev.iter_mut().enumerate().take(limit.min(m) + 1) {
        *v = j;
    }
    for i in 1..=n {
        cur.fill(big);
        cur[0] = if i <= limit { i } else { big };
        let mut row_min = cur[0];
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(m);
        cells += hi + 2 - lo;
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(two[j - 2] + 1);
            }
            cur[j] = v.min(big);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            return (None, cells);
        }
        std::mem::swap(two, prev);
        std::mem::swap(prev, cur);
    }
    ((prev[m] <= limit).then_some(prev[m]), cells)
}

/// Collects problems while a file is read; stops keeping them after [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    /// Record a problem.
    pub fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    /// Count `n` more problems that were found but not kept.
    pub fn add_more(&mut self, n: usize) {
        self.more += n;
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many problems were recorded, kept or not.
    pub fn len(&self) -> usize {
        self.list.len() + self.more
    }

    /// True when the list is full and reading on would only count.
    pub fn is_full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }

    /// `Ok(())` when empty, else the `Invalid` error for `file`.
    pub fn into_result(self, file: &str) -> Result<()> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                file: file.to_string(),
                problems: self.list,
                more: self.more,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_distance_agrees_with_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "USA",
            "USX",
            "CAN",
            "CNA",
            "kitten",
            "sitting",
            "CAN:c15",
            "CAN:c51",
            "Côte",
            "Cote",
            "abcdefghij",
            "badcfehgji",
            "xyz",
        ];
        let mut rows = [Vec::new(), Vec::new(), Vec::new()];
        for a in words {
            for b in words {
                let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let d = strsim::osa_distance(a, b);
                for limit in 0..6 {
                    let (got, _) = osa_within(&x, &y, limit, &mut rows);
                    assert_eq!(got, (d <= limit).then_some(d), "{a:?} {b:?} limit {limit}");
                }
            }
        }
    }

    #[test]
    fn suggestions_are_bounded() {
        assert_eq!(
            closest("USX", ["CAN", "USA", "MEX"]).as_deref(),
            Some("USA")
        );
        assert_eq!(closest("usa", ["CAN", "USA"]).as_deref(), Some("USA"));
        assert_eq!(closest("c51", ["c15", "c12"]).as_deref(), Some("c15"));
        // A name too long to be a typo is not looked for.
        let long = "A".repeat(SUGGEST_MAX_CHARS + 1);
        let near = format!("{long}B");
        assert_eq!(closest(&long, [near.as_str()]), None);
        // Out of budget: the search stops.
        let mut none = 0;
        assert_eq!(closest_within("USX", ["USA"], &mut none), None);
    }
}
