//! A counting global allocator: every byte Rust code of this library asks the allocator for
//! is added to a per-thread counter, so a call can measure what it allocated by reading the
//! counter before and after on its own thread (a cgo call runs on one OS thread).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct CountingAllocator;

thread_local! {
    // const-initialised, no destructor: reading it never allocates nor registers anything.
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
}

#[inline]
fn count(bytes: usize) {
    // try_with: the counter may already be gone while a thread is being torn down.
    let _ = ALLOCATED.try_with(|total| total.set(total.get().wrapping_add(bytes as u64)));
}

/// Bytes allocated so far by the current thread (monotonic; frees are not subtracted).
pub fn allocated_by_this_thread() -> u64 {
    ALLOCATED.try_with(Cell::get).unwrap_or(0)
}

// SAFETY: every method forwards to the system allocator unchanged; counting has no effect
// on the returned memory.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_ptr = unsafe { System.realloc(ptr, layout, new_size) };
        if !new_ptr.is_null() {
            // Growth counts as newly allocated bytes; shrinking allocates nothing.
            count(new_size.saturating_sub(layout.size()));
        }
        new_ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}
