"""The portal's dashboard operation: exact demo data, and ILS batch calls independent of the loan count."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.unit.schema_harness import CAMILLE, LEO, Harness, as_patron

# contract/operations/dashboard.graphql, verbatim: the exact operation frontends send.
DASHBOARD = """
query Dashboard {
  me {
    id
    displayName
    blocks
    loanCount
    overdueCount
    holdCount
    loans {
      id
      loanType
      dueDate
      isOverdue
      renewalsLeft
      renewability { renewable reasons }
      item {
        id
        library { code name }
        record { id title authors documentType }
      }
    }
    holds {
      id
      status
      queuePosition
      pickupDeadline
      cancellable
      pickupLibrary { code name }
      record { id title authors }
    }
    sharedAccounts {
      owner {
        id
        displayName
        loans {
          id
          dueDate
          isOverdue
          renewability { renewable reasons }
          item { record { title } }
        }
        holds { id status record { title } }
      }
    }
  }
}
"""


async def test_camille_s_dashboard_shows_the_design_s_loans_holds_and_shared_account() -> None:
    me = (await Harness().data(DASHBOARD, viewer=as_patron(CAMILLE)))["me"]
    assert (me["id"], me["displayName"], me["blocks"]) == (CAMILLE, "Camille Martin", [])
    assert (me["loanCount"], me["overdueCount"], me["holdCount"]) == (7, 1, 3)
    reasons = {loan["item"]["record"]["title"]: loan["renewability"]["reasons"] for loan in me["loans"]}
    assert reasons == {
        "La Horde du Contrevent": [],
        "Les Furtifs": ["MAX_RENEWALS_REACHED"],
        "Astérix le Gaulois": ["ONE_WEEK_LOAN"],
        "Le Bureau des légendes, saison 1": ["OVERDUE"],
        "L'Anomalie": ["RESERVED_BY_ANOTHER_PATRON"],
        "Chanson douce": ["DIGITAL_LOAN"],
        "Vernon Subutex 1": [],
    }
    assert {loan["item"]["record"]["title"] for loan in me["loans"] if loan["renewability"]["renewable"]} == {
        "La Horde du Contrevent",
        "Vernon Subutex 1",
    }
    furtifs = next(loan for loan in me["loans"] if loan["item"]["record"]["title"] == "Les Furtifs")
    assert (furtifs["renewalsLeft"], furtifs["loanType"], furtifs["item"]["library"]["code"]) == (
        0,
        "STANDARD",
        "DURAS",
    )
    holds = {
        h["record"]["title"]: (h["status"], h["queuePosition"], h["cancellable"], h["pickupLibrary"]["code"])
        for h in me["holds"]
    }
    assert holds == {
        "Les Misérables": ("WAITING", 2, True, "DURAS"),
        "Mémoires d'Hadrien": ("AVAILABLE", None, False, "SAGAN"),
        "Le Consentement": ("IN_TRANSIT", None, True, "LEDUC"),
    }
    assert next(h for h in me["holds"] if h["status"] == "AVAILABLE")["pickupDeadline"] == "2026-12-07"
    (shared,) = me["sharedAccounts"]
    owner = shared["owner"]
    assert (owner["id"], owner["displayName"]) == (LEO, "Léo Martin")
    leo = {
        loan["item"]["record"]["title"]: (loan["isOverdue"], loan["renewability"]) for loan in owner["loans"]
    }
    assert leo == {
        "Mortelle Adèle, tome 1": (False, {"renewable": True, "reasons": []}),
        "Le Petit Nicolas": (True, {"renewable": False, "reasons": ["OVERDUE"]}),
    }


async def _dashboard_calls(extra_loans: int) -> Counter[str]:
    harness = Harness()
    for n in range(extra_loans):
        title = harness.ils.add_title(f"Roman du tableau de bord {n}", ["Auteur"])
        harness.ils.add_loan(CAMILLE, title, due_in=5 + n % 9)
        harness.ils.add_loan(LEO, harness.ils.add_title(f"Album {n}", ["Autrice"]), due_in=3)
    harness.ils.reset_counts()
    result = await harness.run(DASHBOARD, viewer=as_patron(CAMILLE))
    assert result.errors is None
    assert len(result.data["me"]["loans"]) == 7 + extra_loans  # type: ignore[index]
    return harness.ils.calls


@pytest.mark.parametrize("extra_loans", [0, 18])
async def test_dashboard_makes_one_batch_per_kind_and_level_whatever_the_loan_count(extra_loans: int) -> None:
    # 7 demo loans (plus 2 of Léo's) against 25 (plus 20): the same calls per kind.
    calls = await _dashboard_calls(extra_loans)
    assert calls == Counter(get_accounts=2, get_items=2, get_titles=2, get_libraries=1)


async def test_reference_data_comes_from_the_cache_on_the_next_request() -> None:
    harness = Harness()
    await harness.data(DASHBOARD, viewer=as_patron(CAMILLE))
    harness.ils.reset_counts()
    await harness.data(DASHBOARD, viewer=as_patron(CAMILLE))
    # Accounts and items are circulation data: read again. Titles and libraries: cached.
    assert harness.ils.calls == Counter(get_accounts=2, get_items=2)


async def test_a_loan_s_record_is_loaded_with_the_items_not_a_level_later() -> None:
    harness = Harness()
    await harness.data(DASHBOARD, viewer=as_patron(CAMILLE))
    first_titles, second_titles = harness.ils.batches["get_titles"]
    # Camille's 7 loan records and 3 hold records in one batch; Léo's 2 loan records with his items.
    assert (len(first_titles), len(second_titles)) == (10, 2)
    assert [len(batch) for batch in harness.ils.batches["get_items"]] == [7, 2]
