"""`Patron.accountSummary(format, content, accountIds)`: a link to one file, one section per account.

Owns which accounts a summary may cover: the account it is asked on and the accounts
shared with it (accepted, unexpired shares it is the viewer of), each of which the viewer
must be allowed to see (VIEW_CIRCULATION, schema/access.py). Anything else is FORBIDDEN
and no link is issued. The route checks the same rule again when the file is fetched.
"""

from __future__ import annotations

import strawberry

from schema.access import active_shares
from schema.context import Info
from schema.downloads import formats
from schema.downloads.grants import SummaryFile
from schema.downloads.issue import issue_download
from schema.downloads.types import Download, SummaryContent, SummaryFormat, domain
from schema.errors import BadUserInput, Forbidden
from schema.patrons.permissions import Capability, may_access, require_access

# A family's accounts fit many times over; bounds the work one link can ask of the ILS.
MAX_SUMMARY_ACCOUNTS = 20


async def summary_accounts(info: Info, patron_id: str) -> set[str]:
    """The accounts a summary asked on `patron_id` may name: itself and the accounts shared with it.

    Its shares are read only when the viewer may see them (the patron themself, or staff).
    """
    accounts = {patron_id}
    if await may_access(info, patron_id, Capability.VIEW_PERSONAL):
        shares = await info.context.loaders.shares.seen_by(patron_id)
        accounts |= {share.owner_id for share in active_shares(shares, info.context.now)}
    return accounts


async def summary_download(
    info: Info,
    patron_id: str,
    format: SummaryFormat,
    content: SummaryContent | None,
    account_ids: list[strawberry.ID] | None,
) -> Download:
    """The link to the summary of `account_ids` (default: this account alone)."""
    await require_access(info, patron_id, Capability.VIEW_CIRCULATION)
    # Repeats change nothing; the order given is the order of the sections.
    wanted = list(dict.fromkeys(str(account) for account in account_ids or ())) or [patron_id]
    if len(wanted) > MAX_SUMMARY_ACCOUNTS:
        raise BadUserInput("TOO_MANY_ACCOUNTS", limit=MAX_SUMMARY_ACCOUNTS)
    allowed = await summary_accounts(info, patron_id)
    if any(account not in allowed for account in wanted):
        raise Forbidden()
    for account in wanted:
        await require_access(info, account, Capability.VIEW_CIRCULATION)
    subject = SummaryFile(
        account_ids=tuple(wanted),
        content=domain(formats.SummaryContent, content or SummaryContent.LOANS_AND_HOLDS),
        format=domain(formats.SummaryFormat, format),
    )
    return issue_download(info, subject)
