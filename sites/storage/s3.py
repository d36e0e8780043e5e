"""S3-compatible object storage through boto3.

Credentials come from boto3's normal chain (environment, shared config, instance role); only
the endpoint URL is ours to pass, which is what makes SeaweedFS, MinIO, Ceph RGW and R2 work.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Iterator

from botocore.exceptions import ClientError

from sites.storage.api import ObjectStorage, StoredObject, Versioned

__all__ = ["S3Storage"]

DELETE_BATCH = 1000  # the S3 DeleteObjects limit
PRECONDITION_CODES = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}


def _precondition_failed(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in PRECONDITION_CODES


class S3Storage(ObjectStorage):
    def __init__(self, *, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 public_url: str | None = None, client=None):
        if not bucket:
            raise ValueError("s3:// storage URL needs a bucket: s3://BUCKET/PREFIX")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self._client = client
        self._client_lock = threading.Lock()
        base = public_url or f"{(endpoint_url or 'https://s3.amazonaws.com').rstrip('/')}/{bucket}/"
        self.public_url = base if base.endswith("/") else base + "/"

    @property
    def client(self):
        """Created on first use: importing boto3 and loading its S3 model take a quarter of a
        second, which a publish spends while it hashes the site instead of before."""
        with self._client_lock:
            if self._client is None:
                import boto3
                from botocore.config import Config

                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self.endpoint_url,
                    config=Config(
                        retries={"max_attempts": 5, "mode": "standard"}, s3={"addressing_style": "path"},
                        # Checksums only where S3 requires them (DeleteObjects): the CRC32 that
                        # botocore adds to every PUT by default costs ~12 % of a publish's CPU and
                        # is refused by some S3-compatible servers.
                        request_checksum_calculation="when_required", response_checksum_validation="when_required",
                        # Our calls are built by this module, never from user input; checking each
                        # one against the service model is ~5 % of a PUT's CPU.
                        parameter_validation=False,
                    ),
                )
            return self._client

    def for_another_process(self) -> "S3Storage":
        # a new client: botocore's connections are not fork-safe
        return S3Storage(bucket=self.bucket, prefix=self.prefix, endpoint_url=self.endpoint_url,
                         public_url=self.public_url)

    def _key(self, key: str) -> str:
        return self.prefix + self.check_key(key)

    def put(self, key, data, *, content_type, cache_control=None, content_encoding=None) -> None:
        extra = {"ContentType": content_type}
        if cache_control:
            extra["CacheControl"] = cache_control
        if content_encoding:
            extra["ContentEncoding"] = content_encoding
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **extra)

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise KeyError(key) from None
            raise

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise

    def delete(self, keys: list[str]) -> None:
        full = [self._key(k) for k in keys]
        for start in range(0, len(full), DELETE_BATCH):
            batch = [{"Key": k} for k in full[start : start + DELETE_BATCH]]
            result = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            if result.get("Errors"):
                first = result["Errors"][0]
                raise RuntimeError(f"S3 refused to delete {first.get('Key')}: {first.get('Message')}")

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for obj in page.get("Contents", []):
                yield StoredObject(obj["Key"][len(self.prefix):], obj["Size"])

    def url(self, key: str) -> str:
        return self.public_url + self._key(key)

    def create(self, key: str, data: bytes, *, content_type: str) -> str | None:
        try:
            return self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                                          ContentType=content_type, IfNoneMatch="*")["ETag"]
        except ClientError as e:
            if _precondition_failed(e):
                return None
            raise

    def read_versioned(self, key: str) -> Versioned:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise KeyError(key) from None
            raise
        data = answer["Body"].read()
        served = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
        try:
            now = parsedate_to_datetime(served)
        except (TypeError, ValueError):  # no Date header: this machine's clock is all there is
            now = datetime.now(timezone.utc)
        return Versioned(data, answer["ETag"], (now - answer["LastModified"]).total_seconds())

    def replace_if(self, key: str, data: bytes, version: str, *, content_type: str) -> str | None:
        try:
            return self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                                          ContentType=content_type, IfMatch=version)["ETag"]
        except ClientError as e:
            if _precondition_failed(e):
                return None
            raise
