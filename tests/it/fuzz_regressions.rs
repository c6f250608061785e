//! Replays the fuzz targets' checks (`tests/fuzz/checks.rs`) on the committed seeds, on every
//! input a fuzz run flagged (`tests/fuzz/regressions/TARGET/`, each fixed), and on the good and
//! bad example files, so that CI holds every fuzz finding fixed without a fuzzer.

use crate::checks;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    v.sort();
    v
}

fn replay(target: &str, check: fn(&[u8]), extra: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    for d in ["tests/fuzz/seeds", "tests/fuzz/regressions"] {
        inputs.extend(files(&root.join(d).join(target)));
    }
    for d in extra {
        inputs.extend(files(&root.join(d)));
    }
    assert!(!inputs.is_empty(), "{target}: no inputs");
    for p in &inputs {
        let data = std::fs::read(p).expect("readable");
        let r = std::panic::catch_unwind(|| check(&data));
        assert!(r.is_ok(), "{target}: check failed on {}", p.display());
    }
}

const EXAMPLES: &[&str] = &["tests/good", "tests/bad", "graphs"];

#[test]
fn native() {
    replay("native", checks::native, EXAMPLES);
}

#[test]
fn nodelink() {
    replay("nodelink", checks::nodelink, EXAMPLES);
}

#[test]
fn csv() {
    replay("csv", checks::csv, EXAMPLES);
}

#[test]
fn detect() {
    replay("detect", checks::detect, EXAMPLES);
}

#[test]
fn io_set() {
    replay("io_set", checks::io_set, &[]);
}

#[test]
fn scenario() {
    replay("scenario", checks::scenario, &[]);
}

#[test]
fn escaping() {
    replay("escaping", checks::escaping, &[]);
}
