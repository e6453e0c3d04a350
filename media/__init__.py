"""Media handling for candidate video profiles, independent of the web framework.

The portal stores only a backend name, key, content type, size and checksum per
object (never a URL), so each piece here takes plain paths, keys and streams:

- :mod:`media.storage`   object storage interface with local-disk and S3 backends
- :mod:`media.serving`   HTTP range responses / redirects for playback
- :mod:`media.probe`     what a file really is (ffprobe), and validation of uploads
- :mod:`media.transcode` normalisation to H.264/AAC MP4 with a poster image
- :mod:`media.captions`  WebVTT validation
- :mod:`media.pipeline`  upload -> checked, transcoded video + poster (background job)
- :mod:`media.demo`      synthetic demo clips for the embedded default
- :mod:`media.tools`     where the ffmpeg/ffprobe/espeak-ng binaries come from

Flow of a video profile:

1. view: ``ticket = storage.create_upload(upload_key, content_type, MAX_BYTES)``
   and hand the ticket to the page, which uploads straight to S3 (POST) or to
   the portal's local upload endpoint (PUT, ``receive_upload``).
2. worker: ``process_upload(storage, upload_key, video_key, poster_key)``;
   on ``InvalidMedia`` show ``exc.code``, on ``TranscodeFailed`` offer a retry.
3. view: ``playback_response(storage, video_key, request, "video/mp4")``
   after checking consent and scope; captions via ``validate_webvtt``.

Submodules are imported explicitly (``from media.storage import create_storage``)
so that a worker that only transcodes does not import boto3 or Werkzeug.
"""
