//! An action as the journal records it: one record of tab-separated
//! fields, its kind first (pure).

use anyhow::{Context, Result, bail};

use super::Action;

/// `action`'s fields, `action` first: its kind, then its values.
pub fn fields(action: &Action) -> Vec<String> {
    let mut fields = vec!["action".to_string()];
    match action {
        Action::Branch(name) => fields.extend(["branch".into(), name.clone()]),
        Action::Write => fields.push("write".into()),
        Action::Commit { message, files } => {
            fields.extend(["commit".into(), message.clone()]);
            fields.extend(files.iter().cloned());
        }
        Action::Tag { name, message } => {
            fields.extend(["tag".into(), name.clone(), message.clone()])
        }
        Action::WriteNext => fields.push("write-next".into()),
        Action::CommitNext { message, files } => {
            fields.extend(["commit-next".into(), message.clone()]);
            fields.extend(files.iter().cloned());
        }
        Action::Push {
            remote,
            refs,
            new_branch,
            lease,
        } => {
            let new = match (new_branch, lease) {
                (true, Some(old)) => format!("lease={old}"),
                (true, None) => "new-branch".into(),
                (false, _) => "atomic".into(),
            };
            fields.extend(["push".into(), remote.clone(), new]);
            fields.extend(refs.iter().cloned());
        }
        Action::SwitchBack(branch) => fields.extend(["switch-back".into(), branch.clone()]),
        Action::PullRequest {
            base,
            head,
            title,
            body,
            update,
        } => fields.extend([
            "pull-request".into(),
            base.clone(),
            head.clone(),
            title.clone(),
            body.clone(),
            if *update { "update" } else { "create" }.into(),
        ]),
    }
    fields
}

/// The action `fields` (its kind first) record.
pub fn parse(fields: &[String]) -> Result<Action> {
    let field = |i: usize| -> Result<String> {
        fields
            .get(i)
            .cloned()
            .with_context(|| format!("action `{}` lacks field {i}", fields[0]))
    };
    Ok(match fields.first().map(String::as_str) {
        Some("branch") => Action::Branch(field(1)?),
        Some("write") => Action::Write,
        Some("commit") => Action::Commit {
            message: field(1)?,
            files: fields[2..].to_vec(),
        },
        Some("tag") => Action::Tag {
            name: field(1)?,
            message: field(2)?,
        },
        Some("write-next") => Action::WriteNext,
        Some("commit-next") => Action::CommitNext {
            message: field(1)?,
            files: fields[2..].to_vec(),
        },
        Some("push") => {
            let how = field(2)?;
            let lease = how.strip_prefix("lease=").map(str::to_string);
            Action::Push {
                remote: field(1)?,
                new_branch: how == "new-branch" || lease.is_some(),
                lease,
                refs: fields.get(3..).unwrap_or_default().to_vec(),
            }
        }
        Some("switch-back") => Action::SwitchBack(field(1)?),
        Some("pull-request") => Action::PullRequest {
            base: field(1)?,
            head: field(2)?,
            title: field(3)?,
            body: field(4)?,
            update: fields.get(5).is_some_and(|f| f == "update"),
        },
        other => bail!("unknown action `{}`", other.unwrap_or_default()),
    })
}
