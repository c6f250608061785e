//! Hostile conditions (issue #13, items 2, 3 and the gzip part of 8): input that is not a
//! file at rest (pipes, process substitution, devices, a file truncated while read), memory
//! limits from every source (TRADENET_MEMORY_LIMIT, `ulimit -v`, `ulimit -d`; cgroup text is
//! unit-tested in `src/budget.rs`), dense allocations past the budget, and damaged gzip.

use crate::common::{root, shared_data, shared_gzip, tradenet};
use std::io::Write;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_tradenet");

/// `text` gzipped (fast).
fn gz(text: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

/// `sh -c SCRIPT BIN ARGS...` from the repository root: exit code (None when killed by a
/// signal) and stderr.
fn sh(script: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

#[test]
fn inputs_larger_than_memory_are_refused_before_loading() {
    // A file, a gzip file that unpacks past the limit, and standard input: exit 2 with the
    // sizes, the limit that applies and what to do, before the graph is built.
    let dir = tempfile::tempdir().unwrap();
    let gz = shared_gzip("comtrade-1964-2016/edges_total_1964_2016.csv", dir.path());
    let gz = gz.to_str().unwrap();
    let runs: [(&str, &str, Option<&str>, &str); 3] = [
        ("2K", "graphs/tiny.json", None, "reading graphs/tiny.json ("),
        (
            "2M",
            gz,
            None,
            // The packed size depends on the gzip backend that wrote it (zlib-rs or miniz).
            &format!("unpacking {gz} ("),
        ),
        (
            "100K",
            "-",
            Some("graphs/icio2022_focus8.json"),
            "reading <stdin> needs more than the 100 KB tradenet may use",
        ),
    ];
    for (limit, path, stdin, what) in runs {
        let mut t = tradenet(["validate", path]).env("TRADENET_MEMORY_LIMIT", limit);
        if let Some(f) = stdin {
            t = t.stdin(std::fs::read(root().join(f)).unwrap());
        }
        let err = t.fails();
        assert!(err.starts_with(&format!("error: {what}")), "{err}");
        assert!(err.contains("more than the"), "{err}");
        assert!(
            err.contains(&format!("tradenet may use (TRADENET_MEMORY_LIMIT={limit})")),
            "{err}"
        );
        assert!(err.contains("hint: filter the input first"), "{err}");
    }
    // Node-link JSON in NetworkX's key order is streamed, within the general limit; with its
    // edges before its nodes it is held whole while read, at about 16 bytes per input byte,
    // and refused with its own hint where the general limit would let it through.
    let nl = tradenet(["convert", "graphs/icio2022_focus8.json", "--to", "nodelink"]).ok();
    let doc: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&nl).unwrap();
    let mut reordered = serde_json::Map::new();
    for k in ["edges", "directed", "multigraph", "graph", "nodes"] {
        reordered.insert(k.to_string(), doc[k].clone());
    }
    let edges_first = serde_json::to_string(&reordered).unwrap();
    let kb = nl.len().max(edges_first.len()).div_ceil(1024);
    let limit = format!("{}K", 8 * kb);
    tradenet(["validate", "-"])
        .env("TRADENET_MEMORY_LIMIT", &limit)
        .stdin(nl)
        .ok_with_notes();
    let err = tradenet(["validate", "-"])
        .env("TRADENET_MEMORY_LIMIT", &limit)
        .stdin(edges_first.clone())
        .fails();
    assert!(
        err.contains("reading <stdin> as one JSON document")
            && err.contains("at about 16 bytes of memory per byte")
            && err.contains("CSV edge list"),
        "{err}"
    );
    tradenet(["validate", "-"])
        .env("TRADENET_MEMORY_LIMIT", &format!("{}K", 17 * kb))
        .stdin(edges_first)
        .ok_with_notes();
    // The same files load with the limit raised; the unit may be written several ways.
    for limit in ["64M", "64MB", "64 MiB", "0.0625G"] {
        tradenet(["validate", gz])
            .env("TRADENET_MEMORY_LIMIT", limit)
            .ok_with_notes();
    }
}

#[test]
fn a_graph_larger_than_memory_is_refused_while_it_is_built() {
    // Short rows cost far more memory than their bytes (a flow per 6 bytes): the rows are
    // counted before parsing and refused with the count; distinct ids are watched as they
    // are interned.
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("rows.csv");
    let mut text = b"exporter,importer,value\n".to_vec();
    text.extend(b"a,b,1\n".repeat(200_000));
    std::fs::write(&rows, &text).unwrap();
    let err = tradenet(["validate", rows.to_str().unwrap()])
        .env("TRADENET_MEMORY_LIMIT", "8M")
        .fails();
    assert!(
        err.contains("the graph (200,001 rows, at about 72 bytes a flow"),
        "{err}"
    );
    let ids = dir.path().join("ids.csv");
    let mut text = b"exporter,importer,value\n".to_vec();
    for i in 0..100_000 {
        text.extend(format!("n{i},m{i},1\n").bytes());
    }
    std::fs::write(&ids, &text).unwrap();
    let err = tradenet(["validate", ids.to_str().unwrap()])
        .env("TRADENET_MEMORY_LIMIT", "30M")
        .fails();
    assert!(
        err.contains("nodes, at about 72 bytes a flow and 256 a node"),
        "{err}"
    );
    // Native JSON and node-link are watched by the graph builder the same way.
    let native = tradenet(["convert", ids.to_str().unwrap(), "--to", "json"]).ok();
    let err = tradenet(["validate", "-"])
        .env("TRADENET_MEMORY_LIMIT", "30M")
        .stdin(native.clone())
        .fails();
    assert!(
        err.contains("error: reading <stdin>: the graph (about "),
        "{err}"
    );
    tradenet(["validate", "-"])
        .env("TRADENET_MEMORY_LIMIT", "200M")
        .stdin(native)
        .ok_with_notes();
}

#[test]
fn memory_limit_with_units_it_does_not_understand_is_an_error() {
    for (bad, rule) in [
        ("12X", "unknown unit 'X'"),
        ("lots", "no number"),
        ("-5M", "no number"),
        ("0", "at least 1 byte"),
        ("1e9", "unknown unit 'e9'"),
        ("", "no number"),
    ] {
        let err = tradenet(["validate", "graphs/tiny.json"])
            .env("TRADENET_MEMORY_LIMIT", bad)
            .fails();
        assert!(
            err.starts_with(&format!("error: TRADENET_MEMORY_LIMIT = {bad:?}: "))
                && err.contains(rule),
            "{bad:?}: {err}"
        );
        assert!(err.contains("K, M, G and T are powers of 1024"), "{err}");
    }
}

#[test]
fn ulimit_v_and_ulimit_d_are_the_budget() {
    // 6 M rows of one pair: 36 MB of CSV, 37 KB of gzip, about 400 MB to build. Under a
    // 290 MB address-space or data limit the allocator would fail half-way (an abort, exit
    // 134); the budget sees the limit and refuses first, naming it.
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"exporter,importer,value\n".to_vec();
    text.extend(b"a,b,1\n".repeat(6_000_000));
    let f = dir.path().join("short_rows.csv.gz");
    std::fs::write(&f, gz(&text)).unwrap();
    let f = f.to_str().unwrap();
    for (flag, name) in [("-v", "ulimit -v: "), ("-d", "ulimit -d: ")] {
        let (code, err) = sh(
            &format!("ulimit {flag} 300000 && exec \"$0\" validate \"$1\""),
            &[f],
        );
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("the graph (6,000,001 rows"), "{err}");
        assert!(err.contains(name), "{err}");
    }
}

#[test]
fn a_dense_check_past_the_budget_is_refused_with_the_flag_to_lower() {
    // 3,000 country-sector nodes in a chain: the graph is small, the dense LU check of
    // --check-max 5000 would be a 72 MB matrix.
    let n = 3000;
    let mut nodes = Vec::new();
    let mut flows = Vec::new();
    for i in 0..n {
        nodes.push(format!(
            r#"{{"id":"C{i}:s","country":"C{i}","sector":"s","output":100,"final_demand":60}}"#
        ));
        if i + 1 < n {
            flows.push(format!(
                r#"{{"from":"C{i}:s","to":"C{}:s","value":40}}"#,
                i + 1
            ));
        }
    }
    let doc = format!(
        r#"{{"format":"tradenet/1","nodes":[{}],"flows":[{}]}}"#,
        nodes.join(","),
        flows.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("chain.json");
    std::fs::write(&f, doc).unwrap();
    let f = f.to_str().unwrap();
    let args = ["shock", f, "--demand", "C0=-10%", "--check-max", "5000"];
    let err = tradenet(args).env("TRADENET_MEMORY_LIMIT", "40M").fails();
    assert!(
        err.contains("the dense Leontief check (3000 x 3000 matrix) needs about 68.7 MB"),
        "{err}"
    );
    assert!(err.contains("lower --check-max"), "{err}");
    // Below the size, the check is skipped and the shock runs in the same budget.
    tradenet(["shock", f, "--demand", "C0=-10%", "--check-max", "1000"])
        .env("TRADENET_MEMORY_LIMIT", "40M")
        .ok();
}

#[test]
fn pipes_process_substitution_and_dev_stdin_are_read() {
    let want = tradenet(["validate", "graphs/tiny.json"]).ok_with_notes();
    // Process substitution: a pipe under /dev/fd.
    let out = Command::new("bash")
        .arg("-c")
        .arg("exec \"$0\" validate <(cat graphs/tiny.json)")
        .arg(BIN)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        got.lines().skip(1).collect::<Vec<_>>(),
        want.lines().skip(1).collect::<Vec<_>>(),
        "{got}"
    );
    // A named FIFO, written by another process.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("g.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (code, err) = sh(
        "cat graphs/tiny.json > \"$1\" & exec \"$0\" validate \"$1\"",
        &[fifo.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{err}");
    // /dev/stdin when standard input is a pipe.
    let bytes = std::fs::read(root().join("graphs/tiny.json")).unwrap();
    tradenet(["validate", "/dev/stdin"])
        .stdin(bytes)
        .ok_with_notes();
}

#[test]
fn a_device_is_not_read() {
    for dev in ["/dev/zero", "/dev/urandom"] {
        let err = tradenet(["validate", dev]).fails();
        assert!(
            err.contains(&format!("{dev}: is a character device, not a graph file")),
            "{err}"
        );
    }
    // A file whose size the kernel does not know (procfs says 0) is read to its end, not
    // refused as changed while read: here it is read, and is not a graph.
    let err = tradenet(["validate", "/proc/version"]).fails();
    assert!(err.contains("/proc/version: line 1: no column"), "{err}");
}

#[test]
fn a_file_truncated_while_read_never_kills_the_reader() {
    // A memory-mapped reader dies of SIGBUS when the file shrinks under it. Truncate a
    // 48 MB edge list while it is being read, at several moments: every run ends with an exit
    // code (0 when the read won the race, 2 when the change was seen), never a signal.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.csv");
    let mut text = b"exporter,importer,value\n".to_vec();
    for i in 0..2_000_000u32 {
        text.extend(format!("c{},d{},{}\n", i % 997, i % 991, i + 1).bytes());
    }
    for delay_ms in [0u64, 5, 20, 60] {
        std::fs::write(&f, &text).unwrap();
        let child = Command::new(BIN)
            .args(["validate", f.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&f)
            .unwrap()
            .set_len(1000)
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "delay {delay_ms} ms: {:?}\n{err}",
            out.status
        );
        if out.status.code() == Some(2) {
            assert!(
                err.contains("changed while it was read") || err.contains("line"),
                "{err}"
            );
        }
    }
}

/// The WIOD 2011 input-output set of `../shared/data` copied into `dir` (at run time), with
/// its packed intermediate flows replaced by `flows`.
fn io_folder(dir: &Path, flows: &[u8]) {
    for f in ["final_demand_2011.csv.gz", "gross_output_2011.csv"] {
        std::fs::copy(shared_data(&format!("wiod2011/full/{f}")), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("intermediate_flows_2011.csv.gz"), flows).unwrap();
}

#[test]
fn damaged_gzip_names_the_file_and_the_rule_alone_and_in_an_io_folder() {
    let dir = tempfile::tempdir().unwrap();
    let flows = shared_data("comtrade-1964-2016/edges_total_1964_2016.csv");
    let packed = gz(&std::fs::read(&flows).unwrap());
    // Trailing garbage after the last member.
    let garbage = dir.path().join("garbage.csv.gz");
    let mut g = packed.clone();
    g.extend(b"<html>503 Service Unavailable</html>\n");
    std::fs::write(&garbage, &g).unwrap();
    let err = tradenet(["validate", garbage.to_str().unwrap()]).fails();
    assert!(
        err.contains(&format!(
            "garbage.csv.gz: byte {}: 37 bytes after the end of the gzip data are not gzip (trailing garbage)",
            packed.len()
        )),
        "{err}"
    );
    assert!(err.contains(&format!("head -c {}", packed.len())), "{err}");
    // A second member cut short (two members, as `cat a.gz b.gz` makes).
    let cut = dir.path().join("cut.csv.gz");
    let mut c = packed.clone();
    c.extend(&packed[..packed.len() / 2]);
    std::fs::write(&cut, &c).unwrap();
    let err = tradenet(["validate", cut.to_str().unwrap()]).fails();
    assert!(
        err.contains(&format!(
            "cut.csv.gz: gzip member 2 (from byte {}): the gzip data is truncated",
            packed.len()
        )),
        "{err}"
    );
    // Trailing zero bytes are padding, as gzip -d treats them.
    let padded = dir.path().join("padded.csv.gz");
    let mut p = packed.clone();
    p.extend([0u8; 1024]);
    std::fs::write(&padded, &p).unwrap();
    tradenet(["validate", padded.to_str().unwrap()]).ok_with_notes();
    // In an input-output folder, the damaged part is named, not silently left out (it was
    // skipped, and the set reported as incomplete).
    let packed =
        std::fs::read(shared_data("wiod2011/full/intermediate_flows_2011.csv.gz")).unwrap();
    let mut trailing = packed.clone();
    trailing.extend(b"<html>503</html>");
    for (name, bytes, rule) in [
        ("trailing", trailing, "trailing garbage"),
        (
            "truncated",
            packed[..packed.len() - 20].to_vec(),
            "the gzip data is truncated",
        ),
    ] {
        let set = dir.path().join(name);
        std::fs::create_dir(&set).unwrap();
        io_folder(&set, &bytes);
        let part = set.join("intermediate_flows_2011.csv.gz");
        let err = tradenet(["validate", set.to_str().unwrap()]).fails();
        assert!(
            err.starts_with(&format!("error: {}: ", part.display())) && err.contains(rule),
            "{err}"
        );
    }
    // A part saved as UTF-16 is named as such, not as a missing part.
    let set = dir.path().join("utf16");
    std::fs::create_dir(&set).unwrap();
    io_folder(&set, &packed);
    let go = set.join("gross_output_2011.csv");
    let text = std::fs::read_to_string(&go).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&go, utf16).unwrap();
    let err = tradenet(["validate", set.to_str().unwrap()]).fails();
    assert!(
        err.starts_with(&format!("error: {}: ", go.display())) && err.contains("UTF-16"),
        "{err}"
    );
    // The undamaged set reads.
    let set = dir.path().join("whole");
    std::fs::create_dir(&set).unwrap();
    io_folder(&set, &packed);
    tradenet(["validate", set.to_str().unwrap()]).ok_with_notes();
}
