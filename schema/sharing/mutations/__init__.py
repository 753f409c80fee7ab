"""The shared-accounts mutations, one module each: request, accept (in the account or by token),
decline, revoke, and the owner's change of scope and end."""

from __future__ import annotations

import strawberry

from schema.payload import DeletePayload
from schema.sharing.mutations.accept_account_share import accept_account_share
from schema.sharing.mutations.accept_account_share_by_token import accept_account_share_by_token
from schema.sharing.mutations.decline_account_share import decline_account_share
from schema.sharing.mutations.request_account_share import request_account_share
from schema.sharing.mutations.revoke_account_share import revoke_account_share
from schema.sharing.mutations.update_account_share import update_account_share
from schema.sharing.types import SharedAccountPayload, ShareRequestPayload


@strawberry.type
class SharingMutation:
    request_account_share: ShareRequestPayload = strawberry.mutation(
        resolver=request_account_share,
        description=(
            "Ask to see another patron's account, by that patron's card number. If that\n"
            "account has a valid e-mail, a message with an accept link is sent to it;\n"
            "otherwise the request waits among that account's incoming requests.\n"
            "The answer is the same whether the card exists or not. Refused: one's own card\n"
            "(SHARE_WITH_SELF), an account already shared (SHARE_EXISTS) or already asked for\n"
            "(SHARE_REQUEST_PENDING), more than 10 pending requests (TOO_MANY_PENDING_SHARE_REQUESTS)\n"
            "or 20 in 24 hours (TOO_MANY_SHARE_REQUESTS_TODAY). A request lives 14 days\n"
            "(GATEWAY_SHARE_REQUEST_TTL)."
        ),
    )
    accept_account_share: SharedAccountPayload = strawberry.mutation(
        resolver=accept_account_share,
        description=(
            "Accept an incoming share request, signed in as the account to be shared. `scope`:\n"
            "what the requester may do (default VIEW_AND_RENEW); `endsOn`: the day the share\n"
            "stops working (optional, after today)."
        ),
    )
    accept_account_share_by_token: SharedAccountPayload = strawberry.mutation(
        resolver=accept_account_share_by_token,
        description=(
            "Accept with the single-use token from the e-mailed link (no session needed). Refused\n"
            "when used, expired or not genuine (SHARE_TOKEN_INVALID, SHARE_REQUEST_ANSWERED,\n"
            "SHARE_REQUEST_EXPIRED), or when signed in as another patron (SHARE_TOKEN_OTHER_ACCOUNT)."
        ),
    )
    decline_account_share: DeletePayload = strawberry.mutation(
        resolver=decline_account_share,
        description="Decline an incoming share request, signed in as the account to be shared.",
    )
    revoke_account_share: DeletePayload = strawberry.mutation(
        resolver=revoke_account_share,
        description=(
            "End a share, from either side. The viewer's very next request no longer sees the\n"
            "account, whatever sessions are open, and download links made before stop working."
        ),
    )
    update_account_share: SharedAccountPayload = strawberry.mutation(
        resolver=update_account_share,
        description=(
            "The owner changes what a share allows (`scope`) and the day it ends (`endsOn`; null\n"
            "removes the end). An absent argument keeps what the share has."
        ),
    )
