"""Judging a gateway's answers to writes against the emulated ILS's own state (the fault suites).

Owns reading one patron's circulation state from the emulator's database (`read_state`: each
loan's renewal count, each held title), what an answer claims (`Claim`, read from the GraphQL
payloads of renewLoans, renewAllLoans, placeHold and cancelHold), and the verdicts: a write
claimed applied that the ILS does not have is lost, one applied twice is doubled, one claimed
not applied that the ILS has is untrue; OUTCOME_UNKNOWN is true either way (and counted by what
the ILS did). `Audit` also keeps the state the answers imply and, at the end, compares it with
the ILS's final state (`drift`: a write applied after its answer was given). Never writes the
database, never speaks a protocol.
"""

from __future__ import annotations

import enum
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Claim(enum.Enum):
    """What one answer says of one write."""

    APPLIED = "APPLIED"
    # Refused: by the ILS (ILS_REFUSED) or by the gateway's rules before asking it.
    REFUSED = "REFUSED"
    NOT_APPLIED = "NOT_APPLIED"
    OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"
    # The whole request failed (a GraphQL error, an HTTP error): the client must take it as not done.
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class PatronState:
    """One patron's circulation as the ILS has it: renewal count per loaned item, held titles."""

    renewals: dict[str, int]
    holds: Counter[str]


def read_state(connection: sqlite3.Connection, patron_id: str) -> PatronState:
    """The patron's loans (item -> renewal count) and holds (title -> how many) right now."""
    loans = connection.execute(
        "SELECT item_id, renewal_count FROM loans WHERE patron_id = ?", (patron_id,)
    ).fetchall()
    holds = connection.execute("SELECT title_id FROM holds WHERE patron_id = ?", (patron_id,)).fetchall()
    return PatronState({row[0]: int(row[1]) for row in loans}, Counter(row[0] for row in holds))


def _error_codes(payload: Mapping[str, Any], field_path: list[str] | None = None) -> list[str]:
    return [
        str(error["code"])
        for error in payload.get("errors") or []
        if field_path is None or error.get("field") == field_path
    ]


def _claim_of_codes(codes: Iterable[str]) -> Claim | None:
    listed = set(codes)
    if "OUTCOME_UNKNOWN" in listed:
        return Claim.OUTCOME_UNKNOWN
    if "NOT_APPLIED" in listed:
        return Claim.NOT_APPLIED
    return None


def renewal_claims(payload: Mapping[str, Any] | None) -> list[tuple[str, Claim]]:
    """(loan id, claim) for each result of a renewLoans / renewAllLoans payload."""
    if payload is None:
        return []
    claims: list[tuple[str, Claim]] = []
    for index, result in enumerate(payload["results"]):
        said = _claim_of_codes(_error_codes(payload, ["loanIds", str(index)]))
        if result["renewed"]:
            claim = Claim.APPLIED
        elif said is not None:
            claim = said
        else:
            claim = Claim.REFUSED
        claims.append((str(result["loanId"]), claim))
    return claims


def place_claim(payload: Mapping[str, Any] | None) -> Claim:
    """What a placeHold payload says (None: the request failed)."""
    if payload is None:
        return Claim.FAILED
    said = _claim_of_codes(_error_codes(payload))
    if said is not None:
        return said
    if payload.get("reasons") or payload.get("errors"):
        return Claim.REFUSED
    return Claim.APPLIED


def cancel_claim(payload: Mapping[str, Any] | None) -> Claim:
    """What a cancelHold payload says (None: the request failed)."""
    if payload is None:
        return Claim.FAILED
    if payload["cancelled"]:
        return Claim.APPLIED
    said = _claim_of_codes(_error_codes(payload))
    return said if said is not None else Claim.REFUSED


@dataclass
class Audit:
    """Verdicts so far, and the state the answers imply (checked against the ILS at the end)."""

    claims: Counter[str] = field(default_factory=Counter)
    # The same by kind of write: (renew | place | cancel, claim).
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    untrue: list[str] = field(default_factory=list)
    # OUTCOME_UNKNOWN answers by what the ILS did (applied / not applied).
    unknown_applied: int = 0
    # What the answers imply, per patron: renewal count per item, held titles.
    expected: dict[str, PatronState] = field(default_factory=dict)
    # Requests that failed as a whole, by HTTP status or GraphQL error code.
    failures: Counter[str] = field(default_factory=Counter)
    # Where the ILS's final state differs from what the answers imply (`settle`).
    drift: list[str] = field(default_factory=list)

    def start(self, patron_id: str, state: PatronState) -> None:
        """The patron's state before any write (or after the suite reset it)."""
        self.expected[patron_id] = PatronState(dict(state.renewals), Counter(state.holds))

    def judge(self, what: str, claim: Claim, change: int) -> None:
        """One write (`what`: its kind first, then what it was on): its claim and how much the
        ILS's state moved (+1: applied once)."""
        self.claims[claim.value] += 1
        self.by_kind[(what.split(" ", 1)[0], claim.value)] += 1
        if change >= 2:
            self.doubled.append(f"{what}: {claim.value}, applied {change} times")
        elif claim is Claim.APPLIED and change == 0:
            self.lost.append(f"{what}: answered APPLIED, the ILS does not have it")
        elif claim in (Claim.REFUSED, Claim.NOT_APPLIED, Claim.FAILED) and change == 1:
            self.untrue.append(f"{what}: answered {claim.value}, the ILS applied it")
        elif claim is Claim.OUTCOME_UNKNOWN and change == 1:
            self.unknown_applied += 1

    def reset_renewals(self, patron_id: str) -> None:
        """The suite set the patron's renewal counts back to 0 in the ILS (to keep renewing)."""
        renewals = self.expected[patron_id].renewals
        for item_id in renewals:
            renewals[item_id] = 0

    def figures(self) -> dict[str, object]:
        """The counts to print."""
        return {
            "writes": sum(self.claims.values()),
            "outcomes": dict(sorted(self.claims.items())),
            "by_kind": {
                kind: {claim: n for (k, claim), n in sorted(self.by_kind.items()) if k == kind}
                for kind in sorted({kind for kind, _ in self.by_kind})
            },
            "outcome_unknown_applied": self.unknown_applied,
            "lost": len(self.lost),
            "doubled": len(self.doubled),
            "untrue": len(self.untrue),
            "drift": len(self.drift),
            "failed_requests": dict(sorted(self.failures.items())),
        }

    @property
    def clean(self) -> bool:
        """0 lost, 0 doubled, every answer true, and the final state as the answers say."""
        return not (self.lost or self.doubled or self.untrue or self.drift)

    def renewal(self, patron_id: str, item_id: str, claim: Claim, before: int, after: int) -> None:
        self.judge(f"renew {patron_id}/{item_id}", claim, after - before)
        expected = self.expected[patron_id].renewals
        if claim is Claim.APPLIED:
            expected[item_id] += 1
        elif claim is Claim.OUTCOME_UNKNOWN:
            expected[item_id] = after  # nobody was told: what the ILS did is what is

    def hold(self, patron_id: str, title_id: str, claim: Claim, change: int, *, place: bool) -> None:
        verb = "place" if place else "cancel"
        self.judge(f"{verb} {patron_id}/{title_id}", claim, change)
        holds = self.expected[patron_id].holds
        applied = claim is Claim.APPLIED or (claim is Claim.OUTCOME_UNKNOWN and change >= 1)
        if applied:
            holds[title_id] += 1 if place else -1

    def settle(self, final: Mapping[str, PatronState]) -> None:
        """Compare the ILS's final state with what the answers imply (into `drift`)."""
        found = self.drift
        for patron_id, state in final.items():
            expected = self.expected[patron_id]
            for item_id, count in state.renewals.items():
                implied = expected.renewals.get(item_id)
                if implied != count:
                    found.append(f"{patron_id}/{item_id}: {count} renewals, answers imply {implied}")
            for title_id in set(state.holds) | set(expected.holds):
                have, implied = state.holds[title_id], expected.holds[title_id]
                if have != implied:
                    found.append(f"{patron_id}/{title_id}: {have} holds, answers imply {implied}")
