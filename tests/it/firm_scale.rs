//! Firm scale (issue #20): the outputs of the CSV load path pinned byte for byte on generated
//! edge lists, so that a faster loader cannot change a node's order, a sum's rounding, a count
//! or a note. The files are made here from a fixed seed (splitmix64, integer arithmetic only:
//! the same bytes on every platform); each is over 1 MiB, so the loader cuts it into chunks
//! read in parallel, and each is read at 1 and 2 threads, which must give the same bytes.
//!
//! Provenance of the pinned hashes: FNV-1a 64 of stdout, a NUL, then stderr, recorded from the
//! tradenet binary at commit 924875f (before the loader of issue #20 was rewritten). They are
//! a regression pin, not a reference value: a change to them must be explained by a change of
//! output that is meant.

use crate::common::tradenet;
use std::io::Write;
use std::path::Path;

/// splitmix64: a small, fixed pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A node index in `0..n` skewed to small indices (a product of two uniforms), as firm
    /// degrees are: a few firms trade with many.
    fn skewed(&mut self, n: u64) -> u64 {
        (self.next() % n) * (self.next() % n) / n
    }

    /// A positive value with three decimals, as text; one row in 97 has a zero value (a row
    /// the loader skips and counts).
    fn value(&mut self) -> String {
        let r = self.next();
        if r % 97 == 0 {
            return "0".into();
        }
        let v = r % 10_000_000 + 1;
        format!("{}.{:03}", v / 1000, v % 1000)
    }
}

/// A firm network: `rows` flows among `n` firms in random order (the node order is the order
/// of first use), sector = the supplier's industry, no self-flows.
fn firms(seed: u64, n: u64, rows: usize) -> String {
    let mut r = Rng(seed);
    let mut s = String::from("exporter,importer,sector,value\n");
    let mut k = 0;
    while k < rows {
        let a = r.skewed(n);
        let b = (r.skewed(n) + r.next() % 7) % n;
        if a == b {
            continue;
        }
        let v = r.value();
        s.push_str(&format!("f{a:07},f{b:07},ind{:02},{v}\n", a % 20 + 1));
        k += 1;
    }
    s
}

/// Parallel sector flows: each pair trades in one to four sectors, and one row in ten repeats
/// a pair's sector (two flows of one pair and sector, which aggregation sums).
fn sectors(seed: u64, n: u64, pairs: usize) -> String {
    let mut r = Rng(seed);
    let mut s = String::from("exporter,importer,sector,value\n");
    let mut k = 0;
    while k < pairs {
        let a = r.skewed(n);
        let b = r.next() % n;
        if a == b {
            continue;
        }
        let first = r.next() % 40;
        for j in 0..1 + r.next() % 4 {
            let sec = if r.next() % 10 == 0 {
                first
            } else {
                (first + 3 * j) % 40
            };
            let v = r.value();
            s.push_str(&format!("c{a:05},c{b:05},s{sec:02},{v}\n"));
        }
        k += 1;
    }
    s
}

fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = h.wrapping_mul(0x0000_0100_0000_01b3); // a NUL byte between parts
        }
        for &b in *p {
            h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The hash of one run in `dir` at `threads` threads (exit code 0 asserted).
fn run(dir: &Path, threads: &str, args: &[&str]) -> u64 {
    let out = tradenet(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .output();
    assert_eq!(
        out.status.code(),
        Some(0),
        "tradenet {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fnv1a(&[&out.stdout, &out.stderr])
}

/// The hashes of `centrality -m pagerank --format csv`, `validate` and `info --format json` on
/// `file`, the same at 1 and 2 threads.
fn hashes(dir: &Path, file: &str) -> [u64; 3] {
    let cmds: [&[&str]; 3] = [
        &["centrality", file, "-m", "pagerank", "--format", "csv"],
        &["validate", file],
        &["info", file, "--format", "json"],
    ];
    cmds.map(|args| {
        let one = run(dir, "1", args);
        let two = run(dir, "2", args);
        assert_eq!(
            one, two,
            "tradenet {args:?}: other bytes at 2 threads than at 1"
        );
        one
    })
}

fn gz(text: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

#[test]
fn generated_files_are_big_enough_to_be_read_in_parallel_chunks() {
    // The loader reads files of 1 MiB and more in chunks, one per thread.
    assert!(firms(20, 20_000, 60_000).len() > 1 << 20);
    assert!(sectors(21, 3_000, 16_000).len() > 1 << 20);
}

#[test]
fn outputs_on_a_firm_network_are_those_of_the_loader_before_issue_20() {
    let dir = tempfile::tempdir().unwrap();
    let text = firms(20, 20_000, 60_000);
    std::fs::write(dir.path().join("firms.csv"), &text).unwrap();
    std::fs::write(dir.path().join("firms.csv.gz"), gz(text.as_bytes())).unwrap();
    let got = hashes(dir.path(), "firms.csv");
    assert_eq!(
        got,
        [0xc376dd074210b3f6, 0x6cee65a7e33ff66a, 0xd95dc69a22c6fb8b],
        "plain: {got:#x?}"
    );
    let got = hashes(dir.path(), "firms.csv.gz");
    assert_eq!(
        got,
        [0xc376dd074210b3f6, 0x1667fbf01359afb3, 0xf69510747155c990],
        "gzip: {got:#x?}"
    );
}

#[test]
fn outputs_on_parallel_sector_flows_are_those_of_the_loader_before_issue_20() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sectors.csv"), sectors(21, 3_000, 16_000)).unwrap();
    let got = hashes(dir.path(), "sectors.csv");
    assert_eq!(
        got,
        [0x5ed82fd87e233178, 0x5d05a96dc52be94b, 0xd07c3e6e4a37c48f],
        "{got:#x?}"
    );
}
