"""Settings of the gateway's SIP2 link: where the ACS is, our login, and the pool's promises.

Owns `Sip2Config`, read once and frozen. The password is masked in `repr` so the config
can be logged. Must never read the environment itself (the gateway's settings do that).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Sip2Config:
    """How to reach and log in to the ACS, and how hard to lean on it."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    institution: str = "PARIS"
    location: str = ""
    size: int = 4  # connections: our promise of load to the ILS
    timeout: float = 5.0  # per exchange (request written -> response read)
    connect_timeout: float = 5.0  # TCP connect + login + status
    encoding: str = "utf-8"
    error_detection: bool = True
    acquire_timeout: float | None = None  # waiting for a free connection; None: `timeout`

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("Sip2Config.size must be at least 1")
        if self.timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("Sip2Config timeouts must be positive")
