"""The portal's dashboard operation: exact demo data, and ILS batch calls independent of the loan count."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

import pytest
from strawberry.types import ExecutionResult

from adapters.ils.models import Account, AccountParts, Item, Library, Title
from tests.contract_files import operation
from tests.design_expectations import CAMILLE_RENEWAL_REASONS
from tests.fakes import FakeIls
from tests.unit.schema_harness import CAMILLE, LEO, Harness, as_patron

# The exact operation frontends send.
DASHBOARD = operation("dashboard")


async def test_camille_s_dashboard_shows_the_design_s_loans_holds_and_shared_account() -> None:
    me = (await Harness().data(DASHBOARD, viewer=as_patron(CAMILLE)))["me"]
    assert (me["id"], me["displayName"], me["blocks"]) == (CAMILLE, "Camille Martin", [])
    assert (me["loanCount"], me["overdueCount"], me["holdCount"]) == (7, 1, 3)
    reasons = {loan["item"]["record"]["title"]: loan["renewability"]["reasons"] for loan in me["loans"]}
    assert reasons == CAMILLE_RENEWAL_REASONS
    assert {loan["item"]["record"]["title"] for loan in me["loans"] if loan["renewability"]["renewable"]} == {
        "La Horde du Contrevent",
        "Vernon Subutex 1",
    }
    furtifs = next(loan for loan in me["loans"] if loan["item"]["record"]["title"] == "Les Furtifs")
    assert (furtifs["renewalsLeft"], furtifs["loanType"], furtifs["item"]["library"]["code"]) == (
        0,
        "STANDARD",
        "DURAS",
    )
    holds = {
        h["record"]["title"]: (h["status"], h["queuePosition"], h["cancellable"], h["pickupLibrary"]["code"])
        for h in me["holds"]
    }
    assert holds == {
        "Les Misérables": ("WAITING", 2, True, "DURAS"),
        "Mémoires d'Hadrien": ("AVAILABLE", None, False, "SAGAN"),
        "Le Consentement": ("IN_TRANSIT", None, True, "LEDUC"),
    }
    assert next(h for h in me["holds"] if h["status"] == "AVAILABLE")["pickupDeadline"] == "2026-12-07"
    (shared,) = me["sharedAccounts"]
    owner = shared["owner"]
    assert (owner["id"], owner["displayName"]) == (LEO, "Léo Martin")
    leo = {
        loan["item"]["record"]["title"]: (loan["isOverdue"], loan["renewability"]) for loan in owner["loans"]
    }
    assert leo == {
        "Mortelle Adèle, tome 1": (False, {"renewable": True, "reasons": []}),
        "Le Petit Nicolas": (True, {"renewable": False, "reasons": ["OVERDUE"]}),
    }


async def _dashboard_calls(extra_loans: int) -> Counter[str]:
    harness = Harness()
    for n in range(extra_loans):
        title = harness.ils.add_title(f"Roman du tableau de bord {n}", ["Auteur"])
        harness.ils.add_loan(CAMILLE, title, due_in=5 + n % 9)
        harness.ils.add_loan(LEO, harness.ils.add_title(f"Album {n}", ["Autrice"]), due_in=3)
    harness.ils.reset_counts()
    result = await harness.run(DASHBOARD, viewer=as_patron(CAMILLE))
    assert result.errors is None
    assert len(result.data["me"]["loans"]) == 7 + extra_loans  # type: ignore[index]
    return harness.ils.calls


@pytest.mark.parametrize("extra_loans", [0, 18])
async def test_dashboard_makes_one_batch_per_kind_whatever_the_loan_count(extra_loans: int) -> None:
    # 7 demo loans (plus 2 of Léo's) against 25 (plus 20): one call per kind, Léo's with Camille's.
    calls = await _dashboard_calls(extra_loans)
    assert calls == Counter(get_accounts=1, get_items=1, get_titles=1, get_libraries=1)


async def test_reference_data_comes_from_the_cache_on_the_next_request() -> None:
    harness = Harness()
    await harness.data(DASHBOARD, viewer=as_patron(CAMILLE))
    harness.ils.reset_counts()
    await harness.data(DASHBOARD, viewer=as_patron(CAMILLE))
    # Accounts and items are circulation data: read again. Titles and libraries: cached.
    assert harness.ils.calls == Counter(get_accounts=1, get_items=1)


async def test_the_shared_account_is_loaded_with_the_viewer_s_and_its_items_and_records_with_hers() -> None:
    harness = Harness()
    await harness.data(DASHBOARD, viewer=as_patron(CAMILLE))
    assert harness.ils.batches["get_accounts"] == [[CAMILLE, LEO]]
    # Camille's 7 loan records and 3 hold records, Léo's 2 loan records; 7 + 2 loan items.
    assert [len(batch) for batch in harness.ils.batches["get_titles"]] == [12]
    assert [len(batch) for batch in harness.ils.batches["get_items"]] == [9]


class LevelledIls(FakeIls):
    """Holds each batch call until the schema has nothing left to do: the calls released together
    form one level of dependent ILS round trips (what the critical path counts)."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[list[str]] = []
        self._waiting: list[tuple[str, asyncio.Future[None]]] = []

    async def _round_trip(self, method: str) -> None:
        answered = asyncio.get_running_loop().create_future()
        self._waiting.append((method, answered))
        await answered

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: AccountParts = AccountParts()
    ) -> list[Account | None]:
        await self._round_trip("get_accounts")
        return await super().get_accounts(patron_ids, parts)

    async def get_items(self, item_ids: Sequence[str]) -> list[Item | None]:
        await self._round_trip("get_items")
        return await super().get_items(item_ids)

    async def get_titles(self, title_ids: Sequence[str]) -> list[Title | None]:
        await self._round_trip("get_titles")
        return await super().get_titles(title_ids)

    async def get_libraries(self) -> list[Library]:
        await self._round_trip("get_libraries")
        return await super().get_libraries()

    async def answer_until_done(self, task: asyncio.Task[ExecutionResult]) -> ExecutionResult:
        """Let the schema run until it waits on the ILS only, then answer every waiting call; repeat."""
        while not task.done():
            for _ in range(100):  # ticks, not time: store reads and resolvers finish within them
                await asyncio.sleep(0)
            if self._waiting:
                self.levels.append(sorted(method for method, _ in self._waiting))
                for _, answered in self._waiting:
                    answered.set_result(None)
                self._waiting = []
        return task.result()


async def _dashboard_levels(harness: Harness, ils: LevelledIls) -> list[list[str]]:
    ils.levels.clear()
    dashboard = asyncio.create_task(harness.run(DASHBOARD, viewer=as_patron(CAMILLE)))
    result = await ils.answer_until_done(dashboard)
    assert result.errors is None, result.errors
    return ils.levels


async def test_the_dashboard_needs_two_levels_of_ils_calls_cold_and_warm() -> None:
    ils = LevelledIls()
    harness = Harness(ils=ils)
    # Accounts (Camille's and Léo's together), then everything their loans and holds show.
    # The libraries do not depend on the account, but nothing asks for them sooner.
    cold = await _dashboard_levels(harness, ils)
    assert cold == [["get_accounts"], ["get_items", "get_libraries", "get_titles"]]
    # Records and libraries now come from the reference cache.
    assert await _dashboard_levels(harness, ils) == [["get_accounts"], ["get_items"]]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ me { displayName } }", Counter(get_accounts=1)),
        ("{ me { loans { id dueDate } holds { status } } }", Counter(get_accounts=1)),
        ("{ me { loans { renewability { renewable } } } }", Counter(get_accounts=1, get_items=1)),
        ("{ me { holds { record { title } } } }", Counter(get_accounts=1, get_titles=1)),
    ],
)
async def test_only_what_the_selection_shows_is_loaded_ahead(document: str, expected: Counter[str]) -> None:
    harness = Harness()
    await harness.data(document, viewer=as_patron(CAMILLE))
    assert harness.ils.calls == expected
    # The shares are read only when the selection reaches the shared accounts.
    assert harness.store.shares.calls["seen_by"] == 0  # type: ignore[attr-defined]
