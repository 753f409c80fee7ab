"""The SIP2 codec against the worked examples and pitfalls of docs/sip2-notes.md."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.errors import LocalProtocolError, PeerProtocolError
from adapters.ils.sip2.codec import (
    ChecksumError,
    FieldInjectionError,
    FieldValueError,
    FrameReader,
    FrameTooLarge,
    MalformedMessage,
    UnknownCommand,
    checksum,
    decode,
    encode,
    format_sip2_date,
    parse_sip2_date,
    verify_checksum,
)
from adapters.ils.sip2.messages import (
    ACSStatus,
    CheckoutRequest,
    HoldResponse,
    ItemInformationResponse,
    LoginRequest,
    LoginResponse,
    PatronInformationRequest,
    PatronInformationResponse,
    RenewRequest,
    RequestACSResend,
    RequestSCResend,
    SCStatus,
)

NOW = datetime(2026, 11, 29, 12, 0)
NOW_TEXT = b"20261129    120000"
EVERGREEN_FRAMES = [
    b"98YNNYNN60000320261129    2041302.00AOUWOLS|BXYYYYYYYYYNYNYYYY|AY1AZEDDF",
    b"6300120261129    120000  Y       AOUWOLS|AAdjfiander|AD6789|BP1|BQ5|AY5AZED3C",
    b"1804020120261129    204150AB1565921879|AJPerl 5 desktop reference|CK001|BGUWOLS"
    b"|AH20261213    204150|AY6AZE45A",
    b"301YNN20261129    204150AAdjfiander|AB1565921879|AJPerl 5 desktop reference"
    b"|AH20261213    204150|CK001|AOUWOLS|AY7AZDFB4",
    b"300NUN20261129    204150AAdjfiander|AB1565921879|AJPerl 5 desktop reference|AH|AOUWOLS"
    b"|AFItem has outstanding holds|AY0AZD9A0",
    b"6610001000020261129    204150AOUWOLS|BM1565921879|AY8AZF36C",
    b"161N20261129    204150AAmiker|BR1|BSMAIN|AB1565921879|AJPerl 5 desktop reference|AOUWOLS|AY9AZE44A",
    b"36Y20261129    204150AOUWOLS|AAdjfiander|AFThank you for using Evergreen!|AY2AZE742",
    b"101YNN20261129    204150AOUWOLS|AB1565921879|AQ|AJPerl 5 desktop reference|AAdjfiander|CK001|AY1AZE2F0",
    b"121NNY20261129    204150AOUWOLS|AAdjfiander|AB1565921879|AJPerl 5 desktop reference"
    b"|AH20261213    204150|CK001|AY4AZDFB7",
    b"9300CNscclient|COclientpwd|CPcirc|AY0AZF1E5",
]


def test_login_response_example() -> None:
    assert encode(LoginResponse(ok=True), sequence=0) == b"941AY0AZFDFD\r"
    assert decode(b"941AY0AZFDFD\r").message == LoginResponse(ok=True)


def test_resend_requests_never_carry_ay() -> None:
    assert encode(RequestSCResend(), sequence=4) == b"96AZFEF6\r"
    assert encode(RequestACSResend(), sequence=None) == b"97AZFEF5\r"
    assert decode(b"96AZFEF6").sequence is None


def test_checksum_is_zero_padded_where_naive_formatting_gives_three_digits() -> None:
    data = b"63" + b"z" * 500 + b"AY1AZ"
    assert checksum(data) == "0FE9"
    assert verify_checksum(data + b"0FE9\r")
    assert verify_checksum(data + b"FE9")  # unpadded, as PyPI sip2 sends it
    assert verify_checksum(data + b"0fe9")


def test_lowercase_and_unpadded_checksums_are_accepted_when_decoding() -> None:
    assert decode(b"941AY0AZfdfd").message == LoginResponse(ok=True)
    message = PatronInformationResponse(
        transaction_date=NOW, institution_id="PARIS", charged_items=("x" * 250, "y" * 250)
    )
    frame = encode(message, sequence=1)
    assert frame.rsplit(b"AZ", 1)[1].startswith(b"0")
    assert decode(frame[:-6] + frame[-5:]).message == message  # the leading 0 dropped


@pytest.mark.parametrize("frame", EVERGREEN_FRAMES)
def test_frames_from_real_servers_verify_and_decode(frame: bytes) -> None:
    assert verify_checksum(frame)
    decoded = decode(frame + b"\r\n")
    assert decoded.checksum_present
    assert decoded.sequence == int(frame[-7:-6])


def test_reordered_fields_unknown_ids_and_empty_repeats() -> None:
    frame = (
        b"64  Y           00020261129    204150000000000001000100000000AAdjfiander|AOUWOLS"
        b"|AEDavid J. Fiander|XIjunk|AU1565921879|AU|AU|BLY|CQN|PA20501231|AY5AZ0000"
    )
    message = decode(frame, verify_checksum=False).message
    assert isinstance(message, PatronInformationResponse)
    assert message.institution_id == "UWOLS" and message.patron_identifier == "djfiander"
    assert message.charged_items == ("1565921879",)
    assert message.charged_items_count == 1 and message.valid_patron is True
    assert message.valid_patron_password is False


def test_missing_trailer_blank_dates_and_free_form_due_date() -> None:
    decoded = decode(b"18030201" + b" " * 18 + b"CF2|AHnext tuesday|ABi1|AJt1|CM" + b" " * 18 + b"|\n")
    message = decoded.message
    assert isinstance(message, ItemInformationResponse)
    assert (decoded.sequence, decoded.checksum_present) == (None, False)
    assert message.transaction_date is None and message.hold_pickup_date is None
    assert message.due_date == "next tuesday" and message.hold_queue_length == 2
    renew = RenewRequest(transaction_date=NOW, institution_id="P", patron_identifier="p", item_identifier="i")
    assert b"NN" + NOW_TEXT + b" " * 18 + b"AOP|" in encode(renew, sequence=1)


def test_hold_expiration_date_is_a_variable_field() -> None:
    message = HoldResponse(
        ok=True, transaction_date=NOW, expiration_date=datetime(2026, 12, 8, 18, 0), institution_id="P"
    )
    frame = encode(message, sequence=2)
    assert b"BW20261208    180000|" in frame
    assert decode(frame).message == message


def test_space_padded_three_digit_counts_are_accepted() -> None:
    frame = b"98YYYYYY 10 1020261129    2041302.00AOUWOLS|BXYYYY|"
    message = decode(frame).message
    assert isinstance(message, ACSStatus)
    assert (message.timeout_period, message.retries_allowed) == (10, 10)


@pytest.mark.parametrize("bad", ["|", "\r", "\n", "\x00"])
def test_injection_is_refused_in_every_kind_of_field(bad: str) -> None:
    attempts = [
        LoginRequest(login_user_id=f"gate{bad}COx", login_password="pw"),
        PatronInformationRequest(
            transaction_date=NOW, institution_id="P", patron_identifier="p", patron_password=f"1{bad}"
        ),
        CheckoutRequest(
            transaction_date=NOW, institution_id="P", patron_identifier="p", item_identifier=f"i{bad}AAother"
        ),
        ItemInformationResponse(transaction_date=NOW, item_identifier="i", screen_messages=("ok", f"x{bad}")),
        PatronInformationRequest(transaction_date=NOW, summary=f"{bad}         "),
    ]
    for message in attempts:
        with pytest.raises(FieldInjectionError) as caught:
            encode(message, sequence=0)
        assert isinstance(caught.value, LocalProtocolError)
        assert bad not in str(caught.value).replace("CR, LF", "")


def test_fixed_only_message_cannot_forge_a_trailer() -> None:
    with pytest.raises(LocalProtocolError):
        encode(SCStatus(protocol_version="AZ12"), sequence=None, error_detection=False)


def test_values_the_wire_cannot_carry_are_refused() -> None:
    with pytest.raises(FieldValueError):
        encode(PatronInformationRequest(transaction_date=NOW, summary="Y"), sequence=0)
    with pytest.raises(FieldValueError):
        encode(ACSStatus(date_time_sync=NOW, timeout_period=1000), sequence=0)
    with pytest.raises(FieldValueError):
        encode(ItemInformationResponse(transaction_date=NOW, screen_messages=("",)), sequence=0)
    with pytest.raises(FieldValueError):
        encode(LoginResponse(ok=True), sequence=10)
    with pytest.raises(FieldValueError):
        encode(LoginRequest(login_user_id="€uro"), sequence=0, encoding="latin-1")


@pytest.mark.parametrize(
    ("encoding", "expected"), [("cp850", "Hélène".encode("cp850")), ("utf-8", "Hélène".encode())]
)
def test_accents_in_cp850_and_utf8(encoding: str, expected: bytes) -> None:
    message = PatronInformationResponse(
        transaction_date=NOW, personal_name="Hélène Dupré-Çà", institution_id="PARIS"
    )
    frame = encode(message, sequence=3, encoding=encoding)
    assert expected in frame
    assert verify_checksum(frame)
    assert decode(frame, encoding=encoding).message == message


def test_peer_errors_are_typed() -> None:
    with pytest.raises(ChecksumError):
        decode(b"941AY0AZFDFE")
    assert decode(b"941AY0AZFDFE", verify_checksum=False).message == LoginResponse(ok=True)
    with pytest.raises(UnknownCommand):
        decode(b"XX123")
    with pytest.raises(MalformedMessage):
        decode(b"9\r")
    with pytest.raises(MalformedMessage):
        decode(b"64  Y")
    with pytest.raises(MalformedMessage):
        decode(b"24" + b" " * 35 + b"AE\xff\xfe|")
    with pytest.raises(MalformedMessage):
        decode(b"66xABCD12345678" + b" " * 18)
    for error in (ChecksumError, UnknownCommand, MalformedMessage):
        assert issubclass(error, PeerProtocolError)


def test_frame_reader_limits_and_terminators() -> None:
    reader = FrameReader(max_frame=10)
    assert reader.feed(b"\n941AY0AZFDFD\r"[:5]) == []
    with pytest.raises(FrameTooLarge):
        reader.feed(b"x" * 20)
    reader = FrameReader()
    assert reader.feed(b"941\r\n\r\n\n942\r94") == [b"941", b"942"]
    assert reader.feed(b"3\r") == [b"943"]


def test_dates() -> None:
    assert format_sip2_date(datetime(2026, 11, 29, 12, 0)) == "20261129    120000"
    assert format_sip2_date(datetime(2026, 11, 29, 12, 0, tzinfo=UTC)) == "20261129   Z120000"
    assert format_sip2_date(None) == " " * 18
    assert parse_sip2_date("20261129    120000") == datetime(2026, 11, 29, 12, 0)
    assert parse_sip2_date("20261129   Z120000") == datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert parse_sip2_date(" " * 18) is None
    assert parse_sip2_date("20261399    120000") is None
