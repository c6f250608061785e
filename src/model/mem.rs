//! Large allocations: ask the kernel for transparent huge pages, so that random access to
//! tables of tens of megabytes (id lookups, adjacency) does not pay a TLB miss per access.

/// A `Vec` of `n` copies of `fill`, its memory advised for huge pages before it is touched.
pub fn huge_vec<T: Copy>(n: usize, fill: T) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    advise(v.as_mut_ptr() as *mut u8, n * std::mem::size_of::<T>());
    v.resize(n, fill);
    v
}

/// An empty `Vec` with room for `n` items, its memory advised for huge pages.
pub fn huge_with_capacity<T>(n: usize) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    advise(v.as_mut_ptr() as *mut u8, n * std::mem::size_of::<T>());
    v
}

/// Advise huge pages for the 2 MiB-aligned part of `[ptr, ptr + len)`. A hint only: errors
/// (an older kernel, THP off) are ignored.
pub fn advise(ptr: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        if len < 2 * HUGE {
            return;
        }
        let start = (ptr as usize).div_ceil(HUGE) * HUGE;
        let end = (ptr as usize + len) / HUGE * HUGE;
        if end > start {
            // SAFETY: madvise on a range inside our own allocation changes no memory contents.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, len);
}

/// Hint the CPU to fetch the cache line at `addr`. Never faults, whatever the address.
#[inline]
pub fn prefetch(addr: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it does not fault on any address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(addr as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = addr;
}

/// Watches a graph being built against the memory budget ([`crate::budget`]): the flows and
/// nodes made so far, scaled (a reader working in chunks sees its share), are checked each
/// time their count grows by an eighth, against the size they will have at the next check;
/// so the cost is a compare per item and the graph never outgrows the budget. The first
/// failed check is kept; readers stop when it is set.
#[derive(Debug, Default)]
pub struct Watch {
    /// Bytes already committed (the input held, rows counted before parsing).
    base: u64,
    flows: u64,
    nodes: u64,
    /// Chunks that grow alike: the whole is this many times one chunk's count.
    scale: u64,
    next: u64,
    /// The first failed check.
    pub error: Option<crate::Error>,
}

impl Watch {
    const FIRST: u64 = 1 << 16;

    /// A watch of a graph read from `input` bytes, its counts multiplied by `scale`.
    pub fn new(input: u64, scale: u64) -> Self {
        Watch {
            base: crate::budget::graph_bytes(input, 0, 0),
            scale: scale.max(1),
            next: Self::FIRST,
            ..Watch::default()
        }
    }

    /// Flows known before they are made (rows counted ahead of parsing, room reserved).
    pub fn preset_flows(&mut self, flows: u64) {
        self.flows = flows;
        self.next = (flows + flows / 8).max(Self::FIRST);
    }

    /// Count `flows` flows and `nodes` nodes more; false once the budget is exceeded.
    #[inline]
    pub fn add(&mut self, flows: u64, nodes: u64) -> bool {
        self.flows += flows;
        self.nodes += nodes;
        if self.flows + self.nodes >= self.next {
            self.check_now();
        }
        self.error.is_none()
    }

    #[cold]
    fn check_now(&mut self) {
        let now = self.flows + self.nodes;
        self.next = (now + now / 8).max(Self::FIRST);
        if self.error.is_some() {
            return;
        }
        // The size at the next check: flows and nodes grow by up to an eighth before it.
        let ahead = |n: u64| (n + n / 8).saturating_mul(self.scale);
        let (flows, nodes) = (ahead(self.flows), ahead(self.nodes));
        let need = self
            .base
            .saturating_add(crate::budget::graph_bytes(0, flows, nodes));
        if let Err(e) = crate::budget::check(need, || {
            format!(
                "the graph (about {} flows and {} nodes, at about {} bytes a flow and {} a node, with the input held)",
                crate::budget::fmt_count(flows),
                crate::budget::fmt_count(nodes),
                crate::budget::PER_FLOW,
                crate::budget::PER_NODE
            )
        }) {
            self.error = Some(e);
        }
    }
}
