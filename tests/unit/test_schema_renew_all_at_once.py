"""renewAllLoans where the port renews all at once (SIP2 alone: one 65): the rules SIP2 carries
first, one renew-all when they allow every loan (a 65 cannot leave loans out; otherwise loan
by loan), per-loan outcomes from its answer, one re-read for the due dates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.errors import IlsUnavailable
from tests.design_expectations import CAMILLE_RENEWAL_REASONS
from tests.fakes import FakeIls
from tests.unit.schema_harness import CAMILLE, INES, NADIA, Harness, as_patron

RENEW_ALL = """
mutation {
  renewAllLoans {
    renewedCount
    results { loanId renewed reasons message loan { dueDate item { record { title } } } }
    errors { code message }
  }
}
"""
RENEWABLE = {"La Horde du Contrevent", "Vernon Subutex 1"}
POTTER = "Harry Potter à l'école des sorciers"  # Inès's one loan, which the rules allow


class FakeSip2OnlyIls(FakeIls):
    """The fake ILS as a port that renews all at once (the SIP2-only profile's shape)."""

    renews_all_at_once = True


async def _renew_all(harness: Harness, patron_id: str = CAMILLE) -> dict[str, Any]:
    harness.ils.reset_counts()
    data = await harness.data(RENEW_ALL, viewer=as_patron(patron_id))
    payload: dict[str, Any] = data["renewAllLoans"]
    return payload


def _by_title(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["loan"]["item"]["record"]["title"]: result for result in payload["results"]}


async def test_one_renew_all_then_one_read_for_the_due_dates() -> None:
    harness = Harness(ils=FakeSip2OnlyIls())
    payload = await _renew_all(harness, INES)
    assert harness.ils.calls["renew_all"] == 1 and harness.ils.calls["renew"] == 0
    assert payload["renewedCount"] == 1 and payload["errors"] == []
    (result,) = payload["results"]
    assert result["renewed"] and result["reasons"] == []
    assert result["loan"]["item"]["record"]["title"] == POTTER
    assert result["loan"]["dueDate"] == str(harness.ils.today + timedelta(days=28))


async def test_loans_the_rules_refuse_are_never_in_a_renew_all() -> None:
    # A 65 renews the whole account: with some loans refused by the rules, loan by loan.
    harness = Harness(ils=FakeSip2OnlyIls())
    payload = await _renew_all(harness)
    assert harness.ils.calls["renew_all"] == 0 and harness.ils.calls["renew"] == 2
    assert payload["renewedCount"] == 2 and payload["errors"] == []
    by_title = _by_title(payload)
    assert {title: result["reasons"] for title, result in by_title.items()} == CAMILLE_RENEWAL_REASONS
    for title in RENEWABLE:
        assert by_title[title]["renewed"]


async def test_the_composite_port_still_renews_loan_by_loan() -> None:
    harness = Harness()
    payload = await _renew_all(harness)
    assert harness.ils.calls["renew_all"] == 0 and harness.ils.calls["renew"] == 2
    assert payload["renewedCount"] == 2


async def test_a_blocked_account_sends_no_renew_all() -> None:
    harness = Harness(ils=FakeSip2OnlyIls())
    payload = await _renew_all(harness, NADIA)
    assert harness.ils.calls["renew_all"] == 0
    assert [result["reasons"] for result in payload["results"]] == [["PATRON_BLOCKED"]]


async def test_a_lost_answer_is_settled_by_the_re_read() -> None:
    harness = Harness(ils=FakeSip2OnlyIls())
    harness.ils.lose_next_answer("renew_all")
    payload = await _renew_all(harness, INES)
    assert harness.ils.calls["renew_all"] == 1  # never sent again
    assert [result["renewed"] for result in payload["results"]] == [True]
    assert payload["renewedCount"] == 1 and payload["errors"] == []


async def test_not_sent_is_not_applied_and_nothing_moved() -> None:
    harness = Harness(ils=FakeSip2OnlyIls())
    harness.ils.fail_next("renew_all", IlsUnavailable("sip2", "pool exhausted"))
    payload = await _renew_all(harness, INES)
    assert payload["renewedCount"] == 0
    assert [error["code"] for error in payload["errors"]] == ["NOT_APPLIED"]  # one per loan


async def test_a_refusal_of_the_whole_request_carries_the_ils_words() -> None:
    harness = Harness(ils=FakeSip2OnlyIls())
    harness.ils.refuse_next("renew_all", "Carte à renouveler à l'accueil.")
    payload = await _renew_all(harness, INES)
    (result,) = payload["results"]
    assert result["reasons"] == ["ILS_REFUSED"] and not result["renewed"]
    assert "Carte à renouveler à l'accueil." in result["message"]
    assert payload["renewedCount"] == 0
