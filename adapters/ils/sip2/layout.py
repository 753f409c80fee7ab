"""The SIP2 wire layout of every supported message: fixed-field widths and variable-field ids.

Owns: the only table of two-letter field ids in the code base (the codec reads it; nothing
else should). Each entry maps a wire field to an attribute of the dataclass in `messages.py`
and to a kind that tells the codec how to write and read it. Must never do I/O or encoding.

Fixed kinds: "yn" bool Y/N; "ynu" bool|None Y/N/U; "01" bool 1/0; "date" 18-char date;
"int" zero-padded int; "count" zero-padded int|None (blank = unknown); "text" exact-width str.
Variable kinds: "req" str always sent; "opt" str|None; "list" repeatable tuple[str, ...];
"bool" Y/N|None; "int" int|None; "date" 18-char date|None.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.ils.sip2 import messages as m


@dataclass(frozen=True)
class Fixed:
    """A fixed-width field, identified by its position."""

    attr: str
    width: int
    kind: str


@dataclass(frozen=True)
class Variable:
    """A variable field, identified by its two-letter id and terminated by `|`."""

    field_id: str
    attr: str
    kind: str


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


_DATE = Fixed("transaction_date", 18, "date")
_LANG = Fixed("language", 3, "text")
_STATUS = Fixed("patron_status", 14, "text")
_AO = Variable("AO", "institution_id", "req")
_AA = Variable("AA", "patron_identifier", "req")
_SCREEN = (Variable("AF", "screen_messages", "list"), Variable("AG", "print_lines", "list"))
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
    Variable("BT", "fee_type", "opt"),
    Variable("CI", "security_inhibit", "bool"),
    Variable("BH", "currency_type", "opt"),
    Variable("BV", "fee_amount", "opt"),
    Variable("CK", "media_type", "opt"),
    Variable("CH", "item_properties", "opt"),
    Variable("BK", "transaction_id", "opt"),
    *_SCREEN,
)

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        m.LoginRequest,
        (Fixed("uid_algorithm", 1, "text"), Fixed("pwd_algorithm", 1, "text")),
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
            Fixed("status_code", 1, "text"),
            Fixed("max_print_width", 3, "int"),
            Fixed("protocol_version", 4, "text"),
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
            Fixed("protocol_version", 4, "text"),
        ),
        (
            _AO,
            Variable("AM", "library_name", "opt"),
            Variable("BX", "supported_messages", "req"),
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
    Layout(
        m.PatronStatusResponse,
        (_STATUS, _LANG, _DATE),
        (
            _AO,
            _AA,
            Variable("AE", "personal_name", "req"),
            Variable("BL", "valid_patron", "bool"),
            Variable("CQ", "valid_patron_password", "bool"),
            Variable("BH", "currency_type", "opt"),
            Variable("BV", "fee_amount", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.PatronInformationRequest,
        (_LANG, _DATE, Fixed("summary", 10, "text")),
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
            Variable("BZ", "hold_items_limit", "int"),
            Variable("CA", "overdue_items_limit", "int"),
            Variable("CB", "charged_items_limit", "int"),
            Variable("BL", "valid_patron", "bool"),
            Variable("CQ", "valid_patron_password", "bool"),
            Variable("BH", "currency_type", "opt"),
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
            Fixed("circulation_status", 2, "text"),
            Fixed("security_marker", 2, "text"),
            Fixed("fee_type", 2, "text"),
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
            Variable("BH", "currency_type", "opt"),
            Variable("BV", "fee_amount", "opt"),
            Variable("CK", "media_type", "opt"),
            Variable("AQ", "permanent_location", "opt"),
            Variable("AP", "current_location", "opt"),
            Variable("CH", "item_properties", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.RenewRequest,
        (_yn("third_party_allowed"), _yn("no_block"), _DATE, Fixed("nb_due_date", 18, "date")),
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
            Fixed("renewed_count", 4, "count"),
            Fixed("unrenewed_count", 4, "count"),
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
        (Fixed("hold_mode", 1, "text"), _DATE),
        (
            Variable("BW", "expiration_date", "date"),
            Variable("BS", "pickup_location", "opt"),
            Variable("BY", "hold_type", "opt"),
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
            Variable("CK", "media_type", "opt"),
            Variable("CH", "item_properties", "opt"),
            *_SCREEN,
        ),
    ),
    Layout(
        m.CheckoutRequest,
        (_yn("sc_renewal_policy"), _yn("no_block"), _DATE, Fixed("nb_due_date", 18, "date")),
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
    Layout(m.RequestSCResend, (), ()),
    Layout(m.RequestACSResend, (), ()),
)

BY_CODE: dict[str, Layout] = {layout.message.code: layout for layout in LAYOUTS}
BY_TYPE: dict[type[m.Message], Layout] = {layout.message: layout for layout in LAYOUTS}
