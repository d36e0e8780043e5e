"""The Flask app: HTTP only. It wires configuration, database, storage and blueprints, and
maps domain errors to problem responses; business rules live in the domain packages.

Importing ``api`` stays cheap (the CLI's site and publish commands need none of Flask):
:func:`create_app` loads the web stack on first call.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(settings=None):
    from api.app import create_app as build

    return build(settings)
