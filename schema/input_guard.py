"""The edge check of every value the API sends to the ILS, by the rule of the protocol it travels on.

Owns `ILS_INPUTS`, the one table of root fields and argument paths → rule and carrier, and
`InputGuard`, the schema extension that applies its top-level rows. The contract makes a bad
value DATA where the field has a payload, so each row says how a refusal travels (`Carrier`):
a mutation answers its payload with a UserError naming the field (schema/payload_guard.py,
before the resolver runs), a basket's record ids are refused by the resolver's own check with
the same rule (schema/portal/baskets.py), and the look-ups without a payload (search, patron,
record, library) refuse the whole operation after validation, before anything runs, with
BAD_USER_INPUT errors naming the field. Either way in the request's language, nothing stored,
nothing sent. Never logs the values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
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


class Carrier(StrEnum):
    """How the refusal of a value travels back (the contract: a bad value is data where it can be)."""

    #: The mutation's payload, with only `errors` set: a UserError of the row's code.
    PAYLOAD = "PAYLOAD"
    #: The resolver's own validation applies the rule and answers its own UserError.
    RESOLVER = "RESOLVER"
    #: A top-level BAD_USER_INPUT refusing the operation: the field has no payload.
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class Guarded:
    """One argument path (dotted; `*` is each item of a list), its rule, and how a refusal travels."""

    path: str
    rule: Rule
    carrier: Carrier = Carrier.PAYLOAD
    #: The UserError code of a PAYLOAD or RESOLVER refusal: the field's own code where it has one.
    code: str = "BAD_USER_INPUT"


def _top_level(path: str, rule: Rule) -> Guarded:
    return Guarded(path, rule, Carrier.ERROR)


#: (root type, field) → the arguments it sends to the ILS.
ILS_INPUTS: Mapping[tuple[str, str], tuple[Guarded, ...]] = {
    ("Mutation", "login"): (Guarded("identifier", SIP2_TEXT), Guarded("password", SIP2_TEXT)),
    ("Mutation", "renewLoans"): (Guarded("loanIds.*", SIP2_ID, code="LOAN_NOT_FOUND"),),
    ("Mutation", "renewAllLoans"): (Guarded("patronId", SIP2_ID),),
    ("Mutation", "placeHold"): (
        Guarded("recordId", SIP2_ID, code="RECORD_NOT_FOUND"),
        Guarded("pickupLibraryCode", SIP2_ID),
    ),
    ("Mutation", "cancelHold"): (Guarded("holdId", SIP2_ID, code="HOLD_NOT_FOUND"),),
    ("Mutation", "updateProfile"): (
        Guarded("input.email", CONTACT, code="INVALID_EMAIL"),
        Guarded("input.phone", CONTACT, code="INVALID_PHONE"),
        Guarded("input.mobile", CONTACT, code="INVALID_PHONE"),
    ),
    ("Mutation", "updateSearchPreferences"): (
        Guarded("input.libraryCodes.*", SIP2_ID, code="UNKNOWN_LIBRARIES"),
    ),
    # schema/portal/baskets.py: a refused id is one of the unknown records its refusal names.
    ("Mutation", "createBasket"): (Guarded("recordIds.*", SIP2_ID, Carrier.RESOLVER, "UNKNOWN_RECORDS"),),
    ("Mutation", "addToBasket"): (Guarded("recordIds.*", SIP2_ID, Carrier.RESOLVER, "UNKNOWN_RECORDS"),),
    ("Mutation", "saveSearch"): (
        Guarded("query", XML_TEXT, code="INVALID_SEARCH"),
        Guarded("scope.libraryCodes.*", SIP2_ID, code="UNKNOWN_LIBRARIES"),
    ),
    ("Mutation", "requestAccountShare"): (Guarded("cardNumber", SIP2_ID, code="INVALID_CARD_NUMBER"),),
    ("Query", "search"): (_top_level("query", XML_TEXT), _top_level("scope.libraryCodes.*", SIP2_ID)),
    ("Query", "patron"): (_top_level("id", SIP2_ID),),
    ("Query", "record"): (_top_level("id", SIP2_ID),),
    ("Query", "library"): (_top_level("code", SIP2_ID),),
}


def fields_carrying(carrier: Carrier) -> frozenset[tuple[str, str]]:
    """The root fields with at least one row of `carrier`."""
    return frozenset(key for key, rows in ILS_INPUTS.items() if any(r.carrier is carrier for r in rows))


_TOP_LEVEL = fields_carrying(Carrier.ERROR)


@dataclass(frozen=True, slots=True)
class Refusal:
    """One value refused: the argument path (list items by index), its row and why."""

    field: tuple[str, ...]
    guarded: Guarded
    problem: InputProblem

    @property
    def rule(self) -> Rule:
        return self.guarded.rule

    def message(self, language: str) -> str:
        """Why, naming the field, in `language`."""
        shown = ".".join(self.field)
        return translate(f"INPUT_{self.problem.value}", language, field=shown, maximum=self.rule.maximum)


def refusals_of(
    type_name: str, field_name: str, arguments: Mapping[str, Any], encodings: Encodings
) -> list[Refusal]:
    """Every value of one root field's arguments that its table entry refuses."""
    found: list[Refusal] = []
    for guarded in ILS_INPUTS.get((type_name, field_name), ()):
        for where, value in _values_at(arguments, tuple(guarded.path.split(".")), ()):
            problem = guarded.rule.check(value, encodings) if isinstance(value, str) else None
            if problem is not None:
                found.append(Refusal(where, guarded, problem))
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
    """The top-level BAD_USER_INPUT errors of one operation (empty: nothing to refuse here)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return []
    root = schema.get_root_type(operation.operation)
    if root is None:
        return []
    fields = list(_root_fields(operation.selection_set, _fragments(document), set()))
    if not any((root.name, node.name.value) in _TOP_LEVEL for node in fields):
        return []
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        return []  # graphql-core refuses the variables itself, with its own errors
    errors: list[GraphQLError] = []
    for node in fields:
        definition = root.fields.get(node.name.value)
        if definition is None or (root.name, node.name.value) not in _TOP_LEVEL:
            continue
        try:
            arguments = get_argument_values(definition, node, coerced)
        except GraphQLError:
            continue  # graphql-core refuses the argument itself
        for refusal in refusals_of(root.name, node.name.value, arguments, encodings):
            if refusal.guarded.carrier is Carrier.ERROR:
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
    message = refusal.message(language)
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
