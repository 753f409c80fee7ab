"""Every socket the gateway dials to the ILS (SOAP over HTTP, SIP2) sends small writes at once.

Without TCP_NODELAY, a request written in two pieces (headers, then body; or a SIP2 frame
after the previous one) waits for the peer's delayed ACK (~40 ms on Linux). asyncio sets the
option on the TCP sockets it connects itself, and both clients dial through asyncio; this
checks the sockets actually open to the emulator, whatever library opened them, so a change
of HTTP client or of the way SIP2 connects cannot bring the stall back unnoticed.
"""

from __future__ import annotations

import gc
import socket

import httpx

from adapters.ils.composite import open_composite_ils
from adapters.ils.sip2.config import Sip2Config
from emulator.runner import RunningEmulator
from emulator.seed import CAMILLE


def _sockets_to(port: int) -> list[socket.socket]:
    """The open TCP sockets of this process connected to 127.0.0.1:`port`."""
    found = []
    for thing in gc.get_objects():
        if (
            isinstance(thing, socket.socket)
            and thing.fileno() != -1
            and thing.family in (socket.AF_INET, socket.AF_INET6)
            and thing.type == socket.SOCK_STREAM
        ):
            try:
                peer = thing.getpeername()
            except OSError:
                continue
            if peer[1] == port:
                found.append(thing)
    return found


async def test_soap_and_sip2_sockets_have_tcp_nodelay(emulator: RunningEmulator) -> None:
    config = Sip2Config(emulator.sip2_host, emulator.sip2_port, "gateway", "gateway", size=2)
    soap_port = httpx.URL(emulator.soap_url).port
    async with open_composite_ils(config, emulator.wsdl_url) as ils:
        await ils.get_accounts([CAMILLE])  # opens a pooled HTTP connection to the SOAP service
        await ils.patron_summary(CAMILLE)  # opens and logs in a SIP2 connection
        assert soap_port is not None
        dialled = {"soap": _sockets_to(soap_port), "sip2": _sockets_to(emulator.sip2_port)}

        assert dialled["soap"] and dialled["sip2"], dialled
        for protocol, sockets in dialled.items():
            for sock in sockets:
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0, protocol
