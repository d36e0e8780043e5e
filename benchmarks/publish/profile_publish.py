"""Where our publish spends its time: CLI start-up, then each phase of ``sites.publish.publish``.

Starts its own SeaweedFS (no proxy), generates the synthetic 5,000-file tree (synthsite.py) and
publishes it in-process with timers wrapped around the publisher's parts (monkeypatched here,
the app code is unchanged): scanning and hashing the tree, listing the bucket, reading and
parsing the manifest, planning, the lock (acquire, refresh per phase, release), each upload
phase, writing the manifest. Scenarios: initial publish (with ``jobs`` 8, 16 and 32), identical
rebuild, one page changed. Also times the CLI's start-up (interpreter, ``import api.cli``, the
boto3 client) in fresh processes, and the CPU the publish used (process CPU / wall: how close it
runs to one core, i.e. to the GIL's limit).

``.venv/bin/python benchmarks/publish/profile_publish.py`` from the repository root; prints a
report and writes ``benchmarks/publish/results/profile-<UTC time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from seaweed import s3_client, seaweedfs  # noqa: E402
import synthsite  # noqa: E402

RESULTS = HERE / "results"
PY = sys.executable


class Timers:
    def __init__(self):
        self.lock = threading.Lock()
        self.wall = defaultdict(float)
        self.calls = defaultdict(int)

    def add(self, name: str, seconds: float) -> None:
        with self.lock:
            self.wall[name] += seconds
            self.calls[name] += 1

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - started)
        return timed

    def report(self) -> dict:
        return {name: {"s": round(self.wall[name], 3), "calls": self.calls[name]} for name in self.wall}


@contextmanager
def instrumented(timers: Timers):
    """Wrap the publisher's parts in timers; put everything back afterwards."""
    from sites.publish import lock as lock_module
    from sites.publish import publisher
    from sites.storage.s3 import S3Storage

    saved = []

    def patch(owner, name, label):
        original = getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, timers.wrap(label, original))

    patch(publisher, "scan_site", "scan+hash tree (scan_site)")
    patch(publisher, "load_manifest", "parse manifest JSON (load_manifest)")
    patch(publisher, "make_plan", "plan (make_plan)")
    patch(publisher, "dump_manifest", "serialise manifest (dump_manifest)")
    patch(publisher, "_upload_phase", "upload phases (_upload_phase, total)")
    patch(publisher, "_manifest_exists", "HEAD manifest (_manifest_exists)")
    patch(lock_module.PublishLock, "acquire", "lock acquire")
    patch(lock_module.PublishLock, "refresh", "lock refresh")
    patch(lock_module.PublishLock, "release", "lock release")
    original_list = S3Storage.list

    def timed_list(self, prefix=""):  # a generator: time its consumption
        started = time.perf_counter()
        items = list(original_list(self, prefix))
        timers.add("list bucket (S3Storage.list, consumed)", time.perf_counter() - started)
        return iter(items)

    saved.append((S3Storage, "list", original_list))
    S3Storage.list = timed_list
    patch(S3Storage, "get", "GET object (S3Storage.get: manifest)")
    patch(S3Storage, "put", "PUT object (S3Storage.put)")
    try:
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


def publish_once(site_dir: Path, bucket: str, endpoint: str, jobs: int) -> dict:
    from sites.publish import PublishOptions, publish
    from sites.storage import open_storage

    timers = Timers()
    t0 = time.perf_counter()
    storage = open_storage(f"s3://{bucket}/site", endpoint_url=endpoint)
    client_s = time.perf_counter() - t0
    marks: list[tuple[str, float]] = []
    events = storage.client.meta.events
    for event, label in (("before-send", "send"), ("before-parse", "parse"), ("after-call", "done")):
        events.register(f"{event}.s3.ListObjectsV2", lambda label=label, **kw: marks.append((label, time.perf_counter())))
    with instrumented(timers):
        cpu0, t1 = time.process_time(), time.perf_counter()
        summary = publish("docs", site_dir, storage, target=f"s3://{bucket}/site",
                          options=PublishOptions(max_deletes=None, jobs=jobs))
        wall, cpu = time.perf_counter() - t1, time.process_time() - cpu0
    pairs = list(zip(marks, marks[1:]))
    timers.add("  of which list: server + transfer", sum(b - a for (x, a), (y, b) in pairs if (x, y) == ("send", "parse")))
    timers.add("  of which list: botocore XML parsing", sum(b - a for (x, a), (y, b) in pairs if (x, y) == ("parse", "done")))
    return {"jobs": jobs, "uploaded": summary.uploaded, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "cpu_per_wall": round(cpu / wall, 2), "boto3_client_s": round(client_s, 3), "phases": timers.report()}


def startup_figures(env: dict, runs: int) -> dict:
    def best(code: list[str]) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(code, env=env, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        return round(statistics.median(times), 3)

    client = ("import boto3; from botocore.config import Config; boto3.client('s3', endpoint_url='http://127.0.0.1:1',"
              " config=Config(s3={'addressing_style': 'path'}))")
    figures = {
        "python -c pass": best([PY, "-c", "pass"]),
        "import click": best([PY, "-c", "import click"]),
        "import api.cli (what `smartcity` loads first)": best([PY, "-c", "import api.cli"]),
        "import api.config only": best([PY, "-c", "import importlib.util, sys; sys.modules.setdefault('api', type(sys)('api')); "
                                        "sys.modules['api'].__path__ = ['api']; import api.config"]),
        "import boto3": best([PY, "-c", "import boto3"]),
        "import boto3 + create the S3 client": best([PY, "-c", client]),
        "smartcity --help": best([str(Path(PY).with_name("smartcity")), "--help"]),
    }
    importtime = subprocess.run([PY, "-X", "importtime", "-c", "import api.cli"], env=env, cwd=ROOT,
                                capture_output=True, text=True).stderr
    rows = []  # (depth, cumulative s, module) in importtime's order: children before their parent
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            module = name.lstrip()
            rows.append((len(name) - len(module), int(parts[1]) / 1e6, module))
    api_depth = next((d for d, _, m in rows if m == "api"), None)
    direct = sorted(((s, m) for d, s, m in rows if api_depth is not None and d == api_depth + 2), reverse=True)
    figures["import api (package __init__): biggest direct imports (s)"] = [(m, round(s, 3)) for s, m in direct[:6]]
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--jobs", default="8,16,32", help="initial publish with these --jobs values")
    args = parser.parse_args(argv)
    os.environ.update(AWS_ACCESS_KEY_ID="benchmark", AWS_SECRET_ACCESS_KEY="benchmark-secret",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    started = datetime.now(timezone.utc)
    report: dict = {"started": started.isoformat()}
    with ExitStack() as stack:
        scratch = Path(tempfile.mkdtemp(prefix="publish-profile-"))
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        report["startup_s"] = startup_figures(env, args.startup_runs)
        server = stack.enter_context(seaweedfs(scratch / "seaweedfs"))
        client = s3_client(server.endpoint)
        trees = scratch / "trees"
        scenarios = []
        jobs_values = [int(j) for j in args.jobs.split(",")]
        for jobs in jobs_values:
            bucket = f"profile-j{jobs}"
            client.create_bucket(Bucket=bucket)
            client.put_object(Bucket=bucket, Key="warm-up", Body=b"x")
            client.delete_object(Bucket=bucket, Key="warm-up")
            site = trees / f"initial-j{jobs}"
            synthsite.generate(site, seed=args.seed)
            result = publish_once(site, bucket, server.endpoint, jobs)
            scenarios.append({"scenario": f"initial, jobs={jobs}", **result})
            shutil.rmtree(site)
        bucket = f"profile-j{jobs_values[0]}"
        site = trees / "rebuild"
        synthsite.generate(site, seed=args.seed)
        scenarios.append({"scenario": "identical rebuild", **publish_once(site, bucket, server.endpoint, 8)})
        shutil.rmtree(site)
        site = trees / "change"
        synthsite.generate(site, seed=args.seed)
        synthsite.change_one_page(site)
        scenarios.append({"scenario": "one page changed", **publish_once(site, bucket, server.endpoint, 8)})
        report["scenarios"] = scenarios
    print("CLI start-up, median of fresh processes (s):")
    for name, value in report["startup_s"].items():
        print(f"  {name}: {value}")
    for s in report["scenarios"]:
        print(f"\n{s['scenario']}: publish() {s['wall_s']:.2f} s wall, {s['cpu_s']:.2f} s CPU "
              f"({s['cpu_per_wall']:.2f} cores), {s['uploaded']} uploaded; boto3 client {s['boto3_client_s']:.2f} s")
        for name, value in sorted(s["phases"].items(), key=lambda kv: -kv[1]["s"]):
            print(f"  {value['s']:8.3f} s  {value['calls']:5d} calls  {name}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"profile-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(report, indent=1))
    print(f"\nresults: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
