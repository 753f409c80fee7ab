"""`Basket.export(format)`: a link to the file of one basket's records, for its owner (or staff).

A basket is portal data: the viewer must be allowed to read its owner's portal data
(`Capability.VIEW_PERSONAL`, schema/access.py: the owner or staff; the viewer of a shared
account is FORBIDDEN). The token binds the viewer, the basket with its owner, the format
and the expiry; the route checks the same rule again and reads the basket as it is then.
"""

from __future__ import annotations

from typing import Protocol

from adapters.store import port
from schema.context import Info
from schema.downloads import formats
from schema.downloads.grants import BasketFile
from schema.downloads.issue import issue_download
from schema.downloads.types import Download, ExportFormat, domain
from schema.patrons.permissions import Capability, require_access


class ExportedBasket(Protocol):
    """A basket that knows its stored value (schema/portal/baskets.py `Basket`)."""

    @property
    def basket(self) -> port.Basket: ...


async def export_basket(root: ExportedBasket, info: Info, format: ExportFormat) -> Download:
    """The basket's download link."""
    basket = root.basket
    await require_access(info, basket.patron_id, Capability.VIEW_PERSONAL)
    subject = BasketFile(
        basket_id=basket.id, owner_id=basket.patron_id, format=domain(formats.ExportFormat, format)
    )
    return issue_download(info, subject, basket_name=basket.name)
