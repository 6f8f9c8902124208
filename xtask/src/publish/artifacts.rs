//! What a Python release must show on its index before it counts as
//! published: the sdist, and for each configured wheel pattern a wheel of
//! that version whose tags match it, none of them yanked (PEP 592). Pure:
//! the index's file list in, the missing artifacts out.

use crate::publish::registry::{IndexFile, file_version, normalize};
use crate::text::tags::glob_match;

/// The artifacts of `project` `version` (as the index spells it) that `files`
/// lack, each as a file name or a pattern of one, `(yanked)` when only a
/// yanked file matches. Empty: the release is complete on this index.
pub fn missing(
    project: &str,
    version: &str,
    files: &[IndexFile],
    wheels: &[String],
) -> Vec<String> {
    let ours: Vec<&IndexFile> = files
        .iter()
        .filter(|f| file_version(project, &f.name).as_deref() == Some(version))
        .collect();
    let dist = normalize(project).replace('-', "_");
    let sdist = format!("{dist}-{version}.tar.gz");
    let mut out = Vec::new();
    let sdists = ours
        .iter()
        .filter(|f| f.name.ends_with(".tar.gz") || f.name.ends_with(".zip"));
    note(&mut out, &sdist, sdists.copied());
    for pattern in wheels {
        let name = format!("{dist}-{version}-{pattern}.whl");
        let wheels = ours.iter().filter(|f| wheel_matches(&f.name, pattern));
        note(&mut out, &name, wheels.copied());
    }
    out
}

/// Of the files built for `project` `version` (`built`, file names), those
/// the index's `files` lack, which `publish py` uploads: an sdist only when
/// the index lists no sdist of the version (as [`missing`] judges it; an
/// index takes one per release), a wheel only when it lists no file of its
/// name, spelled as the index may spell it (the project part normalized,
/// any case). Yanked files count: an index never takes a file name twice.
pub fn not_listed<'a>(
    project: &str,
    version: &str,
    built: &'a [String],
    files: &[IndexFile],
) -> Vec<&'a String> {
    let key = |name: &str| match name.split_once('-') {
        Some((dist, rest)) => format!("{}-{}", normalize(dist), rest.to_lowercase()),
        None => name.to_lowercase(),
    };
    let is_sdist = |name: &str| name.ends_with(".tar.gz") || name.ends_with(".zip");
    let ours = |f: &&IndexFile| file_version(project, &f.name).as_deref() == Some(version);
    let sdist_listed = files.iter().filter(ours).any(|f| is_sdist(&f.name));
    built
        .iter()
        .filter(|b| match is_sdist(b) {
            true => !sdist_listed,
            false => !files.iter().any(|f| key(&f.name) == key(b)),
        })
        .collect()
}

/// Adds `name` to `out` unless one of `found` is there and not yanked.
fn note<'a>(out: &mut Vec<String>, name: &str, found: impl Iterator<Item = &'a IndexFile>) {
    let found: Vec<&IndexFile> = found.collect();
    if found.iter().all(|f| f.yanked) {
        out.push(match found.is_empty() {
            true => name.to_string(),
            false => format!("{name} (yanked)"),
        });
    }
}

/// Whether wheel file `name` has a `PYTHON-ABI-PLATFORM` tag triple that
/// `pattern` matches; compressed tag sets (`cp38.cp39`, `manylinux_2_17_x86_64.manylinux2014_x86_64`)
/// give one triple each.
fn wheel_matches(name: &str, pattern: &str) -> bool {
    let Some(stem) = name.strip_suffix(".whl") else {
        return false;
    };
    let parts: Vec<&str> = stem.split('-').collect();
    let [.., python, abi, platform] = parts.as_slice() else {
        return false;
    };
    if parts.len() < 5 {
        return false;
    }
    python.split('.').any(|py| {
        abi.split('.').any(|abi| {
            platform
                .split('.')
                .any(|plat| glob_match(pattern, &format!("{py}-{abi}-{plat}")))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::wheels::DEFAULT_WHEELS;

    fn files(names: &[&str]) -> Vec<IndexFile> {
        names
            .iter()
            .map(|n| IndexFile {
                name: n.trim_end_matches(" yanked").to_string(),
                yanked: n.ends_with(" yanked"),
            })
            .collect()
    }

    fn defaults() -> Vec<String> {
        DEFAULT_WHEELS.map(String::from).to_vec()
    }

    const COMPLETE: [&str; 8] = [
        "edgequake_litellm-0.1.0.tar.gz",
        "edgequake_litellm-0.1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "edgequake_litellm-0.1.0-cp39-abi3-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
        "edgequake_litellm-0.1.0-cp39-abi3-musllinux_1_2_x86_64.whl",
        "edgequake_litellm-0.1.0-cp39-abi3-musllinux_1_2_aarch64.whl",
        "edgequake_litellm-0.1.0-cp39-abi3-macosx_10_12_x86_64.whl",
        "edgequake_litellm-0.1.0-cp39-abi3-macosx_11_0_arm64.whl",
        "edgequake_litellm-0.1.0-cp39-abi3-win_amd64.whl",
    ];

    #[test]
    fn globs_match_whole_texts() {
        for (pattern, text, expected) in [
            ("*", "", true),
            ("*-abi3-win_amd64", "cp39-abi3-win_amd64", true),
            ("*-abi3-win_amd64", "cp39-abi3-win32", false),
            (
                "*-abi3-manylinux*_x86_64",
                "cp39-abi3-manylinux_2_17_x86_64",
                true,
            ),
            (
                "*-abi3-manylinux*_x86_64",
                "cp39-abi3-musllinux_1_2_x86_64",
                false,
            ),
            ("*-abi3-macosx_*_arm64", "cp39-abi3-macosx_11_0_arm64", true),
            ("cp3?-*", "cp39-abi3-any", true),
            ("cp3?-*", "cp310-abi3-any", false),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ] {
            assert_eq!(glob_match(pattern, text), expected, "{pattern} on {text}");
        }
    }

    #[test]
    fn a_complete_release_misses_nothing() {
        let all = files(&COMPLETE);
        assert_eq!(
            missing("edgequake-litellm", "0.1.0", &all, &defaults()),
            Vec::<String>::new()
        );
        // Other versions and other projects on the page change nothing.
        let mut more = all.clone();
        more.extend(files(&[
            "edgequake_litellm-0.0.9-cp39-abi3-win_amd64.whl",
            "other-0.1.0.tar.gz",
        ]));
        assert!(missing("Edgequake_LiteLLM", "0.1.0", &more, &defaults()).is_empty());
    }

    #[test]
    fn a_missing_wheel_or_sdist_is_named() {
        let without_windows = files(&COMPLETE[..7]);
        assert_eq!(
            missing("edgequake-litellm", "0.1.0", &without_windows, &defaults()),
            ["edgequake_litellm-0.1.0-*-abi3-win_amd64.whl"]
        );
        let without_sdist = files(&COMPLETE[1..]);
        assert_eq!(
            missing("edgequake-litellm", "0.1.0", &without_sdist, &defaults()),
            ["edgequake_litellm-0.1.0.tar.gz"]
        );
        // A wheel of another ABI does not stand in for the abi3 one.
        let cp312 = files(&[
            COMPLETE[0],
            "edgequake_litellm-0.1.0-cp312-cp312-win_amd64.whl",
        ]);
        let wanted = vec!["*-abi3-win_amd64".to_string()];
        assert_eq!(
            missing("edgequake-litellm", "0.1.0", &cp312, &wanted),
            ["edgequake_litellm-0.1.0-*-abi3-win_amd64.whl"]
        );
    }

    #[test]
    fn yanked_files_do_not_count() {
        let yanked: Vec<String> = COMPLETE.iter().map(|n| format!("{n} yanked")).collect();
        let yanked: Vec<&str> = yanked.iter().map(String::as_str).collect();
        let found = missing("edgequake-litellm", "0.1.0", &files(&yanked), &defaults());
        assert_eq!(found.len(), 8, "{found:?}");
        assert_eq!(found[0], "edgequake_litellm-0.1.0.tar.gz (yanked)");
        // One good copy of a file is enough.
        let mut mixed = files(&COMPLETE);
        mixed.push(IndexFile {
            name: COMPLETE[7].into(),
            yanked: true,
        });
        assert!(missing("edgequake-litellm", "0.1.0", &mixed, &defaults()).is_empty());
    }

    #[test]
    fn publish_uploads_only_what_the_index_does_not_list() {
        let built: Vec<String> = [
            "demo_py-0.2.0.tar.gz",
            "demo_py-0.2.0-cp39-abi3-manylinux_2_34_x86_64.whl",
        ]
        .map(String::from)
        .to_vec();
        let upload = |listed: &[&str]| not_listed("demo-py", "0.2.0", &built, &files(listed));
        assert_eq!(upload(&[]), [&built[0], &built[1]]);
        // Half published: the sdist and another platform's wheel.
        assert_eq!(
            upload(&[
                "demo_py-0.2.0.tar.gz",
                "demo_py-0.2.0-cp39-abi3-win_amd64.whl"
            ]),
            [&built[1]]
        );
        // Spelled as an older tool named them, or yanked: there all the same.
        assert!(
            upload(&[
                "Demo.Py-0.2.0.zip",
                "Demo_Py-0.2.0-cp39-abi3-manylinux_2_34_x86_64.whl yanked"
            ])
            .is_empty()
        );
        // Another version's sdist is no stand-in.
        assert_eq!(upload(&["demo_py-0.1.0.tar.gz"]).len(), 2);
    }

    #[test]
    fn any_wheel_is_a_pattern_too() {
        let local = files(&[
            "demo_py-0.2.0.tar.gz",
            "demo_py-0.2.0-cp39-abi3-manylinux_2_34_x86_64.whl",
        ]);
        assert!(missing("demo-py", "0.2.0", &local, &["*".to_string()]).is_empty());
        assert_eq!(
            missing("demo-py", "0.2.0", &local[..1], &["*".to_string()]),
            ["demo_py-0.2.0-*.whl"]
        );
    }
}
