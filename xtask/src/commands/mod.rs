pub mod bench;
pub mod bump;
pub mod changelog;
pub mod check;
pub mod ci;
pub mod versions;
