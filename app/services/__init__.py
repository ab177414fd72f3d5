from app.services.entities import *  # noqa: F403
