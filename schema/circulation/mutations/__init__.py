"""The circulation mutations, one module each, merged into one type for the root."""

from __future__ import annotations

import strawberry

from schema.circulation.mutations.cancel_hold import cancel_hold
from schema.circulation.mutations.place_hold import place_hold
from schema.circulation.mutations.renew_all_loans import renew_all_loans
from schema.circulation.mutations.renew_loans import renew_loans
from schema.circulation.payloads import CancelHoldPayload, PlaceHoldPayload, RenewLoansPayload


@strawberry.type
class CirculationMutation:
    renew_loans: RenewLoansPayload = strawberry.mutation(
        resolver=renew_loans,
        description=(
            "Renew the given loans, each judged on its own: a refusal of one never blocks\n"
            "the others. The loans may belong to the viewer or to an account shared with\n"
            "the viewer."
        ),
    )
    renew_all_loans: RenewLoansPayload = strawberry.mutation(
        resolver=renew_all_loans, description="Renew every renewable loan of a patron (default: the viewer)."
    )
    place_hold: PlaceHoldPayload = strawberry.mutation(
        resolver=place_hold,
        description=(
            "Reserve a title for pickup at a library. `idempotencyKey` makes a retried\n"
            "request return the first result instead of placing a second hold."
        ),
    )
    cancel_hold: CancelHoldPayload = strawberry.mutation(
        resolver=cancel_hold, description="Cancel a hold that is not yet available for pickup."
    )
