"""Freshness: a seller's change reaches the published storefront through the worker, and only
the pages it touches are uploaded (counted on a real S3 server, SeaweedFS).

The worker runs as `smartcity worker` in its own process, on the same job queue (a SQLite file)
as the app; the app asks it to drain the outbox after the seller's request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import boto3
import pytest

from api.worker import Jobs
from commerce import outbox
from commerce.unit_of_work import UnitOfWork
from tests.helpers import ApiClient
from tests.s3server import seaweedfs  # noqa: F401  (fixture)
from tests.storefront_support import make_market

pytestmark = pytest.mark.slow


def _etags(endpoint: str, bucket: str) -> dict[str, str]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    tags = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        tags |= {item["Key"]: item["ETag"] for item in page.get("Contents", [])}
    return tags


def _object(endpoint: str, bucket: str, key: str) -> str:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()


@pytest.fixture
def worker_setup(make_app, database_url, seaweedfs, tmp_path):  # noqa: F811
    bucket = f"etalase-{os.getpid()}-{time.monotonic_ns() % 100000}"
    boto3.client("s3", endpoint_url=seaweedfs, region_name="us-east-1").create_bucket(Bucket=bucket)
    app = make_app(storefront_target_url=f"s3://{bucket}", s3_endpoint_url=seaweedfs)
    env = os.environ | {
        "DATABASE_URL": database_url, "SMARTCITY_VAR_DIR": str(tmp_path), "SMARTCITY_STORAGE": (tmp_path / "storage").as_uri(),
        "SMARTCITY_STOREFRONT_TARGET": f"s3://{bucket}", "SMARTCITY_S3_ENDPOINT_URL": seaweedfs,
    }
    log = open(tmp_path / "worker.log", "wb")
    yield app, bucket, env, log
    log.close()


def test_a_price_change_reaches_the_published_storefront_with_only_its_pages_uploaded(worker_setup, seaweedfs):  # noqa: F811
    app, bucket, env, log = worker_setup
    api = ApiClient(app)
    market = make_market(api)
    # the first publish, of everything (what the market's creation left in the outbox)
    assert "catalog change" in app.extensions["smartcity"].jobs.refresh_storefront()
    before = _etags(seaweedfs, bucket)
    page = f"produk/{market.amplang['slug']}/index.html"
    assert "Rp35.000" in _object(seaweedfs, bucket, page)

    worker = subprocess.Popen([sys.executable, "-c", "from api.cli import main; main(['worker'])"], env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        changed = api.call("PATCH", f"/api/v1/stores/{market.store_a['id']}/variants/{market.amplang['variants'][0]['id']}",
                           token=market.seller_a, json={"price": 37500})
        assert changed.status_code == 200, changed.json
        deadline = time.monotonic() + 60
        while "Rp37.500" not in _object(seaweedfs, bucket, page):
            assert worker.poll() is None, (log.flush(), (env["SMARTCITY_VAR_DIR"] + "/worker.log"))
            assert time.monotonic() < deadline, "the change did not reach the storefront within 60 s"
            time.sleep(0.5)
        waited = 60 - (deadline - time.monotonic())
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
    after = _etags(seaweedfs, bucket)
    uploaded = {key for key, tag in after.items() if before.get(key) != tag and not key.startswith(".smartcity/")}
    store_a = market.store_a["slug"]
    touched = {page, "index.html", f"toko/{store_a}/index.html", "kategori/kue-camilan/index.html"}
    assert uploaded == touched, f"uploaded {sorted(uploaded)} after {waited:.1f} s"
    assert set(after) == set(before)  # nothing deleted, nothing new
    assert "Rp37.500" in _object(seaweedfs, bucket, f"toko/{store_a}/index.html")


def test_work_is_not_lost_when_the_queue_cannot_be_reached(make_app, monkeypatch, tmp_path):
    app = make_app()
    api = ApiClient(app)
    jobs: Jobs = app.extensions["smartcity"].jobs

    def unreachable(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(jobs.queue, "enqueue", unreachable)
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])  # answers as usual: the request does not wait for the queue
    with UnitOfWork(app.extensions["smartcity"].session_factory) as uow:
        waiting = {(e.topic, e.ref_id) for e in outbox.pending(uow, (outbox.PRODUCT_CHANGED, outbox.STORE_CHANGED))}
    assert (outbox.PRODUCT_CHANGED, product["id"]) in waiting
    # the periodic drain does it
    assert "catalog change" in jobs.refresh_storefront()
    assert (tmp_path / "sites" / "storefront" / "produk" / product["slug"] / "index.html").is_file()
    with UnitOfWork(app.extensions["smartcity"].session_factory) as uow:
        assert outbox.pending(uow, (outbox.PRODUCT_CHANGED, outbox.STORE_CHANGED)) == []
    assert jobs.refresh_storefront() == "storefront: nothing changed"
