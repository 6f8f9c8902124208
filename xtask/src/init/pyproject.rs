//! What a `pyproject.toml` says that `init` uses: its build backend, its
//! project's name, whether maturin takes the version from Cargo.toml, and
//! towncrier's fragment folder. Pure.

use crate::text::toml;

/// What a `pyproject.toml` says that matters here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pyproject {
    pub maturin: bool,
    pub name: Option<String>,
    /// `dynamic = ["version"]`: maturin takes Cargo.toml's.
    pub dynamic: bool,
    /// towncrier's `[tool.towncrier] directory`, relative to the file.
    pub towncrier: Option<String>,
}

pub fn pyproject(text: &str) -> Pyproject {
    let Ok(doc) = toml::parse("pyproject.toml", text) else {
        return Pyproject::default();
    };
    let str_at = |keys: &[&str]| {
        toml::get_value(doc.as_item(), keys)
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    let dynamic = toml::get_value(doc.as_item(), &["project", "dynamic"])
        .and_then(|v| v.as_array())
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("version")));
    Pyproject {
        maturin: str_at(&["build-system", "build-backend"]).as_deref() == Some("maturin"),
        name: str_at(&["project", "name"]),
        dynamic,
        towncrier: str_at(&["tool", "towncrier", "directory"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pyproject_says_its_backend_name_version_and_fragments() {
        let text = "[build-system]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"safebind\"\ndynamic = [\"version\"]\n\n[tool.towncrier]\ndirectory = \"newsfragments\"\n";
        assert_eq!(
            pyproject(text),
            Pyproject {
                maturin: true,
                name: Some("safebind".into()),
                dynamic: true,
                towncrier: Some("newsfragments".into()),
            }
        );
        let setuptools = "[build-system]\nbuild-backend = \"setuptools.build_meta\"\n[project]\nversion = \"1.0\"\n";
        assert!(!pyproject(setuptools).maturin);
        assert_eq!(pyproject("[broken"), Pyproject::default());
    }
}
