//! An upload that a registry turns away for its rate limit (HTTP 429,
//! cargo's "too many requests") is tried again after a pause that doubles,
//! a bounded number of times; any other failure ends it at once.

use std::time::Duration;

use anyhow::{Result, bail};
use xshell::Shell;

use crate::adapters::relay;
use crate::adapters::run_plan::Step;
use crate::out::ui::{self, Tone};

/// Tries in all, and the first pause (doubling after each 429).
pub const TRIES: usize = 5;
pub const FIRST_PAUSE: Duration = Duration::from_secs(2);

/// Whether a failed command's output says the registry limited the rate.
pub fn rate_limited(output: &str) -> bool {
    let lower = output.to_ascii_lowercase();
    // `429` as a number of its own (not inside `0.4.29`), said as a status.
    let status_429 = lower.match_indices("429").any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + 3..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit() || c == '.')
    }) && (lower.contains("http") || lower.contains("status"));
    status_429 || lower.contains("too many requests") || lower.contains("rate limit exceeded")
}

/// One try of a command: whether it succeeded, and what it printed.
pub struct Try {
    pub ok: bool,
    pub output: String,
}

/// Runs `attempt` until it succeeds, a failure is not a rate limit, or
/// `TRIES` are spent, pausing with `sleep` in between.
pub fn retry(
    what: &str,
    mut attempt: impl FnMut() -> Result<Try>,
    mut sleep: impl FnMut(Duration),
) -> Result<()> {
    let mut pause = FIRST_PAUSE;
    for n in 1..=TRIES {
        let got = attempt()?;
        if got.ok {
            return Ok(());
        }
        if !rate_limited(&got.output) {
            bail!("`{what}` failed:\n{}", got.output.trim_end());
        }
        if n == TRIES {
            break;
        }
        ui::status(
            Tone::Warn,
            "Rate-limited",
            &format!(
                "the registry turned the upload away (429); trying again in {}s ({n} of {TRIES} tries)",
                pause.as_secs()
            ),
        );
        sleep(pause);
        pause *= 2;
    }
    bail!(
        "`{what}` was turned away for the registry's rate limit {TRIES} times: wait a few minutes, then run it again (what is published already is skipped)"
    )
}

/// `step` run through `retry`.
pub fn run(sh: &Shell, step: &Step) -> Result<()> {
    retry(&step.line(), || attempt(sh, step), std::thread::sleep)
}

/// One run of `step`, its output shown as it was printed, and kept.
fn attempt(sh: &Shell, step: &Step) -> Result<Try> {
    let out = relay::output(step.cmd(sh))?;
    Ok(Try {
        ok: out.status.success(),
        output: format!("{}{}", out.stdout, out.stderr),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_is_told_by_the_words_of_cargo_and_twine() {
        for output in [
            "error: failed to publish to registry at https://crates.io\n\nCaused by:\n  the remote server responded with an error (status 429 Too Many Requests): You have published too many crates",
            "ERROR    HTTPError: 429 Too Many Requests from https://upload.pypi.org/legacy/",
            "error: api errors (status 429): rate limit exceeded",
            "the remote server responded with an error (status 429 Too Many Requests)",
        ] {
            assert!(rate_limited(output), "{output}");
        }
        for output in [
            "ERROR    HTTPError: 400 Bad Request from https://upload.pypi.org/legacy/\nFile already exists",
            "error: failed to verify package tarball",
            "version 0.4.29 from http://example.com",
            "error[E0425]: cannot find `rate_limiter` in this scope (status: 1.429.0)",
        ] {
            assert!(!rate_limited(output), "{output}");
        }
    }

    fn answers(list: &[(bool, &str)]) -> impl FnMut() -> Result<Try> {
        let mut list: Vec<Try> = list
            .iter()
            .map(|(ok, output)| Try {
                ok: *ok,
                output: output.to_string(),
            })
            .collect();
        list.reverse();
        move || Ok(list.pop().expect("no more tries"))
    }

    #[test]
    fn a_rate_limit_waits_longer_each_time_then_succeeds() {
        let mut pauses = Vec::new();
        let limited = (false, "HTTPError: 429 Too Many Requests");
        retry(
            "twine upload",
            answers(&[limited, limited, (true, "")]),
            |d| pauses.push(d.as_secs()),
        )
        .unwrap();
        assert_eq!(pauses, [2, 4]);
    }

    /// A real process that answers like twine to a registry that is
    /// rate-limiting: 429 twice, then accepted.
    #[test]
    fn an_upload_turned_away_twice_goes_through_the_third_time() {
        let dir = std::env::temp_dir().join(format!("xtask-rate-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let count = dir.join("count");
        let script = "import pathlib, sys\n\
            p = pathlib.Path(sys.argv[1])\n\
            n = int(p.read_text()) if p.exists() else 0\n\
            p.write_text(str(n + 1))\n\
            if n < 2:\n    sys.exit('ERROR    HTTPError: 429 Too Many Requests from http://127.0.0.1/legacy/')\n\
            print('uploaded')\n";
        let step = Step::new("python3", &["-c", script]).arg(count.to_string_lossy());
        let sh = Shell::new().unwrap();
        let mut pauses = Vec::new();
        retry(
            &step.line(),
            || attempt(&sh, &step),
            |d| pauses.push(d.as_secs()),
        )
        .unwrap();
        assert_eq!(pauses, [2, 4]);
        assert_eq!(std::fs::read_to_string(&count).unwrap(), "3");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn another_failure_or_too_many_limits_end_it() {
        let err = retry(
            "cargo publish",
            answers(&[(false, "error: 401 Unauthorized")]),
            |_| panic!("no pause for another failure"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`cargo publish` failed:\nerror: 401 Unauthorized"
        );
        let mut pauses = Vec::new();
        let limited = (false, "status 429 Too Many Requests");
        let err = retry("cargo publish", answers(&[limited; TRIES]), |d| {
            pauses.push(d.as_secs())
        })
        .unwrap_err();
        assert_eq!(pauses, [2, 4, 8, 16]);
        assert!(
            err.to_string()
                .contains("turned away for the registry's rate limit 5 times"),
            "{err}"
        );
    }
}
