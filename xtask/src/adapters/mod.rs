//! Floor: adapters. The only code that runs subprocesses (git, GitHub's gh,
//! the venv's python and tools, commands as data) or changes signal dispositions. They
//! know nothing of releases: a call that fails is an error, never an empty
//! answer.
//! Uses: text, out, worktree.

pub mod api_tools;
pub mod git;
pub mod github;
pub mod python;
pub mod rate_limit;
pub mod relay;
pub mod run_plan;
pub mod signals;
pub mod tool_cache;
