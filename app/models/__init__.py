"""The record's shapes. Every table model is imported here so that Alembic sees them all."""

from app.models.base import *  # noqa: F403
from app.models.meetings import *  # noqa: F403
from app.models.sources import *  # noqa: F403
from app.models.talks import *  # noqa: F403
from app.models.zones import *  # noqa: F403
from app.models.idempotency import *  # noqa: F403
from app.models import hooks  # noqa: E402,F401  (derived columns)
from app.models import indexes  # noqa: E402,F401  (indexes of the filters and of q)
