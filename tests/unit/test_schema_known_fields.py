"""Fields a loan, hold or patron already carries cost no ILS call; anything more still loads.

Each document goes through the real schema over FakeIls, which counts every port call: the
ids answered from the parent must be the ones the loaded objects would have given.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.unit.schema_harness import CAMILLE, Harness, as_patron

PASS_THROUGH = "{ me { loans { id dueDate item { id record { id } } } } }"


async def _calls(document: str, harness: Harness | None = None) -> tuple[Any, Counter[str]]:
    harness = harness or Harness()
    harness.ils.reset_counts()
    data = await harness.data(document, viewer=as_patron(CAMILLE))
    return data["me"], harness.ils.calls


async def test_a_pass_through_loans_query_costs_one_account_read_whatever_the_loan_count() -> None:
    harness = Harness()
    for n in range(43):
        harness.ils.add_loan(CAMILLE, harness.ils.add_title(f"Roman {n}", ["Auteur"]), due_in=5 + n % 9)
    me, calls = await _calls(PASS_THROUGH, harness)
    assert len(me["loans"]) == 50
    assert calls == Counter(get_accounts=1)
    # The same ids the loaded item and record give.
    loaded, _ = await _calls("{ me { loans { id item { id status record { id title } } } } }", harness)
    assert [loan["item"]["id"] for loan in me["loans"]] == [loan["item"]["id"] for loan in loaded["loans"]]
    assert [loan["item"]["record"]["id"] for loan in me["loans"]] == [
        loan["item"]["record"]["id"] for loan in loaded["loans"]
    ]


@pytest.mark.parametrize(
    ("loan_selection", "expected"),
    [
        ("item { id }", Counter(get_accounts=1)),
        ("item { __typename id record { __typename id } }", Counter(get_accounts=1)),
        ("item { ... on Item { id record { id } } }", Counter(get_accounts=1)),
        # A field the loan does not carry: the item is read, the record still answered from its id.
        ("item { id status record { id } }", Counter(get_accounts=1, get_items=1)),
        ("item { record { id title } }", Counter(get_accounts=1, get_items=1, get_titles=1)),
        # The item's library code is on the item: read the item, not the library list.
        ("item { library { code } }", Counter(get_accounts=1, get_items=1)),
        ("item { library { name } }", Counter(get_accounts=1, get_items=1, get_libraries=1)),
        # The renewability reads the item's hold queue.
        ("item { id } renewability { renewable }", Counter(get_accounts=1, get_items=1)),
    ],
)
async def test_a_loan_s_item_is_read_only_when_the_selection_asks_more_than_the_loan_carries(
    loan_selection: str, expected: Counter[str]
) -> None:
    _, calls = await _calls(f"{{ me {{ loans {{ id {loan_selection} }} }} }}")
    assert calls == expected


async def test_a_loaded_item_still_gives_its_record_and_library_when_asked_for_their_data() -> None:
    me, _ = await _calls("{ me { loans { item { status record { title } library { code name } } } } }")
    horde = next(loan for loan in me["loans"] if loan["item"]["record"]["title"] == "La Horde du Contrevent")
    assert horde["item"]["library"]["code"] == "DURAS"
    assert horde["item"]["library"]["name"] == "Médiathèque Marguerite Duras"


async def test_a_hold_s_record_copy_and_pickup_library_ids_cost_no_ils_call() -> None:
    me, calls = await _calls(
        "{ me { holds { id status record { id } item { id record { id } } pickupLibrary { code } } } }"
    )
    assert calls == Counter(get_accounts=1)
    loaded, loaded_calls = await _calls(
        "{ me { holds { id record { id title } item { id status } pickupLibrary { code name } } } }"
    )
    assert loaded_calls == Counter(get_accounts=1, get_titles=1, get_items=1, get_libraries=1)
    assert [h["record"]["id"] for h in me["holds"]] == [h["record"]["id"] for h in loaded["holds"]]
    assert [h["pickupLibrary"]["code"] for h in me["holds"]] == ["DURAS", "SAGAN", "LEDUC"]
    assert [h["pickupLibrary"]["code"] for h in me["holds"]] == [
        h["pickupLibrary"]["code"] for h in loaded["holds"]
    ]
    assert [h["item"] and h["item"]["id"] for h in me["holds"]] == [
        h["item"] and h["item"]["id"] for h in loaded["holds"]
    ]


async def test_the_home_library_code_costs_no_call_and_its_name_does() -> None:
    me, calls = await _calls("{ me { homeLibrary { code } } }")
    assert (me["homeLibrary"], calls) == ({"code": "DURAS"}, Counter(get_accounts=1))
    me, calls = await _calls("{ me { homeLibrary { code name } } }")
    assert me["homeLibrary"]["name"] == "Médiathèque Marguerite Duras"
    assert calls == Counter(get_accounts=1, get_libraries=1)
