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
