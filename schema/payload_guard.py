"""The payload answer of the input guard: a mutation refuses a value the ILS cannot be sent as data.

Owns `guard_payloads`, which wraps the resolver of every root mutation field with PAYLOAD rows
in `ILS_INPUTS` (schema/input_guard.py): the coerced arguments are checked by their rules
first, and a refused value answers the field's own payload with only `errors` set — one
UserError per value, of the row's code, naming the field (list items by index), with the
rule's message in the request's language — without calling the resolver: nothing is stored,
nothing is sent. Other fields of the operation run as usual. Never logs the values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLFieldResolver, GraphQLResolveInfo, get_named_type
from strawberry.types.base import StrawberryObjectDefinition

from schema.i18n import DEFAULT_LANGUAGE
from schema.input_guard import Carrier, Encodings, Refusal, fields_carrying, refusals_of
from schema.payload import UserError
from schema.refused_payload import payload_factory

_PAYLOAD_FIELDS = fields_carrying(Carrier.PAYLOAD)


def guard_payloads(schema: strawberry.Schema, encodings: Encodings) -> None:
    """Wrap the schema's mutation fields that have PAYLOAD rows (once, when the schema is built)."""
    mutation = schema._schema.mutation_type
    if mutation is None:
        return
    frozen = tuple(dict.fromkeys(encodings))
    for root, name in sorted(_PAYLOAD_FIELDS):
        field = mutation.fields.get(name) if root == "Mutation" else None
        if field is None or field.resolve is None:
            raise LookupError(f"ILS_INPUTS names {root}.{name}, which the schema has no resolver for")
        definition = schema.get_type_by_name(get_named_type(field.type).name)
        if not isinstance(definition, StrawberryObjectDefinition):
            raise TypeError(f"{root}.{name} answers no payload type")
        field.resolve = _guarded(name, field.resolve, payload_factory(definition.origin), frozen)


def _guarded(
    name: str,
    resolve: GraphQLFieldResolver,
    build: Callable[[list[UserError]], Any],
    encodings: Encodings,
) -> GraphQLFieldResolver:
    def guarded(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        refused = [
            refusal
            for refusal in refusals_of("Mutation", name, arguments, encodings)
            if refusal.guarded.carrier is Carrier.PAYLOAD
        ]
        if not refused:
            return resolve(source, info, **arguments)
        language = getattr(info.context, "language", DEFAULT_LANGUAGE)
        return build([_user_error(refusal, language) for refusal in refused])

    return guarded


def _user_error(refusal: Refusal, language: str) -> UserError:
    return UserError(code=refusal.guarded.code, message=refusal.message(language), field=list(refusal.field))
