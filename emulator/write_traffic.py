"""The fault suites' traffic: patrons to write for, and a seeded mix of writes through the GraphQL API.

Owns the suite's data in the emulator's database (`prepare_cast`: patrons in good standing with
renewable loans, and titles whose every copy is lent out, so that they can be reserved) and the
writes (`drive`): renewLoans, renewAllLoans, placeHold (half with an idempotency key) and
cancelHold, each patron's writes one after the other (so the patron's state read from the
database just before and just after a write is that write's doing), patrons in parallel. Each
answer is judged by `emulator.write_audit.Audit`. Talks to any gateway an httpx client reaches
(a served process or an ASGI app); never sets faults itself (the caller does, between phases).
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from emulator import db
from emulator.lending import free_copies, lend
from emulator.rules import HOLD_LIMIT, RENEWAL_LIMIT
from emulator.write_audit import Audit, Claim, cancel_claim, place_claim, read_state, renewal_claims

FIRST_CARD = 2980000001
BIRTH = date(1990, 1, 1)
PASSWORD = BIRTH.strftime("%d%m%Y")
# Lends every copy of the reservable titles (nobody signs in as this patron).
LENDER = "2980009999"
PICKUP = "DURAS"

_LOGIN = (
    "mutation($c: String!, $p: String!) { login(identifier: $c, password: $p) { token errors { code } } }"
)
_LOANS = "{ me { loans { id item { id } } holds { id record { id } } } }"
_RENEW = "mutation($ids: [ID!]!) { renewLoans(loanIds: $ids) { %s } }"
_RENEW_ALL = "mutation { renewAllLoans { %s } }"
_RESULTS = "results { loanId renewed reasons } errors { code field }"
_PLACE = (
    "mutation($r: ID!, $l: ID!, $k: String) { placeHold(recordId: $r, pickupLibraryCode: $l,"
    " idempotencyKey: $k) { hold { id } reasons errors { code field } } }"
)
_CANCEL = "mutation($h: ID!) { cancelHold(holdId: $h) { cancelled errors { code field } } }"


@dataclass(frozen=True, slots=True)
class Cast:
    """The suite's patrons (cards) and the titles they may reserve."""

    cards: tuple[str, ...]
    titles: tuple[str, ...]


def prepare_cast(db_path: str | Path, today: date, *, patrons: int, loans: int, titles: int) -> Cast:
    """Write the suite's patrons, their loans and the reservable titles (every copy lent out)."""
    connection = db.connect(db_path)
    try:
        connection.execute("BEGIN")
        expires = (today + timedelta(days=365)).isoformat()
        cards = tuple(str(FIRST_CARD + n) for n in range(patrons))
        for n, card in enumerate((*cards, LENDER)):
            connection.execute(
                "INSERT INTO patrons (id, first_name, last_name, birth_date, home_library, card_expires_on)"
                " VALUES (?, 'Panne', ?, ?, 'DURAS', ?)",
                (card, f"Essai {n}", BIRTH.isoformat(), expires),
            )
        reservable = _lend_whole_titles(connection, today, titles)
        copies = free_copies(connection, patrons * loans)
        for n, card in enumerate(cards):
            lend(connection, card, copies[n * loans : (n + 1) * loans], today)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return Cast(cards, reservable)


def _lend_whole_titles(connection: sqlite3.Connection, today: date, count: int) -> tuple[str, ...]:
    rows = connection.execute(
        "SELECT titles.id FROM titles WHERE is_digital = 0 AND id NOT LIKE 'T-%'"
        " AND id NOT IN (SELECT title_id FROM holds)"
        " AND EXISTS (SELECT 1 FROM items WHERE items.title_id = titles.id)"
        " AND NOT EXISTS (SELECT 1 FROM items WHERE items.title_id = titles.id AND status <> 'AVAILABLE')"
        " ORDER BY id LIMIT ?",
        (count,),
    ).fetchall()
    if len(rows) < count:
        raise RuntimeError(f"only {len(rows)} titles to lend out for {count}")
    chosen = tuple(str(row[0]) for row in rows)
    for title_id in chosen:
        items = [row[0] for row in connection.execute("SELECT id FROM items WHERE title_id = ?", (title_id,))]
        lend(connection, LENDER, items, today)
    return chosen


@dataclass
class Reader:
    """One signed-in patron of the suite: token, loan ids (GraphQL id -> item)."""

    card: str
    token: str
    loans: dict[str, str] = field(default_factory=dict)


async def _post(
    client: httpx.AsyncClient,
    document: str,
    variables: dict[str, Any] | None = None,
    token: str = "",
    failures: Counter[str] | None = None,
) -> dict[str, Any] | None:
    """The answer's data (what a client reads, also next to errors), or None when the request
    failed as a whole; GraphQL errors are counted in `failures`."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    failed = failures if failures is not None else Counter()
    try:
        response = await client.post(
            "/graphql", json={"query": document, "variables": variables}, headers=headers
        )
    except httpx.HTTPError as error:
        failed[type(error).__name__] += 1
        return None
    if response.status_code != 200:
        failed[f"HTTP {response.status_code}"] += 1
        return None
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        codes = sorted({str(e.get("extensions", {}).get("code")) for e in body["errors"]})
        partial = "" if body.get("data") is None else " (with data)"
        failed["GraphQL " + ",".join(codes) + partial] += 1
    if body.get("data") is None:
        return None
    data: dict[str, Any] = body["data"]
    return data


async def sign_in(client: httpx.AsyncClient, cast: Cast) -> list[Reader]:
    """Every patron of the cast signed in, with their loan ids (call it before any fault)."""
    readers = []
    for card in cast.cards:
        data = await _post(client, _LOGIN, {"c": card, "p": PASSWORD})
        # A bearer-token client: the session cookie would make the next sign-in end this session.
        client.cookies.clear()
        token = data and data["login"]["token"]
        if not token:
            raise RuntimeError(f"cannot sign in {card}: {data}")
        account = await _post(client, _LOANS, token=token)
        if account is None:
            raise RuntimeError(f"cannot read the loans of {card}")
        loans = {str(loan["id"]): str(loan["item"]["id"]) for loan in account["me"]["loans"]}
        readers.append(Reader(card, token, loans))
    return readers


class _Writer:
    """One patron's writes, one at a time, judged against the database."""

    def __init__(self, client: httpx.AsyncClient, connection: sqlite3.Connection, audit: Audit) -> None:
        self._client = client
        self._db = connection
        self._audit = audit

    async def _post(
        self, document: str, variables: dict[str, Any] | None = None, token: str = ""
    ) -> dict[str, Any] | None:
        return await _post(self._client, document, variables, token, self._audit.failures)

    async def step(self, reader: Reader, rng: random.Random, titles: tuple[str, ...]) -> None:
        state = read_state(self._db, reader.card)
        if sum(state.renewals.values()) >= RENEWAL_LIMIT * len(state.renewals) - 1:
            # Nearly every loan at its limit: renewable again (still judged against the ILS).
            self._db.execute("UPDATE loans SET renewal_count = 0 WHERE patron_id = ?", (reader.card,))
            self._audit.reset_renewals(reader.card)
        roll = rng.random()
        held = sorted(state.holds)
        if roll < 0.35:
            await self._renew(reader, rng.sample(sorted(reader.loans), rng.randint(1, 3)))
        elif roll < 0.45:
            await self._renew(reader, None)
        elif roll < 0.75 or not held:
            free = [title for title in titles if title not in state.holds]
            if len(held) >= HOLD_LIMIT - 1 or not free:
                await self._cancel(reader, rng.choice(held))
            else:
                key = f"{reader.card}-{rng.getrandbits(64):016x}" if rng.random() < 0.5 else None
                await self._place(reader, rng.choice(free), key)
        else:
            await self._cancel(reader, rng.choice(held))

    async def _renew(self, reader: Reader, loan_ids: list[str] | None) -> None:
        before = read_state(self._db, reader.card)
        if loan_ids is None:
            data = await self._post(_RENEW_ALL % _RESULTS, token=reader.token)
            payload = data and data["renewAllLoans"]
            asked = sorted(reader.loans)
        else:
            data = await self._post(_RENEW % _RESULTS, {"ids": loan_ids}, reader.token)
            payload = data and data["renewLoans"]
            asked = loan_ids
        after = read_state(self._db, reader.card)
        claims = renewal_claims(payload) if payload else [(loan_id, Claim.FAILED) for loan_id in asked]
        for loan_id, claim in claims:
            item_id = reader.loans[loan_id]
            self._audit.renewal(
                reader.card, item_id, claim, before.renewals[item_id], after.renewals[item_id]
            )

    async def _place(self, reader: Reader, title_id: str, key: str | None) -> None:
        before = read_state(self._db, reader.card)
        variables = {"r": title_id, "l": PICKUP, "k": key}
        data = await self._post(_PLACE, variables, reader.token)
        after = read_state(self._db, reader.card)
        claim = place_claim(data and data["placeHold"])
        self._audit.hold(
            reader.card, title_id, claim, after.holds[title_id] - before.holds[title_id], place=True
        )

    async def _cancel(self, reader: Reader, title_id: str) -> None:
        account = await self._post(_LOANS, token=reader.token)
        me = account and account.get("me")
        if not me:
            return  # the hold's id is not known: no write this step
        hold_id = next((h["id"] for h in me["holds"] or () if h["record"]["id"] == title_id), None)
        if hold_id is None:
            return
        before = read_state(self._db, reader.card)
        data = await self._post(_CANCEL, {"h": hold_id}, reader.token)
        after = read_state(self._db, reader.card)
        claim = cancel_claim(data and data["cancelHold"])
        self._audit.hold(
            reader.card, title_id, claim, before.holds[title_id] - after.holds[title_id], place=False
        )


async def drive(
    client: httpx.AsyncClient,
    db_path: str | Path,
    cast: Cast,
    readers: list[Reader],
    *,
    writes: int,
    seed: int = 1,
    concurrency: int = 1,
) -> Audit:
    """`writes` requests, `concurrency` patrons at a time, each patron's writes in order; judged."""
    connection = db.connect(db_path)
    audit = Audit()
    for reader in readers:
        audit.start(reader.card, read_state(connection, reader.card))
    writer = _Writer(client, connection, audit)

    async def lane(number: int) -> None:
        mine = readers[number::concurrency]
        rng = random.Random(seed * 1000 + number)
        for step in range(number, writes, concurrency):
            await writer.step(mine[(step // concurrency) % len(mine)], rng, cast.titles)

    try:
        await asyncio.gather(*(lane(number) for number in range(concurrency)))
        audit.settle({reader.card: read_state(connection, reader.card) for reader in readers})
    finally:
        connection.close()
    return audit
