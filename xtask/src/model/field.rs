//! One version field: where it is, what it holds, the package it follows
//! and, when it disagrees, what is wrong and how to fix it.

use crate::model::package::Package;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Manifest,
    Pin,
    Pyproject,
    Lock,
    Mention,
    Tag,
    Changelog,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Manifest => "manifest",
            Kind::Pin => "pin",
            Kind::Pyproject => "pyproject",
            Kind::Lock => "lock",
            Kind::Mention => "mention",
            Kind::Tag => "tag",
            Kind::Changelog => "changelog",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The package whose version this field follows.
    pub package: String,
    pub kind: Kind,
    /// Who holds the field (the dependent for a pin), when not the package itself.
    pub holder: Option<String>,
    pub file: String,
    /// 1-based; 0 when the field has no line (a tag).
    pub line: usize,
    pub value: String,
    /// What is wrong and how to fix it.
    pub problem: Option<String>,
}

impl Field {
    /// The problem without its advice: `file:line: what is wrong`.
    pub fn what(&self) -> Option<&str> {
        let problem = self.problem.as_deref()?;
        let location = self.location();
        let rest = problem.strip_prefix(&format!("{location}: "))?;
        Some(rest.rsplit_once(": ").map_or(problem, |(what, _)| {
            &problem[..location.len() + 2 + what.len()]
        }))
    }

    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// A field of `package` that the package holds itself.
pub fn field(
    package: &Package,
    kind: Kind,
    file: &str,
    line: usize,
    value: String,
    problem: Option<String>,
) -> Field {
    Field {
        package: package.name.clone(),
        kind,
        holder: None,
        file: file.to_string(),
        line,
        value,
        problem,
    }
}
