//! The release tags a command reads: one `git for-each-ref` of the tags of
//! the configured series (every package's templates, by their literal
//! prefix: git leaves the other tags out), indexed for the layers above.

use anyhow::Result;
use xshell::Shell;

use crate::adapters::git;
use crate::model::workspace::Workspace;
use crate::text::tag_index::TagIndex;

/// The `for-each-ref` pattern of every series the workspace's packages
/// release under, each once.
fn patterns(ws: &Workspace) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for template in ws.packages.iter().flat_map(|p| p.series()) {
        let pattern = template.git_pattern();
        if !out.contains(&pattern) {
            out.push(pattern);
        }
    }
    out
}

/// The tags of the workspace's series that name a commit, with their commit.
pub fn read(sh: &Shell, ws: &Workspace) -> Result<TagIndex> {
    Ok(TagIndex::new(git::series_tags(sh, &patterns(ws), false)?))
}

/// `read`, with the day each tag was made (the changelog lint's dates).
pub fn read_dated(sh: &Shell, ws: &Workspace) -> Result<TagIndex> {
    Ok(TagIndex::new(git::series_tags(sh, &patterns(ws), true)?))
}

/// The tags of `all` that HEAD's history contains: a changelog answers for
/// the releases in HEAD's past (on a maintenance branch, main's newer tags
/// are not its sections).
pub fn merged(sh: &Shell, ws: &Workspace, all: &TagIndex) -> Result<TagIndex> {
    Ok(all.only(&git::merged_series_tags(sh, &patterns(ws))?))
}
