"""SoapIlsClient against the emulator's SOAP service over a real socket: every method, the demo data."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from adapters.errors import IlsNotFound, IlsRejected
from adapters.ils.models import (
    AccountParts,
    CatalogueSource,
    DocumentType,
    HoldStatus,
    ItemStatus,
    LoanType,
    PatronBlock,
    SearchQuery,
)
from adapters.ils.soap.client import SoapIlsClient
from emulator import seed
from emulator.runner import RunningEmulator
from emulator.seed import CAMILLE, HUGO, LEO, LUCIE, NADIA

T = seed.DEMO_TODAY


def soap_calls(emulator: RunningEmulator, operation: str) -> int:
    """SOAP round trips of `operation` the emulator has served."""
    return emulator.stats.snapshot()["soap"].get(operation, 0)


@pytest.fixture
async def client(emulator: RunningEmulator) -> AsyncIterator[SoapIlsClient]:
    soap = await SoapIlsClient.create(emulator.wsdl_url, call_timeout=5.0)
    try:
        yield soap
    finally:
        await soap.close()


async def test_shared_email_finds_two_patrons(client: SoapIlsClient) -> None:
    patrons = await client.find_patrons(email="Famille.Bernard@example.org")
    assert sorted(p.id for p in patrons) == [HUGO, LUCIE]
    assert {p.display_name for p in patrons} == {"Hugo Bernard", "Lucie Bernard"}


async def test_find_by_card_and_unknown(client: SoapIlsClient) -> None:
    [camille] = await client.find_patrons(card_number=CAMILLE)
    assert camille.email == "camille.martin@example.org"
    assert camille.home_library_code == "DURAS"
    assert camille.birth_date is not None and camille.birth_date.isoformat() == "1985-07-14"
    assert await client.find_patrons(card_number="0000000000") == []
    assert await client.find_patrons(email="nobody@example.org") == []
    with pytest.raises(IlsRejected):
        await client.find_patrons()


async def test_camille_loans(client: SoapIlsClient) -> None:
    [account] = await client.get_accounts([CAMILLE])
    assert account is not None
    loans = {loan.title_id: loan for loan in account.loans}
    assert len(loans) == 7
    assert loans[seed.HORDE].due_date == T + timedelta(days=10)
    assert (loans[seed.HORDE].renewal_count, loans[seed.HORDE].loan_type) == (0, LoanType.STANDARD)
    assert loans[seed.FURTIFS].renewal_count == 2
    assert loans[seed.ASTERIX].loan_type is LoanType.ONE_WEEK
    assert loans[seed.BUREAU].overdue and loans[seed.BUREAU].due_date == T - timedelta(days=4)
    assert [t for t, loan in loans.items() if loan.overdue] == [seed.BUREAU]
    assert loans[seed.ANOMALIE].renewal_count == 1
    assert loans[seed.CHANSON].loan_type is LoanType.DIGITAL
    assert loans[seed.VERNON].due_date == T + timedelta(days=2)
    assert all(loan.patron_id == CAMILLE and loan.checked_out_on is not None for loan in account.loans)


async def test_camille_holds_with_queue_positions(client: SoapIlsClient) -> None:
    [account] = await client.get_accounts([CAMILLE])
    assert account is not None
    holds = {hold.title_id: hold for hold in account.holds}
    assert set(holds) == {seed.MISERABLES, seed.HADRIEN, seed.CONSENTEMENT}
    miserables = holds[seed.MISERABLES]
    assert (miserables.status, miserables.queue_position, miserables.queue_length) == (
        HoldStatus.WAITING,
        2,
        2,
    )
    assert miserables.pickup_library_code == "DURAS"
    hadrien = holds[seed.HADRIEN]
    assert (hadrien.status, hadrien.pickup_library_code) == (HoldStatus.AVAILABLE, "SAGAN")
    assert hadrien.pickup_deadline == T + timedelta(days=6) and hadrien.item_id is not None
    assert hadrien.queue_position is None
    consentement = holds[seed.CONSENTEMENT]
    assert (consentement.status, consentement.pickup_library_code) == (HoldStatus.IN_TRANSIT, "LEDUC")


async def test_batch_in_key_order_with_none_in_one_call(
    client: SoapIlsClient, emulator: RunningEmulator
) -> None:
    ids = [LEO, "0000000000", CAMILLE, HUGO, LEO]
    accounts = await client.get_accounts(ids, AccountParts(loans=True, holds=True))
    assert [a.patron.id if a else None for a in accounts] == [LEO, None, CAMILLE, HUGO, LEO]
    assert soap_calls(emulator, "lookupAccounts") == 1
    assert await client.get_accounts([]) == [] and await client.get_titles([]) == []
    assert soap_calls(emulator, "lookupAccounts") == 1 and soap_calls(emulator, "lookupTitles") == 0
    leo, hugo = accounts[0], accounts[3]
    assert leo is not None and hugo is not None
    overdue = [loan for loan in leo.loans if loan.overdue]
    assert [loan.title_id for loan in overdue] == [seed.NICOLAS]
    assert len(hugo.holds) == 10 and all(h.status is HoldStatus.WAITING for h in hugo.holds)
    assert hugo.loans == ()


async def test_include_flags(client: SoapIlsClient) -> None:
    [bare] = await client.get_accounts([NADIA], AccountParts(loans=False, holds=False, fees=False))
    assert bare is not None and (bare.loans, bare.holds, bare.fees) == ((), (), ())
    assert bare.patron.blocks == (PatronBlock.FINES_OWED,)
    [full] = await client.get_accounts([NADIA], AccountParts(loans=True, holds=True, fees=True))
    assert full is not None and len(full.loans) == 1
    assert [(fee.amount_cents, fee.currency) for fee in full.fees] == [(1250, "EUR")]


async def test_update_contact(client: SoapIlsClient) -> None:
    patron = await client.update_contact(
        CAMILLE, email="camille@example.net", phone=None, mobile="06 12 34 56 78"
    )
    assert (patron.email, patron.phone, patron.mobile) == (
        "camille@example.net",
        "0140000001",
        "06 12 34 56 78",
    )
    [again] = await client.find_patrons(card_number=CAMILLE)
    assert again.email == "camille@example.net"
    removed = await client.update_contact(CAMILLE, email=None, phone="", mobile=None)
    assert (removed.email, removed.phone) == ("camille@example.net", None)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("email", "not-an-email", "INVALID_EMAIL"),
        ("phone", "call me", "INVALID_PHONE"),
        ("mobile", "<script>", "INVALID_PHONE"),
    ],
)
async def test_update_contact_refuses_bad_input(
    client: SoapIlsClient, field: str, value: str, code: str
) -> None:
    changes: dict[str, str | None] = {"email": None, "phone": None, "mobile": None, field: value}
    with pytest.raises(IlsRejected) as refused:
        await client.update_contact(CAMILLE, **changes)
    assert refused.value.code == code
    [camille] = await client.find_patrons(card_number=CAMILLE)
    assert camille.email == "camille.martin@example.org" and camille.phone == "0140000001"


async def test_update_contact_unknown_patron(client: SoapIlsClient) -> None:
    with pytest.raises(IlsNotFound) as missing:
        await client.update_contact("0000000000", email="a@example.org", phone=None, mobile=None)
    assert missing.value.code == "UNKNOWN_PATRON"


async def test_titles_and_items(client: SoapIlsClient, emulator: RunningEmulator) -> None:
    titles = await client.get_titles([seed.BOVARY, "T-NOPE", seed.ETRANGER])
    bovary, missing, etranger = titles
    assert missing is None and bovary is not None and etranger is not None
    assert bovary.title == "Madame Bovary" and bovary.authors == ("Gustave Flaubert",)
    assert len(bovary.item_ids) == 3 and etranger.is_digital
    assert etranger.document_type is DocumentType.EBOOK
    items = await client.get_items([*bovary.item_ids, "nope"])
    assert items[-1] is None
    assert all(i is not None and i.status is ItemStatus.CHECKED_OUT and i.due_date for i in items[:3])
    [prince] = await client.get_titles([seed.PRINCE])
    assert prince is not None
    prince_items = await client.get_items(prince.item_ids)
    assert any(
        i is not None and i.status is ItemStatus.AVAILABLE and i.library_code == "DURAS" for i in prince_items
    )
    assert soap_calls(emulator, "lookupTitles") == 2 and soap_calls(emulator, "lookupItems") == 2


async def test_search_is_accent_and_case_insensitive(client: SoapIlsClient) -> None:
    result = await client.search(SearchQuery(text="MISERABLES hugo"))
    assert [t.id for t in result.titles] == [seed.MISERABLES] and result.total == 1
    assert result.titles[0].item_ids
    result = await client.search(SearchQuery(text="étranger camus"))
    assert [t.id for t in result.titles] == [seed.ETRANGER]


async def test_search_filters_and_paging(client: SoapIlsClient) -> None:
    digital = await client.search(SearchQuery(text="", sources=(CatalogueSource.DIGITAL,), limit=100))
    assert digital.total > 0 and all(t.is_digital for t in digital.titles)
    comics = await client.search(SearchQuery(text="", document_types=(DocumentType.COMIC,), limit=5))
    assert all(t.document_type is DocumentType.COMIC for t in comics.titles)
    hugo_at_duras = await client.search(SearchQuery(text="victor hugo", library_codes=("DURAS",)))
    everywhere = await client.search(SearchQuery(text="victor hugo"))
    assert 0 < hugo_at_duras.total <= everywhere.total
    page1 = await client.search(SearchQuery(text="", limit=10))
    page2 = await client.search(SearchQuery(text="", offset=10, limit=10))
    assert page1.total == page2.total > 20
    assert not {t.id for t in page1.titles} & {t.id for t in page2.titles}
    past_the_end = await client.search(SearchQuery(text="", offset=1_000_000, limit=10))
    assert (past_the_end.total, past_the_end.titles) == (page1.total, ())
    with pytest.raises(IlsRejected) as refused:
        await client.search(SearchQuery(text="x", limit=101))
    assert refused.value.code == "INVALID_INPUT"


async def test_libraries(client: SoapIlsClient) -> None:
    libraries = {library.code: library for library in await client.get_libraries()}
    assert len(libraries) == 9
    assert libraries["DURAS"].name == "Médiathèque Marguerite Duras" and libraries["DURAS"].accepts_pickup
    assert not libraries["FORNEY"].accepts_pickup and not libraries["NUMERIQUE"].accepts_pickup


async def test_new_arrivals(client: SoapIlsClient) -> None:
    arrivals = await client.get_new_arrivals("DURAS", T - timedelta(days=400), 5)
    assert 0 < len(arrivals) <= 5
    with pytest.raises(IlsNotFound) as missing:
        await client.get_new_arrivals("NOWHERE", T, 5)
    assert missing.value.code == "UNKNOWN_LIBRARY"


async def test_health(client: SoapIlsClient) -> None:
    health = await client.health()
    assert (health.name, health.ok) == ("soap", True)


async def test_soap_bodies_never_reach_the_logs(
    client: SoapIlsClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    [account] = await client.get_accounts([CAMILLE])
    assert account is not None and account.patron.birth_date is not None
    assert "1985-07-14" not in caplog.text and "camille.martin" not in caplog.text
