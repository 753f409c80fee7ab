"""The codec to the letter of SIP2 2.00: the layout table, what encode refuses, strict decoding.

Each test named after a defect reproduces it (it failed before the layout table existed).
Golden frames come from the 3M SIP2 2.00 Developers Guide as quoted in Evergreen SIPServer's
t/0001_checksum.t ("see page 26 of the 3M SIP2 Developers Guide"), from ceridwen's SIP library
test suite (src/com/ceridwen/circulation/SIP/tests/EndPatronSessionTest.java), from Koha's and
Evergreen's C4/SIP t/ scripts (05block_patron.t, 02patron_info.t), and from FOLIO edge-sip2's
response templates (src/main/resources/templates/lib.ftl: limits written 0000-9999).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.errors import LocalProtocolError
from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import MESSAGE_TYPES, FieldValueError, MalformedMessage, decode, encode
from adapters.ils.sip2.layout import BY_TYPE, MAX_VARIABLE

NOW = datetime(2026, 12, 1, 10, 0, 0)


def test_limits_are_zero_padded_four_digit_fields() -> None:
    """Defect: `BZ10|` was written; the spec (and FOLIO edge-sip2's lib.ftl) writes BZ0010."""
    message = m.PatronInformationResponse(
        transaction_date=NOW,
        hold_items_count=3,
        institution_id="PARIS",
        patron_identifier="2900000001",
        hold_items_limit=10,
        overdue_items_limit=0,
        charged_items_limit=30,
    )
    frame = encode(message, sequence=1)
    assert b"|BZ0010|CA0000|CB0030|" in frame
    assert b"0003" + b" " * 20 in frame  # counts: 4 digits, unknown ones 4 blanks
    assert decode(frame, strict=True).message == message
    with pytest.raises(MalformedMessage):  # what a strict peer does with the old frame
        decode(frame.replace(b"BZ0010", b"BZ10"), strict=True, verify_checksum=False)
    with pytest.raises(FieldValueError):
        encode(m.PatronInformationResponse(transaction_date=NOW, hold_items_limit=10000), sequence=1)


@pytest.mark.parametrize(
    "message",
    [
        m.PatronStatusRequest(transaction_date=NOW, language="é00"),
        m.PatronStatusRequest(transaction_date=NOW, language="FR "),
        m.RenewAllResponse(transaction_date=NOW, renewed_count=None),  # type: ignore[arg-type]
        m.PatronInformationResponse(transaction_date=NOW, hold_items_count="1O"),  # type: ignore[arg-type]
        m.ACSStatus(date_time_sync=NOW, retries_allowed=-1),
        m.PatronStatusRequest(transaction_date=None),
        m.RenewRequest(transaction_date=None),
        m.ItemInformationResponse(transaction_date=NOW, circulation_status="3"),
        m.ItemInformationResponse(transaction_date=NOW, circulation_status="AV"),
        m.PatronStatusResponse(transaction_date=NOW, patron_status="N" * 14),
        m.PatronInformationRequest(transaction_date=NOW, summary="YY        "),
        m.SCStatus(protocol_version="2.0 "),
        m.HoldRequest(transaction_date=NOW, hold_mode="x"),
        m.HoldRequest(transaction_date=NOW, hold_type="2 "),
        m.PatronStatusResponse(transaction_date=NOW, currency_type="€"),
        m.ItemInformationResponse(transaction_date=NOW, media_type="BOOK"),
        m.FeePaid(transaction_date=NOW, currency_type="eur"),
        m.ACSStatus(date_time_sync=NOW, supported_messages="YYY"),
    ],
    ids=lambda message: type(message).__name__,
)
def test_values_outside_the_spec_are_refused(message: m.Message) -> None:
    """Defect: non-digit counts, `é00` as a language, blank 66 counts and blank dates were written."""
    with pytest.raises(FieldValueError):
        encode(message, sequence=0)


def test_identifiers_longer_than_255_bytes_are_refused() -> None:
    """Defect: variable fields of any length were written (the emulator echoed a 10 KB AB)."""
    with pytest.raises(FieldValueError) as caught:
        encode(m.ItemInformationResponse(transaction_date=NOW, item_identifier="x" * 10_000), sequence=0)
    assert caught.value.attr == "item_identifier"
    ok = m.ItemInformationRequest(transaction_date=NOW, item_identifier="x" * MAX_VARIABLE)
    assert decode(encode(ok, sequence=0), strict=True).message == ok
    with pytest.raises(FieldValueError):  # 128 "é" are 256 bytes in UTF-8, 128 in cp850
        encode(m.ItemInformationRequest(transaction_date=NOW, item_identifier="é" * 128), sequence=0)
    assert encode(
        m.ItemInformationRequest(transaction_date=NOW, item_identifier="é" * 128),
        sequence=0,
        encoding="cp850",
    )
    with pytest.raises(FieldValueError):
        encode(m.PatronInformationResponse(transaction_date=NOW, charged_items=("i" * 256,)), sequence=0)


@pytest.mark.parametrize("encoding", ["utf-8", "cp850"])
def test_screen_messages_are_cut_at_a_character_boundary(encoding: str) -> None:
    text = "Prolongation refusée : " + "é" * 400
    message = m.RenewResponse(transaction_date=NOW, screen_messages=(text, "court"), print_lines=("x" * 300,))
    frame = encode(message, sequence=2, encoding=encoding)
    decoded = decode(frame, encoding=encoding, strict=True).message
    assert isinstance(decoded, m.RenewResponse)
    first, second = decoded.screen_messages
    assert text.startswith(first) and second == "court"
    assert len(first.encode(encoding)) <= MAX_VARIABLE < len((first + "é").encode(encoding))
    assert decoded.print_lines == ("x" * MAX_VARIABLE,)


def test_a_malformed_fixed_part_is_a_typed_error() -> None:
    """Defect: a 19-character ISO date in a 17 was misread into empty fields, silently."""
    with pytest.raises(MalformedMessage):
        decode(b"172026-12-01T10:00:00AOPARIS|AB3900000001|")
    with pytest.raises(MalformedMessage):  # a count that is not digits
        decode(b"6610ABCD000020261201    100000AOPARIS|")
    with pytest.raises(MalformedMessage):  # a language with a letter
        decode(b"23FR 20261201    100000AOPARIS|AA1|AC|AD|")
    with pytest.raises(MalformedMessage):  # ok must be 1 or 0
        decode(b"94Y")
    with pytest.raises(MalformedMessage):  # NUL or LF inside a value
        decode(b"1720261201    100000AOPARIS|AB39\x0000|")
    with pytest.raises(MalformedMessage):
        decode(b"1720261201    100000AOPARIS|AB39\n00|")


def test_decode_stays_liberal_where_real_peers_stray() -> None:
    """sip2-notes: space-padded 3-digit fields, blank dates, other zone letters, free AH, long AF."""
    status = decode(b"990 402.00AY1AZFCB4").message  # the 3M guide's own example pads with a space
    assert status == m.SCStatus(status_code="0", max_print_width=40, protocol_version="2.00")
    with pytest.raises(MalformedMessage):
        decode(b"990 402.00AY1AZFCB4", strict=True)
    item = decode(b"18030201" + b" " * 18 + b"AHnext week|ABi|AJt|AF" + b"m" * 600 + b"|").message
    assert isinstance(item, m.ItemInformationResponse)
    assert item.transaction_date is None and item.due_date == "next week"
    assert decode(b"1720261201 EST100000AOP|ABi|").message.transaction_date == datetime(2026, 12, 1, 10)


def test_golden_frames_encode_byte_for_byte() -> None:
    """3M SIP2 guide p. 26 (via Evergreen SIPServer t/0001_checksum.t), sip2-notes, ceridwen's tests."""
    status = m.SCStatus(status_code="0", max_print_width=40, protocol_version="2.00")
    assert decode(b"990 402.00AY1AZFCB4").message == status  # the guide pads with a space...
    assert encode(status, sequence=1) == b"9900402.00AY1AZFCA4\r"  # ...the strict class is 3 digits
    login = m.LoginRequest(login_user_id="scclient", login_password="clientpwd", location_code="circ")
    assert encode(login, sequence=0) == b"9300CNscclient|COclientpwd|CPcirc|AY0AZF1E5\r"  # sip2-notes
    end = decode(
        b"3519700101    010000AApatronIdentifier|ACterminalPassword|ADpatronPassword"
        b"|AOinstitutionId|AY0AZDE50",
        strict=True,
    )
    assert end.message == m.EndPatronSessionRequest(
        transaction_date=datetime(1970, 1, 1, 1),
        institution_id="institutionId",
        patron_identifier="patronIdentifier",
        terminal_password="terminalPassword",
        patron_password="patronPassword",
    )


def test_every_sip2_request_of_the_spec_has_a_layout() -> None:
    """01, 19, 25 and 37 were unknown: an ACS could not even read them (Koha's 05block_patron.t)."""
    block = decode(b"01N20060102    084238AOUWOLS|ALThis card is blocked.|AAdjfiander|ACpw|", strict=True)
    assert block.message == m.BlockPatron(
        card_retained=False,
        transaction_date=datetime(2006, 1, 2, 8, 42, 38),
        institution_id="UWOLS",
        blocked_card_message="This card is blocked.",
        patron_identifier="djfiander",
        terminal_password="pw",
    )
    fee = m.FeePaid(
        transaction_date=NOW, fee_type="04", payment_type="00", currency_type="EUR", fee_amount="2.50"
    )
    assert encode(fee, sequence=None, error_detection=False).startswith(
        b"3720261201    100000" + b"0400EURBV2.50|"
    )
    for code, response in (("19", "20"), ("25", "26"), ("37", "38")):
        assert code in MESSAGE_TYPES and response in MESSAGE_TYPES


# ---------------------------------------------------------------- properties


def _loose_text() -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=8), st.text(st.sampled_from("0123456789 YNUé|AZ"), max_size=20))


def _loose_value(kind: str) -> st.SearchStrategy[Any]:
    """Anything a caller might pass, valid or not: encode must refuse or write a strict frame."""
    numbers = st.one_of(st.none(), st.integers(-5, 20_000), st.sampled_from([True, "12"]))
    by_kind: dict[str, st.SearchStrategy[Any]] = {
        "date": st.one_of(st.none(), st.just(NOW)),
        "date?": st.one_of(st.none(), st.just(NOW)),
        "int": numbers,
        "count": numbers,
        "limit": numbers,
        "yn": st.booleans(),
        "01": st.booleans(),
        "ynu": st.one_of(st.none(), st.booleans()),
        "bool": st.one_of(st.none(), st.booleans()),
        "list": st.lists(st.one_of(_loose_text(), st.just("a" * 300)), max_size=3).map(tuple),
        "screen": st.lists(st.one_of(_loose_text(), st.just("é" * 300)), max_size=3).map(tuple),
    }
    return by_kind.get(kind, st.one_of(st.none(), _loose_text(), st.just("b" * 256)))


@st.composite
def _any_message(draw: st.DrawFn) -> m.Message:
    message_type = draw(st.sampled_from(sorted(MESSAGE_TYPES.values(), key=lambda t: t.code)))
    layout = BY_TYPE[message_type]
    values = {spec.attr: draw(_loose_value(spec.kind)) for spec in (*layout.fixed, *layout.variable)}
    for spec in layout.variable:
        if spec.kind == "req" and values[spec.attr] is None:
            values[spec.attr] = ""
    return message_type(**values)


@settings(max_examples=400)
@given(_any_message(), st.sampled_from(["utf-8", "cp850"]), st.booleans())
def test_every_frame_we_emit_satisfies_the_strict_layout(message: m.Message, encoding: str, ed: bool) -> None:
    try:
        frame = encode(message, sequence=3, encoding=encoding, error_detection=ed)
    except LocalProtocolError:
        return  # refused, typed: nothing reaches the wire
    decoded = decode(frame, encoding=encoding, strict=True)
    assert type(decoded.message) is type(message)


# ---------------------------------------------------------------- real ACS frames, read liberally

REAL_64_FRAMES = [
    # NYPL (Sierra) frames of ThePalaceProject/circulation tests/api/sip/test_client.py: a
    # digit zone ("0000"), "AOnypl " with a trailing space.
    b"64              000201610050000114837000300020002000000000000AOnypl |AA233|AEBAR, FOO|BZ0030"
    b"|CA0050|CB0050|BLY|CQY|BV0|CC15.00|AS123|AS456|AS789|BEFOO@BAR.COM|AY1AZC848",
    # Same suite: a blank language and six blank (unknown) counts for an unknown card.
    b"64Y                201610050000114734                        AOnypl |AA240|AENo Name|BLN"
    b"|AFYour library card number cannot be located.|AY1AZC9DE",
    # Same suite: Evergreen's XI extension and an unknown ZZ, ignored.
    b"64  Y           00020161005    122942000000000000000000000000AA240|AEBooth Active Test|BHUSD"
    b"|BDAdult Circ Desk 1 Newtown, CT USA 06470|AQNEWTWN|BLY|CQN|PA20191004|PCAdult|PIAllowed"
    b"|XI86371|AOBiblioTest|ZZfoo|AY2AZ0000",
    # Edmonton-Public-Library/Metro test/mecard (a SirsiDynix Symphony consortium): BZ9999.
    b"64YYYYY         00020140304    153041000000000000000100000000AO|AA21817002446781"
    b"|AEBRULE, OLIVIER|AQKAI|BZ0000|CA0000|CB0000|BLN|CQY|BV 50.00|BHUSD|PA20150219    235900"
    b"|AFUser card marked LOST|AY4AZA303",
]


@pytest.mark.parametrize("frame", REAL_64_FRAMES)
def test_patron_information_from_real_acss_decodes(frame: bytes) -> None:
    message = decode(frame, verify_checksum=False).message
    assert isinstance(message, m.PatronInformationResponse)
    assert message.patron_identifier and len(message.patron_status) == 14
    assert message.hold_items_limit in (None, 0, 30)


def test_real_frames_fields() -> None:
    nypl = decode(REAL_64_FRAMES[0], verify_checksum=False).message
    assert isinstance(nypl, m.PatronInformationResponse)
    assert (nypl.hold_items_count, nypl.overdue_items_count, nypl.charged_items_count) == (3, 2, 2)
    assert nypl.hold_items == ("123", "456", "789") and nypl.charged_items_limit == 50
    assert nypl.transaction_date == datetime(2016, 10, 5, 11, 48, 37)
    unknown = decode(REAL_64_FRAMES[1], verify_checksum=False).message
    assert isinstance(unknown, m.PatronInformationResponse)
    assert unknown.language == "   " and unknown.hold_items_count is None and unknown.valid_patron is False
