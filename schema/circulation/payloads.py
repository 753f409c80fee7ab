"""The payloads of the circulation mutations: renewal results, placed and cancelled holds."""

from __future__ import annotations

import strawberry

from schema.catalogue.enums import HoldBlock
from schema.circulation.enums import RenewalBlock
from schema.circulation.types import Hold, Loan
from schema.payload import UserError


@strawberry.type
class RenewalResult:
    loan_id: strawberry.ID
    renewed: bool
    loan: Loan | None = strawberry.field(
        description="The loan after the attempt (new due date when renewed)."
    )
    reasons: list[RenewalBlock]
    message: str | None


@strawberry.type
class RenewLoansPayload:
    results: list[RenewalResult]
    renewed_count: int
    errors: list[UserError]


@strawberry.type
class PlaceHoldPayload:
    hold: Hold | None
    reasons: list[HoldBlock]
    errors: list[UserError]


@strawberry.type
class CancelHoldPayload:
    cancelled: bool
    errors: list[UserError]
