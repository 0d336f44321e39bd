"""uvicorn's HTTP protocol with TCP_NODELAY set on every connection.

With more than one worker, uvicorn 0.54 leaves Nagle's algorithm on (Kludex/uvicorn#3149), which
added about 44 ms to every request on a kept-alive connection in bench/server.py.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
