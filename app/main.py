"""The application: where a request goes. Routers per resource, one error handler, offline docs."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from app import errors, idempotency
from app.api import examples
from app.api.crud import Problem
from app.api.routes import articles, health, meetings, reference, rounds, zones
from app.fastread import FastReads
from app.limits import BodySizeLimit
from app.overload import ConcurrencyLimit, SerialWrites
from app.settings import get_settings
from app.textguard import reject_unstorable_text

API_VERSION = "1.3.2"  # moves with every change of the API; see CHANGELOG in the README

DESCRIPTION = """
A queryable record of peace talks: rounds, delegations, meetings and de-escalation zones,
each fact traced to the sentence of the article that reported it. Names are stored in Arabic
and English with aliases; `q` matches Arabic whatever its diacritics, tatweel, hamza and alef
forms. Reads are public; writes need `Authorization: Bearer <api key>`. Errors are RFC 9457
problem+json.
"""


@asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    freeze_startup_objects()
    yield


_frozen = False


def freeze_startup_objects() -> None:
    """Once per process, at start-up: the objects made by importing the app (models, routes,
    OpenAPI, SQLAlchemy's mappers) live as long as it does, so the cyclic garbage collector is
    told to stop scanning them (gc.freeze). Its full collections scanned them all: at 32 clients
    they put a 50-row page's p99 at 127 ms against 62 ms frozen (bench/README.md).

    And the youngest generation is collected every 20,000 new containers instead of 700: a page of
    100 GeoJSON features makes about a thousand, so with the default every request paid one or two
    collections (zones GeoJSON at 32 clients: 1.92 -> 1.69 CPU ms per request, p99 76 -> 66 ms)."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, 50, 100)
        _frozen = True


def create_app() -> FastAPIOffline:
    settings = get_settings()
    logging.basicConfig(level=logging.INFO)
    app = FastAPIOffline(title="Peacetrack", version=API_VERSION, description=DESCRIPTION, lifespan=lifespan,
                         dependencies=[Depends(reject_unstorable_text)])  # NUL, lone surrogates: 422
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SerialWrites)  # SQLite: one write at a time, waiting on the event loop
    app.add_middleware(FastReads, fastapi_app=app)  # Postgres: GET lists and items without threads
    app.add_middleware(ConcurrencyLimit)  # overload: 503 at once rather than an endless queue
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match",
                                          "Idempotency-Key"],
                           expose_headers=["ETag", "Link", "Location", "Deprecation", "Retry-After",
                                          "Idempotent-Replayed"])
    errors.install(app)
    idempotency.install(app)
    for module in (health, reference, rounds, meetings, zones, articles):
        for router in getattr(module, "routers", [getattr(module, "router", None)]):
            app.include_router(router)
    app.openapi = lambda: _openapi_with_problem(app)
    return app


def _if_match_required(doc: dict) -> None:
    """A change or a delete without If-Match answers 428 (app/api/representation.py): the document
    says the header is required. The route takes it as optional so that its absence is that 428,
    with its problem+json, and not FastAPI's 422."""
    for operations in doc["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if param["in"] == "header" and param["name"] == "If-Match":
                    param["required"] = True
                    param["schema"] = {"type": "string", "title": "If-Match"}


def _openapi_with_problem(app: FastAPIOffline) -> dict:
    """The generated document, with the Problem schema that every error response refers to and
    an example on every field (app/api/examples.py)."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        _if_match_required(doc)
        doc.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}")
        app.openapi_schema = examples.fill(doc)
    return app.openapi_schema


app = create_app()
