"""What DESIGN.md says the demo data must show, written once for the unit and end-to-end tests."""

from __future__ import annotations

#: Camille's seven loans: title -> the renewal refusals DESIGN.md gives (empty = renewable).
CAMILLE_RENEWAL_REASONS: dict[str, list[str]] = {
    "La Horde du Contrevent": [],
    "Les Furtifs": ["MAX_RENEWALS_REACHED"],
    "Astérix le Gaulois": ["ONE_WEEK_LOAN"],
    "Le Bureau des légendes, saison 1": ["OVERDUE"],
    "L'Anomalie": ["RESERVED_BY_ANOTHER_PATRON"],
    "Chanson douce": ["DIGITAL_LOAN"],
    "Vernon Subutex 1": [],
}
