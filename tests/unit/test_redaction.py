"""Where the API key is masked: everywhere when it is long, only where it stands alone when it
is short, so a short key never mangles ordinary text and is still never printed."""

from __future__ import annotations

import pytest

from arize_pulumi.tasks import ConflictError
from arize_pulumi.tasks._redact import WHOLE_TEXT_FROM, Secret
from tests.support.inprocess import InProcessSandbox


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("k", "a task named 'nightly' already exists", "a task named 'nightly' already exists"),
        ("k", "bad key 'k'", "bad key '***'"),
        ("k", "Authorization: Bearer k", "Authorization: Bearer ***"),
        ("k", "key=k&x=1", "key=***&x=1"),
        ("k", "k8s k_1 k-2 T2tK", "k8s k_1 k-2 T2tK"),
        ("test-key", "the test-key was refused; test-keys", "the *** was refused; test-keys"),
        ("task", "a task named tasks", "a *** named tasks"),
        ("ab", "", ""),
    ],
)
def test_a_short_key_is_masked_where_it_stands_alone(key: str, text: str, expected: str) -> None:
    assert len(key) < WHOLE_TEXT_FROM
    assert Secret(key).redact(text) == expected


def test_a_long_key_is_masked_wherever_it_occurs() -> None:
    key = "ak-0123456789abcdef0123"
    assert len(key) >= WHOLE_TEXT_FROM
    secret = Secret(key)
    assert secret.redact(f"x{key}y and '{key}'") == "x***y and '***'"
    assert secret.redact("a task named x") == "a task named x"


def test_an_empty_key_masks_nothing() -> None:
    assert Secret("").redact("a task") == "a task"


def test_a_server_message_keeps_its_words_with_a_one_letter_key() -> None:
    """The sandbox's conflict detail says "a task named ..."; with the key ``k`` it reaches the
    caller as written, and the key itself appears nowhere."""
    with InProcessSandbox(api_key="k") as arize:
        client = arize.client(space="demo-space")
        fields = {
            "name": "twice",
            "project": "chatbot-prod",
            "evaluators": [{"evaluator": "hallucination"}],
        }
        client.create_evaluation_task(type="TEMPLATE_EVALUATION", **fields)
        with pytest.raises(ConflictError) as info:
            client.create_evaluation_task(type="TEMPLATE_EVALUATION", **fields)
    message = str(info.value)
    assert "***" not in message, message
    assert "task" in message and "'twice'" in message, message
