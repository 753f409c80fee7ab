"""Federation `_entities`: what a representation must be before any reference is resolved.

Owns the limit on representations per request and the check of each one against its entity
type's key (the arguments of its `resolve_reference`): a known `__typename`, every key field
present as an ID (a string, or an integer as GraphQL IDs allow), nothing else. A bad one is
a BAD_USER_INPUT error for that entity alone, with a localized message that names the index
and the expected keys, never the client's own text. Pure functions; never logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schema.errors import BadUserInput

#: Representations one `_entities` call takes (the document cost counts a variable list as 100).
MAX_REPRESENTATIONS = 100
TYPENAME = "__typename"


def too_many(representations: list[Any]) -> BadUserInput | None:
    """The one error of a call with more representations than MAX_REPRESENTATIONS."""
    if len(representations) > MAX_REPRESENTATIONS:
        return BadUserInput(
            "TOO_MANY_REPRESENTATIONS", actual=len(representations), limit=MAX_REPRESENTATIONS
        )
    return None


def checked(
    index: int, representation: Any, keys_by_type: Mapping[str, tuple[str, ...]]
) -> tuple[str, dict[str, str]] | BadUserInput:
    """The type name and key values of one representation, or why it is refused."""
    types = ", ".join(sorted(keys_by_type))
    if not isinstance(representation, dict):
        return BadUserInput("ENTITY_NOT_AN_OBJECT", index=index)
    type_name = representation.get(TYPENAME)
    if not isinstance(type_name, str) or type_name not in keys_by_type:
        return BadUserInput("ENTITY_UNKNOWN_TYPE", index=index, types=types)
    keys = keys_by_type[type_name]
    shown = ", ".join(keys)
    given = {name: value for name, value in representation.items() if name != TYPENAME}
    if set(given) - set(keys):
        return BadUserInput("ENTITY_EXTRA_KEY", index=index, type=type_name, keys=shown)
    values: dict[str, str] = {}
    for key in keys:
        if key not in given:
            return BadUserInput("ENTITY_MISSING_KEY", index=index, type=type_name, key=key)
        value = given[key]
        # GraphQL's ID takes strings and integers; a boolean is an int to Python, not to GraphQL.
        if isinstance(value, bool) or not isinstance(value, str | int):
            return BadUserInput("ENTITY_BAD_KEY", index=index, type=type_name, key=key)
        values[key] = str(value)
    return type_name, values
