"""cancelHold: cancel a hold that is not yet available for pickup.

The patron or staff only (an accepted share shows holds but does not allow
cancelling them). After a lost answer the account is read again: the hold was
cancelled if it is gone.
"""

from __future__ import annotations

import strawberry

from adapters.errors import GatewayError, IlsRejected, IlsUnavailable, OutcomeUnknown
from adapters.ils import models
from schema.circulation.ids import decode_ref
from schema.circulation.payloads import CancelHoldPayload
from schema.circulation.permissions import may_cancel_hold, require_viewer
from schema.circulation.rules import is_cancellable
from schema.context import Info
from schema.errors import Forbidden
from schema.i18n import translate
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
    language = info.context.language
    try:
        outcome = await info.context.ils.cancel_hold(hold.patron_id, hold.title_id)
    except OutcomeUnknown:
        return await _confirm(info, hold)
    except IlsUnavailable:
        return _failed(user_error("NOT_APPLIED", language))
    except IlsRejected as refusal:
        return _refused(refusal.message, language)
    if not outcome.ok:
        return _refused(outcome.message or "", language)
    return CancelHoldPayload(cancelled=True, errors=[])


async def _confirm(info: Info, hold: models.Hold) -> CancelHoldPayload:
    """After a lost answer: cancelled if the account no longer has the hold."""
    language = info.context.language
    try:
        (account,) = await info.context.ils.get_accounts([hold.patron_id])
    except GatewayError:
        return _failed(user_error("OUTCOME_UNKNOWN", language))
    if account is not None and all(h.id != hold.id for h in account.holds):
        return CancelHoldPayload(cancelled=True, errors=[])
    return _failed(user_error("NOT_APPLIED", language))


def _refused(ils_message: str, language: str) -> CancelHoldPayload:
    message = translate("ILS_REFUSED", language, message=ils_message)
    return _failed(UserError(code="ILS_REFUSED", message=message, field=None))


def _failed(error: UserError) -> CancelHoldPayload:
    return CancelHoldPayload(cancelled=False, errors=[error])
