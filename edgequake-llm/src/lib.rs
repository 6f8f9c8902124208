//! A small, dependency-free core for talking to large language models.
//!
//! The crate gives every provider the same shape:
//!
//! - [`Message`], [`CompletionRequest`] and [`CompletionResponse`] describe a chat call;
//! - the [`Provider`] trait is what a backend implements;
//! - [`OfflineProvider`] answers deterministically without a network, for tests and examples;
//! - [`ResponseCache`] memoises responses by request;
//! - [`TokenBucket`] limits the rate of calls;
//! - [`CostTracker`] adds up what the calls cost, from a per-model [`PriceTable`].
//!
//! ```
//! use edgequake_llm::{CompletionRequest, CostTracker, Message, OfflineProvider, Provider};
//!
//! let provider = OfflineProvider::new();
//! let request = CompletionRequest::new("offline-echo", vec![Message::user("Hello")]);
//! let response = provider.complete(&request).unwrap();
//! assert_eq!(response.content, "Hello");
//!
//! let mut costs = CostTracker::default();
//! costs.record(&response.model, response.usage).unwrap();
//! assert_eq!(costs.total_calls(), 1);
//! ```

mod cache;
mod cost;
mod offline;
mod provider;
mod rate_limit;
mod types;

pub use cache::{CacheStats, ResponseCache};
pub use cost::{CostTracker, ModelPrice, PriceTable};
pub use offline::OfflineProvider;
pub use provider::{Provider, ProviderError};
pub use rate_limit::TokenBucket;
pub use types::{CompletionRequest, CompletionResponse, FinishReason, Message, Role, Usage};

/// The version of this crate, as published.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
