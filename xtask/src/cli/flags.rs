//! Each command's arguments, typed: `cli.rs` parses the command line once
//! into a `Cmd`, and every command takes its own struct (the model of
//! rust-analyzer's xtask `flags.rs`, with clap's builder API underneath).

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::changelog::Format;
pub use crate::checks::preflight::PreflightOptions;
pub use crate::model::selection::Selection;
use crate::text::train::Label;

/// The command line, parsed.
#[derive(Debug, PartialEq, Eq)]
pub enum Cmd {
    Init(Init),
    Ci(Ci),
    Versions(Versions),
    Check(Check),
    Changelog(Changelog),
    Release(Release),
    Preflight(Preflight),
    Gh(Gh),
    Rollback(Rollback),
    Publish(Publish),
    VerifyPublished(VerifyPublished),
    Status(Status),
    Downstream(Downstream),
    Bench(Bench),
    Sync(Sync),
    Bump(Bump),
    Api(Api),
    Change(Change),
}

/// `cargo xtask change`.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Write a change file: `(flag, level or section)` per package, and the text.
    New {
        kinds: Vec<(String, String)>,
        text: String,
    },
    /// `--list [--json]`: the pending files per package.
    List { json: bool },
    /// `--check [--base REV] [--allow-missing]`.
    Check {
        /// `None`: the configuration's remote and branch.
        base: Option<String>,
        allow_missing: bool,
    },
}

/// `cargo xtask init [--write]`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Init {
    /// Write `xtask-release.toml`; without it, print only.
    pub write: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ci {
    pub skip: Vec<String>,
    pub only: Vec<String>,
    pub list: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Versions {
    pub json: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Check {
    pub json: bool,
    pub verbose: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Changelog {
    Promote(Promote),
    Notes(Notes),
    Port(Port),
    Generate(Generate),
    /// The package, by name or flag.
    Suggest(String),
    Lint(Lint),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Promote {
    pub package: String,
    pub version: String,
    /// `--date`; today (UTC) without it.
    pub date: Option<NaiveDate>,
    pub allow_empty: bool,
    pub generate: bool,
    pub format: Format,
    pub dry_run: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Notes {
    pub package: String,
    pub version: String,
    pub json: bool,
}

/// `changelog port VERSION --from BRANCH`: a section of another branch's
/// changelog brought into this one.
#[derive(Debug, PartialEq, Eq)]
pub struct Port {
    pub version: String,
    /// The branch (or any commit) whose changelog has the section.
    pub from: String,
    /// The packages, by name or flag (`-p`); none: every package whose
    /// changelog there has the section.
    pub packages: Vec<String>,
    pub dry_run: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Generate {
    pub package: String,
    pub since: Option<String>,
    pub format: Format,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Lint {
    pub fix: bool,
    pub verbose: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Release {
    /// `--FLAG LEVEL` per package.
    pub selection: Selection,
    pub execute: bool,
    pub skip_preflight: bool,
    pub preflight: PreflightOptions,
    pub no_push: bool,
    pub abort: bool,
    pub pr: bool,
    pub generate: bool,
    pub allow_empty: bool,
    /// `--allow-dev`: a development version (`-dev.N`) may be released.
    pub allow_dev: bool,
    /// `--pre LABEL`: the levels given start a pre-release train.
    pub pre: Option<Label>,
    pub date: Option<NaiveDate>,
    pub json: bool,
    pub quiet: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Api {
    /// `--FLAG` per package and `-p NAME`.
    pub selection: Selection,
    pub install: bool,
    pub stubtest: bool,
    pub since: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Preflight {
    /// `--FLAG` per package and `-p NAME`.
    pub selection: Selection,
    pub options: PreflightOptions,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Gh {
    VerifyTag {
        tag: String,
        /// `--package`: the series the tag must be of (a name or a flag).
        package: Option<String>,
    },
    Msrv,
    ReleaseCommit,
    /// Whether the release PR is to be rebuilt: mode `pr`, HEAD no release commit.
    ReleasePr,
    /// `verify-dist DIR --package NAME`: the built files cover every `wheels` pattern.
    VerifyDist {
        dir: PathBuf,
        package: String,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rollback {
    pub tag: String,
    pub execute: bool,
    pub yank: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Publish {
    Crate(PublishCrate),
    Py(PublishPy),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct PublishCrate {
    /// `-p NAME`, when several crates are released.
    pub package: Option<String>,
    pub registry: Option<String>,
    pub index: Option<String>,
    pub allow_untagged: bool,
    pub execute: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct PublishPy {
    /// `-p NAME`, when several Python packages are released.
    pub package: Option<String>,
    pub repository_url: Option<String>,
    pub index_url: Option<String>,
    pub execute: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct VerifyPublished {
    /// `--FLAG [VERSION]` per package.
    pub selection: Selection,
    pub timeout_secs: u64,
    pub registry: Option<String>,
    pub index: Option<String>,
    pub index_url: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// `--FLAG [VERSION]` per package.
    pub selection: Selection,
    pub json: bool,
    pub registry: Option<String>,
    pub index: Option<String>,
    pub index_url: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Downstream {
    pub path: PathBuf,
    pub package: Option<String>,
    pub registry: Option<String>,
    pub execute: bool,
}

/// Set by the default build's `bench` to the binary the bench build measures.
pub const BENCH_EXE: &str = "XTASK_BENCH_EXE";

#[derive(Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    not(feature = "bench"),
    allow(dead_code, reason = "read by the bench build")
)]
pub struct Bench {
    /// Measured runs per row (1 with `--quick`).
    pub runs: u32,
    pub only: Option<String>,
    pub json: bool,
    pub install_peers: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sync {
    pub dry_run: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Bump {
    /// `--FLAG [LEVEL]` per package and `-p NAME`.
    pub selection: Selection,
    /// The trailing LEVEL, for the packages without their own.
    pub level: Option<String>,
    pub dry_run: bool,
    pub allow_downgrade: bool,
    /// `--pre LABEL`: the levels given start a pre-release train.
    pub pre: Option<Label>,
}
