"""Settings: read from GATEWAY_* once, frozen, secrets never in repr, production needs a key."""

from __future__ import annotations

import pydantic
import pytest

from gateway.settings import Settings, mask_url


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ILS_SIP2_ADDRESS", "ils.example:6001")
    monkeypatch.setenv("GATEWAY_ILS_SIP2_POOL_SIZE", "8")
    monkeypatch.setenv("GATEWAY_STAFF_TOKENS", "alpha, beta,,")
    monkeypatch.setenv("GATEWAY_SESSION_IDLE_TIMEOUT", "600")

    settings = Settings()

    assert (settings.sip2_host, settings.sip2_port) == ("ils.example", 6001)
    assert settings.ils_sip2_pool_size == 8
    assert settings.staff_token_values() == frozenset({"alpha", "beta"})
    assert settings.session_idle_timeout.total_seconds() == 600


def test_secrets_are_masked_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ILS_SIP2_PASSWORD", "sip2-pass")
    monkeypatch.setenv("GATEWAY_SECRET_KEY", "the-key")
    monkeypatch.setenv("GATEWAY_STAFF_TOKENS", "staff-secret")
    monkeypatch.setenv("GATEWAY_DATABASE_URL", "postgresql+asyncpg://gw:db-pass@db/gw")
    monkeypatch.setenv("GATEWAY_REDIS_URL", "redis://:redis-pass@cache:6379/0")

    text = repr(Settings())

    for secret in ("sip2-pass", "the-key", "staff-secret", "db-pass", "redis-pass"):
        assert secret not in text
    assert "postgresql+asyncpg://gw:***@db/gw" in text


def test_settings_are_frozen() -> None:
    settings = Settings(secret_key="k")

    with pytest.raises(pydantic.ValidationError):
        settings.env = "production"  # type: ignore[misc]


def test_production_requires_a_secret_key() -> None:
    with pytest.raises(pydantic.ValidationError, match="GATEWAY_SECRET_KEY"):
        Settings(env="production")
    assert Settings(env="production", secret_key="k").is_development is False


def test_a_bad_sip2_address_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        Settings(ils_sip2_address="no-port")


def test_introspection_defaults_follow_the_environment() -> None:
    assert Settings().introspection_for_all is True
    assert Settings(env="production", secret_key="k").introspection_for_all is False
    assert Settings(env="production", secret_key="k", introspection=True).introspection_for_all is True


def test_mask_url_leaves_urls_without_password_alone() -> None:
    assert mask_url("sqlite+aiosqlite:///./gateway.sqlite") == "sqlite+aiosqlite:///./gateway.sqlite"
    assert mask_url(None) is None


def test_trusted_proxies_are_none_by_default_and_read_as_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().trusted_proxies == ()

    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1,,::1")

    networks = [str(network) for network in Settings().trusted_proxies]
    assert networks == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/33"), ("GATEWAY_LOGIN_PASSWORD_PACE", "1 every minute")],
)
def test_bad_proxies_or_rates_are_refused_at_start_up(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(pydantic.ValidationError):
        Settings()
