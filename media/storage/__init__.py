"""Object storage for media: one small interface, a backend chosen by configuration.

>>> storage = create_storage({"STORAGE_BACKEND": "local", "STORAGE_LOCAL_PATH": "/tmp/media",
...                           "SECRET_KEY": "dev"})
>>> storage.name
'local'

The database keeps ``storage.name`` and the :class:`StoredObject` fields per
object; URLs are made at read time with :meth:`Storage.playback_url`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config

from .base import (
    CHUNK_SIZE,
    InvalidUploadToken,
    ObjectNotFound,
    Storage,
    StorageError,
    StoredObject,
    UploadTicket,
    UploadTooLarge,
    validate_key,
)
from .local import UPLOAD_TOKEN_HEADER, LocalStorage, UploadGrant, verify_upload_token
from .s3 import S3Storage

__all__ = [
    "CHUNK_SIZE",
    "UPLOAD_TOKEN_HEADER",
    "InvalidUploadToken",
    "LocalStorage",
    "ObjectNotFound",
    "S3Storage",
    "Storage",
    "StorageError",
    "StoredObject",
    "UploadGrant",
    "UploadTicket",
    "UploadTooLarge",
    "create_s3_client",
    "create_storage",
    "validate_key",
    "verify_upload_token",
]


def create_s3_client(settings: Mapping[str, Any]) -> Any:
    """A boto3 S3 client for the configured endpoint, with SigV4 signing.

    Path-style addressing when an endpoint URL is given: S3-compatible servers
    on localhost have no per-bucket DNS names.
    """
    endpoint = settings.get("S3_ENDPOINT_URL") or None
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if endpoint else "auto"},
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=settings.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=settings.get("AWS_SECRET_ACCESS_KEY") or None,
        region_name=settings.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=config,
    )


def create_storage(settings: Mapping[str, Any]) -> Storage:
    """Build the backend named by ``STORAGE_BACKEND`` ("local" or "s3").

    local: ``STORAGE_LOCAL_PATH`` (required), ``SECRET_KEY`` (signs upload
    tokens), ``STORAGE_LOCAL_UPLOAD_URL`` (the portal's upload endpoint,
    default ``/media/upload``).
    s3: ``S3_BUCKET`` (required), ``S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``,
    ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``.
    A Flask ``app.config`` works as ``settings``.
    """
    backend = (settings.get("STORAGE_BACKEND") or "local").strip().lower()
    if backend == "local":
        root = settings.get("STORAGE_LOCAL_PATH")
        if not root:
            raise ValueError("STORAGE_LOCAL_PATH must be set for STORAGE_BACKEND=local")
        return LocalStorage(
            root,
            secret_key=settings.get("SECRET_KEY") or None,
            upload_url=settings.get("STORAGE_LOCAL_UPLOAD_URL") or "/media/upload",
        )
    if backend == "s3":
        bucket = settings.get("S3_BUCKET")
        if not bucket:
            raise ValueError("S3_BUCKET must be set for STORAGE_BACKEND=s3")
        return S3Storage(create_s3_client(settings), bucket)
    raise ValueError(f"Unknown STORAGE_BACKEND {backend!r}; expected 'local' or 's3'")
