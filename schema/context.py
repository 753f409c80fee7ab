"""The typed per-request context every resolver receives.

Built by the gateway for each request (`gateway/app.py`); the schema never sees
Starlette objects, only the small protocols below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Protocol, TypeAlias

from strawberry.types import Info as StrawberryInfo

from adapters.ils.port import IlsPort
from adapters.mail.port import MailQueue
from adapters.store.port import PortalStore
from schema.viewer import Viewer

if TYPE_CHECKING:
    from schema.downloads.service import DownloadService
    from schema.loaders import Loaders
    from schema.sharing.service import SharingService

__all__ = ["AuthService", "Context", "Info", "SignIn", "Viewer"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SignIn:
    """What the authentication service answers to a login attempt."""

    ok: bool
    # When not ok: INVALID_CREDENTIALS, EMAIL_NOT_UNIQUE, TOO_MANY_REQUESTS or SIGN_IN_UNAVAILABLE.
    code: str | None = None
    patron_id: str | None = None
    token: str | None = None
    expires_at: datetime | None = None


class AuthService(Protocol):
    """Sign-in and sign-out, implemented by the gateway (sessions, throttling, cookies)."""

    async def login(self, identifier: str, password: str) -> SignIn: ...

    async def logout(self) -> bool: ...


@dataclass(slots=True)
class Context:
    viewer: Viewer | None
    ils: IlsPort
    store: PortalStore
    auth: AuthService
    loaders: Loaders
    language: str = "fr"
    # The SIP2 link's send and receive encodings: what a value sent to the ILS must fit
    # (schema/input_guard.py's rules; a resolver applying one itself passes them).
    ils_encodings: tuple[str, ...] = ("utf-8",)
    today: date = field(default_factory=date.today)
    # The request's instant (the gateway's clock): share expiry and timestamps use it.
    now: datetime = field(default_factory=_utc_now)
    # Signs download links (schema/downloads/); the gateway always gives one.
    downloads: DownloadService | None = None
    # Share requests' tokens, lifetimes and mail (schema/sharing/); the gateway always gives one.
    sharing: SharingService | None = None
    # Queues mail (adapters/mail/__init__.py says how); the gateway always gives one.
    mail: MailQueue | None = None


Info: TypeAlias = StrawberryInfo[Context, None]
