from __future__ import annotations

import pytest

import edgequake_litellm as eq


def test_version_matches_the_crate() -> None:
    assert eq.__version__ == "0.1.0"
    assert eq.CORE_VERSION == "0.1.0"


def test_echo_completion_has_openai_shape() -> None:
    response = eq.completion("offline-echo", [{"role": "user", "content": "hello world"}])
    assert response["model"] == "offline-echo"
    choice = response["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "hello world"}
    assert choice["finish_reason"] == "stop"
    assert response["usage"] == {"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4}


def test_max_tokens_truncates() -> None:
    response = eq.completion(
        "offline-reverse", [{"role": "user", "content": "a b c d"}], max_tokens=2
    )
    assert response["choices"][0]["message"]["content"] == "d c"
    assert response["choices"][0]["finish_reason"] == "length"


@pytest.mark.parametrize(
    ("model", "messages", "error", "text"),
    [
        ("gpt-nope", [{"role": "user", "content": "x"}], ValueError, "unknown model"),
        ("offline-echo", [{"role": "robot", "content": "x"}], ValueError, "unknown role"),
        ("offline-echo", [{"role": "user"}], KeyError, "content"),
        ("offline-echo", ["not a dict"], ValueError, "must be a dict"),
        ("offline-echo", [{"role": "system", "content": "x"}], ValueError, "no user message"),
    ],
)
def test_bad_requests_raise(
    model: str, messages: list[dict[str, str]], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        eq.completion(model, messages)


def test_offline_models_are_listed() -> None:
    assert "offline-echo" in eq.offline_models()
