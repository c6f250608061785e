//! The README's tour is real output: every ```text block that starts with `$ tradenet ...` is
//! run from the repository root, and its lines must appear in what the command prints
//! (standard error, then standard output), in order and contiguous, except where the README
//! writes a line `...` for lines it leaves out. A ```text block without a command continues
//! the output of the block before it. So a number in the README is regenerated, never edited.

use crate::common::{root, tradenet};

/// One command of the README and the lines shown for it, in segments split at `...`.
struct Shown {
    line: usize,
    args: Vec<String>,
    segments: Vec<Vec<String>>,
}

fn shell_words(cmd: &str) -> Vec<String> {
    // The README's commands use plain words and double-quoted strings only.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in cmd.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn shown_commands(readme: &str) -> Vec<Shown> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out: Vec<Shown> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```text" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && lines[end].trim_end() != "```" {
            end += 1;
        }
        let block = &lines[start..end];
        let (cmd, body): (Option<String>, &[&str]) = match block.first() {
            Some(l) if l.starts_with("$ tradenet") => {
                let mut cmd = l.trim_start_matches("$ ").to_string();
                let mut k = 1;
                while cmd.ends_with('\\') {
                    cmd.pop();
                    cmd.push(' ');
                    cmd.push_str(block[k].trim());
                    k += 1;
                }
                (Some(cmd), &block[k..])
            }
            _ => (None, block),
        };
        let mut segments = vec![Vec::new()];
        for l in body {
            if l.trim() == "..." {
                segments.push(Vec::new());
            } else {
                segments.last_mut().unwrap().push(l.trim_end().to_string());
            }
        }
        match cmd {
            Some(c) => out.push(Shown {
                line: start,
                args: shell_words(&c)[1..].to_vec(),
                segments,
            }),
            // A block without a command continues the one before (if there is one).
            None => {
                if let Some(last) = out.last_mut() {
                    last.segments.push(Vec::new());
                    last.segments.extend(segments);
                }
            }
        }
        i = end + 1;
    }
    out
}

/// The position after `seg` found contiguously in `out` at or after `from`.
fn find_segment(out: &[String], seg: &[String], from: usize) -> Option<usize> {
    // Leading and trailing blank lines of a segment are layout, not output.
    let first = seg.iter().position(|l| !l.is_empty())?;
    let last = seg.iter().rposition(|l| !l.is_empty())?;
    let seg = &seg[first..=last];
    (from..=out.len().saturating_sub(seg.len()))
        .find(|&s| out[s..s + seg.len()] == *seg)
        .map(|s| s + seg.len())
}

#[test]
fn readme_tour_output_is_what_the_commands_print() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = shown_commands(&readme);
    assert!(shown.len() >= 6, "found only {} commands", shown.len());
    let mut failures = Vec::new();
    for s in &shown {
        let o = tradenet(&s.args).output();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stderr),
            String::from_utf8_lossy(&o.stdout)
        );
        let out: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
        let mut at = 0;
        for seg in s
            .segments
            .iter()
            .filter(|s| s.iter().any(|l| !l.is_empty()))
        {
            match find_segment(&out, seg, at) {
                Some(next) => at = next,
                None => {
                    failures.push(format!(
                        "README line {}: `tradenet {}`: these lines are not printed (in this order, \
                         without a `...` between them):\n{}\n--- printed:\n{}",
                        s.line,
                        s.args.join(" "),
                        seg.join("\n"),
                        text
                    ));
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn readme_prose_examples_run_on_the_files_shown() {
    // Examples the README gives in its prose and `sh` blocks, each run as written (outputs go
    // to a temporary folder instead of the working tree).
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    // (text in the README, arguments, the -o file the README names, written to `dir` here)
    let comtrade = "../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv";
    let examples: [(&str, &[&str], Option<&str>); 8] = [
        ("--demand CHN=-10%", &["shock", "--demand", "CHN=-10%"], None),
        ("--supply JPN:C27=-20%", &["shock", "--supply", "JPN:C27=-20%"], None),
        ("--embargo\nCHN:USA:C26", &["shock", "--embargo", "CHN:USA:C26"], None),
        (
            "tradenet convert ../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv --year 2016 --to json -o comtrade2016.json",
            &["convert", comtrade, "--year", "2016", "--to", "json"],
            Some("comtrade2016.json"),
        ),
        (
            "tradenet convert graphs/tiny.json --to nodelink -o tiny.nodelink.json",
            &["convert", "graphs/tiny.json", "--to", "nodelink"],
            Some("tiny.nodelink.json"),
        ),
        (
            "tradenet convert --as-countries --sector C29 --to csv -o autos.csv",
            &["convert", "--as-countries", "--sector", "C29", "--to", "csv"],
            Some("autos.csv"),
        ),
        (
            "--tariff USA:CAN=25% --tariff USA:CAN:C29=50%",
            &["shock", "--tariff", "USA:CAN=25%", "--tariff", "USA:CAN:C29=50%"],
            None,
        ),
        ("USA:CAN:C29=6.1%->0%", &["shock", "--tariff", "USA:CAN:C29=6.1%->0%"], None),
    ];
    for (text, args, file) in examples {
        assert!(readme.contains(text), "the README no longer shows `{text}`");
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        if let Some(f) = file {
            args.extend(["-o".to_string(), out(f)]);
        }
        tradenet(&args).ok_with_notes();
    }
    assert!(std::fs::metadata(out("comtrade2016.json")).unwrap().len() > 0);
}
