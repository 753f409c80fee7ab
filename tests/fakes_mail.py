"""FakeMailQueue: the MailQueue port in memory, for schema tests that queue mail (no store, no SMTP)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from adapters.mail.message import check_address
from adapters.mail.port import MailQueue, MailState, MailStatus, OutgoingMail
from adapters.mail.render import MailRenderer, mail_language

_QUEUED_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class FakeMailQueue(MailQueue):
    """Keeps one mail per key, checks addresses and renders templates like the real queue."""

    mails: dict[str, OutgoingMail] = field(default_factory=dict)
    states: dict[str, MailStatus] = field(default_factory=dict)
    renderer: MailRenderer = field(default_factory=MailRenderer)

    async def enqueue(self, mail: OutgoingMail) -> MailStatus:
        check_address(mail.to)
        self.renderer.render(mail.template, mail_language(mail.language), mail.context)
        if mail.key not in self.states:
            self.mails[mail.key] = mail
            self.states[mail.key] = MailStatus(
                mail.key,
                f"m{len(self.states)}",
                mail.template,
                MailState.QUEUED,
                0,
                None,
                _QUEUED_AT,
                _QUEUED_AT,
                None,
            )
        return self.states[mail.key]

    async def status(self, keys: Sequence[str]) -> dict[str, MailStatus]:
        return {key: self.states[key] for key in keys if key in self.states}

    def to(self, address: str) -> list[OutgoingMail]:
        """The mails queued for `address`, in order."""
        return [mail for mail in self.mails.values() if mail.to == address]
