//! The files of a table that comes as a set (EXIOBASE 3, Eora26): a folder, or a ZIP archive
//! as downloaded. Members are named by their path inside, with `/` (`satellite/F.txt`); each
//! is read whole, within the memory budget, when asked for.

use crate::error::{Error, Problem, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A folder or a ZIP archive holding the files of one table.
pub(crate) enum Files {
    /// A folder: its files and those of its direct sub-folders.
    Dir(PathBuf),
    /// A ZIP archive read whole: its name (for messages) and the archive.
    Zip(String, Box<::zip::ZipArchive<std::io::Cursor<Vec<u8>>>>),
}

impl Files {
    /// The files of the folder `dir`.
    pub(crate) fn dir(dir: &Path) -> Files {
        Files::Dir(dir.to_path_buf())
    }

    /// The archive `raw`, read from the file `name`.
    pub(crate) fn zip(name: &str, raw: Vec<u8>) -> Result<Files> {
        match ::zip::ZipArchive::new(std::io::Cursor::new(raw)) {
            Ok(a) => Ok(Files::Zip(name.to_string(), Box::new(a))),
            Err(e) => Err(Error::invalid(
                name,
                Problem::new("", format!("not a readable ZIP archive: {e}")).hint(
                    "the download or copy may have stopped early: fetch the file again (unzip -t tests it)",
                ),
            )),
        }
    }

    /// The folder or archive as the user named it.
    pub(crate) fn label(&self) -> String {
        match self {
            Files::Dir(d) => d.display().to_string(),
            Files::Zip(n, _) => n.clone(),
        }
    }

    /// How a member is named in messages: `folder/A.txt`, or `IOT.zip: IOT/A.txt`.
    pub(crate) fn display(&self, member: &str) -> String {
        match self {
            Files::Dir(d) => d.join(member).display().to_string(),
            Files::Zip(n, _) => format!("{n}: {member}"),
        }
    }

    /// The files, sorted: a folder's own and those one folder down; every member of an
    /// archive.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self {
            Files::Dir(d) => {
                let entries = |p: &Path| -> Vec<(String, bool)> {
                    std::fs::read_dir(p)
                        .map(|rd| {
                            rd.filter_map(|e| e.ok())
                                .map(|e| {
                                    let dir = e.path().is_dir();
                                    (e.file_name().to_string_lossy().into_owned(), dir)
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                };
                for (name, is_dir) in entries(d) {
                    if is_dir {
                        for (sub, sub_dir) in entries(&d.join(&name)) {
                            if !sub_dir {
                                out.push(format!("{name}/{sub}"));
                            }
                        }
                    } else {
                        out.push(name);
                    }
                }
            }
            Files::Zip(_, a) => {
                out.extend(
                    a.file_names()
                        .filter(|n| !n.ends_with('/'))
                        .map(str::to_string),
                );
            }
        }
        out.sort();
        out
    }

    /// The bytes of `member` (a folder's file gzip-unpacked as any input is).
    pub(crate) fn read(&mut self, member: &str) -> Result<Vec<u8>> {
        match self {
            Files::Dir(d) => crate::io::read_file_bytes(&d.join(member)),
            Files::Zip(name, a) => {
                let shown = format!("{name}: {member}");
                let bad = |rule: String| {
                    Error::invalid(
                        shown.clone(),
                        Problem::new("", rule)
                            .hint("the archive is damaged or cut short: fetch it again (unzip -t tests it)"),
                    )
                };
                let mut f = a
                    .by_name(member)
                    .map_err(|e| bad(format!("cannot be read: {e}")))?;
                let size = f.size();
                crate::budget::check(size, || {
                    format!(
                        "unpacking {member} from {name} ({})",
                        crate::budget::fmt_bytes(size)
                    )
                })?;
                let mut out = Vec::with_capacity(size as usize);
                (&mut f)
                    .take(size.saturating_add(1))
                    .read_to_end(&mut out)
                    .map_err(|e| bad(format!("cannot be unpacked: {e}")))?;
                if out.len() as u64 != size {
                    return Err(bad(format!(
                        "unpacks to {} bytes, not the {size} its header says",
                        out.len()
                    )));
                }
                Ok(out)
            }
        }
    }
}

/// The member names of the archive `raw`, without copying it; `None` when it cannot be read
/// as one.
pub(crate) fn zip_names(raw: &[u8]) -> Option<Vec<String>> {
    let a = ::zip::ZipArchive::new(std::io::Cursor::new(raw)).ok()?;
    Some(
        a.file_names()
            .filter(|n| !n.ends_with('/'))
            .map(str::to_string)
            .collect(),
    )
}

/// The last part of a member name (`IOT/satellite/F.txt` -> `F.txt`).
pub(crate) fn base(member: &str) -> &str {
    member.rsplit('/').next().unwrap_or(member)
}

/// The folder part of a member name with its `/` (`IOT/A.txt` -> `IOT/`; `A.txt` -> ``).
pub(crate) fn folder(member: &str) -> &str {
    match member.rfind('/') {
        Some(i) => &member[..=i],
        None => "",
    }
}
