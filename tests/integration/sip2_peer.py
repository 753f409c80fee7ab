"""A bare SIP2 peer for the emulator's integration tests: frames in and out over a real socket."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import datetime

from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import decode, encode, verify_checksum
from emulator.runner import RunningEmulator

NOW = datetime(2026, 12, 1, 10, 0, 0)
CAMILLE_PASSWORD = "14071985"


class Peer:
    """One connection, nothing clever: every answer must be strict SIP2 2.00, checksummed, with our AY."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, encoding: str) -> None:
        self.reader, self.writer, self.encoding = reader, writer, encoding

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def frame(self) -> bytes:
        return await asyncio.wait_for(self.reader.readuntil(b"\r"), timeout=5)

    async def closed(self) -> bool:
        return await asyncio.wait_for(self.reader.read(), timeout=5) == b""

    async def ask(self, message: m.Message, sequence: int | None = 1) -> m.Message:
        await self.send(encode(message, sequence=sequence, encoding=self.encoding))
        frame = await self.frame()
        assert verify_checksum(frame.rstrip(b"\r"))
        decoded = decode(frame, encoding=self.encoding, strict=True)  # what a strict SC accepts
        assert decoded.sequence == sequence
        return decoded.message

    async def login(self, user: str = "gateway", password: str = "gateway") -> m.Message:
        return await self.ask(m.LoginRequest(login_user_id=user, login_password=password), sequence=0)


_OPEN: list[Peer] = []


async def connect(emu: RunningEmulator, encoding: str = "utf-8") -> Peer:
    """A new connection (not logged in), closed by `close_all`."""
    reader, writer = await asyncio.open_connection(emu.sip2_host, emu.sip2_port)
    _OPEN.append(Peer(reader, writer, encoding))
    return _OPEN[-1]


async def close_all() -> None:
    """Close every connection `connect` opened."""
    while _OPEN:
        writer = _OPEN.pop().writer
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


def patron_info(card: str, password: str | None = None, summary: int | None = None, **kw: int) -> m.Message:
    """A 63 asking for the list at position `summary` (None: counts only)."""
    flags = [" "] * 10
    if summary is not None:
        flags[summary] = "Y"
    return m.PatronInformationRequest(
        transaction_date=NOW,
        summary="".join(flags),
        institution_id="PARIS",
        patron_identifier=card,
        patron_password=password,
        **kw,  # type: ignore[arg-type]
    )


def loan_of(emu: RunningEmulator, item: str) -> tuple[int, str] | None:
    """(renewal count, due date) of the loan on `item`, read straight from the database."""
    with sqlite3.connect(emu.db_path) as db:
        row = db.execute("SELECT renewal_count, due_date FROM loans WHERE item_id = ?", (item,)).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))
