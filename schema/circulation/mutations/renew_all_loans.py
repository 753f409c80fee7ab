"""renewAllLoans: renew every renewable loan of one account (default: the viewer's).

Renews loan by loan (SIP2 29) rather than with renew-all (65): each loan then
gets its own result and reasons, and the rules are checked before any call. Where the
port renews all at once (SIP2 alone: the portal cannot judge counts and loan types, the ILS
does), one 65 for the account (`schema.circulation.renew_all`), unless the rules refuse some of
its loans: a 65 cannot leave them out, so then loan by loan as well.
"""

from __future__ import annotations

import strawberry

from schema.circulation.payloads import RenewLoansPayload
from schema.circulation.permissions import may_renew, require_viewer
from schema.circulation.renew_all import renew_all_at_once
from schema.circulation.renewal import attempt_renewals, renewal_payload
from schema.context import Info
from schema.errors import BadUserInput, Forbidden, NotFound


async def renew_all_loans(
    info: Info, patron_id: strawberry.ID | None = strawberry.UNSET
) -> RenewLoansPayload:
    """Every loan of the account, renewed when the rules allow it, reported with reasons otherwise."""
    require_viewer(info)
    viewer = info.context.viewer
    # UNSET (argument not given) and null both mean the viewer's own account.
    target = str(patron_id) if patron_id else (viewer.patron_id if viewer else None)
    if target is None:
        raise BadUserInput("PATRON_REQUIRED")
    if not await may_renew(info, target):
        raise Forbidden()
    account = await info.context.loaders.accounts.load(target)
    if account is None:
        raise NotFound()
    if info.context.ils.renews_all_at_once:
        done = await renew_all_at_once(info, account)
        if done is not None:
            payload = await renewal_payload(info, done.attempts, {target})
            done.prime(info)  # after the payload cleared the renewed loans' items
            return payload
    attempts = await attempt_renewals(info, [(account, loan) for loan in account.loans])
    return await renewal_payload(info, attempts, {target})
