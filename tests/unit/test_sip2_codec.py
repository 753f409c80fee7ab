"""Property tests of the SIP2 codec: round trips, checksums, robustness, framing."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.errors import PeerProtocolError
from adapters.ils.sip2.codec import (
    MESSAGE_TYPES,
    Decoded,
    FrameReader,
    decode,
    encode,
    verify_checksum,
)
from adapters.ils.sip2.layout import BY_TYPE, Fixed, Variable
from adapters.ils.sip2.messages import Message, PatronStatusResponse

ENCODINGS = ("utf-8", "cp850", "latin-1")
FRENCH = "éèêëàâäîïôöùûüçÉÈÊÀÂÎÔÛÇ«»"
FORBIDDEN = "|\r\n\x00"


def _charset(encoding: str) -> st.SearchStrategy[str]:
    if encoding == "utf-8":
        return st.characters(exclude_categories=["Cs"], exclude_characters=FORBIDDEN)
    # Single-byte code pages: every byte decodes to exactly one character.
    alphabet = bytes(range(256)).decode(encoding)
    return st.sampled_from([c for c in alphabet if c not in FORBIDDEN])


_CHARS = {encoding: st.one_of(st.sampled_from(FRENCH), _charset(encoding)) for encoding in ENCODINGS}


def _text(encoding: str, *, min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(_CHARS[encoding], min_size=min_size, max_size=30)


_DATES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda d: d.replace(microsecond=0, tzinfo=UTC)
    ),
)
_OPTIONAL_DATES = st.one_of(st.none(), _DATES)


def _fixed_strategy(spec: Fixed) -> st.SearchStrategy[Any]:
    """Values the table allows, drawn from the table itself (kinds and character classes)."""
    if spec.kind == "date":
        return _DATES
    if spec.kind == "date?":
        return _OPTIONAL_DATES
    if spec.kind in ("yn", "01"):
        return st.booleans()
    if spec.kind == "ynu":
        return st.one_of(st.none(), st.booleans())
    if spec.kind == "int":
        return st.integers(0, 10**spec.width - 1)
    if spec.kind == "count":
        return st.one_of(st.none(), st.integers(0, 10**spec.width - 1))
    return st.from_regex(spec.chars, fullmatch=True)


def _variable_strategy(spec: Variable, encoding: str) -> st.SearchStrategy[Any]:
    if spec.kind in ("req", "opt") and spec.chars:
        text = st.from_regex(spec.chars, fullmatch=True)
        return text if spec.kind == "req" else st.one_of(st.none(), text)
    if spec.kind == "req":
        return _text(encoding)
    if spec.kind == "opt":
        return st.one_of(st.none(), _text(encoding))
    if spec.repeatable:
        return st.lists(_text(encoding, min_size=1), max_size=4).map(tuple)
    if spec.kind == "bool":
        return st.one_of(st.none(), st.booleans())
    if spec.kind == "int":
        return st.one_of(st.none(), st.integers(0, 10**6))
    if spec.kind == "limit":
        return st.one_of(st.none(), st.integers(0, 9999))
    return _OPTIONAL_DATES


@st.composite
def messages(draw: st.DrawFn, encoding: str) -> Message:
    message_type = draw(st.sampled_from(sorted(MESSAGE_TYPES.values(), key=lambda t: t.code)))
    layout = BY_TYPE[message_type]
    values: dict[str, Any] = {}
    for fixed in layout.fixed:
        values[fixed.attr] = draw(_fixed_strategy(fixed))
    for variable in layout.variable:
        values[variable.attr] = draw(_variable_strategy(variable, encoding))
    return message_type(**values)


@st.composite
def framed(draw: st.DrawFn) -> tuple[Message, bytes, str, int | None, bool]:
    encoding = draw(st.sampled_from(ENCODINGS))
    message = draw(messages(encoding))
    sequence = draw(st.one_of(st.none(), st.integers(0, 9)))
    error_detection = draw(st.booleans())
    frame = encode(message, sequence=sequence, encoding=encoding, error_detection=error_detection)
    return message, frame, encoding, sequence, error_detection


def test_every_message_pair_is_covered() -> None:
    expected = {"93", "94", "99", "98", "23", "24", "63", "64", "17", "18", "29", "30", "65", "66"}
    expected |= {"15", "16", "09", "10", "11", "12", "35", "36", "96", "97"}
    expected |= {"01", "19", "20", "25", "26", "37", "38"}  # answered "not OK" by our emulator
    assert set(MESSAGE_TYPES) == expected


@settings(max_examples=400)
@given(framed())
def test_decode_inverts_encode(case: tuple[Message, bytes, str, int | None, bool]) -> None:
    message, frame, encoding, sequence, error_detection = case
    decoded = decode(frame, encoding=encoding)
    assert decoded.message == message
    no_ay = message.code in ("96", "97") or not error_detection
    assert decoded.sequence == (None if no_ay else sequence)
    assert decoded.checksum_present is error_detection


@settings(max_examples=300)
@given(framed())
def test_every_emitted_checksum_verifies_and_frame_is_single(
    case: tuple[Message, bytes, str, int | None, bool],
) -> None:
    _, frame, _, _, error_detection = case
    assert frame.endswith(b"\r")
    assert frame.count(b"\r") == 1
    assert b"\n" not in frame and b"\x00" not in frame
    assert verify_checksum(frame) is error_detection
    if error_detection:
        assert frame[-5:-1] == frame[-5:-1].upper() and len(frame.rsplit(b"AZ", 1)[1]) == 5


@settings(max_examples=1000)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_typed_error_or_a_message(data: bytes) -> None:
    for encoding in ENCODINGS:
        try:
            result = decode(data, encoding=encoding)
        except PeerProtocolError:
            continue
        assert isinstance(result, Decoded)


_SIP_BYTES = st.sampled_from(list(b"0123456789AYZ|NU \r\n\xe9\x82ABCDEFfe"))


@settings(max_examples=500)
@given(
    st.sampled_from(sorted(MESSAGE_TYPES)),
    st.one_of(st.binary(max_size=200), st.lists(_SIP_BYTES, max_size=120).map(bytes)),
)
def test_known_codes_with_arbitrary_bodies_give_a_typed_error_or_a_message(code: str, body: bytes) -> None:
    for encoding in ENCODINGS:
        with contextlib.suppress(PeerProtocolError):
            assert isinstance(decode(code.encode() + body, encoding=encoding), Decoded)


@settings(max_examples=300)
@given(st.lists(st.binary(max_size=50), max_size=20))
def test_frame_reader_on_arbitrary_bytes_never_loses_or_invents_data(chunks: list[bytes]) -> None:
    reader = FrameReader()
    frames = [frame for chunk in chunks for frame in reader.feed(chunk)]
    *segments, rest = b"".join(chunks).split(b"\r")
    assert frames == [s.strip(b"\n") for s in segments if s.strip(b"\n")]
    assert reader.pending == len(rest)


@settings(max_examples=200)
@given(framed(), st.integers(0, 400), st.binary(min_size=1, max_size=3))
def test_corrupted_frames_give_a_typed_error_or_a_message(
    case: tuple[Message, bytes, str, int | None, bool], position: int, junk: bytes
) -> None:
    _, frame, encoding, _, _ = case
    position %= len(frame)
    corrupted = frame[:position] + junk + frame[position + len(junk) :]
    with contextlib.suppress(PeerProtocolError):
        decode(corrupted, encoding=encoding)


@settings(max_examples=150)
@given(
    st.lists(framed(), min_size=1, max_size=5),
    st.lists(st.integers(1, 40), min_size=1, max_size=30),
    st.booleans(),
)
def test_frame_reader_is_independent_of_chunking(
    cases: list[tuple[Message, bytes, str, int | None, bool]], sizes: list[int], crlf: bool
) -> None:
    frames = [case[1] for case in cases]
    stream = b"".join(frame + (b"\n" if crlf else b"") for frame in frames)
    reader = FrameReader()
    received: list[bytes] = []
    position = 0
    for size in sizes * (len(stream) // len(sizes) + 1):
        if position >= len(stream):
            break
        received += reader.feed(stream[position : position + size])
        position += size
    assert received == [frame[:-1] for frame in frames]
    assert reader.pending == (1 if crlf else 0)  # a trailing LF waits for the next frame
    for frame, case in zip(received, cases, strict=True):
        assert decode(frame, encoding=case[2]).message == case[0]


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=100)
@given(data=st.data())
def test_french_accents_round_trip(encoding: str, data: st.DataObject) -> None:
    name = data.draw(st.text(st.sampled_from(FRENCH + "ab "), min_size=1, max_size=20))
    message = PatronStatusResponse(
        transaction_date=datetime(2026, 12, 1), personal_name=name, screen_messages=(name,)
    )
    assert decode(encode(message, sequence=1, encoding=encoding), encoding=encoding).message == message
