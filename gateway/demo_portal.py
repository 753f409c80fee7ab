"""Camille's portal data in the demo (DESIGN.md, "Demo data"): a basket, search preferences, an alert.

Owns `seed_camille_portal`: the basket "À lire cet été" with 3 records, the search
preferences DURAS + SAGAN and BOOK + COMIC, and a subscription to DURAS new arrivals (its
list is seeded here with the id start-up seeding gives it, so both meet). Idempotent: run at
every `serve --demo`, it adds what is missing and never undoes what was changed in the demo.
"""

from __future__ import annotations

from adapters.ils.models import DocumentType
from adapters.store.port import CatalogueScope, PortalStore
from emulator.seed import LIBRARIES
from schema.portal.alert_seed import seeded_description, seeded_id, seeded_title
from schema.portal.rules import MAX_BASKET_RECORDS, MAX_BASKETS

CAMILLE = "2900000001"
SUMMER_BASKET = "À lire cet été"
# Le Petit Prince, Madame Bovary, L'Élégance du hérisson.
SUMMER_RECORDS = ("T-PRINCE", "T-BOVARY", "T-HERISSON")
PREFERENCES = CatalogueScope(("DURAS", "SAGAN"), (DocumentType.BOOK, DocumentType.COMIC), ())
ALERT_LIBRARY = "DURAS"


async def seed_camille_portal(store: PortalStore) -> None:
    """Add Camille's demo basket, preferences and DURAS subscription where missing."""
    (baskets,) = await store.baskets.of_patrons([CAMILLE])
    if not any(basket.name == SUMMER_BASKET for basket in baskets):
        # A refusal (fifty baskets made in the demo) leaves the demo as it is.
        await store.baskets.create(
            CAMILLE, SUMMER_BASKET, SUMMER_RECORDS, max_baskets=MAX_BASKETS, max_records=MAX_BASKET_RECORDS
        )
    (preferences,) = await store.search_preferences.of_patrons([CAMILLE])
    if preferences is None:
        await store.search_preferences.save(CAMILLE, PREFERENCES)
    name = next(name for code, name, *_ in LIBRARIES if code == ALERT_LIBRARY)
    alert = await store.alert_lists.create(
        ALERT_LIBRARY, seeded_title(name), seeded_description(name), alert_id=seeded_id(ALERT_LIBRARY)
    )
    (subscriptions,) = await store.alert_subscriptions.of_patrons([CAMILLE])
    if not subscriptions:
        await store.alert_subscriptions.subscribe(CAMILLE, alert.id, "fr")
