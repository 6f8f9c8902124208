pub mod bump;
pub mod changelog;
pub mod check;
pub mod ci;
pub mod gh;
pub mod release;
pub mod versions;
