#!/usr/bin/env python3
"""The peers of compare.py, each as users would write it, run over all inputs with two worker
processes (libvips' and Pillow's own threads scale far less than processes on two cores).

usage: contenders.py pyvips|pillow|pillow-draft|floor OUTPUT_DIR IMAGE...
"""
import multiprocessing
import os
import sys


def target(width, height, orientation):
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return (720, 1280) if height > width else (1280, 720)


def output(folder, path):
    return os.path.join(folder, os.path.splitext(os.path.basename(path))[0] + ".jpg")


def pyvips_thumbnail(job):
    """libvips' recommended pipeline: thumbnail with a centre crop, then jpegsave."""
    import pyvips
    path, folder = job
    header = pyvips.Image.new_from_file(path)
    orientation = header.get("orientation") if header.get_typeof("orientation") else 1
    tw, th = target(header.width, header.height, orientation)
    image = pyvips.Image.thumbnail(path, tw, height=th, crop="centre")
    image.jpegsave(output(folder, path), Q=95, strip=True, subsample_mode="on")


def pillow(job, draft=False):
    """Pillow as its documentation shows it: exif_transpose, ImageOps.fit with Lanczos."""
    from PIL import Image, ImageOps
    path, folder = job
    with Image.open(path) as image:
        orientation = image.getexif().get(0x0112, 1)
        tw, th = target(image.width, image.height, orientation)
        if draft:
            # JPEG DCT scaling on load, down to the smallest size that still covers the target.
            sw, sh = (th, tw) if orientation in (5, 6, 7, 8) else (tw, th)
            scale = max(sw / image.width, sh / image.height)
            image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))
        upright = ImageOps.exif_transpose(image).convert("RGB")
        fitted = ImageOps.fit(upright, (tw, th), Image.LANCZOS)
        fitted.save(output(folder, path), quality=95)


def floor(job):
    """The cost floor: decode at the largest DCT scale that still covers the target, crop, encode."""
    import pyvips
    path, folder = job
    header = pyvips.Image.new_from_file(path)
    orientation = header.get("orientation") if header.get_typeof("orientation") else 1
    tw, th = target(header.width, header.height, orientation)
    sw, sh = (th, tw) if orientation in (5, 6, 7, 8) else (tw, th)
    room = min(header.width / sw, header.height / sh)
    shrink = max([f for f in (1, 2, 4, 8) if f <= room] or [1])
    image = pyvips.Image.new_from_file(path, shrink=shrink, access="sequential")
    left, top = max(0, (image.width - sw) // 2), max(0, (image.height - sh) // 2)
    image = image.crop(left, top, min(sw, image.width), min(sh, image.height)).autorot()
    image.jpegsave(output(folder, path), Q=95, strip=True, subsample_mode="on")


def pillow_draft(job):
    pillow(job, draft=True)


KINDS = {"pyvips": pyvips_thumbnail, "pillow": pillow, "pillow-draft": pillow_draft, "floor": floor}


if __name__ == "__main__":
    kind, folder, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    with multiprocessing.Pool(2) as pool:
        pool.map(KINDS[kind], [(path, folder) for path in paths], chunksize=1)
