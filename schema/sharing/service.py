"""What the sharing feature needs from the gateway: the token signer, lifetimes, the link's base, the mailer.

Owns the `SharingService` value the gateway puts in every request's context (and hands to
the share pages' routes). Holds no state of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta, tzinfo

from schema.sharing.mail import ShareMailer
from schema.sharing.rules import DEFAULT_REQUEST_TTL
from schema.sharing.tokens import AcceptTokens

ACCEPT_PATH = "/shares/accept"


@dataclass(frozen=True, slots=True)
class SharingService:
    tokens: AcceptTokens
    public_url: str
    network_name: str = "Bibliothèques"
    request_ttl: timedelta = DEFAULT_REQUEST_TTL
    # Where end days begin (the library's time zone).
    zone: tzinfo = UTC
    # None: no mail can be sent; every request waits in the account (delivery IN_ACCOUNT).
    mailer: ShareMailer | None = None

    def accept_link(self, token: str) -> str:
        """The page a mail links to (GATEWAY_PUBLIC_URL/shares/accept?token=…)."""
        return f"{self.public_url.rstrip('/')}{ACCEPT_PATH}?token={token}"
