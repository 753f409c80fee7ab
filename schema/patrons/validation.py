"""Validation of the contact details a patron may change (e-mail, phone, mobile).

Pure functions: a value in, a normalized value or an error code out. "" means
"remove it" and None "leave it"; both are always valid. Never logs the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain; the ILS sends mail to it.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
# French or international numbers: optional +, digits with spaces, dots or dashes as separators.
_PHONE = re.compile(r"^\+?[0-9](?:[ .\-]?[0-9]){7,16}$")
MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True, slots=True)
class ContactChange:
    email: str | None
    phone: str | None
    mobile: str | None


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    code: str


def validate_contact(
    email: str | None, phone: str | None, mobile: str | None
) -> tuple[ContactChange, list[FieldError]]:
    """The trimmed change and every field error (an empty list means valid)."""
    errors: list[FieldError] = []
    clean_email = _clean(email)
    if clean_email and (len(clean_email) > MAX_EMAIL_LENGTH or not _EMAIL.match(clean_email)):
        errors.append(FieldError("email", "INVALID_EMAIL"))
    clean_phone, clean_mobile = _clean(phone), _clean(mobile)
    for name, value in (("phone", clean_phone), ("mobile", clean_mobile)):
        if value and not _PHONE.match(value):
            errors.append(FieldError(name, "INVALID_PHONE"))
    return ContactChange(clean_email, clean_phone, clean_mobile), errors


def _clean(value: str | None) -> str | None:
    return None if value is None else value.strip()
