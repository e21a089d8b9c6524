"""The Starlette application of ``mailtrace serve``.

* ``GET /``: the form (paste headers or a whole message, or choose / drop an ``.eml``,
  ``.mbox`` or ``.msg`` file). No script: the form posts to ``POST /``, which answers with
  the same page as ``mailtrace analyze --format html``, the form above it.
* ``POST /api/analyze``: the schema JSON (``docs/schema.md``) of the body (the raw message or
  mbox, or the same form); one object for one message, an array for several.

Bounds: a body over ``max_upload`` bytes is refused with 413 (read in memory up to the limit,
never written to disk); at most :data:`MAX_MESSAGES` messages of an mbox are analysed.
Every response carries a strict Content-Security-Policy (no script at all; the inlined
stylesheet by its hash), ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy:
no-referrer``; requests naming another ``Host`` than the served address are refused (DNS
rebinding).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import islice
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mailtrace.analyze import analyze_many
from mailtrace.batch import describe
from mailtrace.errors import InputError, MailtraceError
from mailtrace.policy import Policy
from mailtrace.render.html import environment, html_doc, render_page, style_hash
from mailtrace.render.safe import json_safe
from mailtrace.report import Report
from mailtrace.web.forms import Submission, parse_form

#: Largest request body accepted (bytes): 25 MiB, the common attachment limit of mail services.
DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024
#: Messages of one uploaded mbox analysed (the rest are counted, not analysed).
MAX_MESSAGES = 200


def security_headers() -> list[tuple[bytes, bytes]]:
    csp = (
        f"default-src 'none'; style-src {style_hash()}; img-src data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    return [
        (b"content-security-policy", csp.encode("ascii")),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"cache-control", b"no-store"),
    ]


class SecurityHeaders:
    """Adds :func:`security_headers` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (:class:`TooLarge`) as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _analyse(data: bytes, name: str, policy: Policy) -> tuple[list[Report | InputError], int]:
    """The reports (and error records: one bad message of an mbox does not stop the others)."""
    results = list(islice(analyze_many(data, policy=policy, name=name, errors="report"), MAX_MESSAGES + 1))
    return results[:MAX_MESSAGES], max(len(results) - MAX_MESSAGES, 0)


def _input(sub: Submission) -> tuple[bytes, str]:
    if sub.file:
        return sub.file, sub.filename or "<upload>"
    return sub.text, "<pasted>"


def create_app(
    *,
    policy: Policy | None = None,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    live_dns: bool = False,
    hosts: Sequence[str] = ("127.0.0.1", "localhost"),
) -> Starlette:
    """The application; ``policy`` carries the resolver (``None``: nothing is looked up)."""
    environment()  # fails now, naming the extra, when Jinja2 is missing
    policy = policy or Policy()
    page_vars: dict[str, Any] = {"live_dns": live_dns, "checked": policy.resolver is not None, "max_upload": max_upload}

    def render(views: list[dict[str, Any]], errors: Sequence[str]) -> str:
        return render_page(
            views,
            title="mailtrace: paste a message",
            errors=errors,
            template="serve.html.j2",
            standalone=False,
            **page_vars,
        )

    async def page(views: list[dict[str, Any]], *, errors: Sequence[str] = (), status: int = 200) -> Response:
        return HTMLResponse(await run_in_threadpool(render, views, errors), status_code=status)

    async def index(request: Request) -> Response:
        return await page([])

    async def submit(request: Request) -> Response:
        try:
            body = await read_body(request, max_upload)
        except TooLarge:
            return await page([], errors=[f"The upload is larger than the limit of {max_upload:,} bytes."], status=413)
        sub = parse_form(request.headers.get("content-type", ""), body)
        data, name = _input(sub)
        if not data.strip():
            return await page([], errors=["Paste a message or its headers, or choose a file."], status=400)
        try:
            results, more = await run_in_threadpool(_analyse, data, name, policy)
        except MailtraceError as exc:
            return await page([], errors=[str(exc)], status=422)
        errors = [describe(r) for r in results if isinstance(r, InputError)]
        if more:
            errors.append(f"Only the first {MAX_MESSAGES} messages were analysed ({more} more).")
        views = await run_in_threadpool(lambda: [html_doc(r) for r in results if not isinstance(r, InputError)])
        return await page(views, errors=errors, status=200 if views or not errors else 422)

    async def api(request: Request) -> Response:
        try:
            body = await read_body(request, max_upload)
        except TooLarge:
            return _json({"error": {"code": "upload.too_large", "message": f"over {max_upload} bytes"}}, 413)
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() in ("multipart/form-data", "application/x-www-form-urlencoded"):
            data, name = _input(parse_form(content_type, body))
        else:
            data, name = body, request.query_params.get("name") or "<request>"
        if not data.strip():
            return _json({"error": {"code": "input.empty", "message": "the request body holds no message"}}, 400)
        try:
            results, more = await run_in_threadpool(_analyse, data, name, policy)
        except MailtraceError as exc:
            return _json({"error": {"code": "input.unreadable", "message": str(exc)}}, 422)
        docs = [r.to_dict() for r in results]
        if len(docs) == 1 and not more:
            return _json(docs[0], 422 if isinstance(results[0], InputError) else 200)
        return _json(docs, 200)

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/", submit, methods=["POST"]),
            Route("/api/analyze", api, methods=["POST"]),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))],
    )


def _json(doc: Any, status: int) -> Response:
    text = json_safe(json.dumps(doc, ensure_ascii=False))
    return Response(text, status_code=status, media_type="application/json")
