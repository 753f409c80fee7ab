"""The 18-character SIP2 date `YYYYMMDDZZZZHHMMSS`, to and from `datetime`.

Owns: date formatting and parsing only. A naive datetime is local time (zone = 4 spaces, the
spec's preferred form); an aware one is written in UTC with zone `   Z`. None is the blank
date (18 spaces). Parsing is lenient: zone letters other than `Z` are read as local time, and
text that is not a date reads as None, because real SCs send junk there and it must not kill
a connection.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

BLANK_DATE = " " * 18
_PATTERN = re.compile(r"(\d{4})(\d{2})(\d{2})(.{4})(\d{2})(\d{2})(\d{2})", re.ASCII | re.DOTALL)


def format_sip2_date(value: datetime | None) -> str:
    """Return the 18-char SIP2 form of `value` (18 blanks for None)."""
    if value is None:
        return BLANK_DATE
    zone = "    "
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
        zone = "   Z"
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}{zone}"
        f"{value.hour:02d}{value.minute:02d}{value.second:02d}"
    )


def parse_sip2_date(text: str) -> datetime | None:
    """Read an 18-char SIP2 date; blank or unreadable text gives None."""
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    year, month, day, zone, hour, minute, second = match.groups()
    try:
        parsed = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    if zone.strip() == "Z":
        return parsed.replace(tzinfo=UTC)
    return parsed
