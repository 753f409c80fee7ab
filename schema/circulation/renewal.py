"""Renewing loans: judge each loan by the portal rules, ask the ILS, confirm lost answers, report.

Shared by renewLoans and renewAllLoans. Each loan is judged on its own; a refusal or
failure of one never blocks the others. Each renewal goes through the one write-and-confirm
path (`schema.confirmed_write`): after a lost answer the account is read again, and the loan
was renewed if its due date moved or its renewal count went up. Never retries a renew.

Round trips: the account read before (the rules need it) is the only one when the ILS's
answer carries the new due date; the payload's loans are built from it, not read again.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import strawberry

from adapters.errors import GatewayError
from adapters.ils import models
from schema.circulation.enums import RenewalBlock
from schema.circulation.ids import encode_ref
from schema.circulation.payloads import RenewalResult, RenewLoansPayload
from schema.circulation.types import Loan, renewal_decision
from schema.confirmed_write import Outcome, WriteResult, outcome_error, write_and_confirm
from schema.context import Info
from schema.i18n import translate
from schema.payload import UserError


@dataclass(frozen=True, slots=True)
class Attempt:
    """What happened to one loan id of the request."""

    loan_id: str
    renewed: bool
    reasons: tuple[RenewalBlock, ...] = ()
    message: str | None = None
    # The write's outcome when the ILS was asked (None: refused by a rule, or no such loan).
    result: WriteResult[models.RenewalOutcome] | None = None
    # The loan as the ILS has it now, and its owner; None when not known without a read.
    loan: models.Loan | None = None
    owner: models.Patron | None = None


def missing(loan_id: str, language: str) -> Attempt:
    """A loan id that is malformed, unknown, or not the viewer's to renew (indistinguishable on purpose)."""
    return Attempt(loan_id, False, message=translate("LOAN_NOT_FOUND", language))


async def attempt_renewals(
    info: Info, targets: Sequence[tuple[models.Account, models.Loan]]
) -> list[Attempt]:
    """Judge and renew each loan on its own, concurrently (the SIP2 pool bounds the load)."""
    return list(await asyncio.gather(*(_attempt(info, account, loan) for account, loan in targets)))


async def _attempt(info: Info, account: models.Account, loan: models.Loan) -> Attempt:
    language = info.context.language
    loan_id = encode_ref(loan.patron_id, loan.id)
    patron = account.patron
    try:
        reasons = await renewal_decision(info, loan, patron)
    except GatewayError:
        # The rules could not be judged (the item could not be read): not asked, not renewed,
        # and said so for this loan alone; the others go on (a request error would hide them).
        unasked: WriteResult[models.RenewalOutcome] = WriteResult(Outcome.NOT_APPLIED)
        unsent = outcome_error(unasked, language)
        message = None if unsent is None else unsent.message
        return Attempt(loan_id, False, (), message, unasked, loan, patron)
    if reasons:
        message = " ".join(translate(reason.value, language) for reason in reasons)
        return Attempt(loan_id, False, reasons, message, loan=loan, owner=patron)
    after: list[models.Loan] = []

    async def reconcile() -> bool:
        (now,) = await info.context.ils.get_accounts([loan.patron_id])
        found = next((x for x in now.loans if x.id == loan.id), None) if now else None
        after.extend([found] if found is not None else [])
        return found is not None and (
            found.due_date > loan.due_date or (found.renewal_count or 0) > (loan.renewal_count or 0)
        )

    result: WriteResult[models.RenewalOutcome] = await write_and_confirm(
        "renew",
        lambda: info.context.ils.renew(loan.patron_id, loan.item_id),
        reconcile,
        refusal=lambda answer: None if answer.ok else (answer.message or ""),
    )
    error = outcome_error(result, language)
    said = error.message if error is not None else None
    if result.outcome is Outcome.REFUSED:
        return Attempt(loan_id, False, (RenewalBlock.ILS_REFUSED,), said, result, loan, patron)
    return Attempt(loan_id, result.applied, (), said, result, _loan_now(loan, result, after), patron)


def _loan_now(
    before: models.Loan, result: WriteResult[models.RenewalOutcome], read: list[models.Loan]
) -> models.Loan | None:
    """The loan as the ILS has it after the attempt, from its answer or the re-read (None: unknown)."""
    if read:
        return read[0]
    if result.outcome is Outcome.NOT_APPLIED and not result.reconciled:
        return before  # failed before the request left: nothing changed
    if result.applied and result.answer is not None and result.answer.due_date is not None:
        return dataclasses.replace(
            before,
            due_date=result.answer.due_date,
            renewal_count=None if before.renewal_count is None else before.renewal_count + 1,
        )
    return None


async def renewal_payload(info: Info, attempts: Sequence[Attempt], patron_ids: set[str]) -> RenewLoansPayload:
    """The payload, each loan as the ILS has it now; an account is read again only when needed."""
    loaders = info.context.loaders
    for attempt in attempts:
        if attempt.renewed and attempt.loan is not None:
            # The item's due date moved with the loan.
            loaders.items.clear(attempt.loan.item_id)
    for patron_id in patron_ids:
        loaders.accounts.clear(patron_id)
    loans = {
        attempt.loan_id: Loan.of(attempt.loan, attempt.owner, info.context.today)
        for attempt in attempts
        if attempt.loan is not None and attempt.owner is not None
    }
    untold = [attempt for attempt in attempts if attempt.result is not None and attempt.loan is None]
    if untold:
        loans |= await _read_again(info, untold)
    results = [
        RenewalResult(
            loan_id=strawberry.ID(attempt.loan_id),
            renewed=attempt.renewed,
            loan=loans.get(attempt.loan_id),
            reasons=list(attempt.reasons),
            message=attempt.message,
        )
        for attempt in attempts
    ]
    return RenewLoansPayload(
        results=results,
        # A loan named twice in the request was renewed once.
        renewed_count=len({attempt.loan_id for attempt in attempts if attempt.renewed}),
        errors=_errors(attempts, info.context.language),
    )


async def _read_again(info: Info, attempts: Sequence[Attempt]) -> dict[str, Loan]:
    """The loans whose state the answers did not tell (no due date in the answer, or unknown)."""
    patron_ids = sorted({a.owner.id for a in attempts if a.owner is not None})
    wanted = {a.loan_id for a in attempts}
    loader = info.context.loaders.accounts
    read = await asyncio.gather(*(loader.load(patron_id) for patron_id in patron_ids), return_exceptions=True)
    for failure in read:
        if isinstance(failure, BaseException) and not isinstance(failure, GatewayError):
            raise failure
    # An account the ILS cannot tell now leaves its loans null in the results: the renewals
    # happened (or not) all the same, and the answer must still say which (never a request error).
    accounts = [account for account in read if isinstance(account, models.Account)]
    return {
        encode_ref(loan.patron_id, loan.id): Loan.of(loan, account.patron, info.context.today)
        for account in accounts
        for loan in account.loans
        if encode_ref(loan.patron_id, loan.id) in wanted
    }


def _errors(attempts: Sequence[Attempt], language: str) -> list[UserError]:
    errors: list[UserError] = []
    for index, attempt in enumerate(attempts):
        if attempt.result is None:
            if attempt.loan is None:
                errors.append(_not_found(index, language))
            continue
        if attempt.result.outcome is Outcome.REFUSED:
            continue  # a refusal is a reason of the result, like a rule's
        error = outcome_error(attempt.result, language, ["loanIds", str(index)])
        if error is not None:
            errors.append(error)
    return errors


def _not_found(index: int, language: str) -> UserError:
    return UserError(
        code="LOAN_NOT_FOUND", message=translate("LOAN_NOT_FOUND", language), field=["loanIds", str(index)]
    )
