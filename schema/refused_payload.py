"""A mutation payload that only says why it was refused: `errors` set, every other field empty.

Owns `payload_factory`, which reads a Strawberry payload type's own fields once and returns
a function building it from a list of UserErrors: a nullable field is None, a list [], a
count 0, a flag False. A payload with another kind of required field has no empty form: that
is a programming error, raised when the factory is made (the schema is built), never per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition

from schema.payload import UserError


def payload_factory(payload: type) -> Callable[[list[UserError]], Any]:
    """A function building `payload` with only its `errors` set."""
    definition = get_object_definition(payload, strict=True)
    empties: dict[str, Callable[[], Any]] = {}
    for field in definition.fields:
        if field.base_resolver is not None or field.python_name == "errors":
            continue
        empty = _empty_of(field.type)
        if empty is None:
            raise TypeError(f"{payload.__name__}.{field.python_name} has no empty value")
        empties[field.python_name] = empty

    def build(errors: list[UserError]) -> Any:
        return payload(**{name: empty() for name, empty in empties.items()}, errors=errors)

    return build


def _empty_of(type_: Any) -> Callable[[], Any] | None:
    if isinstance(type_, StrawberryOptional):
        return lambda: None
    if isinstance(type_, StrawberryList):
        return list
    if type_ is bool:
        return lambda: False
    if type_ is int:
        return lambda: 0
    return None
