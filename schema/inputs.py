"""What user-supplied text the ILS can be sent: ids and short texts that its protocols can carry.

Owns the plausibility checks applied before a value given by a client reaches the ILS port.
The SOAP service takes ids of 1 to 64 characters and texts of at most 254, in XML, which
cannot hold control characters, lone surrogates or U+FFFE/U+FFFF; such a value would make
the request fail as a whole (an internal error, and every other key of its batch with it).
The portal store's keys (idempotency keys) follow the same rule with their own length.
Pure functions; never logs the values.
"""

from __future__ import annotations

import re

# The WSDL's ils:Id and ils:ShortText.
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 254

# Characters XML 1.0 cannot carry (tab, LF and CR aside), plus lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An id is one token: no control character at all, and no `|`, SIP2's field delimiter (card
# numbers, item and library codes travel in SIP2 frames, where `|` would end the field).
_NOT_IN_ID = re.compile("[\x00-\x1f\x7f|\ud800-\udfff\ufffe\uffff]")


def is_plausible_id(value: str, max_length: int = MAX_ID_LENGTH) -> bool:
    """Whether `value` could be an ILS id (card number, title, item, library code) or a stored key."""
    return 0 < len(value) <= max_length and _NOT_IN_ID.search(value) is None


def is_sendable_text(value: str, max_length: int = MAX_TEXT_LENGTH) -> bool:
    """Whether `value` fits the ILS's short texts (search query, e-mail)."""
    return len(value) <= max_length and _NOT_XML.search(value) is None
