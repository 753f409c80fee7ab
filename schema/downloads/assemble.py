"""Gathering what a download shows, through the ILS port and the request's loaders, into a document.

Owns the reading side of a download, once access has been decided by the caller (the
route re-checks it with schema/access.py before calling here): the search run again with
the grant's query, the basket as stored now, or the accounts with their loans, holds,
copies, records and libraries in one batch per kind. Never decides access and never renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from adapters.ils.models import Account, AccountParts, Library, LoanType, Title
from adapters.ils.port import IlsPort
from adapters.store.port import Basket
from schema.circulation.rules import is_overdue
from schema.downloads.documents import (
    AccountSection,
    AccountSummary,
    DocumentInfo,
    HoldLine,
    LoanLine,
    RecordEntry,
    RecordList,
)
from schema.downloads.formats import SummaryContent
from schema.downloads.grants import BasketFile, DownloadGrant, SearchPage, SummaryFile
from schema.loaders import Loaders

RecordUrl = Callable[[str], str]
_NAME_ONLY = AccountParts(loans=False, holds=False, fees=False)


async def viewer_name(ils: IlsPort, grant: DownloadGrant) -> str | None:
    """The name of the patron the file is for (None for staff and anonymous viewers)."""
    return None if grant.viewer_id is None else await patron_name(ils, grant.viewer_id)


async def patron_name(ils: IlsPort, patron_id: str) -> str | None:
    """The display name of an account (None when the ILS does not know it)."""
    (account,) = await ils.get_accounts([patron_id], _NAME_ONLY)
    return None if account is None else account.patron.display_name


def record_list(
    info: DocumentInfo, heading: str, titles: Sequence[Title], record_url: RecordUrl, *, is_basket: bool
) -> RecordList:
    """A list of records with their links, in the given order."""
    entries = tuple(RecordEntry(title=title, url=record_url(title.id)) for title in titles)
    return RecordList(info=info, is_basket=is_basket, heading=heading, records=entries)


async def search_page(
    ils: IlsPort, subject: SearchPage, info: DocumentInfo, record_url: RecordUrl
) -> RecordList:
    """The page of results the grant names, run again with the same query, scope, offset and limit."""
    result = await ils.search(subject.query)
    return record_list(info, subject.query.text, result.titles, record_url, is_basket=False)


async def basket(loaders: Loaders, subject: BasketFile) -> tuple[Basket, list[Title]] | None:
    """The owner's basket the grant names, as stored now, with its records in order (None: deleted).

    Looked up among the owner's baskets only: a basket id never reaches another patron's basket.
    """
    found = next((b for b in await loaders.baskets.load(subject.owner_id) if b.id == subject.basket_id), None)
    if found is None:
        return None
    titles = await loaders.titles.load_many(found.record_ids)
    return found, [title for title in titles if title is not None]


def _kept_loans(account: Account, content: SummaryContent, today: date) -> list[LoanLine]:
    lines = []
    for loan in account.loans:
        digital = loan.loan_type is LoanType.DIGITAL
        overdue = is_overdue(loan, today)
        if digital and content is not SummaryContent.LOANS_AND_HOLDS_WITH_DIGITAL:
            continue
        if content is SummaryContent.OVERDUE_PHYSICAL_LOANS and not overdue:
            continue
        lines.append(LoanLine(loan=loan, title=None, library=None, overdue=overdue))
    return lines


async def account_summary(
    loaders: Loaders,
    subject: SummaryFile,
    viewer_id: str | None,
    info_for: Callable[[str | None], DocumentInfo],
    today: date,
) -> AccountSummary:
    """The summary of the grant's accounts (already authorized), one section per known account.

    The viewer's account is read in the same batch, for its name (`info_for` gets it).
    """
    wanted = list(subject.account_ids)
    extra = [viewer_id] if viewer_id is not None and viewer_id not in wanted else []
    loaded = dict(zip(wanted + extra, await loaders.accounts.load_many(wanted + extra), strict=True))
    accounts = [account for key in wanted if (account := loaded[key]) is not None]
    viewer = loaded.get(viewer_id) if viewer_id is not None else None
    info = info_for(None if viewer is None else viewer.patron.display_name)
    with_holds = subject.content is not SummaryContent.OVERDUE_PHYSICAL_LOANS
    loans = {account.patron.id: _kept_loans(account, subject.content, today) for account in accounts}
    title_ids = [line.loan.title_id for lines in loans.values() for line in lines]
    item_ids = [line.loan.item_id for lines in loans.values() for line in lines]
    if with_holds:
        title_ids += [hold.title_id for account in accounts for hold in account.holds]
    titles = dict(zip(title_ids, await loaders.titles.load_many(title_ids), strict=True))
    items = dict(zip(item_ids, await loaders.items.load_many(item_ids), strict=True))
    libraries: dict[str, Library] = {
        library.code: library for library in await loaders.library_directory.all()
    }
    sections = []
    for account in accounts:
        loan_lines = []
        for line in loans[account.patron.id]:
            item = items.get(line.loan.item_id)
            library = libraries.get(item.library_code) if item is not None else None
            loan_lines.append(LoanLine(line.loan, titles.get(line.loan.title_id), library, line.overdue))
        hold_lines = [
            HoldLine(hold, titles.get(hold.title_id), libraries.get(hold.pickup_library_code))
            for hold in (account.holds if with_holds else ())
        ]
        sections.append(
            AccountSection(
                card_number=account.patron.id,
                name=account.patron.display_name,
                loans=tuple(loan_lines),
                holds=tuple(hold_lines),
            )
        )
    return AccountSummary(info=info, content=subject.content, sections=tuple(sections))
