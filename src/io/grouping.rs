//! Grouping files for the aggregation views: a CSV with a header row whose first column is the
//! member (`country`, or `sector`) and second the group (`region`, or `group`); an optional
//! `name` column names the group. Other columns are ignored.

use crate::error::{Error, Problem, Problems, Result};
use crate::model::{FastMap, Grouping};
use crate::text::clip;

/// Read a grouping file (`.csv` or `.csv.gz`) at `path`. `what` is `country` or `sector`, for
/// messages. Every problem is reported at once: a missing header, a row with fewer than two
/// fields, an empty member or group, a member listed twice with two different groups.
pub fn read_grouping(path: &str, what: &str) -> Result<Grouping> {
    let bytes = super::read_file_bytes(std::path::Path::new(path))?;
    parse_grouping(path, &bytes, what)
}

/// [`read_grouping`] on bytes already read; `file` names them in messages.
pub fn parse_grouping(file: &str, bytes: &[u8], what: &str) -> Result<Grouping> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    if let Some(p) = super::text::encoding_problem(bytes) {
        return Err(Error::invalid(file, p));
    }
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delim = super::csv::sniff_delimiter(first);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut problems = Problems::default();
    let mut grouping = Grouping::new(file);
    let mut first_at: FastMap<String, (String, u64)> = FastMap::default();
    let mut header: Option<Vec<String>> = None;
    let mut name_col = None;
    let group_word = if what == "country" { "region" } else { "group" };
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(super::csv::unreadable_record(&e));
                break;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(h) = &header else {
            let h: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
            if h.len() < 2 {
                problems.push(
                    Problem::new(
                        format!("line {line}"),
                        format!("the header names {} column(s); a grouping file has two: {what},{group_word}", h.len()),
                    )
                    .hint(format!("write a header row {what},{group_word} and one row per {what}")),
                );
                break;
            }
            name_col = h.iter().position(|c| c.eq_ignore_ascii_case("name"));
            header = Some(h);
            continue;
        };
        if rec.len() < 2 {
            problems.push(
                Problem::new(
                    format!("line {line}"),
                    format!("one field, but a row needs the {what} and its {group_word}"),
                )
                .hint(format!("write {what},{group_word}, e.g. CAN,NAFTA")),
            );
            continue;
        }
        let member = rec[0].trim();
        let group = rec[1].trim();
        for (v, col) in [(member, &h[0]), (group, &h[1])] {
            if v.is_empty() {
                problems.push(Problem::new(
                    format!("line {line} ({})", clip(col)),
                    "empty field",
                ));
            } else if let Some(p) =
                crate::model::builder::id_problem(v, "id", format!("line {line} ({})", clip(col)))
            {
                problems.push(p);
            }
        }
        if member.is_empty() || group.is_empty() {
            continue;
        }
        if let Some(nc) = name_col.filter(|&c| c >= 2) {
            if let Some(n) = rec.get(nc).map(str::trim).filter(|n| !n.is_empty()) {
                grouping.name_group(group, n);
            }
        }
        match first_at.get(member) {
            Some((g, at)) if g != group => problems.push(
                Problem::new(
                    format!("line {line}"),
                    format!(
                        "{what} '{}' is put in '{}', but line {at} put it in '{}'",
                        clip(member),
                        clip(group),
                        clip(g)
                    ),
                )
                .hint(format!(
                    "a {what} belongs to one {group_word}: keep one of the rows"
                )),
            ),
            Some(_) => {}
            None => {
                first_at.insert(member.to_string(), (group.to_string(), line));
                grouping.insert(member, group);
            }
        }
    }
    if header.is_none() && problems.is_empty() {
        problems.push(Problem::new("", "the file is empty").hint(format!(
            "write a header row {what},{group_word} and one row per {what}"
        )));
    } else if grouping.is_empty() && problems.is_empty() {
        problems.push(
            Problem::new("line 2", format!("no {what} listed after the header"))
                .hint(format!("add one row per {what}: {what},{group_word}")),
        );
    }
    problems.into_result(file)?;
    Ok(grouping)
}
