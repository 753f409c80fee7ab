"""Camille's demo portal data, as DESIGN.md states it, read over HTTP; seeding it again changes nothing."""

from __future__ import annotations

from pathlib import Path

import httpx

from gateway.serve import seed_demo_portal
from tests.e2e.conftest import bearer, graphql

PORTAL = """
{ me {
    baskets { name recordCount records { title } }
    searchPreferences { scope { libraries { code } documentTypes sources } }
    newArrivalsSubscriptions { library { code } }
} }
"""


async def test_camille_has_her_basket_preferences_and_duras_alert(
    demo_gateway: httpx.AsyncClient, tmp_path: Path
) -> None:
    camille = await bearer(demo_gateway, "2900000001")
    await seed_demo_portal(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite'}")  # a second start

    body = await graphql(demo_gateway, PORTAL, headers=camille)

    assert body == {
        "data": {
            "me": {
                "baskets": [
                    {
                        "name": "À lire cet été",
                        "recordCount": 3,
                        "records": [
                            {"title": "Le Petit Prince"},
                            {"title": "Madame Bovary"},
                            {"title": "L'Élégance du hérisson"},
                        ],
                    }
                ],
                "searchPreferences": {
                    "scope": {
                        "libraries": [{"code": "DURAS"}, {"code": "SAGAN"}],
                        "documentTypes": ["BOOK", "COMIC"],
                        "sources": [],
                    }
                },
                "newArrivalsSubscriptions": [{"library": {"code": "DURAS"}}],
            }
        }
    }
