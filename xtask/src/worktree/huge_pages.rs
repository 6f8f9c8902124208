//! A big file's buffer in huge pages. Reading 5 MiB into fresh memory costs
//! a page fault, a zeroed page and a memory-cgroup charge per 4 KiB: about a
//! third of `changelog notes` on a 5 MiB changelog. Asked for huge pages
//! (Linux's `madvise(MADV_HUGEPAGE)`, honoured where transparent huge pages
//! are `madvise` or `always`), the buffer's aligned interior faults once per
//! 2 MiB. Only advice: where it is not taken, nothing changes; other systems
//! skip it.

/// Huge pages are 2 MiB on every Linux target with transparent huge pages.
#[cfg(target_os = "linux")]
const HUGE: usize = 2 << 20;

/// Asks for huge pages in the aligned interior of `bytes`' spare capacity
/// when it spans at least one huge page whole; whether it asked.
#[cfg(target_os = "linux")]
pub fn advise(bytes: &mut Vec<u8>) -> bool {
    use std::ffi::{c_int, c_void};
    unsafe extern "C" {
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }
    // <asm-generic/mman-common.h>, the same on every architecture.
    const MADV_HUGEPAGE: c_int = 14;
    // Smaller buffers: a huge page would hold much that is never read.
    if bytes.capacity() - bytes.len() < 2 * HUGE {
        return false;
    }
    let spare = bytes.spare_capacity_mut();
    let base = spare.as_mut_ptr() as usize;
    let start = base.next_multiple_of(HUGE);
    let end = (base + spare.len()) / HUGE * HUGE;
    if start >= end {
        return false;
    }
    // SAFETY: `start..end` lies within the vector's allocation, which it
    // owns and has not handed out; madvise only changes how the kernel backs
    // those pages, never their contents (they are unwritten yet).
    unsafe { madvise(start as *mut c_void, end - start, MADV_HUGEPAGE) == 0 }
}

#[cfg(not(target_os = "linux"))]
pub fn advise(_bytes: &mut Vec<u8>) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_buffer_of_two_huge_pages_or_more_is_advised() {
        let mut small: Vec<u8> = Vec::with_capacity(1 << 20);
        assert!(!advise(&mut small));
        let mut big: Vec<u8> = Vec::with_capacity(8 << 20);
        // Taken for a big buffer where the kernel knows the advice.
        let known = std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists();
        assert_eq!(advise(&mut big), cfg!(target_os = "linux") && known);
        big.extend(std::iter::repeat_n(7u8, 8 << 20));
        assert!(big.iter().all(|&b| b == 7));
    }
}
