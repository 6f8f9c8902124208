//! Another release tool's configuration, read as its tool reads it, so
//! `init` can carry over what it says: cargo-release's
//! (`[package.metadata.release]` of a crate, its folder's `release.toml`,
//! then `[workspace.metadata.release]` and the root's `release.toml`, in
//! that order of precedence) and release-plz's (`release-plz.toml` or
//! `.release-plz.toml`: `[workspace]`, then each `[[package]]`). Pure.

use std::collections::BTreeMap;

use toml_edit::{Document, Item, TableLike};

use crate::model::package::rel_join;

/// One crate's settings of either tool (only the keys `init` carries over).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// cargo-release `tag-name`, release-plz `git_tag_name`.
    pub tag_name: Option<String>,
    pub tag_prefix: Option<String>,
    pub tag_message: Option<String>,
    pub allow_branch: Option<Vec<String>>,
    /// `shared-version`: `true`, or the name of a set of crates.
    pub shared_version: Option<String>,
    pub dependent_version: Option<String>,
    pub sign_tag: Option<bool>,
    pub sign_commit: Option<bool>,
    pub push_remote: Option<String>,
    pub registry: Option<String>,
    /// cargo-release `release`, release-plz `release`: `false` leaves the crate out.
    pub release: Option<bool>,
    pub publish: Option<bool>,
    /// cargo-release `tag`, release-plz `git_tag_enable`.
    pub tag: Option<bool>,
    pub replacements: Vec<Replacement>,
    /// release-plz `changelog_path`.
    pub changelog: Option<String>,
    /// release-plz `changelog_update`.
    pub changelog_update: Option<bool>,
}

/// A cargo-release `pre-release-replacements` entry; `file` is relative to
/// the crate's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub file: String,
    pub search: String,
    pub replace: String,
}

/// What one tool says, for each crate by name.
#[derive(Debug, Clone, Default)]
pub struct Tool {
    /// Its name: `cargo-release`, `release-plz`.
    pub name: &'static str,
    /// Where it was read, for the header (`Cargo.toml [workspace.metadata.release]`).
    pub sources: Vec<String>,
    pub crates: BTreeMap<String, Settings>,
}

impl Settings {
    /// `self`, with what it leaves unset taken from `under`.
    fn over(mut self, under: &Settings) -> Settings {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = under.$f.clone(); } )* };
        }
        fill!(
            tag_name,
            tag_prefix,
            tag_message,
            allow_branch,
            shared_version,
            dependent_version,
            sign_tag,
            sign_commit,
            push_remote,
            registry,
            release,
            publish,
            tag,
            changelog,
            changelog_update
        );
        if self.replacements.is_empty() {
            self.replacements = under.replacements.clone();
        }
        self
    }
}

fn string(t: &dyn TableLike, key: &str) -> Option<String> {
    t.get(key)?.as_str().map(String::from)
}

fn boolean(t: &dyn TableLike, key: &str) -> Option<bool> {
    t.get(key)?.as_bool()
}

/// cargo-release's keys of the table `t`.
fn cargo_release_table(t: &dyn TableLike) -> Settings {
    let replacements = t
        .get("pre-release-replacements")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| {
                    let e = v.as_inline_table()?;
                    let field = |k: &str| e.get(k)?.as_str().map(String::from);
                    Some(Replacement {
                        file: field("file")?,
                        search: field("search")?,
                        replace: field("replace")?,
                    })
                })
                .collect()
        })
        .or_else(|| {
            // `[[package.metadata.release.pre-release-replacements]]` tables.
            let tables = t.get("pre-release-replacements")?.as_array_of_tables()?;
            Some(
                tables
                    .iter()
                    .filter_map(|e| {
                        Some(Replacement {
                            file: string(e, "file")?,
                            search: string(e, "search")?,
                            replace: string(e, "replace")?,
                        })
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    let shared = t.get("shared-version").and_then(|v| match v.as_bool() {
        Some(true) => Some("true".to_string()),
        Some(false) => None,
        None => v.as_str().map(String::from),
    });
    Settings {
        tag_name: string(t, "tag-name"),
        tag_prefix: string(t, "tag-prefix"),
        tag_message: string(t, "tag-message"),
        allow_branch: t.get("allow-branch").and_then(|v| {
            v.as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
        }),
        shared_version: shared,
        dependent_version: string(t, "dependent-version"),
        sign_tag: boolean(t, "sign-tag"),
        sign_commit: boolean(t, "sign-commit"),
        push_remote: string(t, "push-remote"),
        registry: string(t, "registry"),
        release: boolean(t, "release"),
        publish: boolean(t, "publish"),
        tag: boolean(t, "tag"),
        replacements,
        ..Settings::default()
    }
}

fn parse(text: &str) -> Option<Document<String>> {
    text.parse::<Document<String>>().ok()
}

/// The table at `keys` of the TOML `text`, read as cargo-release's.
fn table_at(text: &str, keys: &[&str]) -> Option<Settings> {
    let doc = parse(text)?;
    let item = match keys {
        [] => doc.as_item(),
        _ => crate::text::toml::get_item(doc.as_item(), keys)?,
    };
    Some(cargo_release_table(item.as_table_like()?))
}

/// cargo-release's settings for each crate `(name, folder, manifest)`;
/// `None` when the repository has no cargo-release configuration.
pub fn cargo_release(
    files: &BTreeMap<String, String>,
    crates: &[(String, String, String)],
) -> Option<Tool> {
    let text = |p: &str| files.get(p).map(String::as_str);
    let mut sources = Vec::new();
    let mut layer = |found: Option<Settings>, shown: String| {
        if found.is_some() {
            sources.push(shown);
        }
        found.unwrap_or_default()
    };
    let root_table =
        text("Cargo.toml").and_then(|t| table_at(t, &["workspace", "metadata", "release"]));
    let root_table = layer(root_table, "Cargo.toml [workspace.metadata.release]".into());
    let root_file = text("release.toml").and_then(|t| table_at(t, &[]));
    let root_file = layer(root_file, "release.toml".into());
    let workspace = root_table.over(&root_file);
    let mut out = BTreeMap::new();
    for (name, dir, manifest) in crates {
        let own_table =
            text(manifest).and_then(|t| table_at(t, &["package", "metadata", "release"]));
        let own_table = layer(own_table, format!("{manifest} [package.metadata.release]"));
        let own_file = match dir.as_str() {
            "." => None,
            _ => text(&rel_join(dir, "release.toml")).and_then(|t| table_at(t, &[])),
        };
        let own_file = layer(own_file, rel_join(dir, "release.toml"));
        out.insert(name.clone(), own_table.over(&own_file).over(&workspace));
    }
    (!sources.is_empty()).then_some(Tool {
        name: "cargo-release",
        sources,
        crates: out,
    })
}

/// release-plz's keys of the table `t`.
fn release_plz_table(t: &dyn TableLike) -> Settings {
    Settings {
        tag_name: string(t, "git_tag_name"),
        tag: boolean(t, "git_tag_enable"),
        changelog: string(t, "changelog_path"),
        changelog_update: boolean(t, "changelog_update"),
        release: boolean(t, "release"),
        publish: boolean(t, "publish"),
        ..Settings::default()
    }
}

/// release-plz's settings for each crate of `names`; `None` without its file.
pub fn release_plz(files: &BTreeMap<String, String>, names: &[String]) -> Option<Tool> {
    let (path, text) = ["release-plz.toml", ".release-plz.toml"]
        .into_iter()
        .find_map(|p| Some((p, files.get(p)?)))?;
    let doc = parse(text)?;
    let workspace = doc
        .get("workspace")
        .and_then(Item::as_table_like)
        .map(release_plz_table)
        .unwrap_or_default();
    let entries: Vec<&toml_edit::Table> = doc
        .get("package")
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let crates = names
        .iter()
        .map(|name| {
            let own = entries
                .iter()
                .find(|e| string(**e, "name").as_deref() == Some(name.as_str()))
                .map(|e| release_plz_table(*e as &dyn TableLike))
                .unwrap_or_default();
            (name.clone(), own.over(&workspace))
        })
        .collect();
    Some(Tool {
        name: "release-plz",
        sources: vec![path.to_string()],
        crates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    fn crates() -> Vec<(String, String, String)> {
        [("core", "core"), ("core-macros", "macros")]
            .map(|(n, d)| (n.to_string(), d.to_string(), format!("{d}/Cargo.toml")))
            .to_vec()
    }

    #[test]
    fn cargo_release_layers_a_crates_settings_over_the_workspaces() {
        let root = "[workspace]\nmembers = [\"core\", \"macros\"]\n\n[workspace.metadata.release]\nallow-branch = [\"main\"]\nsign-tag = true\nshared-version = true\ntag-name = \"v{{version}}\"\npre-release-replacements = [\n  { file = \"README.md\", search = \"core = .*\", replace = \"{{crate_name}} = \\\"{{version}}\\\"\" },\n]\n";
        let macros = "[package]\nname = \"core-macros\"\nversion = \"1.0.0\"\n\n[package.metadata.release]\nrelease = false\n";
        let files = files(&[
            ("Cargo.toml", root),
            ("macros/Cargo.toml", macros),
            (
                "core/release.toml",
                "tag-prefix = \"\"\ndependent-version = \"fix\"\n",
            ),
        ]);
        let tool = cargo_release(&files, &crates()).unwrap();
        assert_eq!(
            tool.sources,
            [
                "Cargo.toml [workspace.metadata.release]",
                "core/release.toml",
                "macros/Cargo.toml [package.metadata.release]"
            ]
        );
        let core = &tool.crates["core"];
        assert_eq!(core.tag_name.as_deref(), Some("v{{version}}"));
        assert_eq!(core.tag_prefix.as_deref(), Some(""));
        assert_eq!(core.dependent_version.as_deref(), Some("fix"));
        assert_eq!(
            core.allow_branch.as_deref(),
            Some(&["main".to_string()][..])
        );
        assert_eq!(
            (core.sign_tag, core.shared_version.as_deref()),
            (Some(true), Some("true"))
        );
        assert_eq!(
            core.replacements[0].replace,
            "{{crate_name}} = \"{{version}}\""
        );
        assert_eq!(tool.crates["core-macros"].release, Some(false));
        assert!(cargo_release(&BTreeMap::new(), &crates()).is_none());
    }

    #[test]
    fn release_plz_packages_override_its_workspace() {
        let text = "[workspace]\ngit_tag_name = \"{{ package }}-v{{ version }}\"\nchangelog_update = false\n\n[[package]]\nname = \"core\"\ngit_tag_name = \"v{{ version }}\"\nchangelog_path = \"docs/CHANGELOG.md\"\n";
        let files = files(&[("release-plz.toml", text)]);
        let names = ["core".to_string(), "core-macros".to_string()];
        let tool = release_plz(&files, &names).unwrap();
        assert_eq!(
            tool.crates["core"].tag_name.as_deref(),
            Some("v{{ version }}")
        );
        assert_eq!(
            tool.crates["core"].changelog.as_deref(),
            Some("docs/CHANGELOG.md")
        );
        assert_eq!(tool.crates["core"].changelog_update, Some(false));
        assert_eq!(
            tool.crates["core-macros"].tag_name.as_deref(),
            Some("{{ package }}-v{{ version }}")
        );
    }
}
