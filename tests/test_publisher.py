"""The site publisher against a real S3 server (SeaweedFS) and a local folder."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest

from sites.publish import PublishLocked, PublishOptions, TooManyDeletes, publish, publisher
from sites.publish.headers import CONTENT_TYPES, UnknownFileType, headers_for
from sites.publish.lock import PublishLock
from sites.publish.manifest import LOCK_KEY, MANIFEST_KEY, PENDING_KEY
from sites.storage import open_storage
from tests.s3server import seaweedfs  # noqa: F401  (fixture)

EVERY_TYPE = {
    "index.html": b"<!doctype html><title>Beranda</title>",
    "pilar/index.html": b"<!doctype html><title>Pilar</title>",
    "assets/stylesheets/main.8a3c1f2e.min.css": b"body{}",
    "assets/javascripts/bundle.1b2c3d4e5f.min.js": b"console.log(1)",
    "assets/javascripts/lunr/min/lunr.stemmer.support.min.js": b"x",
    "assets/images/favicon.png": b"\x89PNG\r\n",
    "img/peta.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "img/foto.jpg": b"\xff\xd8\xff",
    "img/foto.webp": b"RIFF",
    "fonts/roboto.woff2": b"wOF2",
    "data/kasus.json": b"{}",
    "data/kasus.csv": b"tanggal,kasus\n",
    "data/kasus.json.gz": b"\x1f\x8b",
    "sitemap.xml": b"<urlset/>",
    "sitemap.xml.gz": b"\x1f\x8b",
    "search/search_index.json": b"{}",
    "robots.txt": b"User-agent: *",
    "site.webmanifest": b"{}",
    "404.html": b"<!doctype html>",
    "unduh/laporan.pdf": b"%PDF-1.4",
}


def write_site(root: Path, files: dict[str, bytes]) -> Path:
    for key, data in files.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def synthetic_site(root: Path, pages: int, *, version: str = "v1") -> Path:
    """``pages`` pages, each with its own fingerprinted stylesheet it links to."""
    files = {"index.html": b"<a href='p0/'>mulai</a>", "sitemap.xml": b"<urlset/>"}
    for i in range(pages):
        asset = f"assets/p{i}.{(i * 2654435761) % 2**32:08x}.css"
        files[asset] = f"/* {i} */".encode()
        files[f"p{i}/index.html"] = f"<link href='/{asset}'><p>{version} {i}</p>".encode()
    return write_site(root, files)


def bucket(endpoint: str) -> str:
    name = f"site-{uuid.uuid4().hex[:10]}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=name)
    return name


def keys(endpoint: str, name: str, prefix: str = "") -> set[str]:
    client = boto3.client("s3", endpoint_url=endpoint)
    found = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix=prefix):
        found |= {o["Key"][len(prefix):] for o in page.get("Contents", [])}
    return found


def test_header_table_covers_every_type_and_refuses_unknown():
    for key in EVERY_TYPE:
        headers_for(key)
    assert headers_for("a/b.html").content_type == "text/html; charset=utf-8"
    assert headers_for("assets/main.8a3c1f2e.min.css").cache_control == "public, max-age=31536000, immutable"
    assert headers_for("index.html").cache_control.startswith("public, max-age=60")
    assert headers_for("data/x.json.gz") == ("application/json; charset=utf-8", "public, max-age=60, must-revalidate", "gzip")
    assert all("charset" in t for s, t in CONTENT_TYPES.items() if t.startswith("text/"))
    with pytest.raises(UnknownFileType):
        headers_for("bin/program.exe")
    # a date is not a content hash: a dated data file must not be cached for a year
    assert headers_for("data/kasus.20241203.json").cache_control.startswith("public, max-age=60")
    assert headers_for("assets/MAIN.8A3C1F2E.CSS").cache_control == "public, max-age=31536000, immutable"


@pytest.mark.s3
def test_every_file_type_gets_its_headers_on_s3(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    site = write_site(tmp_path / "site", EVERY_TYPE)
    storage = open_storage(f"s3://{name}/docs", endpoint_url=seaweedfs)
    summary = publish("docs", site, storage, target=f"s3://{name}/docs")
    assert summary.uploaded == len(EVERY_TYPE) and summary.deleted == 0
    client = boto3.client("s3", endpoint_url=seaweedfs)
    for key in EVERY_TYPE:
        head = client.head_object(Bucket=name, Key=f"docs/{key}")
        expected = headers_for(key)
        assert head["ContentType"] == expected.content_type, key
        assert head["CacheControl"] == expected.cache_control, key
        assert head.get("ContentEncoding") == expected.content_encoding, key
    stored = client.get_object(Bucket=name, Key=f"docs/{MANIFEST_KEY}")
    assert stored["ContentEncoding"] == "gzip"
    manifest = json.loads(gzip.decompress(stored["Body"].read()))
    assert set(manifest["files"]) == set(EVERY_TYPE)
    assert not any(k.endswith(LOCK_KEY) for k in keys(seaweedfs, name))


@pytest.mark.s3
def test_more_than_1000_objects_only_changes_upload_and_big_deletions_are_capped(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    target = f"s3://{name}/situs"
    storage = open_storage(target, endpoint_url=seaweedfs)
    site = synthetic_site(tmp_path / "a", 700)  # 1,402 files
    first = publish("big", site, storage, target=target, options=PublishOptions(jobs=16))
    assert first.uploaded == 1402
    assert len(keys(seaweedfs, name, "situs/")) == 1402 + 1  # + manifest

    again = publish("big", synthetic_site(tmp_path / "b", 700), storage, target=target)
    assert (again.uploaded, again.unchanged, again.deleted) == (0, 1402, 0)

    changed = synthetic_site(tmp_path / "c", 700)
    (changed / "p5/index.html").write_bytes(b"<p>diubah</p>")
    one = publish("big", changed, storage, target=target)
    assert (one.uploaded, one.plan.uploads["html"]) == (1, ["p5/index.html"])

    small = synthetic_site(tmp_path / "d", 100)  # 1,200 stale files
    with pytest.raises(TooManyDeletes):
        publish("big", small, storage, target=target)
    assert len(keys(seaweedfs, name, "situs/")) == 1403  # refused before changing anything
    dry = publish("big", small, storage, target=target, options=PublishOptions(dry_run=True, max_deletes=None))
    assert dry.deleted == 1200 and len(keys(seaweedfs, name, "situs/")) == 1403
    done = publish("big", small, storage, target=target, options=PublishOptions(max_deletes=None))
    assert done.deleted == 1200
    assert keys(seaweedfs, name, "situs/") == {k.relative_to(small).as_posix() for k in small.rglob("*") if k.is_file()} | {MANIFEST_KEY}


# Every PUT is slowed down, in the forked upload processes of a big phase too (the class is
# patched, not the instance), so that the test has time to kill the publish half-way.
PUBLISH_SCRIPT = """
import sys, time
from pathlib import Path
from sites.publish import publish, PublishOptions
from sites.storage import open_storage
from sites.storage.s3 import S3Storage
put = S3Storage.put
def slow_put(self, *args, **kwargs):
    time.sleep(0.02)
    return put(self, *args, **kwargs)
S3Storage.put = slow_put
storage = open_storage(sys.argv[2], endpoint_url=sys.argv[3])
print(publish("docs", Path(sys.argv[1]), storage, target=sys.argv[2], options=PublishOptions(jobs=2)).line())
"""


@pytest.mark.s3
def test_publish_killed_half_way_leaves_a_whole_site_and_the_next_run_converges(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    target = f"s3://{name}/docs"
    storage = open_storage(target, endpoint_url=seaweedfs)
    publish("docs", synthetic_site(tmp_path / "old", 300, version="lama"), storage, target=target)
    new = synthetic_site(tmp_path / "new", 600, version="baru")
    process = subprocess.Popen([sys.executable, "-c", PUBLISH_SCRIPT, str(new), target, seaweedfs],
                               env=os.environ | {"PYTHONPATH": str(Path.cwd())}, start_new_session=True)
    # old: 602 files + manifest; the new site adds 300 stylesheets, then 300 new pages: kill it
    # once it is well into the pages
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(keys(seaweedfs, name, "docs/")) < 603 + 300 + 20:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    live = keys(seaweedfs, name, "docs/")
    assert LOCK_KEY in live  # the dead publish left its lock behind
    client = boto3.client("s3", endpoint_url=seaweedfs)
    for key in (k for k in live if k.endswith(".html") and k.startswith("p")):
        page = client.get_object(Bucket=name, Key=f"docs/{key}")["Body"].read().decode()
        asset = page.split("href='/")[1].split("'")[0]
        assert asset in live, f"{key} is live but its stylesheet {asset} is not"

    assert PENDING_KEY in live  # and its journal of the keys no manifest knows yet

    # Rolling back to the old site must remove what the dead publish added, although no
    # manifest names those files: its journal does (no listing of the bucket is involved).
    old = tmp_path / "old"
    rollback = publish("docs", old, storage, target=target, options=PublishOptions(max_deletes=None))
    assert rollback.deleted > 0
    assert keys(seaweedfs, name, "docs/") == {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()} | {MANIFEST_KEY}

    converged = publish("docs", new, storage, target=target, options=PublishOptions(max_deletes=None))
    assert converged.deleted == 0  # the old site's files are all part of the new one (p0..p299)
    expected = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    assert keys(seaweedfs, name, "docs/") == expected | {MANIFEST_KEY}
    assert publish("docs", new, storage, target=target).uploaded == 0


class Killed(BaseException):
    """Stands for SIGKILL at one precise call: nothing after it runs (but ``finally`` blocks do,
    so the lock is released and the next publish need not wait for it to expire)."""


def dies_at(storage, method: str, when) -> None:
    """Make ``storage.<method>`` raise :class:`Killed` the first time ``when(*args)`` holds."""
    real = getattr(storage, method)
    state = {"dead": False}

    def call(*args, **kwargs):
        if not state["dead"] and when(*args):
            state["dead"] = True
            raise Killed(method)
        return real(*args, **kwargs)

    setattr(storage, method, call)


def restyled_site(root: Path, pages: int, version: str, *, extra: bool = False) -> Path:
    """The same pages in every version, each linking to a stylesheet whose fingerprint changes."""
    files = {"index.html": b"<a href='p0/'>mulai</a>", "sitemap.xml": b"<urlset/>"}
    names = [f"p{i}" for i in range(pages)] + (["lama"] if extra else [])
    for name in names:
        asset = f"assets/{name}.{uuid.uuid5(uuid.NAMESPACE_URL, version + name).hex[:8]}.css"
        files[asset] = f"/* {version} {name} */".encode()
        files[f"{name}/index.html"] = f"<link href='/{asset}'><p>{version} {name}</p>".encode()
    return write_site(root, files)


def assert_every_page_whole(endpoint: str, name: str, prefix: str) -> set[str]:
    live = keys(endpoint, name, prefix)
    client = boto3.client("s3", endpoint_url=endpoint)
    for key in (k for k in live if k.endswith("/index.html")):
        page = client.get_object(Bucket=name, Key=prefix + key)["Body"].read().decode()
        asset = page.split("href='/")[1].split("'")[0]
        assert asset in live, f"{key} is live but its stylesheet {asset} is not"
    return live


@pytest.mark.s3
def test_rolling_back_after_a_killed_publish_restores_the_pages_it_overwrote(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    target = f"s3://{name}/docs"
    v1, v2 = restyled_site(tmp_path / "v1", 10, "v1"), restyled_site(tmp_path / "v2", 10, "v2")
    publish("docs", v1, open_storage(target, endpoint_url=seaweedfs), target=target)
    dying = open_storage(target, endpoint_url=seaweedfs)
    # one upload at a time, in key order: v2's stylesheets, then p0..p4 overwritten, then killed
    dies_at(dying, "put", lambda key, *_: key == "p5/index.html")
    with pytest.raises(Killed):
        publish("docs", v2, dying, target=target, options=PublishOptions(jobs=1))
    client = boto3.client("s3", endpoint_url=seaweedfs)
    assert b"v2 p0" in client.get_object(Bucket=name, Key="docs/p0/index.html")["Body"].read()
    assert_every_page_whole(seaweedfs, name, "docs/")

    # Back to v1: p0..p4 match v1's manifest but hold v2's bytes, and v2's stylesheets are
    # stale. The journal says which keys the killed publish touched.
    rollback = publish("docs", v1, open_storage(target, endpoint_url=seaweedfs), target=target,
                       options=PublishOptions(max_deletes=None))
    assert rollback.deleted == 10
    live = assert_every_page_whole(seaweedfs, name, "docs/")
    assert live == {p.relative_to(v1).as_posix() for p in v1.rglob("*") if p.is_file()} | {MANIFEST_KEY}
    for i in range(10):
        page = client.get_object(Bucket=name, Key=f"docs/p{i}/index.html")["Body"].read()
        assert page == (v1 / f"p{i}/index.html").read_bytes()


@pytest.mark.s3
def test_a_publish_killed_after_its_manifest_still_gets_its_stale_files_deleted(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    target = f"s3://{name}/docs"
    old, new = restyled_site(tmp_path / "old", 3, "v1", extra=True), restyled_site(tmp_path / "new", 3, "v1")
    storage = open_storage(target, endpoint_url=seaweedfs)
    publish("docs", old, storage, target=target)
    planned = publish("docs", new, storage, target=target, options=PublishOptions(dry_run=True))
    lama = next(k for k in planned.plan.deletes if k.startswith("assets/"))
    assert planned.plan.deletes == ["lama/index.html", lama]  # the page before its stylesheet

    dying = open_storage(target, endpoint_url=seaweedfs)
    dies_at(dying, "delete", lambda batch: "lama/index.html" in batch)
    with pytest.raises(Killed):
        publish("docs", new, dying, target=target)
    assert {"lama/index.html", lama} <= keys(seaweedfs, name, "docs/")  # the new manifest no longer names them

    again = publish("docs", new, storage, target=target)
    assert (again.uploaded, again.deleted) == (0, 2)
    assert keys(seaweedfs, name, "docs/") == {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()} | {MANIFEST_KEY}
    assert publish("docs", new, storage, target=target).deleted == 0


@pytest.mark.s3
def test_two_publishes_at_once_cannot_interleave(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    target = f"s3://{name}/docs"
    storage = open_storage(target, endpoint_url=seaweedfs)
    holder = PublishLock(storage, site="docs")
    holder.acquire()
    with pytest.raises(PublishLocked, match="holds the lock"):
        publish("docs", synthetic_site(tmp_path / "s", 5), storage, target=target)
    holder.release()

    site = synthetic_site(tmp_path / "t", 400)
    outcomes = []

    def run():
        try:
            outcomes.append(publish("docs", site, open_storage(target, endpoint_url=seaweedfs), target=target).uploaded)
        except PublishLocked as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(type, outcomes), key=str) == sorted([int, str], key=str), outcomes
    assert 802 in outcomes  # index, sitemap, 400 pages and their stylesheets


@pytest.mark.s3
def test_files_put_by_hand_are_found_with_verify_and_an_up_to_date_site_needs_no_lock(seaweedfs, tmp_path):
    name = bucket(seaweedfs)
    target = f"s3://{name}/docs"
    storage = open_storage(target, endpoint_url=seaweedfs)
    site = synthetic_site(tmp_path / "s", 3)
    publish("docs", site, storage, target=target)
    client = boto3.client("s3", endpoint_url=seaweedfs)
    client.put_object(Bucket=name, Key="docs/tangan/catatan.html", Body=b"<p>diunggah manual</p>")
    client.delete_object(Bucket=name, Key="docs/p1/index.html")

    # Without --verify the publisher trusts its manifest: nothing to do, and no lock is taken,
    # so it answers even while another publish holds the lock.
    holder = PublishLock(storage, site="docs")
    holder.acquire()
    trusting = publish("docs", site, storage, target=target)
    assert (trusting.uploaded, trusting.deleted) == (0, 0)
    holder.release()

    verified = publish("docs", site, storage, target=target, options=PublishOptions(verify=True))
    assert verified.plan.deletes == ["tangan/catatan.html"]
    assert verified.plan.uploads["html"] == ["p1/index.html"]
    expected = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert keys(seaweedfs, name, "docs/") == expected | {MANIFEST_KEY}


def test_cli_reports_an_unreachable_store_without_a_traceback(tmp_path):
    site = write_site(tmp_path / "site", {"index.html": b"<p>x</p>"})
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "sites", "publish", "docs", "--from", str(site),
         "--to", "s3://situs/docs", "--endpoint-url", f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=180,
        env=os.environ | {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1"})
    assert result.returncode != 0
    assert "publishing to s3://situs/docs failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_local_folder_target_and_dry_run(tmp_path):
    site = write_site(tmp_path / "site", EVERY_TYPE)
    live = tmp_path / "situs kota" / "live"  # a space: the file URL says %20, the folder must not
    storage = open_storage(live.as_uri())
    dry = publish("docs", site, storage, target="file", options=PublishOptions(dry_run=True))
    assert dry.uploaded == len(EVERY_TYPE) and not live.exists()
    publish("docs", site, storage, target="file")
    assert (live / "pilar/index.html").read_bytes() == EVERY_TYPE["pilar/index.html"]
    (site / "robots.txt").unlink()
    summary = publish("docs", site, storage, target="file")
    assert (summary.uploaded, summary.deleted) == (0, 1)
    assert not (live / "robots.txt").exists()
    assert not (tmp_path / "situs%20kota").exists()


@pytest.mark.s3
def test_a_big_phase_uploads_from_several_processes_and_reports_their_failure(seaweedfs, tmp_path, monkeypatch):
    from sites.publish import UploadFailed, processes

    name = bucket(seaweedfs)
    target = f"s3://{name}/besar"
    storage = open_storage(target, endpoint_url=seaweedfs)
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)  # split even on a one-CPU machine
    assert processes.processes_for(processes.MIN_FILES, storage) == 2
    assert processes.processes_for(processes.MIN_FILES, open_storage(str(tmp_path / "lokal"))) == 1

    site = synthetic_site(tmp_path / "a", processes.MIN_FILES + 20)
    seen = []
    summary = publish("besar", site, storage, target=target, progress=lambda phase, n: seen.append((phase, n)))
    assert summary.uploaded == 2 * (processes.MIN_FILES + 20) + 2
    assert keys(seaweedfs, name, "besar/") == {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} | {MANIFEST_KEY}
    assert sum(n for phase, n in seen if phase == "assets") == processes.MIN_FILES + 20  # progress from the children
    client = boto3.client("s3", endpoint_url=seaweedfs)
    head = client.head_object(Bucket=name, Key="besar/assets/p7.%08x.css" % ((7 * 2654435761) % 2**32))
    assert head["ContentType"].startswith("text/css") and "immutable" in head["CacheControl"]

    # A file that vanishes after planning fails its process: the phase raises, no later phase
    # starts (the pages stay the old ones) and the manifest is not replaced.
    newer = synthetic_site(tmp_path / "b", processes.MIN_FILES + 20, version="baru")
    for path in newer.glob("assets/*.css"):
        path.write_bytes(path.read_bytes() + b"/* baru */")
    real_plan = publisher.make_plan

    def plan_then_lose_a_file(*args, **kwargs):
        plan = real_plan(*args, **kwargs)
        (newer / plan.uploads["assets"][-1]).unlink()
        return plan

    monkeypatch.setattr(publisher, "make_plan", plan_then_lose_a_file)
    manifest_before = client.get_object(Bucket=name, Key=f"besar/{MANIFEST_KEY}")["Body"].read()
    with pytest.raises(UploadFailed, match="FileNotFoundError"):
        publish("besar", newer, storage, target=target)
    page = client.get_object(Bucket=name, Key="besar/p3/index.html")["Body"].read()
    assert b"v1 3" in page
    assert client.get_object(Bucket=name, Key=f"besar/{MANIFEST_KEY}")["Body"].read() == manifest_before
    assert LOCK_KEY not in keys(seaweedfs, name, "besar/")  # released on the way out


def test_a_lock_outlives_its_time_while_the_publish_works_and_a_lost_lock_stops_it(tmp_path, monkeypatch):
    from datetime import timedelta
    from functools import partial

    # 1.2 s: the heartbeat refreshes every 0.3 s, with room for a busy machine to be late
    monkeypatch.setattr(publisher, "PublishLock", partial(PublishLock, ttl=timedelta(seconds=1.2)))
    target = tmp_path / "live"
    storage = open_storage(target.as_uri())
    site = synthetic_site(tmp_path / "site", 30)
    put = storage.put
    seen = {}

    def slow_put(key, *args, **kwargs):
        time.sleep(0.05)  # 62 files one at a time: ~3 s, more than twice the lock's time; p25 at ~1.3 s
        if key == "p25/index.html":
            other = PublishLock(open_storage(target.as_uri()), site="docs")
            try:
                other.acquire()
            except PublishLocked as refused:
                seen["refused"] = str(refused)
        return put(key, *args, **kwargs)

    storage.put = slow_put
    publish("docs", site, storage, target="file", options=PublishOptions(jobs=1))
    assert "holds the lock" in seen["refused"]  # kept fresh by its heartbeat, not stale

    # Another publish that takes the lock over (here: by hand) stops this one before its manifest.
    manifest_before = (target / MANIFEST_KEY).read_bytes()

    def put_then_steal(key, *args, **kwargs):
        time.sleep(0.05)  # 30 changed pages: ~1.5 s, five heartbeats
        if key == "p0/index.html":  # the first of them
            (target / LOCK_KEY).write_text(json.dumps({"token": "orang-lain", "site": "docs", "host": "lain",
                                                       "pid": 1, "expires_at": "2999-01-01T00:00:00+00:00"}))
        return put(key, *args, **kwargs)

    storage.put = put_then_steal
    with pytest.raises(PublishLocked, match="taken over"):
        publish("docs", synthetic_site(tmp_path / "v2", 30, version="v2"), storage, target="file",
                options=PublishOptions(jobs=1))
    assert (target / MANIFEST_KEY).read_bytes() == manifest_before
    assert json.loads((target / LOCK_KEY).read_text())["token"] == "orang-lain"  # not released by us


def test_an_unreadable_manifest_journal_or_lock_does_not_stop_the_next_publish(tmp_path):
    from sites.publish.manifest import PENDING_KEY as JOURNAL

    target = tmp_path / "live"
    site = write_site(tmp_path / "site", EVERY_TYPE)
    publish("docs", site, open_storage(target.as_uri()), target="file")
    (target / "sisa.html").write_bytes(b"dari publish yang mati")
    for key, junk in ((MANIFEST_KEY, b"\x1f\x8bpotong"), (JOURNAL, b"[1, 2"), (LOCK_KEY, b"{bukan json")):
        (target / key).write_bytes(junk)
    (target / "pilar/index.html").write_bytes(b"basi")
    publish("docs", site, open_storage(target.as_uri()), target="file")
    live = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file() and not p.name.startswith(".conditional")}
    assert live == set(EVERY_TYPE) | {MANIFEST_KEY}
    assert (target / "pilar/index.html").read_bytes() == EVERY_TYPE["pilar/index.html"]
    assert publish("docs", site, open_storage(target.as_uri()), target="file").uploaded == 0


@pytest.mark.parametrize("case", ["unknown type", "symlink out", "backslash", "file url with a host"])
def test_cli_refuses_what_it_cannot_publish_with_a_clear_error(tmp_path, case):
    site = write_site(tmp_path / "site", {"index.html": b"<p>x</p>"})
    target = (tmp_path / "live").as_uri()
    expected = {"unknown type": "CNAME", "symlink out": "outside the built site", "backslash": "backslash",
                "file url with a host": "three slashes"}[case]
    if case == "unknown type":
        (site / "CNAME").write_text("situs.samarindakota.go.id")
    elif case == "symlink out":
        (tmp_path / "rahasia.txt").write_text("kunci")
        (site / "bocor.txt").symlink_to(tmp_path / "rahasia.txt")
    elif case == "backslash":
        (site / "a\\b.html").write_text("<p>x</p>")
    else:
        target = "file://var/sites/docs"
    result = subprocess.run([sys.executable, "-m", "api.cli", "sites", "publish", "docs", "--from", str(site),
                             "--to", target], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "live").exists()


def _foreign_lock(expires_at: str) -> bytes:
    return json.dumps({"token": "host-lain", "site": "docs", "host": "mesin-lain", "pid": 4242,
                       "taken_at": "2026-01-01T00:00:00+00:00", "expires_at": expires_at, "ttl_seconds": 600}).encode()


@pytest.mark.s3
def test_a_lock_is_judged_by_the_stores_clock_not_by_the_holders(seaweedfs, tmp_path):
    # Written just now by a machine whose clock runs an hour behind: by its own words it has
    # expired, but the store says it was written a moment ago, so it is live.
    name = bucket(seaweedfs)
    storage = open_storage(f"s3://{name}/docs", endpoint_url=seaweedfs)
    storage.put(LOCK_KEY, _foreign_lock("2000-01-01T00:00:00+00:00"), content_type="application/json")
    with pytest.raises(PublishLocked, match="mesin-lain"):
        PublishLock(storage, site="docs").acquire()
    assert storage.read_versioned(LOCK_KEY).age < 60

    # Last written 20 minutes ago, by the store's clock: stale whatever its expires_at says.
    local = open_storage((tmp_path / "live").as_uri())
    local.put(LOCK_KEY, _foreign_lock("2999-01-01T00:00:00+00:00"), content_type="application/json")
    old = time.time() - 20 * 60
    os.utime(tmp_path / "live" / LOCK_KEY, (old, old))
    taker = PublishLock(local, site="docs")
    taker.acquire()
    assert json.loads(local.get(LOCK_KEY))["token"] == taker.token
    taker.release()
