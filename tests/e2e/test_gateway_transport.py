"""The gateway's listening socket: what every accepted connection inherits from it."""

from __future__ import annotations

import socket

from gateway.serve import listening_socket


def test_accepted_connections_do_not_wait_for_delayed_acks() -> None:
    # Without TCP_NODELAY a kept-alive answer (headers, then body) waits ~40 ms for the
    # client's delayed ACK; asyncio would not set it on a socket from create_server.
    with (
        listening_socket("127.0.0.1", 0) as listener,
        socket.create_connection(listener.getsockname()[:2]),
    ):
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
