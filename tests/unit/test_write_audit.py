"""The fault suites' judge: each claim against what the ILS did (emulator/write_audit.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from emulator.write_audit import Audit, Claim, PatronState, cancel_claim, place_claim, renewal_claims


def _audit() -> Audit:
    audit = Audit()
    audit.start("P", PatronState({"I1": 0}, Counter({"T1": 1})))
    return audit


@pytest.mark.parametrize(
    ("claim", "change", "verdict"),
    [
        (Claim.APPLIED, 1, None),
        (Claim.APPLIED, 0, "lost"),
        (Claim.APPLIED, 2, "doubled"),
        (Claim.NOT_APPLIED, 0, None),
        (Claim.NOT_APPLIED, 1, "untrue"),
        (Claim.REFUSED, 1, "untrue"),
        (Claim.FAILED, 1, "untrue"),
        (Claim.FAILED, 0, None),
        (Claim.OUTCOME_UNKNOWN, 0, None),
        (Claim.OUTCOME_UNKNOWN, 1, None),
        (Claim.OUTCOME_UNKNOWN, 2, "doubled"),
    ],
)
def test_each_claim_against_what_the_ils_did(claim: Claim, change: int, verdict: str | None) -> None:
    audit = _audit()
    audit.judge("w", claim, change)
    found = {name for name in ("lost", "doubled", "untrue") if getattr(audit, name)}
    assert found == ({verdict} if verdict else set())
    assert audit.unknown_applied == (1 if claim is Claim.OUTCOME_UNKNOWN and change == 1 else 0)


def test_the_final_state_must_be_what_the_answers_imply() -> None:
    audit = _audit()
    audit.renewal("P", "I1", Claim.APPLIED, 0, 1)
    audit.hold("P", "T1", Claim.APPLIED, 1, place=False)
    audit.settle({"P": PatronState({"I1": 1}, Counter())})
    assert audit.clean
    late = _audit()
    late.renewal("P", "I1", Claim.NOT_APPLIED, 0, 0)
    late.settle({"P": PatronState({"I1": 1}, Counter({"T1": 1}))})  # applied after its answer
    assert late.drift and not late.clean


def test_claims_read_from_the_payloads() -> None:
    renewals = {
        "results": [
            {"loanId": "P:1", "renewed": True, "reasons": []},
            {"loanId": "P:2", "renewed": False, "reasons": []},
            {"loanId": "P:3", "renewed": False, "reasons": ["MAX_RENEWALS_REACHED"]},
            {"loanId": "P:4", "renewed": False, "reasons": []},
        ],
        "errors": [
            {"code": "OUTCOME_UNKNOWN", "field": ["loanIds", "1"]},
            {"code": "NOT_APPLIED", "field": ["loanIds", "3"]},
        ],
    }
    assert renewal_claims(renewals) == [
        ("P:1", Claim.APPLIED),
        ("P:2", Claim.OUTCOME_UNKNOWN),
        ("P:3", Claim.REFUSED),
        ("P:4", Claim.NOT_APPLIED),
    ]
    assert place_claim({"hold": {"id": "P:9"}, "reasons": [], "errors": []}) is Claim.APPLIED
    assert (
        place_claim({"hold": None, "reasons": ["ALREADY_HELD"], "errors": [{"code": "x"}]}) is Claim.REFUSED
    )
    assert (
        place_claim({"hold": None, "reasons": [], "errors": [{"code": "NOT_APPLIED"}]}) is Claim.NOT_APPLIED
    )
    assert place_claim(None) is cancel_claim(None) is Claim.FAILED
    assert cancel_claim({"cancelled": True, "errors": []}) is Claim.APPLIED
    assert (
        cancel_claim({"cancelled": False, "errors": [{"code": "OUTCOME_UNKNOWN"}]}) is Claim.OUTCOME_UNKNOWN
    )
    assert cancel_claim({"cancelled": False, "errors": [{"code": "ILS_REFUSED"}]}) is Claim.REFUSED
