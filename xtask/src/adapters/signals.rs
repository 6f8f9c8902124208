//! The process's signal dispositions, and the crash the fault tests inject.

#[cfg(unix)]
mod unix {
    const SIGKILL: i32 = 9;
    const SIGPIPE: i32 = 13; // the same on Linux and macOS
    #[cfg(target_os = "linux")]
    const SIGXFSZ: i32 = 25;
    #[cfg(not(target_os = "linux"))]
    const SIGXFSZ: i32 = 31;
    const SIG_DFL: usize = 0;
    const SIG_IGN: usize = 1;
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
        fn kill(pid: i32, sig: i32) -> i32;
    }

    pub fn setup() {
        // SAFETY: called first thing in main, before any thread exists; both
        // handlers are valid dispositions.
        unsafe {
            // `cargo xtask changelog notes … | head` should end quietly when
            // `head` closes the pipe, not panic in `println!`: Rust ignores
            // SIGPIPE by default, so put back the default action.
            signal(SIGPIPE, SIG_DFL);
            // Past a file-size limit a write should fail (and be cleaned up),
            // not kill the process with a temporary file half written.
            signal(SIGXFSZ, SIG_IGN);
        }
    }

    pub fn kill_self() -> ! {
        // SAFETY: sending a signal to our own process id.
        unsafe {
            kill(std::process::id() as i32, SIGKILL);
        }
        std::process::abort()
    }
}

#[cfg(unix)]
pub use unix::{kill_self, setup};

#[cfg(not(unix))]
pub fn setup() {}

#[cfg(not(unix))]
pub fn kill_self() -> ! {
    std::process::abort()
}
