"""The edge check of every value the API sends to the ILS, by the rule of the protocol it travels on.

Owns `ILS_INPUTS`, the one table of root fields and argument paths → rule, and `InputGuard`,
the schema extension that applies it to an operation after validation and before anything
runs: a value SIP2 or the SOAP service cannot carry (schema/inputs.py says why) refuses the
whole operation with BAD_USER_INPUT errors naming the field, in the request's language, so
nothing is stored and nothing is sent. Portal rules on the same values (e-mail and phone
syntax, names) stay with their mutations and answer as UserErrors. Never logs the values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.utilities import get_operation_ast
from strawberry import UNSET
from strawberry.extensions import SchemaExtension

from schema.i18n import DEFAULT_LANGUAGE, translate
from schema.inputs import (
    MAX_ID_LENGTH,
    MAX_SIP2_FIELD_BYTES,
    MAX_TEXT_LENGTH,
    InputProblem,
    id_problem,
    sip2_text_problem,
    xml_text_problem,
)

Encodings = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """How one value travels to the ILS: its name, its check and the maximum its message gives."""

    name: str
    check: Callable[[str, Encodings], InputProblem | None]
    maximum: int


def _sip2_text(value: str, encodings: Encodings) -> InputProblem | None:
    return sip2_text_problem(value, encodings)


def _sip2_id(value: str, encodings: Encodings) -> InputProblem | None:
    return id_problem(value) or sip2_text_problem(value, encodings)


def _xml_text(value: str, _encodings: Encodings) -> InputProblem | None:
    return xml_text_problem(value)


def _contact(value: str, encodings: Encodings) -> InputProblem | None:
    # Written over SOAP (XML), then sent back by the ILS in every SIP2 patron answer (BE, BF).
    return xml_text_problem(value) or sip2_text_problem(value, encodings)


#: A SIP2 variable field: a sign-in's identifier (AA) and password (AD).
SIP2_TEXT = Rule("SIP2_TEXT", _sip2_text, MAX_SIP2_FIELD_BYTES)
#: An ILS id that travels in SIP2 frames (item AB, title AJ, patron AA, library BS) and SOAP.
SIP2_ID = Rule("SIP2_ID", _sip2_id, MAX_ID_LENGTH)
#: A short text of the SOAP service (a search query).
XML_TEXT = Rule("XML_TEXT", _xml_text, MAX_TEXT_LENGTH)
#: A contact detail: stored over SOAP, echoed in SIP2 answers.
CONTACT = Rule("CONTACT", _contact, MAX_TEXT_LENGTH)

#: (root type, field) → ((argument path, rule), …). A path is dotted; `*` is each item of a list.
ILS_INPUTS: Mapping[tuple[str, str], tuple[tuple[str, Rule], ...]] = {
    ("Mutation", "login"): (("identifier", SIP2_TEXT), ("password", SIP2_TEXT)),
    ("Mutation", "renewLoans"): (("loanIds.*", SIP2_ID),),
    ("Mutation", "renewAllLoans"): (("patronId", SIP2_ID),),
    ("Mutation", "placeHold"): (("recordId", SIP2_ID), ("pickupLibraryCode", SIP2_ID)),
    ("Mutation", "cancelHold"): (("holdId", SIP2_ID),),
    ("Mutation", "updateProfile"): (
        ("input.email", CONTACT),
        ("input.phone", CONTACT),
        ("input.mobile", CONTACT),
    ),
    ("Mutation", "updateSearchPreferences"): (("input.libraryCodes.*", SIP2_ID),),
    ("Mutation", "createBasket"): (("recordIds.*", SIP2_ID),),
    ("Mutation", "addToBasket"): (("recordIds.*", SIP2_ID),),
    ("Mutation", "saveSearch"): (("query", XML_TEXT), ("scope.libraryCodes.*", SIP2_ID)),
    ("Mutation", "requestAccountShare"): (("cardNumber", SIP2_ID),),
    ("Query", "search"): (("query", XML_TEXT), ("scope.libraryCodes.*", SIP2_ID)),
    ("Query", "patron"): (("id", SIP2_ID),),
    ("Query", "record"): (("id", SIP2_ID),),
    ("Query", "library"): (("code", SIP2_ID),),
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """One value refused: the argument path (list items by index) and why."""

    field: tuple[str, ...]
    rule: Rule
    problem: InputProblem


def refusals_of(
    type_name: str, field_name: str, arguments: Mapping[str, Any], encodings: Encodings
) -> list[Refusal]:
    """Every value of one root field's arguments that its table entry refuses."""
    found: list[Refusal] = []
    for path, rule in ILS_INPUTS.get((type_name, field_name), ()):
        for where, value in _values_at(arguments, tuple(path.split(".")), ()):
            problem = rule.check(value, encodings) if isinstance(value, str) else None
            if problem is not None:
                found.append(Refusal(where, rule, problem))
    return found


def _values_at(
    value: Any, path: tuple[str, ...], where: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    if not path:
        yield where, value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield from _values_at(item, rest, (*where, str(index)))
        return
    child = _member(value, head)
    if child is not None:
        yield from _values_at(child, rest, (*where, head))


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _member(value: Any, name: str) -> Any:
    """An argument or an input field: a dict from graphql-core, or a Strawberry input object."""
    if isinstance(value, dict):
        return value.get(name)
    member = getattr(value, _CAMEL.sub("_", name).lower(), None)
    # Strawberry's UNSET (an absent input field) is not a value to check.
    return None if member is UNSET else member


def operation_refusals(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    encodings: Encodings,
    language: str,
) -> list[GraphQLError]:
    """The BAD_USER_INPUT errors of one operation (empty: nothing to refuse, or not for us to say)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return []
    root = schema.get_root_type(operation.operation)
    if root is None:
        return []
    fields = list(_root_fields(operation.selection_set, _fragments(document), set()))
    if not any((root.name, node.name.value) in ILS_INPUTS for node in fields):
        return []
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        return []  # graphql-core refuses the variables itself, with its own errors
    errors: list[GraphQLError] = []
    for node in fields:
        definition = root.fields.get(node.name.value)
        if definition is None or (root.name, node.name.value) not in ILS_INPUTS:
            continue
        try:
            arguments = get_argument_values(definition, node, coerced)
        except GraphQLError:
            continue  # graphql-core refuses the argument itself
        for refusal in refusals_of(root.name, node.name.value, arguments, encodings):
            errors.append(_error(node, refusal, language))
    return errors


def _fragments(document: Any) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> Iterator[FieldNode]:
    """The root fields of a selection set, through inline fragments and each named fragment once."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _root_fields(fragment.selection_set, fragments, seen)


def _error(node: FieldNode, refusal: Refusal, language: str) -> GraphQLError:
    shown = ".".join(refusal.field)
    message = translate(f"INPUT_{refusal.problem.value}", language, field=shown, maximum=refusal.rule.maximum)
    response_key = node.alias.value if node.alias else node.name.value
    extensions = {
        "code": "BAD_USER_INPUT",
        "field": list(refusal.field),
        "reason": refusal.problem.value,
        "rule": refusal.rule.name,
    }
    return GraphQLError(message, node, path=[response_key], extensions=extensions)


def input_guard(encodings: Encodings) -> type[SchemaExtension]:
    """The InputGuard of a gateway whose SIP2 frames are written and read in `encodings`."""
    frozen = tuple(dict.fromkeys(encodings))

    class InputGuard(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is not None and context.result is None:
                language = getattr(context.context, "language", DEFAULT_LANGUAGE)
                errors = operation_refusals(
                    context.schema._schema,
                    context.graphql_document,
                    context.operation_name,
                    context.variables,
                    frozen,
                    language,
                )
                if errors:
                    # A result before execution: graphql-core's execute is then skipped.
                    context.result = ExecutionResult(data=None, errors=errors)
            yield

    return InputGuard
