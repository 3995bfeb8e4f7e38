"""Drives soraimg's sandbox (--provider gemini) with the official `google-genai` Python package
(2.34.0, the last release whose generate_videos speaks the Gemini Developer API): a client that
no one on this project wrote. Run by Tests/SoraImgTests/CLI/SDKClientTests.swift.

usage: genai_client_check.py ORIGIN KEY IMAGE_1280x720.jpg OUTPUT.mp4
(ORIGIN is http://127.0.0.1:PORT: the SDK appends its own /v1beta.)
"""
import pathlib
import re
import sys
import time

from google import genai
from google.genai import types

origin, key, image, output = sys.argv[1:5]
client = genai.Client(api_key=key, http_options=types.HttpOptions(base_url=origin))

operation = client.models.generate_videos(
    model="veo-3.1-generate-preview",
    source=types.GenerateVideosSource(
        prompt="waves roll in", image=types.Image(image_bytes=pathlib.Path(image).read_bytes(), mime_type="image/jpeg")
    ),
    config=types.GenerateVideosConfig(aspect_ratio="16:9", resolution="720p", duration_seconds=8, number_of_videos=1),
)
assert operation.name.startswith("models/veo-3.1-generate-preview/operations/"), operation
assert not operation.done, operation

deadline = time.time() + 30
while not operation.done:
    assert time.time() < deadline, "the operation never finished"
    time.sleep(0.2)
    operation = client.operations.get(operation)
assert operation.error is None, operation.error
video = operation.response.generated_videos[0].video
assert video.uri.startswith(origin + "/v1beta/files/"), video.uri

# files.download extracts a file id only from an https:// URI; the sandbox is http, so pass
# the id itself (lowercase letters and digits, as the service's are).
file_id = re.search(r"/files/([a-z0-9]+):download", video.uri).group(1)
data = client.files.download(file=file_id)
pathlib.Path(output).write_bytes(data)
assert data[4:8] == b"ftyp", data[:16]
print("ok", operation.name, len(data), "bytes")
