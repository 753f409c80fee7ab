"""Sign-in and sign-out: the gateway's implementation of the schema's `AuthService`.

Owns the sign-in procedure: identifier normalization (card or e-mail), throttling before
the ILS, the password check by the ILS (SIP2 63/64 BL and CQ), and opening the session.
Unknown card and wrong password give the same answer. Without a working throttle (its
Redis down) no attempt reaches the ILS: sign-in is refused as unavailable. Never logs an
identifier, a password, a birth date or a token; only outcome codes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from adapters.errors import LocalProtocolError, ThrottleUnavailable
from adapters.ils.port import IlsPort
from adapters.throttle import LoginThrottle
from adapters.windows import Reservation
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

    def __init__(
        self, ils: IlsPort, sessions: SessionManager, throttle: LoginThrottle, *, password_key: bytes
    ) -> None:
        self._ils = ils
        self.sessions = sessions
        self._throttle = throttle
        self._password_key = password_key

    async def sign_in(self, raw_identifier: str, password: str, address: str) -> SignIn:
        """One sign-in attempt from a client address; a throttled attempt never reaches the ILS."""
        try:
            return await self._sign_in(raw_identifier, password, address)
        except ThrottleUnavailable:
            # Fail closed: the throttle is what keeps birth-date passwords from being guessed.
            # Every attempt reserves before anything else, so a dead store stops it before the ILS.
            _log.warning("sign-in refused: %s", SIGN_IN_UNAVAILABLE)
            return _refused(SIGN_IN_UNAVAILABLE)

    async def _sign_in(self, raw_identifier: str, password: str, address: str) -> SignIn:
        identifier = parse_identifier(raw_identifier)
        if identifier is None or not password or len(password) > _MAX_INPUT:
            # Nobody is asked, but it costs the address an attempt like any failure.
            on_address = await self._throttle.reserve(address=address)
            return _failed(INVALID_CREDENTIALS) if on_address.granted else _too_many(on_address)
        key = f"email:{identifier.value.lower()}" if identifier.kind == "email" else identifier.value
        # The e-mail is throttled too, so a throttled e-mail never reaches the ILS's look-up.
        first = await self._throttle.reserve(
            address=address, identifier=key, password_tag=password_tag(self._password_key, password)
        )
        if not first.granted:
            return _too_many(first)
        held, forget = [first], [key]
        card = identifier.value
        if identifier.kind == "email":
            patrons = await self._ils.find_patrons(email=identifier.value)
            if len(patrons) != 1:
                return _failed(EMAIL_NOT_UNIQUE if patrons else INVALID_CREDENTIALS)
            card = patrons[0].id
            on_card = await self._throttle.reserve_card(card)
            if not on_card.granted:
                return _too_many(on_card)
            held.append(on_card)
            forget.append(card)
        try:
            authentication = await self._ils.authenticate(card, password)
        except LocalProtocolError:
            # A value SIP2 cannot carry (| or CR in the password): it cannot be right.
            return _failed(INVALID_CREDENTIALS)
        if not authentication.ok:
            return _failed(INVALID_CREDENTIALS)
        await self._throttle.succeeded(held, forget)
        opened = await self.sessions.open(authentication.patron_id or card)
        _log.info("sign-in accepted")
        record = opened.record
        return SignIn(ok=True, patron_id=record.patron_id, token=opened.token, expires_at=record.expires_at)


def password_tag(key: bytes, password: str) -> str:
    """What the password gate counts: an HMAC under the gateway's key, so no birth date is stored."""
    return hmac.new(key, password.encode(), hashlib.sha256).hexdigest()[:32]


def password_key(secret_key: str) -> bytes:
    """The key of `password_tag`, derived from the secret key for this purpose only."""
    return hmac.new(secret_key.encode(), b"sign-in password gate", hashlib.sha256).digest()


def _too_many(reservation: Reservation) -> SignIn:
    """TOO_MANY_REQUESTS, naming in the log only the gate that refused (address, card, password)."""
    _log.info("sign-in refused: %s (%s)", TOO_MANY_REQUESTS, reservation.refused)
    return _refused(TOO_MANY_REQUESTS)


def _failed(code: str) -> SignIn:
    """A refusal after the attempt was counted: its reservations stay as a failure."""
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
