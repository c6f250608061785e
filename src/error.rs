//! The library's one error type.
//!
//! Every variant carries what a user needs to fix the input: the file, the place (JSON path or
//! CSV line), the rule that was broken and, where one exists, a hint. Nothing in the library
//! panics on user input; everything that can go wrong comes back as an [`Error`].

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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}", self.rule)?;
        } else {
            write!(f, "{}: {}", self.place, self.rule)?;
        }
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
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
    #[error("{file}: {action}: {error}")]
    Io {
        /// The file.
        file: String,
        /// What was being done (`cannot read`, `cannot write`).
        action: &'static str,
        /// The operating system's error (part of the message, so not also a `source`).
        error: std::io::Error,
    },
    /// A node, country or sector named by the user does not exist.
    #[error("unknown {what} '{id}'{}", suggestion_text(.suggestion))]
    Unknown {
        /// `node`, `country`, `sector`, `year`.
        what: &'static str,
        /// The name the user gave.
        id: String,
        /// The closest existing name, if one is close.
        suggestion: Option<String>,
    },
    /// A parameter is outside its allowed range, or parameters contradict each other.
    #[error("{0}")]
    Param(String),
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
    #[error("{0}")]
    Numeric(String),
    /// The sectors a tariff applies to cannot be told: "all goods" on a graph whose sectors
    /// are not known to be goods or services, a sector list or range that names nothing, or
    /// two tariffs giving the same sectors of one pair twice.
    #[error("{tariff}: {rule} (hint: {hint})")]
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
    #[error("{what} needs about {}, more than the {} tradenet may use ({limit}) (hint: {hint})", crate::budget::fmt_bytes(*.need), crate::budget::fmt_bytes(*.budget))]
    Memory {
        /// What would be allocated: `reading g.csv (4,000,000 flows, 2 nodes so far)`.
        what: String,
        /// Bytes it would need.
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
    #[error("{file}: {rule} (hint: {hint})")]
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

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn fmt_invalid(file: &str, problems: &[Problem], more: usize) -> String {
    let total = problems.len() + more;
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

fn suggestion_text(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean '{s}'?)"),
        None => String::new(),
    }
}

fn hint_text(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("; {s}"),
        None => String::new(),
    }
}

/// The closest of `candidates` to `name`, if it is close enough to be a likely typo:
/// case-insensitive optimal-string-alignment distance (a swap of two letters counts once) of at
/// most a third of the length (at least 1), ties broken by Jaro-Winkler similarity, then by name.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let limit = (lower.chars().count() / 3).max(1);
    let mut best: Option<(usize, f64, &str)> = None;
    for c in candidates {
        let cl = c.to_lowercase();
        let d = strsim::osa_distance(&lower, &cl);
        if d > limit {
            continue;
        }
        let jw = strsim::jaro_winkler(&lower, &cl);
        let better = match best {
            None => true,
            Some((bd, bj, bc)) => d < bd || (d == bd && (jw > bj || (jw == bj && c < bc))),
        };
        if better {
            best = Some((d, jw, c));
        }
    }
    best.map(|(_, _, c)| c.to_string())
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
