"""Gunicorn, embedded, so that ``smartcity demo`` and ``smartcity serve`` run a production WSGI
server with one command. Each worker builds its own app (and database engine) after the fork."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from api.access_log import ACCESS_LOG_FORMAT
from api.config import Settings

__all__ = ["serve"]


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict):
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from api import create_app

        return create_app(self._settings)


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int = 4) -> None:
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            "graceful_timeout": 10,
            "accesslog": "-",
            # No query strings, headers or capabilities (checkout ids) in the access log.
            "logger_class": "api.access_log.AccessLogger",
            "access_log_format": ACCESS_LOG_FORMAT,
        },
    ).run()
