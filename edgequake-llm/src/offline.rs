//! A deterministic provider that needs no network.

use crate::provider::{Provider, ProviderError};
use crate::types::{CompletionRequest, CompletionResponse, FinishReason, Role};

/// Answers from the request alone, so tests and examples are reproducible.
///
/// Models:
/// - `offline-echo`: repeats the last user message;
/// - `offline-reverse`: the last user message, words reversed;
/// - `offline-count`: how many messages of each role the request holds.
///
/// Tokens are counted as whitespace-separated words, and `max_tokens`
/// truncates the answer with [`FinishReason::Length`].
#[derive(Debug, Clone, Default)]
pub struct OfflineProvider {
    _private: (),
}

const MODELS: [&str; 3] = ["offline-echo", "offline-reverse", "offline-count"];

impl OfflineProvider {
    pub fn new() -> Self {
        OfflineProvider::default()
    }

    /// The models this provider serves.
    pub fn models() -> &'static [&'static str] {
        &MODELS
    }
}

fn count_tokens(text: &str) -> u32 {
    text.split_whitespace().count() as u32
}

impl Provider for OfflineProvider {
    fn name(&self) -> &str {
        "offline"
    }

    fn supports(&self, model: &str) -> bool {
        MODELS.contains(&model)
    }

    fn complete(&self, request: &CompletionRequest) -> Result<CompletionResponse, ProviderError> {
        if !self.supports(&request.model) {
            return Err(ProviderError::InvalidRequest(format!(
                "unknown model `{}`; the offline provider serves {}",
                request.model,
                MODELS.join(", ")
            )));
        }
        let last_user = request
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::User)
            .ok_or_else(|| ProviderError::InvalidRequest("no user message".into()))?;

        let full = match request.model.as_str() {
            "offline-echo" => last_user.content.clone(),
            "offline-reverse" => {
                let mut words: Vec<&str> = last_user.content.split_whitespace().collect();
                words.reverse();
                words.join(" ")
            }
            _ => {
                let count = |role| request.messages.iter().filter(|m| m.role == role).count();
                format!(
                    "system={} user={} assistant={}",
                    count(Role::System),
                    count(Role::User),
                    count(Role::Assistant)
                )
            }
        };

        let (content, finish_reason) = match request.max_tokens {
            Some(max) if count_tokens(&full) > max => {
                let kept: Vec<&str> = full.split_whitespace().take(max as usize).collect();
                (kept.join(" "), FinishReason::Length)
            }
            _ => (full, FinishReason::Stop),
        };

        let prompt_tokens = request
            .messages
            .iter()
            .map(|m| count_tokens(&m.content))
            .sum();
        Ok(CompletionResponse {
            model: request.model.clone(),
            usage: crate::Usage {
                prompt_tokens,
                completion_tokens: count_tokens(&content),
            },
            content,
            finish_reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    fn ask(model: &str, messages: Vec<Message>) -> Result<CompletionResponse, ProviderError> {
        OfflineProvider::new().complete(&CompletionRequest::new(model, messages))
    }

    #[test]
    fn echo_repeats_the_last_user_message_and_counts_tokens() {
        let response = ask(
            "offline-echo",
            vec![
                Message::system("be brief"),
                Message::user("first"),
                Message::user("hello there"),
            ],
        )
        .unwrap();
        assert_eq!(response.content, "hello there");
        assert_eq!(response.finish_reason, FinishReason::Stop);
        assert_eq!(response.usage.prompt_tokens, 5);
        assert_eq!(response.usage.completion_tokens, 2);
    }

    #[test]
    fn reverse_and_count_models() {
        let response = ask("offline-reverse", vec![Message::user("a b c")]).unwrap();
        assert_eq!(response.content, "c b a");
        let response = ask(
            "offline-count",
            vec![
                Message::system("s"),
                Message::user("u"),
                Message::assistant("a"),
                Message::user("u"),
            ],
        )
        .unwrap();
        assert_eq!(response.content, "system=1 user=2 assistant=1");
    }

    #[test]
    fn max_tokens_truncates_with_length_reason() {
        let request = CompletionRequest::new("offline-echo", vec![Message::user("one two three")])
            .with_max_tokens(2);
        let response = OfflineProvider::new().complete(&request).unwrap();
        assert_eq!(response.content, "one two");
        assert_eq!(response.finish_reason, FinishReason::Length);
    }

    #[test]
    fn rejects_unknown_models_and_requests_without_user_message() {
        let err = ask("gpt-4o", vec![Message::user("hi")]).unwrap_err();
        assert!(err.to_string().contains("unknown model `gpt-4o`"), "{err}");
        let err = ask("offline-echo", vec![Message::system("s")]).unwrap_err();
        assert_eq!(err, ProviderError::InvalidRequest("no user message".into()));
    }
}
