"""`Basket` as GraphQL shows it, its payload, and what basket mutations share.

Owns the type (a stored `adapters.store.port.Basket` kept as `basket`, which its export
(schema/downloads/basket_export.py) binds), the check that record ids name records the ILS knows
(one titles batch), and the payload of a store answer. Records come through the titles
loader; `Patron.baskets` asks for every basket's records at once (one batch per request).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import strawberry

from adapters.store import port
from schema.catalogue.types import Record
from schema.context import Info
from schema.downloads.basket_export import export_basket
from schema.downloads.types import Download
from schema.fields import described
from schema.input_guard import SIP2_ID
from schema.inputs import is_plausible_id
from schema.payload import UserError, user_error
from schema.portal.rules import MAX_BASKET_RECORDS, MAX_BASKETS, basket_refusal

# An error names at most this many unknown ids (the rest are summed up as "…").
_NAMED_IDS = 20
# The input field at fault and the limit each refusal of the store is about.
_FIELDS = {
    "BASKET_NOT_FOUND": ["basketId"],
    "BASKET_NAME_TAKEN": ["name"],
    "TOO_MANY_BASKET_RECORDS": ["recordIds"],
}
_MAXIMA = {"TOO_MANY_BASKETS": MAX_BASKETS, "TOO_MANY_BASKET_RECORDS": MAX_BASKET_RECORDS}


@strawberry.type(description="A patron's named list of catalogue records, in the order they were added.")
class Basket:
    basket: strawberry.Private[port.Basket]
    id: strawberry.ID
    name: str
    record_count: int = strawberry.field(description="How many records the basket holds.")
    created_at: datetime
    updated_at: datetime
    export: Download = strawberry.field(
        resolver=export_basket, description="A download of the basket's records, in its order."
    )

    @classmethod
    def of(cls, basket: port.Basket) -> Basket:
        return cls(
            basket=basket,
            id=strawberry.ID(basket.id),
            name=basket.name,
            record_count=len(basket.record_ids),
            created_at=basket.created_at,
            updated_at=basket.updated_at,
        )

    @described("The records, in the order they were added (one the ILS no longer has is left out).")
    async def records(self, info: Info) -> list[Record]:
        titles = await info.context.loaders.titles.load_many(self.basket.record_ids)
        return [Record.of(title) for title in titles if title is not None]


@strawberry.type
class BasketPayload:
    basket: Basket | None
    errors: list[UserError]


def refused(info: Info, code: str, field: Sequence[str] | None = None, **params: object) -> BasketPayload:
    """A payload with one UserError and no basket (nothing was changed)."""
    return BasketPayload(basket=None, errors=[user_error(code, info.context.language, field, **params)])


def answer(
    info: Info, patron_id: str, result: port.Basket | port.PortalRefusal, name: str = ""
) -> BasketPayload:
    """The payload of the store's answer; the patron's baskets are read again by later fields."""
    if isinstance(result, port.PortalRefusal):
        code = basket_refusal(result)
        return refused(info, code, _FIELDS.get(code), name=name, maximum=_MAXIMA.get(code))
    info.context.loaders.baskets.clear(patron_id)
    return BasketPayload(basket=Basket.of(result), errors=[])


async def record_problem(info: Info, record_ids: Sequence[str]) -> BasketPayload | None:
    """A refusal when the ids are too many or name records the ILS does not know; None when all is well.

    An id the ILS cannot be sent (schema/input_guard.py's SIP2_ID rule, the row of createBasket
    and addToBasket) is unknown without asking: no record can have it.
    """
    wanted = list(dict.fromkeys(str(record_id) for record_id in record_ids))
    if len(wanted) > MAX_BASKET_RECORDS:
        return refused(info, "TOO_MANY_BASKET_RECORDS", ["recordIds"], maximum=MAX_BASKET_RECORDS)
    encodings = info.context.ils_encodings
    sendable = [record_id for record_id in wanted if SIP2_ID.check(record_id, encodings) is None]
    found = dict(zip(sendable, await info.context.loaders.titles.load_many(sendable), strict=True))
    unknown = [record_id for record_id in wanted if found.get(record_id) is None]
    if not unknown:
        return None
    named = ", ".join(_shown(record_id) for record_id in unknown[:_NAMED_IDS])
    if len(unknown) > _NAMED_IDS:
        named += ", …"
    return refused(info, "UNKNOWN_RECORDS", ["recordIds"], ids=named)


def _shown(record_id: str) -> str:
    """An id as an error names it: as given, or quoted when it holds characters no id has."""
    return record_id if is_plausible_id(record_id) else repr(record_id)
