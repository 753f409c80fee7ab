"""The new-arrivals digest job: `ils-gateway send-alerts`, and its optional daily run inside `serve`.

Owns one run: seed the libraries' first lists; queue the digests a previous run recorded
but did not hand to the mailer (it stopped half way); ask the ILS (lookupNewArrivals) what
arrived in each active list's library since its last successful run; give each subscriber
ONE digest of every list they follow, with only titles never sent to them, in the language
they subscribed in; then let the mailer send what is due.

Why nothing is lost or sent twice: a digest and the titles it carries are recorded in one
transaction before the message is queued (the store refuses a title recorded for the
patron already, so two runs at once cannot both send it); the mailer's queue key is the
digest's id, so queueing it again after a crash keeps one message; a list is marked
checked only once every subscriber's digest is recorded. Never logs an address or a title:
only counts.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from adapters.ils.models import AccountParts, Patron
from adapters.ils.port import IlsPort
from adapters.store.port import AlertDigest, AlertList, AlertSubscription, PortalStore
from schema.patrons.validation import is_valid_email
from schema.portal.alert_seed import seed_alert_lists
from schema.portal.digest import ListArrivals, digest_content

_log = logging.getLogger("gateway.alerts")

TEMPLATE = "new_arrivals"
# Titles asked of the ILS per list and run (newest first).
ARRIVALS_PER_LIST = 100
_NO_PARTS = AccountParts(loans=False, holds=False, fees=False)


class Delivered(Protocol):
    """What a round of the mailer did (adapters/mail.py's DeliveryRound)."""

    @property
    def sent(self) -> int: ...

    @property
    def failed(self) -> int: ...

    @property
    def rejected(self) -> int: ...

    @property
    def attempted(self) -> int: ...


class DigestMailer(Protocol):
    """What the job needs of adapters/mail.py's Mailer: queue a rendered message by key
    (ValueError for an address it cannot send to), and send what is due."""

    async def enqueue(
        self,
        to: str,
        template: str,
        language: str,
        context: Mapping[str, Any],
        *,
        key: str | None = None,
        reference: str | None = None,
    ) -> str: ...

    async def deliver_due(self) -> Delivered: ...


@dataclass(frozen=True, slots=True)
class AlertRun:
    """What one run did (counts only)."""

    lists: int = 0
    subscribers: int = 0
    digests: int = 0
    titles: int = 0
    resumed: int = 0
    sent: int = 0
    failed: int = 0

    def describe(self) -> str:
        return (
            f"{self.lists} lists, {self.subscribers} subscribers, {self.digests} new digests"
            f" ({self.titles} titles), {self.resumed} resumed, {self.sent} mails sent,"
            f" {self.failed} to retry"
        )


async def send_alerts(
    ils: IlsPort, store: PortalStore, mailer: DigestMailer, *, today: date, clock: Callable[[], datetime]
) -> AlertRun:
    """One run of the job (see the module's docstring)."""
    await seed_alert_lists(ils, store)
    resumed = await _queue_recorded(ils, store, mailer, clock)
    lists = await store.alert_lists.active()
    subscriptions = await store.alert_subscriptions.of_alerts([alert.id for alert in lists])
    arrivals = await _arrivals(ils, lists, {s.alert_id for s in subscriptions})
    by_patron: dict[str, list[AlertSubscription]] = defaultdict(list)
    for subscription in subscriptions:
        by_patron[subscription.patron_id].append(subscription)
    patrons = await _patrons(ils, sorted(by_patron))
    sent = await store.alert_digests.sent_titles(sorted(by_patron))
    digests = titles = 0
    for patron_id, followed in sorted(by_patron.items()):
        patron = patrons.get(patron_id)
        if patron is None or not _reachable(patron):
            continue  # nothing can reach them: nothing is recorded, a later run may
        content = digest_content([arrivals[s.alert_id] for s in followed], sent.get(patron_id, set()))
        if content is None:
            continue
        language = max(followed, key=lambda s: s.since).language
        digest = await store.alert_digests.record(patron_id, language, content.content, content.title_ids)
        if digest is None:
            continue  # another run recorded some of these titles meanwhile: it sends them
        await _queue(mailer, store, digest, patron, clock)
        digests, titles = digests + 1, titles + len(content.title_ids)
    for alert in lists:
        await store.alert_lists.mark_checked(alert.id, today)
    sent_now, failed = await _deliver(mailer)
    run = AlertRun(len(lists), len(by_patron), digests, titles, resumed, sent_now, failed)
    _log.info("send-alerts: %s", run.describe())
    return run


async def _arrivals(ils: IlsPort, lists: Sequence[AlertList], followed: set[str]) -> dict[str, ListArrivals]:
    """What arrived in each followed list's library since its last run (the ILS asked once per list)."""
    libraries = {library.code: library.name for library in await ils.get_libraries()}
    wanted = [alert for alert in lists if alert.id in followed]
    found = await asyncio.gather(
        *(ils.get_new_arrivals(alert.library_code, _since(alert), ARRIVALS_PER_LIST) for alert in wanted)
    )
    return {
        alert.id: ListArrivals(alert, libraries.get(alert.library_code, alert.library_code), tuple(titles))
        for alert, titles in zip(wanted, found, strict=True)
    }


def _since(alert: AlertList) -> date:
    """The day from which arrivals are new for the list: its last run (that day again: a title
    that arrived after the run, the same day, is found; those sent already are not sent twice)."""
    return alert.checked_on or alert.created_at.date()


async def _patrons(ils: IlsPort, patron_ids: Sequence[str]) -> dict[str, Patron]:
    if not patron_ids:
        return {}
    accounts = await ils.get_accounts(list(patron_ids), _NO_PARTS)
    return {account.patron.id: account.patron for account in accounts if account is not None}


async def _queue_recorded(
    ils: IlsPort, store: PortalStore, mailer: DigestMailer, clock: Callable[[], datetime]
) -> int:
    """Hand the mailer the digests an interrupted run recorded but did not queue; how many."""
    pending = await store.alert_digests.unqueued()
    patrons = await _patrons(ils, sorted({digest.patron_id for digest in pending}))
    queued = 0
    for digest in pending:
        patron = patrons.get(digest.patron_id)
        if patron is not None and _reachable(patron) and await _queue(mailer, store, digest, patron, clock):
            queued += 1
    return queued


async def _queue(
    mailer: DigestMailer,
    store: PortalStore,
    digest: AlertDigest,
    patron: Patron,
    clock: Callable[[], datetime],
) -> bool:
    """Queue the digest's message (its key: the digest, so queueing it twice keeps one) and say so.

    False when the mailer refuses the address: the digest stays recorded and unqueued, and a
    later run queues it once the address is fixed in the ILS.
    """
    if patron.email is None:
        return False
    context = {**digest.content, "first_name": patron.first_name}
    key = f"new-arrivals:{digest.id}"
    try:
        await mailer.enqueue(patron.email, TEMPLATE, digest.language, context, key=key, reference=key)
    except ValueError:
        _log.warning("digest %s not queued: the mailer refuses the address", digest.id)
        return False
    await store.alert_digests.mark_queued(digest.id, clock())
    return True


async def _deliver(mailer: DigestMailer) -> tuple[int, int]:
    """Rounds of the mailer until nothing is due (failures wait for their retry, from the queue):
    how many were sent, and how many failed."""
    sent = failed = 0
    while True:
        round_ = await mailer.deliver_due()
        sent, failed = sent + round_.sent, failed + round_.failed + round_.rejected
        if round_.attempted == 0:
            return sent, failed


def _reachable(patron: Patron) -> bool:
    return patron.email is not None and is_valid_email(patron.email)
