"""Flask extensions created once and bound to each app in the factory."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

__all__ = ["limiter", "auth_limit"]

limiter = Limiter(key_func=get_remote_address)


def auth_limit() -> str:
    """Login and registration attempts allowed per client address (SMARTCITY_AUTH_RATE_LIMIT)."""
    return current_app.extensions["smartcity"].settings.auth_rate_limit
