"""cancelHold: cancel a hold that is not yet available for pickup.

The patron or staff only (an accepted share shows holds but does not allow
cancelling them). The write goes through the one write-and-confirm path: after a lost
answer the account is read again, and the hold was cancelled if it is gone.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from schema.circulation.ids import decode_ref
from schema.circulation.payloads import CancelHoldPayload
from schema.circulation.permissions import may_cancel_hold, require_viewer
from schema.circulation.rules import is_cancellable
from schema.confirmed_write import WriteResult, outcome_error, write_and_confirm
from schema.context import Info
from schema.errors import Forbidden
from schema.payload import UserError, user_error


async def cancel_hold(info: Info, hold_id: strawberry.ID) -> CancelHoldPayload:
    """Check who asks and the hold's status, then cancel it in the ILS."""
    require_viewer(info)
    language = info.context.language
    ref = decode_ref(str(hold_id))
    if ref is None:
        return _failed(user_error("HOLD_NOT_FOUND", language, ["holdId"]))
    if not await may_cancel_hold(info, ref.patron_id):
        raise Forbidden()
    account = await info.context.loaders.accounts.load(ref.patron_id)
    hold = next((h for h in account.holds if h.id == ref.ils_id), None) if account else None
    if hold is None:
        return _failed(user_error("HOLD_NOT_FOUND", language, ["holdId"]))
    if not is_cancellable(hold):
        return _failed(user_error("HOLD_NOT_CANCELLABLE", language, ["holdId"]))
    try:
        return await _cancel(info, hold)
    finally:
        info.context.loaders.accounts.clear(hold.patron_id)
        # The title's copies changed hold queues; their ids are not at hand, and items are per request.
        info.context.loaders.items.clear_all()


async def _cancel(info: Info, hold: models.Hold) -> CancelHoldPayload:
    async def reconcile() -> bool:
        # Cancelled if the account no longer has the hold.
        (account,) = await info.context.ils.get_accounts([hold.patron_id])
        return account is not None and all(h.id != hold.id for h in account.holds)

    result: WriteResult[models.HoldOutcome] = await write_and_confirm(
        "cancel_hold",
        lambda: info.context.ils.cancel_hold(hold.patron_id, hold.title_id),
        reconcile,
        refusal=lambda answer: None if answer.ok else (answer.message or ""),
    )
    error = outcome_error(result, info.context.language)
    return CancelHoldPayload(cancelled=result.applied, errors=[] if error is None else [error])


def _failed(error: UserError) -> CancelHoldPayload:
    return CancelHoldPayload(cancelled=False, errors=[error])
