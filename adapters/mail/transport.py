"""Where a built message goes: an SMTP server (aiosmtplib) or, without one, an outbox folder of .eml files.

Owns the sending of one message and the naming of its failures. A failure is a
`DeliveryError` with a short `kind` ("connect", "timeout", "tls", "auth", "smtp 451",
"recipient-refused 550", "outbox-io"...) and whether it is `permanent`; the kind never holds
the address, the server's text (servers echo addresses) or the credentials.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Protocol

import aiosmtplib

from adapters.mail.smtp_url import SmtpEndpoint


class DeliveryError(Exception):
    """A message not handed over.

    `permanent`: sending it again cannot succeed. `about_message`: the server refused this
    message (its recipient or content); otherwise the server itself is unreachable or
    misconfigured, and the next message would fail the same way.
    """

    def __init__(self, kind: str, *, permanent: bool = False, about_message: bool = False) -> None:
        super().__init__(kind)
        self.kind = kind
        self.permanent = permanent
        self.about_message = about_message


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand the message over (DeliveryError if it was not)."""
        ...

    def describe(self) -> str:
        """Where mail goes, for the start-up banner (no credentials)."""
        ...


class SmtpTransport:
    """One SMTP connection per message (mail is rare: no pool to keep alive)."""

    def __init__(self, endpoint: SmtpEndpoint, *, tls_context: ssl.SSLContext | None = None) -> None:
        self._endpoint = endpoint
        # None: the system's trusted authorities, hostname checked.
        self._tls_context = tls_context

    def describe(self) -> str:
        return self._endpoint.describe()

    async def send(self, message: EmailMessage) -> None:
        endpoint = self._endpoint
        start_tls = {"required": True, "never": False, "opportunistic": None, "implicit": False}
        try:
            await aiosmtplib.send(
                message,
                hostname=endpoint.host,
                port=endpoint.port,
                username=endpoint.username,
                password=endpoint.password,
                use_tls=endpoint.tls == "implicit",
                start_tls=start_tls[endpoint.tls],
                tls_context=self._tls_context,
                timeout=endpoint.timeout,
            )
        except aiosmtplib.SMTPException as error:
            raise _smtp_failure(error) from None
        except ssl.SSLError:
            raise DeliveryError("tls") from None
        except TimeoutError:
            raise DeliveryError("timeout") from None
        except OSError:
            raise DeliveryError("connect") from None


def _smtp_failure(error: aiosmtplib.SMTPException) -> DeliveryError:
    if isinstance(error.__cause__, ssl.SSLError):
        # Certificate not trusted, wrong host name, no common protocol.
        return DeliveryError("tls")
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients]
        permanent = all(code >= 500 for code in codes)
        return DeliveryError(f"recipient-refused {min(codes)}", permanent=permanent, about_message=True)
    if isinstance(error, aiosmtplib.SMTPRecipientRefused):
        return DeliveryError(
            f"recipient-refused {error.code}", permanent=error.code >= 500, about_message=True
        )
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        # Our credentials, not the mail: retried until an administrator fixes them.
        return DeliveryError(f"auth {error.code}")
    if isinstance(error, aiosmtplib.SMTPDataError):
        # The content refused (5xx): the same bytes would be refused again.
        return DeliveryError(f"data-refused {error.code}", permanent=error.code >= 500, about_message=True)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return DeliveryError(f"smtp {error.code}")
    if isinstance(error, aiosmtplib.SMTPTimeoutError):
        return DeliveryError("timeout")
    if isinstance(error, aiosmtplib.SMTPNotSupported):
        # e.g. STARTTLS required but not offered, or AUTH not offered: configuration.
        return DeliveryError("not-supported")
    if isinstance(error, ConnectionError):
        return DeliveryError("connect")
    if "STARTTLS" in str(error):
        # aiosmtplib's own words (no server text): STARTTLS required but not offered.
        return DeliveryError("starttls-not-offered")
    return DeliveryError("smtp")


class OutboxTransport:
    """Writes each message to `<folder>/<Message-ID>.eml` (development and demo, no SMTP server).

    Written to a temporary name then renamed: a reader never sees half a file, and a mail
    written twice (a crash before it was marked sent) stays one file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f"outbox folder {self.folder.resolve()}"

    async def send(self, message: EmailMessage) -> None:
        name = str(message["Message-ID"]).strip("<>").replace("/", "_").replace("@", "_at_")
        try:
            await asyncio.to_thread(self._write, name, message.as_bytes(policy=SMTP))
        except OSError:
            raise DeliveryError("outbox-io") from None

    def _write(self, name: str, data: bytes) -> None:
        target = self.folder / f"{name}.eml"
        temporary = self.folder / f".{name}.eml.tmp"
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, target)


def transport_for(
    endpoint: SmtpEndpoint | None, outbox: Path, *, tls_context: ssl.SSLContext | None = None
) -> Transport:
    """SMTP when an endpoint is configured, else the outbox folder."""
    if endpoint is None:
        return OutboxTransport(outbox)
    return SmtpTransport(endpoint, tls_context=tls_context)
