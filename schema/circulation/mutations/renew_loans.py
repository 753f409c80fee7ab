"""renewLoans: renew the given loans, each judged on its own.

A loan of an account the viewer may not renew for is reported exactly like an
unknown one (LOAN_NOT_FOUND), so ids cannot be used to probe other accounts.
"""

from __future__ import annotations

import strawberry

from adapters.ils import models
from schema.circulation.ids import decode_ref
from schema.circulation.payloads import RenewLoansPayload
from schema.circulation.permissions import may_renew, require_viewer
from schema.circulation.renewal import Attempt, attempt_renewals, missing, renewal_payload
from schema.context import Info
from schema.i18n import translate
from schema.payload import UserError

# More than the loans of a family's accounts together; each id may cost the ILS a renewal.
MAX_LOAN_IDS = 200


async def renew_loans(info: Info, loan_ids: list[strawberry.ID]) -> RenewLoansPayload:
    """Renew each loan that may be renewed; report every other with its reasons."""
    require_viewer(info)
    if len(loan_ids) > MAX_LOAN_IDS:
        # Refused as a whole, before any look-up: the request's cost must not grow without bound.
        message = translate("TOO_MANY_LOAN_IDS", info.context.language, limit=MAX_LOAN_IDS)
        error = UserError(code="TOO_MANY_LOAN_IDS", message=message, field=["loanIds"])
        return RenewLoansPayload(results=[], renewed_count=0, errors=[error])
    targets = await _targets(info, [str(loan_id) for loan_id in dict.fromkeys(loan_ids)])
    found = [target for target in targets.values() if target is not None]
    done = {attempt.loan_id: attempt for attempt in await attempt_renewals(info, found)}
    language = info.context.language
    attempts: list[Attempt] = [
        done.get(str(loan_id)) or missing(str(loan_id), language) for loan_id in loan_ids
    ]
    return await renewal_payload(info, attempts, {account.patron.id for account, _ in found})


async def _targets(info: Info, loan_ids: list[str]) -> dict[str, tuple[models.Account, models.Loan] | None]:
    """Each requested id with its account and loan, or None when it cannot be renewed by this viewer."""
    refs = {loan_id: decode_ref(loan_id) for loan_id in loan_ids}
    patron_ids = sorted({ref.patron_id for ref in refs.values() if ref is not None})
    allowed = {patron_id for patron_id in patron_ids if await may_renew(info, patron_id)}
    accounts = await info.context.loaders.accounts.load_many(sorted(allowed))
    loans = {
        (account.patron.id, loan.id): (account, loan)
        for account in accounts
        if account is not None
        for loan in account.loans
    }
    return {
        loan_id: loans.get((ref.patron_id, ref.ils_id)) if ref is not None else None
        for loan_id, ref in refs.items()
    }
