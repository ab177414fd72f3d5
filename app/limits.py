"""Request body limit: a body larger than the setting gets 413 problem+json, whatever its
Content-Length says, before any of it is parsed."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TYPE_BASE


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._reject(scope, send)
        seen = 0
        started = rejected = False

        async def counting_receive() -> Message:
            # Past the limit we answer 413 at once and tell the app the client has gone: raising
            # here instead would be caught by the framework's body parsing and become a 400.
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    rejected = True
                    if not started:
                        await self._reject(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if rejected:  # the 413 is the answer; whatever the app says after it is dropped
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, tracking_send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        body = orjson.dumps({"type": TYPE_BASE + "payload-too-large", "title": "The request body is too large",
                             "status": 413, "detail": f"at most {self.max_bytes} bytes", "instance": scope["path"]})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
