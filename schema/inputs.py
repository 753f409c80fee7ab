"""What user-supplied text the ILS can be sent: ids and short texts that its protocols can carry.

Owns the plausibility checks applied before a value given by a client reaches the ILS port.
The SOAP service takes ids of 1 to 64 characters and texts of at most 254, in XML, which
cannot hold control characters, lone surrogates or U+FFFE/U+FFFF; such a value would make
the request fail as a whole (an internal error, and every other key of its batch with it).
The portal store's keys (idempotency keys) follow the same rule with their own length.
SIP2 is stricter: `|` ends a field and CR a message, so no control character may travel in a
variable field, which holds at most 255 bytes in the encoding the gateway writes (and the ILS
answers in: a value the ILS echoes back, an e-mail in BE, must decode too); a character that
encoding cannot carry is refused here rather than failing the frame (`sip2_text_problem`).
Pure functions; never logs the values.
"""

from __future__ import annotations

import re
from enum import StrEnum

from adapters.ils.sip2.layout import MAX_VARIABLE

# The WSDL's ils:Id and ils:ShortText.
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 254

# Characters XML 1.0 cannot carry (tab, LF and CR aside), plus lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An id is one token: no control character at all, and no `|`, SIP2's field delimiter (card
# numbers, item and library codes travel in SIP2 frames, where `|` would end the field).
_NOT_IN_ID = re.compile("[\x00-\x1f\x7f|\ud800-\udfff\ufffe\uffff]")


# A SIP2 variable field (spec 2.00, "variable-length fields": at most 255 characters; the
# gateway's codec counts bytes in the wire encoding, with the same limit).
MAX_SIP2_FIELD_BYTES = MAX_VARIABLE
# No control character at all (C0, DEL, C1), not the field delimiter, nothing XML cannot carry.
_NOT_IN_SIP2 = re.compile("[\x00-\x1f\x7f-\x9f|\ud800-\udfff\ufffe\uffff]")


class InputProblem(StrEnum):
    """Why a value cannot be sent to the ILS (the `reason` of a BAD_USER_INPUT)."""

    EMPTY = "EMPTY"
    FORBIDDEN_CHARACTER = "FORBIDDEN_CHARACTER"
    NOT_ENCODABLE = "NOT_ENCODABLE"
    TOO_LONG = "TOO_LONG"
    TOO_MANY_BYTES = "TOO_MANY_BYTES"


def sip2_text_problem(
    value: str, encodings: tuple[str, ...], max_bytes: int = MAX_SIP2_FIELD_BYTES
) -> InputProblem | None:
    """What keeps `value` out of a SIP2 variable field written and read back in `encodings`, if anything."""
    if _NOT_IN_SIP2.search(value) is not None:
        return InputProblem.FORBIDDEN_CHARACTER
    for encoding in encodings:
        try:
            size = len(value.encode(encoding))
        except UnicodeEncodeError:
            return InputProblem.NOT_ENCODABLE
        if size > max_bytes:
            return InputProblem.TOO_MANY_BYTES
    return None


def xml_text_problem(value: str, max_length: int = MAX_TEXT_LENGTH) -> InputProblem | None:
    """What keeps `value` out of the SOAP service's short texts, if anything."""
    if _NOT_XML.search(value) is not None:
        return InputProblem.FORBIDDEN_CHARACTER
    if len(value) > max_length:
        return InputProblem.TOO_LONG
    return None


def id_problem(value: str, max_length: int = MAX_ID_LENGTH) -> InputProblem | None:
    """What keeps `value` from being an ILS id (is_plausible_id's rule, with its reason)."""
    if not value:
        return InputProblem.EMPTY
    if _NOT_IN_ID.search(value) is not None:
        return InputProblem.FORBIDDEN_CHARACTER
    if len(value) > max_length:
        return InputProblem.TOO_LONG
    return None


def is_plausible_id(value: str, max_length: int = MAX_ID_LENGTH) -> bool:
    """Whether `value` could be an ILS id (card number, title, item, library code) or a stored key."""
    return id_problem(value, max_length) is None


def is_sendable_text(value: str, max_length: int = MAX_TEXT_LENGTH) -> bool:
    """Whether `value` fits the ILS's short texts (search query, e-mail)."""
    return xml_text_problem(value, max_length) is None
