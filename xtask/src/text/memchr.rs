//! Bytes found in a text by the C library's `memchr`: the speed
//! of an optimised build in the debug build every `cargo xtask` runs, where
//! the standard library's searches (`str::find`, `split`) are compiled with
//! the xtask at opt-level 0 and cost some ten instructions a byte. A 5 MB
//! changelog's headings are found in a few million instructions, not fifty.

use std::ffi::{c_int, c_void};

// Every C library Rust's standard library links has it (glibc, musl,
// macOS's libSystem, the Windows CRT).
unsafe extern "C" {
    fn memchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void;
}

/// The index of the first `byte` in `haystack` at or after `from`.
/// Inlined even at opt-level 0: it is called once a line.
#[inline(always)]
pub fn find(haystack: &[u8], from: usize, byte: u8) -> Option<usize> {
    let len = haystack.len();
    if from >= len {
        return None;
    }
    let start = haystack.as_ptr().wrapping_add(from);
    // SAFETY: `start..start + len - from` lies within the live slice; memchr
    // reads within it and returns a pointer into it or null.
    let found = unsafe { memchr(start.cast(), c_int::from(byte), len - from) };
    match found.is_null() {
        true => None,
        false => Some(found as usize - haystack.as_ptr() as usize),
    }
}

/// From `from`, a line start, the first line start whose first byte is one
/// of `firsts`, with the number of lines stepped over to reach it (`None`
/// when no line left starts so). Addresses are plain integers: at opt-level 0
/// every pointer method is a call, and this loop runs once a line.
#[inline(always)]
pub fn line_starting_with(haystack: &[u8], from: usize, firsts: [u8; 4]) -> (Option<usize>, usize) {
    let base = haystack.as_ptr() as usize;
    let end = base + haystack.len();
    let mut at = base + from.min(haystack.len());
    let mut skipped = 0;
    while at < end {
        // SAFETY: `base <= at < end`: a byte of the live slice.
        let first = unsafe { *(at as *const u8) };
        if first == firsts[0] || first == firsts[1] || first == firsts[2] || first == firsts[3] {
            return (Some(at - base), skipped);
        }
        skipped += 1;
        // An empty line (a third of a changelog's): no call to find its end.
        if first == b'\n' {
            at += 1;
            continue;
        }
        // SAFETY: `at..end` lies within the slice; memchr returns a pointer
        // into it or null.
        let newline = unsafe { memchr(at as *const c_void, c_int::from(b'\n'), end - at) } as usize;
        if newline == 0 {
            return (None, skipped);
        }
        at = newline + 1;
    }
    (None, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_starting_with_one_of_the_bytes_and_the_lines_before_it() {
        let firsts = [b'#', b'`', b'~', b' '];
        assert_eq!(line_starting_with(b"", 0, firsts), (None, 0));
        assert_eq!(line_starting_with(b"## a\n", 0, firsts), (Some(0), 0));
        assert_eq!(
            line_starting_with(b"- a\n- b\n## c\n", 0, firsts),
            (Some(8), 2)
        );
        assert_eq!(line_starting_with(b"- a\n\n```\n", 0, firsts), (Some(5), 2));
        assert_eq!(line_starting_with(b"\n\n\n## x\n", 0, firsts), (Some(3), 3));
        assert_eq!(line_starting_with(b"\n\n", 0, firsts), (None, 2));
        assert_eq!(line_starting_with(b"- a\n- b", 0, firsts), (None, 2));
        assert_eq!(line_starting_with(b"- a\n- b\n", 0, firsts), (None, 2));
        assert_eq!(line_starting_with(b"- a\n  b\n", 4, firsts), (Some(4), 0));
        assert_eq!(line_starting_with(b"- a\n", 9, firsts), (None, 0));
    }

    #[test]
    fn finds_the_first_byte_or_none() {
        assert_eq!(find(b"", 0, b'\n'), None);
        assert_eq!(find(b"abc", 0, b'\n'), None);
        assert_eq!(find(b"a\nb\n", 0, b'\n'), Some(1));
        assert_eq!(find(b"a\nb\n", 1, b'\n'), Some(1));
        assert_eq!(find(b"a\nb\n", 2, b'\n'), Some(3));
        assert_eq!(find(b"a\nb\n", 4, b'\n'), None);
        assert_eq!(find(b"a\nb\n", 9, b'\n'), None);
        let long: Vec<u8> = (0..10_000)
            .map(|i| if i == 9_999 { 0xff } else { b'x' })
            .collect();
        assert_eq!(find(&long, 0, 0xff), Some(9_999));
        assert_eq!(find(&long, 0, b'\0'), None);
    }
}
