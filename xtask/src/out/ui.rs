//! Cargo-style status lines on stderr, coloured only on a terminal.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: status lines are dropped; errors are still printed.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

#[derive(Clone, Copy)]
pub enum Tone {
    Good,
    Warn,
    Bad,
}

fn paint(tone: Tone, text: &str) -> String {
    if !std::io::stderr().is_terminal() || std::env::var_os("NO_COLOR").is_some() {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "32",
        Tone::Warn => "33",
        Tone::Bad => "31",
    };
    format!("\x1b[1;{code}m{text}\x1b[0m")
}

/// `    Verb message`, the verb right-aligned in 12 columns like cargo's.
pub fn status(tone: Tone, verb: &str, message: &str) {
    if QUIET.load(Ordering::Relaxed) {
        return;
    }
    let line = format!("{} {message}", paint(tone, &format!("{verb:>12}")));
    let _ = writeln!(std::io::stderr(), "{line}");
}

pub fn error(message: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "{} {message}",
        paint(Tone::Bad, "error:")
    );
}

/// `1.23s`, or `950ms` under a second.
pub fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Duration::from_millis(950)), "950ms");
        assert_eq!(duration(Duration::from_millis(1234)), "1.23s");
        assert_eq!(duration(Duration::from_secs(75)), "75.00s");
    }
}
