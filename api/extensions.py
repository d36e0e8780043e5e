"""Flask extensions created once and bound to each app in the factory."""

from flask import current_app
from flask_limiter import Limiter

from api.clients import client_address

__all__ = ["limiter", "auth_limit"]

# Per client address (an IPv6 client per /64), as the trusted proxies report it.
limiter = Limiter(key_func=client_address)


def auth_limit() -> str:
    """Login and registration attempts allowed per client address (SMARTCITY_AUTH_RATE_LIMIT)."""
    return current_app.extensions["smartcity"].settings.auth_rate_limit
