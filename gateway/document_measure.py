"""How big a GraphQL document is, measured in one pass linear in its text: depth, aliases, logins, cost.

Owns the measure and the cost model. Each fragment is measured once (memoized) and its
measure reused at every spread: a chain of fragments each spreading the next twice is
measured in time linear in its length, although it expands to 2^n fields. Numbers saturate
at `SATURATED`, so no arithmetic grows with the expansion either.

The cost of a document is the number of field resolutions it may cause: every field costs 1
for each time its parent is resolved, and a field returning a list multiplies what is below
it by the list's expected size: its `first` (or `last`, `limit`) argument when given as a
literal, the argument's maximum when given as a variable, its default otherwise; a list
without such an argument counts `list_size` (the `edges` of a connection count 1: the
connection's `first` already multiplied them). Introspection subtrees (`__schema`,
`__type`) cost 1: they are bounded by the schema and open to staff only in production.

Also measured, because graphql-core's own validation is quadratic in them: the number of
fragment definitions and the most times one response name is repeated in one selection set.
Pure: no Strawberry, no I/O, never looks at variable values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

SATURATED = 10**12
LOGIN_FIELD = "login"
PAGE_ARGUMENTS = ("first", "last", "limit")
CONNECTION_LISTS = frozenset({"edges", "nodes"})
INTROSPECTION = frozenset({"__schema", "__type"})
REPRESENTATIONS = "representations"


def _add(a: int, b: int) -> int:
    return min(a + b, SATURATED)


def _times(a: int, b: int) -> int:
    return min(a * b, SATURATED)


@dataclass(frozen=True, slots=True)
class Measure:
    """Of a selection set: nesting of fields below it, aliases, root logins, cost, worst repeat."""

    depth: int = 0
    aliases: int = 0
    logins: int = 0
    cost: int = 0
    repeats: int = 0

    def plus(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth),
            _add(self.aliases, other.aliases),
            _add(self.logins, other.logins),
            _add(self.cost, other.cost),
            max(self.repeats, other.repeats),
        )


@dataclass(frozen=True, slots=True)
class CostModel:
    """The expected sizes of lists: `list_size` by default, `max_page` for a page size given as a variable."""

    list_size: int = 10
    max_page: int = 100


@dataclass(frozen=True, slots=True)
class DocumentMeasure:
    """The whole document: depth of the deepest operation (root fields are depth 0), totals, worst repeat."""

    depth: int
    aliases: int
    logins: int
    cost: int
    repeats: int
    fragments: int


_NOTHING = Measure()


def measure_document(schema: GraphQLSchema, document: DocumentNode, model: CostModel) -> DocumentMeasure:
    """The document's measure; unknown fields, types and fragments count as leaves (validation refuses)."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments, model)
    depth = aliases = logins = cost = repeats = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = schema.get_root_type(definition.operation)
        measure = walker.selection_set(definition.selection_set, root)
        depth = max(depth, measure.depth - 1)
        aliases = _add(aliases, measure.aliases)
        cost = _add(cost, measure.cost)
        repeats = max(repeats, measure.repeats)
        if definition.operation is OperationType.MUTATION:
            logins = _add(logins, measure.logins)
    return DocumentMeasure(depth, aliases, logins, cost, repeats, len(fragments))


class _Walker:
    def __init__(
        self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode], model: CostModel
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._model = model
        self._mutation = schema.mutation_type
        self._measured: dict[str, Measure] = {}
        self._measuring: set[str] = set()

    def selection_set(
        self, node: SelectionSetNode, parent: GraphQLNamedType | None, *, inline: bool = False
    ) -> Measure:
        # An inline fragment's fields were counted with its parent's (they merge with them).
        total = _NOTHING if inline else Measure(repeats=_worst_repeat(node))
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total = total.plus(self._field(selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._schema.get_type(condition.name.value) if condition else parent
                total = total.plus(self.selection_set(selection.selection_set, inner, inline=True))
            elif isinstance(selection, FragmentSpreadNode):
                total = total.plus(self._fragment(selection.name.value))
        return total

    def _fragment(self, name: str) -> Measure:
        known = self._measured.get(name)
        if known is not None:
            return known
        definition = self._fragments.get(name)
        # Unknown, or a cycle (both refused by graphql-core's rules): nothing more to count.
        if definition is None or name in self._measuring:
            return _NOTHING
        self._measuring.add(name)
        measure = self.selection_set(
            definition.selection_set, self._schema.get_type(definition.type_condition.name.value)
        )
        self._measuring.discard(name)
        self._measured[name] = measure
        return measure

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        name = node.name.value
        aliases = 1 if node.alias is not None else 0
        logins = 1 if name == LOGIN_FIELD and parent is not None and parent is self._mutation else 0
        definition = _field_definition(parent, name)
        if definition is None or name in INTROSPECTION or node.selection_set is None:
            return Measure(depth=1, aliases=aliases, logins=logins, cost=1)
        below = self.selection_set(node.selection_set, get_named_type(definition.type))
        weight = self._weight(node, definition, parent)
        return Measure(
            depth=below.depth + 1,
            aliases=_add(aliases, below.aliases),
            logins=_add(logins, below.logins),
            cost=_add(1, _times(weight, below.cost)),
            repeats=below.repeats,
        )

    def _weight(self, node: FieldNode, definition: GraphQLField, parent: GraphQLNamedType | None) -> int:
        """How many times the field's selection set may be resolved for one resolution of the field."""
        page = self._page_size(node, definition)
        if page is not None:
            return page
        if not _is_list(definition.type):
            return 1
        if parent is not None and parent.name.endswith("Connection") and node.name.value in CONNECTION_LISTS:
            return 1
        return self._model.list_size

    def _page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        for name in PAGE_ARGUMENTS:
            if name not in definition.args:
                continue
            value = given.get(name)
            if isinstance(value, IntValueNode):
                return max(0, min(int(value.value), SATURATED))
            if isinstance(value, VariableNode):
                return self._model.max_page
            default = definition.args[name].default_value
            return default if isinstance(default, int) and default >= 0 else self._model.list_size
        # `_entities(representations: [...])`: one resolution per representation.
        representations = given.get(REPRESENTATIONS)
        if isinstance(representations, ListValueNode):
            return len(representations.values)
        if isinstance(representations, VariableNode):
            return self._model.max_page
        return None


def _field_definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _is_list(output: GraphQLOutputType) -> bool:
    inner = output.of_type if isinstance(output, GraphQLNonNull) else output
    return isinstance(inner, GraphQLList)


def _response_names(node: SelectionSetNode) -> Iterator[str]:
    """Response names of a selection set's fields, inline fragments flattened (graphql-core merges them)."""
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            yield (selection.alias or selection.name).value
        elif isinstance(selection, InlineFragmentNode):
            yield from _response_names(selection.selection_set)


def _worst_repeat(node: SelectionSetNode) -> int:
    counts = Counter(_response_names(node))
    return max(counts.values(), default=0)
