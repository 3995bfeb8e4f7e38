#!/usr/bin/env python3
"""Side-by-side prep throughput: soraimg against pyvips, Pillow (as documented and tuned with
draft()) and the decode floor, on the same photos, in one run (issue 5).

Every contender is a whole process preparing all inputs with both cores; rounds alternate the
contenders; the median of the rounds is compared. Quality is PSNR against a pure Lanczos3 cover
crop of the full-resolution decode. Run through compare.sh, which sets up the environment.

usage: compare.py --soraimg PATH --inputs DIR [--rounds 3] [--work DIR]
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


def contenders(soraimg, inputs, out):
    """Each contender: a name and a function running it over all inputs into out/NAME."""
    python = sys.executable

    def soraimg_run(folder):
        # Like with like: no peer looks for faces (about 40 ms an image, issue 6).
        return run([soraimg, "prep", "-o", folder + "/", "--force", "--quality", "95", "--faces", "ignore"] + inputs)

    def python_run(kind):
        return lambda folder: run([python, WORKER, kind, folder] + inputs)

    return [
        ("soraimg", soraimg_run),
        ("pyvips", python_run("pyvips")),
        ("pillow", python_run("pillow")),
        ("pillow-draft", python_run("pillow-draft")),
        ("floor", python_run("floor")),
    ]


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--soraimg", required=True)
    parser.add_argument("--inputs", required=True, help="folder of the photos to prepare")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default=None)
    arguments = parser.parse_args()

    inputs = sorted(os.path.join(arguments.inputs, name) for name in os.listdir(arguments.inputs))
    megapixels = sum(pyvips.Image.new_from_file(p).width * pyvips.Image.new_from_file(p).height for p in inputs) / 1e6
    work = arguments.work or tempfile.mkdtemp(prefix="soraimg-compare-")
    runs = contenders(arguments.soraimg, inputs, work)
    times = {name: [] for name, _ in runs}
    for round_number in range(arguments.rounds):
        # Alternate the order, so no contender always runs first or last.
        order = runs if round_number % 2 == 0 else list(reversed(runs))
        for name, function in order:
            folder = os.path.join(work, name)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            times[name].append(function(folder))
        print(f"round {round_number + 1}: " + ", ".join(f"{n} {times[n][-1]:.2f}s" for n, _ in runs), file=sys.stderr)

    # Quality: one reference per distinct photo (copies are identical).
    distinct = {}
    for path in inputs:
        key = os.path.basename(path).split("--")[0]
        distinct.setdefault(key, path)
    references = {key: reference(path) for key, path in distinct.items()}
    quality = {}
    for name, _ in runs:
        folder = os.path.join(work, name)
        scores = [psnr(to_array(pyvips.Image.new_from_file(output_of(folder, path))), references[key]) for key, path in distinct.items()]
        quality[name] = statistics.mean(scores)

    medians = {name: statistics.median(values) for name, values in times.items()}
    base = len(inputs) / medians["pyvips"]
    print(f"{len(inputs)} photos, {megapixels:.0f} MP, {arguments.rounds} rounds, median wall time per contender, {os.cpu_count()} cores")
    print(f"{'contender':<14}{'images/s':>10}{'MP/s':>8}{'vs pyvips':>11}{'PSNR dB':>9}")
    for name, _ in runs:
        rate = len(inputs) / medians[name]
        print(f"{name:<14}{rate:>10.1f}{megapixels / medians[name]:>8.0f}{rate / base:>10.2f}x{quality[name]:>9.1f}")
    rates = {name: len(inputs) / medians[name] for name in medians}
    print(f"soraimg / pillow {rates['soraimg'] / rates['pillow']:.2f}x, / pillow-draft {rates['soraimg'] / rates['pillow-draft']:.2f}x, "
          f"floor / soraimg {rates['floor'] / rates['soraimg']:.2f}x")


if __name__ == "__main__":
    main()
