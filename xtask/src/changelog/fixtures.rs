//! Real-world changelog shapes shared by the tests.

/// A crate changelog: Unreleased on top, one link at the bottom.
pub const CRATE: &str = "\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

### Added

- Streaming retries for the OpenAI provider

### Fixed

## [0.6.26] - 2026-04-04

### Added

- `LLMProvider::embed_batch`

### Fixed

- Timeouts on slow networks

## [0.1.0] - 2025-01-10

### Added

- First release

[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0
";

/// A Python package changelog: no Unreleased, PEP 440 versions, no links.
pub const PYTHON: &str = "\
# Changelog

## [0.4.0] - 2026-04-04

### Added

- Async completion API

## [0.4.0rc1] - 2026-03-01

### Added

- Release candidate

## [0.3.0] - 2026-01-15

- Initial package
";

/// An llmsim-style changelog: generated What's Changed lists, compare links.
pub const LLMSIM: &str = "\
# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### What's Changed

- Add tool calls ([#14](https://github.com/chaliy/llmsim/pull/14)) by @chaliy

## [0.2.0] - 2026-02-01

### Breaking Changes

- Rename `Sim` to `Simulator`

### What's Changed

- Add streaming ([#12](https://github.com/chaliy/llmsim/pull/12)) by @chaliy

**Full Changelog**: https://github.com/chaliy/llmsim/compare/v0.1.0...v0.2.0

## [0.1.0] - 2026-01-01

### What's Changed

- Initial release by @chaliy

[Unreleased]: https://github.com/chaliy/llmsim/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/chaliy/llmsim/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/chaliy/llmsim/releases/tag/v0.1.0
";

/// A generated changelog of about 5 MB, for the speed tests: sections of
/// eight entries as long as real ones, and a code sample in each.
pub fn big() -> String {
    let entry = "- Support streaming responses from the provider when the model allows it ([#123](https://github.com/o/r/pull/123)) by @someone\n";
    let mut text = String::from("# Changelog\n\n## [Unreleased]\n\n- Next\n\n");
    let mut minor = 100_000u64;
    while text.len() < 5_000_000 {
        text.push_str(&format!("## [1.{minor}.0] - 2020-01-01\n\n### Added\n\n"));
        for _ in 0..8 {
            text.push_str(entry);
        }
        text.push_str("\n```md\n## not a heading\n```\n\n");
        minor -= 1;
    }
    text.push_str("[Unreleased]: https://github.com/o/r/compare/v1.100000.0...HEAD\n");
    text
}

/// cargo-release's template: a placeholder date under `<!-- next-header -->`,
/// compare links under `<!-- next-url -->`.
pub const CARGO_RELEASE: &str = "\
# Changelog

<!-- next-header -->

## [Unreleased] - ReleaseDate

### Added

- A `--quiet` flag

## [0.2.0] - 2024-03-01

### Fixed

- Exit code on empty input

## [0.1.0] - 2024-01-15

- Initial version

<!-- next-url -->
[Unreleased]: https://github.com/o/tool/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/o/tool/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/o/tool/releases/tag/v0.1.0
";

/// release-plz and git-cliff: the compare link inside the heading, no
/// definitions.
pub const HEADING_LINKS: &str = "\
# Changelog

## [Unreleased]

### Fixed

- Handle a missing config file

## [0.3.1](https://github.com/o/plz/compare/v0.3.0...v0.3.1) - 2024-05-02

### Fixed

- Retry on timeouts

## [0.3.0](https://github.com/o/plz/releases/tag/v0.3.0) - 2024-04-01

### Added

- First public version
";

/// knope: bare versions, the date in parentheses, no Unreleased.
pub const KNOPE: &str = "\
# Changelog

## 1.2.0 (2024-06-01)

### Features

- Parse config from the environment

## 1.1.0 (2024-05-01)

### Fixes

- Keep file permissions
";

/// `v`-prefixed headings without dates, `*` bullets, newest entries first.
pub const V_UNDATED: &str = "\
# Release history

## Unreleased

* Faster startup (#51)

## v2.1.0

* Add the `serve` command (#48)
* Document plugins (#45)

## v2.0.0

* Drop Python 3.8 (#40)
* New config format (#38)
";

/// Oldest first, `[Unreleased]` at the bottom, links in the same order.
pub const OLDEST_FIRST: &str = "\
# History

## [0.1.0] - 2023-01-10

- First cut

## [0.2.0] - 2023-02-20

- Second cut

## [Unreleased]

- Third cut

[0.1.0]: https://github.com/o/old/releases/tag/v0.1.0
[0.2.0]: https://github.com/o/old/compare/v0.1.0...v0.2.0
[Unreleased]: https://github.com/o/old/compare/v0.2.0...HEAD
";

/// Bracketed `v` labels with only release links, the lone-link shape of
/// many crate changelogs that was refused after a release.
pub const V_BRACKETED: &str = "\
# Changelog

## [Unreleased]

- Smaller binary

## [v0.6.26] - 2026-04-04

- Timeouts on slow networks

## [v0.6.25] - 2026-03-01

- Embeddings

## [v0.1.0] - 2025-01-10

- First release

[v0.1.0]: https://github.com/o/r/releases/tag/v0.1.0
";

/// GitHub's generated release notes pasted into each section: `## What's
/// Changed` and `## New Contributors` inside a release, `*` bullets, and a
/// `##` heading in the introduction.
pub const GITHUB_NOTES: &str = "\
# Changelog

Release notes of gh-demo, newest first. From 0.3.0 on, each section also
holds the notes GitHub generated for the release.

## About the versions

The crate follows Semantic Versioning; the README tells which versions get fixes.

## [Unreleased]

### Fixed

- Reconnect after a dropped stream

## [0.4.0] - 2026-03-02

Streaming lands, and retries back off.

## What's Changed
* feat(core): stream responses by @ann in https://github.com/o/gh/pull/31
* fix: back off between retries by @bo in https://github.com/o/gh/pull/33
* docs: a streaming guide by @cy in https://github.com/o/gh/pull/34

## New Contributors
* @cy made their first contribution in https://github.com/o/gh/pull/34

**Full Changelog**: https://github.com/o/gh/compare/v0.3.0...v0.4.0

## [0.3.0] - 2026-01-20

## What's Changed
* feat: a config file by @ann in https://github.com/o/gh/pull/21

**Full Changelog**: https://github.com/o/gh/compare/v0.2.0...v0.3.0

## [0.2.0] - 2025-11-04

### Added

- Retries

[Unreleased]: https://github.com/o/gh/compare/v0.4.0...HEAD
[0.4.0]: https://github.com/o/gh/compare/v0.3.0...v0.4.0
[0.3.0]: https://github.com/o/gh/compare/v0.2.0...v0.3.0
[0.2.0]: https://github.com/o/gh/releases/tag/v0.2.0
";

/// Yanked releases in the forms files use: Keep a Changelog's
/// `- DATE [YANKED]`, a bare `YANKED`, and `(yanked)` on an unbracketed
/// heading.
pub const YANKED: &str = "\
# Changelog

## [Unreleased]

- Faster startup

## [0.13.0] - 2026-02-10

- A plugin API

## [0.12.1] - 2026-01-05

- Fix the crash 0.12.0 shipped

## [0.12.0] YANKED

- A crash on start

## [0.11.0] - 2025-12-01 [YANKED]

- Broken wheels

## 0.10.1 (yanked)

- The wrong license file

## [0.10.0] - 2025-10-01

- First release

[Unreleased]: https://github.com/o/y/compare/v0.13.0...HEAD
[0.13.0]: https://github.com/o/y/compare/v0.12.1...v0.13.0
[0.12.1]: https://github.com/o/y/compare/v0.12.0...v0.12.1
[0.12.0]: https://github.com/o/y/compare/v0.11.0...v0.12.0
[0.11.0]: https://github.com/o/y/compare/v0.10.1...v0.11.0
[0.10.0]: https://github.com/o/y/releases/tag/v0.10.0
";

/// Every dialect, with the tag template its file implies, for table tests.
pub const DIALECTS: [(&str, &str); 11] = [
    ("crate", CRATE),
    ("python", PYTHON),
    ("llmsim", LLMSIM),
    ("cargo-release", CARGO_RELEASE),
    ("heading-links", HEADING_LINKS),
    ("knope", KNOPE),
    ("v-undated", V_UNDATED),
    ("oldest-first", OLDEST_FIRST),
    ("v-bracketed", V_BRACKETED),
    ("github-notes", GITHUB_NOTES),
    ("yanked", YANKED),
];
