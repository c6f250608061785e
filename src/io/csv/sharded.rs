//! The parallel edge-list reader's fast path: ids interned once, in shards.
//!
//! Each thread parses its piece of the file and interns the ids that hash to its own shard;
//! the ids of other shards are noted (where they are in the piece) and sent to their owner.
//! Each owner then interns what it was sent, in file order. Every id is so interned once, by
//! one thread, in one table, instead of into a table per piece that are then merged. Nodes
//! are numbered by their first use in the file (line, then exporter before importer), which
//! is the numbering a sequential read gives, whatever the number of threads. Flows are
//! written once, into one array, in file order.
//!
//! The path is for files without problems. At the first problem (a bad row, id or sector) it
//! gives up, and the caller reads the file with the chunk reader, whose messages name every
//! problem in file order.

use super::{walk_rows, Counts, Layout, Row, BATCH};
use crate::error::Result;
use crate::model::builder::id_problem;
use crate::model::builder::{Interned, Row as Compact};
use crate::model::mem::{prefetch, Watch};
use crate::model::Link;
use crate::model::{GraphBuilder, IdIndex, Key, Node, SectorId};
use rayon::prelude::*;
use std::cell::RefCell;
use std::mem::MaybeUninit;

/// Code of a flow end interned by another shard, whose number is in the low bits.
const ELSEWHERE: u32 = 1 << 31;
/// Code of an exporter that is the previous flow's.
const SAME: u32 = u32::MAX;

/// A piece of the file: whole lines, the first being `first_line`.
pub(super) struct Piece<'a> {
    pub bytes: &'a [u8],
    pub first_line: u64,
    /// Its number of lines (at most; the last may have no line end).
    pub lines: u64,
}

/// How a test wants the file read: as the data decide, by the chunk reader, or with ids
/// interned by piece or by shard.
#[derive(Clone, Copy, PartialEq, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
enum Mode {
    Auto,
    Chunks,
    Local,
    Sharded,
}

thread_local! {
    /// Tests choose the way to compare them.
    static MODE: std::cell::Cell<Mode> = const { std::cell::Cell::new(Mode::Auto) };
    /// Tests read small files as rows too.
    static COMPACT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Files read by the fast path on this thread (for tests).
    static TAKEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// True when the fast path is turned off on this thread (only tests do).
pub(super) fn off() -> bool {
    MODE.with(|o| o.get()) == Mode::Chunks
}

/// `a == b`, inline: ids are short, and a call to `memcmp` for each costs more than the
/// comparison (three per row).
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        // Two 8-byte windows, overlapping when n < 16, cover every byte.
        let w = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"));
        return w(a, 0) == w(b, 0) && w(a, n - 8) == w(b, n - 8);
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    a == b
}

/// The shard of a key among `n`.
#[inline]
fn shard_of(k: &Key, n: usize) -> usize {
    (((k.hash() >> 32) * n as u64) >> 32) as usize
}

/// A shard's ids: their table, the ids by local number, and each id's first place
/// (`line * 2`, plus 1 for the importer column).
#[derive(Default)]
struct Shard<'a> {
    index: IdIndex,
    ids: Vec<&'a str>,
    first: Vec<u64>,
}

impl<'a> Shard<'a> {
    /// The local number of `id` (key `k`), seen at `place`; true when it is new. A new id's
    /// first place is `place`: callers give places in increasing order, or mend the first
    /// places themselves (an id's first place is read only where it may go down, as reading it
    /// at every use would miss the cache at every use).
    #[inline]
    fn intern(&mut self, id: &'a str, k: &Key, place: u64) -> (u32, bool) {
        let next = self.ids.len() as u32;
        let (i, new) = self.index.get_or_insert_key(id, k, next);
        if new {
            self.ids.push(id);
            self.first.push(place);
        }
        (i, new)
    }
}

/// The ids a piece sends to one shard, in file order: where each is in the piece (offset
/// << 16 | length) and its place relative to the piece's first line (`line * 2 + column`).
#[derive(Default)]
struct Sent {
    at: Vec<u64>,
    place: Vec<u32>,
}

/// What a piece's thread made, besides its shard.
struct Part<'a> {
    sent: Vec<Sent>,
    /// Flows written at the start of the piece's region.
    written: usize,
    sectors: Vec<&'a str>,
    counts: Counts,
    self_loops: (usize, Vec<String>),
    watch: Watch,
}

/// Read `pieces` into `b` (which must be empty, in auto-node mode). `Ok(false)`: a problem
/// was found, nothing was added, and the caller reads the file with the chunk reader.
pub(super) fn read(
    pieces: &[Piece],
    l: &Layout,
    b: &mut GraphBuilder,
    counts: &mut Counts,
) -> Result<bool> {
    let total: usize = pieces.iter().map(|p| p.lines as usize).sum();
    if total > COMPACT_ABOVE || COMPACT.with(|c| c.get()) {
        read_as::<Compact>(pieces, total, l, b, counts)
    } else {
        read_as::<Link>(pieces, total, l, b, counts)
    }
}

/// Files of more rows than this are read as 24-byte rows, made the graph's 32-byte flows in
/// place once the file is freed (the file and the flows' last quarter are never held at once);
/// smaller ones are read as flows directly (no second pass).
const COMPACT_ABOVE: usize = 4 << 20;

/// What the pieces write a flow as: the row it reads, or the graph's flow.
trait Slot: Sized {
    /// Capacity (in slots) of an array for `n` flows.
    fn room(n: usize) -> usize;
    fn make(r: Compact) -> Self;
    /// The exporter, importer and sector, to be numbered in place.
    fn ends(&mut self) -> (&mut u32, &mut u32, &mut Option<SectorId>);
    /// The flows of all pieces, for the builder.
    fn interned(all: Vec<Self>) -> Interned;
}

impl Slot for Compact {
    fn room(n: usize) -> usize {
        Compact::room(n)
    }
    #[inline]
    fn make(r: Compact) -> Self {
        r
    }
    #[inline]
    fn ends(&mut self) -> (&mut u32, &mut u32, &mut Option<SectorId>) {
        (&mut self.from, &mut self.to, &mut self.sector)
    }
    fn interned(all: Vec<Self>) -> Interned {
        Interned::Rows(all)
    }
}

impl Slot for Link {
    fn room(n: usize) -> usize {
        n
    }
    #[inline]
    fn make(r: Compact) -> Self {
        r.link()
    }
    #[inline]
    fn ends(&mut self) -> (&mut u32, &mut u32, &mut Option<SectorId>) {
        (&mut self.from, &mut self.to, &mut self.flow.sector)
    }
    fn interned(all: Vec<Self>) -> Interned {
        Interned::Links(all)
    }
}

/// [`read`] with the flows written as `T`; `total` is the pieces' line count.
fn read_as<T: Slot + Send>(
    pieces: &[Piece],
    total: usize,
    l: &Layout,
    b: &mut GraphBuilder,
    counts: &mut Counts,
) -> Result<bool> {
    let n = pieces.len();
    let t = std::time::Instant::now();
    let local = match MODE.with(|m| m.get()) {
        Mode::Local => true,
        Mode::Sharded => n == 1,
        _ => n == 1 || few_ids(pieces[0].bytes, l),
    };
    crate::timings::record("sample", t);
    let t = std::time::Instant::now();
    // Written in order: huge pages only when small (see `model::mem`).
    let mut links: Vec<T> = crate::model::mem::in_order_with_capacity(T::room(total));
    let rows = total as u64;
    // Each piece writes its flows at the start of its own region of the array.
    let mut regions: Vec<&mut [MaybeUninit<T>]> = Vec::with_capacity(n);
    let mut rest = &mut links.spare_capacity_mut()[..total];
    for p in pieces {
        let (r, tail) = rest.split_at_mut(p.lines as usize);
        regions.push(r);
        rest = tail;
    }
    let made: Vec<Option<(Shard, Part)>> = pieces
        .par_iter()
        .zip(regions)
        .enumerate()
        .map(|(me, (p, region))| {
            let mut watch = Watch::new(l.input, n as u64);
            watch.preset_flows(rows / n as u64);
            parse_piece(p, me, n, local, l, region, watch)
        })
        .collect();
    let mut shards = Vec::with_capacity(n);
    let mut parts = Vec::with_capacity(n);
    for m in made {
        let Some((s, mut p)) = m else {
            return Ok(false);
        };
        if let Some(e) = p.watch.error.take() {
            return Err(e);
        }
        shards.push(s);
        parts.push(p);
    }
    crate::timings::record("parse", t);
    let t = std::time::Instant::now();
    let (nodes, global, got) = if local {
        merge(shards)
    } else {
        match distribute(shards, pieces, &mut parts) {
            Some(x) => x,
            None => return Ok(false),
        }
    };

    crate::timings::record("intern", t);
    let t = std::time::Instant::now();
    // The flows of all pieces made one run, in file order.
    let base = links.as_mut_ptr();
    let mut len = 0usize;
    let mut start = 0usize;
    for (p, part) in pieces.iter().zip(&parts) {
        // SAFETY: the first `part.written` slots of the region at `start` were written by the
        // piece; `copy` allows the overlap, and moves them down to `len <= start`, within the
        // capacity.
        unsafe { std::ptr::copy(base.add(start), base.add(len), part.written) };
        len += part.written;
        start += p.lines as usize;
    }
    // SAFETY: the first `len` elements are the written flows, moved together above.
    unsafe { links.set_len(len) };
    let sector_maps: Vec<Vec<Option<SectorId>>> =
        parts.iter().map(|p| b.sector_refs(&p.sectors)).collect();
    let mut slices: Vec<&mut [T]> = Vec::with_capacity(n);
    let mut rest: &mut [T] = &mut links;
    for part in &parts {
        let (s, tail) = rest.split_at_mut(part.written);
        slices.push(s);
        rest = tail;
    }
    slices.into_par_iter().enumerate().for_each(|(me, flows)| {
        let from_shard: Vec<&[u32]> = got.iter().map(|g| g[me].as_slice()).collect();
        number(flows, me, &global, &from_shard, &sector_maps[me]);
    });
    let mut self_loops = (0usize, Vec::new());
    for part in parts {
        counts.add(part.counts);
        self_loops.0 += part.self_loops.0;
        self_loops.1.extend(part.self_loops.1);
    }
    self_loops.1.truncate(5);
    b.set_interned(nodes, T::interned(links), self_loops);
    crate::timings::record("number", t);
    TAKEN.with(|t| t.set(t.get() + 1));
    Ok(true)
}

/// Nodes, and each shard's local numbers -> graph numbers, and the local numbers each shard
/// gave the ends each piece sent it.
type Numbering = (Vec<Node>, Vec<Vec<u32>>, Vec<Vec<Vec<u32>>>);

/// Sharded: each owner interns what the other pieces sent it (freeing it as it goes), then the
/// nodes are numbered by first use. `None` at a bad id.
fn distribute<'a>(
    shards: Vec<Shard<'a>>,
    pieces: &[Piece<'a>],
    parts: &mut [Part<'a>],
) -> Option<Numbering> {
    let n = pieces.len();
    let mut inbox: Vec<Vec<Sent>> = (0..n).map(|_| Vec::with_capacity(n)).collect();
    for p in parts.iter_mut() {
        for (s, sent) in std::mem::take(&mut p.sent).into_iter().enumerate() {
            inbox[s].push(sent);
        }
    }
    let settled: Vec<Option<(Shard, Vec<Vec<u32>>)>> = shards
        .into_par_iter()
        .zip(inbox)
        .enumerate()
        .map(|(me, (shard, sent))| settle(me, shard, pieces, sent))
        .collect();
    let settled = settled.into_iter().collect::<Option<Vec<_>>>()?;
    let (mut shards, got): (Vec<Shard>, Vec<Vec<Vec<u32>>>) = settled.into_iter().unzip();
    // The tables are done with: freed before the nodes are made.
    for s in &mut shards {
        s.index = IdIndex::default();
    }
    // Nodes numbered by first use.
    let mut order: Vec<(u64, u32, u32)> = shards
        .iter()
        .enumerate()
        .flat_map(|(s, sh)| {
            sh.first
                .iter()
                .enumerate()
                .map(move |(i, &f)| (f, s as u32, i as u32))
        })
        .collect();
    order.par_sort_unstable_by_key(|e| e.0);
    let mut global: Vec<Vec<u32>> = shards.iter().map(|s| vec![0u32; s.ids.len()]).collect();
    for (g, &(_, s, i)) in order.iter().enumerate() {
        global[s as usize][i as usize] = g as u32;
    }
    // Made in order of first use: each id is read from where the shard keeps it, at a place
    // of the file that is the next one's only by chance, so both are fetched ahead.
    let id_at = |k: usize| {
        let (_, s, i) = order[k];
        &shards[s as usize].ids[i as usize]
    };
    let nodes: Vec<Node> = (0..order.len())
        .into_par_iter()
        .map(|k| {
            if k + 32 < order.len() {
                prefetch(id_at(k + 32) as *const &str as usize);
            }
            if k + 16 < order.len() {
                prefetch(id_at(k + 16).as_ptr() as usize);
            }
            Node::new(*id_at(k))
        })
        .collect();
    Some((nodes, global, got))
}

/// Local: every piece interned all its ids; the pieces' ids are taken in file order, which is
/// the order of first use (each piece's own is).
fn merge(shards: Vec<Shard>) -> Numbering {
    let mut all = Shard::default();
    all.index
        .reserve(shards.iter().map(|s| s.ids.len()).max().unwrap_or(0));
    let mut global = Vec::with_capacity(shards.len());
    for s in &shards {
        let map: Vec<u32> = s
            .ids
            .iter()
            .zip(&s.first)
            .map(|(&id, &place)| all.intern(id, &Key::of(id), place).0)
            .collect();
        global.push(map);
    }
    let nodes = all.ids.iter().map(|&id| Node::new(id)).collect();
    (nodes, global, Vec::new())
}

/// Whether the ids are few against the rows: counted in the first megabyte of the file
/// (`first`, the first piece). Few ids are best interned by each piece on its own and merged
/// (a small table stays in cache); many are sharded.
fn few_ids(first: &[u8], l: &Layout) -> bool {
    let cut = first.len().min(1 << 20);
    let sample = &first[..memchr::memrchr(b'\n', &first[..cut]).map_or(cut, |i| i + 1)];
    let mut ids = IdIndex::default();
    let mut rows = 0usize;
    for line in sample.split(|&b| b == b'\n') {
        let mut fields = line.split(|&b| b == l.delim);
        let (mut from, mut to) = (None, None);
        for (i, f) in fields
            .by_ref()
            .enumerate()
            .take(l.cols.from.max(l.cols.to) + 1)
        {
            if i == l.cols.from {
                from = Some(f);
            }
            if i == l.cols.to {
                to = Some(f);
            }
        }
        for id in [from, to].into_iter().flatten() {
            if let Ok(id) = std::str::from_utf8(id) {
                let next = ids.len() as u32;
                ids.get_or_insert(id, next);
            }
        }
        rows += 1;
    }
    ids.len() < 1 << 14 && ids.len() * 4 < rows
}

/// Parse piece `me` of `n`: its flows into `region` (ends coded: a local number of shard
/// `me`, [`ELSEWHERE`] | shard, or [`SAME`]; with `local`, every id is the piece's own);
/// `None` at the first problem.
#[allow(clippy::too_many_arguments)]
fn parse_piece<'a, T: Slot>(
    p: &Piece<'a>,
    me: usize,
    n: usize,
    local: bool,
    l: &Layout,
    region: &mut [MaybeUninit<T>],
    watch: Watch,
) -> Option<(Shard<'a>, Part<'a>)> {
    let mut part = Part {
        sent: (0..n).map(|_| Sent::default()).collect(),
        written: 0,
        sectors: Vec::new(),
        counts: Counts::default(),
        self_loops: (0, Vec::new()),
        watch,
    };
    let shard = RefCell::new(Shard::default());
    shard.borrow_mut().index.reserve(1024);
    let mut clean = true;
    let mut sector_index = IdIndex::default();
    let mut last_sector: Option<(&str, SectorId)> = None;
    let mut last_from: Option<&str> = None;
    let mut ahead_from: Option<&str> = None;
    let mut scratch = Vec::new();
    let base = p.bytes.as_ptr() as usize;
    // The code of flow end `id` on `line` (`column` 0: exporter, 1: importer).
    let end = |part: &mut Part, id: &'a str, k: Key, line: u64, column: u64| -> Option<u32> {
        let s = if local { me } else { shard_of(&k, n) };
        if s == me {
            let (i, new) = shard.borrow_mut().intern(id, &k, line * 2 + column);
            if new {
                part.watch.add(0, 1);
                // Only whether there is a problem counts here: the chunk reader names it.
                if i >= ELSEWHERE || id_problem(id, "node id", String::new()).is_some() {
                    return None;
                }
            }
            return Some(i);
        }
        let place = (line - p.first_line) * 2 + column;
        let (at, len) = ((id.as_ptr() as usize - base) as u64, id.len() as u64);
        if len > u64::from(u16::MAX) || place > u64::from(u32::MAX) || at >= 1 << 48 {
            return None;
        }
        let sent = &mut part.sent[s];
        sent.at.push(at << 16 | len);
        sent.place.push(place as u32);
        Some(ELSEWHERE | s as u32)
    };
    walk_rows(
        p.bytes,
        p.first_line,
        l,
        |r| {
            // The importer's key, made once, and the exporter's when it changes (rows of one
            // exporter often follow each other: its later rows are not looked up); their slots
            // fetched ahead when they are the piece's own (a piece's own table of few ids stays
            // in cache: nothing to fetch then).
            let Row::Flow { from, to, .. } = r else {
                return (None, None);
            };
            let fetch = |k: &Key| {
                if !local && shard_of(k, n) == me {
                    shard.borrow().index.prefetch_key(k);
                }
            };
            let from_key = (!ahead_from.is_some_and(|f| same(f, from))).then(|| {
                ahead_from = Some(from);
                let k = Key::of(from);
                fetch(&k);
                k
            });
            let k = Key::of(to);
            fetch(&k);
            (from_key, Some(k))
        },
        |line, r, (from_key, to_key)| {
            part.counts.rows += 1;
            let Row::Flow {
                from,
                to,
                sector,
                value,
                year,
            } = r
            else {
                clean &= !matches!(r, Row::Bad(_));
                part.counts.tally(r, &mut scratch);
                return clean;
            };
            let a = if last_from.is_some_and(|f| same(f, from)) {
                Some(SAME)
            } else {
                last_from = Some(from);
                end(
                    &mut part,
                    from,
                    from_key.unwrap_or_else(|| Key::of(from)),
                    line,
                    0,
                )
            };
            let (Some(a), Some(bb)) = (
                a,
                end(
                    &mut part,
                    to,
                    to_key.unwrap_or_else(|| Key::of(to)),
                    line,
                    1,
                ),
            ) else {
                clean = false;
                return false;
            };
            if same(from, to) {
                part.self_loops.0 += 1;
                if part.self_loops.1.len() < 5 {
                    part.self_loops.1.push(format!("line {line}"));
                }
            }
            let sector = match sector {
                None => None,
                Some(s) => Some(match last_sector {
                    Some((k, id)) if same(k, s) => id,
                    _ => {
                        let next = part.sectors.len() as u32;
                        let (i, new) = sector_index.get_or_insert(s, next);
                        if new {
                            part.sectors.push(s);
                            if id_problem(s, "sector id", String::new()).is_some() {
                                clean = false;
                                return false;
                            }
                        }
                        let id = SectorId::new(i as usize);
                        last_sector = Some((s, id));
                        id
                    }
                }),
            };
            let Some(slot) = region.get_mut(part.written) else {
                clean = false;
                return false;
            };
            slot.write(T::make(Compact {
                from: a,
                to: bb,
                value,
                sector,
                year,
            }));
            part.written += 1;
            part.watch.error.is_none()
        },
    );
    clean.then(|| (shard.into_inner(), part))
}

/// Shard `me` interns the ids the pieces sent it (`inbox`, by piece), piece by piece in file
/// order, freeing each piece's as it is done; for each piece, the local numbers of what it
/// sent, in order. `None` at a bad id.
fn settle<'a>(
    me: usize,
    mut shard: Shard<'a>,
    pieces: &[Piece<'a>],
    inbox: Vec<Sent>,
) -> Option<(Shard<'a>, Vec<Vec<u32>>)> {
    let mut got = Vec::with_capacity(pieces.len());
    let mut keys: Vec<(&'a str, Key, u64)> = Vec::with_capacity(BATCH);
    // The shard's own piece's ids (numbered first) have their first place in that piece; an
    // earlier piece's first use of one is earlier (pieces are taken in file order, each in
    // order), and is marked here. Ids new here get their first place as they come.
    let own = shard.ids.len();
    let mut moved = vec![0u64; own.div_ceil(64)];
    for (c, (p, sent)) in pieces.iter().zip(inbox).enumerate() {
        let mut out = Vec::with_capacity(if c == me { 0 } else { sent.at.len() });
        for (ats, places) in sent.at.chunks(BATCH).zip(sent.place.chunks(BATCH)) {
            keys.clear();
            for (&at, &place) in ats.iter().zip(places) {
                let (start, len) = ((at >> 16) as usize, (at & 0xFFFF) as usize);
                let bytes = &p.bytes[start..start + len];
                debug_assert!(std::str::from_utf8(bytes).is_ok());
                // SAFETY: these bytes were sent as a `&str` (the id field of a row: `row()`
                // makes one only of valid UTF-8), by its place in this very piece.
                let id = unsafe { std::str::from_utf8_unchecked(bytes) };
                let k = Key::of(id);
                shard.index.prefetch_key(&k);
                keys.push((id, k, p.first_line * 2 + u64::from(place)));
            }
            for &(id, ref k, place) in &keys {
                let (i, new) = shard.intern(id, k, place);
                let j = i as usize;
                if c < me && j < own && moved[j / 64] & 1 << (j % 64) == 0 {
                    moved[j / 64] |= 1 << (j % 64);
                    shard.first[j] = place;
                }
                if new {
                    // Only whether there is a problem counts here: the chunk reader names it.
                    if i >= ELSEWHERE || id_problem(id, "node id", String::new()).is_some() {
                        return None;
                    }
                }
                out.push(i);
            }
        }
        got.push(out);
    }
    Some((shard, got))
}

/// Give the flows of piece `me` the graph's node numbers (`global[shard][local]`) and
/// sectors; `from_shard[s]` holds the local numbers shard `s` gave the ends the piece sent it,
/// in order.
fn number<T: Slot>(
    flows: &mut [T],
    me: usize,
    global: &[Vec<u32>],
    from_shard: &[&[u32]],
    sectors: &[Option<SectorId>],
) {
    let mut next = vec![0usize; global.len()];
    let mut resolve = |code: u32| -> u32 {
        if code & ELSEWHERE == 0 {
            return global[me][code as usize];
        }
        let s = (code & !ELSEWHERE) as usize;
        let local = from_shard[s][next[s]];
        next[s] += 1;
        global[s][local as usize]
    };
    let mut prev_from = 0u32;
    let same_sectors = sectors
        .iter()
        .enumerate()
        .all(|(i, s)| s.is_some_and(|s| s.index() == i));
    for l in flows {
        let (from, to, sector) = l.ends();
        *from = if *from == SAME {
            prev_from
        } else {
            resolve(*from)
        };
        prev_from = *from;
        *to = resolve(*to);
        if !same_sectors {
            *sector = sector.and_then(|s| sectors[s.index()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Mode, COMPACT, MODE, TAKEN};
    use crate::io::csv::{read, write, CsvOptions};
    use crate::model::TradeGraph;

    /// A file of about 1.5 MB (so that it is read in pieces): ids drawn from a skewed
    /// pseudo-random sequence (repeats, runs of one exporter, first uses spread over the file),
    /// sectors, years, zero values and blank lines; `io`: country-sector ids with self-flows.
    fn file(io: bool) -> String {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        let id = |k: u64| {
            if io {
                format!("C{}:s{}", k % 40, k / 40)
            } else {
                format!("firm{k:05}")
            }
        };
        let mut s = String::from("exporter,importer,sector,year,value\n");
        let mut from = 0;
        for row in 0..60_000u64 {
            if next(5) == 0 {
                from = next(2_000 + row / 4);
            }
            let to = if io && next(10) == 0 {
                from
            } else {
                next(3_000 + row / 3)
            };
            if !io && to == from {
                continue;
            }
            let value = if next(50) == 0 { 0 } else { next(10_000) + 1 };
            let sector = next(7);
            let year = 2020 + next(2);
            s.push_str(&format!(
                "{},{},k{sector},{year},{value}.5\n",
                id(from),
                id(to)
            ));
            if next(5_000) == 0 {
                s.push('\n');
            }
        }
        s
    }

    fn load(text: &str, threads: usize, mode: Mode, compact: bool) -> TradeGraph {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool");
        pool.install(|| {
            MODE.with(|m| m.set(mode));
            COMPACT.with(|c| c.set(compact));
            let before = TAKEN.with(|t| t.get());
            let g = read(text.as_bytes(), &CsvOptions::default(), None).expect("a valid file");
            MODE.with(|m| m.set(Mode::Auto));
            COMPACT.with(|c| c.set(false));
            let fast = usize::from(mode != Mode::Chunks);
            assert_eq!(TAKEN.with(|t| t.get()) - before, fast, "{mode:?}");
            g
        })
    }

    /// Everything the two readers make: node order, flows in order with their ends, sectors
    /// and years, the sector table, the counts and the notes.
    fn fingerprint(g: &TradeGraph) -> String {
        let ids: Vec<&str> = g.nodes().map(|n| &*n.id).collect();
        let sectors: Vec<&str> = g.sectors().iter().map(|s| s.id.as_str()).collect();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
            ids,
            sectors,
            g.kind(),
            g.skipped_rows,
            g.meta.notes,
            String::from_utf8(write(g)).expect("UTF-8")
        )
    }

    #[test]
    fn pieces_and_shards_make_the_chunk_readers_graph_at_any_thread_count() {
        for io in [false, true] {
            let text = file(io);
            assert!(text.len() > 1 << 20, "the file must be read in pieces");
            let want = fingerprint(&load(&text, 2, Mode::Chunks, false));
            for mode in [Mode::Auto, Mode::Local, Mode::Sharded] {
                for threads in [1, 2, 3, 5] {
                    for compact in [false, true] {
                        let got = fingerprint(&load(&text, threads, mode, compact));
                        assert!(
                            got == want,
                            "io {io}, {mode:?}, {threads} threads, rows {compact}: they differ"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_problem_is_named_by_the_chunk_reader() {
        let mut text = file(false);
        // A bad value deep in the second half, and a bad id.
        let at = text.len() * 3 / 4;
        let line_end = at + text[at..].find('\n').expect("a line end") + 1;
        text.insert_str(
            line_end,
            "firm00001,bad\u{200b}id,k1,2020,1\nfirm00002,firm00003,k1,2020,x\n",
        );
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("a pool");
        for mode in [Mode::Local, Mode::Sharded] {
            let e = pool
                .install(|| {
                    MODE.with(|m| m.set(mode));
                    let r = read(text.as_bytes(), &CsvOptions::default(), None);
                    MODE.with(|m| m.set(Mode::Auto));
                    r
                })
                .expect_err("a bad id and a bad value");
            let msg = e.to_string();
            assert!(msg.contains("2 problems"), "{msg}");
            assert!(
                msg.contains(
                    "(importer): node id 'bad\\u{200b}id' contains the zero-width character U+200B"
                ),
                "{msg}"
            );
            assert!(msg.contains("(value): not a number: 'x'"), "{msg}");
        }
    }
}
