"""Counts of the emulator's round trips: SIP2 messages by command code, SOAP calls by operation.

Tests and benchmarks read them through the admin API to count ILS round trips.
Only counts; never records message contents (they carry personal data).
"""

from __future__ import annotations

from collections import Counter


class Stats:
    """Counters since start or the last reset (single event loop: no locking needed)."""

    def __init__(self) -> None:
        self._sip2: Counter[str] = Counter()
        self._soap: Counter[str] = Counter()

    def count_sip2(self, code: str) -> None:
        """One SIP2 request received with command `code` (e.g. "63")."""
        self._sip2[code] += 1

    def count_soap(self, operation: str) -> None:
        """One SOAP call of `operation` (e.g. "lookupAccounts")."""
        self._soap[operation] += 1

    def snapshot(self) -> dict[str, dict[str, int]]:
        """{"sip2": {code: n}, "soap": {operation: n}}, keys sorted."""
        return {
            "sip2": dict(sorted(self._sip2.items())),
            "soap": dict(sorted(self._soap.items())),
        }

    def reset(self) -> None:
        """Back to zero."""
        self._sip2.clear()
        self._soap.clear()
