"""The gateway's settings: read once from `GATEWAY_*` environment variables into a frozen object.

Owns parsing and validation of configuration. Never logs or prints a secret: passwords,
the secret key and staff tokens are `SecretStr`, and URLs show `***` for their password in
`repr`. Nothing else in the code base reads the environment.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from adapters.windows import parse_rate


def _random_key() -> SecretStr:
    # Development only: sessions then last as long as the process (production must set one).
    return SecretStr(secrets.token_urlsafe(32))


def mask_url(url: str | None) -> str | None:
    """The URL with its password replaced by `***` (for repr and logs)."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class Settings(BaseSettings):
    """Every setting of the gateway; environment variable = `GATEWAY_` + upper-case field name."""

    # hide_input_in_errors: a refused value (an SMTP URL with its password) is never printed.
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", frozen=True, extra="ignore", hide_input_in_errors=True
    )

    env: Literal["development", "production"] = "development"

    # The legacy ILS.
    ils_sip2_address: str = "127.0.0.1:6001"
    ils_sip2_user: str = "gateway"
    ils_sip2_password: SecretStr = SecretStr("gateway")
    ils_sip2_pool_size: int = Field(default=4, ge=1, le=64)
    # Seconds one SIP2 exchange may wait for its answer (then: a failure, outcome unknown for a
    # write), and opening a connection (connect, login, status).
    ils_sip2_timeout: float = Field(default=5.0, gt=0, le=120)
    ils_sip2_institution: str = "PARIS"  # AO
    # What the ILS family expects (adapters/ils/sip2/presets.py, README "SIP2 presets");
    # the settings below that are left unset take the preset's value.
    ils_sip2_preset: Literal["none", "koha", "evergreen", "symphony", "folio", "sierra", "alma"] = "none"
    ils_sip2_location: str = ""  # CP in the login (FOLIO: the service point UUID)
    ils_sip2_encoding: str | None = None  # both directions (utf-8, cp850, latin-1...)
    ils_sip2_send_encoding: str | None = None  # overrides ils_sip2_encoding for what we send
    ils_sip2_receive_encoding: str | None = None  # ...and for what the ILS sends
    ils_sip2_error_detection: bool | None = None  # AY/AZ on our frames
    ils_sip2_terminal_password: SecretStr = SecretStr("")  # AC (Symphony, Alma)
    ils_sip2_hold_identifier: Literal["title", "item"] | None = None  # holds by AJ or by AB
    ils_soap_wsdl: str = "http://127.0.0.1:8001/ils?wsdl"  # empty: no SOAP service (SIP2 alone)
    # "sip2": the ILS over SIP2 alone (adapters/ils/sip2_only.py); "composite": SIP2 + SOAP.
    # Unset: SIP2 alone when GATEWAY_ILS_SOAP_WSDL is empty, both otherwise.
    ils_profile: Literal["composite", "sip2"] | None = None
    # SIP2-only profile: the network's libraries (SIP2 has no list of them), a JSON file of
    # [{"code", "name", "address", "acceptsPickup"}]; none: no library is known by name.
    ils_libraries_file: str | None = None
    # Circuit breaker, one per protocol (adapters/ils/breaker.py): open after this many
    # consecutive failures (timeouts, connection errors, lost answers; not refusals), fail fast
    # for `cooldown` seconds, then let one probe through.
    ils_breaker_failures: int = Field(default=5, ge=1, le=1000)
    ils_breaker_cooldown: float = Field(default=10.0, ge=0, le=3600)

    # Shared state.
    database_url: str = "sqlite+aiosqlite:///./gateway.sqlite"
    redis_url: str | None = None
    # Prefix of every key the gateway writes in Redis (gateways sharing one Redis keep apart).
    redis_prefix: str = "ils-gateway"
    # Seconds a process keeps a session or a viewer's shares read from the store: a logout or
    # a revocation reaches the other workers and replicas within this (0: read every time).
    store_cache_seconds: float = Field(default=2.0, ge=0, le=60)

    # Secrets and access.
    secret_key: SecretStr = Field(default_factory=_random_key)
    staff_tokens: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    public_url: str = "http://127.0.0.1:8000"

    # Sessions (seconds, or ISO 8601 durations).
    session_idle_timeout: timedelta = timedelta(minutes=30)
    session_absolute_timeout: timedelta = timedelta(hours=12)
    session_cookie_name: str = "gateway_session"

    # Downloads (exports and account summaries): how long a signed link works, and what the files say.
    download_ttl: timedelta = timedelta(minutes=10)
    network_name: str = "Bibliothèques de la Ville de Paris"
    # Where a record is shown (RIS `UR`, HTML links): `{id}` is the record id. None: the record's
    # data through this gateway's public GraphQL GET (`{public_url}/graphql?query=…`).
    record_url: str | None = None

    # Mail (adapters/mail): smtp://host:port, smtps://host:port, smtp://user:pass@host:587?starttls=true
    # (adapters/mail/smtp_url.py). None: every mail is written as a .eml file to mail_outbox.
    smtp_url: str | None = None
    mail_outbox: Path = Path("./mail-outbox")
    mail_from: str = "Bibliothèques <no-reply@bibliotheques.example.org>"

    # New-arrivals digests inside `serve` (gateway/alerts_schedule.py): a daily time "07:00" (the
    # server's local time) or seconds between runs "3600". None: only `ils-gateway send-alerts` runs them.
    alerts_schedule: str | None = None

    # Share requests: how long one waits for its answer (its e-mailed link works as long).
    share_request_ttl: timedelta = timedelta(days=14)

    # Sign-in throttling (moving windows, `N/M unit`: adapters/throttle.py). Failed sign-ins per
    # card and per client address; per password network-wide, after which that password is paced.
    login_card_limit: str = "5/15 minutes"
    login_address_limit: str = "20/15 minutes"
    login_password_limit: str = "20/15 minutes"
    login_password_pace: str = "1/10 seconds"
    # Peers whose X-Forwarded-For is believed (addresses or CIDRs); none by default.
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()

    # Query limits.
    query_max_depth: int = Field(default=12, ge=1)
    query_max_aliases: int = Field(default=15, ge=0)
    query_max_tokens: int = Field(default=1000, ge=10)
    # Field resolutions a document may cause (gateway/document_measure.py): lists count their
    # `first` or, without one, `query_list_size`. The Dashboard costs 1,660, a search page 1,521.
    query_max_cost: int = Field(default=10_000, ge=1)
    query_list_size: int = Field(default=10, ge=1)
    # Bytes of parsed documents and validation results kept between requests.
    query_cache_bytes: int = Field(default=16 * 1024 * 1024, ge=0)
    # Bytes of a request body (and of a GET's query string); refused with 413 beyond.
    request_max_bytes: int = Field(default=64 * 1024, ge=1024)
    # Seconds a request waits for the ILS's reads (adapters/ils/budget.py): past it, the fields
    # still missing are ILS_UNAVAILABLE and the answer goes out with what it has. Writes are
    # never cut once sent, nor their confirming re-read.
    request_time_budget: float = Field(default=5.0, gt=0, le=600)
    # Requests one worker serves at once (gateway/in_flight.py); beyond, a fast 503 with
    # Retry-After (the probes are not counted).
    max_in_flight: int = Field(default=64, ge=1, le=100_000)
    # Level of the served gateway's log lines (client disconnects are DEBUG lines).
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # None: open to all in development, to staff only in production.
    introspection: bool | None = None
    # The explorer page holds nothing secret: what it can show depends on introspection.
    graphiql: bool = True
    # Where `python -m gateway.assets` put the GraphiQL files (None: gateway/static/vendor).
    graphiql_assets_dir: Path | None = None

    @field_validator("staff_tokens", mode="before")
    @classmethod
    def _split_tokens(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(token.strip() for token in value.split(",") if token.strip())
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_networks(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(ip_network(part.strip()) for part in value.split(",") if part.strip())
        return value

    @field_validator("login_card_limit", "login_address_limit", "login_password_limit", "login_password_pace")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator(
        "session_idle_timeout", "session_absolute_timeout", "download_ttl", "share_request_ttl", mode="before"
    )
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        # Plain numbers in the environment are seconds (ISO 8601 durations work too: PT30M).
        if isinstance(value, str) and value.strip().isdigit():
            return timedelta(seconds=int(value))
        return value

    @property
    def sip2_only(self) -> bool:
        """Whether the ILS is reached over SIP2 alone (no SOAP service)."""
        return self.ils_profile == "sip2" or (self.ils_profile is None and not self.ils_soap_wsdl)

    @field_validator("ils_sip2_address")
    @classmethod
    def _check_address(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError("expected host:port")
        return value

    @field_validator("download_ttl")
    @classmethod
    def _check_download_ttl(cls, value: timedelta) -> timedelta:
        # A link must outlive the click that opens it, and stay short-lived.
        if not timedelta(seconds=10) <= value <= timedelta(hours=24):
            raise ValueError("expected between 10 seconds and 24 hours")
        return value

    @field_validator("share_request_ttl")
    @classmethod
    def _check_share_request_ttl(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=1) <= value <= timedelta(days=90):
            raise ValueError("expected between 1 minute and 90 days")
        return value

    @field_validator("record_url")
    @classmethod
    def _check_record_url(cls, value: str | None) -> str | None:
        if value is not None and "{id}" not in value:
            raise ValueError("expected a URL with {id} where the record id goes")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        from adapters.mail.smtp_url import parse_smtp_url

        parse_smtp_url(value)  # its errors never hold the password
        return value

    @field_validator("alerts_schedule")
    @classmethod
    def _check_alerts_schedule(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        from gateway.alerts_schedule import AlertsSchedule

        AlertsSchedule.parse(value)
        return value.strip()

    @field_validator("mail_from")
    @classmethod
    def _check_mail_from(cls, value: str) -> str:
        from email.utils import parseaddr

        from adapters.mail.message import check_address

        address = parseaddr(value)[1]
        if "\n" in value or "\r" in value:
            address = ""
        try:
            check_address(address)
        except ValueError:
            raise ValueError('expected an address, e.g. "Bibliothèques <no-reply@example.org>"') from None
        return value

    @model_validator(mode="after")
    def _production_needs_a_key(self) -> Settings:
        if self.env == "production" and "secret_key" not in self.model_fields_set:
            raise ValueError("GATEWAY_SECRET_KEY is required when GATEWAY_ENV=production")
        return self

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            if name in ("database_url", "redis_url", "smtp_url"):
                yield name, mask_url(value)
            else:
                yield name, value

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    @property
    def sip2_host(self) -> str:
        return self.ils_sip2_address.rpartition(":")[0]

    @property
    def sip2_port(self) -> int:
        return int(self.ils_sip2_address.rpartition(":")[2])

    @property
    def introspection_for_all(self) -> bool:
        """Introspection open to everyone (staff always have it)."""
        return self.is_development if self.introspection is None else self.introspection

    def staff_token_values(self) -> frozenset[str]:
        """The staff tokens in clear, for constant-time comparison by the gateway."""
        return frozenset(token.get_secret_value() for token in self.staff_tokens)
