"""The background worker: one huey consumer for the work that must not run inside a request
(ARCHITECTURE.md, background work). Today: rebuilding and publishing the storefront after catalog changes.

The queue is huey's: a SQLite file on one machine (the demo default), Redis in production
(``SMARTCITY_QUEUE_URL=redis://host:6379/1``). Work is never only in the queue: a change that
needs it is in the outbox (:mod:`commerce.outbox`) with the change itself, the API enqueues a
drain after such a request to act at once, and a periodic drain every minute picks up whatever
an enqueue lost (a crash between commit and enqueue, Redis unreachable for a moment). Draining is
locked, so two workers never build the same site at once.

``smartcity worker`` runs it; ``smartcity demo`` starts it beside the server.
"""

from __future__ import annotations

import logging
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey, crontab

from api.config import Settings

__all__ = ["make_queue", "Jobs"]

log = logging.getLogger("smartcity.worker")


def make_queue(settings: Settings, *, immediate: bool = False) -> Huey:
    url = settings.queue_url
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("smartcity", url=url, immediate=immediate)
    path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else Path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("smartcity", filename=str(path), immediate=immediate)


class Jobs:
    """The queue with this installation's tasks on it; the app enqueues, the worker runs."""

    def __init__(self, settings: Settings, *, immediate: bool = False):
        self.settings = settings
        self.queue = make_queue(settings, immediate=immediate)
        self._drain = self.queue.task(name="storefront.refresh")(self.queue.lock_task("storefront-refresh")(self.refresh_storefront))
        self.queue.periodic_task(crontab(minute="*"), name="storefront.refresh.periodic")(
            self.queue.lock_task("storefront-refresh")(self.refresh_storefront))

    def refresh_storefront(self) -> str:
        from commerce.db import make_engine, make_session_factory
        from commerce.unit_of_work import UnitOfWork
        from api.storefront import storefront_build_dir, storefront_settings, storefront_target
        from sites.storefront.refresh import refresh_storefront

        engine = make_engine(self.settings.database_url)
        sessions = make_session_factory(engine)
        try:
            result = refresh_storefront(
                lambda: UnitOfWork(sessions), engine, build_dir=storefront_build_dir(self.settings),
                settings=storefront_settings(self.settings), target=storefront_target(self.settings),
                target_url=self.settings.storefront_target)
        finally:
            engine.dispose()
        if result.events:
            log.info(result.line())
        return result.line()

    def kick(self) -> None:
        """Ask the worker to drain the outbox now. Never fails a request: if the queue cannot be
        reached, the periodic drain does the work within a minute."""
        try:
            self._drain()
        except Exception as error:  # noqa: BLE001 - any queue failure: the outbox still has the work
            log.warning("could not enqueue the storefront refresh (%s); the periodic drain will do it",
                        type(error).__name__)

    def run_worker(self, *, workers: int = 1) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        self.queue.create_consumer(workers=workers, periodic=True, initial_delay=0.2, max_delay=2.0).run()
