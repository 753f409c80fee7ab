"""The digest rule: one message for every followed list, only titles never sent, each title once."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.ils.models import DocumentType, Title
from adapters.store.port import AlertList
from schema.portal.digest import ListArrivals, digest_content

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DURAS = AlertList("A1", "DURAS", "Nouveautés : Duras", None, NOW)
SAGAN = AlertList("A2", "SAGAN", "Nouveautés : Sagan", None, NOW)


def title(title_id: str, name: str) -> Title:
    return Title(title_id, name, ("Marie Ndiaye",), 2024, DocumentType.BOOK, None, None, False)


def test_every_list_in_one_digest_without_what_was_sent() -> None:
    followed = [
        ListArrivals(DURAS, "Médiathèque Marguerite Duras", (title("T1", "Un"), title("T2", "Deux"))),
        ListArrivals(SAGAN, "Médiathèque Françoise Sagan", (title("T2", "Deux"), title("T3", "Trois"))),
    ]

    digest = digest_content(followed, already_sent={"T1"})

    assert digest is not None
    assert digest.title_ids == ("T2", "T3")
    assert digest.content == {
        "lists": [
            {
                "title": "Nouveautés : Duras",
                "library": "Médiathèque Marguerite Duras",
                "records": [{"id": "T2", "title": "Deux", "authors": "Marie Ndiaye", "year": 2024}],
            },
            {
                "title": "Nouveautés : Sagan",
                "library": "Médiathèque Françoise Sagan",
                "records": [{"id": "T3", "title": "Trois", "authors": "Marie Ndiaye", "year": 2024}],
            },
        ]
    }


def test_nothing_new_is_no_digest() -> None:
    followed = [ListArrivals(DURAS, "Duras", (title("T1", "Un"),)), ListArrivals(SAGAN, "Sagan", ())]

    assert digest_content(followed, already_sent={"T1"}) is None
    assert digest_content([], already_sent=set()) is None
