"""Producing the file a verified grant names: who may still have it, its data, its bytes and name.

Owns the download side once the token is verified: `still_allowed` re-checks access with
THE rule (schema/access.py `account_access`, with the viewer's shares as the store has them
now: a share ended since the link was issued refuses it), and `produce` reads the data
(schema/downloads/assemble.py) and renders it (schema/downloads/render/). The gateway's
route calls both, in that order. Never trusts anything in the grant but what it binds.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

from adapters.ils.port import IlsPort
from adapters.store.port import PortalStore
from schema.access import Capability, account_access, needs_shares
from schema.downloads import assemble
from schema.downloads.documents import DocumentInfo
from schema.downloads.filenames import filename
from schema.downloads.formats import content_type
from schema.downloads.grants import DownloadGrant, SearchPage, SummaryFile
from schema.downloads.render.files import render_records, render_summary
from schema.downloads.service import DownloadService
from schema.loaders import Loaders


@dataclass(frozen=True, slots=True)
class DownloadFile:
    filename: str
    content_type: str
    body: bytes


class DownloadGone(Exception):
    """What the grant names no longer exists (a deleted basket)."""


def _accounts_and_capability(grant: DownloadGrant) -> tuple[tuple[str, ...], Capability]:
    subject = grant.subject
    if isinstance(subject, SearchPage):
        # The catalogue is public: a page of results involves no account.
        return (), Capability.VIEW_CIRCULATION
    if isinstance(subject, SummaryFile):
        return subject.account_ids, Capability.VIEW_CIRCULATION
    # A basket is portal data: its owner's (or staff's) only.
    return (subject.owner_id,), Capability.VIEW_PERSONAL


async def still_allowed(grant: DownloadGrant, store: PortalStore, now: datetime) -> bool:
    """Whether the grant's viewer may still have every account the file shows, by the access rule."""
    accounts, capability = _accounts_and_capability(grant)
    viewer = grant.viewer
    shares = []
    if viewer is not None and viewer.patron_id is not None and any(needs_shares(viewer, a) for a in accounts):
        shares = await store.shares.seen_by(viewer.patron_id)
    return all(account_access(viewer, account, shares, now).allows(capability) for account in accounts)


async def produce(
    grant: DownloadGrant, *, ils: IlsPort, loaders: Loaders, downloads: DownloadService, today: date
) -> DownloadFile:
    """The file of an allowed grant (call `still_allowed` first)."""

    def info(patron_name: str | None) -> DocumentInfo:
        return DocumentInfo(downloads.network_name, patron_name, today, grant.language)

    subject = grant.subject
    if isinstance(subject, SearchPage):
        name = await assemble.viewer_name(ils, grant)
        records = await assemble.search_page(ils, subject, info(name), downloads.record_url)
        body = await asyncio.to_thread(render_records, records, subject.format)
        basket_name = None
    elif isinstance(subject, SummaryFile):
        summary = await assemble.account_summary(loaders, subject, grant.viewer_id, info, today)
        body = await asyncio.to_thread(render_summary, summary, subject.format)
        basket_name = None
    else:
        found, name = await asyncio.gather(
            assemble.basket(loaders, subject), assemble.patron_name(ils, subject.owner_id)
        )
        if found is None:
            raise DownloadGone()
        stored, titles = found
        records = assemble.record_list(info(name), stored.name, titles, downloads.record_url, is_basket=True)
        body = await asyncio.to_thread(render_records, records, subject.format)
        basket_name = stored.name
    return DownloadFile(
        filename=filename(subject, grant.issued_on, grant.language, basket_name),
        content_type=content_type(subject.format),
        body=body,
    )
