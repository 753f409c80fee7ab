"""The gateway's error tree: one root, families by cause.

Errors carry fields, not pre-formatted text; the GraphQL layer turns them into
localized messages and `extensions.code` values.
"""

from __future__ import annotations


class GatewayError(Exception):
    """Root of every error the gateway raises on purpose."""


class IlsError(GatewayError):
    """Something went wrong talking to the legacy ILS."""


class IlsUnavailable(IlsError):
    """The ILS could not be reached in time (timeout, refused, pool exhausted, outage).

    Retryable for reads. `dependency` names the protocol ("sip2" or "soap").
    """

    def __init__(self, dependency: str, reason: str) -> None:
        super().__init__(f"{dependency}: {reason}")
        self.dependency = dependency
        self.reason = reason


class OutcomeUnknown(IlsError):
    """A write was sent but its answer was lost: the caller must re-read state to learn what happened."""

    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(f"{operation}: {reason}")
        self.operation = operation
        self.reason = reason


class IlsRejected(IlsError):
    """The ILS answered and refused; `message` is its own text (SIP2 AF, SOAP fault string)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class IlsNotFound(IlsRejected):
    """The ILS does not know the id it was asked about."""


class ProtocolError(IlsError):
    """A protocol-level failure; subclasses say whose fault it is."""


class PeerProtocolError(ProtocolError):
    """The peer sent something we cannot accept (bad frame, checksum, wrong sequence number)."""


class LocalProtocolError(ProtocolError):
    """We were asked to send something the protocol cannot carry (e.g. a field injection attempt)."""


class ThrottleUnavailable(GatewayError):
    """The sign-in throttle's shared store (Redis) could not be reached or failed.

    Sign-in fails closed on it: without the throttle, birth-date passwords could be guessed.
    `reason` is the storage error's type name, never its text (which may hold the store's address).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotSupportedByIls(IlsError):
    """The library system offers no way to do or tell this (e.g. a catalogue search over SIP2 alone).

    `feature` names what was asked ("search", "update_contact"...), never patron data.
    """

    def __init__(self, feature: str) -> None:
        super().__init__(feature)
        self.feature = feature
