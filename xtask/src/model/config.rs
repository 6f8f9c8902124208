//! The release configuration as written: the keys of the table or file that
//! `config_place` found (`[workspace.metadata.xtask-release]`,
//! `xtask-release.toml`, a `--config` file: the same keys everywhere).
//! Every key is optional; `defaults.rs` fills the defaults from the manifests.

use anyhow::{Result, bail};
use toml_edit::Item;

use crate::model::config_keys::{branches, check_keys, next_dev, pre_start, string, strings};
use crate::model::registries;
use crate::text::tags::glob_match;

pub use crate::model::registries::{CRATES_IO_INDEX, Registries};
pub use crate::text::requirement::DependentVersion;

pub use crate::model::mention::{At, Mention};
pub use crate::text::version::Level;

/// The subject of the commit `next-dev` makes after a release:
/// `{releases}` is `name vX.Y.Z-dev.0` of each package, joined by ` + `.
/// The tool's own, like its release commits: left out of drafted notes and
/// of what a next release counts.
pub const NEXT_DEV_MESSAGE: &str = "chore(release): start {releases}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Commit, tag and push from the release branch.
    Tag,
    /// Push the release branch (`pr-branch`) and open or update its pull request; CI tags after merge.
    Pr,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The main line: where a release's changelog section belongs
    /// (`changelog port`), and the release branch when `branches` is unset.
    pub branch: String,
    /// The branches a release may run on (names or globs, `*` and `?`),
    /// the main line first; default `[branch]`.
    pub branches: Vec<String>,
    pub remote: String,
    pub mode: Mode,
    /// Conventional-commit types left out of generated notes and suggestions.
    pub exclude_types: Vec<String>,
    /// Tags (names or globs) that no command takes as a release.
    pub ignore_tags: Vec<String>,
    /// The release commit: `{releases}` is `name vX.Y.Z` of each package, joined by ` + `.
    pub commit_message: String,
    /// The annotated tag message: `{name}`, `{version}`.
    pub tag_message: String,
    /// The release-PR flow's commit: `{version}` of the first package
    /// released alone; any other release names each package (`release_subject`).
    pub pr_commit_message: String,
    /// The release-PR flow's branch: one stable name, so one pull request
    /// stays open and is updated as main moves.
    pub pr_branch: String,
    /// How a release moves dependents' requirements on the crates it bumps.
    pub dependent_version: DependentVersion,
    /// The first number of a pre-release train (`rc.0` or `rc.1`).
    pub pre_start: u64,
    /// The folder of change files (`changes`, default `.changes`).
    pub changes: String,
    /// `next-dev`: after a release, a second commit moves each released
    /// package to the next version's `-dev.0` (minor or patch); `None`: no commit.
    pub next_dev: Option<Level>,
    /// Configured packages, in order; empty means "derive from the workspace".
    pub packages: Vec<PackageConfig>,
    /// Where packages are published and looked up.
    pub registries: Registries,
    /// Where this configuration was read, for messages.
    pub origin: String,
    /// Said once per run, and by `check`: the configuration was read from
    /// its old place.
    pub warning: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PackageConfig {
    pub name: String,
    pub manifest: Option<String>,
    pub flag: Option<String>,
    pub tag: Option<String>,
    /// `previous-tags`: templates of earlier tag series that are its releases too.
    pub previous_tags: Option<Vec<String>>,
    pub changelog: Option<String>,
    /// `changelog = false`: the package keeps no changelog, none is looked for.
    pub no_changelog: bool,
    /// `next-dev` for this package alone (`Some(None)`: `next-dev = false`).
    pub next_dev: Option<Option<Level>>,
    pub pyproject: Option<String>,
    pub paths: Option<Vec<String>>,
    /// Other workspace crates released with it (names or globs).
    pub crates: Option<Vec<String>>,
    pub mentions: Vec<Mention>,
    /// `wheels`: the wheel patterns a Python release must show on its index.
    pub wheels: Option<Vec<String>>,
    /// `pre-start` for this package alone.
    pub pre_start: Option<u64>,
    /// `fragments`: a folder of towncrier news fragments for this package.
    pub fragments: Option<String>,
    /// Where this entry was read, for messages.
    pub origin: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            branch: "main".into(),
            branches: vec!["main".into()],
            remote: "origin".into(),
            mode: Mode::Tag,
            exclude_types: crate::changelog::DEFAULT_EXCLUDE.map(String::from).to_vec(),
            ignore_tags: Vec::new(),
            commit_message: "release: {releases}".into(),
            tag_message: "{name} {version}".into(),
            pr_commit_message: "chore(release): prepare v{version}".into(),
            pr_branch: "release/next".into(),
            dependent_version: DependentVersion::Upgrade,
            pre_start: 1,
            changes: ".changes".into(),
            next_dev: None,
            packages: Vec::new(),
            registries: Registries::default(),
            origin: "Cargo.toml [workspace.metadata.xtask-release]".into(),
            warning: None,
        }
    }
}

/// The top-level keys of the configuration; any other is refused.
/// docs/configuration.md has a row for each (a unit test of `cli` checks it).
pub const TOP_KEYS: [&str; 16] = [
    "branch",
    "branches",
    "remote",
    "mode",
    "exclude-types",
    "ignore-tags",
    "commit-message",
    "tag-message",
    "pr-commit-message",
    "pr-branch",
    "dependent-version",
    "pre-start",
    "changes",
    "next-dev",
    "package",
    "registries",
];
/// The keys of a `[[package]]` entry.
pub const PACKAGE_KEYS: [&str; 14] = [
    "name",
    "manifest",
    "flag",
    "tag",
    "previous-tags",
    "changelog",
    "pyproject",
    "paths",
    "crates",
    "mentions",
    "wheels",
    "pre-start",
    "fragments",
    "next-dev",
];
/// The keys of a mention's inline table.
pub const MENTION_KEYS: [&str; 4] = ["file", "pattern", "key", "optional"];

/// Whether every top-level key of `item` is one of ours: a table that holds
/// another (cargo-release's `sign-commit`, `shared-version`, …) is another
/// tool's.
pub fn only_our_keys(item: &Item) -> bool {
    item.as_table_like()
        .is_some_and(|t| t.iter().all(|(key, _)| TOP_KEYS.contains(&key)))
}

/// Reads the configuration table (`None`: no configuration, all defaults).
/// `origin` names the table in messages, e.g. `Cargo.toml [workspace.metadata.xtask-release]`.
pub fn from_table(table: Option<&Item>, origin: &str) -> Result<Config> {
    let mut config = Config {
        origin: origin.to_string(),
        ..Config::default()
    };
    let Some(item) = table else { return Ok(config) };
    let Some(table) = item.as_table_like() else {
        bail!("{origin}: must be a table");
    };
    check_keys(table, &TOP_KEYS, origin)?;
    let branch = string(table, "branch", origin)?;
    let listed = strings(table, "branches", origin)?;
    (config.branch, config.branches) = branches(branch, listed, origin)?;
    if let Some(remote) = string(table, "remote", origin)? {
        config.remote = remote;
    }
    config.mode = match string(table, "mode", origin)?.as_deref() {
        None | Some("tag") => Mode::Tag,
        Some("pr") => Mode::Pr,
        Some(other) => bail!("{origin}: `mode = \"{other}\"` is unknown: use \"tag\" or \"pr\""),
    };
    for (key, slot, placeholder) in [
        ("commit-message", &mut config.commit_message, "{releases}"),
        ("tag-message", &mut config.tag_message, "{version}"),
        (
            "pr-commit-message",
            &mut config.pr_commit_message,
            "{version}",
        ),
    ] {
        if let Some(value) = string(table, key, origin)? {
            if !value.contains(placeholder) {
                bail!("{origin}: `{key} = \"{value}\"` must contain `{placeholder}`");
            }
            *slot = value;
        }
    }
    if let Some(branch) = string(table, "pr-branch", origin)? {
        let release = (config.branch.as_str(), config.branches.as_slice());
        config.pr_branch = pr_branch(&branch, release, origin)?;
    }
    config.dependent_version = match string(table, "dependent-version", origin)?.as_deref() {
        None | Some("upgrade") => DependentVersion::Upgrade,
        Some("fix") => DependentVersion::Fix,
        Some(other) => bail!(
            "{origin}: `dependent-version = \"{other}\"` is unknown: use \"upgrade\" (pins move with the crate) or \"fix\" (pins move only when the new version leaves them)"
        ),
    };
    if let Some(start) = pre_start(table, origin)? {
        config.pre_start = start;
    }
    if let Some(folder) = string(table, "changes", origin)? {
        config.changes = folder_key("changes", &folder, origin)?;
    }
    config.next_dev = next_dev(table, origin)?.flatten();
    if let Some(types) = strings(table, "exclude-types", origin)? {
        config.exclude_types = types;
    }
    if let Some(tags) = strings(table, "ignore-tags", origin)? {
        config.ignore_tags = tags;
    }
    if let Some(item) = table.get("registries") {
        config.registries = registries::read(item, &format!("{origin} registries"))?;
    }
    if let Some(packages) = table.get("package") {
        let Some(array) = packages.as_array_of_tables() else {
            bail!("{origin}: `package` must be an array of tables: write `[[…package]]` sections");
        };
        for (index, entry) in array.iter().enumerate() {
            let origin = format!("{origin} package #{}", index + 1);
            config.packages.push(package(entry, origin)?);
        }
    }
    Ok(config)
}

/// The release PR's branch: a stable name (no `{version}`: one pull
/// request stays open and is updated), never the release branch itself.
fn pr_branch(value: &str, (branch, branches): (&str, &[String]), origin: &str) -> Result<String> {
    if value.contains('{') || value.contains('}') {
        bail!(
            "{origin}: `pr-branch = \"{value}\"` must be a stable branch name without placeholders, so one release pull request stays open and is updated: e.g. pr-branch = \"release/next\""
        );
    }
    if value.trim().is_empty() || value == branch {
        bail!(
            "{origin}: `pr-branch = \"{value}\"` must name a branch of its own, not the release branch `{branch}`: e.g. pr-branch = \"release/next\""
        );
    }
    if let Some(glob) = branches.iter().find(|g| glob_match(g, value)) {
        bail!(
            "{origin}: `pr-branch = \"{value}\"` must name a branch of its own, not one releases run on (`branches` entry `{glob}`): e.g. pr-branch = \"release/next\""
        );
    }
    Ok(value.to_string())
}

/// A folder key (`changes`, `fragments`): a path relative to the root,
/// without a trailing `/`; never the root itself.
fn folder_key(key: &str, value: &str, origin: &str) -> Result<String> {
    let folder = value.trim_end_matches('/');
    if folder.is_empty() || folder == "." {
        bail!(
            "{origin}: `{key} = \"{value}\"` must name a folder of its own, relative to the root: e.g. {key} = \"{}\"",
            if key == "changes" {
                ".changes"
            } else {
                "python/newsfragments"
            }
        );
    }
    Ok(folder.to_string())
}

/// `mentions = [{ file, pattern }, { file, key }, …]`.
fn mentions(item: &Item, origin: &str) -> Result<Vec<Mention>> {
    let Some(array) = item.as_array() else {
        bail!(
            "{origin}: `mentions` must be an array of {{ file = \"…\", pattern = \"…{{version}}…\" }} or {{ file = \"…\", key = \"dotted.key\" }}"
        );
    };
    let mut out = Vec::new();
    for value in array.iter() {
        let entry = value.as_inline_table();
        let field = |key| {
            entry
                .and_then(|t| t.get(key))
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        let unknown =
            entry.and_then(|t| t.iter().map(|(k, _)| k).find(|k| !MENTION_KEYS.contains(k)));
        if let Some(key) = unknown {
            bail!(
                "{origin}: unknown mention key `{key}`: a mention has `file` and `pattern` or `key`, and may have `optional = true`"
            );
        }
        // A file some branches lack (a lock committed on release branches only).
        let optional = match entry.and_then(|t| t.get("optional")) {
            None => false,
            Some(v) => v.as_bool().ok_or_else(|| {
                anyhow::anyhow!("{origin}: a mention's `optional` must be true or false")
            })?,
        };
        let at = match (field("pattern"), field("key")) {
            (Some(pattern), None) => At::Pattern(pattern),
            (None, Some(key)) => At::Key(key),
            _ => bail!(
                "{origin}: each mention needs `file` and `pattern` strings, or `file` and `key` (a dotted key of a TOML or JSON file)"
            ),
        };
        match field("file") {
            Some(file) => out.push(Mention { file, at, optional }),
            None => bail!(
                "{origin}: each mention needs `file` and `pattern` strings, or `file` and `key` (a dotted key of a TOML or JSON file)"
            ),
        }
    }
    Ok(out)
}

/// `changelog`: a path, or `false` for a package that keeps none.
fn changelog(table: &toml_edit::Table, origin: &str) -> Result<(Option<String>, bool)> {
    match table
        .get("changelog")
        .map(|item| (item.as_str(), item.as_bool()))
    {
        None => Ok((None, false)),
        Some((Some(path), _)) => Ok((Some(path.to_string()), false)),
        Some((_, Some(false))) => Ok((None, true)),
        Some(_) => bail!(
            "{origin}: `changelog` must be a path (changelog = \"CHANGELOG.md\") or false, for a package that keeps no changelog"
        ),
    }
}

fn package(table: &toml_edit::Table, origin: String) -> Result<PackageConfig> {
    let Some(name) = string(table, "name", &origin)? else {
        bail!("{origin}: `name` is missing: add the Cargo package name, e.g. name = \"my-crate\"");
    };
    let origin = format!("{origin} (`{name}`)");
    check_keys(table, &PACKAGE_KEYS, &origin)?;
    let paths = strings(table, "paths", &origin)?;
    let mentions = match table.get("mentions") {
        Some(item) => mentions(item, &origin)?,
        None => Vec::new(),
    };
    let (changelog, no_changelog) = changelog(table, &origin)?;
    Ok(PackageConfig {
        manifest: string(table, "manifest", &origin)?,
        flag: string(table, "flag", &origin)?,
        tag: string(table, "tag", &origin)?,
        previous_tags: strings(table, "previous-tags", &origin)?,
        changelog,
        no_changelog,
        next_dev: next_dev(table, &origin)?,
        pyproject: string(table, "pyproject", &origin)?,
        paths,
        crates: strings(table, "crates", &origin)?,
        mentions,
        wheels: strings(table, "wheels", &origin)?,
        pre_start: pre_start(table, &origin)?,
        fragments: string(table, "fragments", &origin)?
            .map(|f| folder_key("fragments", &f, &origin))
            .transpose()?,
        name,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        from_table(Some(doc.as_item()), "release.toml")
    }

    #[test]
    fn a_full_configuration() {
        let config = parse(
            r#"branch = "trunk"
mode = "pr"
[[package]]
name = "core"
flag = "rust"
tag = "v{version}"
paths = ["core", "docs"]
mentions = [{ file = "README.md", pattern = 'core = "{version}"' }]
[[package]]
name = "binding"
pyproject = "binding/pyproject.toml"
"#,
        )
        .unwrap();
        assert_eq!(
            (config.branch.as_str(), config.remote.as_str(), &config.mode),
            ("trunk", "origin", &Mode::Pr)
        );
        assert_eq!(config.packages.len(), 2);
        assert_eq!(
            config.packages[0].paths.as_deref(),
            Some(&["core".to_string(), "docs".to_string()][..])
        );
        assert_eq!(
            config.packages[0].mentions[0].at,
            At::Pattern("core = \"{version}\"".into())
        );
        assert_eq!(
            config.packages[1].pyproject.as_deref(),
            Some("binding/pyproject.toml")
        );
    }

    #[test]
    fn no_table_means_defaults() {
        let config = from_table(None, "x").unwrap();
        assert_eq!((config.branch.as_str(), config.packages.len()), ("main", 0));
        assert_eq!(config.dependent_version, DependentVersion::Upgrade);
        let fix = parse("dependent-version = \"fix\"").unwrap();
        assert_eq!(fix.dependent_version, DependentVersion::Fix);
        assert_eq!(config.pre_start, 1);
        let zero = parse("pre-start = 0\n[[package]]\nname = \"a\"\npre-start = 1").unwrap();
        assert_eq!((zero.pre_start, zero.packages[0].pre_start), (0, Some(1)));
        assert_eq!(
            (config.changes.as_str(), zero.packages[0].fragments.as_ref()),
            (".changes", None)
        );
        let set = parse("changes = \"docs/changes/\"\n[[package]]\nname = \"a\"\nfragments = \"a/newsfragments\"").unwrap();
        assert_eq!(set.changes, "docs/changes");
        assert_eq!(
            set.packages[0].fragments.as_deref(),
            Some("a/newsfragments")
        );
    }

    #[test]
    fn the_keys_of_release_branches_development_versions_and_earlier_series() {
        let config = parse(
            r#"branches = ["main", "release-*"]
next-dev = "minor"
[[package]]
name = "a"
changelog = false
previous-tags = ["python-v{version}"]
next-dev = false
[[package]]
name = "b"
changelog = "b/CHANGES.md"
next-dev = "patch"
[[package]]
name = "c"
"#,
        )
        .unwrap();
        assert_eq!(config.branch, "main");
        assert_eq!(config.branches, ["main", "release-*"]);
        assert_eq!(config.next_dev, Some(Level::Minor));
        let [a, b, c] = &config.packages[..] else {
            panic!("three packages")
        };
        assert_eq!(
            (a.no_changelog, &a.changelog, a.next_dev),
            (true, &None, Some(None))
        );
        assert_eq!(
            a.previous_tags.as_deref(),
            Some(&["python-v{version}".to_string()][..])
        );
        assert_eq!(b.next_dev, Some(Some(Level::Patch)));
        assert_eq!(
            (b.no_changelog, b.changelog.as_deref()),
            (false, Some("b/CHANGES.md"))
        );
        assert_eq!((c.next_dev, c.previous_tags.as_ref()), (None, None));
        assert_eq!(from_table(None, "x").unwrap().next_dev, None);
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            (
                "brnch = \"main\"",
                "release.toml: unknown key `brnch`: the keys are branch, branches, remote, mode, exclude-types, ignore-tags, commit-message, tag-message, pr-commit-message, pr-branch, dependent-version, pre-start, changes, next-dev, package, registries",
            ),
            (
                "dependent-version = \"bump\"",
                "release.toml: `dependent-version = \"bump\"` is unknown: use \"upgrade\" (pins move with the crate) or \"fix\" (pins move only when the new version leaves them)",
            ),
            (
                "pre-start = 2",
                "release.toml: `pre-start = 2` is unknown: use 0 (a train starts at rc.0) or 1 (at rc.1, the default)",
            ),
            (
                "pre-start = \"0\"",
                "release.toml: `pre-start` must be the number 0 or 1",
            ),
            (
                "[[package]]\nname = \"a\"\npre-start = -1",
                "release.toml package #1 (`a`): `pre-start = -1` is unknown: use 0 (a train starts at rc.0) or 1 (at rc.1, the default)",
            ),
            (
                "mode = \"yolo\"",
                "release.toml: `mode = \"yolo\"` is unknown: use \"tag\" or \"pr\"",
            ),
            ("branch = 1", "release.toml: `branch` must be a string"),
            (
                "changes = \"./\"",
                "release.toml: `changes = \"./\"` must name a folder of its own, relative to the root: e.g. changes = \".changes\"",
            ),
            (
                "pr-branch = \"release/v{version}\"",
                "release.toml: `pr-branch = \"release/v{version}\"` must be a stable branch name without placeholders, so one release pull request stays open and is updated: e.g. pr-branch = \"release/next\"",
            ),
            (
                "pr-branch = \"main\"",
                "release.toml: `pr-branch = \"main\"` must name a branch of its own, not the release branch `main`: e.g. pr-branch = \"release/next\"",
            ),
            (
                "[[package]]\nflag = \"x\"",
                "release.toml package #1: `name` is missing: add the Cargo package name, e.g. name = \"my-crate\"",
            ),
            (
                "[[package]]\nname = \"a\"\ntags = \"v\"",
                "release.toml package #1 (`a`): unknown key `tags`: the keys are name, manifest, flag, tag, previous-tags, changelog, pyproject, paths, crates, mentions, wheels, pre-start, fragments, next-dev",
            ),
            (
                "[[package]]\nname = \"a\"\npaths = [1]",
                "release.toml package #1 (`a`): `paths` must be an array of strings",
            ),
            (
                "[[package]]\nname = \"a\"\nmentions = [{ file = \"x\" }]",
                "release.toml package #1 (`a`): each mention needs `file` and `pattern` strings, or `file` and `key` (a dotted key of a TOML or JSON file)",
            ),
            (
                "next-dev = \"major\"",
                "release.toml: `next-dev = \"major\"` is unknown: use \"minor\" (0.8.0 is followed by 0.9.0-dev.0), \"patch\" (by 0.8.1-dev.0) or false",
            ),
            (
                "[[package]]\nname = \"a\"\nchangelog = true",
                "release.toml package #1 (`a`): `changelog` must be a path (changelog = \"CHANGELOG.md\") or false, for a package that keeps no changelog",
            ),
            (
                "[[package]]\nname = \"a\"\nprevious-tags = \"python-v{version}\"",
                "release.toml package #1 (`a`): `previous-tags` must be an array of strings",
            ),
            (
                "branches = [\"main\", \"release-*\"]\npr-branch = \"release-next\"",
                "release.toml: `pr-branch = \"release-next\"` must name a branch of its own, not one releases run on (`branches` entry `release-*`): e.g. pr-branch = \"release/next\"",
            ),
            (
                "package = 3",
                "release.toml: `package` must be an array of tables: write `[[…package]]` sections",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), message, "{text}");
        }
    }
}
