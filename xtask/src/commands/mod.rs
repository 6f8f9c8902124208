pub mod bump;
pub mod changelog;
pub mod check;
pub mod ci;
pub mod downstream;
pub mod publish;
pub mod verify_published;
pub mod versions;
