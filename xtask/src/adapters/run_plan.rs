//! A plan of external commands as data: each command is printed exactly as
//! it runs, then run from the same data, so what a plan shows is what runs.

use std::path::PathBuf;

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::adapters::relay;
use crate::out::ui;

/// A command of a plan: printed as is, then run as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub program: String,
    pub args: Vec<String>,
    /// Variables set for this command only, printed before it.
    pub env: Vec<(&'static str, PathBuf)>,
}

impl Step {
    pub fn new(program: impl Into<String>, args: &[&str]) -> Step {
        Step {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Step {
        self.args.push(arg.into());
        self
    }

    pub fn args(mut self, args: impl IntoIterator<Item = String>) -> Step {
        self.args.extend(args);
        self
    }

    pub fn env(mut self, key: &'static str, value: PathBuf) -> Step {
        self.env.push((key, value));
        self
    }

    /// The command line as printed: `KEY=VALUE program arg…`.
    pub fn line(&self) -> String {
        let env: String = self
            .env
            .iter()
            .map(|(k, v)| format!("{k}={} ", v.display()))
            .collect();
        let words: Vec<&str> = std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect();
        format!("{env}{}", words.join(" "))
    }

    /// The command, ready to run in `sh`.
    pub fn cmd<'a>(&self, sh: &'a Shell) -> xshell::Cmd<'a> {
        let (program, args) = (&self.program, &self.args);
        let mut command = cmd!(sh, "{program} {args...}");
        for (key, value) in &self.env {
            command = command.env(key, value);
        }
        command
    }

    /// Runs the command, its line and its output shown through the output
    /// floor (a URL's user-info redacted, control characters made visible).
    pub fn run(&self, sh: &Shell) -> Result<()> {
        ui::eprintln(&format!("$ {}", self.line()));
        relay::run(self.cmd(sh)).with_context(|| format!("`{}` failed", self.line()))
    }
}

/// `plan:` and each `(note, line)` numbered, the note under its line.
pub fn print(steps: &[(&str, String)]) {
    ui::println("plan:");
    for (i, (what, line)) in steps.iter().enumerate() {
        ui::println(&format!("  {}. {line}", i + 1));
        if !what.is_empty() {
            ui::println(&format!("     {what}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_the_environment_then_the_program_and_its_arguments() {
        let step = Step::new("maturin", &["build", "--release"])
            .arg("--out")
            .args(["dist".to_string()])
            .env("CARGO_TARGET_DIR", "target/maturin".into());
        assert_eq!(
            step.line(),
            "CARGO_TARGET_DIR=target/maturin maturin build --release --out dist"
        );
        assert_eq!(Step::new("true", &[]).line(), "true");
    }
}
