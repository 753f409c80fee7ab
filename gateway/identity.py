"""Who is asking: the viewer of a request, from a staff token, a bearer session token or the cookie.

Owns the reading of credentials from HTTP headers. Precedence: `Authorization: Bearer
staff:<token>` (a staff token from GATEWAY_STAFF_TOKENS), then `Authorization: Bearer
<session token>`, then the session cookie. A credential that does not check out gives an
anonymous viewer, never an error that tells which part was wrong. Never logs a token.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.requests import HTTPConnection

from gateway.sessions import SessionManager
from schema.context import Viewer

STAFF_PREFIX = "staff:"
IPNetwork = IPv4Network | IPv6Network


@dataclass(frozen=True, slots=True)
class Identity:
    """The viewer, and the session token it came with (what `logout` ends)."""

    viewer: Viewer | None
    session_token: str | None = None


def _bearer(connection: HTTPConnection) -> str | None:
    scheme, _, value = connection.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def is_staff_token(candidate: str, staff_tokens: frozenset[str]) -> bool:
    """Constant-time comparison with every configured staff token."""
    found = False
    for token in staff_tokens:
        found |= hmac.compare_digest(candidate.encode(), token.encode())
    return found


async def identify(
    connection: HTTPConnection, *, sessions: SessionManager, staff_tokens: frozenset[str], cookie_name: str
) -> Identity:
    """The request's identity; anonymous when nothing valid is presented."""
    bearer = _bearer(connection)
    if bearer is not None and bearer.startswith(STAFF_PREFIX):
        staff = is_staff_token(bearer.removeprefix(STAFF_PREFIX), staff_tokens)
        return Identity(Viewer(patron_id=None, is_staff=True) if staff else None)
    token = bearer if bearer is not None else connection.cookies.get(cookie_name)
    if not token:
        return Identity(None)
    record = await sessions.resolve(token)
    if record is None:
        return Identity(None)
    return Identity(Viewer(patron_id=record.patron_id, session_id=record.id), session_token=token)


def client_address(connection: HTTPConnection, trusted_proxies: Sequence[IPNetwork] = ()) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy (GATEWAY_TRUSTED_PROXIES).

    From a trusted proxy, X-Forwarded-For is read from the right: each trusted hop is skipped
    and the first address that is not one is the client (what precedes it may be forged by the
    client itself). Nothing is trusted by default, loopback included: a local client cannot
    name itself another address.
    """
    peer = connection.client.host if connection.client is not None else "unknown"
    if not trusted_proxies or not _is_trusted(peer, trusted_proxies):
        return peer
    hops = [hop.strip() for hop in ",".join(connection.headers.getlist("x-forwarded-for")).split(",")]
    client = peer
    for hop in reversed([hop for hop in hops if hop]):
        try:
            address = ip_address(hop)
        except ValueError:
            # A malformed hop: what lies to its left cannot be believed.
            break
        client = str(address)
        if not any(address in network for network in trusted_proxies):
            break
    return client


def _is_trusted(host: str, trusted_proxies: Sequence[IPNetwork]) -> bool:
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in trusted_proxies)
