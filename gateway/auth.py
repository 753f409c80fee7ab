"""Sign-in and sign-out: the gateway's implementation of the schema's `AuthService`.

Owns the sign-in procedure: identifier normalization (card or e-mail), throttling before
the ILS, the password check by the ILS (SIP2 63/64 BL and CQ), and opening the session.
Unknown card and wrong password give the same answer. Without a working throttle (its
Redis down) no attempt reaches the ILS: sign-in is refused as unavailable. Never logs an
identifier, a password, a birth date or a token; only outcome codes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from adapters.errors import LocalProtocolError, ThrottleUnavailable
from adapters.ils.port import IlsPort
from adapters.throttle import LoginThrottle
from gateway.sessions import SessionManager
from schema.context import SignIn

_log = logging.getLogger("gateway.auth")

INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
EMAIL_NOT_UNIQUE = "EMAIL_NOT_UNIQUE"
TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
SIGN_IN_UNAVAILABLE = "SIGN_IN_UNAVAILABLE"

# Longer identifiers or passwords are refused without asking anyone.
_MAX_INPUT = 254


@dataclass(frozen=True, slots=True)
class Identifier:
    """What the patron typed, understood: a card number or an e-mail address."""

    kind: str  # "card" or "email"
    value: str


def parse_identifier(raw: str) -> Identifier | None:
    """Card number with spaces and punctuation removed, or an e-mail (contains @); None if empty."""
    text = raw.strip()
    if not text or len(text) > _MAX_INPUT:
        return None
    if "@" in text:
        return Identifier("email", text)
    card = "".join(char for char in text if char.isalnum())
    return Identifier("card", card) if card else None


def _refused(code: str) -> SignIn:
    return SignIn(ok=False, code=code)


class SignInService:
    """Application-wide sign-in: one per process, shared by every request."""

    def __init__(self, ils: IlsPort, sessions: SessionManager, throttle: LoginThrottle) -> None:
        self._ils = ils
        self.sessions = sessions
        self._throttle = throttle

    async def sign_in(self, raw_identifier: str, password: str, address: str) -> SignIn:
        """One sign-in attempt from a client address; a throttled attempt never reaches the ILS."""
        try:
            return await self._sign_in(raw_identifier, password, address)
        except ThrottleUnavailable:
            # Fail closed: the throttle is what keeps birth-date passwords from being guessed.
            # The address check comes first, so a dead store stops every attempt before the ILS.
            _log.warning("sign-in refused: %s", SIGN_IN_UNAVAILABLE)
            return _refused(SIGN_IN_UNAVAILABLE)

    async def _sign_in(self, raw_identifier: str, password: str, address: str) -> SignIn:
        if not await self._throttle.address_allowed(address):
            _log.info("sign-in refused: %s (address)", TOO_MANY_REQUESTS)
            return _refused(TOO_MANY_REQUESTS)
        identifier = parse_identifier(raw_identifier)
        if identifier is None or not password or len(password) > _MAX_INPUT:
            return await self._failed(address, INVALID_CREDENTIALS)
        card = identifier.value
        taken: list[str] = []
        if identifier.kind == "email":
            # The e-mail is throttled too, so a throttled e-mail never reaches the ILS's look-up.
            email_key = f"email:{identifier.value.lower()}"
            if not await self._take(email_key, taken):
                return _refused(TOO_MANY_REQUESTS)
            patrons = await self._ils.find_patrons(email=identifier.value)
            if len(patrons) != 1:
                return await self._failed(address, EMAIL_NOT_UNIQUE if patrons else INVALID_CREDENTIALS)
            card = patrons[0].id
        if not await self._take(card, taken):
            return _refused(TOO_MANY_REQUESTS)
        try:
            authentication = await self._ils.authenticate(card, password)
        except LocalProtocolError:
            # A value SIP2 cannot carry (| or CR in the password): it cannot be right.
            return await self._failed(address, INVALID_CREDENTIALS)
        if not authentication.ok:
            return await self._failed(address, INVALID_CREDENTIALS)
        for key in taken:
            await self._throttle.forget(key)
        opened = await self.sessions.open(authentication.patron_id or card)
        _log.info("sign-in accepted")
        record = opened.record
        return SignIn(ok=True, patron_id=record.patron_id, token=opened.token, expires_at=record.expires_at)

    async def _take(self, key: str, taken: list[str]) -> bool:
        """One attempt on `key` (a card or an e-mail), remembered so a success can give it back."""
        if not await self._throttle.take_attempt(key):
            _log.info("sign-in refused: %s (identifier)", TOO_MANY_REQUESTS)
            return False
        taken.append(key)
        return True

    async def _failed(self, address: str, code: str) -> SignIn:
        await self._throttle.record_address_failure(address)
        _log.info("sign-in refused: %s", code)
        return _refused(code)


class RequestAuth:
    """The `AuthService` of one request: knows its client address, token and cookie sink."""

    def __init__(
        self,
        service: SignInService,
        *,
        address: str,
        token: str | None,
        set_cookie: Callable[[SignIn], None],
        clear_cookie: Callable[[], None],
    ) -> None:
        self._service = service
        self._address = address
        self._token = token
        self._set_cookie = set_cookie
        self._clear_cookie = clear_cookie

    async def login(self, identifier: str, password: str) -> SignIn:
        result = await self._service.sign_in(identifier, password, self._address)
        if result.ok:
            # A new sign-in replaces the session this client had: never two live tokens for one client.
            if self._token:
                await self._service.sessions.end(self._token)
            self._set_cookie(result)
            self._token = result.token
        return result

    async def logout(self) -> bool:
        ended = await self._service.sessions.end(self._token) if self._token else False
        self._token = None
        self._clear_cookie()
        return ended
