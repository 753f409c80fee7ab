"""`UserError`: an expected, user-facing refusal returned as data in a mutation payload; `DeletePayload`.

Owns those types and the construction of a UserError with a localized message. Never carries
exception text: only a code, a message from `schema.i18n`, and the input path.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from schema.i18n import translate


@strawberry.type(description="An expected refusal (a rule of the portal, a bad value), as data.")
class UserError:
    code: str
    message: str
    field: list[str] | None = strawberry.field(
        default=None, description="Path of the input field at fault, if any."
    )


@strawberry.type(description="The answer to a deletion: whether something was deleted, or why not.")
class DeletePayload:
    deleted: bool
    errors: list[UserError]


def user_error(code: str, language: str, field: Sequence[str] | None = None, **params: object) -> UserError:
    """A UserError with its message in `language`."""
    return UserError(
        code=code,
        message=translate(code, language, **params),
        field=list(field) if field is not None else None,
    )
