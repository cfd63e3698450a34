"""The README's snippets are each run (tests/e2e/test_readme.py) or marked with why they cannot
run here; its run-configuration reference names every field of the wire models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from arize_pulumi.tasks.models import (
    AgentCallConfig,
    FunctionCall,
    InvocationParameters,
    JsonSchemaFormat,
    LlmGenerationConfig,
    Message,
    ResponseFormat,
    TemplateEvaluationConfig,
    ToolCall,
    ToolConfig,
)
from tests.support.readme import CODE_LANGUAGES, TEXT_LANGUAGES, fences, marks_without_fence

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_fence_is_code_that_runs_or_is_marked_or_is_text() -> None:
    found = fences(README)
    assert found
    for fence in found:
        assert fence.language in CODE_LANGUAGES | TEXT_LANGUAGES, (
            f"{fence.label}: give the fence a language: sh, python, or text for output"
        )
        if fence.mark is not None:
            assert fence.language in CODE_LANGUAGES, f"{fence.label}: a mark on a text fence"
            assert fence.mark in {"skip", "server"}, f"{fence.label}: unknown mark {fence.mark}"
            assert fence.reason, f"{fence.label}: say why"
        if fence.mark == "server":
            assert fence.language == "sh", fence.label
    assert marks_without_fence(README) == []
    code = [f for f in found if f.language in CODE_LANGUAGES]
    runs = [f for f in code if f.runs]
    assert len(runs) >= len(code) // 2, "most code snippets run here"


def section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"\n### {title}\n")
    end = text.index("\n### ", start + 1)
    return text[start:end]


TABLED = [LlmGenerationConfig, TemplateEvaluationConfig, AgentCallConfig, Message]
NAMED = [InvocationParameters, ToolCall, FunctionCall, ResponseFormat, JsonSchemaFormat, ToolConfig]


def wire_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


@pytest.mark.parametrize("model", TABLED + NAMED, ids=lambda m: m.__name__)
def test_every_run_configuration_field_is_documented(model: type[BaseModel]) -> None:
    text = section("Run configuration")
    for name in wire_names(model):
        pattern = rf"\| `{name}` \|" if model in TABLED else rf"`{name}`"
        assert re.search(pattern, text), f"{model.__name__}.{name} is not in the README"


def test_the_integration_names_the_provider_resolves_are_documented() -> None:
    text = section("Run configuration")
    for key in ("ai_integration", "integration"):
        assert f"| `{key}` | name or ID |" in text
