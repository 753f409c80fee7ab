"""Which selections the parent object's own values already answer, so no loader is asked.

A loan carries its item's and its record's ids, a hold its record's id, its copy's id and
its pickup library's code, a patron its home library's code. When the selection below
such a field asks for nothing else, the field is built from those values (`Item.known`,
`Record.known`, `Library.known`) and costs no ILS round trip. Decided from the selection
only, once per list: never from data, never awaits. Directives (@skip, @include) are
ignored, so a skipped field still counts as asked: at worst a look-up nobody reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from strawberry.types.nodes import Selection

from schema.selection import descend, fields

# A field name -> the shape of what may be selected below it (None: a leaf).
Shape = Mapping[str, "Shape | None"]

RECORD_BY_ID: Shape = {"__typename": None, "id": None}
LIBRARY_BY_CODE: Shape = {"__typename": None, "code": None}
# A loan's or a hold's copy: its id and its record's id are on the loan or hold.
ITEM_BY_IDS: Shape = {"__typename": None, "id": None, "record": RECORD_BY_ID}


def within(selections: Iterable[Selection], shape: Shape) -> bool:
    """Whether every field selected (fragments opened, at every depth) is in `shape`."""
    for field in fields(selections):
        if field.name not in shape:
            return False
        below = shape[field.name]
        if field.selections and (below is None or not within(field.selections, below)):
            return False
    return True


@dataclass(frozen=True, slots=True)
class LoanKnown:
    """What a loan's selection can be answered with from the loan itself (False: load it)."""

    item: bool = False  # item { id record { id } }
    record: bool = False  # item { record { id } } on a loaded item
    library: bool = False  # item { library { code } } on a loaded item

    @classmethod
    def of(cls, loan: Iterable[Selection]) -> LoanKnown:
        """From the sub-selection of a field of type Loan (or a list of them)."""
        selection = list(loan)
        return cls(
            item=within(descend(selection, "item"), ITEM_BY_IDS),
            record=within(descend(selection, "item", "record"), RECORD_BY_ID),
            library=within(descend(selection, "item", "library"), LIBRARY_BY_CODE),
        )


@dataclass(frozen=True, slots=True)
class HoldKnown:
    """What a hold's selection can be answered with from the hold itself (False: load it)."""

    record: bool = False
    item: bool = False
    pickup_library: bool = False

    @classmethod
    def of(cls, hold: Iterable[Selection]) -> HoldKnown:
        """From the sub-selection of a field of type Hold (or a list of them)."""
        selection = list(hold)
        return cls(
            record=within(descend(selection, "record"), RECORD_BY_ID),
            item=within(descend(selection, "item"), ITEM_BY_IDS),
            pickup_library=within(descend(selection, "pickupLibrary"), LIBRARY_BY_CODE),
        )
