//! The trait every backend implements.

use std::error::Error;
use std::fmt;

use crate::types::{CompletionRequest, CompletionResponse};

/// What can go wrong when asking a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderError {
    /// The request is malformed (no messages, an unknown model…).
    InvalidRequest(String),
    /// The caller must wait this many milliseconds before trying again.
    RateLimited { retry_after_ms: u64 },
    /// The provider failed for a reason of its own.
    Backend(String),
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderError::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            ProviderError::RateLimited { retry_after_ms } => {
                write!(f, "rate limited: retry after {retry_after_ms} ms")
            }
            ProviderError::Backend(why) => write!(f, "provider error: {why}"),
        }
    }
}

impl Error for ProviderError {}

/// A source of completions: a hosted API, a local model, or [`crate::OfflineProvider`].
pub trait Provider {
    /// A short stable name, such as `openai` or `offline`.
    fn name(&self) -> &str;

    /// Whether this provider serves `model`.
    fn supports(&self, model: &str) -> bool;

    /// Answers one request.
    fn complete(&self, request: &CompletionRequest) -> Result<CompletionResponse, ProviderError>;
}
