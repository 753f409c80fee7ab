"""placeHold: reserve a title for the signed-in patron, with pickup at a library that accepts pickups.

The portal rules are checked before the ILS is asked. `idempotencyKey`: the key is
claimed in the portal store before anything else (one claimant wins, across workers);
its first definitive result (placed or refused) is recorded and returned to every
retry with the same key, and a retry arriving while the first is under way waits for
it, so a retry never places a second hold. The write goes through the one
write-and-confirm path: after a lost answer the account is read again.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass, field

import strawberry

from adapters.errors import GatewayError
from adapters.ils import models
from adapters.store.port import PENDING
from schema.catalogue.enums import HoldBlock
from schema.catalogue.types import load_items
from schema.circulation import idempotency
from schema.circulation.ids import encode_ref
from schema.circulation.payloads import PlaceHoldPayload
from schema.circulation.rules import HoldReason, account_holdability, holdability
from schema.circulation.types import Hold
from schema.confirmed_write import Outcome, WriteResult, outcome_error, write_and_confirm
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
    # UNSET, null and "" all mean: no key.
    if idempotency_key and not is_plausible_id(idempotency_key, MAX_IDEMPOTENCY_KEY_LENGTH):
        # Refused before the hold is placed: the store could not record it (too long for its
        # column, or a character SQL text cannot hold), and a retry would not be recognized.
        return _key_refused("INVALID_IDEMPOTENCY_KEY", info.context.language)
    request = [str(record_id), str(pickup_library_code)]
    if not idempotency_key:
        attempt = await _place(info, patron_id, *request)
        return await _payload(info, patron_id, attempt)
    records = info.context.store.idempotency
    recorded = await idempotency.claim(records, idempotency_key, patron_id)
    if recorded == PENDING:
        return _key_refused("IDEMPOTENCY_KEY_IN_PROGRESS", info.context.language)
    if recorded is not None:
        first = HoldAttempt(**json.loads(recorded))
        if first.request != request:
            # The key names another request: replaying its result would answer the wrong question.
            return _key_refused("IDEMPOTENCY_KEY_REUSED", info.context.language)
        return await _payload(info, patron_id, first)
    attempt = await _place_claimed(info, patron_id, idempotency_key, request)
    return await _payload(info, patron_id, attempt)


async def _place_claimed(info: Info, patron_id: str, key: str, request: list[str]) -> HoldAttempt:
    """Place the hold under a claimed key: record a definitive result, else give the key back."""
    records = info.context.store.idempotency
    recorded = False
    try:
        attempt = await _place(info, patron_id, *request)
        attempt.request = request
        if attempt.definitive:
            await records.complete(key, patron_id, json.dumps(asdict(attempt)))
            recorded = True
        return attempt
    finally:
        if not recorded:
            # Also when cancelled: a retry must not wait for a request that is gone.
            await asyncio.shield(records.release(key, patron_id))


def _key_refused(code: str, language: str) -> PlaceHoldPayload:
    error = UserError(code=code, message=translate(code, language), field=["idempotencyKey"])
    return PlaceHoldPayload(hold=None, reasons=[], errors=[error])


async def _place(info: Info, patron_id: str, title_id: str, library_code: str) -> HoldAttempt:
    loaders, language = info.context.loaders, info.context.language
    title = await loaders.titles.load(title_id)
    if title is None and info.context.ils.describes_records:
        return HoldAttempt(errors=[_error("RECORD_NOT_FOUND", language, "recordId")])
    library = await loaders.libraries.load(library_code)
    account = await loaders.accounts.load(patron_id)
    patron = account.patron if account else None
    holds, loans = (account.holds, account.loans) if account else ((), ())
    if title is None:
        # The ILS cannot describe the record (SIP2 alone): its copies, availability and being
        # digital are for the ILS to judge, and its refusal says why in its own words.
        decision = account_holdability(title_id, patron, holds, loans, library, info.context.today)
        item_ids: tuple[str, ...] = ()
    else:
        items = await load_items(info, title.item_ids)
        decision = holdability(title, items, patron, holds, loans, library, info.context.today)
        item_ids = title.item_ids
    reasons = list(decision.reasons)
    if library is None:
        reasons.append(HoldReason.INVALID_PICKUP_LIBRARY)
    if reasons:
        return HoldAttempt(
            reasons=[r.value for r in reasons], errors=[_error(r.value, language) for r in reasons]
        )
    return await _ask_ils(info, patron_id, title_id, item_ids, library_code)


async def _ask_ils(
    info: Info, patron_id: str, title_id: str, item_ids: tuple[str, ...], library_code: str
) -> HoldAttempt:
    language = info.context.language
    found: list[str] = []

    async def reconcile() -> bool:
        # The hold was placed if the account now holds the title.
        (account,) = await info.context.ils.get_accounts([patron_id])
        found.extend(filter(None, [_hold_id_for(account, title_id)]))
        return bool(found)

    try:
        result: WriteResult[models.HoldOutcome] = await write_and_confirm(
            "place_hold",
            lambda: info.context.ils.place_hold(patron_id, title_id, library_code),
            reconcile,
            refusal=lambda answer: None if answer.ok else (answer.message or ""),
        )
    finally:
        _forget(info, patron_id, title_id, item_ids)
    error = outcome_error(result, language)
    if result.outcome is Outcome.REFUSED:
        assert error is not None
        return HoldAttempt(reasons=["ILS_REFUSED"], errors=[{"code": error.code, "message": error.message}])
    if error is not None:
        # NOT_APPLIED or OUTCOME_UNKNOWN: nothing to replay, a retry asks again.
        return HoldAttempt(errors=[{"code": error.code, "message": error.message}], definitive=False)
    if found:
        return HoldAttempt(hold_id=found[0])
    return HoldAttempt(hold_id=_hold_id_for(await _account_now(info, patron_id), title_id))


async def _account_now(info: Info, patron_id: str) -> models.Account | None:
    """The account after the hold was placed; None when the ILS cannot tell now: the hold was
    placed all the same, and the answer must say so (a request error would say it failed)."""
    try:
        return await info.context.loaders.accounts.load(patron_id)
    except GatewayError:
        return None


def _hold_id_for(account: models.Account | None, title_id: str) -> str | None:
    hold = next((h for h in account.holds if h.title_id == title_id), None) if account else None
    return None if hold is None else encode_ref(hold.patron_id, hold.id)


def _forget(info: Info, patron_id: str, title_id: str, item_ids: tuple[str, ...]) -> None:
    """A hold changes the account and the hold queue of every copy of the title; over SIP2
    alone the record is known only once the account lists the hold, not as the None it was."""
    info.context.loaders.accounts.clear(patron_id)
    info.context.loaders.titles.clear(title_id)
    for item_id in item_ids:
        info.context.loaders.items.clear(item_id)


def _error(code: str, language: str, field_name: str | None = None) -> dict[str, str]:
    error = {"code": code, "message": translate(code, language)}
    if field_name is not None:
        error["field"] = field_name
    return error


async def _payload(info: Info, patron_id: str, attempt: HoldAttempt) -> PlaceHoldPayload:
    hold = None
    if attempt.hold_id is not None:
        account = await _account_now(info, patron_id)
        holds = account.holds if account else ()
        found = next((h for h in holds if encode_ref(h.patron_id, h.id) == attempt.hold_id), None)
        hold = None if found is None else Hold.of(found)
    errors = [
        UserError(code=e["code"], message=e["message"], field=[e["field"]] if "field" in e else None)
        for e in attempt.errors
    ]
    return PlaceHoldPayload(hold=hold, reasons=[HoldBlock(r) for r in attempt.reasons], errors=errors)
