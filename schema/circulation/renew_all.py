"""Renew all at once: one SIP2 65 for the whole account, where the ILS renews all (SIP2 alone).

Over SIP2 alone the portal cannot judge a loan's renewal count or loan type, so the ILS's own
renew-all (65) decides, in one round trip instead of one 29 per loan. What SIP2 does carry is
still the portal's: since a 65 cannot leave loans out, an account with a loan the rules refuse
(overdue, reserved by another patron, or every loan of a blocked account) is renewed loan by
loan instead (`renew_all_at_once` answers None), so the ILS is never asked to renew what the
portal refuses. The 66 answer says per loan: renewed (BM) or not (BN, ILS_REFUSED with the
ILS's words about that item, else its words about the request). It carries no due dates: the
account is read once afterwards, and that read also settles a lost answer (a loan was renewed
if its due date moved). Never resends a 65.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from adapters.errors import GatewayError
from adapters.ils import models
from schema.circulation.enums import RenewalBlock
from schema.circulation.ids import encode_ref
from schema.circulation.renewal import Attempt
from schema.circulation.types import renewal_decision
from schema.confirmed_write import Outcome, WriteResult, write_and_confirm
from schema.context import Info
from schema.i18n import translate

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RenewedAtOnce:
    """What became of each loan, and the account as read after the 65 (None: not read)."""

    attempts: list[Attempt]
    after: models.Account | None = None

    def prime(self, info: Info) -> None:
        """The copies the re-read described (their new due dates) answer this request's items."""
        for item in self.after.items if self.after else ():
            info.context.loaders.items.clear(item.id).prime(item.id, item)


async def renew_all_at_once(info: Info, account: models.Account) -> RenewedAtOnce | None:
    """Every loan of the account through one 65, each reported with what became of it.

    None when the rules refuse any loan: the caller renews loan by loan, which asks the ILS
    nothing about the refused ones (a blocked account: nothing at all).
    """
    language = info.context.language
    patron = account.patron
    # All at once: the items loader batches their look-ups (when the account did not bring them).
    decided = await asyncio.gather(*(renewal_decision(info, loan, patron) for loan in account.loans))
    reasons = dict(zip((loan.id for loan in account.loans), decided, strict=True))
    if any(reasons.values()):
        return None
    before = {loan.id: loan for loan in account.loans}
    after: dict[str, models.Loan] = {}
    read: list[models.Account] = []

    async def read_back() -> bool:
        (now,) = await info.context.ils.get_accounts([patron.id])
        read.extend([now] if now is not None else [])
        after.update((loan.id, loan) for loan in (now.loans if now else ()))
        return any(_moved(before[loan_id], loan) for loan_id, loan in after.items() if loan_id in before)

    result = await write_and_confirm(
        "renew_all",
        lambda: info.context.ils.renew_all(patron.id),
        read_back,
        refusal=lambda answer: None if answer.ok else (answer.message or ""),
    )
    if result.applied and not result.reconciled:
        try:
            await read_back()  # the 66 has no due dates
        except GatewayError as error:
            _log.warning("renew_all: re-reading the account failed (%s)", type(error).__name__)
    attempts = [_attempt(loan, patron, result, after, language) for loan in account.loans]
    return RenewedAtOnce(attempts, read[-1] if read else None)


def _attempt(
    loan: models.Loan,
    patron: models.Patron,
    result: WriteResult[models.RenewAllOutcome],
    after: Mapping[str, models.Loan],
    language: str,
) -> Attempt:
    loan_id = encode_ref(loan.patron_id, loan.id)
    now = after.get(loan.id)
    answer = result.answer
    if result.outcome is Outcome.APPLIED and answer is not None:
        if loan.item_id in answer.renewed_item_ids:
            return Attempt(loan_id, True, (), None, WriteResult(Outcome.APPLIED), now, patron)
        if loan.item_id not in answer.unrenewed_item_ids and now is not None and _moved(loan, now):
            # The ILS listed it in neither BM nor BN, but its due date moved.
            return Attempt(loan_id, True, (), None, WriteResult(Outcome.APPLIED), now, patron)
        said = dict(answer.item_messages).get(loan.item_id) or answer.general_message or ""
        refused: WriteResult[models.RenewalOutcome] = WriteResult(Outcome.REFUSED, message=said)
        message = translate("ILS_REFUSED", language, message=said)
        return Attempt(loan_id, False, (RenewalBlock.ILS_REFUSED,), message, refused, now or loan, patron)
    if result.reconciled and result.outcome is not Outcome.OUTCOME_UNKNOWN:
        # The answer was lost; the re-read tells, loan by loan.
        if now is not None and _moved(loan, now):
            return Attempt(
                loan_id, True, (), None, WriteResult(Outcome.APPLIED, reconciled=True), now, patron
            )
        settled: WriteResult[models.RenewalOutcome] = WriteResult(Outcome.NOT_APPLIED, reconciled=True)
        return Attempt(loan_id, False, (), None, settled, now, patron)
    if result.outcome is Outcome.REFUSED:
        said = result.message or ""
        message = translate("ILS_REFUSED", language, message=said)
        refusal: WriteResult[models.RenewalOutcome] = WriteResult(Outcome.REFUSED, message=said)
        return Attempt(loan_id, False, (RenewalBlock.ILS_REFUSED,), message, refusal, loan, patron)
    unsent: WriteResult[models.RenewalOutcome] = WriteResult(result.outcome, reconciled=result.reconciled)
    # Not sent (the loan is as it was), or nobody knows (the loan is not known either).
    as_it_was = loan if result.outcome is Outcome.NOT_APPLIED else None
    return Attempt(loan_id, False, (), None, unsent, as_it_was, patron)


def _moved(before: models.Loan, now: models.Loan) -> bool:
    """Renewed: its due date moved on, or the ILS counts one more renewal."""
    return now.due_date > before.due_date or (now.renewal_count or 0) > (before.renewal_count or 0)
