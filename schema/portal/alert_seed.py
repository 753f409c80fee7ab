"""The new-arrivals lists every library starts with: one per library that has a catalogue.

Owns `seed_alert_lists`: for each library of the ILS that never had a list (a retired list
counts: it is never brought back), and whose catalogue holds at least one record, one list
"Nouveautés : <library>" is created. Idempotent; run at start-up and by `send-alerts`.
Never removes or changes an existing list.
"""

from __future__ import annotations

import hashlib

from adapters.ils.models import SearchQuery
from adapters.ils.port import IlsPort
from adapters.store.port import AlertList, PortalStore


def seeded_id(library_code: str) -> str:
    """The id of a library's seeded list: the same in every replica, so seeding twice keeps one."""
    return "new-" + hashlib.sha256(library_code.encode()).hexdigest()[:28]


def seeded_title(library_name: str) -> str:
    """The title of a library's first list (librarians may change it)."""
    return f"Nouveautés : {library_name}"[:100]


def seeded_description(library_name: str) -> str:
    return f"Les derniers documents arrivés à la {library_name}."


async def seed_alert_lists(ils: IlsPort, store: PortalStore) -> list[AlertList]:
    """Create the missing first lists; the lists created now."""
    had = await store.alert_lists.libraries_with_lists()
    created = []
    for library in await ils.get_libraries():
        if library.code in had:
            continue
        # An empty text matches every record: one result is enough to know there is a catalogue.
        found = await ils.search(SearchQuery(text="", library_codes=(library.code,), limit=1))
        if found.total > 0:
            alert = await store.alert_lists.create(
                library.code,
                seeded_title(library.name),
                seeded_description(library.name),
                alert_id=seeded_id(library.code),
            )
            created.append(alert)
    return created
