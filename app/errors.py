"""Errors are small classes carrying their HTTP status; one handler renders them all as
RFC 9457 problem+json. No traceback ever reaches a client."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.settings import get_settings

log = logging.getLogger("peacetrack")
PROBLEM = "application/problem+json"
TYPE_BASE = "https://peacetrack.example/problems/"


class AppError(Exception):
    status = 500
    type = "internal"
    title = "Internal server error"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}


class BadRequest(AppError):
    status, type, title = 400, "bad-request", "Bad request"


class Unauthorized(AppError):
    status, type, title = 401, "unauthorized", "An API key is needed"

    def __init__(self, detail: str | None = None):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="peacetrack"'})


class Forbidden(AppError):
    status, type, title = 403, "forbidden", "The API key lacks the scope"


class NotFound(AppError):
    status, type, title = 404, "not-found", "Not found"


class NotAcceptable(AppError):
    status, type, title = 406, "not-acceptable", "No representation matches Accept"


class Conflict(AppError):
    status, type, title = 409, "conflict", "Conflicts with the stored record"


class PreconditionFailed(AppError):
    status, type, title = 412, "precondition-failed", "The resource changed since you read it"


class PayloadTooLarge(AppError):
    status, type, title = 413, "payload-too-large", "The request body is too large"


class Unprocessable(AppError):
    status, type, title = 422, "validation", "The request is not valid"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])


class PreconditionRequired(AppError):
    status, type, title = 428, "precondition-required", "Send If-Match with the ETag you read"


class Unavailable(AppError):
    status, type, title = 503, "unavailable", "The database is unavailable; try again shortly"

    def __init__(self, detail: str | None = None):
        super().__init__(detail, headers={"Retry-After": str(get_settings().retry_after_seconds)})


def problem(request: Request, error: AppError) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + error.type,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": request.url.path,
    }
    if error.errors:
        body["errors"] = error.errors
    return JSONResponse(body, status_code=error.status, headers=error.headers, media_type=PROBLEM)


def _field(loc: tuple[Any, ...]) -> str:
    """The dotted name of the field at fault: ('body', 'participants', 0, 'party_id') names
    participants.0.party_id; an error of the body as a whole (bad JSON) names `body`."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    if parts and isinstance(loc[0], str) and loc[0] == "body" and all(isinstance(p, int) for p in loc[1:]):
        return "body"
    return ".".join(parts) or ".".join(str(p) for p in loc)


def _out_of_range() -> AppError:
    err = AppError("a value is out of the range (or of a kind) the database can store")
    err.status, err.type, err.title = 422, "validation", "The request is not valid"
    return err


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError):
        return problem(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [{"field": _field(tuple(e["loc"])), "message": e["msg"], "type": e["type"]}
                  for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        err = AppError(detail, errors=errors)
        err.status, err.type, err.title = 422, "validation", "The request is not valid"
        return problem(request, err)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
            # a JSON body that is not UTF-8 is malformed JSON: 422 naming the body, as for bad syntax
            return problem(request, Unprocessable("body", "JSON must be UTF-8 (RFC 8259)"))
        err = AppError(str(exc.detail), headers=dict(exc.headers or {}))
        err.status, err.type, err.title = exc.status_code, f"http-{exc.status_code}", str(exc.detail)
        return problem(request, err)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError):
        return problem(request, Conflict("the change breaks a uniqueness or reference rule"))

    @app.exception_handler(PoolTimeout)
    async def _pool(request: Request, exc: PoolTimeout):
        return problem(request, Unavailable("no database connection was free in time"))

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError):
        log.warning("database unavailable: %s", exc.orig)
        return problem(request, Unavailable())

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError):
        # a value the column cannot hold (Postgres: integer out of range, NUL in text, ...)
        log.info("database refused a value: %s", exc.orig)
        return problem(request, _out_of_range())

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError):  # SQLite: an integer beyond 64 bits
        return problem(request, _out_of_range())

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError):
        if exc.connection_invalidated:
            return problem(request, Unavailable())
        log.exception("database error")
        return problem(request, AppError("the database refused the request"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(request, AppError())
