"""What a subscriber's new-arrivals digest holds: every list they follow, only titles never sent to them.

Pure: takes the lists a patron follows with what the ILS says arrived in each, and the
titles already recorded for the patron, and returns the message's content and the titles
it carries (None when there is nothing new). A title that arrived in two followed libraries
is shown once, under the first list. Never imports Strawberry, asyncio or adapter code
beyond the domain values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.ils.models import Title
from adapters.store.port import AlertList


@dataclass(frozen=True, slots=True)
class ListArrivals:
    """A list with the library's name and the titles that arrived since its last run."""

    alert: AlertList
    library_name: str
    titles: tuple[Title, ...]


@dataclass(frozen=True, slots=True)
class DigestContent:
    content: dict[str, Any]
    title_ids: tuple[str, ...]


def digest_content(followed: Sequence[ListArrivals], already_sent: Collection[str]) -> DigestContent | None:
    """The digest of the lists `followed`, without the titles in `already_sent`; None if nothing is new."""
    seen = set(already_sent)
    sections = []
    carried: list[str] = []
    for entry in followed:
        new = [title for title in entry.titles if title.id not in seen]
        seen.update(title.id for title in new)
        if not new:
            continue
        carried += [title.id for title in new]
        sections.append(
            {
                "title": entry.alert.title,
                "library": entry.library_name,
                "records": [_record(title) for title in new],
            }
        )
    if not sections:
        return None
    return DigestContent({"lists": sections}, tuple(carried))


def _record(title: Title) -> dict[str, Any]:
    return {
        "id": title.id,
        "title": title.title,
        "authors": ", ".join(title.authors),
        "year": title.publication_year,
    }
