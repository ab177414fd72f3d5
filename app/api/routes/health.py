"""Liveness and readiness."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.api.crud import problems
from app.api.deps import SessionDep
from app.migrate import alembic_config

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process lives", operation_id="healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database answers and its schema is at the newest migration",
            operation_id="readyz", responses=problems(503))
def readyz(session: SessionDep):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    conn = session.connection()
    conn.execute(text("SELECT 1"))
    current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        return JSONResponse({"status": "migrations pending", "database": current, "head": head}, status_code=503,
                            media_type="application/problem+json")
    return {"status": "ready", "migration": current}
