"""Fidelity of the S3-compatible server for what the media backend does through boto3."""
import hashlib
import os
import urllib.error
import urllib.request
import uuid

import pytest


def http(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def multipart_form(fields: dict, file_bytes: bytes, filename="clip.webm", ctype="video/webm"):
    boundary = uuid.uuid4().hex
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: {ctype}\r\n\r\n".encode() + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def key(s3_client, s3_settings):
    k = f"tests/{uuid.uuid4().hex}"
    yield k
    for obj in s3_client.list_objects_v2(Bucket=s3_settings["bucket"], Prefix=k).get("Contents", []):
        s3_client.delete_object(Bucket=s3_settings["bucket"], Key=obj["Key"])


def test_put_and_presigned_get(s3_client, s3_settings, key):
    bucket = s3_settings["bucket"]
    s3_client.put_object(Bucket=bucket, Key=key, Body=b"hallo werkgever", ContentType="text/plain")
    url = s3_client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=60)
    status, headers, body = http("GET", url)
    assert (status, body) == (200, b"hallo werkgever")
    assert headers["Content-Type"].startswith("text/plain")
    # a tampered signature is refused
    assert http("GET", url.replace("Signature=", "Signature=0"))[0] == 403


def test_presigned_put(s3_client, s3_settings, key):
    bucket = s3_settings["bucket"]
    url = s3_client.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": key,
                                                                 "ContentType": "video/webm"}, ExpiresIn=60)
    status, _, _ = http("PUT", url, data=b"webm-bytes", headers={"Content-Type": "video/webm"})
    assert status == 200
    assert s3_client.get_object(Bucket=bucket, Key=key)["Body"].read() == b"webm-bytes"


def test_presigned_post_with_size_limit(s3_client, s3_settings, key):
    bucket = s3_settings["bucket"]
    post = s3_client.generate_presigned_post(
        bucket, key, Fields={"Content-Type": "video/webm"},
        Conditions=[{"Content-Type": "video/webm"}, ["content-length-range", 1, 1024]], ExpiresIn=60)
    body, ctype = multipart_form(post["fields"], b"x" * 100)
    status, _, resp = http("POST", post["url"], data=body, headers={"Content-Type": ctype})
    assert status in (200, 201, 204), resp
    head = s3_client.head_object(Bucket=bucket, Key=key)
    assert head["ContentLength"] == 100 and head["ContentType"] == "video/webm"

    too_big, ctype = multipart_form(post["fields"], b"x" * 2048)
    status, _, resp = http("POST", post["url"], data=too_big, headers={"Content-Type": ctype})
    assert status == 400, (status, resp)  # EntityTooLarge


def test_multipart_upload_and_range_get(s3_client, s3_settings, key):
    bucket = s3_settings["bucket"]
    part1, part2 = os.urandom(5 * 1024 * 1024), os.urandom(1024 * 1024 + 7)
    upload = s3_client.create_multipart_upload(Bucket=bucket, Key=key, ContentType="video/mp4")
    etags = []
    for number, data in enumerate((part1, part2), start=1):
        r = s3_client.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=number, Body=data)
        etags.append({"PartNumber": number, "ETag": r["ETag"]})
    s3_client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": etags})
    whole = part1 + part2
    obj = s3_client.get_object(Bucket=bucket, Key=key)
    assert hashlib.sha256(obj["Body"].read()).digest() == hashlib.sha256(whole).digest()

    # range GET through a presigned URL, as a <video> element does
    url = s3_client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=60)
    status, headers, body = http("GET", url, headers={"Range": "bytes=100-199"})
    assert status == 206
    assert body == whole[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    r = s3_client.get_object(Bucket=bucket, Key=key, Range=f"bytes={len(whole) - 10}-")
    assert r["Body"].read() == whole[-10:]


def test_cors_preflight_for_browser_uploads(s3_settings):
    url = f"{s3_settings['endpoint_url']}/{s3_settings['bucket']}/tests/cors-check"
    status, headers, _ = http("OPTIONS", url, headers={
        "Origin": "http://localhost:5000", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type"})
    assert status in (200, 204)
    lower = {k.lower(): v for k, v in headers.items()}
    assert lower.get("access-control-allow-origin") in ("*", "http://localhost:5000")
    assert "PUT" in lower.get("access-control-allow-methods", "")


def test_delete(s3_client, s3_settings, key):
    bucket = s3_settings["bucket"]
    s3_client.put_object(Bucket=bucket, Key=key, Body=b"weg ermee")
    s3_client.delete_object(Bucket=bucket, Key=key)
    with pytest.raises(s3_client.exceptions.ClientError) as e:
        s3_client.head_object(Bucket=bucket, Key=key)
    assert e.value.response["Error"]["Code"] in ("404", "NoSuchKey")
