"""Drives soraimg's sandbox with the official `openai` Python package: a client that no one
on this project wrote. Run by Tests/SoraImgTests/CLI/OpenAIClientTests.swift.

usage: openai_client_check.py BASE_URL IMAGE_1280x720.jpg OUTPUT.mp4
"""
import pathlib
import sys
import time

from openai import OpenAI
from openai.types import Video

base_url, image, output = sys.argv[1:4]
client = OpenAI(base_url=base_url, api_key="sk-python-client-check", max_retries=2)

with open(image, "rb") as reference:
    video = client.videos.create(
        model="sora-2", prompt="waves roll in", seconds="4", size="1280x720", input_reference=reference
    )
assert video.status in ("queued", "in_progress", "completed"), video

deadline = time.time() + 30
while video.status in ("queued", "in_progress"):
    assert time.time() < deadline, "the job never finished"
    time.sleep(0.2)
    video = client.videos.retrieve(video.id)
assert video.status == "completed", video
assert video.size == "1280x720" and video.seconds == "4", video

client.videos.download_content(video.id, variant="video").write_to_file(output)
data = pathlib.Path(output).read_bytes()
assert data[4:8] == b"ftyp", data[:16]

def finished(job):
    deadline = time.time() + 30
    while job.status in ("queued", "in_progress"):
        assert time.time() < deadline, "the job never finished"
        time.sleep(0.2)
        job = client.videos.retrieve(job.id)
    assert job.status == "completed", job
    return job


# The 2026 additions. openai 3.63.0's videos.extend and videos.edit refuse `video={"id": ...}`
# before sending ("Expected entry at `video` to be bytes ..."): they can only upload a video
# file. The reference form goes through the client's own JSON post, its answer read as the
# SDK's Video model.
try:
    client.videos.extend(video={"id": video.id}, prompt="the tide comes in", seconds="8")
    raise AssertionError("openai 3.63.0 sent a video reference through videos.extend")
except RuntimeError as error:
    assert "Expected entry at `video`" in str(error), error
extended = finished(
    client.post("/videos/extensions", body={"video": {"id": video.id}, "prompt": "the tide comes in", "seconds": "8"}, cast_to=Video)
)
assert extended.id != video.id and extended.seconds == "12", extended
edited = finished(client.post("/videos/edits", body={"video": {"id": video.id}, "prompt": "in watercolour"}, cast_to=Video))
assert edited.id not in (video.id, extended.id) and edited.seconds == "4", edited

listed = client.videos.list(limit=10)
assert any(item.id == video.id for item in listed.data), listed
print("ok", video.id, len(data), "bytes")
