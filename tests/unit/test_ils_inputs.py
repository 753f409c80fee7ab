"""The protocol rules of values sent to the ILS (schema/inputs.py, schema/input_guard.py) and of
federation representations (schema/entities.py), as pure functions."""

from __future__ import annotations

from typing import Any

import pytest

from schema.entities import MAX_REPRESENTATIONS, checked, too_many
from schema.errors import BadUserInput
from schema.input_guard import SIP2_ID, refusals_of
from schema.inputs import InputProblem, id_problem, sip2_text_problem, xml_text_problem


@pytest.mark.parametrize(
    ("value", "encodings", "problem"),
    [
        ("Camille Martin", ("utf-8",), None),
        ("Łódź", ("utf-8",), None),
        ("Łódź", ("latin-1",), InputProblem.NOT_ENCODABLE),
        ("Łódź", ("utf-8", "latin-1"), InputProblem.NOT_ENCODABLE),  # sent in one, answered in the other
        ("Noël", ("cp850",), None),
        ("5 €", ("cp850",), InputProblem.NOT_ENCODABLE),
        ("é" * 128, ("utf-8",), InputProblem.TOO_MANY_BYTES),
        ("é" * 128, ("latin-1",), None),
        ("x" * 255, ("utf-8",), None),
        ("x" * 256, ("utf-8",), InputProblem.TOO_MANY_BYTES),
        ("a|b", ("utf-8",), InputProblem.FORBIDDEN_CHARACTER),
        ("a\rb", ("utf-8",), InputProblem.FORBIDDEN_CHARACTER),
        ("a\tb", ("utf-8",), InputProblem.FORBIDDEN_CHARACTER),
        ("a\x7fb", ("utf-8",), InputProblem.FORBIDDEN_CHARACTER),
        ("a\x9bb", ("utf-8",), InputProblem.FORBIDDEN_CHARACTER),  # C1 (CSI)
        ("a\ud800b", ("utf-8",), InputProblem.FORBIDDEN_CHARACTER),
    ],
)
def test_a_sip2_field_carries_what_its_encodings_can(
    value: str, encodings: tuple[str, ...], problem: InputProblem | None
) -> None:
    assert sip2_text_problem(value, encodings) is problem


def test_ids_and_xml_texts() -> None:
    assert id_problem("T-PRINCE") is None
    assert id_problem("") is InputProblem.EMPTY
    assert id_problem("x" * 65) is InputProblem.TOO_LONG
    assert xml_text_problem("a|b\tc") is None  # SOAP carries both
    assert xml_text_problem("a\x00") is InputProblem.FORBIDDEN_CHARACTER
    assert xml_text_problem("x" * 255) is InputProblem.TOO_LONG


def test_refusals_name_each_bad_value_by_its_path() -> None:
    arguments = {"loanIds": ["L1", "L|2", "L3", ""]}

    found = refusals_of("Mutation", "renewLoans", arguments, ("utf-8",))

    assert [(r.field, r.problem, r.rule) for r in found] == [
        (("loanIds", "1"), InputProblem.FORBIDDEN_CHARACTER, SIP2_ID),
        (("loanIds", "3"), InputProblem.EMPTY, SIP2_ID),
    ]
    assert refusals_of("Mutation", "logout", {}, ("utf-8",)) == []


KEYS = {"Patron": ("id",), "Library": ("code",)}


@pytest.mark.parametrize(
    ("representation", "outcome"),
    [
        ({"__typename": "Library", "code": "SAGAN"}, ("Library", {"code": "SAGAN"})),
        ({"__typename": "Patron", "id": 2900000001}, ("Patron", {"id": "2900000001"})),
        ({"__typename": "Nope", "id": "x"}, "ENTITY_UNKNOWN_TYPE"),
        ({"id": "x"}, "ENTITY_UNKNOWN_TYPE"),
        ({"__typename": "Patron"}, "ENTITY_MISSING_KEY"),
        ({"__typename": "Patron", "id": "x", "code": "y"}, "ENTITY_EXTRA_KEY"),
        ({"__typename": "Patron", "id": False}, "ENTITY_BAD_KEY"),
        ({"__typename": "Patron", "id": 1.5}, "ENTITY_BAD_KEY"),
        (["Patron"], "ENTITY_NOT_AN_OBJECT"),
    ],
)
def test_a_representation_is_checked_against_its_type_key(representation: Any, outcome: Any) -> None:
    result = checked(0, representation, KEYS)

    if isinstance(outcome, str):
        assert isinstance(result, BadUserInput)
        assert result.message_code == outcome
    else:
        assert result == outcome


def test_at_most_100_representations() -> None:
    assert too_many([{}] * MAX_REPRESENTATIONS) is None
    error = too_many([{}] * (MAX_REPRESENTATIONS + 1))
    assert error is not None and error.message_code == "TOO_MANY_REPRESENTATIONS"
