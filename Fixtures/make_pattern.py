#!/usr/bin/env python3
"""Writes the synthetic test images soraimg's fixtures start from, as plain 8-bit RGB PNGs.

Standard library only, so the fixtures can be remade anywhere. Every pattern is asymmetric
(no rotation or mirror of it looks like itself), smooth in places and sharp in others.

usage: make_pattern.py KIND WIDTH HEIGHT OUT.png   (KIND: pattern | patches)
"""
import struct
import sys
import zlib


def pattern(x, y, w, h):
    # Smooth background: red grows to the right, green downwards.
    r = int(255 * x / max(1, w - 1))
    g = int(255 * y / max(1, h - 1))
    b = 96
    # A dark "F" in the upper-left third: its bars point right, so mirrors and turns differ.
    fx, fy = x / w, y / h
    if 0.10 < fx < 0.16 and 0.10 < fy < 0.60:
        return (16, 16, 16)
    if 0.10 < fx < 0.40 and 0.10 < fy < 0.18:
        return (16, 16, 16)
    if 0.10 < fx < 0.30 and 0.30 < fy < 0.38:
        return (16, 16, 16)
    # A white disc low on the right.
    if (fx - 0.75) ** 2 + ((fy - 0.70) * h / w) ** 2 < 0.012:
        return (250, 250, 250)
    # A blue stripe near the bottom edge, left half only.
    if fy > 0.86 and fx < 0.5:
        return (20, 40, 220)
    return (r, g, b)


# Saturated and neutral patches, all inside sRGB, for colour-management tests.
PATCHES = [
    (230, 30, 30), (30, 200, 40), (30, 50, 220),
    (240, 220, 30), (200, 40, 200), (128, 128, 128),
]


def patches(x, y, w, h):
    column = min(2, 3 * x // w)
    row = min(1, 2 * y // h)
    return PATCHES[row * 3 + column]


def write_png(path, w, h, pixel):
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            rows.extend(pixel(x, y, w, h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                  + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    kind, width, height, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    write_png(out, width, height, {"pattern": pattern, "patches": patches}[kind])
