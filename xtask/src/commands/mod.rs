pub mod bump;
pub mod check;
pub mod ci;
pub mod versions;
