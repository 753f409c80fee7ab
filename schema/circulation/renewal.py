"""Renewing loans: judge each loan by the portal rules, ask the ILS, confirm lost answers, report.

Shared by renewLoans and renewAllLoans. Each loan is judged on its own; a
refusal or failure of one never blocks the others. After a renew whose answer
was lost (OutcomeUnknown) it re-reads the account from the ILS: the loan was
renewed if its due date moved or its renewal count went up. Never retries a renew.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import strawberry

from adapters.errors import GatewayError, IlsRejected, IlsUnavailable, OutcomeUnknown
from adapters.ils import models
from schema.circulation.enums import RenewalBlock
from schema.circulation.ids import encode_ref
from schema.circulation.payloads import RenewalResult, RenewLoansPayload
from schema.circulation.types import Loan, renewal_decision
from schema.context import Info
from schema.i18n import translate
from schema.payload import UserError, user_error


@dataclass(frozen=True, slots=True)
class Attempt:
    """What happened to one loan id of the request."""

    loan_id: str
    renewed: bool
    reasons: tuple[RenewalBlock, ...] = ()
    message: str | None = None
    # A UserError code when the attempt failed for a reason other than a rule.
    error: str | None = None


def missing(loan_id: str, language: str) -> Attempt:
    """A loan id that is malformed, unknown, or not the viewer's to renew (indistinguishable on purpose)."""
    return Attempt(loan_id, False, message=translate("LOAN_NOT_FOUND", language), error="LOAN_NOT_FOUND")


async def attempt_renewals(
    info: Info, targets: Sequence[tuple[models.Account, models.Loan]]
) -> list[Attempt]:
    """Judge and renew each loan on its own, concurrently (the SIP2 pool bounds the load)."""
    return list(await asyncio.gather(*(_attempt(info, account, loan) for account, loan in targets)))


async def _attempt(info: Info, account: models.Account, loan: models.Loan) -> Attempt:
    language = info.context.language
    loan_id = encode_ref(loan.patron_id, loan.id)
    reasons = await renewal_decision(info, loan, account.patron)
    if reasons:
        message = " ".join(translate(reason.value, language) for reason in reasons)
        return Attempt(loan_id, False, reasons, message)
    try:
        outcome = await info.context.ils.renew(loan.patron_id, loan.item_id)
    except OutcomeUnknown:
        return await _confirm(info, loan_id, loan)
    except IlsUnavailable:
        return Attempt(loan_id, False, message=translate("NOT_APPLIED", language), error="NOT_APPLIED")
    except IlsRejected as refusal:
        return _refused(loan_id, refusal.message, language)
    if not outcome.ok:
        return _refused(loan_id, outcome.message or "", language)
    return Attempt(loan_id, True)


def _refused(loan_id: str, ils_message: str, language: str) -> Attempt:
    message = translate("ILS_REFUSED", language, message=ils_message)
    return Attempt(loan_id, False, (RenewalBlock.ILS_REFUSED,), message)


async def _confirm(info: Info, loan_id: str, before: models.Loan) -> Attempt:
    """After a lost answer: read the account again and see whether the renewal happened."""
    language = info.context.language
    try:
        (account,) = await info.context.ils.get_accounts([before.patron_id])
    except GatewayError:
        return Attempt(
            loan_id, False, message=translate("OUTCOME_UNKNOWN", language), error="OUTCOME_UNKNOWN"
        )
    after = next((loan for loan in account.loans if loan.id == before.id), None) if account else None
    if after is not None and (after.due_date > before.due_date or after.renewal_count > before.renewal_count):
        return Attempt(loan_id, True)
    return Attempt(loan_id, False, message=translate("NOT_APPLIED", language), error="NOT_APPLIED")


async def renewal_payload(info: Info, attempts: Sequence[Attempt], patron_ids: set[str]) -> RenewLoansPayload:
    """The payload, with each loan as the ILS has it now (the changed accounts are read again)."""
    loaders = info.context.loaders
    for patron_id in patron_ids:
        loaders.accounts.clear(patron_id)
    accounts = [a for a in await loaders.accounts.load_many(sorted(patron_ids)) if a is not None]
    loans: dict[str, Loan] = {}
    for account in accounts:
        for loan in account.loans:
            loaders.items.clear(loan.item_id)
            loans[encode_ref(loan.patron_id, loan.id)] = Loan.of(loan, account.patron, info.context.today)
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


def _errors(attempts: Sequence[Attempt], language: str) -> list[UserError]:
    return [
        user_error(attempt.error, language, ["loanIds", str(index)])
        for index, attempt in enumerate(attempts)
        if attempt.error is not None
    ]
