"""A rendered mail as a MIME message: multipart/alternative, plain text first, then HTML.

Owns the headers. The Message-ID and Date come from the queued mail (its id and the time
it was queued), so every attempt to send one mail produces the same message and a
receiving server or reader can tell a repeat from a new mail.
"""

from __future__ import annotations

from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from adapters.mail.port import InvalidAddress
from adapters.mail.render import RenderedMail


def check_address(address: str) -> str:
    """`address` if a mail can be sent to it (one plain addr-spec), else InvalidAddress."""
    if not address or any(ch in address for ch in '\r\n\t <>,;"') or len(address) > 254:
        raise InvalidAddress("not a sendable address")
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError, HeaderParseError):
        raise InvalidAddress("not a sendable address") from None
    if not parsed.username or "." not in parsed.domain.strip("."):
        raise InvalidAddress("not a sendable address")
    return address


def message_id(mail_id: str, sender: str) -> str:
    """The stable Message-ID of a queued mail: its id at the sender's domain."""
    domain = sender.rpartition("@")[2].strip(">").strip() or "localhost"
    return f"<{mail_id}@{domain}>"


def build_message(
    rendered: RenderedMail, *, sender: str, to: str, mail_id: str, queued_at: datetime
) -> EmailMessage:
    """The message to send for one queued mail (the same bytes at every attempt)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(queued_at)
    message["Message-ID"] = message_id(mail_id, sender)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text, subtype="plain", charset="utf-8")
    message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    # After the parts: set_content drops every Content-* header set before it.
    message["Content-Language"] = rendered.language
    # Not random: the same bytes at every attempt.
    message.set_boundary(f"=_part_{mail_id}")
    return message
