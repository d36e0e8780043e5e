"""Keeping the published storefront fresh: what the worker does when the catalog changes.

Sellers' edits and the city's store decisions are recorded in the outbox in the same
transaction as the edit (:mod:`commerce.outbox`). Draining it rebuilds only the pages those
changes touch (:func:`sites.storefront.build.rebuild_storefront`) and publishes the build with
the same publisher as every site, which uploads only files whose bytes changed. The events are
marked handled after the publish: a crash in between makes the next run do the same work again,
which gives the same pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, NamedTuple

from sqlalchemy import Engine

from commerce import outbox
from commerce.unit_of_work import UnitOfWork
from sites.publish import PublishSummary, publish
from sites.storage import ObjectStorage
from sites.storefront.build import BuildSummary, rebuild_storefront
from sites.storefront.render import SiteSettings

__all__ = ["RefreshResult", "refresh_storefront", "TOPICS"]

TOPICS = (outbox.PRODUCT_CHANGED, outbox.STORE_CHANGED)


class RefreshResult(NamedTuple):
    events: int
    build: BuildSummary | None
    published: PublishSummary | None

    def line(self) -> str:
        if not self.events:
            return "storefront: nothing changed"
        return f"{self.events} catalog change(s): {self.build.line()}; {self.published.line()}"


def refresh_storefront(
    unit_of_work: Callable[[], UnitOfWork], engine: Engine, *, build_dir: Path, settings: SiteSettings,
    target: ObjectStorage, target_url: str,
) -> RefreshResult:
    with unit_of_work() as uow:
        events = outbox.pending(uow, TOPICS)
        products = {e.ref_id for e in events if e.topic == outbox.PRODUCT_CHANGED}
        stores = {e.ref_id for e in events if e.topic == outbox.STORE_CHANGED}
        handled = [e.id for e in events]
    if not handled:
        return RefreshResult(0, None, None)
    build = rebuild_storefront(build_dir, engine=engine, settings=settings, product_ids=products, store_ids=stores)
    published = publish("storefront", build_dir, target, target=target_url)
    with unit_of_work() as uow:
        outbox.mark_handled(uow, handled)
        uow.commit()
    return RefreshResult(len(handled), build, published)
