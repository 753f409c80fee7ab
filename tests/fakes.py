"""In-memory test doubles of the ports: FakeIls, FakeStore, FakeAuth.

FakeIls holds the DESIGN.md demo data (dates relative to `today`), counts every
call per port method and can be told to fail, refuse or lose the answer of the
next call of a given method. It is a subclass of the port, never a MagicMock.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime

from adapters.errors import GatewayError, OutcomeUnknown
from adapters.ils.models import (
    Account,
    AccountParts,
    Authentication,
    CirculationOutcome,
    DependencyHealth,
    HoldOutcome,
    Item,
    ItemInformation,
    ItemStatus,
    Library,
    Loan,
    LoanType,
    Patron,
    PatronStatusFlags,
    PatronSummary,
    RenewAllOutcome,
    RenewalOutcome,
    SearchQuery,
    SearchResult,
    Title,
)
from adapters.ils.port import IlsPort
from adapters.store.port import (
    PENDING,
    IdempotencyRepository,
    PortalStore,
    Share,
    ShareRepository,
    ShareScope,
)
from adapters.store.share_port import ShareRefusal
from schema.context import SignIn
from tests.fakes_data import RENEWAL_PERIOD, IlsData
from tests.fakes_portal import (
    FakeAlertDigests,
    FakeAlertLists,
    FakeAlertSubscriptions,
    FakeBaskets,
    FakeSavedSearches,
    FakeSearchPreferences,
)
from tests.fakes_sharing import FakeShareEvents, FakeShareRequests

DEMO_TODAY = date(2026, 12, 1)


class FakeIls(IlsData, IlsPort):
    """The ILS port over dictionaries, seeded with the demo data."""

    def __init__(self, today: date = DEMO_TODAY, *, seed_demo: bool = True) -> None:
        super().__init__(today)
        self.calls: Counter[str] = Counter()
        self.batches: dict[str, list[list[str]]] = {}
        self._failures: dict[str, tuple[int, GatewayError]] = {}
        self._refusals: dict[str, str] = {}
        self._lost_answers: set[str] = set()
        # What lookupNewArrivals answers per library code (newest first).
        self.new_arrivals: dict[str, list[Title]] = {}
        if seed_demo:
            from tests.fakes_demo import seed_demo_data

            seed_demo_data(self)

    # ---- knobs for tests

    def fail_next(self, method: str, error: GatewayError, *, skip: int = 0) -> None:
        """The next call of `method` (after `skip` calls that succeed) raises `error`, doing nothing."""
        self._failures[method] = (skip, error)

    def refuse_next(self, method: str, message: str) -> None:
        """The next circulation write `method` answers ok=False with the ILS's own `message`."""
        self._refusals[method] = message

    def lose_next_answer(self, method: str) -> None:
        """The next write `method` is applied, then its answer is lost (OutcomeUnknown)."""
        self._lost_answers.add(method)

    def reset_counts(self) -> None:
        self.calls.clear()
        self.batches.clear()

    # ---- SIP2 half

    async def authenticate(self, card_number: str, password: str) -> Authentication:
        self._enter("authenticate")
        patron = self.patrons.get(card_number)
        birth = patron.birth_date.strftime("%d%m%Y") if patron and patron.birth_date else None
        name = patron.display_name if patron else ""
        return Authentication(card_number, patron is not None, birth == password, name)

    async def patron_summary(
        self, patron_id: str, *, list_name: str | None = None, start: int = 1, end: int = 10
    ) -> PatronSummary:
        self._enter("patron_summary")
        patron = self._patron(patron_id)
        loans = self._loans_of(patron_id)
        overdue = [loan.item_id for loan in loans if loan.overdue]
        return PatronSummary(
            patron_id,
            patron.display_name,
            True,
            None,
            PatronStatusFlags(),
            len(self._holds_of(patron_id)),
            len(overdue),
            len(loans),
            0,
            0,
            0,
            patron.email,
            patron.phone,
            charged_items=tuple(loan.item_id for loan in loans),
            overdue_items=tuple(overdue),
        )

    async def item_information(self, item_id: str) -> ItemInformation:
        self._enter("item_information")
        item = self._item(item_id)
        title = self._title(item.title_id)
        return ItemInformation(
            item.id,
            item.status,
            title.title,
            item.due_date,
            item.hold_queue_length,
            item.library_code,
            item.library_code,
            None,
        )

    async def renew(self, patron_id: str, item_id: str) -> RenewalOutcome:
        self._enter("renew")
        title = self._title(self._item(item_id).title_id).title
        if message := self._refusals.pop("renew", None):
            return RenewalOutcome(False, item_id, title, None, message)
        loan = next((x for x in self._loans_of(patron_id) if x.item_id == item_id), None)
        if loan is None or not self._renewable(loan):
            return RenewalOutcome(False, item_id, title, None, "Prolongation impossible")
        renewed = dataclasses.replace(
            loan, due_date=self.today + RENEWAL_PERIOD, renewal_count=loan.renewal_count + 1
        )
        self.loans[loan.id] = renewed
        self._maybe_lose("renew")
        return RenewalOutcome(True, item_id, title, renewed.due_date, None)

    async def renew_all(self, patron_id: str) -> RenewAllOutcome:
        self._enter("renew_all")
        if message := self._refusals.pop("renew_all", None):
            return RenewAllOutcome(False, (), (), message, general_message=message)
        renewed, unrenewed = [], []
        for loan in self._loans_of(patron_id):
            if self._renewable(loan):
                self.loans[loan.id] = dataclasses.replace(
                    loan, due_date=self.today + RENEWAL_PERIOD, renewal_count=loan.renewal_count + 1
                )
                renewed.append(loan.item_id)
            else:
                unrenewed.append(loan.item_id)
        self._maybe_lose("renew_all")
        return RenewAllOutcome(True, tuple(renewed), tuple(unrenewed), None)

    async def place_hold(self, patron_id: str, title_id: str, pickup_library_code: str) -> HoldOutcome:
        self._enter("place_hold")
        if message := self._refusals.pop("place_hold", None):
            return HoldOutcome(False, False, title_id, None, None, pickup_library_code, message)
        title = self._title(title_id)
        if any(hold.title_id == title_id for hold in self._holds_of(patron_id)):
            return HoldOutcome(False, False, title_id, None, None, pickup_library_code, "Déjà réservé")
        hold = self.add_hold(patron_id, title, pickup_library_code)
        self._maybe_lose("place_hold")
        return HoldOutcome(True, False, title_id, None, hold.queue_position, pickup_library_code, None)

    async def cancel_hold(self, patron_id: str, title_id: str) -> HoldOutcome:
        self._enter("cancel_hold")
        if message := self._refusals.pop("cancel_hold", None):
            return HoldOutcome(False, False, title_id, None, None, None, message)
        hold = next((x for x in self._holds_of(patron_id) if x.title_id == title_id), None)
        if hold is None:
            return HoldOutcome(False, False, title_id, None, None, None, "Aucune réservation")
        del self.holds[hold.id]
        self._maybe_lose("cancel_hold")
        return HoldOutcome(True, False, title_id, None, None, None, None)

    async def check_in(self, item_id: str, library_code: str) -> CirculationOutcome:
        self._enter("check_in")
        item = self._item(item_id)
        for loan in [x for x in self.loans.values() if x.item_id == item_id]:
            del self.loans[loan.id]
        self.items[item_id] = dataclasses.replace(item, status=ItemStatus.AVAILABLE, due_date=None)
        return CirculationOutcome(True, item_id, self._title(item.title_id).title, None, None, None)

    async def check_out(self, patron_id: str, item_id: str) -> CirculationOutcome:
        self._enter("check_out")
        item = self._item(item_id)
        due = self.today + RENEWAL_PERIOD
        self.items[item_id] = dataclasses.replace(item, status=ItemStatus.CHECKED_OUT, due_date=due)
        loan = Loan(
            self.next_id("L"), patron_id, item_id, item.title_id, LoanType.STANDARD, self.today, due, 0, False
        )
        self.loans[loan.id] = loan
        return CirculationOutcome(True, item_id, self._title(item.title_id).title, due, patron_id, None)

    async def end_session(self, patron_id: str) -> bool:
        self._enter("end_session")
        return True

    # ---- SOAP half

    async def find_patrons(self, *, email: str | None = None, card_number: str | None = None) -> list[Patron]:
        self._enter("find_patrons")
        return [
            p
            for p in self.patrons.values()
            if (email is not None and p.email == email) or (card_number is not None and p.id == card_number)
        ]

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: AccountParts = AccountParts()
    ) -> list[Account | None]:
        self._enter("get_accounts", patron_ids)
        return [self._account(pid, parts) for pid in patron_ids]

    async def update_contact(
        self, patron_id: str, *, email: str | None, phone: str | None, mobile: str | None
    ) -> Patron:
        self._enter("update_contact")
        patron = self._patron(patron_id)
        updated = dataclasses.replace(
            patron,
            email=patron.email if email is None else email or None,
            phone=patron.phone if phone is None else phone or None,
            mobile=patron.mobile if mobile is None else mobile or None,
        )
        self.patrons[patron_id] = updated
        self._maybe_lose("update_contact")
        return updated

    async def get_titles(self, title_ids: Sequence[str]) -> list[Title | None]:
        self._enter("get_titles", title_ids)
        return [self.titles.get(tid) for tid in title_ids]

    async def get_items(self, item_ids: Sequence[str]) -> list[Item | None]:
        self._enter("get_items", item_ids)
        return [self._item_with_queue(iid) if iid in self.items else None for iid in item_ids]

    async def search(self, query: SearchQuery) -> SearchResult:
        self._enter("search")
        found = [t for t in self.titles.values() if self._matches(t, query)]
        return SearchResult(len(found), tuple(found[query.offset : query.offset + query.limit]))

    async def get_libraries(self) -> list[Library]:
        self._enter("get_libraries")
        return list(self.libraries.values())

    async def get_new_arrivals(self, library_code: str, since: date, limit: int) -> list[Title]:
        self._enter("get_new_arrivals")
        return self.new_arrivals.get(library_code, [])[:limit]

    async def health(self) -> list[DependencyHealth]:
        return [DependencyHealth("sip2", True), DependencyHealth("soap", True)]

    # ---- internals

    def _enter(self, method: str, keys: Sequence[str] | None = None) -> None:
        self.calls[method] += 1
        if keys is not None:
            self.batches.setdefault(method, []).append(list(keys))
        if method in self._failures:
            skip, error = self._failures.pop(method)
            if skip:
                self._failures[method] = (skip - 1, error)
            else:
                raise error

    def _maybe_lose(self, method: str) -> None:
        if method in self._lost_answers:
            self._lost_answers.discard(method)
            raise OutcomeUnknown(method, "connection dropped after the write")


class FakeShares(ShareRepository):
    """Accepted shares in memory; counts the reads."""

    def __init__(self, shares: Sequence[Share] = ()) -> None:
        self.rows: list[Share] = list(shares)
        self.calls: Counter[str] = Counter()

    async def seen_by(self, viewer_id: str) -> list[Share]:
        self.calls["seen_by"] += 1
        return [share for share in self.rows if share.viewer_id == viewer_id]

    async def of_owner(self, owner_id: str) -> list[Share]:
        self.calls["of_owner"] += 1
        return [share for share in self.rows if share.owner_id == owner_id]

    async def create(
        self,
        owner_id: str,
        viewer_id: str,
        *,
        scope: ShareScope = ShareScope.VIEW_AND_RENEW,
        expires_at: datetime | None = None,
    ) -> Share:
        since = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
        share = Share(f"S{len(self.rows) + 1}", owner_id, viewer_id, since, scope, expires_at)
        self.rows.append(share)
        return share

    async def by_id(self, share_id: str) -> Share | None:
        return next((share for share in self.rows if share.id == share_id), None)

    async def accept(
        self,
        request_id: str,
        owner_id: str,
        *,
        scope: ShareScope,
        expires_at: datetime | None,
        now: datetime,
        token_hash: str | None = None,
    ) -> Share | ShareRefusal:
        return ShareRefusal.NOT_FOUND  # the workflow is tested on the SQL store

    async def revoke(self, share_id: str, patron_id: str, now: datetime) -> Share | ShareRefusal:
        share = await self.by_id(share_id)
        if share is None or patron_id not in (share.owner_id, share.viewer_id):
            return ShareRefusal.NOT_FOUND
        self.rows.remove(share)
        return share

    async def change(
        self, share_id: str, owner_id: str, scope: ShareScope, expires_at: datetime | None, now: datetime
    ) -> Share | ShareRefusal:
        share = await self.by_id(share_id)
        if share is None or share.owner_id != owner_id:
            return ShareRefusal.NOT_FOUND
        changed = dataclasses.replace(share, scope=scope, expires_at=expires_at)
        self.rows[self.rows.index(share)] = changed
        return changed

    async def end_expired(self, now: datetime) -> list[Share]:
        ended = [s for s in self.rows if s.expires_at is not None and s.expires_at <= now]
        self.rows = [s for s in self.rows if s not in ended]
        return ended


class FakeIdempotency(IdempotencyRepository):
    """Idempotency records in memory; the first claim wins."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], str] = {}
        self.calls: Counter[str] = Counter()

    async def result(self, key: str, patron_id: str) -> str | None:
        self.calls["result"] += 1
        return self.records.get((key, patron_id))

    async def claim(self, key: str, patron_id: str) -> str | None:
        self.calls["claim"] += 1
        if (key, patron_id) in self.records:
            return self.records[key, patron_id]
        self.records[key, patron_id] = PENDING
        return None

    async def complete(self, key: str, patron_id: str, result: str) -> None:
        self.calls["complete"] += 1
        self.records[key, patron_id] = result

    async def release(self, key: str, patron_id: str) -> None:
        self.calls["release"] += 1
        if self.records.get((key, patron_id)) == PENDING:
            del self.records[key, patron_id]


def fake_store(shares: Sequence[Share] = ()) -> PortalStore:
    """The portal store over in-memory repositories."""
    return PortalStore(
        shares=FakeShares(shares),
        idempotency=FakeIdempotency(),
        search_preferences=FakeSearchPreferences(),
        baskets=FakeBaskets(),
        saved_searches=FakeSavedSearches(),
        alert_lists=FakeAlertLists(),
        alert_subscriptions=FakeAlertSubscriptions(),
        alert_digests=FakeAlertDigests(),
        share_requests=FakeShareRequests(),
        share_events=FakeShareEvents(),
    )


class FakeAuth:
    """Sign-in over FakeIls.authenticate; no sessions, no throttling."""

    def __init__(self, ils: FakeIls) -> None:
        self.ils = ils
        self.logged_out = 0

    async def login(self, identifier: str, password: str) -> SignIn:
        card = "".join(ch for ch in identifier if ch.isalnum())
        result = await self.ils.authenticate(card, password)
        if not result.ok:
            return SignIn(ok=False, code="INVALID_CREDENTIALS")
        return SignIn(ok=True, patron_id=card, token=f"token-{card}")

    async def logout(self) -> bool:
        self.logged_out += 1
        return True


def demo_store() -> PortalStore:
    """The demo portal data: Camille sees Léo's account (accepted share)."""
    since = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    return fake_store([Share("S1", "2900000002", "2900000001", since)])
