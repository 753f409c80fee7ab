"""`GATEWAY_SMTP_URL` read into an `SmtpEndpoint`.

    smtp://host[:port]                   plain SMTP (port 25); STARTTLS if the server offers it
    smtp://host:587?starttls=true        STARTTLS required: no mail goes out without it
    smtp://host:25?starttls=false        never STARTTLS (a relay on the same host)
    smtps://host[:port]                  implicit TLS from the first byte (port 465)
    smtp://user:pass%40word@host:587?starttls=true&timeout=20

User and password are percent-decoded (a `@` in a password is written `%40`). Owns the
parsing only. Never puts the password in an error message or in `repr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

TlsMode = Literal["implicit", "required", "never", "opportunistic"]

_DEFAULT_PORTS = {"implicit": 465, "required": 587}
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True, slots=True)
class SmtpEndpoint:
    """Where and how to send: host, port, TLS mode, credentials (the password hidden from repr)."""

    host: str
    port: int
    tls: TlsMode
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    def describe(self) -> str:
        """For the start-up banner and logs: no credentials."""
        scheme = "smtps" if self.tls == "implicit" else "smtp"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port} (TLS: {self.tls})"


def parse_smtp_url(url: str) -> SmtpEndpoint:
    """The endpoint of an smtp:// or smtps:// URL (ValueError, without the password, if malformed)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("expected smtp:// or smtps://")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError("expected a host: smtp://host:port")
    if parts.path not in ("", "/"):
        raise ValueError("an SMTP URL has no path")
    options = _options(parts.query)
    starttls = options.pop("starttls", None)
    timeout = options.pop("timeout", None)
    if options:
        raise ValueError(f"unknown option(s): {', '.join(sorted(options))} (expected starttls, timeout)")
    tls = _tls_mode(parts.scheme, starttls)
    return SmtpEndpoint(
        host=parts.hostname,
        port=port or _DEFAULT_PORTS.get(tls, 25),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        timeout=_timeout(timeout),
    )


def _options(query: str) -> dict[str, str]:
    values = parse_qs(query, keep_blank_values=True, strict_parsing=False)
    if any(len(given) > 1 for given in values.values()):
        raise ValueError("an option is given twice")
    return {name.lower(): given[0] for name, given in values.items()}


def _tls_mode(scheme: str, starttls: str | None) -> TlsMode:
    if starttls is None:
        return "implicit" if scheme == "smtps" else "opportunistic"
    wanted = _BOOLEANS.get(starttls.lower())
    if wanted is None:
        raise ValueError("starttls must be true or false")
    if scheme == "smtps":
        raise ValueError("smtps:// is TLS from the start: starttls does not apply")
    return "required" if wanted else "never"


def _timeout(text: str | None) -> float:
    if text is None:
        return 30.0
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError("timeout must be a number of seconds") from None
    if not 1 <= seconds <= 600:
        raise ValueError("timeout must be between 1 and 600 seconds")
    return seconds
