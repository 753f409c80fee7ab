"""placeHold: reserve a title for the signed-in patron, with pickup at a library that accepts pickups.

The portal rules are checked before the ILS is asked. `idempotencyKey`: the
first definitive result (placed or refused) is recorded in the portal store and
returned to every retry with the same key, so a retry never places a second
hold. After a lost answer the account is read again to see whether the hold exists.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import strawberry

from adapters.errors import GatewayError, IlsRejected, IlsUnavailable, OutcomeUnknown
from adapters.ils import models
from schema.catalogue.enums import HoldBlock
from schema.catalogue.types import load_items
from schema.circulation.ids import encode_ref
from schema.circulation.payloads import PlaceHoldPayload
from schema.circulation.rules import HoldReason, holdability
from schema.circulation.types import Hold
from schema.context import Info
from schema.i18n import translate
from schema.inputs import is_plausible_id
from schema.patrons.permissions import require_signed_in_patron
from schema.payload import UserError

# The portal store's idempotency_keys.key column (adapters/store/tables.py).
MAX_IDEMPOTENCY_KEY_LENGTH = 200


@dataclass(slots=True)
class HoldAttempt:
    """The outcome of one placeHold, in a form the idempotency record can keep as JSON."""

    hold_id: str | None = None
    reasons: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    # False when nobody knows yet whether a hold exists: such an outcome is never recorded.
    definitive: bool = True
    # What was asked (record id, pickup library): a retry with the key must ask the same.
    request: list[str] = field(default_factory=list)


async def place_hold(
    info: Info,
    record_id: strawberry.ID,
    pickup_library_code: strawberry.ID,
    idempotency_key: str | None = strawberry.UNSET,
) -> PlaceHoldPayload:
    """Check the rules, place the hold, and answer with the hold as the ILS now has it."""
    patron_id = require_signed_in_patron(info)
    store = info.context.store
    # UNSET, null and "" all mean: no key.
    if idempotency_key and not is_plausible_id(idempotency_key, MAX_IDEMPOTENCY_KEY_LENGTH):
        # Refused before the hold is placed: the store could not record it (too long for its
        # column, or a character SQL text cannot hold), and a retry would not be recognized.
        return _key_refused("INVALID_IDEMPOTENCY_KEY", info.context.language)
    request = [str(record_id), str(pickup_library_code)]
    if idempotency_key:
        recorded = await store.idempotency.result(idempotency_key, patron_id)
        if recorded is not None:
            first = HoldAttempt(**json.loads(recorded))
            if first.request != request:
                # The key names another request: replaying its result would answer the wrong question.
                return _key_refused("IDEMPOTENCY_KEY_REUSED", info.context.language)
            return await _payload(info, patron_id, first)
    attempt = await _place(info, patron_id, *request)
    attempt.request = request
    if idempotency_key and attempt.definitive:
        await store.idempotency.record(idempotency_key, patron_id, json.dumps(asdict(attempt)))
    return await _payload(info, patron_id, attempt)


def _key_refused(code: str, language: str) -> PlaceHoldPayload:
    error = UserError(code=code, message=translate(code, language), field=["idempotencyKey"])
    return PlaceHoldPayload(hold=None, reasons=[], errors=[error])


async def _place(info: Info, patron_id: str, title_id: str, library_code: str) -> HoldAttempt:
    loaders, language = info.context.loaders, info.context.language
    title = await loaders.titles.load(title_id)
    if title is None:
        return HoldAttempt(errors=[_error("RECORD_NOT_FOUND", language, "recordId")])
    library = await loaders.libraries.load(library_code)
    account = await loaders.accounts.load(patron_id)
    items = await load_items(info, title.item_ids)
    decision = holdability(
        title,
        items,
        account.patron if account else None,
        account.holds if account else (),
        account.loans if account else (),
        library,
        info.context.today,
    )
    reasons = list(decision.reasons)
    if library is None:
        reasons.append(HoldReason.INVALID_PICKUP_LIBRARY)
    if reasons:
        return HoldAttempt(
            reasons=[r.value for r in reasons], errors=[_error(r.value, language) for r in reasons]
        )
    return await _ask_ils(info, patron_id, title, library_code)


async def _ask_ils(info: Info, patron_id: str, title: models.Title, library_code: str) -> HoldAttempt:
    language = info.context.language
    try:
        outcome = await info.context.ils.place_hold(patron_id, title.id, library_code)
    except OutcomeUnknown:
        return await _confirm(info, patron_id, title.id)
    except IlsUnavailable:
        return HoldAttempt(errors=[_error("NOT_APPLIED", language)], definitive=False)
    except IlsRejected as refusal:
        return _refused(refusal.message, language)
    finally:
        _forget(info, patron_id, title)
    if not outcome.ok:
        return _refused(outcome.message or "", language)
    account = await info.context.loaders.accounts.load(patron_id)
    return HoldAttempt(hold_id=_hold_id_for(account, title.id))


async def _confirm(info: Info, patron_id: str, title_id: str) -> HoldAttempt:
    """After a lost answer: the hold was placed if the account now holds the title."""
    language = info.context.language
    try:
        (account,) = await info.context.ils.get_accounts([patron_id])
    except GatewayError:
        return HoldAttempt(errors=[_error("OUTCOME_UNKNOWN", language)], definitive=False)
    hold_id = _hold_id_for(account, title_id)
    if hold_id is None:
        return HoldAttempt(errors=[_error("NOT_APPLIED", language)], definitive=False)
    return HoldAttempt(hold_id=hold_id)


def _hold_id_for(account: models.Account | None, title_id: str) -> str | None:
    hold = next((h for h in account.holds if h.title_id == title_id), None) if account else None
    return None if hold is None else encode_ref(hold.patron_id, hold.id)


def _refused(ils_message: str, language: str) -> HoldAttempt:
    message = translate("ILS_REFUSED", language, message=ils_message)
    return HoldAttempt(reasons=["ILS_REFUSED"], errors=[{"code": "ILS_REFUSED", "message": message}])


def _forget(info: Info, patron_id: str, title: models.Title) -> None:
    """A hold changes the account and the hold queue of every copy of the title."""
    info.context.loaders.accounts.clear(patron_id)
    for item_id in title.item_ids:
        info.context.loaders.items.clear(item_id)


def _error(code: str, language: str, field_name: str | None = None) -> dict[str, str]:
    error = {"code": code, "message": translate(code, language)}
    if field_name is not None:
        error["field"] = field_name
    return error


async def _payload(info: Info, patron_id: str, attempt: HoldAttempt) -> PlaceHoldPayload:
    hold = None
    if attempt.hold_id is not None:
        account = await info.context.loaders.accounts.load(patron_id)
        holds = account.holds if account else ()
        found = next((h for h in holds if encode_ref(h.patron_id, h.id) == attempt.hold_id), None)
        hold = None if found is None else Hold.of(found)
    errors = [
        UserError(code=e["code"], message=e["message"], field=[e["field"]] if "field" in e else None)
        for e in attempt.errors
    ]
    return PlaceHoldPayload(hold=hold, reasons=[HoldBlock(r) for r in attempt.reasons], errors=errors)
