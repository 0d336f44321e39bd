"""Request body limits, enforced before anything reads the body.

The outermost middleware decides a cap per request from its method and path alone: a declared
Content-Length above it is refused without reading a byte, without authentication and without
the database; a body that streams past it (chunked, or lying about its length) is cut off where
it crosses the cap. GzipRequests applies the same cap to the inflated size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Matched on the raw path, not by the router: the cap must be known before routing. A malformed
# hash still gets the chunk cap; the route then refuses it as invalid.
_BLOB_CHUNK = re.compile(r"/v1/sync/blobs/[^/]+")


async def send_json(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"code": code, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class BodyCaps:
    json_bytes: int
    blob_chunk_bytes: int

    def is_blob_chunk(self, scope: Scope) -> bool:
        return scope.get("method") == "PUT" and bool(_BLOB_CHUNK.fullmatch(scope.get("path", "")))

    def cap_for(self, scope: Scope) -> int:
        """The most body bytes this request may have (after inflating, for gzip bodies)."""
        return self.blob_chunk_bytes if self.is_blob_chunk(scope) else self.json_bytes

    async def refuse(self, scope: Scope, send: Send) -> None:
        # The blob route documents its own code for this; devices split attachments by it.
        if self.is_blob_chunk(scope):
            mib = self.blob_chunk_bytes / (1024 * 1024)
            await send_json(
                send,
                413,
                "chunk_too_large",
                f"Send the attachment in chunks of at most {mib:g} MiB.",
            )
        else:
            await send_json(send, 413, "too_large", "The request body is too large.")


def declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP server refuses these; counting still applies
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp, caps: BodyCaps) -> None:
        self.app = app
        self.caps = caps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.caps.cap_for(scope)
        declared = declared_length(scope)
        if declared is not None and declared > cap:
            await self.caps.refuse(scope, send)
            return
        received = 0
        refused = False
        started = False
        answered = False

        async def limited_receive() -> Message:
            nonlocal received, refused, answered
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    refused = True
                    if not started:
                        answered = True
                        await self.caps.refuse(scope, send)
                    # The app sees a client that went away and reads no further.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 is the answer; what the app makes of the cut body is not
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            # The app failing on a body this middleware cut off is expected, not an error.
            if not refused:
                raise
