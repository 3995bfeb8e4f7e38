"""Drives soraimg's sandbox (--provider openrouter) with the official `openrouter` Python
package: a client that no one on this project wrote. Run by
Tests/SoraImgTests/CLI/SDKClientTests.swift.

usage: openrouter_client_check.py BASE_URL KEY IMAGE_1280x720.jpg OUTPUT.mp4 [--create-fails]
With --create-fails the sandbox answers the first request with a 5xx (html-error): the create
must fail once, unretried.
"""
import base64
import pathlib
import sys
import time

from openrouter import OpenRouter, errors

base_url, key, image, output = sys.argv[1:5]
create_fails = sys.argv[5:] == ["--create-fails"]
client = OpenRouter(api_key=key, server_url=base_url)
data_url = "data:image/jpeg;base64," + base64.b64encode(pathlib.Path(image).read_bytes()).decode()
frame = {"type": "image_url", "image_url": {"url": data_url}, "frame_type": "first_frame"}

if create_fails:
    try:
        client.video_generation.generate(model="google/veo-3.1", prompt="waves roll in", frame_images=[frame], retries=None)
    except errors.OpenRouterError as error:
        assert error.status_code >= 500, error
        print("ok create refused", error.status_code)
        sys.exit(0)
    raise AssertionError("the create succeeded despite the fault")

models = client.video_generation.list_videos_models()
veo = next(model for model in models.data if model.id == "google/veo-3.1")
assert "first_frame" in (veo.supported_frame_images or []), veo
assert 8 in (veo.supported_durations or []), veo

# The SDK retries a 5xx on create by default; a create is never safe to resend blindly, and a
# fault test must count the creates it sent, so that retry is turned off here.
job = client.video_generation.generate(
    model="google/veo-3.1",
    prompt="waves roll in",
    duration=8,
    resolution="720p",
    aspect_ratio="16:9",
    frame_images=[frame],
    retries=None,
)
assert job.status == "pending", job
assert job.polling_url.startswith(base_url + "/videos/"), job

deadline = time.time() + 30
while job.status in ("pending", "in_progress"):
    assert time.time() < deadline, "the job never finished"
    time.sleep(0.2)
    job = client.video_generation.get_generation(job_id=job.id)
assert job.status == "completed", job
assert job.unsigned_urls and job.unsigned_urls[0].startswith(base_url + "/videos/"), job
assert job.usage is not None and job.usage.cost == 4.0, job

response = client.video_generation.get_video_content(job_id=job.id, index=0)
data = response.read()
pathlib.Path(output).write_bytes(data)
assert data[4:8] == b"ftyp", data[:16]
# Continuation: previous_job_id names the completed job; the new job runs on its model.
continued = client.video_generation.generate(
    model="google/veo-3.1", prompt="the tide comes in", previous_job_id=job.id, duration=4, retries=None
)
assert continued.status == "pending" and continued.id != job.id, continued
deadline = time.time() + 30
while continued.status in ("pending", "in_progress"):
    assert time.time() < deadline, "the continuation never finished"
    time.sleep(0.2)
    continued = client.video_generation.get_generation(job_id=continued.id)
assert continued.status == "completed", continued
print("ok", job.id, len(data), "bytes")
