"""SharedAccount, ShareRequest and their audit trail as GraphQL shows them, with their payloads.

Owns the types only; who may list them is decided by the fields that return them (Patron's,
through the access rule). Names across the share: the owner sees who asks or sees the account
(`requesterName`, `viewerName`) without any other access to that account, since consent needs
the name; the `Patron` fields of the other side stay under the access rule. A requester never
learns how (or whether) the account it asked for is reached: `delivery` reads IN_ACCOUNT to it.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from adapters.store import share_port
from adapters.store.port import PortalStore, Share, ShareScope
from schema.access import active_shares
from schema.circulation.types import load_patron
from schema.context import Info
from schema.fields import described
from schema.patrons.types import Patron
from schema.payload import UserError

strawberry.enum(
    ShareScope,
    name="ShareScope",
    description="What an accepted share lets its viewer do: see loans and holds, or also renew the loans.",
)
strawberry.enum(share_port.ShareRequestStatus, name="ShareRequestStatus")
strawberry.enum(share_port.ShareDelivery, name="ShareDelivery")
strawberry.enum(share_port.ShareEventKind, name="ShareEventKind", description="What happened to a share.")
strawberry.enum(
    share_port.ShareActor,
    name="ShareActor",
    description="Who made it happen: the patron who asked (the viewer), the account's owner, or the gateway.",
)


async def display_name(info: Info, patron_id: str) -> str:
    """The name of a party to a share (the other side is shown it; nothing else of the account)."""
    account = await info.context.loaders.accounts.load(patron_id)
    return "" if account is None else account.patron.display_name


@strawberry.type(description="One event of a share's history, oldest first.")
class ShareEvent:
    kind: share_port.ShareEventKind
    actor: share_port.ShareActor
    at: datetime
    scope: ShareScope | None = strawberry.field(description="The scope given (ACCEPTED, SCOPE_CHANGED).")
    expires_at: datetime | None = strawberry.field(description="The end given (ACCEPTED, SCOPE_CHANGED).")

    @classmethod
    def of(cls, event: share_port.ShareEvent) -> ShareEvent:
        return cls(
            kind=event.kind, actor=event.actor, at=event.at, scope=event.scope, expires_at=event.expires_at
        )


@strawberry.type
class SharedAccount:
    share: strawberry.Private[Share]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.share.id)

    @described("The account that is seen.")
    async def owner(self, info: Info) -> Patron:
        return await load_patron(info, self.share.owner_id)

    @described("The account that sees it.")
    async def viewer(self, info: Info) -> Patron:
        return await load_patron(info, self.share.viewer_id)

    @described("The name of the account that is seen.")
    async def owner_name(self, info: Info) -> str:
        return await display_name(info, self.share.owner_id)

    @described("The name of the account that sees it (what its owner is shown).")
    async def viewer_name(self, info: Info) -> str:
        return await display_name(info, self.share.viewer_id)

    @strawberry.field
    def since(self) -> datetime:
        return self.share.since

    @described("What the share allows; its owner chooses (updateAccountShare).")
    def scope(self) -> ShareScope:
        return self.share.scope

    @described("When the share ends by itself (then it is treated as revoked); null: until revoked.")
    def expires_at(self) -> datetime | None:
        return self.share.expires_at

    @described("Everything that happened to the share, from the request on, oldest first.")
    async def history(self, info: Info) -> list[ShareEvent]:
        (events,) = await info.context.store.share_events.of_shares([self.share])
        return [ShareEvent.of(event) for event in events]


@strawberry.type
class ShareRequest:
    request: strawberry.Private[share_port.ShareRequest]
    # Whether the one looking is the requester (then how the owner is reached is not shown).
    seen_by_requester: strawberry.Private[bool]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.request.id)

    @strawberry.field
    async def requester(self, info: Info) -> Patron:
        return await load_patron(info, self.request.requester_id)

    @described("The name of the patron who asks (what the account's owner is shown).")
    async def requester_name(self, info: Info) -> str:
        return await display_name(info, self.request.requester_id)

    @described("The card number that was asked for (the account to be shared).")
    def card_number(self) -> str:
        return self.request.card_number

    @strawberry.field
    def status(self, info: Info) -> share_port.ShareRequestStatus:
        return self.request.effective_status(info.context.now)

    @described(
        "How the account owner is asked: by e-mail link, or in the account itself. The requester\n"
        "always reads IN_ACCOUNT: the answer must not tell whether the card exists or has an e-mail."
    )
    def delivery(self) -> share_port.ShareDelivery:
        if self.seen_by_requester:
            return share_port.ShareDelivery.IN_ACCOUNT
        return self.request.delivery

    @strawberry.field
    def created_at(self) -> datetime:
        return self.request.created_at

    @strawberry.field
    def expires_at(self) -> datetime:
        return self.request.expires_at

    @described("Everything that happened to the request (and the share it became), oldest first.")
    async def history(self, info: Info) -> list[ShareEvent]:
        (events,) = await info.context.store.share_events.of_requests([self.request.id])
        return [ShareEvent.of(event) for event in events]


@strawberry.type(description="The answer to requestAccountShare: the request, or why it was refused.")
class ShareRequestPayload:
    request: ShareRequest | None
    errors: list[UserError]


@strawberry.type(description="The answer to accepting or changing a share: the share, or why not.")
class SharedAccountPayload:
    shared_account: SharedAccount | None
    errors: list[UserError]


async def shared_accounts_seen_by(info: Info, viewer_id: str) -> list[SharedAccount]:
    """The accepted shares in force that `viewer_id` sees (authorization is the caller's)."""
    shares = active_shares(await info.context.loaders.shares.seen_by(viewer_id), info.context.now)
    return [SharedAccount(share=share) for share in shares]


async def expire_shares(store: PortalStore, now: datetime) -> None:
    """Record what ended by itself: shares past their end (ended as if revoked, EXPIRED event) and
    unanswered requests past theirs. Access stops at the end anyway (schema/access.py); this is
    the trail. Run by the gateway every minute and before a side's lists and histories are read."""
    await store.shares.end_expired(now)
    await store.share_requests.expire_due(now)


async def shared_with(info: Info, owner_id: str) -> list[SharedAccount]:
    """The accepted shares in force of the account `owner_id` (authorization is the caller's)."""
    await expire_shares(info.context.store, info.context.now)
    shares = active_shares(await info.context.store.shares.of_owner(owner_id), info.context.now)
    return [SharedAccount(share=share) for share in shares]


async def requests_to(info: Info, owner_id: str, *, pending_only: bool) -> list[ShareRequest]:
    """Requests to see the account `owner_id`, newest first (authorization is the caller's)."""
    now = info.context.now
    await expire_shares(info.context.store, now)
    requests = await info.context.store.share_requests.of_owner(owner_id)
    if pending_only:
        requests = [r for r in requests if r.effective_status(now) is share_port.ShareRequestStatus.PENDING]
    return [ShareRequest(request=r, seen_by_requester=False) for r in requests]


async def requests_from(info: Info, requester_id: str) -> list[ShareRequest]:
    """Requests `requester_id` sent, newest first (authorization is the caller's)."""
    await expire_shares(info.context.store, info.context.now)
    requests = await info.context.store.share_requests.of_requester(requester_id)
    viewer = info.context.viewer
    as_requester = viewer is None or not viewer.is_staff
    return [ShareRequest(request=r, seen_by_requester=as_requester) for r in requests]
