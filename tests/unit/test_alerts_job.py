"""The digest job's logic over FakeIls and the in-memory store: one digest per subscriber, only new
titles, nothing twice after a crash or with two runs at once. (tests/e2e/ runs it over SMTP.)"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.ils.models import Title
from adapters.store.port import PortalStore
from gateway.alerts import send_alerts
from schema.portal.alert_seed import seeded_id
from tests.fakes import DEMO_TODAY, FakeIls, fake_store
from tests.fakes_demo import CAMILLE, INES, LEO

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Round:
    sent: int = 0
    failed: int = 0
    rejected: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.rejected


@dataclass
class FakeMailer:
    """Keeps one message per key, like adapters/mail.py's queue; `crash_at`: the n-th enqueue raises."""

    queued: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    crash_at: int | None = None
    calls: int = 0

    async def enqueue(
        self, to: str, template: str, language: str, context: Mapping[str, Any], **keys: Any
    ) -> str:
        self.calls += 1
        if self.calls == self.crash_at:
            raise RuntimeError("the process died here")
        self.queued.setdefault(keys["key"], (to, language, dict(context)))
        return str(keys["key"])

    async def deliver_due(self) -> Round:
        due = [key for key in self.queued if key not in self.sent]
        self.sent += due
        return Round(sent=len(due))

    def to(self, address: str) -> list[tuple[str, dict[str, Any]]]:
        return [(language, context) for to, language, context in self.queued.values() if to == address]


def titles(context: dict[str, Any]) -> list[str]:
    return [record["id"] for section in context["lists"] for record in section["records"]]


async def subscribed(ils: FakeIls, store: PortalStore) -> None:
    """The seeded lists; Camille (fr) on DURAS and SAGAN, Inès (en) on SAGAN, Léo (no e-mail) on DURAS."""
    await send_alerts(ils, store, FakeMailer(), today=DEMO_TODAY, clock=lambda: NOW)  # seeds the lists
    subscriptions = store.alert_subscriptions
    await subscriptions.subscribe(CAMILLE, seeded_id("DURAS"), "fr")
    await subscriptions.subscribe(CAMILLE, seeded_id("SAGAN"), "fr")
    await subscriptions.subscribe(INES, seeded_id("SAGAN"), "en")
    await subscriptions.subscribe(LEO, seeded_id("DURAS"), "fr")


@pytest.fixture
async def world() -> tuple[FakeIls, PortalStore]:
    ils, store = FakeIls(), fake_store()
    await subscribed(ils, store)
    ils.new_arrivals = {
        "DURAS": [named(ils, "Le Horla"), named(ils, "Le Petit Prince")],
        "SAGAN": [named(ils, "Le Petit Prince"), named(ils, "L'Étranger")],
    }
    return ils, store


def named(ils: FakeIls, name: str) -> Title:
    return next(title for title in ils.titles.values() if title.title == name)


def ids(ils: FakeIls, *names: str) -> list[str]:
    return [named(ils, name).id for name in names]


async def test_one_digest_per_subscriber_then_nothing(world: tuple[FakeIls, PortalStore]) -> None:
    ils, store = world
    mailer = FakeMailer()

    run = await send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW)

    assert (run.digests, run.titles, run.sent) == (2, 5, 2)
    ((fr, camille),) = mailer.to("camille.martin@example.org")
    ((en, ines),) = mailer.to("ines.martin@example.org")
    assert (fr, en) == ("fr", "en") and camille["first_name"] == "Camille"
    assert titles(camille) == ids(ils, "Le Horla", "Le Petit Prince", "L'Étranger")  # the Prince once
    assert titles(ines) == ids(ils, "Le Petit Prince", "L'Étranger")
    again = await send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW)
    assert (again.digests, again.sent, len(mailer.queued)) == (0, 0, 2)

    ils.new_arrivals["SAGAN"].insert(0, named(ils, "Madame Bovary"))
    later = await send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW)
    assert later.digests == 2
    assert [titles(c) for _, c in mailer.to("ines.martin@example.org")] == [
        ids(ils, "Le Petit Prince", "L'Étranger"),
        ids(ils, "Madame Bovary"),
    ]


async def test_a_crash_half_way_loses_nothing_and_doubles_nothing(world: tuple[FakeIls, PortalStore]) -> None:
    ils, store = world
    mailer = FakeMailer(crash_at=2)

    with pytest.raises(RuntimeError):
        await send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW)
    assert len(mailer.queued) == 1

    resumed = await send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW)

    assert (resumed.resumed, resumed.digests) == (1, 0)
    assert len(mailer.to("camille.martin@example.org")) == len(mailer.to("ines.martin@example.org")) == 1
    assert sorted(mailer.sent) == sorted(mailer.queued)


async def test_two_runs_at_once_send_each_title_once(world: tuple[FakeIls, PortalStore]) -> None:
    ils, store = world
    mailer = FakeMailer()

    await asyncio.gather(
        *(send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW) for _ in range(2))
    )

    assert len(mailer.to("camille.martin@example.org")) == len(mailer.to("ines.martin@example.org")) == 1


async def test_retired_lists_and_patrons_without_an_address_get_nothing(
    world: tuple[FakeIls, PortalStore],
) -> None:
    ils, store = world
    await store.alert_lists.retire(seeded_id("SAGAN"))
    mailer = FakeMailer()

    run = await send_alerts(ils, store, mailer, today=DEMO_TODAY, clock=lambda: NOW)

    assert run.digests == 1 and mailer.to("ines.martin@example.org") == []
    ((_, camille),) = mailer.to("camille.martin@example.org")
    assert titles(camille) == ids(ils, "Le Horla", "Le Petit Prince")
    assert await store.alert_digests.sent_titles([LEO]) == {}
    assert ils.batches.get("get_accounts", [])[-1:] == [[CAMILLE, LEO]]  # Inès follows no active list
