//! The yardstick of the cold build: a crate with the xtask's direct
//! dependencies at the versions its manifest asks for, with their default
//! features, and a `main` that touches each. What building the xtask costs
//! beyond what its dependencies cost anyone who takes them naively.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use super::inputs::{Inputs, write_tree};

/// The folder of the naive crate, generated (with its lock and its
/// dependencies fetched, so no run times the network) when missing.
pub fn ensure(inputs: &Inputs, sh: &Shell) -> Result<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let deps = dependencies(&text)?;
    let key: Vec<String> = deps.iter().map(|(n, v)| format!("{n}={v}")).collect();
    inputs.ensure("naive-crate", &key.join(","), |dir| {
        write_tree(
            dir,
            &[
                ("Cargo.toml".into(), manifest_text(&deps)),
                ("src/main.rs".into(), MAIN.into()),
            ],
        )?;
        let _dir = sh.push_dir(dir);
        cmd!(sh, "cargo generate-lockfile -q").run()?;
        cmd!(sh, "cargo fetch -q").run()?;
        Ok(())
    })
}

/// `(name, version requirement)` of each `[dependencies]` entry.
fn dependencies(manifest: &str) -> Result<Vec<(String, String)>> {
    let doc: toml_edit::DocumentMut = manifest.parse().context("xtask/Cargo.toml")?;
    let Some(table) = doc.get("dependencies").and_then(|d| d.as_table_like()) else {
        bail!("xtask/Cargo.toml has no [dependencies]");
    };
    table
        .iter()
        .map(|(name, item)| {
            let version = item
                .as_str()
                .or_else(|| item.get("version").and_then(|v| v.as_str()))
                .with_context(|| format!("xtask/Cargo.toml: dependency `{name}` has no version"))?;
            Ok((name.to_string(), version.to_string()))
        })
        .collect()
}

fn manifest_text(deps: &[(String, String)]) -> String {
    let mut out = String::from(
        "[package]\nname = \"naive\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n# Not a member of the repository's workspace.\n[workspace]\n\n[dependencies]\n",
    );
    for (name, version) in deps {
        out.push_str(&format!("{name} = \"{version}\"\n"));
    }
    out
}

const MAIN: &str = r#"fn main() -> anyhow::Result<()> {
    let matches = clap::Command::new("naive").arg(clap::Arg::new("x")).get_matches();
    let sh = xshell::Shell::new()?;
    let version = semver::Version::parse("1.2.3")?;
    let digits = regex::Regex::new(r"\d+")?;
    let date = chrono::NaiveDate::parse_from_str("2026-01-02", "%Y-%m-%d")?;
    let doc: toml_edit::DocumentMut = "a = 1".parse()?;
    let _ = xshell::cmd!(sh, "true").read();
    println!("{matches:?} {version} {digits} {date} {doc}");
    Ok(())
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dependencies_are_the_manifests_with_default_features() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nanyhow = \"1.0.86\"\nclap = { version = \"4.5\", default-features = false, features = [\"std\"] }\n";
        let deps = dependencies(manifest).unwrap();
        assert_eq!(
            deps,
            [
                ("anyhow".into(), "1.0.86".into()),
                ("clap".into(), "4.5".into())
            ]
        );
        let text = manifest_text(&deps);
        assert!(
            text.ends_with("[dependencies]\nanyhow = \"1.0.86\"\nclap = \"4.5\"\n"),
            "{text}"
        );
        assert!(text.contains("\n[workspace]\n"), "{text}");
        assert!(dependencies("[package]\n").is_err());
    }
}
