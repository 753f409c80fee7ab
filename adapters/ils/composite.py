"""The ILS port over both protocols: SIP2 for identity and circulation, SOAP for rich reads.

Owns which protocol answers which verb of IlsPort, and the lifecycle of both
clients (`open_composite_ils`). Adds no behaviour of its own: no caching, no
retries, no error translation (each client already raises the gateway's errors).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Protocol

from adapters.ils.breaker import DEFAULT_COOLDOWN, DEFAULT_FAILURES, CircuitBreaker
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
from adapters.ils.sip2.client import Sip2Client
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.pool import Sip2Pool
from adapters.ils.soap.client import SoapIlsClient


class Sip2Verbs(Protocol):
    """The SIP2 half of IlsPort, as Sip2Client provides it."""

    async def authenticate(self, card_number: str, password: str) -> Authentication: ...

    async def patron_summary(
        self, patron_id: str, *, list_name: str | None = None, start: int = 1, end: int = 10
    ) -> PatronSummary: ...

    async def item_information(self, item_id: str) -> ItemInformation: ...

    async def renew(self, patron_id: str, item_id: str) -> RenewalOutcome: ...

    async def renew_all(self, patron_id: str) -> RenewAllOutcome: ...

    async def place_hold(self, patron_id: str, title_id: str, pickup_library_code: str) -> HoldOutcome: ...

    async def cancel_hold(self, patron_id: str, title_id: str) -> HoldOutcome: ...

    async def check_in(self, item_id: str, library_code: str) -> CirculationOutcome: ...

    async def check_out(self, patron_id: str, item_id: str) -> CirculationOutcome: ...

    async def end_session(self, patron_id: str) -> bool: ...

    async def health(self) -> DependencyHealth: ...


class CompositeIls:
    """IlsPort: SIP2 verbs go to `sip2`, SOAP verbs to `soap`."""

    describes_records = True
    renews_all_at_once = False

    def __init__(self, sip2: Sip2Verbs, soap: SoapIlsClient) -> None:
        self.sip2 = sip2
        self.soap = soap

    @property
    def breakers(self) -> list[CircuitBreaker]:
        """Each protocol's circuit breaker (for /metrics)."""
        found = [getattr(self.sip2, "breaker", None), self.soap.breaker]
        return [breaker for breaker in found if breaker is not None]

    # ---- SIP2: identity and circulation

    async def authenticate(self, card_number: str, password: str) -> Authentication:
        return await self.sip2.authenticate(card_number, password)

    async def patron_summary(
        self, patron_id: str, *, list_name: str | None = None, start: int = 1, end: int = 10
    ) -> PatronSummary:
        return await self.sip2.patron_summary(patron_id, list_name=list_name, start=start, end=end)

    async def item_information(self, item_id: str) -> ItemInformation:
        return await self.sip2.item_information(item_id)

    async def renew(self, patron_id: str, item_id: str) -> RenewalOutcome:
        return await self.sip2.renew(patron_id, item_id)

    async def renew_all(self, patron_id: str) -> RenewAllOutcome:
        return await self.sip2.renew_all(patron_id)

    async def place_hold(self, patron_id: str, title_id: str, pickup_library_code: str) -> HoldOutcome:
        return await self.sip2.place_hold(patron_id, title_id, pickup_library_code)

    async def cancel_hold(self, patron_id: str, title_id: str) -> HoldOutcome:
        return await self.sip2.cancel_hold(patron_id, title_id)

    async def check_in(self, item_id: str, library_code: str) -> CirculationOutcome:
        return await self.sip2.check_in(item_id, library_code)

    async def check_out(self, patron_id: str, item_id: str) -> CirculationOutcome:
        return await self.sip2.check_out(patron_id, item_id)

    async def end_session(self, patron_id: str) -> bool:
        return await self.sip2.end_session(patron_id)

    # ---- SOAP: rich reads in batches, and the contact update

    async def find_patrons(self, *, email: str | None = None, card_number: str | None = None) -> list[Patron]:
        return await self.soap.find_patrons(email=email, card_number=card_number)

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: AccountParts = AccountParts()
    ) -> list[Account | None]:
        return await self.soap.get_accounts(patron_ids, parts)

    async def update_contact(
        self, patron_id: str, *, email: str | None, phone: str | None, mobile: str | None
    ) -> Patron:
        return await self.soap.update_contact(patron_id, email=email, phone=phone, mobile=mobile)

    async def get_titles(self, title_ids: Sequence[str]) -> list[Title | None]:
        return await self.soap.get_titles(title_ids)

    async def get_items(self, item_ids: Sequence[str]) -> list[Item | None]:
        return await self.soap.get_items(item_ids)

    async def search(self, query: SearchQuery) -> SearchResult:
        return await self.soap.search(query)

    async def get_libraries(self) -> list[Library]:
        return await self.soap.get_libraries()

    async def get_new_arrivals(self, library_code: str, since: date, limit: int) -> list[Title]:
        return await self.soap.get_new_arrivals(library_code, since, limit)

    # ---- operations

    async def health(self) -> list[DependencyHealth]:
        """Both protocols, checked concurrently: [sip2, soap]."""
        sip2, soap = await asyncio.gather(self.sip2.health(), self.soap.health())
        return [sip2, soap]


@asynccontextmanager
async def open_composite_ils(
    sip2_config: Sip2Config,
    wsdl_url: str,
    *,
    soap_timeout: float = 5.0,
    breaker_failures: int = DEFAULT_FAILURES,
    breaker_cooldown: float = DEFAULT_COOLDOWN,
) -> AsyncIterator[CompositeIls]:
    """Open the SIP2 pool and the SOAP client, each behind its own circuit breaker; yield the port,
    close both on exit."""

    def breaker(name: str) -> CircuitBreaker:
        return CircuitBreaker(name, failures=breaker_failures, cooldown=breaker_cooldown)

    soap = await SoapIlsClient.create(wsdl_url, call_timeout=soap_timeout, breaker=breaker("soap"))
    try:
        async with Sip2Pool(sip2_config) as pool:
            yield CompositeIls(Sip2Client(pool, breaker=breaker("sip2")), soap)
    finally:
        await soap.close()
