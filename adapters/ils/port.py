"""The ILS port: the domain verbs the schema may ask of the legacy library system.

The composite adapter implements it over SIP2 (authentication, circulation writes)
and SOAP (rich reads, batch look-ups, contact update). Tests use `FakeIls`, a
subclass. Batch methods answer in key order with `None` for unknown ids, so a
DataLoader maps them one to one.

Errors: `IlsUnavailable` (retryable for reads), `OutcomeUnknown` (a write whose
answer was lost), `IlsRejected` / `IlsNotFound` (the ILS refused). Expected
refusals of circulation writes are data in the outcome (`ok=False`, `message`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from adapters.ils.models import (
    Account,
    AccountParts,
    Authentication,
    CirculationOutcome,
    DependencyHealth,
    HoldOutcome,
    Item,
    ItemInformation,
    Library,
    Patron,
    PatronSummary,
    RenewAllOutcome,
    RenewalOutcome,
    SearchQuery,
    SearchResult,
    Title,
)


class IlsPort(Protocol):
    # False when the ILS cannot describe records by id (SIP2 alone): a title id it is asked
    # about is then not "unknown", and the rules that need the record are left to the ILS.
    describes_records: bool = True
    # True when renew-all is one 65 to the ILS (SIP2 alone), whose answer lists what it renewed;
    # False: renewAllLoans renews loan by loan (29), each judged by the portal rules first.
    renews_all_at_once: bool = False

    # ---- SIP2: identity and circulation

    async def authenticate(self, card_number: str, password: str) -> Authentication:
        """63/64 with AD: is the card known (BL) and the password right (CQ)?"""
        ...

    async def patron_summary(
        self, patron_id: str, *, list_name: str | None = None, start: int = 1, end: int = 10
    ) -> PatronSummary:
        """63/64 without password: counts, and one detailed list ("hold", "overdue", "charged", …)."""
        ...

    async def item_information(self, item_id: str) -> ItemInformation:
        """17/18."""
        ...

    async def renew(self, patron_id: str, item_id: str) -> RenewalOutcome:
        """29/30. Never retried blindly: a lost answer raises OutcomeUnknown."""
        ...

    async def renew_all(self, patron_id: str) -> RenewAllOutcome:
        """65/66. Never retried blindly."""
        ...

    async def place_hold(self, patron_id: str, title_id: str, pickup_library_code: str) -> HoldOutcome:
        """15/16 with mode `+` and BS. Never retried blindly."""
        ...

    async def cancel_hold(self, patron_id: str, title_id: str) -> HoldOutcome:
        """15/16 with mode `-`. Never retried blindly."""
        ...

    async def check_in(self, item_id: str, library_code: str) -> CirculationOutcome:
        """09/10 (staff and tests). Never retried blindly."""
        ...

    async def check_out(self, patron_id: str, item_id: str) -> CirculationOutcome:
        """11/12 (staff and tests). Never retried blindly."""
        ...

    async def end_session(self, patron_id: str) -> bool:
        """35/36."""
        ...

    # ---- SOAP: rich reads in batches, and the contact update

    async def find_patrons(self, *, email: str | None = None, card_number: str | None = None) -> list[Patron]:
        """lookupPatrons: every account with that e-mail (several for a shared one) or card."""
        ...

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: AccountParts = AccountParts()
    ) -> list[Account | None]:
        """lookupAccounts: one call for the whole batch, answers in key order."""
        ...

    async def update_contact(
        self, patron_id: str, *, email: str | None, phone: str | None, mobile: str | None
    ) -> Patron:
        """updateContactInfo: None leaves a value as it is, "" removes it."""
        ...

    async def get_titles(self, title_ids: Sequence[str]) -> list[Title | None]:
        """lookupTitles, with each title's item ids."""
        ...

    async def get_items(self, item_ids: Sequence[str]) -> list[Item | None]:
        """lookupItems."""
        ...

    async def search(self, query: SearchQuery) -> SearchResult:
        """searchCatalog."""
        ...

    async def get_libraries(self) -> list[Library]:
        """lookupLibraries."""
        ...

    async def get_new_arrivals(self, library_code: str, since: date, limit: int) -> list[Title]:
        """lookupNewArrivals."""
        ...

    # ---- operations

    async def health(self) -> list[DependencyHealth]:
        """One entry per protocol ("sip2", "soap"), for /readyz."""
        ...
