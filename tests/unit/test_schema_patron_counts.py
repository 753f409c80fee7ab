"""Patron.loanCount/overdueCount/holdCount: the ILS's own counts when the port gives them (SIP2
64), else the lists counted (SOAP lists everything)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from adapters.ils.models import Account, AccountCounts, AccountParts
from tests.fakes import FakeIls
from tests.unit.schema_harness import CAMILLE, STAFF, Harness, as_patron

COUNTS = "query($id: ID!) { patron(id: $id) { loanCount overdueCount holdCount loans { id } } }"


class FakeCountingIls(FakeIls):
    """An ILS that counts more than it can describe (a loan whose 17 failed, say)."""

    counts: AccountCounts | None = AccountCounts(loans=8, overdue=2, holds=4)

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: AccountParts = AccountParts()
    ) -> list[Account | None]:
        found = await super().get_accounts(patron_ids, parts)
        return [None if a is None else dataclasses.replace(a, counts=self.counts) for a in found]


async def _counts(harness: Harness) -> tuple[int, int, int, int]:
    data = await harness.data(COUNTS, {"id": CAMILLE}, viewer=STAFF)
    patron = data["patron"]
    return patron["loanCount"], patron["overdueCount"], patron["holdCount"], len(patron["loans"])


async def test_the_ils_counts_win_over_the_lists() -> None:
    assert await _counts(Harness(ils=FakeCountingIls())) == (8, 2, 4, 7)


async def test_an_unknown_count_is_the_list_counted() -> None:
    ils = FakeCountingIls()
    ils.counts = AccountCounts(loans=None, overdue=None, holds=None)
    assert await _counts(Harness(ils=ils)) == (7, 1, 3, 7)
    assert await _counts(Harness()) == (7, 1, 3, 7)  # no counts at all (SOAP)


async def test_counts_stay_behind_the_same_access_rule() -> None:
    harness = Harness(ils=FakeCountingIls())
    result = await harness.run(COUNTS, {"id": CAMILLE}, viewer=as_patron("2900000004"))
    assert result.errors and result.errors[0].extensions == {"code": "FORBIDDEN"}  # type: ignore[comparison-overlap]
