"""requestAccountShare: ask to see another account by its card number, the same way whether it exists or not.

Every card goes down one path: normalized like sign-in; the ILS asked once; a request recorded
with a fresh accept token (counted against the requester's limits under its write lock); the
same payload. What differs is invisible to the requester: an account the ILS knows gets the
request among its incoming requests, and by e-mail (a mail queued with the accept link) when
it has a valid address; an unknown card's request reaches nobody and expires.
"""

from __future__ import annotations

import uuid

from adapters.ils.models import AccountParts, Patron
from adapters.store.share_port import ShareDelivery, ShareRequest, ShareRequestStatus
from schema.context import Info
from schema.patrons.validation import is_valid_email
from schema.sharing.answers import acting_patron, refused, sharing
from schema.sharing.mail import mail_context, queue_request_mail
from schema.sharing.rules import day_window_start, normalize_card, request_refusal, self_refusal
from schema.sharing.types import ShareRequest as ShareRequestType
from schema.sharing.types import ShareRequestPayload

_NO_PARTS = AccountParts(loans=False, holds=False, fees=False)


async def request_account_share(info: Info, card_number: str) -> ShareRequestPayload:
    """Record the request (and mail the owner when possible); refusals by the rules as UserErrors."""
    requester_id = await acting_patron(info)
    service = sharing(info)
    card = normalize_card(card_number)
    refusal = self_refusal(requester_id, card)
    if refusal is not None or card is None:
        return ShareRequestPayload(request=None, errors=[refused(info, str(refusal), "cardNumber")])
    # The requester and the card in one ILS call, whatever the card: one path, one timing.
    requester, owner = await _patrons(info, requester_id, card)
    mailable = owner is not None and service.mailer is not None and _has_address(owner)
    now = info.context.now
    request = ShareRequest(
        id=uuid.uuid4().hex,
        requester_id=requester_id,
        card_number=card,
        owner_id=None if owner is None else owner.id,
        delivery=ShareDelivery.EMAIL if mailable else ShareDelivery.IN_ACCOUNT,
        status=ShareRequestStatus.PENDING,
        created_at=now,
        expires_at=now + service.request_ttl,
    )
    issued = service.tokens.issue(request.id)
    made = await info.context.store.share_requests.create(
        request, issued.nonce_hash, request_refusal, day_start=day_window_start(now)
    )
    if isinstance(made, str):
        return ShareRequestPayload(request=None, errors=[refused(info, made, "cardNumber")])
    if mailable and owner is not None and owner.email is not None and service.mailer is not None:
        context = mail_context(
            made,
            owner_first_name=owner.first_name,
            requester_name="" if requester is None else requester.display_name,
            link=service.accept_link(issued.token),
            network_name=service.network_name,
        )
        await queue_request_mail(service.mailer, info.context.store, made, owner.email, context)
    return ShareRequestPayload(request=ShareRequestType(request=made, seen_by_requester=True), errors=[])


async def _patrons(info: Info, requester_id: str, card: str) -> tuple[Patron | None, Patron | None]:
    requester, owner = await info.context.ils.get_accounts([requester_id, card], _NO_PARTS)
    return (
        None if requester is None else requester.patron,
        None if owner is None else owner.patron,
    )


def _has_address(patron: Patron) -> bool:
    return patron.email is not None and is_valid_email(patron.email)
