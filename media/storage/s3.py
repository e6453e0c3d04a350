"""S3 storage backend (AWS S3 or any S3-compatible server) through boto3.

Browsers upload with presigned POSTs and play with presigned GETs, so video
bytes never pass through the portal in S3 mode. The sha256 of objects written
by this library is kept as user metadata ``x-amz-meta-sha256``.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from typing import Any, BinaryIO

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from .base import (
    ByteSource,
    ObjectNotFound,
    Storage,
    StorageError,
    StoredObject,
    UploadTicket,
    copy_hashing,
    validate_key,
    validate_prefix,
)

_NOT_FOUND_CODES = {"404", "NoSuchKey", "NotFound"}
_DELETE_BATCH = 1000  # the S3 DeleteObjects maximum

# Bounded memory for multipart uploads: at most chunk size x concurrency in flight.
_TRANSFER = TransferConfig(multipart_threshold=16 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=4)


@contextlib.contextmanager
def _s3_errors(key: str | None = None) -> Iterator[None]:
    """Translate boto3 exceptions into the storage error hierarchy."""
    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if key is not None and code in _NOT_FOUND_CODES:
            raise ObjectNotFound(key) from exc
        raise StorageError(f"S3 request failed ({code}): {exc}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"S3 is unreachable: {exc}") from exc


class S3Storage(Storage):
    """Objects in one bucket; ``client`` is a boto3 S3 client (see create_storage)."""

    name = "s3"

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self.bucket!r})"

    def put_file(
        self, key: str, fileobj: ByteSource, content_type: str, *, max_bytes: int | None = None
    ) -> StoredObject:
        validate_key(key)
        # Spool to disk first: the checksum must be known before the upload
        # starts (it travels as metadata), and the limit is enforced before a
        # single byte reaches the bucket.
        with tempfile.TemporaryFile() as spool:
            size, checksum = copy_hashing(fileobj, spool, max_bytes)
            spool.seek(0)
            extra = {"ContentType": content_type, "Metadata": {"sha256": checksum}}
            with _s3_errors():
                self.client.upload_fileobj(spool, self.bucket, key, ExtraArgs=extra, Config=_TRANSFER)
        return StoredObject(key, size, checksum, content_type)

    def open_read(self, key: str) -> BinaryIO:
        with _s3_errors(validate_key(key)):
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def stat(self, key: str) -> StoredObject:
        with _s3_errors(validate_key(key)):
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        return StoredObject(
            key=key,
            size=int(head["ContentLength"]),
            checksum_sha256=head.get("Metadata", {}).get("sha256"),
            content_type=head.get("ContentType") or "application/octet-stream",
        )

    def delete(self, key: str) -> None:
        with _s3_errors():
            self.client.delete_object(Bucket=self.bucket, Key=validate_key(key))

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list_keys(self._require_prefix(prefix))
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start : start + _DELETE_BATCH]]
            with _s3_errors():
                result = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            if result.get("Errors"):
                first = result["Errors"][0]
                raise StorageError(f"Could not delete {first.get('Key')!r}: {first.get('Message')}")
        return len(keys)

    def list_keys(self, prefix: str = "") -> list[str]:
        validate_prefix(prefix)
        keys: list[str] = []
        with _s3_errors():
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                keys.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(keys)

    def playback_url(self, key: str, expires_in: int = 300) -> str | None:
        with _s3_errors():
            return self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": validate_key(key)}, ExpiresIn=expires_in
            )

    def create_upload(self, key: str, content_type: str, max_bytes: int, expires_in: int = 900) -> UploadTicket:
        with _s3_errors():
            post = self.client.generate_presigned_post(
                Bucket=self.bucket,
                Key=validate_key(key),
                Fields={"Content-Type": content_type},
                Conditions=[{"Content-Type": content_type}, ["content-length-range", 0, max_bytes]],
                ExpiresIn=expires_in,
            )
        return UploadTicket(
            method="POST",
            url=post["url"],
            key=key,
            content_type=content_type,
            max_bytes=max_bytes,
            expires_at=int(time.time()) + expires_in,
            fields=dict(post["fields"]),
        )

    def ping(self) -> None:
        with _s3_errors():
            self.client.head_bucket(Bucket=self.bucket)
