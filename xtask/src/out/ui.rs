//! Everything the xtask prints: cargo-style status lines on stderr,
//! coloured only on a terminal, errors, and the text of plans, diffs and
//! reports. Each goes out through `safe`: a URL's user-info redacted,
//! control characters made visible, workflow commands neutralised.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::out::{redact, sanitize};

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

/// What may be shown of `text`: secrets out, controls visible, no
/// workflow command.
pub fn safe(text: &str) -> String {
    sanitize::shown(&redact::urls(text))
}

/// What may be written of `text` to a file others read (a step summary):
/// secrets out, controls visible.
pub fn written(text: &str) -> String {
    sanitize::text(&redact::urls(text))
}

/// `    Verb message`, the verb right-aligned in 12 columns like cargo's.
pub fn status(tone: Tone, verb: &str, message: &str) {
    if QUIET.load(Ordering::Relaxed) {
        return;
    }
    let line = format!("{} {}", paint(tone, &format!("{verb:>12}")), safe(message));
    let _ = writeln!(std::io::stderr(), "{line}");
}

pub fn error(message: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "{} {}",
        paint(Tone::Bad, "error:"),
        safe(message)
    );
}

/// `text` on stdout as it is (a diff, a changelog, a table), made safe.
pub fn print(text: &str) {
    let _ = std::io::stdout().write_all(safe(text).as_bytes());
}

/// `text` and a line end on stdout, made safe.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// `text` and a line end on stderr, made safe: notes that are not status
/// lines (a relayed tool's output, a report's table).
pub fn eprintln(text: &str) {
    let _ = std::io::stderr().write_all(safe(&format!("{text}\n")).as_bytes());
}

/// `text` on stderr as it is, made safe.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().write_all(safe(text).as_bytes());
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
