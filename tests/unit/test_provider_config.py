"""Provider configuration: config keys, environment fallbacks, clients, and key hygiene."""

from __future__ import annotations

import base64
from itertools import chain

import dill
import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider

from arize_pulumi.resources import ProviderSettings, TaskProvider, TaskRunProvider
from arize_pulumi.resources._provider import MissingAPIKey, ResourceError, shared_client
from arize_pulumi.resources.config import ConfigError
from arize_pulumi.tasks._config import ENVIRONMENT
from tests.unit.test_resources_support import PROJECT_EVAL, declared

KEY = "ak-TOP-SECRET-" + "z" * 24
ENV_KEYS = ("ARIZE_API_KEY", "ARIZE_SPACE", *chain.from_iterable(ENVIRONMENT.values()))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_KEYS:
        monkeypatch.delenv(name, raising=False)


def stack_config(values: dict[str, object]) -> Config:
    return Config(raw_config=dict(values), project_name="demo")


def test_settings_come_from_the_stack_config() -> None:
    settings = ProviderSettings.load(
        stack_config(
            {
                "arize:apiKey": KEY,
                "arize:baseUrl": "http://127.0.0.1:8080",
                "arize:space": "demo-space",
                "arize:timeout": "12.5",
                "arize:maxRetries": "3",
                "arize:retryMaxElapsed": 20,
            }
        )
    )
    assert settings == ProviderSettings(
        api_key=KEY,
        base_url="http://127.0.0.1:8080",
        space="demo-space",
        timeout=12.5,
        max_retries=3,
        retry_max_elapsed=20.0,
    )


def test_the_environment_fills_what_the_config_leaves_out() -> None:
    environ = {
        "ARIZE_API_KEY": KEY,
        "ARIZE_BASE_URL": "http://env",
        "ARIZE_REGION": "eu-west-1a",
        "ARIZE_SPACE": "env-space",
    }
    settings = ProviderSettings.load(stack_config({"arize:space": "config-space"}), environ)
    assert settings.api_key == KEY
    assert settings.base_url == "http://env"
    assert settings.region == "eu-west-1a"
    assert settings.space == "config-space"
    assert dict(settings.sources) == {"base_url": "ARIZE_BASE_URL", "region": "ARIZE_REGION"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("arize:timeout", "soon"),
        ("arize:timeout", "0"),
        ("arize:maxRetries", "-1"),
        ("arize:maxRetries", "2.5"),
        ("arize:retryMaxElapsed", "-3"),
    ],
)
def test_malformed_values_name_their_key(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{key}: "):
        ProviderSettings.load(stack_config({key: value}), {})


def test_configure_reads_namespaced_keys_and_the_key_stays_out_of_repr() -> None:
    provider = TaskProvider()
    provider.configure(ConfigureRequest(stack_config({"arize:apiKey": KEY, "arize:space": "s"})))
    assert provider.settings.api_key == KEY
    assert provider.settings.space == "s"
    assert KEY not in repr(provider.settings)


def test_a_missing_key_names_both_ways_to_set_it() -> None:
    provider = TaskProvider()
    provider.configure(ConfigureRequest(stack_config({})))
    with pytest.raises(MissingAPIKey) as missing:
        provider.client()
    message = str(missing.value)
    assert "pulumi config set --secret arize:apiKey" in message
    assert "ARIZE_API_KEY" in message


def test_a_missing_key_fails_create_clearly() -> None:
    provider = TaskRunProvider()
    provider.configure(ConfigureRequest(stack_config({})))
    with pytest.raises(ResourceError, match="arize:apiKey"):
        provider.create({"task": "VGFzazoxOmFCY0Q=", "__name": "r"})


def test_an_unusable_configuration_is_a_clear_error() -> None:
    provider = TaskProvider()
    provider.configure(
        ConfigureRequest(
            stack_config({"arize:apiKey": KEY, "arize:region": "moon-1", "arize:space": "s"})
        )
    )
    with pytest.raises(ResourceError, match="arize:region: unknown region 'moon-1'") as failed:
        provider.client()
    assert KEY not in str(failed.value)
    failures = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert failures and "unknown region" in failures[0].reason
    assert failures[0].reason.startswith("Task 'eval': provider configuration arize:region")


def test_a_missing_key_at_check_is_not_blamed_on_the_space() -> None:
    provider = TaskProvider()
    provider.configure(ConfigureRequest(stack_config({"arize:space": "s"})))
    (failure,) = provider.check({}, declared("eval", PROJECT_EVAL)).failures
    assert failure.reason.startswith("Task 'eval': no Arize API key is configured")


def test_providers_share_one_client_per_configuration() -> None:
    settings = ProviderSettings(api_key=KEY, base_url="http://127.0.0.1:9", max_retries=2)
    tasks, runs = TaskProvider(), TaskRunProvider()
    tasks._settings = runs._settings = settings
    assert tasks.client() is runs.client()
    assert tasks.client().retry_policy.max_attempts == 3
    other = ProviderSettings(api_key=KEY, base_url="http://127.0.0.1:10")
    assert shared_client(other) is not shared_client(settings)


def test_the_provider_pickles_by_reference_and_holds_no_key() -> None:
    for provider in (TaskProvider(), TaskRunProvider()):
        provider.configure(ConfigureRequest(stack_config({"arize:apiKey": KEY})))
        provider.client()
        serialized = serialize_provider(provider)
        assert len(serialized) < 300
        raw = base64.b64decode(serialized)
        assert KEY.encode() not in raw
        restored = dill.loads(raw)
        assert type(restored) is type(provider)
        assert restored._settings is None and restored._client_factory is None
    assert TaskProvider.serialize_as_secret_always is False


def test_the_provider_serializes_the_same_every_time() -> None:
    assert serialize_provider(TaskProvider()) == serialize_provider(TaskProvider())
