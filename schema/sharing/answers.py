"""What the sharing mutations share: the signed-in party, the service, and refusals as UserErrors.

Owns the mapping of the store's and the rules' refusals to UserError codes (with the input
field at fault) and the guard every sharing mutation starts with: a signed-in patron acting
on their own account (CHANGE_PERSONAL by the access rule; staff and share viewers never
manage someone's shares).
"""

from __future__ import annotations

from schema.context import Info
from schema.errors import SchemaError
from schema.patrons.permissions import Capability, require_access, require_signed_in_patron
from schema.payload import UserError, user_error
from schema.sharing.service import SharingService


class SharingUnavailable(SchemaError):
    """The gateway runs without the sharing service (never in the served app)."""


async def acting_patron(info: Info) -> str:
    """The signed-in patron managing their own shares (UNAUTHENTICATED / FORBIDDEN otherwise)."""
    patron_id = require_signed_in_patron(info)
    await require_access(info, patron_id, Capability.CHANGE_PERSONAL)
    return patron_id


def sharing(info: Info) -> SharingService:
    service = info.context.sharing
    if service is None:
        raise SharingUnavailable()
    return service


def refused(info: Info, code: str, field: str | None = None) -> UserError:
    return user_error(code, info.context.language, None if field is None else [field])
