"""The ILS port over SIP2 alone, for library systems with no SOAP service (GATEWAY_ILS_PROFILE=sip2).

Owns how an account is read from SIP2: one 63 Patron Information per detailed list (charged,
overdue, available holds, unavailable holds: the summary allows one list per 63), all at once,
then one 17 Item Information per charged item, all at once through the pool: two levels of
round trips whatever the number of loans (the pool size bounds how many are on the wire at a
time, not how many levels there are).

What SIP2 cannot carry is never guessed:
- a loan's renewal count and loan type: `renewal_count=None`, `LoanType.UNKNOWN`; the ILS
  decides at renewal (29) and its own screen message is the reason;
- a hold's pickup library: the institution (AO), flagged `pickup_library_known=False` (the
  contract's `Hold.pickupLibrary` is non-null; `Hold.pickupLibraryKnown` tells clients);
- a hold's queue position and placing date: None; a hold from the unavailable list (CD) is
  WAITING (SIP2 does not tell waiting from in transit), one from the available list (AS) AVAILABLE;
- records: a hold list entry and an 18's AJ are the ILS's title identifiers; a record is
  known only through them (its title is the AJ text of a copy, else the identifier itself);
- hold rules that need the record (digital, no copies, a copy on the shelf): left to the ILS.
  placeHold and cancelHold send the 15 (mode + / -) with the title id (AJ; by item, the same
  identifier in AB too, as `Sip2Config.hold_identifier` says); the portal still applies what
  the account carries (limit of active holds, already held, blocks, a pickup library that
  accepts pickups); a refusal is ILS_REFUSED with the ILS's screen message (AF), a success is
  read back from the 63 hold lists;
- catalogue search, new arrivals, contact update, e-mail look-up and the library list: raise
  `NotSupportedByIls` (the schema answers NOT_SUPPORTED_BY_ILS), except libraries given in
  the configuration (`libraries`).
Never caches: every account read asks the ILS.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date

from adapters.errors import IlsNotFound, NotSupportedByIls
from adapters.ils import models as d
from adapters.ils.breaker import DEFAULT_COOLDOWN, DEFAULT_FAILURES, CircuitBreaker
from adapters.ils.sip2.client import Sip2Client
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.pool import Sip2Pool

# A list window large enough for any account (BP/BQ are 1-based, inclusive).
LIST_END = 9999
_MEDIA = {
    "001": d.DocumentType.BOOK,
    "002": d.DocumentType.MAGAZINE,
    "003": d.DocumentType.MAGAZINE,
    "004": d.DocumentType.AUDIOBOOK,
    "005": d.DocumentType.DVD,
    "006": d.DocumentType.MUSIC_CD,
}


def blocks(flags: d.PatronStatusFlags) -> tuple[d.PatronBlock, ...]:
    """The portal's blocks from the 14 patron-status flags (24/64)."""
    found: list[d.PatronBlock] = []
    if flags.excessive_fines or flags.excessive_fees:
        found.append(d.PatronBlock.FINES_OWED)
    if flags.too_many_overdue:
        found.append(d.PatronBlock.TOO_MANY_OVERDUES)
    denied = flags.charge_denied or flags.renewal_denied or flags.hold_denied or flags.card_lost
    if denied and not found:
        # Privileges denied for a reason SIP2 does not name (expired card, suspension).
        found.append(d.PatronBlock.ACCOUNT_SUSPENDED)
    return tuple(found)


def patron_of(summary: d.PatronSummary) -> d.Patron:
    """The patron record SIP2 carries: one personal name (AE, not split), e-mail, phone, blocks."""
    return d.Patron(
        id=summary.patron_id,
        first_name="",
        last_name=summary.display_name,
        email=summary.email,
        phone=summary.phone,
        mobile=None,
        home_library_code=None,
        card_expires_on=None,
        blocks=blocks(summary.flags),
    )


def item_of(info: d.ItemInformation) -> d.Item:
    """A copy from 18; its record is known by the title identifier the ILS gave (AJ)."""
    return d.Item(
        id=info.item_id,
        title_id=info.title,
        library_code=info.permanent_library_code or info.current_library_code or "",
        call_number=None,
        status=info.status,
        due_date=info.due_date,
        hold_queue_length=info.hold_queue_length,
    )


def named_title(identifier: str) -> d.Title:
    """A record the ILS names only by its title identifier (a hold list entry): nothing else known."""
    return d.Title(
        id=identifier,
        title=identifier,
        authors=(),
        publication_year=None,
        document_type=d.DocumentType.OTHER,
        isbn=None,
        publisher=None,
        is_digital=False,
    )


def title_of(info: d.ItemInformation) -> d.Title:
    """A record as 18 describes it through a copy: its title text and media type, nothing more."""
    return d.Title(
        id=info.title,
        title=info.title,
        authors=(),
        publication_year=None,
        document_type=_MEDIA.get(info.media_type or "", d.DocumentType.OTHER),
        isbn=None,
        publisher=None,
        is_digital=False,
    )


class Sip2OnlyIls:
    """IlsPort over a `Sip2Client` alone."""

    describes_records = False  # 17 describes copies; no SIP2 message describes a record by id
    # The portal cannot judge a loan's count or type over SIP2: the ILS's own renew-all (65) does.
    renews_all_at_once = True

    def __init__(
        self, sip2: Sip2Client, *, libraries: Sequence[d.Library] = (), institution: str = ""
    ) -> None:
        self.sip2 = sip2
        self._institution = institution
        self._libraries = list(libraries)
        if institution and all(library.code != institution for library in libraries):
            # Where a hold waits when SIP2 does not say: the institution as a whole, never a
            # branch it might not be at; not a pickup choice of its own.
            self._libraries.append(d.Library(institution, institution, None, accepts_pickup=False))

    @property
    def breakers(self) -> list[CircuitBreaker]:
        """The SIP2 circuit breaker (for /metrics)."""
        return [] if self.sip2.breaker is None else [self.sip2.breaker]

    # ---- SIP2 verbs, as they are

    async def authenticate(self, card_number: str, password: str) -> d.Authentication:
        return await self.sip2.authenticate(card_number, password)

    async def patron_summary(
        self, patron_id: str, *, list_name: str | None = None, start: int = 1, end: int = 10
    ) -> d.PatronSummary:
        return await self.sip2.patron_summary(patron_id, list_name=list_name, start=start, end=end)

    async def item_information(self, item_id: str) -> d.ItemInformation:
        return await self.sip2.item_information(item_id)

    async def renew(self, patron_id: str, item_id: str) -> d.RenewalOutcome:
        return await self.sip2.renew(patron_id, item_id)

    async def renew_all(self, patron_id: str) -> d.RenewAllOutcome:
        return await self.sip2.renew_all(patron_id)

    # By item (`hold_identifier="item"`), the ILS's own identifier goes in AB as well as AJ: the
    # ACSs that hold by copy read `AB || AJ` and list holds by copy barcode (Koha), and over SIP2
    # alone the portal knows no other copy of a record. By title, AB stays empty.

    async def place_hold(self, patron_id: str, title_id: str, pickup_library_code: str) -> d.HoldOutcome:
        return await self.sip2.place_hold(patron_id, title_id, pickup_library_code, item_id=title_id)

    async def cancel_hold(self, patron_id: str, title_id: str) -> d.HoldOutcome:
        return await self.sip2.cancel_hold(patron_id, title_id, item_id=title_id)

    async def check_in(self, item_id: str, library_code: str) -> d.CirculationOutcome:
        return await self.sip2.check_in(item_id, library_code)

    async def check_out(self, patron_id: str, item_id: str) -> d.CirculationOutcome:
        return await self.sip2.check_out(patron_id, item_id)

    async def end_session(self, patron_id: str) -> bool:
        return await self.sip2.end_session(patron_id)

    # ---- accounts from 63 + 17

    async def find_patrons(
        self, *, email: str | None = None, card_number: str | None = None
    ) -> list[d.Patron]:
        if card_number is None:
            raise NotSupportedByIls("find_patrons_by_email")  # SIP2 looks patrons up by card only
        summary = await self.sip2.patron_summary(card_number)
        return [patron_of(summary)] if summary.valid_patron else []

    async def get_accounts(
        self, patron_ids: Sequence[str], parts: d.AccountParts = d.AccountParts()
    ) -> list[d.Account | None]:
        """Every account at once: level 1 the 63s of all of them, level 2 the 17s of all their loans."""
        lists = await asyncio.gather(*(self._lists(patron_id, parts) for patron_id in patron_ids))
        charged = sorted({item for summary in lists if summary for item in summary[0].charged_items})
        items = dict(zip(charged, await asyncio.gather(*(self._item(i) for i in charged)), strict=True))
        return [
            None if found is None else _account(*found, items, institution=self._institution, parts=parts)
            for found in lists
        ]

    async def _lists(
        self, patron_id: str, parts: d.AccountParts
    ) -> tuple[d.PatronSummary, frozenset[str], d.PatronSummary | None, d.PatronSummary | None] | None:
        wanted: list[str | None] = ["charged", "overdue"] if parts.loans else [None]
        if parts.holds:
            wanted += ["hold", "unavailable_hold"]
        answers = await asyncio.gather(
            *(self.sip2.patron_summary(patron_id, list_name=name, end=LIST_END) for name in wanted)
        )
        first = answers[0]
        if not first.valid_patron:
            return None
        by_name = dict(zip(wanted, answers, strict=True))
        overdue = frozenset(by_name["overdue"].overdue_items) if "overdue" in by_name else frozenset()
        return first, overdue, by_name.get("hold"), by_name.get("unavailable_hold")

    async def _item(self, item_id: str) -> d.ItemInformation | None:
        try:
            return await self.sip2.item_information(item_id)
        except IlsNotFound:
            return None

    async def get_items(self, item_ids: Sequence[str]) -> list[d.Item | None]:
        infos = await asyncio.gather(*(self._item(item_id) for item_id in item_ids))
        return [None if info is None else item_of(info) for info in infos]

    async def get_titles(self, title_ids: Sequence[str]) -> list[d.Title | None]:
        # SIP2 describes copies, not records: a record is known only with the copies of an account.
        return [None for _ in title_ids]

    async def update_contact(
        self, patron_id: str, *, email: str | None, phone: str | None, mobile: str | None
    ) -> d.Patron:
        raise NotSupportedByIls("update_contact")

    async def search(self, query: d.SearchQuery) -> d.SearchResult:
        raise NotSupportedByIls("search")

    async def get_libraries(self) -> list[d.Library]:
        return list(self._libraries)

    async def get_new_arrivals(self, library_code: str, since: date, limit: int) -> list[d.Title]:
        raise NotSupportedByIls("new_arrivals")

    async def health(self) -> list[d.DependencyHealth]:
        """[sip2, soap]: SOAP is not used (ok, not down)."""
        return [await self.sip2.health(), d.DependencyHealth("soap", True, "not used (SIP2-only profile)")]


def _account(
    summary: d.PatronSummary,
    overdue: frozenset[str],
    holds: d.PatronSummary | None,
    unavailable: d.PatronSummary | None,
    items: dict[str, d.ItemInformation | None],
    *,
    institution: str,
    parts: d.AccountParts = d.AccountParts(),
) -> d.Account:
    loans = []
    for item_id in summary.charged_items:
        info = items.get(item_id)
        if info is None or info.due_date is None:
            continue  # the ILS lists it but cannot describe it: not shown rather than guessed
        loans.append(
            d.Loan(
                id=item_id,
                patron_id=summary.patron_id,
                item_id=item_id,
                title_id=info.title,
                loan_type=d.LoanType.UNKNOWN,
                checked_out_on=None,
                due_date=info.due_date,
                renewal_count=None,
                overdue=item_id in overdue,
            )
        )
    held: list[tuple[str, d.HoldStatus]] = [
        (entry, d.HoldStatus.AVAILABLE) for entry in (holds.hold_items if holds else ())
    ]
    held += [
        (entry, d.HoldStatus.WAITING) for entry in (unavailable.unavailable_hold_items if unavailable else ())
    ]
    described = [info for item_id in summary.charged_items if (info := items.get(item_id)) is not None]
    return d.Account(
        patron=patron_of(summary),
        loans=tuple(loans),
        holds=tuple(
            d.Hold(
                id=entry,
                patron_id=summary.patron_id,
                title_id=entry,
                item_id=None,
                status=status,
                pickup_library_code=institution,
                pickup_library_known=False,
                placed_on=None,
                pickup_deadline=None,
                queue_position=None,
                queue_length=None,
            )
            for entry, status in held
        ),
        items=tuple(item_of(info) for info in described),
        titles=tuple(_titles(held, described)),
        fees=fees_of(summary) if parts.fees else (),
        fees_known=fees_known(summary) if parts.fees else True,
        counts=counts_of(summary),
    )


def counts_of(summary: d.PatronSummary) -> d.AccountCounts:
    """The 64's own counts: charged (loans), overdue, holds available plus not yet available.
    A count sent blank is unknown (None), so is a hold count with either half unknown."""
    holds = (
        None
        if summary.hold_count is None or summary.unavailable_hold_count is None
        else summary.hold_count + summary.unavailable_hold_count
    )
    return d.AccountCounts(loans=summary.charged_count, overdue=summary.overdue_count, holds=holds)


def fees_of(summary: d.PatronSummary) -> tuple[d.Fee, ...]:
    """What the patron owes as one fee: the 64's total (BV, BH); SIP2 does not itemize fees."""
    cents = summary.fee_amount_cents
    if cents is None or cents <= 0:
        return ()
    return (
        d.Fee(
            id=f"{summary.patron_id}:fees",
            amount_cents=cents,
            currency=summary.currency or "",
            description="total",
        ),
    )


def fees_known(summary: d.PatronSummary) -> bool:
    """Whether the 64 says what is owed: a readable BV, with its currency (BH) when something is owed."""
    cents = summary.fee_amount_cents
    return cents is not None and (cents <= 0 or bool(summary.currency))


@asynccontextmanager
async def open_sip2_only_ils(
    config: Sip2Config,
    libraries: Sequence[d.Library] = (),
    *,
    breaker_failures: int = DEFAULT_FAILURES,
    breaker_cooldown: float = DEFAULT_COOLDOWN,
) -> AsyncIterator[Sip2OnlyIls]:
    """Open the SIP2 pool behind its circuit breaker (as in the composite), yield the port, close
    the pool on exit."""
    breaker = CircuitBreaker("sip2", failures=breaker_failures, cooldown=breaker_cooldown)
    async with Sip2Pool(config) as pool:
        client = Sip2Client(pool, breaker=breaker)
        yield Sip2OnlyIls(client, libraries=libraries, institution=config.institution)


def _titles(
    held: Sequence[tuple[str, d.HoldStatus]], described: Sequence[d.ItemInformation]
) -> list[d.Title]:
    """The records of an account: named by its holds, described by its copies' 18s (these win)."""
    titles = {entry: named_title(entry) for entry, _ in held}
    titles.update((info.title, title_of(info)) for info in described)
    return list(titles.values())
