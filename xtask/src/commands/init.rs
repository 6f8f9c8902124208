//! `cargo xtask init [--write]`: the release configuration this repository
//! suggests, printed with the reason of each guess; judged as the other
//! commands would read it (the model, `check`'s problems) before anything
//! is written; `--write` writes it to `xtask-release.toml` at the root,
//! never over a configuration that is there.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::adapters::git;
use crate::checks::{problems, validate};
use crate::cli::flags::Init;
use crate::ctx::Ctx;
use crate::init::branches::{self, Held};
use crate::init::next_dev::{self, After};
use crate::init::{Proposal, propose, render, survey};
use crate::model::config_place::{self, FILE};
use crate::model::fields;
use crate::model::package::ROOT_MANIFEST;
use crate::model::source::Source;
use crate::model::workspace::Workspace;
use crate::out::shell;
use crate::out::ui::{self, Tone};
use crate::text::{date, toml};
use crate::worktree::Tree;

pub fn run(ctx: &Ctx, flags: Init) -> Result<ExitCode> {
    if ctx.config.is_some() {
        bail!(
            "init writes {FILE} at the repository root and reads no --config: run it without --config"
        );
    }
    let sh = &ctx.sh;
    let source = Source::disk(&ctx.root);
    let in_git = git::inside_work_tree(sh)?;
    let (tags, branch) = match in_git {
        true => (git::tags(sh)?, release_branch(sh)?),
        false => (Vec::new(), None),
    };
    let mut survey = survey::read(&source, tags.clone(), branch)?;
    if in_git {
        survey.held = held(sh)?;
    }
    if survey.crates.is_empty() {
        bail!(
            "{} holds no Cargo package (a Cargo.toml with [package], at the root or up to 3 folders down): pass --root with the work tree of your repository",
            ctx.root.display()
        );
    }
    let mut proposal = propose::propose(&survey);
    guess_next_dev(sh, in_git, &mut proposal)?;
    let text = render::render(&proposal);
    ui::print(&text);
    say_found(&survey, &proposal);
    let existing = existing(&source)?;
    // Judged as every command will read it: the model, then check's problems.
    let judged = match &existing {
        Some(_) => None,
        None => Some(judge(ctx, &text, &tags, in_git)),
    };
    if let Some(Ok(found)) = &judged {
        for problem in found {
            ui::status(Tone::Warn, "warning", &format!("check will say: {problem}"));
        }
    }
    // Run from the xtask's own clone on another repository: its commands name it.
    let xtask = shell::xtask(&crate::release::repeat(ctx.other_root(), None, None));
    if !flags.write {
        ui::status(
            Tone::Warn,
            "Dry run",
            &format!("nothing was written: `{xtask} init --write` writes {FILE}"),
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(place) = existing {
        bail!(
            "a release configuration is in {place} already: init writes none over it; edit it, or delete it to start afresh"
        );
    }
    if let Some(Err(err)) = judged {
        bail!("{FILE} was not written: the configuration above does not load: {err:#}");
    }
    Tree::new(&ctx.root).write(FILE, &text)?;
    ui::status(
        Tone::Good,
        "Wrote",
        &format!(
            "{FILE}: read its comments, then run `{xtask} check` and `{xtask} release` (a dry run); commit it before `--execute`, whose pre-flight wants a clean work tree"
        ),
    );
    Ok(ExitCode::SUCCESS)
}

/// The release branch git suggests, and why: origin's default branch, else
/// a `main` or `master` branch, else the branch checked out.
fn release_branch(sh: &xshell::Shell) -> Result<Option<(String, String)>> {
    if let Some(branch) = git::remote_default_branch(sh, "origin")? {
        return Ok(Some((
            branch,
            "origin's default branch (origin/HEAD)".into(),
        )));
    }
    for name in ["main", "master"] {
        if git::branch_exists(sh, name)? {
            return Ok(Some((
                name.to_string(),
                format!("the repository has a branch {name}"),
            )));
        }
    }
    Ok(git::branch(sh)?.map(|b| (b, "the branch checked out".to_string())))
}

/// The branches named for a version line, local and remote-tracking (one
/// entry a name), and the tags each holds.
fn held(sh: &xshell::Shell) -> Result<Vec<Held>> {
    let mut out: Vec<Held> = Vec::new();
    for reference in git::branch_refs(sh)? {
        let Some(name) = branches::short(&reference) else {
            continue;
        };
        if branches::line(name).is_none() {
            continue;
        }
        let tags = git::tags_merged_into(sh, &reference)?;
        match out.iter_mut().find(|h| h.name == name) {
            Some(h) => {
                h.tags.extend(tags);
                h.tags.sort();
                h.tags.dedup();
            }
            None => out.push(Held {
                name: name.to_string(),
                tags,
            }),
        }
    }
    Ok(out)
}

/// `next-dev` for each package at a development version: what the main
/// line did right after its releases, read from git, judged by `next_dev`.
fn guess_next_dev(sh: &xshell::Shell, in_git: bool, proposal: &mut Proposal) -> Result<()> {
    let main = format!("refs/heads/{}", proposal.main_line);
    let readable = in_git && git::branch_exists(sh, &proposal.main_line)?;
    for p in &mut proposal.packages {
        let Some(ask) = &p.dev else { continue };
        let mut afters = Vec::new();
        for (tag, released) in ask.releases.iter().filter(|_| readable) {
            afters.push(After {
                tag: tag.clone(),
                released: released.clone(),
                next: after(sh, &main, tag, &ask.file)?,
            });
        }
        p.keys.push(next_dev::key(ask, &afters));
    }
    Ok(())
}

/// The main line's first commit after the release `tag` left it (or was
/// made on it), short, and the version `file` holds there.
fn after(
    sh: &xshell::Shell,
    main: &str,
    tag: &str,
    file: &str,
) -> Result<Option<(String, Option<semver::Version>)>> {
    let reference = format!("refs/tags/{tag}");
    let Some(base) = git::merge_base_of(sh, &reference, main)? else {
        return Ok(None);
    };
    let Some(next) = git::first_parent_after(sh, &base, main)? else {
        return Ok(None);
    };
    let text = git::show(sh, &next, file)?;
    let short = next.chars().take(7).collect();
    Ok(Some((short, next_dev::version_in(file, &text))))
}

/// Where a configuration of ours is already, if anywhere.
fn existing(source: &Source) -> Result<Option<String>> {
    let root = match source.is_file(ROOT_MANIFEST) {
        true => Some(toml::parse(ROOT_MANIFEST, &source.read(ROOT_MANIFEST)?)?),
        false => None,
    };
    Ok(config_place::existing(source, root.as_ref()))
}

/// The problems `check` would find with `text` as the configuration; an
/// error when the model does not load.
fn judge(ctx: &Ctx, text: &str, tags: &[String], in_git: bool) -> Result<Vec<String>> {
    let sh = &ctx.sh;
    let ignored = |paths: &[String]| match in_git {
        true => git::ignored(sh, paths),
        false => Ok(Vec::new()),
    };
    let ws = Workspace::load_over(&ctx.root, [(FILE.to_string(), text.to_string())], &ignored)?;
    let found = validate::validate(&ws, &ctx.builtin);
    // The proposal's series, read as every command reads them.
    let tags = match in_git {
        true => crate::facts::tags::read_dated(sh, &ws)?,
        false => crate::text::tag_index::TagIndex::of_tags(tags),
    };
    let mut out = validate::with_fields(&found, &fields::fields(&ws, &tags));
    if in_git {
        let past = crate::facts::tags::merged(sh, &ws, &tags)?;
        out.extend(problems::lint_changelogs_dated(&ws, &past, &tags, date::today()).0);
    }
    Ok(out)
}

/// One line of what was found, on stderr.
fn say_found(survey: &survey::Survey, proposal: &Proposal) {
    let names: Vec<&str> = proposal.packages.iter().map(|p| p.name.as_str()).collect();
    let mentions: usize = proposal.packages.iter().map(|p| p.mentions.len()).sum();
    let series = crate::init::series::series(&survey.tags).len();
    ui::status(
        Tone::Good,
        "Found",
        &format!(
            "{} package(s) ({}), {series} tag series, {mentions} mention(s)",
            names.len(),
            names.join(", ")
        ),
    );
}
