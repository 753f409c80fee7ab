"""Download tokens: every grant survives signing; anything not signed by this key, of the wrong shape,
or past its expiry is refused; the CSV/TSV cells and file names are safe."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pydantic
import pytest
from itsdangerous import URLSafeSerializer

from adapters.ils.models import CatalogueSource, DocumentType, SearchQuery
from gateway.settings import Settings
from schema.downloads.filenames import ascii_filename, filename
from schema.downloads.formats import ExportFormat, SummaryContent, SummaryFormat
from schema.downloads.grants import BasketFile, SearchPage, Subject, SummaryFile
from schema.downloads.render.delimited import render_csv, render_tsv
from schema.downloads.render.table import Table
from schema.downloads.tokens import DownloadTokens, ExpiredDownload, InvalidDownload

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TOKENS = DownloadTokens("the-key", timedelta(minutes=10))
SUBJECTS: list[Subject] = [
    SearchPage(
        SearchQuery(
            "Misérables « été »", ("DURAS",), (DocumentType.BOOK,), (CatalogueSource.PHYSICAL,), 40, 20
        ),
        ExportFormat.RIS,
    ),
    BasketFile("b-1", "2900000001", ExportFormat.PDF),
    SummaryFile(("2900000001", "2900000002"), SummaryContent.OVERDUE_PHYSICAL_LOANS, SummaryFormat.TSV),
]


@pytest.mark.parametrize("subject", SUBJECTS, ids=["search", "basket", "summary"])
def test_a_grant_comes_back_as_it_was_signed(subject: Subject) -> None:
    grant = TOKENS.grant("2900000001", False, subject, "en", NOW, NOW.date())

    assert TOKENS.verify(TOKENS.sign(grant), NOW) == grant
    assert grant.expires_at == NOW + timedelta(minutes=10)


def test_a_token_expires_at_its_expiry() -> None:
    token = TOKENS.sign(TOKENS.grant(None, False, SUBJECTS[0], "fr", NOW, NOW.date()))

    TOKENS.verify(token, NOW + timedelta(minutes=10) - timedelta(microseconds=1))
    with pytest.raises(ExpiredDownload):
        TOKENS.verify(token, NOW + timedelta(minutes=10))


def test_another_purpose_with_the_same_key_does_not_verify() -> None:
    # The same secret key signing something else (another salt) never yields a download token.
    other = URLSafeSerializer("the-key", salt="ils-gateway.share.v1").dumps({"v": 1})

    with pytest.raises(InvalidDownload):
        TOKENS.verify(other, NOW)


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"v": 2},
        {"v": 1, "p": None, "s": False, "l": "fr", "i": "2026-12-01", "e": 1, "k": "other", "f": "CSV"},
        {
            "v": 1,
            "p": 5,
            "s": False,
            "l": "fr",
            "i": "2026-12-01",
            "e": 1,
            "k": "basket",
            "f": "CSV",
            "b": "x",
            "w": "y",
        },
        {
            "v": 1,
            "p": None,
            "s": "no",
            "l": "fr",
            "i": "2026-12-01",
            "e": 1,
            "k": "basket",
            "f": "CSV",
            "b": "x",
            "w": "y",
        },
        {
            "v": 1,
            "p": None,
            "s": False,
            "l": "fr",
            "i": "2026-12-01",
            "e": True,
            "k": "basket",
            "f": "CSV",
            "b": "x",
            "w": "y",
        },
        {
            "v": 1,
            "p": None,
            "s": False,
            "l": "fr",
            "i": "2026-12-01",
            "e": 1,
            "k": "basket",
            "f": "TSV",
            "b": "x",
            "w": "y",
        },
        {
            "v": 1,
            "p": None,
            "s": False,
            "l": "fr",
            "i": "yesterday",
            "e": 1,
            "k": "basket",
            "f": "CSV",
            "b": "x",
            "w": "y",
        },
        {
            "v": 1,
            "p": None,
            "s": False,
            "l": "fr",
            "i": "2026-12-01",
            "e": 10**20,
            "k": "summary",
            "f": "CSV",
            "a": "x",
            "c": "X",
        },
    ],
    ids=["list", "version", "kind", "viewer", "staff", "expiry", "format", "date", "accounts"],
)
def test_a_signed_payload_of_the_wrong_shape_is_invalid(payload: object) -> None:
    signer = URLSafeSerializer(
        "the-key", salt="ils-gateway.download.v1", signer_kwargs={"digest_method": hashlib.sha256}
    )
    token = signer.dumps(payload)

    with pytest.raises(InvalidDownload):
        TOKENS.verify(token, NOW)


def test_cells_that_would_run_as_formulas_are_text() -> None:
    table = Table("t", ("a", "b"), (("=HYPERLINK(1)", "+1"), ("-x", "@sum"), ("ok", "a\tb\nc")))

    csv_text = render_csv(table).decode("utf-8-sig")
    tsv_text = render_tsv(table).decode("utf-8-sig")

    assert csv_text == "a,b\r\n'=HYPERLINK(1),'+1\r\n'-x,'@sum\r\nok,\"a\tb\nc\"\r\n"
    assert tsv_text == "a\tb\r\n'=HYPERLINK(1)\t'+1\r\n'-x\t'@sum\r\nok\ta b c\r\n"


def test_file_names_keep_words_and_fall_back_to_ascii() -> None:
    basket = BasketFile("b", "o", ExportFormat.RIS)

    name = filename(basket, NOW.date(), "fr", 'À lire "cet" été / 2026')

    assert name == "panier-à-lire-cet-été-2026-2026-12-01.ris"
    assert ascii_filename(name) == "panier-a-lire-cet-ete-2026-2026-12-01.ris"
    assert ascii_filename("日本") == "download"


@pytest.mark.parametrize("value", ["5", "PT1S", "P2D"])
def test_the_download_lifetime_stays_short(value: str) -> None:
    with pytest.raises(pydantic.ValidationError):
        Settings(download_ttl=value)


def test_the_download_lifetime_reads_seconds() -> None:
    assert Settings(download_ttl="600").download_ttl == timedelta(minutes=10)
    with pytest.raises(pydantic.ValidationError):
        Settings(record_url="https://portal.example/notice")
