//! Reading an input whole: a file, a pipe (`<(cat g.json)`, `/dev/stdin`) or standard input,
//! with gzip unpacked.
//!
//! Files are read with `read(2)` (large ones in parallel pieces, with `pread(2)`), never
//! memory-mapped: a mapped file truncated by another process while it is read kills the
//! reader with SIGBUS. A file whose size changes while it is read is refused (its rows would be a mix of two versions). Every byte held is checked
//! against the memory budget first.

use crate::budget;
use crate::error::{Error, Problem, Result};
use std::io::Read;
use std::path::Path;

/// The bytes of `path` (`-` for standard input), as stored (gzip still packed).
pub(crate) fn read_raw(path: &str) -> Result<Vec<u8>> {
    let read_err = |e: std::io::Error| Error::Io {
        file: path.to_string(),
        action: "cannot read",
        error: e,
    };
    if path == "-" {
        return read_stream(path, std::io::stdin().lock());
    }
    let mut file = std::fs::File::open(Path::new(path)).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    let ft = meta.file_type();
    if !ft.is_file() {
        return match device_kind(&ft) {
            Some(kind) if !is_terminal(&file) => Err(Error::invalid(
                path,
                Problem::new("", format!("is a {kind}, not a graph file"))
                    .hint("give a file, a pipe, or - for standard input"),
            )),
            _ => read_stream(path, file),
        };
    }
    let len = meta.len();
    if len == 0 {
        // Files whose size the kernel does not know (procfs, some FUSE mounts) say 0: read
        // them to their end. An empty file is read as empty either way.
        return read_stream(path, file);
    }
    budget::check(len, || {
        format!("reading {path} ({})", budget::fmt_bytes(len))
    })?;
    let out = read_sized(&mut file, len).map_err(read_err)?;
    if out.len() as u64 != len {
        return Err(Error::invalid(
            path,
            Problem::new(
                "",
                format!(
                    "the file changed while it was read ({len} bytes when opened, {} read)",
                    out.len()
                ),
            )
            .hint("wait until whatever writes the file has finished, or read a copy"),
        ));
    }
    Ok(out)
}

/// Files this large are read in parallel pieces (each thread's copy, and the kernel's zeroing of
/// the fresh pages, on its own core).
const PARALLEL_READ: u64 = 32 << 20;

/// The bytes of a regular file of `len` bytes, and one more if it has grown: the caller
/// compares. A file that shrank while read gives fewer.
fn read_sized(file: &mut std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    if len >= PARALLEL_READ && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        use std::os::unix::fs::FileExt;
        let n = usize::try_from(len).map_err(std::io::Error::other)?;
        // Zeroed pages are given lazily: they are touched first by the threads below. Huge
        // pages only for a small file: it is read in order, and many fresh huge pages can
        // cost more to fault in than the reading (see `model::mem`).
        let mut out = crate::model::mem::in_order_zeroed::<u8>(n);
        let piece = n.div_ceil(rayon::current_num_threads()).max(1 << 20);
        let f: &std::fs::File = file;
        // Each piece to its end; a file cut short while it is read reads fewer bytes.
        let got: Vec<std::io::Result<usize>> = out
            .par_chunks_mut(piece)
            .enumerate()
            .map(|(k, buf)| {
                let mut done = 0;
                while done < buf.len() {
                    match f.read_at(&mut buf[done..], (k * piece + done) as u64) {
                        Ok(0) => break,
                        Ok(m) => done += m,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(done)
            })
            .collect();
        let mut total = 0;
        for (k, g) in got.into_iter().enumerate() {
            let g = g?;
            if g < out.len().min((k + 1) * piece) - k * piece {
                // Short: the file shrank. What follows the first gap is not the file's.
                out.truncate(k * piece + g);
                return Ok(out);
            }
            total += g;
        }
        // One byte past the size shows a file that grew while it was read.
        let mut one = [0u8; 1];
        if f.read_at(&mut one, total as u64)? == 1 {
            out.push(one[0]);
        }
        return Ok(out);
    }
    let mut out = Vec::with_capacity(len as usize);
    // One byte past the size shows a file that grew while it was read.
    file.take(len.saturating_add(1)).read_to_end(&mut out)?;
    Ok(out)
}

/// A pipe, a terminal or standard input: read to its end, checked against the budget as it
/// grows (its size is not known ahead).
fn read_stream(path: &str, mut r: impl Read) -> Result<Vec<u8>> {
    let name = if path == "-" { "<stdin>" } else { path };
    let limit = budget::budget()?.map_or(u64::MAX, |b| b.bytes);
    let mut out = Vec::new();
    (&mut r)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| Error::Io {
            file: name.to_string(),
            action: "cannot read",
            error: e,
        })?;
    if out.len() as u64 > limit {
        // Read to one byte past the limit: how much more there is, is not known.
        return Err(Error::Memory {
            what: format!("reading {name}"),
            need: u64::MAX,
            budget: limit,
            limit: budget::budget()?.map_or_else(String::new, |b| b.source.clone()),
            hint: budget::DEFAULT_HINT.to_string(),
        });
    }
    Ok(out)
}

#[cfg(unix)]
fn device_kind(ft: &std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_char_device() {
        Some("character device")
    } else if ft.is_block_device() {
        Some("block device")
    } else if ft.is_socket() {
        Some("socket")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn device_kind(_: &std::fs::FileType) -> Option<&'static str> {
    None
}

fn is_terminal(f: &std::fs::File) -> bool {
    std::io::IsTerminal::is_terminal(f)
}

/// True when `raw` starts as gzip does.
pub(crate) fn is_gzip(raw: &[u8]) -> bool {
    raw.starts_with(&[0x1f, 0x8b])
}

/// Unpack gzip (one member or several, as `cat a.gz b.gz` makes), checked against the memory
/// budget as it grows (`raw` is held too). A truncated member, bytes after the last member
/// that are not gzip, or a corrupt stream are errors naming `name`, the place and the rule;
/// trailing zero bytes (tape padding) are ignored, as `gzip -d` does.
pub(crate) fn gunzip(name: &str, raw: &[u8]) -> Result<Vec<u8>> {
    let limit = budget::budget()?.map_or(u64::MAX, |b| b.bytes);
    let room = limit.saturating_sub(raw.len() as u64);
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(room as usize));
    let mut rest = raw;
    let mut member = 1usize;
    loop {
        let at = raw.len() - rest.len();
        let mut d = flate2::bufread::GzDecoder::new(rest);
        let got = (&mut d)
            .take(room.saturating_sub(out.len() as u64).saturating_add(1))
            .read_to_end(&mut out);
        if let Err(e) = got {
            return Err(gzip_error(name, raw, at, member, &e));
        }
        if out.len() as u64 > room {
            let packed = raw.len() as u64;
            return Err(Error::Memory {
                what: format!("unpacking {name} ({} packed)", budget::fmt_bytes(packed)),
                need: u64::MAX,
                budget: limit,
                limit: budget::budget()?.map_or_else(String::new, |b| b.source.clone()),
                hint: budget::DEFAULT_HINT.to_string(),
            });
        }
        rest = d.into_inner();
        if rest.is_empty() || rest.iter().all(|&b| b == 0) {
            return Ok(out);
        }
        if !is_gzip(rest) {
            let at = raw.len() - rest.len();
            return Err(Error::invalid(
                name,
                Problem::new(
                    format!("byte {at}"),
                    format!(
                        "{} bytes after the end of the gzip data are not gzip (trailing garbage)",
                        rest.len()
                    ),
                )
                .hint(format!("the file has something appended to it: re-create it with gzip, or keep its first {at} bytes (head -c {at})")),
            ));
        }
        member += 1;
    }
}

fn gzip_error(name: &str, raw: &[u8], at: usize, member: usize, e: &std::io::Error) -> Error {
    let place = if member > 1 {
        format!("gzip member {member} (from byte {at})")
    } else {
        String::new()
    };
    let p = if e.kind() == std::io::ErrorKind::UnexpectedEof {
        Problem::new(
            place,
            format!(
                "the gzip data is truncated: it ends after {} bytes, in the middle of a member",
                raw.len()
            ),
        )
        .hint("the download or copy stopped early: fetch the file again (gzip -t tests it)")
    } else {
        Problem::new(place, format!("not a valid gzip file: {e}"))
            .hint("the file is damaged: fetch it again (gzip -t tests it)")
    };
    Error::invalid(name, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn members_join_and_zero_padding_is_ignored() {
        let mut raw = gz(b"a,b,1\n");
        raw.extend(gz(b"c,d,2\n"));
        raw.extend([0u8; 512]);
        assert_eq!(gunzip("x.gz", &raw).unwrap(), b"a,b,1\nc,d,2\n");
    }

    #[test]
    fn truncated_and_trailing_garbage_are_named() {
        let raw = gz(&b"exporter,importer,value\nCAN,USA,1\n".repeat(50));
        let e = gunzip("x.gz", &raw[..raw.len() - 9])
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.gz: the gzip data is truncated"), "{e}");
        let mut g = raw.clone();
        g.extend(b"<html>oops</html>");
        let e = gunzip("x.gz", &g).unwrap_err().to_string();
        assert!(
            e.contains(&format!("x.gz: byte {}: 17 bytes after the end", raw.len())),
            "{e}"
        );
        assert!(e.contains("trailing garbage"), "{e}");
    }
}
