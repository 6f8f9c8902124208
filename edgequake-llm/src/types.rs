//! Message, request and response types shared by every provider.

use std::fmt;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    /// The wire name used by OpenAI-compatible APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }

    /// Parses a wire name; `None` for an unknown role.
    pub fn parse(name: &str) -> Option<Role> {
        match name {
            "system" => Some(Role::System),
            "user" => Some(Role::User),
            "assistant" => Some(Role::Assistant),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Message {
            role,
            content: content.into(),
        }
    }
    pub fn system(content: impl Into<String>) -> Self {
        Message::new(Role::System, content)
    }
    pub fn user(content: impl Into<String>) -> Self {
        Message::new(Role::User, content)
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Message::new(Role::Assistant, content)
    }
}

/// A chat completion request.
///
/// `temperature` is stored in thousandths so the request stays `Eq + Hash`
/// and can key a cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompletionRequest {
    pub model: String,
    pub messages: Vec<Message>,
    pub max_tokens: Option<u32>,
    temperature_milli: Option<u32>,
}

impl CompletionRequest {
    pub fn new(model: impl Into<String>, messages: Vec<Message>) -> Self {
        CompletionRequest {
            model: model.into(),
            messages,
            max_tokens: None,
            temperature_milli: None,
        }
    }

    pub fn with_max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    /// Sets the sampling temperature, rounded to three decimals and clamped to `0.0..=2.0`.
    pub fn with_temperature(mut self, temperature: f32) -> Self {
        let clamped = temperature.clamp(0.0, 2.0);
        self.temperature_milli = Some((clamped * 1000.0).round() as u32);
        self
    }

    pub fn temperature(&self) -> Option<f32> {
        self.temperature_milli.map(|t| t as f32 / 1000.0)
    }
}

/// Token counts of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

impl Usage {
    pub fn total_tokens(&self) -> u32 {
        self.prompt_tokens + self.completion_tokens
    }
}

/// Why generation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinishReason {
    Stop,
    Length,
}

impl FinishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
        }
    }
}

/// A provider's answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompletionResponse {
    pub model: String,
    pub content: String,
    pub finish_reason: FinishReason,
    pub usage: Usage,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_wire_names() {
        for role in [Role::System, Role::User, Role::Assistant] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("tool"), None);
    }

    #[test]
    fn temperature_is_clamped_and_rounded() {
        let request = CompletionRequest::new("m", vec![]).with_temperature(0.7004);
        assert_eq!(request.temperature(), Some(0.7));
        let request = CompletionRequest::new("m", vec![]).with_temperature(9.0);
        assert_eq!(request.temperature(), Some(2.0));
        assert_eq!(CompletionRequest::new("m", vec![]).temperature(), None);
    }

    #[test]
    fn usage_totals_both_sides() {
        let usage = Usage {
            prompt_tokens: 3,
            completion_tokens: 4,
        };
        assert_eq!(usage.total_tokens(), 7);
    }
}
