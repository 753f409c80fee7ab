"""Plain attribute fields resolve with one getattr (`plain_attribute_resolvers`); the rest keep theirs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import strawberry

from schema.root import build_schema, plain_attribute_resolvers


def _fields(schema: strawberry.Schema, type_name: str) -> dict[str, object]:
    return dict(schema._schema.type_map[type_name].fields)  # type: ignore[union-attr]


def test_the_gateways_plain_loan_fields_get_the_single_getattr_and_resolvers_are_kept() -> None:
    loan = _fields(build_schema(), "Loan")
    assert "_attribute" in loan["dueDate"].resolve.__qualname__  # type: ignore[attr-defined]
    assert "_attribute" not in loan["item"].resolve.__qualname__  # type: ignore[attr-defined]


class Upper(strawberry.extensions.FieldExtension):
    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        return str(next_(source, info, **kwargs)).upper()


@strawberry.type
class Thing:
    due_date: str
    shouted: str = strawberry.field(extensions=[Upper()])

    @strawberry.field
    def computed(self) -> str:
        return "from the resolver"


@strawberry.type
class Query:
    @strawberry.field
    def thing(self) -> Thing:
        return Thing(due_date="2026-12-17", shouted="quiet")


def test_a_plain_field_reads_the_attribute_and_a_field_with_an_extension_is_left_alone() -> None:
    schema = strawberry.Schema(query=Query)
    assert plain_attribute_resolvers(schema) == 1  # due_date only
    fields = _fields(schema, "Thing")
    assert fields["dueDate"].resolve(SimpleNamespace(due_date="x"), None) == "x"  # type: ignore[attr-defined]
    result = schema.execute_sync("{ thing { dueDate shouted computed } }")
    assert result.errors is None
    assert result.data == {
        "thing": {"dueDate": "2026-12-17", "shouted": "QUIET", "computed": "from the resolver"}
    }


def test_a_custom_default_resolver_keeps_strawberrys_path() -> None:
    def dictionary_or_attribute(source: object, name: str) -> object:
        return getattr(source, name)

    config = strawberry.schema.config.StrawberryConfig(default_resolver=dictionary_or_attribute)
    assert plain_attribute_resolvers(strawberry.Schema(query=Query, config=config)) == 0
