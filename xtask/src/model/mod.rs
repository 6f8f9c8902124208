//! Floor: the model. The workspace as its files say it is (configuration,
//! members, packages with their defaults, every version field), read through
//! one `Source` (the disk, or texts in memory); which packages a command
//! line names. Knows nothing of checks, plans, git or commands.
//! Uses: text, changelog, worktree (every file read through it).

pub mod branches;
pub mod config;
pub mod config_keys;
pub mod config_paths;
pub mod config_place;
pub mod defaults;
pub mod field;
pub mod fields;
pub mod group;
pub mod lock_fields;
pub mod locks;
pub mod members;
pub mod mention;
pub mod package;
pub mod registries;
pub mod release_tags;
pub mod rust_version;
pub mod selection;
pub mod source;
pub mod standalone;
pub mod wheels;
pub mod workspace;
