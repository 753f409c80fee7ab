"""The SIP2 2.00 wire layout of every message: each field's width, padding and character class.

Owns: the only table of two-letter field ids in the code base (the codec reads it; nothing
else should). Each entry maps a wire field to an attribute of the dataclass in `messages.py`,
to a kind that tells the codec how to write and read it, and to the character class the spec
gives it. The codec's encoder refuses any value outside that class (so we never emit a frame
a strict peer rejects); its decoder accepts the wider `lenient` class where real peers are
known to stray (sip2-notes.md) and raises a typed error otherwise. Must never do I/O.

Fixed kinds: "yn" bool Y/N; "ynu" bool|None Y/N/U; "01" bool 1/0; "date" 18-char date that
must be given; "date?" 18-char date or 18 blanks (None); "int" zero-padded int; "count"
zero-padded int|None (4 blanks = unknown, 64 only); "text" a str of exactly `width`
characters matching `chars`.
Variable kinds (each value at most MAX_VARIABLE bytes once encoded): "req" str always sent;
"opt" str|None; "list" repeatable tuple[str, ...] of identifiers (too long: refused);
"screen" repeatable AF/AG text (too long: cut at a character boundary); "bool" Y/N|None;
"int" variable-length digits|None; "limit" a 4-digit zero-padded int|None; "date" 18-char
date|None. A `chars` on a str kind is the class its value must match (e.g. BH currency).

Sources for the widths and classes: the SIP2 2.00 specification as quoted in FOLIO
edge-sip2's templates (src/main/resources/templates/*.ftl: "hold items limit: 4-char,
fixed-length optional field", counts and limits written 0000-9999), petkivim/jsip2's message
tables (docs/*.md, including 01/19/25/37), Evergreen SIPServer's unpack templates
(Sip/MsgType.pm) and pysip2's fixed-field table (src/pysip2/spec.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.ils.sip2 import messages as m

MAX_VARIABLE = 255  # spec: variable-length fields hold at most 255 characters

# Character classes (regular expressions matched against the whole field).
DIGIT = "[0-9]"
YN = "[YN]"
DATE_STRICT = "[0-9]{8}(?:    |   Z)[0-9]{6}"
# Real peers send other zone letters (rightmost position) and blank dates.
_DATE_LENIENT = "[0-9]{8}[ A-Za-z0-9]{4}[0-9]{6}| {18}"


@dataclass(frozen=True)
class Fixed:
    """A fixed-width field, identified by its position."""

    attr: str
    width: int
    kind: str
    chars: str = ""  # "text": the spec's class for the whole field
    lenient: str = ""  # "text": what decode also accepts; "" = the same as `chars`

    @property
    def strict_pattern(self) -> str:
        """The regular expression the field's wire text must match exactly when we write it."""
        if self.kind == "text":
            return self.chars
        if self.kind in ("int", "count"):
            digits = f"{DIGIT}{{{self.width}}}"
            return f"{digits}| {{{self.width}}}" if self.kind == "count" else digits
        return _FIXED_STRICT[self.kind]

    @property
    def lenient_pattern(self) -> str:
        """What the decoder accepts from a peer (sip2-notes: space-padded counts, blank dates...)."""
        if self.kind == "text":
            return self.lenient or self.chars
        if self.kind in ("int", "count"):
            # invenio-sip2 space-pads 3-digit fields (" 10"); 4 blanks mean "unknown" in 64.
            blank = f"| {{{self.width}}}" if self.kind == "count" else ""
            return f" *{DIGIT}{{1,{self.width}}}{blank}"
        return _FIXED_LENIENT[self.kind]


_FIXED_STRICT = {
    "yn": YN,
    "ynu": "[YNU]",
    "01": "[01]",
    "date": DATE_STRICT,
    "date?": f"{DATE_STRICT}| {{18}}",
}
_FIXED_LENIENT = {
    "yn": "[YNU ]",
    "ynu": "[YNU ]",
    "01": "[01]",
    "date": _DATE_LENIENT,
    "date?": _DATE_LENIENT,
}


@dataclass(frozen=True)
class Variable:
    """A variable field, identified by its two-letter id and terminated by `|`."""

    field_id: str
    attr: str
    kind: str
    chars: str = ""  # str kinds: the class the value must match when we write it; "" = any

    @property
    def repeatable(self) -> bool:
        """Lists and screen messages may appear more than once."""
        return self.kind in ("list", "screen")


@dataclass(frozen=True)
class Layout:
    """How one message type travels on the wire."""

    message: type[m.Message]
    fixed: tuple[Fixed, ...]
    variable: tuple[Variable, ...]

    @property
    def fixed_width(self) -> int:
        """Total width of the fixed part, after the 2-digit command code."""
        return sum(f.width for f in self.fixed)


def _yn(attr: str) -> Fixed:
    return Fixed(attr, 1, "yn")


def _text(attr: str, width: int, chars: str, lenient: str = "") -> Fixed:
    return Fixed(attr, width, "text", chars, lenient)


_DATE = Fixed("transaction_date", 18, "date")
# Language: 3 digits (000 unknown, 001 English, 002 French...), never a letter.
_LANG = _text("language", 3, f"{DIGIT}{{3}}", "[0-9 ]{3}")
# Patron status: 14 positions, "Y" = the condition holds, a space = it does not.
_STATUS = _text("patron_status", 14, "[ Y]{14}", "[ YN]{14}")
# Summary: 10 positions, at most one "Y" (the list asked for), all blank for counts only.
_SUMMARY = "|".join([" " * 10, *(" " * i + "Y" + " " * (9 - i) for i in range(10))])
_CODE2 = f"{DIGIT}{{2}}"  # circulation status, security marker, fee type, payment type
_AO = Variable("AO", "institution_id", "req")
_AA = Variable("AA", "patron_identifier", "req")
_SCREEN = (Variable("AF", "screen_messages", "screen"), Variable("AG", "print_lines", "screen"))
_CURRENCY = Variable("BH", "currency_type", "opt", "[A-Z]{3}")  # ISO 4217 alpha-3
_MEDIA = Variable("CK", "media_type", "opt", f"{DIGIT}{{3}}")
_FEE_TYPE = Variable("BT", "fee_type", "opt", _CODE2)
_PATRON_STATUS_FIXED = (_STATUS, _LANG, _DATE)
_PATRON_STATUS_VARIABLE = (
    _AO,
    _AA,
    Variable("AE", "personal_name", "req"),
    Variable("BL", "valid_patron", "bool"),
    Variable("CQ", "valid_patron_password", "bool"),
    _CURRENCY,
    Variable("BV", "fee_amount", "opt"),
    *_SCREEN,
)
_OUTCOME_FIXED = (
    Fixed("ok", 1, "01"),
    _yn("renewal_ok"),
    Fixed("magnetic_media", 1, "ynu"),
    Fixed("desensitize", 1, "ynu"),
    _DATE,
)
# 30 and 12 carry the same fields (spec: Renew Response mirrors Checkout Response).
_OUTCOME_VARIABLE = (
    _AO,
    _AA,
    Variable("AB", "item_identifier", "req"),
    Variable("AJ", "title_identifier", "req"),
    Variable("AH", "due_date", "req"),
    _FEE_TYPE,
    Variable("CI", "security_inhibit", "bool"),
    _CURRENCY,
    Variable("BV", "fee_amount", "opt"),
    _MEDIA,
    Variable("CH", "item_properties", "opt"),
    Variable("BK", "transaction_id", "opt"),
    *_SCREEN,
)

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        m.LoginRequest,
        (_text("uid_algorithm", 1, DIGIT), _text("pwd_algorithm", 1, DIGIT)),  # 0 = not encrypted
        (
            Variable("CN", "login_user_id", "req"),
            Variable("CO", "login_password", "req"),
            Variable("CP", "location_code", "opt"),
        ),
    ),
    Layout(m.LoginResponse, (Fixed("ok", 1, "01"),), ()),
    Layout(
        m.SCStatus,
        (
            _text("status_code", 1, "[012]", DIGIT),  # 0 OK, 1 out of paper, 2 shutting down
            Fixed("max_print_width", 3, "int"),
            _text("protocol_version", 4, "[0-9][.][0-9]{2}", "[0-9A-Za-z. ]{4}"),
        ),
        (),
    ),
    Layout(
        m.ACSStatus,
        (
            _yn("online_status"),
            _yn("checkin_ok"),
            _yn("checkout_ok"),
            _yn("acs_renewal_policy"),
            _yn("status_update_ok"),
            _yn("offline_ok"),
            Fixed("timeout_period", 3, "int"),
            Fixed("retries_allowed", 3, "int"),
            Fixed("date_time_sync", 18, "date"),
            _text("protocol_version", 4, "[0-9][.][0-9]{2}", "[0-9A-Za-z. ]{4}"),
        ),
        (
            _AO,
            Variable("AM", "library_name", "opt"),
            Variable("BX", "supported_messages", "req", "[YN]{16}"),
            Variable("AN", "terminal_location", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.PatronStatusRequest,
        (_LANG, _DATE),
        (
            _AO,
            _AA,
            Variable("AC", "terminal_password", "req"),
            Variable("AD", "patron_password", "req"),
        ),
    ),
    Layout(m.PatronStatusResponse, _PATRON_STATUS_FIXED, _PATRON_STATUS_VARIABLE),
    Layout(
        m.PatronInformationRequest,
        (_LANG, _DATE, _text("summary", 10, _SUMMARY, "[ YN]{10}")),
        (
            _AO,
            _AA,
            Variable("AC", "terminal_password", "opt"),
            Variable("AD", "patron_password", "opt"),
            Variable("BP", "start_item", "int"),
            Variable("BQ", "end_item", "int"),
        ),
    ),
    Layout(
        m.PatronInformationResponse,
        (
            _STATUS,
            _LANG,
            _DATE,
            Fixed("hold_items_count", 4, "count"),
            Fixed("overdue_items_count", 4, "count"),
            Fixed("charged_items_count", 4, "count"),
            Fixed("fine_items_count", 4, "count"),
            Fixed("recall_items_count", 4, "count"),
            Fixed("unavailable_holds_count", 4, "count"),
        ),
        (
            _AO,
            _AA,
            Variable("AE", "personal_name", "req"),
            Variable("BZ", "hold_items_limit", "limit"),
            Variable("CA", "overdue_items_limit", "limit"),
            Variable("CB", "charged_items_limit", "limit"),
            Variable("BL", "valid_patron", "bool"),
            Variable("CQ", "valid_patron_password", "bool"),
            _CURRENCY,
            Variable("BV", "fee_amount", "opt"),
            Variable("CC", "fee_limit", "opt"),
            Variable("AS", "hold_items", "list"),
            Variable("AT", "overdue_items", "list"),
            Variable("AU", "charged_items", "list"),
            Variable("AV", "fine_items", "list"),
            Variable("BU", "recall_items", "list"),
            Variable("CD", "unavailable_hold_items", "list"),
            Variable("BD", "home_address", "opt"),
            Variable("BE", "email_address", "opt"),
            Variable("BF", "home_phone_number", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.ItemInformationRequest,
        (_DATE,),
        (_AO, Variable("AB", "item_identifier", "req"), Variable("AC", "terminal_password", "opt")),
    ),
    Layout(
        m.ItemInformationResponse,
        (
            _text("circulation_status", 2, _CODE2),
            _text("security_marker", 2, _CODE2),
            _text("fee_type", 2, _CODE2),
            _DATE,
        ),
        (
            Variable("CF", "hold_queue_length", "int"),
            Variable("AH", "due_date", "opt"),
            Variable("CJ", "recall_date", "date"),
            Variable("CM", "hold_pickup_date", "date"),
            Variable("AB", "item_identifier", "req"),
            Variable("AJ", "title_identifier", "req"),
            Variable("BG", "owner", "opt"),
            _CURRENCY,
            Variable("BV", "fee_amount", "opt"),
            _MEDIA,
            Variable("AQ", "permanent_location", "opt"),
            Variable("AP", "current_location", "opt"),
            Variable("CH", "item_properties", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.RenewRequest,
        (_yn("third_party_allowed"), _yn("no_block"), _DATE, Fixed("nb_due_date", 18, "date?")),
        (
            _AO,
            _AA,
            Variable("AD", "patron_password", "opt"),
            Variable("AB", "item_identifier", "opt"),
            Variable("AJ", "title_identifier", "opt"),
            Variable("AC", "terminal_password", "opt"),
            Variable("CH", "item_properties", "opt"),
            Variable("BO", "fee_acknowledged", "bool"),
        ),
    ),
    Layout(m.RenewResponse, _OUTCOME_FIXED, _OUTCOME_VARIABLE),
    Layout(
        m.RenewAllRequest,
        (_DATE,),
        (
            _AO,
            _AA,
            Variable("AD", "patron_password", "opt"),
            Variable("AC", "terminal_password", "opt"),
            Variable("BO", "fee_acknowledged", "bool"),
        ),
    ),
    Layout(
        m.RenewAllResponse,
        (
            Fixed("ok", 1, "01"),
            Fixed("renewed_count", 4, "int"),  # required in 66: no blank "unknown" here
            Fixed("unrenewed_count", 4, "int"),
            _DATE,
        ),
        (
            _AO,
            Variable("BM", "renewed_items", "list"),
            Variable("BN", "unrenewed_items", "list"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.HoldRequest,
        (_text("hold_mode", 1, "[-+*]"), _DATE),  # add, delete, change
        (
            Variable("BW", "expiration_date", "date"),
            Variable("BS", "pickup_location", "opt"),
            Variable("BY", "hold_type", "opt", "[1-4]"),
            _AO,
            _AA,
            Variable("AD", "patron_password", "opt"),
            Variable("AB", "item_identifier", "opt"),
            Variable("AJ", "title_identifier", "opt"),
            Variable("AC", "terminal_password", "opt"),
            Variable("BO", "fee_acknowledged", "bool"),
        ),
    ),
    Layout(
        m.HoldResponse,
        (Fixed("ok", 1, "01"), _yn("available"), _DATE),
        (
            Variable("BW", "expiration_date", "date"),
            Variable("BR", "queue_position", "int"),
            Variable("BS", "pickup_location", "opt"),
            _AO,
            _AA,
            Variable("AB", "item_identifier", "opt"),
            Variable("AJ", "title_identifier", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.EndPatronSessionRequest,
        (_DATE,),
        (
            _AO,
            _AA,
            Variable("AC", "terminal_password", "opt"),
            Variable("AD", "patron_password", "opt"),
        ),
    ),
    Layout(m.EndSessionResponse, (_yn("end_session"), _DATE), (_AO, _AA, *_SCREEN)),
    Layout(
        m.CheckinRequest,
        (_yn("no_block"), _DATE, Fixed("return_date", 18, "date")),
        (
            Variable("AP", "current_location", "req"),
            _AO,
            Variable("AB", "item_identifier", "req"),
            Variable("AC", "terminal_password", "req"),
            Variable("CH", "item_properties", "opt"),
            Variable("BI", "cancel", "bool"),
        ),
    ),
    Layout(
        m.CheckinResponse,
        (Fixed("ok", 1, "01"), _yn("resensitize"), Fixed("magnetic_media", 1, "ynu"), _yn("alert"), _DATE),
        (
            _AO,
            Variable("AB", "item_identifier", "req"),
            Variable("AQ", "permanent_location", "req"),
            Variable("AJ", "title_identifier", "opt"),
            Variable("CL", "sort_bin", "opt"),
            Variable("AA", "patron_identifier", "opt"),
            _MEDIA,
            Variable("CH", "item_properties", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.CheckoutRequest,
        (_yn("sc_renewal_policy"), _yn("no_block"), _DATE, Fixed("nb_due_date", 18, "date?")),
        (
            _AO,
            _AA,
            Variable("AB", "item_identifier", "req"),
            Variable("AC", "terminal_password", "req"),
            Variable("CH", "item_properties", "opt"),
            Variable("AD", "patron_password", "opt"),
            Variable("BO", "fee_acknowledged", "bool"),
            Variable("BI", "cancel", "bool"),
        ),
    ),
    Layout(m.CheckoutResponse, _OUTCOME_FIXED, _OUTCOME_VARIABLE),
    Layout(
        m.BlockPatron,
        (_yn("card_retained"), _DATE),
        (
            _AO,
            Variable("AL", "blocked_card_message", "req"),
            _AA,
            Variable("AC", "terminal_password", "req"),
        ),
    ),
    Layout(
        m.ItemStatusUpdate,
        (_DATE,),
        (
            _AO,
            Variable("AB", "item_identifier", "req"),
            Variable("AC", "terminal_password", "opt"),
            Variable("CH", "item_properties", "req"),
        ),
    ),
    Layout(
        m.ItemStatusUpdateResponse,
        (Fixed("item_properties_ok", 1, "01"), _DATE),
        (
            Variable("AB", "item_identifier", "req"),
            Variable("AJ", "title_identifier", "opt"),
            Variable("CH", "item_properties", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.PatronEnable,
        (_DATE,),
        (
            _AO,
            _AA,
            Variable("AC", "terminal_password", "opt"),
            Variable("AD", "patron_password", "opt"),
        ),
    ),
    Layout(
        m.PatronEnableResponse,
        _PATRON_STATUS_FIXED,
        (
            _AO,
            _AA,
            Variable("AE", "personal_name", "req"),
            Variable("BL", "valid_patron", "bool"),
            Variable("CQ", "valid_patron_password", "bool"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.FeePaid,
        (
            _DATE,
            _text("fee_type", 2, _CODE2),
            _text("payment_type", 2, _CODE2),
            _text("currency_type", 3, "[A-Z]{3}"),
        ),
        (
            Variable("BV", "fee_amount", "req"),
            _AO,
            _AA,
            Variable("AC", "terminal_password", "opt"),
            Variable("AD", "patron_password", "opt"),
            Variable("CG", "fee_identifier", "opt"),
            Variable("BK", "transaction_id", "opt"),
        ),
    ),
    Layout(
        m.FeePaidResponse,
        (_yn("payment_accepted"), _DATE),
        (_AO, _AA, Variable("BK", "transaction_id", "opt"), *_SCREEN),
    ),
    Layout(m.RequestSCResend, (), ()),
    Layout(m.RequestACSResend, (), ()),
)

BY_CODE: dict[str, Layout] = {layout.message.code: layout for layout in LAYOUTS}
BY_TYPE: dict[type[m.Message], Layout] = {layout.message: layout for layout in LAYOUTS}
