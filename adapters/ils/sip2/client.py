"""The SIP2 half of the ILS port: domain verbs over the pooled SIP2 connections.

Owns the retry policy. Reads (authenticate, patron summary, item information, end session,
health) may be retried once on a fresh connection. Writes (renew, renew all, place and cancel
hold, check-in, check-out) are never retried blindly: when the request may have reached the
ACS and its answer was lost (timeout, EOF, broken stream), they raise `OutcomeUnknown` so the
caller re-reads state (the schema layer reconciles by reading the account again); when it
failed before sending, or the ACS refused the frame and its resend (two 96), `IlsUnavailable`:
nothing was applied.

Field mapping lives in `mapping.py`; this module must never build SIP2 fields itself, and
never log patron data or passwords (only operation names and failure reasons).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from adapters.errors import IlsError, OutcomeUnknown
from adapters.ils import models as d
from adapters.ils.breaker import CircuitBreaker
from adapters.ils.budget import check_before_write, within_budget
from adapters.ils.sip2 import mapping
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.connection import ExchangeFailed
from adapters.ils.sip2.pool import Sip2Pool

logger = logging.getLogger(__name__)
Response = TypeVar("Response", bound=m.Message)


class Sip2Client:
    """Authentication and circulation over SIP2, returning `adapters.ils.models` values."""

    def __init__(
        self,
        pool: Sip2Pool,
        *,
        clock: Callable[[], datetime] = datetime.now,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._pool = pool
        # Every exchange (reads, writes, health) passes it: open, they fail fast, nothing sent.
        self.breaker = breaker
        self._clock = clock
        self._institution = pool.config.institution
        # AC travels only when configured (optional in most requests; Symphony and Alma want it).
        self._terminal = pool.config.terminal_password or None
        self._hold_by = pool.config.hold_identifier

    def _now(self) -> datetime:
        return self._clock().replace(microsecond=0)

    # ---- reads

    async def authenticate(self, card_number: str, password: str) -> d.Authentication:
        """63/64 with AD: is the card known (BL) and the password right (CQ)?"""
        request = mapping.authenticate_request(
            self._institution, card_number, password, self._now(), terminal_password=self._terminal
        )
        response = await self._read("authenticate", request, m.PatronInformationResponse)
        return mapping.authentication(card_number, response)

    async def patron_summary(
        self, patron_id: str, *, list_name: str | None = None, start: int = 1, end: int = 10
    ) -> d.PatronSummary:
        """63/64 without password: counts, and one detailed list (BP/BQ range, 1-based inclusive)."""
        request = mapping.summary_request(
            self._institution, patron_id, list_name, start, end, self._now(), terminal_password=self._terminal
        )
        response = await self._read("patron_summary", request, m.PatronInformationResponse)
        return mapping.patron_summary(patron_id, response)

    async def item_information(self, item_id: str) -> d.ItemInformation:
        """17/18; IlsNotFound when the ACS does not know the item."""
        request = mapping.item_request(
            self._institution, item_id, self._now(), terminal_password=self._terminal
        )
        response = await self._read("item_information", request, m.ItemInformationResponse)
        return mapping.item_information(item_id, response)

    async def end_session(self, patron_id: str) -> bool:
        """35/36: True when the ACS ended the session."""
        request = mapping.end_session_request(
            self._institution, patron_id, self._now(), terminal_password=self._terminal
        )
        response = await self._read("end_session", request, m.EndSessionResponse)
        return response.end_session

    async def health(self) -> d.DependencyHealth:
        """99/98 on a pooled connection; never raises."""
        try:
            status = await self._read("health", m.SCStatus(), m.ACSStatus)
        except IlsError as exc:
            return self._health(False, getattr(exc, "reason", type(exc).__name__))
        if not status.online_status:
            return self._health(False, "ACS off line")
        return self._health(True, "")

    def _health(self, ok: bool, detail: str) -> d.DependencyHealth:
        state = self.breaker.state.value if self.breaker is not None else None
        return d.DependencyHealth("sip2", ok, detail, breaker=state)

    # ---- writes

    async def renew(self, patron_id: str, item_id: str) -> d.RenewalOutcome:
        """29/30 by item barcode."""
        request = mapping.renew_request(
            self._institution, patron_id, item_id, self._now(), terminal_password=self._terminal
        )
        return mapping.renewal(item_id, await self._write("renew", request, m.RenewResponse))

    async def renew_all(self, patron_id: str) -> d.RenewAllOutcome:
        """65/66."""
        request = mapping.renew_all_request(
            self._institution, patron_id, self._now(), terminal_password=self._terminal
        )
        return mapping.renew_all(await self._write("renew_all", request, m.RenewAllResponse))

    async def place_hold(
        self, patron_id: str, title_id: str, pickup_library_code: str, *, item_id: str | None = None
    ) -> d.HoldOutcome:
        """15/16 with mode +, hold type 2, the pickup library in BS, the title id in AJ; with
        `hold_identifier="item"` also the copy `item_id` in AB (when the caller knows one)."""
        request = mapping.hold_request(
            self._institution,
            patron_id,
            title_id,
            pickup_library_code,
            self._now(),
            place=True,
            item_id=item_id,
            by=self._hold_by,
            terminal_password=self._terminal,
        )
        return mapping.hold(title_id, await self._write("place_hold", request, m.HoldResponse))

    async def cancel_hold(
        self, patron_id: str, title_id: str, *, item_id: str | None = None
    ) -> d.HoldOutcome:
        """15/16 with mode -, by title (AJ) or item (AB) as for `place_hold`."""
        request = mapping.hold_request(
            self._institution,
            patron_id,
            title_id,
            None,
            self._now(),
            place=False,
            item_id=item_id,
            by=self._hold_by,
            terminal_password=self._terminal,
        )
        return mapping.hold(title_id, await self._write("cancel_hold", request, m.HoldResponse))

    async def check_in(self, item_id: str, library_code: str) -> d.CirculationOutcome:
        """09/10 at `library_code` (AP)."""
        request = mapping.checkin_request(
            self._institution, item_id, library_code, self._now(), terminal_password=self._terminal
        )
        return mapping.checkin(item_id, await self._write("check_in", request, m.CheckinResponse))

    async def check_out(self, patron_id: str, item_id: str) -> d.CirculationOutcome:
        """11/12."""
        request = mapping.checkout_request(
            self._institution, patron_id, item_id, self._now(), terminal_password=self._terminal
        )
        return mapping.checkout(item_id, await self._write("check_out", request, m.CheckoutResponse))

    # ---- policy

    async def _read(self, operation: str, request: m.Message, response_type: type[Response]) -> Response:
        return await within_budget("sip2", self._read_retried(operation, request, response_type))

    async def _read_retried(
        self, operation: str, request: m.Message, response_type: type[Response]
    ) -> Response:
        try:
            return await self._exchange(request, response_type, fresh=False)
        except ExchangeFailed as exc:
            # A read changes nothing, so one more try on a new connection is safe.
            logger.info("sip2 %s failed (%s); retrying once on a fresh connection", operation, exc.reason)
            return await self._exchange(request, response_type, fresh=True)

    async def _write(self, operation: str, request: m.Message, response_type: type[Response]) -> Response:
        check_before_write("sip2")  # never cut once sent: only not started past the budget
        try:
            return await self._exchange(request, response_type, fresh=False)
        except ExchangeFailed as exc:
            if not exc.sent:
                raise
            logger.warning("sip2 %s: answer lost (%s); outcome unknown", operation, exc.reason)
            raise OutcomeUnknown(operation, exc.reason) from exc

    async def _exchange(self, request: m.Message, response_type: type[Response], *, fresh: bool) -> Response:
        if self.breaker is None:
            return await self._converse(request, response_type, fresh=fresh)
        async with self.breaker.guard():
            return await self._converse(request, response_type, fresh=fresh)

    async def _converse(self, request: m.Message, response_type: type[Response], *, fresh: bool) -> Response:
        async with self._pool.acquire(fresh=fresh) as connection:
            return await connection.exchange(request, response_type)
