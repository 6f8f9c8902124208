from __future__ import annotations

import pytest

import edgequake_litellm as eq


def test_tracker_adds_up_calls() -> None:
    tracker = eq.CostTracker()
    first = tracker.record("gpt-4o", 1_000_000, 0)
    assert first == pytest.approx(2.5)
    tracker.record("gpt-4o-mini", 0, 1_000_000)
    assert tracker.total_calls == 2
    assert tracker.total_tokens == 2_000_000
    assert tracker.total_cost == pytest.approx(3.1)
    assert tracker.cost_of("gpt-4o") == pytest.approx(2.5)
    tracker.reset()
    assert tracker.total_calls == 0


def test_unknown_model_is_rejected() -> None:
    with pytest.raises(ValueError, match="no price for model"):
        eq.CostTracker().record("mystery", 1, 1)


def test_completion_cost_of_offline_call_is_zero() -> None:
    response = eq.completion("offline-echo", [{"role": "user", "content": "hi"}])
    assert eq.completion_cost(response) == 0.0
