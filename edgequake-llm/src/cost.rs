//! Per-model prices and a tracker that adds up what calls cost.

use std::collections::BTreeMap;
use std::fmt;

use crate::types::Usage;

/// Price of one model in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrice {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

impl ModelPrice {
    /// What `usage` costs at this price, in US dollars.
    pub fn cost(&self, usage: Usage) -> f64 {
        (usage.prompt_tokens as f64 * self.input_per_million
            + usage.completion_tokens as f64 * self.output_per_million)
            / 1_000_000.0
    }
}

/// Prices by model name.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceTable {
    prices: BTreeMap<String, ModelPrice>,
}

impl PriceTable {
    pub fn empty() -> Self {
        PriceTable {
            prices: BTreeMap::new(),
        }
    }

    /// Adds or replaces the price of `model`.
    pub fn set(&mut self, model: impl Into<String>, price: ModelPrice) {
        self.prices.insert(model.into(), price);
    }

    pub fn get(&self, model: &str) -> Option<ModelPrice> {
        self.prices.get(model).copied()
    }

    pub fn models(&self) -> impl Iterator<Item = &str> {
        self.prices.keys().map(String::as_str)
    }
}

impl Default for PriceTable {
    /// A few well-known models, and the free offline models.
    fn default() -> Self {
        let mut table = PriceTable::empty();
        for (model, input, output) in [
            ("gpt-4o", 2.50, 10.00),
            ("gpt-4o-mini", 0.15, 0.60),
            ("claude-3-5-sonnet", 3.00, 15.00),
            ("claude-3-5-haiku", 0.80, 4.00),
            ("offline-echo", 0.0, 0.0),
            ("offline-reverse", 0.0, 0.0),
            ("offline-count", 0.0, 0.0),
        ] {
            table.set(
                model,
                ModelPrice {
                    input_per_million: input,
                    output_per_million: output,
                },
            );
        }
        table
    }
}

/// A call to a model that the price table does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownModel(pub String);

impl fmt::Display for UnknownModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no price for model `{}`: add it with PriceTable::set",
            self.0
        )
    }
}

impl std::error::Error for UnknownModel {}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ModelTotals {
    calls: u64,
    usage_prompt: u64,
    usage_completion: u64,
    cost: f64,
}

/// Adds up calls, tokens and dollars, per model and in total.
#[derive(Debug, Clone, Default)]
pub struct CostTracker {
    prices: PriceTable,
    totals: BTreeMap<String, ModelTotals>,
}

impl CostTracker {
    pub fn with_prices(prices: PriceTable) -> Self {
        CostTracker {
            prices,
            totals: BTreeMap::new(),
        }
    }

    /// Records one call and returns its cost in US dollars.
    pub fn record(&mut self, model: &str, usage: Usage) -> Result<f64, UnknownModel> {
        let price = self
            .prices
            .get(model)
            .ok_or_else(|| UnknownModel(model.to_string()))?;
        let cost = price.cost(usage);
        let totals = self.totals.entry(model.to_string()).or_default();
        totals.calls += 1;
        totals.usage_prompt += u64::from(usage.prompt_tokens);
        totals.usage_completion += u64::from(usage.completion_tokens);
        totals.cost += cost;
        Ok(cost)
    }

    pub fn total_cost(&self) -> f64 {
        self.totals.values().map(|t| t.cost).sum()
    }

    pub fn total_calls(&self) -> u64 {
        self.totals.values().map(|t| t.calls).sum()
    }

    pub fn total_tokens(&self) -> u64 {
        self.totals
            .values()
            .map(|t| t.usage_prompt + t.usage_completion)
            .sum()
    }

    /// Cost so far of one model, `0.0` if it was never called.
    pub fn cost_of(&self, model: &str) -> f64 {
        self.totals.get(model).map_or(0.0, |t| t.cost)
    }

    /// `(model, calls, cost)` for every model called, by name.
    pub fn breakdown(&self) -> Vec<(String, u64, f64)> {
        self.totals
            .iter()
            .map(|(m, t)| (m.clone(), t.calls, t.cost))
            .collect()
    }

    pub fn reset(&mut self) {
        self.totals.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(prompt: u32, completion: u32) -> Usage {
        Usage {
            prompt_tokens: prompt,
            completion_tokens: completion,
        }
    }

    #[test]
    fn prices_are_per_million_tokens() {
        let price = PriceTable::default().get("gpt-4o").unwrap();
        let cost = price.cost(usage(1_000_000, 100_000));
        assert!((cost - 3.5).abs() < 1e-9, "{cost}");
    }

    #[test]
    fn tracker_adds_up_per_model_and_in_total() {
        let mut tracker = CostTracker::default();
        tracker.record("gpt-4o-mini", usage(1000, 500)).unwrap();
        tracker.record("gpt-4o-mini", usage(1000, 500)).unwrap();
        tracker.record("offline-echo", usage(10, 10)).unwrap();
        assert_eq!(tracker.total_calls(), 3);
        assert_eq!(tracker.total_tokens(), 3020);
        let expected = 2.0 * (1000.0 * 0.15 + 500.0 * 0.60) / 1e6;
        assert!((tracker.total_cost() - expected).abs() < 1e-12);
        assert_eq!(tracker.cost_of("offline-echo"), 0.0);
        let models: Vec<_> = tracker
            .breakdown()
            .into_iter()
            .map(|(m, c, _)| (m, c))
            .collect();
        assert_eq!(
            models,
            [
                ("gpt-4o-mini".to_string(), 2),
                ("offline-echo".to_string(), 1)
            ]
        );
    }

    #[test]
    fn unknown_models_are_rejected_and_not_counted() {
        let mut tracker = CostTracker::with_prices(PriceTable::empty());
        let err = tracker.record("mystery", usage(1, 1)).unwrap_err();
        assert!(err.to_string().contains("`mystery`"));
        assert_eq!(tracker.total_calls(), 0);
    }
}
