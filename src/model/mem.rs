//! Large allocations: ask the kernel for transparent huge pages, so that random access to
//! tables of tens of megabytes (id lookups, adjacency) does not pay a TLB miss per access.
//!
//! Arrays read or written in order (the file, the rows as they are parsed) gain nothing from
//! huge pages in access, only in faults (one per 2 MiB), and a fresh huge page can cost far
//! more to fault in than small ones. On a virtual machine that hands freed memory back to its
//! host, the first touch of 512 MiB measured 1.3-1.5 ms a MiB as huge pages against 0.36 ms
//! as 4 KiB pages, while 256 MiB of huge pages took 0.12-0.33 ms (huge pages freed moments
//! before, not yet handed back). So such arrays ask for huge pages only up to
//! [`IN_ORDER_HUGE_MAX`]: as huge pages, the file and the rows of a ten-million-flow load
//! (334 and 240 MB) were half a second slower, and as 4 KiB pages those of a 2.9-million-flow
//! load (94 and 93 MB) 0.04 s slower.

/// A `Vec` of `n` copies of `fill`, its memory advised for huge pages before it is touched.
pub fn huge_vec<T: Copy>(n: usize, fill: T) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    advise(v.as_mut_ptr() as *mut u8, n * std::mem::size_of::<T>());
    v.resize(n, fill);
    v
}

/// Types whose value with every byte zero is valid (and is their zero).
///
/// # Safety
/// An implementor must be valid, and mean what `zeroed` documents, when all its bytes are 0.
pub unsafe trait Zeroed: Copy {}
// SAFETY: all-zero bytes are 0 (integers) and +0.0 (floats).
unsafe impl Zeroed for u32 {}
// SAFETY: as above.
unsafe impl Zeroed for usize {}
// SAFETY: as above.
unsafe impl Zeroed for u8 {}
// SAFETY: as above.
unsafe impl Zeroed for f64 {}

/// A `Vec` of `n` zeros, its memory advised for huge pages. The zeros are the kernel's: large
/// allocations get fresh pages that are zeroed as they are first touched, by whichever thread
/// touches them, not written here in one pass. For arrays that are written before they are
/// read: a page read first is mapped to the shared zero page and copied at its first write
/// (a second fault, and a TLB flush on every core), so a table that is probed before it is
/// filled is better made with [`huge_vec`].
pub fn huge_zeroed<T: Zeroed>(n: usize) -> Vec<T> {
    zeroed(n, true)
}

/// `n` zeros from the kernel, advised for huge pages when `huge`.
fn zeroed<T: Zeroed>(n: usize, huge: bool) -> Vec<T> {
    let layout = std::alloc::Layout::array::<T>(n).expect("an allocation of less than isize::MAX");
    if layout.size() == 0 {
        return Vec::new();
    }
    // SAFETY: the layout has a non-zero size.
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) } as *mut T;
    if ptr.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    if huge {
        advise(ptr as *mut u8, layout.size());
    }
    // SAFETY: `ptr` was allocated by the global allocator with the layout of `n` items of T,
    // and all n are initialised (zero bytes are a valid T, by `Zeroed`).
    unsafe { Vec::from_raw_parts(ptr, n, n) }
}

/// Arrays read and written in order ask for huge pages only up to this size (see the module
/// note): a small one is served from huge pages freed moments before, a large one is not.
pub const IN_ORDER_HUGE_MAX: usize = 128 << 20;

/// A `Vec` of `n` zeros written in order: huge pages up to [`IN_ORDER_HUGE_MAX`] bytes,
/// plain pages above (zeroed lazily by the kernel either way).
pub fn in_order_zeroed<T: Zeroed>(n: usize) -> Vec<T> {
    zeroed(n, n * std::mem::size_of::<T>() <= IN_ORDER_HUGE_MAX)
}

/// An empty `Vec` with room for `n` items written in order: huge pages up to
/// [`IN_ORDER_HUGE_MAX`] bytes, plain pages above.
pub fn in_order_with_capacity<T>(n: usize) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    let bytes = n * std::mem::size_of::<T>();
    if bytes <= IN_ORDER_HUGE_MAX {
        advise(v.as_mut_ptr() as *mut u8, bytes);
    }
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

/// Watches a graph being built against the memory budget ([`crate::budget`]): flows and
/// nodes made so far, scaled (a reader working in chunks sees its share). Each count has its
/// own next checkpoint, an eighth above it (at least 65,536); a check approves the size both
/// counts may reach before their checkpoints, so between checks the graph stays within what was
/// approved, however the growth splits between flows and nodes. The cost is a compare per
/// item. The first failed check is kept; readers stop when it is set.
#[derive(Debug, Default)]
pub struct Watch {
    /// Bytes already committed (the input held).
    base: u64,
    flows: u64,
    nodes: u64,
    /// Chunks that grow alike: the whole is this many times one chunk's count.
    scale: u64,
    next_flows: u64,
    next_nodes: u64,
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
            next_flows: Self::FIRST,
            next_nodes: Self::FIRST,
            ..Watch::default()
        }
    }

    /// The checkpoint above a count `n`.
    fn step(n: u64) -> u64 {
        (n + n / 8).max(Self::FIRST)
    }

    /// Flows known before they are made (rows counted ahead of parsing, their room reserved
    /// and checked by the caller): counted at once, and not checked again until they grow.
    pub fn preset_flows(&mut self, flows: u64) {
        self.flows = flows;
        self.next_flows = Self::step(flows);
    }

    /// Count `flows` flows and `nodes` nodes more; false once the budget is exceeded.
    #[inline]
    pub fn add(&mut self, flows: u64, nodes: u64) -> bool {
        self.flows += flows;
        self.nodes += nodes;
        if self.flows >= self.next_flows || self.nodes >= self.next_nodes {
            self.check_now();
        }
        self.error.is_none()
    }

    #[cold]
    fn check_now(&mut self) {
        if self.flows >= self.next_flows {
            self.next_flows = Self::step(self.flows);
        }
        if self.nodes >= self.next_nodes {
            self.next_nodes = Self::step(self.nodes);
        }
        if self.error.is_some() {
            return;
        }
        // The size both counts may reach before their next checkpoints.
        let flows = self.next_flows.saturating_mul(self.scale);
        let nodes = self.next_nodes.saturating_mul(self.scale);
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
