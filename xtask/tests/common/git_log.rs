//! A `git` first on PATH that logs every call: what a command asks git,
//! counted by the tests that bound the work a command does.

use std::path::Path;

/// A `git` first on PATH that appends each call's arguments (separated by
/// \x1f, one call a line) to `log`, then runs git.
pub fn logging_git(base: &Path, log: &Path) -> String {
    let bin = base.join("logging-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let real = std::process::Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap();
    let script = format!(
        "#!/bin/sh\nprintf '%s\\037' \"$@\" >> \"{}\"\necho >> \"{}\"\nexec \"{}\" \"$@\"\n",
        log.display(),
        log.display(),
        real.trim()
    );
    super::install_hook(&bin.join("git"), &script);
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

/// The calls of a log `logging_git` wrote, each its arguments.
pub fn calls(log: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|line| {
            let mut args: Vec<String> = line.split('\x1f').map(str::to_string).collect();
            args.pop(); // after the last separator
            args
        })
        .collect()
}
