"""Drives soraimg's sandbox (--provider fal) with fal's official Python client, `fal-client`
(1.0.3): a client that no one on this project wrote. Run by
Tests/SoraImgTests/CLI/SDKClientTests.swift.

usage: fal_client_check.py ORIGIN KEY IMAGE_1280x720.jpg OUTPUT.mp4

fal-client's hosts are module constants (the queue, fal storage's REST root and the CDN it
uploads to); all three point at the sandbox's one origin before the client is made.
"""
import pathlib
import sys
import time

import httpx
import fal_client
import fal_client.client as fal_wire

origin, key, image, output = sys.argv[1:5]
fal_wire.QUEUE_URL_FORMAT = origin + "/"
fal_wire.REST_URL = origin
fal_wire.CDN_URL = origin

client = fal_client.SyncClient(key=key)
data = pathlib.Path(image).read_bytes()

# The client's default upload: a CDN token from storage, then a direct POST to the CDN.
direct = client.upload(data, "image/jpeg", file_name="reference.jpg")
assert direct.startswith(origin + "/files/"), direct
# fal storage's other protocol: initiate, then a PUT to the signed URL.
signed = client.upload(data, "image/jpeg", file_name="reference.jpg", repository="fal")
assert signed.startswith(origin + "/files/"), signed

handle = client.submit(
    "fal-ai/veo3.1/image-to-video",
    {"prompt": "waves roll in", "image_url": signed, "duration": "8s", "aspect_ratio": "16:9", "resolution": "720p"},
)
assert handle.status_url.startswith(origin + "/fal-ai/veo3.1/requests/"), handle.status_url

seen = set()
deadline = time.time() + 30
while True:
    assert time.time() < deadline, "the request never completed"
    status = handle.status(with_logs=True)
    seen.add(type(status).__name__)
    if isinstance(status, fal_client.Completed):
        break
    time.sleep(0.1)
assert status.error is None, status.error
assert "Queued" in seen or "InProgress" in seen, seen

result = handle.get()
url = result["video"]["url"]
assert url.startswith(origin + "/files/"), url
# The CDN link is public: fetched without any key.
video = httpx.get(url).raise_for_status().content
assert video[4:8] == b"ftyp", video[:16]
pathlib.Path(output).write_bytes(video)
print("ok", handle.request_id, len(video), "bytes")
