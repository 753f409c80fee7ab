"""Settings of the gateway's SIP2 link: where the ACS is, our login, how to speak to it, the pool's promises.

Owns `Sip2Config`, read once and frozen. The passwords (login and terminal) are masked in
`repr` so the config can be logged. Must never read the environment itself (the gateway's
settings do that; per-ILS presets live in `presets.py`).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

HOLD_IDENTIFIERS = ("title", "item")


@dataclass(frozen=True, slots=True)
class Sip2Config:
    """How to reach and log in to the ACS, how to write to it, and how hard to lean on it."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    institution: str = "PARIS"  # AO in every request
    location: str = ""  # CP in the login (93): the ACS's name for this terminal's location
    size: int = 4  # connections: our promise of load to the ILS
    timeout: float = 5.0  # per exchange (request written -> response read)
    connect_timeout: float = 5.0  # TCP connect + login + status
    encoding: str = "utf-8"  # both directions, unless send_encoding / receive_encoding say otherwise
    error_detection: bool = True  # AY/AZ on what we send; answers are read with or without
    acquire_timeout: float | None = None  # waiting for a free connection; None: `timeout`
    send_encoding: str | None = None  # what we write in (None: `encoding`)
    receive_encoding: str | None = None  # what the ACS writes in (None: `encoding`)
    terminal_password: str = field(default="", repr=False)  # AC (Symphony, Alma need one)
    hold_identifier: str = "title"  # place/cancel holds by "title" id (AJ) or "item" barcode (AB)

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("Sip2Config.size must be at least 1")
        if self.timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("Sip2Config timeouts must be positive")
        if self.hold_identifier not in HOLD_IDENTIFIERS:
            raise ValueError("Sip2Config.hold_identifier must be 'title' or 'item'")
        for name in (self.encoding, self.send_encoding, self.receive_encoding):
            if name is not None:
                codecs.lookup(name)  # LookupError now, not on the first request

    @property
    def encoding_out(self) -> str:
        """The encoding of the frames we send (the checksum is computed on these bytes)."""
        return self.send_encoding or self.encoding

    @property
    def encoding_in(self) -> str:
        """The encoding of the frames the ACS sends."""
        return self.receive_encoding or self.encoding
