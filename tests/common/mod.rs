//! The one helper for black-box CLI tests: run the `tradenet` binary from the repository root
//! and either expect success (returning stdout, or stdout parsed as JSON) or expect a bad-input
//! failure (exit code 2, a message starting with `error: `, no panic; returning stderr).
//!
//! Every test binary that uses this includes it with `mod common;`; not every test uses every
//! function, hence the `dead_code` allowance.
#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root; commands run here, so relative paths such as `tests/bad/x.json` appear
/// in messages exactly as given.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A run of the `tradenet` binary being set up.
pub struct Tradenet {
    cmd: assert_cmd::Command,
    shown: String,
}

/// Start a `tradenet` command with `args`.
pub fn tradenet<I, S>(args: I) -> Tradenet
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = cargo_bin_cmd!("tradenet");
    let mut shown = String::from("tradenet");
    for a in args {
        shown.push(' ');
        shown.push_str(&a.as_ref().to_string_lossy());
        cmd.arg(a.as_ref());
    }
    cmd.current_dir(root());
    Tradenet { cmd, shown }
}

impl Tradenet {
    /// Feed `bytes` to standard input.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.cmd.write_stdin(bytes.into());
        self
    }

    /// Set an environment variable for the run.
    #[allow(dead_code)]
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Run, assert exit code 0, and return stdout; stderr may hold notes (never a panic).
    #[allow(dead_code)]
    pub fn ok_with_notes(self) -> String {
        let shown = self.shown.clone();
        let out = self.output();
        assert!(
            out.status.success(),
            "`{shown}` failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run in `dir` instead of the repository root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir.as_ref());
        self
    }

    /// Run and return the raw output, whatever the exit code (still checking for panics).
    pub fn output(mut self) -> Output {
        let out = self
            .cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", self.shown));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "`{}` panicked:\n{stderr}",
            self.shown
        );
        out
    }

    /// Run, assert exit code 0 and an empty stderr, and return stdout as bytes.
    pub fn ok_bytes(self) -> Vec<u8> {
        let shown = self.shown.clone();
        let out = self.output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "`{shown}` failed:\n{stderr}\nstdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            stderr.is_empty(),
            "`{shown}` succeeded but wrote to stderr:\n{stderr}"
        );
        out.stdout
    }

    /// Run, assert success, and return stdout as text.
    pub fn ok(self) -> String {
        let shown = self.shown.clone();
        String::from_utf8(self.ok_bytes())
            .unwrap_or_else(|e| panic!("`{shown}` wrote non-UTF-8 to stdout: {e}"))
    }

    /// Run, assert success, and return stdout parsed as JSON.
    pub fn json(self) -> serde_json::Value {
        let shown = self.shown.clone();
        let text = self.ok();
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("`{shown}` did not print JSON ({e}):\n{text}"))
    }

    /// Run, assert a bad-input failure (exit code exactly 2, stderr starting with `error: `,
    /// nothing on stdout, no panic), and return stderr.
    pub fn fails(self) -> String {
        self.fails_with(2)
    }

    /// Run, assert failure with exit code `code`, a message starting with `error: ` and nothing
    /// on stdout, and return stderr.
    pub fn fails_with(self, code: i32) -> String {
        let shown = self.shown.clone();
        let out = self.output();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "`{shown}`: expected exit code {code}; stderr:\n{stderr}\nstdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            stderr.starts_with("error: "),
            "`{shown}`: stderr does not start with `error: `:\n{stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "`{shown}` failed but wrote to stdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }
}

/// The files in `dir` (relative to the repository root) whose names end with one of `exts`,
/// sorted, as paths relative to the root (`graphs/tiny.json`).
pub fn files_in(dir: &str, exts: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|e| e.expect("directory entry").file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| exts.iter().any(|x| n.ends_with(x)))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    v.sort();
    v
}

/// `v[key]` as a number, failing the test with the document when it is not one.
pub fn num(v: &serde_json::Value, key: &str) -> f64 {
    v.get(key)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("`{key}` is not a number in:\n{v:#}"))
}

/// `v[key]` as a whole number.
pub fn int(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or_else(|| panic!("`{key}` is not a whole number in:\n{v:#}"))
}

/// A file or folder of `../shared/data` (the real data sets, read at run time, never copied into
/// the project). Fails the test with a message when it is not there: a test never passes
/// because its data is missing.
pub fn shared_data(rel: &str) -> PathBuf {
    let p = root().join("../shared/data").join(rel);
    assert!(
        p.exists(),
        "{} not found: tests read the real data sets from ../shared/data beside the checkout",
        p.display()
    );
    p
}

/// `../shared/data/REL` gzipped into `dir` at run time (for tests of the gzip path on real
/// data; nothing derived from the data is kept in the project).
pub fn shared_gzip(rel: &str, dir: &Path) -> PathBuf {
    use std::io::Write;
    let raw = std::fs::read(shared_data(rel)).unwrap();
    let out = dir.join(format!(
        "{}.gz",
        Path::new(rel).file_name().unwrap().to_string_lossy()
    ));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw).unwrap();
    std::fs::write(&out, gz.finish().unwrap()).unwrap();
    out
}
