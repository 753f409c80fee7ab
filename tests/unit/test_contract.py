"""The served schema against the public contract, and the repository's copy of the contract.

Fields and types that belong to later work (baskets, saved searches, preferences, alerts,
share requests, downloads) are listed by name: they must be absent until built, never stubbed.
Everything else must be served with the contract's exact name, type and arguments.
"""

from __future__ import annotations

import pytest
from graphql import parse, print_ast
from graphql.language import (
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    ObjectTypeDefinitionNode,
)

from gateway.app import build_gateway_schema
from gateway.settings import Settings
from tests.contract_files import REPO_CONTRACT, SHARED_CONTRACT, contract_sdl

LATER_TYPES: set[str] = set()
# Enum values whose feature is not built yet (none: every download format is served).
LATER_ENUM_VALUES: set[tuple[str, str]] = set()
LATER_FIELDS: set[tuple[str, str]] = set()

Shape = dict[str, tuple[str, dict[str, str]]]
Index = dict[str, tuple[Shape, set[str]]]


def _index(sdl: str) -> Index:
    """Type name -> (fields with their type and arguments, enum values)."""
    types: Index = {}
    for node in parse(sdl, no_location=True).definitions:
        if isinstance(node, ObjectTypeDefinitionNode | InputObjectTypeDefinitionNode):
            fields: Shape = {}
            for field in node.fields or ():
                arguments = getattr(field, "arguments", None) or ()
                fields[field.name.value] = (
                    print_ast(field.type),
                    {arg.name.value: print_ast(arg.type) for arg in arguments},
                )
            types[node.name.value] = (fields, set())
        elif isinstance(node, EnumTypeDefinitionNode):
            types[node.name.value] = ({}, {value.name.value for value in node.values or ()})
        elif hasattr(node, "name"):
            types[node.name.value] = ({}, set())
    return types


def _differences(contract: Index, served: Index) -> list[str]:
    problems: list[str] = []
    for name, (fields, values) in contract.items():
        if name in LATER_TYPES:
            if name in served:
                problems.append(f"{name} is served before its issue")
            continue
        if name not in served:
            problems.append(f"missing type {name}")
            continue
        served_fields, served_values = served[name]
        later_values = {value for kind, value in LATER_ENUM_VALUES if kind == name}
        problems += [f"missing enum value {name}.{value}" for value in values - served_values - later_values]
        for field, shape in fields.items():
            if (name, field) in LATER_FIELDS:
                if field in served_fields:
                    problems.append(f"{name}.{field} is served before its issue")
            elif not _extends(shape, served_fields.get(field)):
                problems.append(f"{name}.{field}: contract {shape}, served {served_fields.get(field)}")
    return problems


def _extends(contract: tuple[str, dict[str, str]], served: tuple[str, dict[str, str]] | None) -> bool:
    """The served field is the contract's, with at most optional arguments added (clients that
    send only the contract's arguments keep working)."""
    if served is None or served[0] != contract[0]:
        return False
    arguments = served[1]
    added = {name: kind for name, kind in arguments.items() if name not in contract[1]}
    return all(arguments.get(name) == kind for name, kind in contract[1].items()) and not any(
        kind.endswith("!") for kind in added.values()
    )


def test_the_served_schema_has_every_contract_element_of_the_built_features() -> None:
    served = build_gateway_schema(Settings()).as_str()

    assert _differences(_index(contract_sdl()), _index(served)) == []


def test_the_comparison_notices_a_renamed_field() -> None:
    served = build_gateway_schema(Settings()).as_str().replace("isOverdue", "isLate")

    assert _differences(_index(contract_sdl()), _index(served)) == [
        "Loan.isOverdue: contract ('Boolean!', {}), served None"
    ]


def test_the_comparison_notices_a_field_served_nullable() -> None:
    served = build_gateway_schema(Settings()).as_str().replace("renewalsLeft: Int!", "renewalsLeft: Int")

    assert _differences(_index(contract_sdl()), _index(served)) == [
        "Loan.renewalsLeft: contract ('Int!', {}), served ('Int', {})"
    ]


@pytest.mark.parametrize(
    "relative",
    ["schema.graphql", *(f"operations/{p.name}" for p in sorted((REPO_CONTRACT / "operations").iterdir()))],
)
def test_the_repository_copy_of_the_contract_matches_the_shared_one(relative: str) -> None:
    shared = SHARED_CONTRACT / relative
    if not shared.exists():
        pytest.skip("../shared/contract is not beside this clone")
    assert (REPO_CONTRACT / relative).read_bytes() == shared.read_bytes()
