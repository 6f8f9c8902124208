//! Floor: the commands, the top. Each takes its typed arguments, calls the
//! floors below and prints; no command imports another.

pub mod api;
pub mod bench;
pub mod bump;
pub mod change;
pub mod changelog;
pub mod check;
pub mod ci;
pub mod downstream;
pub mod gh;
pub mod init;
pub mod preflight;
pub mod publish;
pub mod release;
pub mod rollback;
pub mod status;
pub mod sync;
pub mod verify_published;
pub mod versions;
