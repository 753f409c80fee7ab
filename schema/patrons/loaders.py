"""Batch loading of patron accounts (patron, loans, holds) for the per-request DataLoader.

One `lookupAccounts` call per batch. Accounts are circulation data: never cached
across requests, only within one request (and cleared by the mutations that change them).
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.ils.models import Account, AccountParts
from adapters.ils.port import IlsPort

# The dashboard needs loans and holds together; fees only when `Patron.feesOwed` is selected
# (SOAP: the same lookupAccounts with includeFees; SIP2: the 64 already carries them).
ACCOUNT_PARTS = AccountParts(loans=True, holds=True, fees=False)
WITH_FEES = AccountParts(loans=True, holds=True, fees=True)


async def load_accounts_by_patron_id(
    ils: IlsPort, patron_ids: Sequence[str], parts: AccountParts = ACCOUNT_PARTS
) -> list[Account | None]:
    """Accounts in key order; None for an unknown card number."""
    return await ils.get_accounts(list(patron_ids), parts)
