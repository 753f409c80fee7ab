"""The portal's rules for baskets and saved searches: names, limits, and what a store refusal means.

Pure functions of plain values (the help page: "Constituer un panier / enregistrer vos
recherches"). Names: 1 to 100 characters once trimmed, no control characters, unique per
patron whatever the case (the store enforces uniqueness). At most 50 baskets of 1,000
records each, and 100 saved searches, per patron. Never imports Strawberry or the store's
SQL; returns reason codes, the schema words them (schema/i18n.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.store.port import PortalRefusal

MAX_NAME_LENGTH = 100
MAX_BASKETS = 50
MAX_BASKET_RECORDS = 1000
MAX_SAVED_SEARCHES = 100

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class NameCheck:
    """A name as it will be kept (trimmed), or why it cannot be."""

    name: str
    problem: str | None = None


def check_name(given: str) -> NameCheck:
    """The trimmed name, or NAME_REQUIRED / NAME_TOO_LONG / INVALID_NAME."""
    name = given.strip()
    if not name:
        return NameCheck(name, "NAME_REQUIRED")
    if len(name) > MAX_NAME_LENGTH:
        return NameCheck(name, "NAME_TOO_LONG")
    if _CONTROL.search(name):
        return NameCheck(name, "INVALID_NAME")
    return NameCheck(name)


# UserError code of each store refusal, per kind of portal data.
_BASKET_REFUSALS = {
    PortalRefusal.NOT_FOUND: "BASKET_NOT_FOUND",
    PortalRefusal.NAME_TAKEN: "BASKET_NAME_TAKEN",
    PortalRefusal.TOO_MANY: "TOO_MANY_BASKETS",
    PortalRefusal.TOO_MANY_RECORDS: "TOO_MANY_BASKET_RECORDS",
}
_SAVED_SEARCH_REFUSALS = {
    PortalRefusal.NOT_FOUND: "SAVED_SEARCH_NOT_FOUND",
    PortalRefusal.NAME_TAKEN: "SAVED_SEARCH_NAME_TAKEN",
    PortalRefusal.TOO_MANY: "TOO_MANY_SAVED_SEARCHES",
}


def basket_refusal(refusal: PortalRefusal) -> str:
    """The UserError code of a basket change the store refused."""
    return _BASKET_REFUSALS[refusal]


def saved_search_refusal(refusal: PortalRefusal) -> str:
    """The UserError code of a saved-search change the store refused."""
    return _SAVED_SEARCH_REFUSALS[refusal]
