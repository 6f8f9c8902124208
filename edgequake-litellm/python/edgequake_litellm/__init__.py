"""LiteLLM-style Python API over the edgequake-llm Rust core."""

from __future__ import annotations

from ._core import CORE_VERSION, CostTracker, __version__, completion, offline_models

__all__ = [
    "CORE_VERSION",
    "CostTracker",
    "__version__",
    "completion",
    "completion_cost",
    "offline_models",
]


def completion_cost(response: dict[str, object]) -> float:
    """The cost in US dollars of a response returned by `completion`."""
    usage = response["usage"]
    model = response["model"]
    if not isinstance(usage, dict) or not isinstance(model, str):
        raise TypeError("expected a response returned by completion()")
    tracker = CostTracker()
    return tracker.record(model, int(usage["prompt_tokens"]), int(usage["completion_tokens"]))
