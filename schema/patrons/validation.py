"""Validation of the contact details a patron may change (e-mail, phone, mobile).

Pure functions: a value in, a normalized value or an error code out. "" means
"remove it" and None "leave it"; both are always valid. Never logs the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema.inputs import is_sendable_text

# Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain; the ILS sends mail to it.
# No list or address-header punctuation (`a@x.org,b@y.org`, `<a@x.org>`): the ILS refuses
# those, and a top-level domain has at least two letters, as the ILS requires. No `|` either:
# the ILS sends the address back in SIP2 answers (BE), where `|` is the field delimiter, so a
# stored `a|b@example.org` would make every later sign-in of that patron fail.
_NOT_IN_EMAIL = r"@\s<>()\[\],;:\"|"
_LABEL = rf"[^.{_NOT_IN_EMAIL}]"
_EMAIL = re.compile(rf"^[^{_NOT_IN_EMAIL}]{{1,64}}@{_LABEL}+(\.{_LABEL}+)*\.{_LABEL}{{2,}}$")
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
    # The pattern admits control characters; the ILS (XML) cannot store them, nor mail use them.
    sendable = clean_email is not None and is_sendable_text(clean_email, MAX_EMAIL_LENGTH)
    if clean_email and (not sendable or not _EMAIL.match(clean_email)):
        errors.append(FieldError("email", "INVALID_EMAIL"))
    clean_phone, clean_mobile = _clean(phone), _clean(mobile)
    for name, value in (("phone", clean_phone), ("mobile", clean_mobile)):
        if value and not _PHONE.match(value):
            errors.append(FieldError(name, "INVALID_PHONE"))
    return ContactChange(clean_email, clean_phone, clean_mobile), errors


def _clean(value: str | None) -> str | None:
    return None if value is None else value.strip()


def is_valid_email(value: str) -> bool:
    """Whether `value` is an e-mail address the gateway accepts (the rule updateProfile applies)."""
    return is_sendable_text(value, MAX_EMAIL_LENGTH) and _EMAIL.match(value) is not None
