"""Drives soraimg's sandbox (--provider replicate) with the official `replicate` Python package
(1.0.7): a client that no one on this project wrote. Run by Tests/SoraImgTests/CLI/SDKClientTests.swift.

usage: replicate_client_check.py ORIGIN KEY IMAGE_1280x720.jpg OUTPUT.mp4
(ORIGIN is http://127.0.0.1:PORT: the SDK appends its own /v1.)
"""
import pathlib
import sys
import time

import httpx
import replicate

origin, key, image, output = sys.argv[1:5]
client = replicate.Client(api_token=key, base_url=origin)
model = "kwaivgi/kling-v2.5-turbo-pro"


def finished(prediction):
    deadline = time.time() + 30
    while prediction.status not in ("succeeded", "failed", "canceled"):
        assert time.time() < deadline, "the prediction never finished"
        time.sleep(0.2)
        prediction.reload()
    return prediction


# The image inline: the SDK's base64 strategy writes a data URL.
with open(image, "rb") as file:
    inline = client.models.predictions.create(
        model=model, input={"prompt": "waves roll in", "start_image": file, "duration": 5}, file_encoding_strategy="base64"
    )
assert inline.status == "starting", inline.status
assert inline.model == model and isinstance(inline.version, str), (inline.model, inline.version)
inline = finished(inline)
assert inline.status == "succeeded", (inline.status, inline.error)
assert isinstance(inline.output, str) and inline.output.startswith(origin + "/"), inline.output

# The image as a file: the SDK uploads it through POST /v1/files and sends the file's URL.
uploaded = client.models.predictions.create(model=model, input={"prompt": "the tide turns", "start_image": pathlib.Path(image)})
assert uploaded.input["start_image"].startswith(origin + "/v1/files/"), uploaded.input
uploaded = finished(client.predictions.get(uploaded.id))
assert uploaded.status == "succeeded", (uploaded.status, uploaded.error)

# The list, newest first.
listed = [prediction.id for prediction in client.predictions.list().results]
assert listed[:2] == [uploaded.id, inline.id], listed

# A cancel while it runs.
cancelled = client.models.predictions.create(model=model, input={"prompt": "never mind", "start_image": pathlib.Path(image)})
cancelled = client.predictions.cancel(cancelled.id)
assert cancelled.status == "canceled", cancelled.status

# The output, fetched as a client fetches a URL it was given.
data = httpx.get(inline.output).content
pathlib.Path(output).write_bytes(data)
assert data[4:8] == b"ftyp", data[:16]
print("ok", inline.id, uploaded.id, len(data), "bytes")
