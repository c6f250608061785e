//! How much memory tradenet may use, and the check made before every large allocation.
//!
//! The budget is the smallest of the limits that apply to this process: the memory the
//! kernel reports available (`MemAvailable`), the memory cgroup's limit less what the group
//! already uses (cgroup v2 `memory.max`, cgroup v1 `memory.limit_in_bytes`, every level up to
//! the root), and the address-space and data limits (`ulimit -v`, `ulimit -d`) less what the
//! process already maps. `TRADENET_MEMORY_LIMIT` (`512M`, `64G`, `1.5GiB`, bytes) replaces it
//! all: the user knows better.
//!
//! Readers and analyses call [`check`] with what an allocation will need before making it, so
//! that input too large for the machine is refused with the numbers and a hint (exit 2), never
//! killed by the kernel half-way.

use crate::error::{Error, Result};
use std::sync::OnceLock;

/// The memory tradenet may use, and where that figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Bytes.
    pub bytes: u64,
    /// The limit that set it, for messages: `cgroup v1 memory.limit_in_bytes: 512.0 MB, 3.1 MB
    /// in use`, `ulimit -v: ...`, `MemAvailable in /proc/meminfo`, `TRADENET_MEMORY_LIMIT=2G`.
    pub source: String,
}

/// Peak memory of reading a graph, per byte of the (unpacked) input held while it is read.
/// The input is held whole, so this is 1.
pub const PER_INPUT_BYTE: u64 = 1;

/// Peak memory per flow of a graph being built (the parsed rows, the graph's edge list and
/// the adjacency made from it), measured on a CSV of 4 M rows of one pair (see the README's
/// Guarantees), rounded up.
pub const PER_FLOW: u64 = 72;

/// Peak memory per node of a graph being built (the id text, the id tables of the reader and
/// of the graph, the node record), measured on a CSV of 4 M rows naming 4 M distinct ids,
/// rounded up.
pub const PER_NODE: u64 = 256;

/// Peak memory per byte of a node-link JSON document held as a whole (its edges come before
/// its nodes or graph attributes), measured on a 39 MB file (15.5 bytes per byte), rounded up.
pub const PER_JSON_DOCUMENT_BYTE: u64 = 16;

/// Estimated peak bytes of building a graph of `flows` flows and `nodes` nodes from an input
/// of `input` bytes.
pub fn graph_bytes(input: u64, flows: u64, nodes: u64) -> u64 {
    input
        .saturating_mul(PER_INPUT_BYTE)
        .saturating_add(flows.saturating_mul(PER_FLOW))
        .saturating_add(nodes.saturating_mul(PER_NODE))
}

/// The budget, or the value of `TRADENET_MEMORY_LIMIT` that cannot be read and why.
type Measured = std::result::Result<Option<Budget>, (String, String)>;

static BUDGET: OnceLock<Measured> = OnceLock::new();

/// The budget of this process (measured once), `None` when nothing limits it (not Linux, and
/// no `TRADENET_MEMORY_LIMIT`). An error when `TRADENET_MEMORY_LIMIT` cannot be read.
pub fn budget() -> Result<Option<&'static Budget>> {
    match BUDGET.get_or_init(measure) {
        Ok(b) => Ok(b.as_ref()),
        Err((value, rule)) => Err(Error::param("TRADENET_MEMORY_LIMIT", value, rule.clone())),
    }
}

/// `Ok(())` when `need` bytes fit in the budget; else the `Memory` error naming `what` (built
/// only then), the numbers and the default hint.
pub fn check(need: u64, what: impl FnOnce() -> String) -> Result<()> {
    check_hint(need, what, DEFAULT_HINT)
}

/// As [`check`], with a hint of the caller's.
pub fn check_hint(need: u64, what: impl FnOnce() -> String, hint: &str) -> Result<()> {
    match budget()? {
        Some(b) if need > b.bytes => Err(Error::Memory {
            what: what(),
            need,
            budget: b.bytes,
            limit: b.source.clone(),
            hint: hint.to_string(),
        }),
        _ => Ok(()),
    }
}

/// The default hint of a [`check`] that fails.
pub const DEFAULT_HINT: &str = "filter the input first (one year, sector or country), free memory, or set TRADENET_MEMORY_LIMIT (for example 64G) if you know it fits";

fn measure() -> Measured {
    if let Ok(v) = std::env::var("TRADENET_MEMORY_LIMIT") {
        let bytes = parse_size(&v).map_err(|rule| {
            (format!("{v:?}"), format!("{rule} (hint: give bytes or a number with a unit: 512M, 64G, 1.5GiB; K, M, G and T are powers of 1024)"))
        })?;
        return Ok(Some(Budget {
            bytes,
            source: format!("TRADENET_MEMORY_LIMIT={}", v.trim()),
        }));
    }
    Ok(system_budget())
}

/// Bytes from `512`, `512K`, `64G`, `1.5GiB`, `2 MB` (K, M, G, T and their `B`/`iB` forms are
/// powers of 1024).
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = (t[..split].trim(), t[split..].trim());
    if num.is_empty() {
        return Err("not a size: no number".to_string());
    }
    let n: f64 = num
        .parse()
        .map_err(|_| format!("not a size: '{num}' is not a number"))?;
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("unknown unit '{unit}'")),
    };
    let bytes = n * (1u64 << shift) as f64;
    if bytes.is_nan() || bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err("the size must be at least 1 byte and below 16 EiB".to_string());
    }
    Ok(bytes as u64)
}

/// The smallest limit the system sets, or `None` off Linux.
fn system_budget() -> Option<Budget> {
    #[cfg(target_os = "linux")]
    {
        let mut limits: Vec<Budget> = Vec::new();
        if let Some(b) = read("/proc/meminfo").and_then(|m| meminfo_available(&m)) {
            limits.push(Budget {
                bytes: b,
                source: "MemAvailable in /proc/meminfo".to_string(),
            });
        }
        limits.extend(cgroup_limits());
        limits.extend(rlimits());
        limits.into_iter().min_by_key(|b| b.bytes)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

#[cfg(target_os = "linux")]
fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// `MemAvailable` of `/proc/meminfo`, in bytes.
fn meminfo_available(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|r| r.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

/// The value of `key` in a `memory.stat` file.
fn stat_value(stat: &str, key: &str) -> Option<u64> {
    stat.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

/// What one cgroup level leaves: its limit less what the group uses that cannot be
/// reclaimed (the page cache can). `None` when the level sets no limit.
/// `version` is 1 or 2; `limit`, `usage` and `stat` are the text of `memory.max`,
/// `memory.current` and `memory.stat` (v2) or `memory.limit_in_bytes`,
/// `memory.usage_in_bytes` and `memory.stat` (v1).
pub fn cgroup_room(version: u8, limit: &str, usage: &str, stat: &str) -> Option<(u64, u64, u64)> {
    let limit: u64 = limit.trim().parse().ok()?; // "max" (v2) is no limit
    if limit >= 1 << 62 {
        return None; // v1 writes "no limit" as a page-rounded i64::MAX
    }
    let usage: u64 = usage.trim().parse().unwrap_or(0);
    let cache = if version == 1 {
        stat_value(stat, "total_cache").or_else(|| stat_value(stat, "cache"))
    } else {
        stat_value(stat, "file")
    }
    .unwrap_or(0);
    let used = usage.saturating_sub(cache);
    Some((limit.saturating_sub(used), limit, used))
}

/// The cgroup hierarchy holding the memory controller, from `/proc/self/mountinfo`: its mount
/// point, the cgroup its mount shows as root (field 4: `/` in a cgroup namespace, `/docker/ID`
/// for a bind mount of a subtree), and the version (2 for the unified hierarchy).
fn cgroup_mount(mountinfo: &str) -> Option<(String, String, u8)> {
    let mut v2 = None;
    for line in mountinfo.lines() {
        let Some((left, right)) = line.split_once(" - ") else {
            continue;
        };
        let mut r = right.split_whitespace();
        let fstype = r.next().unwrap_or("");
        let opts = r.nth(1).unwrap_or("");
        let mut l = left.split_whitespace();
        let (Some(root), Some(mount)) = (l.nth(3), l.next()) else {
            continue;
        };
        let (root, mount) = (unescape(root), unescape(mount));
        if fstype == "cgroup" && opts.split(',').any(|o| o == "memory") {
            return Some((mount, root, 1));
        }
        if fstype == "cgroup2" && v2.is_none() {
            v2 = Some((mount, root, 2));
        }
    }
    v2
}

/// A mountinfo path with its octal escapes (`\040` for a space) undone.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], octal) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The folder of the process's cgroup under the mount: its path made relative to the mount's
/// root. `None` when the mount's root is not above it (a namespace seen from outside, `/..`):
/// then the cgroup's limit cannot be found and the other limits apply.
fn cgroup_dir(mount: &str, root: &str, path: &str) -> Option<std::path::PathBuf> {
    let rel = std::path::Path::new(path).strip_prefix(root).ok()?;
    Some(std::path::Path::new(mount).join(rel))
}

/// The process's path in the memory hierarchy of `version`, from `/proc/self/cgroup`.
fn cgroup_path(cgroup: &str, version: u8) -> Option<String> {
    cgroup.lines().find_map(|l| {
        let mut f = l.splitn(3, ':');
        let (_, ctrl, path) = (f.next()?, f.next()?, f.next()?);
        let hit = if version == 1 {
            ctrl.split(',').any(|c| c == "memory")
        } else {
            ctrl.is_empty()
        };
        hit.then(|| path.to_string())
    })
}

#[cfg(target_os = "linux")]
fn cgroup_limits() -> Option<Budget> {
    let (mount, root, version) = cgroup_mount(&read("/proc/self/mountinfo")?)?;
    let path = cgroup_path(&read("/proc/self/cgroup")?, version)?;
    let dir = cgroup_dir(&mount, &root, &path)?;
    let files = if version == 1 {
        ["memory.limit_in_bytes", "memory.usage_in_bytes"]
    } else {
        ["memory.max", "memory.current"]
    };
    let mut best: Option<Budget> = None;
    let mut d = Some(dir.as_path());
    while let Some(p) = d {
        if !p.starts_with(&mount) {
            break;
        }
        let get = |f: &str| std::fs::read_to_string(p.join(f)).unwrap_or_default();
        if let Some((room, limit, used)) =
            cgroup_room(version, &get(files[0]), &get(files[1]), &get("memory.stat"))
        {
            if best.as_ref().is_none_or(|b| room < b.bytes) {
                best = Some(Budget {
                    bytes: room,
                    source: format!(
                        "cgroup v{version} {}: {}, {} in use",
                        files[0],
                        fmt_bytes(limit),
                        fmt_bytes(used)
                    ),
                });
            }
        }
        d = p.parent();
    }
    best
}

/// What `ulimit -v` (address space) and `ulimit -d` (data) leave, less what the process
/// already maps.
#[cfg(target_os = "linux")]
fn rlimits() -> Vec<Budget> {
    let status = read("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|r| r.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|k| k * 1024)
            .unwrap_or(0)
    };
    let mut out = Vec::new();
    for (res, name, used_key) in [
        (libc::RLIMIT_AS, "ulimit -v", "VmSize:"),
        (libc::RLIMIT_DATA, "ulimit -d", "VmData:"),
    ] {
        let mut r = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one rlimit struct that we own.
        if unsafe { libc::getrlimit(res, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY {
            continue;
        }
        let limit = r.rlim_cur;
        let used = kb(used_key);
        // Threads and allocator arenas reserve address space they never touch: keep a
        // quarter of the room free for them.
        let room = limit.saturating_sub(used) / 4 * 3;
        out.push(Budget {
            bytes: room,
            source: format!(
                "{name}: {}, {} mapped, a quarter of the rest kept for threads",
                fmt_bytes(limit),
                fmt_bytes(used)
            ),
        });
    }
    out
}

/// `12,000,001`: a count with thousands separators, for messages.
pub fn fmt_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2.5 GB`, `310.2 MB`, `12 KB`, `512 bytes` (powers of 1024).
pub fn fmt_bytes(b: u64) -> String {
    let f = b as f64;
    if b >= 1 << 30 {
        format!("{:.1} GB", f / (1u64 << 30) as f64)
    } else if b >= 1 << 20 {
        format!("{:.1} MB", f / (1u64 << 20) as f64)
    } else if b >= 1 << 10 {
        format!("{} KB", b >> 10)
    } else {
        format!("{b} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size(" 64g "), Ok(64 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("2 MB"), Ok(2 << 20));
        for bad in [
            "",
            "G",
            "12X",
            "1e9",
            "-5M",
            "0",
            "0.1",
            "NaN",
            "12 parsecs",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} accepted");
        }
    }

    /// Text as the kernel writes it (cgroup v1 on this project's CI machine; v2 from the
    /// kernel's cgroup-v2 documentation).
    #[test]
    fn cgroup_room_of_each_version() {
        let v1_stat = "cache 3250106368\nrss 1916928\ntotal_cache 3250106368\ntotal_rss 1916928\n";
        assert_eq!(
            cgroup_room(1, "9223372036854771712\n", "3344564224\n", v1_stat),
            None
        );
        let lim = 512u64 << 20;
        assert_eq!(
            cgroup_room(
                1,
                &format!("{lim}\n"),
                "300000000\n",
                "total_cache 200000000\n"
            ),
            Some((lim - 100_000_000, lim, 100_000_000))
        );
        assert_eq!(cgroup_room(2, "max\n", "123\n", "anon 1\nfile 2\n"), None);
        assert_eq!(
            cgroup_room(
                2,
                "536870912\n",
                "10485760\n",
                "anon 4194304\nfile 6291456\n"
            ),
            Some((lim - (4 << 20), lim, 4 << 20))
        );
    }

    #[test]
    fn cgroup_mount_and_path() {
        let v1 = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        assert_eq!(
            cgroup_mount(v1),
            Some(("/sys/fs/cgroup/memory".into(), "/".into(), 1))
        );
        let v2 = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
        assert_eq!(
            cgroup_mount(v2),
            Some(("/sys/fs/cgroup".into(), "/".into(), 2))
        );
        // A subtree bind-mounted (Docker on v1 without a namespace), with an escaped space.
        let bind =
            "50 40 0:32 /docker/ab\\040c /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n";
        let (mount, root, _) = cgroup_mount(bind).unwrap();
        assert_eq!(root, "/docker/ab c");
        assert_eq!(
            cgroup_dir(&mount, &root, "/docker/ab c/sub"),
            Some("/sys/fs/cgroup/memory/sub".into())
        );
        assert_eq!(
            cgroup_dir(&mount, "/", "/process_api/24e5"),
            Some("/sys/fs/cgroup/memory/process_api/24e5".into())
        );
        // A namespace's mount seen from outside it: no limit is guessed from an ancestor.
        assert_eq!(cgroup_dir("/sys/fs/cgroup", "/..", "/"), None);
        let procs = "9:name=systemd:/\n4:memory:/process_api/24e5\n0::/user.slice\n";
        assert_eq!(cgroup_path(procs, 1).as_deref(), Some("/process_api/24e5"));
        assert_eq!(cgroup_path(procs, 2).as_deref(), Some("/user.slice"));
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(12_000_001), "12,000,001");
    }

    #[test]
    fn available_from_meminfo() {
        let m = "MemTotal:       24576000 kB\nMemFree:        20000000 kB\nMemAvailable:   23000000 kB\n";
        assert_eq!(meminfo_available(m), Some(23_000_000 * 1024));
    }
}
