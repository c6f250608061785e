//! [`IdIndex`]: node id -> index, tuned for millions of short ids. Ids of up to 23 bytes are
//! stored inline in an open-addressing table, so a lookup touches one cache line instead of
//! chasing a pointer to a heap string; longer ids fall back to an ordinary hash map.

use super::FastMap;

const INLINE: usize = 23;

#[derive(Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// Key bytes, zero padded, as words (compared without a call to memcmp); the last byte
    /// holds the key length + 1, so 0 marks an empty slot.
    key: [u64; 3],
    /// The value.
    id: u32,
}

const EMPTY: Slot = Slot { key: [0; 3], id: 0 };

/// The packed form of a key of at most `INLINE` bytes.
#[inline]
fn pack(key: &[u8]) -> [u64; 3] {
    let mut b = [0u8; 24];
    b[..key.len()].copy_from_slice(key);
    b[23] = key.len() as u8 + 1;
    [
        u64::from_le_bytes(b[0..8].try_into().expect("8 bytes")),
        u64::from_le_bytes(b[8..16].try_into().expect("8 bytes")),
        u64::from_le_bytes(b[16..24].try_into().expect("8 bytes")),
    ]
}

#[inline]
fn hash_packed(k: &[u64; 3]) -> u64 {
    // Multiply-xorshift mixing of the three words (the keys are short ASCII ids).
    let mut h = k[0].wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h = (h ^ (h >> 29) ^ k[1]).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 32) ^ k[2]).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// An id's packed form and hash, computed once: to choose a shard, to prefetch its slot and to
/// look it up. Ids longer than the inline size carry only a hash.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Key {
    packed: [u64; 3],
    hash: u64,
}

impl Key {
    /// The key of `id`.
    #[inline]
    pub(crate) fn of(id: &str) -> Key {
        if id.len() <= INLINE {
            let packed = pack(id.as_bytes());
            Key {
                packed,
                hash: hash_packed(&packed),
            }
        } else {
            use std::hash::BuildHasher;
            Key {
                packed: [0; 3],
                hash: foldhash::fast::FixedState::default().hash_one(id),
            }
        }
    }

    /// The hash (its low bits choose the slot; callers may use the high bits).
    #[inline]
    pub(crate) fn hash(&self) -> u64 {
        self.hash
    }

    fn inline(&self) -> bool {
        self.packed[2] >> 56 != 0
    }
}

impl Slot {
    fn is_empty(&self) -> bool {
        self.key[2] >> 56 == 0
    }
}

/// A map from id strings to `u32` indices.
#[derive(Clone)]
pub struct IdIndex {
    slots: Vec<Slot>,
    mask: usize,
    inline_len: usize,
    long: FastMap<Box<str>, u32>,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdIndex({} ids)", self.len())
    }
}

impl Default for IdIndex {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl IdIndex {
    /// Room for `n` ids without growing.
    pub fn with_capacity(n: usize) -> Self {
        let cap = (n * 2).max(16).next_power_of_two();
        IdIndex {
            slots: super::mem::huge_vec(cap, EMPTY),
            mask: cap - 1,
            inline_len: 0,
            long: FastMap::default(),
        }
    }

    /// The index of ids given in order (the i-th id gets i).
    pub fn of_ids<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let mut ix = IdIndex::with_capacity(ids.len());
        for (i, id) in ids.enumerate() {
            ix.get_or_insert(id, i as u32);
        }
        ix
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.inline_len + self.long.len()
    }

    /// Make room for `n` more ids.
    pub fn reserve(&mut self, n: usize) {
        let want = ((self.inline_len + n) * 2).next_power_of_two();
        if want > self.slots.len() {
            self.grow_to(want);
        }
    }

    #[inline]
    fn find(&self, k: &[u64; 3]) -> Result<u32, usize> {
        self.find_hashed(k, hash_packed(k))
    }

    /// The value of `k` (whose hash is `h`), or the empty slot where it would go.
    #[inline]
    fn find_hashed(&self, k: &[u64; 3], h: u64) -> Result<u32, usize> {
        let mut i = h as usize & self.mask;
        loop {
            let s = &self.slots[i];
            if s.key == *k {
                return Ok(s.id);
            }
            if s.is_empty() {
                return Err(i);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Hint the CPU to fetch the slot of `key` (batch lookups issue these first so that the
    /// cache misses overlap).
    #[inline]
    pub fn prefetch(&self, key: &str) {
        if key.len() <= INLINE {
            let i = hash_packed(&pack(key.as_bytes())) as usize & self.mask;
            super::mem::prefetch(self.slots.as_ptr() as usize + i * std::mem::size_of::<Slot>());
        }
    }

    /// [`prefetch`](Self::prefetch) with the key already made.
    #[inline]
    pub(crate) fn prefetch_key(&self, k: &Key) {
        if k.inline() {
            let i = k.hash as usize & self.mask;
            super::mem::prefetch(self.slots.as_ptr() as usize + i * std::mem::size_of::<Slot>());
        }
    }

    /// [`get_or_insert`](Self::get_or_insert) with the key already made (`k` is `Key::of(key)`).
    #[inline]
    pub(crate) fn get_or_insert_key(&mut self, key: &str, k: &Key, id: u32) -> (u32, bool) {
        if !k.inline() {
            return self.get_or_insert(key, id);
        }
        match self.find_hashed(&k.packed, k.hash) {
            Ok(v) => (v, false),
            Err(mut i) => {
                if (self.inline_len + 1) * 2 > self.slots.len() {
                    self.grow_to(self.slots.len() * 2);
                    i = self.find(&k.packed).expect_err("key is absent");
                }
                self.slots[i] = Slot { key: k.packed, id };
                self.inline_len += 1;
                (id, true)
            }
        }
    }

    /// The index of `key`, if present.
    #[inline]
    pub fn get(&self, key: &str) -> Option<u32> {
        if key.len() > INLINE {
            return self.long.get(key).copied();
        }
        self.find(&pack(key.as_bytes())).ok()
    }

    /// The index of `key`, inserting `id` when absent. Returns (index, inserted).
    #[inline]
    pub fn get_or_insert(&mut self, key: &str, id: u32) -> (u32, bool) {
        if key.len() > INLINE {
            return match self.long.get(key) {
                Some(&v) => (v, false),
                None => {
                    self.long.insert(key.into(), id);
                    (id, true)
                }
            };
        }
        let k = pack(key.as_bytes());
        match self.find(&k) {
            Ok(v) => (v, false),
            Err(mut i) => {
                if (self.inline_len + 1) * 2 > self.slots.len() {
                    self.grow_to(self.slots.len() * 2);
                    i = self.find(&k).expect_err("key is absent");
                }
                self.slots[i] = Slot { key: k, id };
                self.inline_len += 1;
                (id, true)
            }
        }
    }

    /// Set the index of an existing key.
    pub fn set(&mut self, key: &str, id: u32) {
        if key.len() > INLINE {
            if let Some(v) = self.long.get_mut(key) {
                *v = id;
            }
        } else {
            let k = pack(key.as_bytes());
            let mut i = hash_packed(&k) as usize & self.mask;
            while !self.slots[i].is_empty() {
                if self.slots[i].key == k {
                    self.slots[i].id = id;
                    return;
                }
                i = (i + 1) & self.mask;
            }
        }
    }

    fn grow_to(&mut self, cap: usize) {
        let old = std::mem::replace(&mut self.slots, super::mem::huge_vec(cap, EMPTY));
        self.mask = cap - 1;
        // In batches whose new slots are fetched first: the misses of a batch overlap.
        let base = self.slots.as_ptr() as usize;
        let mut hashes = [0u64; 32];
        for batch in old.chunks(32) {
            for (h, s) in hashes.iter_mut().zip(batch) {
                *h = hash_packed(&s.key);
                let i = *h as usize & self.mask;
                super::mem::prefetch(base + i * std::mem::size_of::<Slot>());
            }
            for (&h, s) in hashes.iter().zip(batch) {
                if !s.is_empty() {
                    let i = self.find_hashed(&s.key, h).expect_err("keys are unique");
                    self.slots[i] = *s;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_finds_and_grows() {
        let mut ix = IdIndex::default();
        let long = "a-very-long-identifier-of-more-than-23-bytes";
        for i in 0..10_000u32 {
            let k = format!("n{i}");
            assert_eq!(ix.get_or_insert(&k, i), (i, true));
        }
        assert_eq!(ix.get_or_insert(long, 10_000), (10_000, true));
        assert_eq!(ix.get_or_insert("n42", 7), (42, false));
        assert_eq!(ix.get("n9999"), Some(9999));
        assert_eq!(ix.get(long), Some(10_000));
        assert_eq!(ix.get("missing"), None);
        assert_eq!(ix.get(""), None);
        ix.set("n5", 55);
        assert_eq!(ix.get("n5"), Some(55));
        assert_eq!(ix.len(), 10_001);
    }
}
