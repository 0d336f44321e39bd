"""Accept gzip request bodies (devices compress their pushes), with a hard size limit so a small
compressed body cannot expand into something that exhausts memory: the same per-route cap that
BodyLimit applies to what arrives applies here to what it inflates to."""

from __future__ import annotations

import zlib

from server.body_limit import ASGIApp, BodyCaps, Message, Receive, Scope, Send, send_json


class GzipRequests:
    def __init__(self, app: ASGIApp, caps: BodyCaps) -> None:
        self.app = app
        self.caps = caps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"]]
        encoding = next((v for k, v in headers if k == b"content-encoding"), None)
        if encoding is None or encoding.strip().lower() != b"gzip":
            await self.app(scope, receive, send)
            return
        cap = self.caps.cap_for(scope)
        compressed = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # gone, or cut off by BodyLimit, which has answered
            compressed.extend(message.get("body", b""))
            more = bool(message.get("more_body", False))
            if len(compressed) > cap:
                await self.caps.refuse(scope, send)
                return
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(bytes(compressed), cap + 1)
        except zlib.error:
            await send_json(send, 400, "bad_request", "The gzip body could not be read.")
            return
        if len(body) > cap or inflater.unconsumed_tail:
            await self.caps.refuse(scope, send)
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
