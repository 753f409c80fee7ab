"""updateProfile: change the e-mail, phone or mobile kept by the ILS ("" removes, null leaves).

Only the patron themself (a share viewer or staff without an account of their
own gets FORBIDDEN). Bad values come back as UserErrors and change nothing.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from schema.confirmed_write import Outcome, WriteResult, outcome_error, write_and_confirm
from schema.context import Info
from schema.patrons.permissions import require_signed_in_patron
from schema.patrons.types import Patron
from schema.patrons.validation import ContactChange, validate_contact
from schema.payload import UserError, user_error


@strawberry.input
class ProfileInput:
    email: str | None = strawberry.field(default=None, description="Empty string removes it.")
    phone: str | None = None
    mobile: str | None = None


@strawberry.type
class UpdateProfilePayload:
    patron: Patron | None
    errors: list[UserError]


async def update_profile(info: Info, input: ProfileInput) -> UpdateProfilePayload:
    """Validate, write through the ILS, and answer with the patron as the ILS now has it."""
    patron_id = require_signed_in_patron(info)
    language = info.context.language
    change, problems = validate_contact(input.email, input.phone, input.mobile)
    if problems:
        errors = [user_error(p.code, language, ["input", p.field]) for p in problems]
        return UpdateProfilePayload(patron=None, errors=errors)
    errors = await _write(info, patron_id, change)
    info.context.loaders.accounts.clear(patron_id)
    account = await info.context.loaders.accounts.load(patron_id)
    return UpdateProfilePayload(patron=Patron(account=account) if account else None, errors=errors)


async def _write(info: Info, patron_id: str, change: ContactChange) -> list[UserError]:
    async def reconcile() -> bool:
        # The change either is there in full or was not made.
        (account,) = await info.context.ils.get_accounts([patron_id])
        return account is not None and _applied(account.patron, change)

    result: WriteResult[models.Patron] = await write_and_confirm(
        "update_contact",
        lambda: info.context.ils.update_contact(
            patron_id, email=change.email, phone=change.phone, mobile=change.mobile
        ),
        reconcile,
    )
    field = ["input"] if result.outcome is Outcome.REFUSED else None
    error = outcome_error(result, info.context.language, field)
    return [] if error is None else [error]


def _applied(patron: models.Patron, change: ContactChange) -> bool:
    wanted = {"email": change.email, "phone": change.phone, "mobile": change.mobile}
    return all(
        getattr(patron, name) == (value or None) for name, value in wanted.items() if value is not None
    )
