"""`login` and `logout`: the schema side of sign-in, over the context's `AuthService`.

Owns the payload and the mapping of a `SignIn` to it. The procedure itself (throttling,
the ILS check, the session and its cookie) is the gateway's `AuthService`. Never echoes
the identifier or the password, in a payload or an error.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info, Viewer
from schema.payload import UserError, user_error

if TYPE_CHECKING:
    from schema.patrons.types import Patron

PatronRef = Annotated["Patron", strawberry.lazy("schema.patrons.types")]


@strawberry.type
class LoginPayload:
    patron: PatronRef | None = None
    token: str | None = strawberry.field(
        default=None, description="Bearer token for API clients (the same session as the cookie)."
    )
    expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def resolve_login(info: Info, identifier: str, password: str) -> LoginPayload:
    """Resolver of Mutation.login."""
    context = info.context
    result = await context.auth.login(identifier, password)
    if not result.ok or result.patron_id is None:
        return LoginPayload(errors=[user_error(result.code or "INVALID_CREDENTIALS", context.language)])
    # The rest of this request (the payload's patron) is asked as the patron who signed in.
    context.viewer = Viewer(patron_id=result.patron_id)
    from schema.patrons.types import load_visible_patron

    patron = await load_visible_patron(info, result.patron_id)
    return LoginPayload(patron=patron, token=result.token, expires_at=result.expires_at)


async def resolve_logout(info: Info) -> bool:
    """Resolver of Mutation.logout."""
    ended = await info.context.auth.logout()
    info.context.viewer = None
    return ended


_LOGIN_DESCRIPTION = """Sign in with the card number (spaces and punctuation ignored) or the e-mail of
the account, and the birth date as password (ddmmyyyy). An e-mail shared by
several accounts is refused with EMAIL_NOT_UNIQUE. Repeated failures are
throttled per card and per client (TOO_MANY_REQUESTS), whatever the batching.
Sets an HttpOnly session cookie and also returns the token for API clients."""

_LOGOUT_DESCRIPTION = "Ends the current session everywhere it is used; true if a session was ended."


@strawberry.type
class AuthMutation:
    # Resolvers given as functions: `@strawberry.mutation(description=...)` is untyped for mypy.
    login: LoginPayload = strawberry.mutation(resolver=resolve_login, description=_LOGIN_DESCRIPTION)
    logout: bool = strawberry.mutation(resolver=resolve_logout, description=_LOGOUT_DESCRIPTION)
