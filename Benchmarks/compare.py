#!/usr/bin/env python3
"""Side-by-side prep throughput: soraimg as users run it (face check on, the default) and with
--faces ignore, against pyvips, Pillow (as documented and, for JPEG, tuned with draft()) and the
JPEG decode floor, on the same photos, in one run.

Every contender is a whole process preparing all inputs of a set with both cores; rounds
alternate the contenders; the median of the rounds is compared. Quality is PSNR against a pure
Lanczos3 cover crop of the full-resolution decode. With --png and --webp, the JPEG photos are also
saved as PNG and WebP (upright, about 8 MP) and compared the same way. With --one, one photo is
prepared by soraimg both ways and by vipsthumbnail, each a whole process, for the time a single
run takes. Run through compare.sh, which sets up the environment.

usage: compare.py --soraimg PATH --inputs DIR [--png] [--webp] [--copies N] [--one PATH]
                  [--rounds 3] [--work DIR]
"""
import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy
import pyvips

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contenders.py")


def run(command, env=None):
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    return elapsed


def contenders(soraimg, inputs, kind):
    """Each contender for a set of `kind` (jpeg, png or webp): a name and a function running it
    over all inputs into a folder. draft() and the floor's DCT scaling exist for JPEG only."""
    python = sys.executable

    def soraimg_run(*extra):
        return lambda folder: run([soraimg, "prep", "-o", folder + "/", "--force", "--quality", "95", *extra] + inputs)

    def python_run(name):
        return lambda folder: run([python, WORKER, name, folder] + inputs)

    runs = [
        # What users run: the face check is on by default.
        ("soraimg", soraimg_run()),
        # Like with like: no peer looks for faces.
        ("soraimg-ignore", soraimg_run("--faces", "ignore")),
        ("pyvips", python_run("pyvips")),
        ("pillow", python_run("pillow")),
    ]
    if kind == "jpeg":
        runs += [("pillow-draft", python_run("pillow-draft")), ("floor", python_run("floor"))]
    return runs


def target_for(path):
    image = pyvips.Image.new_from_file(path)
    width, height = image.width, image.height
    if image.get_typeof("orientation") and image.get("orientation") in (5, 6, 7, 8):
        width, height = height, width
    return (720, 1280) if height > width else (1280, 720)


def reference(path):
    """A pure Lanczos3 cover crop of the full-resolution, upright decode."""
    image = pyvips.Image.new_from_file(path).autorot()
    if image.bands > 3:
        image = image[0:3]
    tw, th = target_for(path)
    scale = max(tw / image.width, th / image.height)
    image = image.resize(scale, kernel="lanczos3")
    left, top = (image.width - tw) // 2, (image.height - th) // 2
    return to_array(image.crop(left, top, tw, th))


def to_array(image):
    image = image.colourspace("srgb").cast("uchar")
    if image.bands > 3:
        image = image[0:3]
    return numpy.ndarray(buffer=image.write_to_memory(), dtype=numpy.uint8, shape=[image.height, image.width, image.bands])


def psnr(a, b):
    if a.shape != b.shape:
        return float("nan")
    mse = numpy.mean((a.astype(numpy.float64) - b.astype(numpy.float64)) ** 2)
    return 50.0 if mse == 0 else min(50.0, 10 * math.log10(255 ** 2 / mse))


def output_of(folder, path):
    stem = os.path.splitext(os.path.basename(path))[0]
    for name in os.listdir(folder):
        if name.startswith(stem + "."):
            return os.path.join(folder, name)
    sys.exit(f"no output for {path} in {folder}")


def make_set(jpegs, kind, folder, copies):
    """The distinct photos among `jpegs`, upright and about 8 MP, saved as `kind` (png or webp),
    `copies` of each."""
    os.makedirs(folder, exist_ok=True)
    distinct = {}
    for path in jpegs:
        distinct.setdefault(os.path.basename(path).split("--")[0], path)
    made = []
    for key, path in sorted(distinct.items()):
        header = pyvips.Image.new_from_file(path)
        scale = min(1.0, math.sqrt(8e6 / (header.width * header.height)))
        side = round(max(header.width, header.height) * scale)
        image = pyvips.Image.thumbnail(path, side, height=side, size="down")
        first = os.path.join(folder, f"{key}--1.{kind}")
        if kind == "png":
            image.pngsave(first, compression=6, strip=True)
        else:
            image.webpsave(first, Q=90, strip=True)
        made.append(first)
        for copy in range(2, copies + 1):
            duplicate = os.path.join(folder, f"{key}--{copy}.{kind}")
            shutil.copyfile(first, duplicate)
            made.append(duplicate)
    return sorted(made)


def compare_set(label, kind, soraimg, inputs, work, rounds):
    megapixels = sum(pyvips.Image.new_from_file(p).width * pyvips.Image.new_from_file(p).height for p in inputs) / 1e6
    runs = contenders(soraimg, inputs, kind)
    times = {name: [] for name, _ in runs}
    for round_number in range(rounds):
        # Alternate the order, so no contender always runs first or last.
        order = runs if round_number % 2 == 0 else list(reversed(runs))
        for name, function in order:
            folder = os.path.join(work, label, name)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            times[name].append(function(folder))
        print(f"{label} round {round_number + 1}: " + ", ".join(f"{n} {times[n][-1]:.2f}s" for n, _ in runs), file=sys.stderr)

    # Quality: one reference per distinct photo (copies are identical).
    distinct = {}
    for path in inputs:
        distinct.setdefault(os.path.basename(path).split("--")[0], path)
    references = {key: reference(path) for key, path in distinct.items()}
    quality = {}
    for name, _ in runs:
        folder = os.path.join(work, label, name)
        scores = [psnr(to_array(pyvips.Image.new_from_file(output_of(folder, path))), references[key]) for key, path in distinct.items()]
        quality[name] = statistics.mean(scores)

    medians = {name: statistics.median(values) for name, values in times.items()}
    rates = {name: len(inputs) / medians[name] for name in medians}
    print()
    print(f"{label}: {len(inputs)} images, {megapixels:.0f} MP, {rounds} rounds, median wall time per contender, {os.cpu_count()} cores")
    print(f"{'contender':<16}{'images/s':>10}{'MP/s':>8}{'vs pyvips':>11}{'PSNR dB':>9}")
    for name, _ in runs:
        print(f"{name:<16}{rates[name]:>10.1f}{megapixels / medians[name]:>8.0f}{rates[name] / rates['pyvips']:>10.2f}x{quality[name]:>9.1f}")
    for sora in ("soraimg", "soraimg-ignore"):
        line = f"{sora}: / pyvips {rates[sora] / rates['pyvips']:.2f}x, / pillow {rates[sora] / rates['pillow']:.2f}x"
        if "pillow-draft" in rates:
            line += f", / pillow-draft {rates[sora] / rates['pillow-draft']:.2f}x, floor / {sora} {rates['floor'] / rates[sora]:.2f}x"
        print(line)


def compare_one(soraimg, photo, work, rounds):
    """One photo, each contender a whole process: the time a single `soraimg prep` takes."""
    out = os.path.join(work, "one")
    os.makedirs(out, exist_ok=True)
    runs = [
        ("soraimg", [soraimg, "prep", photo, "-o", os.path.join(out, "default.jpg"), "--force", "--quality", "95"]),
        ("soraimg-ignore", [soraimg, "prep", photo, "-o", os.path.join(out, "ignore.jpg"), "--force", "--quality", "95", "--faces", "ignore"]),
        ("vipsthumbnail", ["vipsthumbnail", photo, "-s", "1280x720", "-m", "centre", "-o", os.path.join(out, "vipsthumbnail.jpg[Q=95,strip,subsample_mode=on]")]),
    ]
    times = {name: [] for name, _ in runs}
    for round_number in range(rounds):
        order = runs if round_number % 2 == 0 else list(reversed(runs))
        for name, command in order:
            times[name].append(run(command))
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print()
    print(f"one photo ({os.path.basename(photo)}): {rounds} rounds, median wall time of a whole process")
    for name, _ in runs:
        print(f"{name:<16}{medians[name]:>8.0f} ms{medians[name] / medians['soraimg-ignore']:>8.2f}x soraimg-ignore{medians[name] / medians['vipsthumbnail']:>8.2f}x vipsthumbnail")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--soraimg", required=True)
    parser.add_argument("--inputs", required=True, help="folder of the JPEG photos to prepare")
    parser.add_argument("--png", action="store_true", help="also compare on the photos saved as PNG")
    parser.add_argument("--webp", action="store_true", help="also compare on the photos saved as WebP")
    parser.add_argument("--copies", type=int, default=4, help="copies of each photo in the PNG and WebP sets")
    parser.add_argument("--one", default=None, help="also time one photo, soraimg both ways against vipsthumbnail")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default=None)
    arguments = parser.parse_args()

    jpegs = sorted(os.path.join(arguments.inputs, name) for name in os.listdir(arguments.inputs))
    work = arguments.work or tempfile.mkdtemp(prefix="soraimg-compare-")
    compare_set("JPEG", "jpeg", arguments.soraimg, jpegs, work, arguments.rounds)
    for kind, wanted in (("png", arguments.png), ("webp", arguments.webp)):
        if wanted:
            inputs = make_set(jpegs, kind, os.path.join(work, f"{kind}-inputs"), arguments.copies)
            compare_set(kind.upper() if kind == "png" else "WebP", kind, arguments.soraimg, inputs, work, arguments.rounds)
    if arguments.one:
        compare_one(arguments.soraimg, arguments.one, work, max(arguments.rounds, 9))


if __name__ == "__main__":
    main()
