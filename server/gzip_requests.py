"""Accept gzip request bodies (devices compress their pushes), with a hard size limit so a small
compressed body cannot expand into something that exhausts memory."""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 16 * 1024 * 1024


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
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


class GzipRequests:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"]]
        encoding = next((v for k, v in headers if k == b"content-encoding"), None)
        if encoding is None or encoding.strip().lower() != b"gzip":
            await self.app(scope, receive, send)
            return
        compressed = bytearray()
        more = True
        while more:
            message = await receive()
            compressed.extend(message.get("body", b""))
            more = bool(message.get("more_body", False))
            if len(compressed) > self.max_body:
                await _refuse(send, 413, "too_large", "The request body is too large.")
                return
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(bytes(compressed), self.max_body + 1)
        except zlib.error:
            await _refuse(send, 400, "bad_request", "The gzip body could not be read.")
            return
        if len(body) > self.max_body or inflater.unconsumed_tail:
            await _refuse(send, 413, "too_large", "The request body is too large.")
            return
        scope = dict(scope)
        scope["headers"] = [
            (k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")
        ] + [(b"content-length", str(len(body)).encode())]
        sent = False

        async def inflated() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, inflated, send)
