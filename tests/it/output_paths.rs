//! `-o` never damages what it names (#13, item 1), run as CI runs (as root): a device stays a
//! device, a link stays a link, the input is refused, folders and missing folders are exit 2.

use crate::common::{root, tradenet};
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
#[cfg(unix)]
fn dev_null_stays_a_character_device() {
    use std::os::unix::fs::FileTypeExt;
    tradenet(["info", "graphs/tiny.json", "-o", "/dev/null"]).ok();
    tradenet([
        "convert",
        "graphs/tiny.json",
        "--to",
        "json",
        "-o",
        "/dev/null",
    ])
    .ok();
    let m = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(
        m.file_type().is_char_device(),
        "/dev/null is no longer a device"
    );
}

#[test]
#[cfg(unix)]
fn a_symlink_stays_a_link_and_its_target_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.json");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("target.json", &link).unwrap();
    // A dangling link: the file it points to is created.
    tradenet([
        "convert",
        "graphs/tiny.json",
        "--to",
        "json",
        "-o",
        s(&link),
    ])
    .ok();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let first = std::fs::read(&target).unwrap();
    assert!(first.starts_with(b"{"));
    // An existing target is replaced, the link kept.
    tradenet(["convert", "graphs/tiny.json", "--to", "csv", "-o", s(&link)]).ok();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read(&target).unwrap().starts_with(b"exporter,"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "temporary files left: {names:?}");
}

#[test]
fn the_input_is_refused_as_output_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.json");
    std::fs::copy(root().join("graphs/tiny.json"), &g).unwrap();
    let before = std::fs::read(&g).unwrap();
    let err = tradenet(["convert", s(&g), "--to", "csv", "-o", s(&g)]).fails();
    assert!(err.contains("is the input graph file"), "{err}");
    assert!(err.contains("--overwrite-input"), "{err}");
    assert_eq!(std::fs::read(&g).unwrap(), before, "the input was changed");
    // Through a link to it too.
    #[cfg(unix)]
    {
        let link = dir.path().join("l.json");
        std::os::unix::fs::symlink(&g, &link).unwrap();
        tradenet(["info", s(&g), "-o", s(&link)]).fails();
        assert_eq!(std::fs::read(&g).unwrap(), before);
    }
    // Allowed: the file is replaced by the complete output.
    let want = tradenet(["convert", s(&g), "--to", "csv"]).ok_bytes();
    tradenet([
        "convert",
        s(&g),
        "--to",
        "csv",
        "--overwrite-input",
        "-o",
        s(&g),
    ])
    .ok();
    assert_eq!(std::fs::read(&g).unwrap(), want);
}

#[test]
fn every_file_a_command_reads_is_refused_as_output() {
    // The scenario, --dy, --sources and --impact files are inputs as much as the graph: -o
    // naming one would replace it with the report.
    let dir = tempfile::tempdir().unwrap();
    let sc = dir.path().join("scenario.json");
    let scenario = r#"{"shocks": [{"type": "demand", "node": "CAN:c15", "change": -0.1}]}"#;
    std::fs::write(&sc, scenario).unwrap();
    let ids = dir.path().join("sources.txt");
    std::fs::write(&ids, "CAN\n").unwrap();
    let runs: [(Vec<&str>, &Path, &str); 4] = [
        (vec!["shock", "--scenario", s(&sc)], &sc, "--scenario file"),
        (vec!["shock", "--dy", s(&ids)], &ids, "--dy file"),
        (
            vec![
                "centrality",
                "graphs/world_trade_2016.json",
                "--sources",
                s(&ids),
            ],
            &ids,
            "--sources file",
        ),
        (vec!["draw", "--impact", s(&ids)], &ids, "--impact file"),
    ];
    for (mut args, file, what) in runs {
        let before = std::fs::read(file).unwrap();
        args.extend(["-o", s(file)]);
        let err = tradenet(&args).fails();
        assert!(err.contains(&format!("is the {what}")), "{err}");
        assert_eq!(std::fs::read(file).unwrap(), before, "{what} was changed");
    }
}

#[test]
fn folders_and_missing_folders_are_refused_with_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let err = tradenet(["info", "graphs/tiny.json", "-o", s(dir.path())]).fails();
    assert!(err.contains("is a folder"), "{err}");
    let missing = dir.path().join("nope/out.json");
    let err = tradenet(["info", "graphs/tiny.json", "-o", s(&missing)]).fails();
    assert!(err.contains("does not exist"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
#[cfg(unix)]
fn a_fifo_is_written_into() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: mkfifo reads a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    tradenet([
        "info",
        "graphs/tiny.json",
        "--format",
        "json",
        "-o",
        s(&fifo),
    ])
    .ok();
    let got = reader.join().unwrap();
    assert!(got.starts_with(b"{"), "{}", String::from_utf8_lossy(&got));
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
}
