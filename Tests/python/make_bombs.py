#!/usr/bin/env python3
"""Writes decompression bombs of every format soraimg accepts into a folder, for BombTests.

    make_bombs.py OUT_DIR SMALL_JPEG SMALL_WEBP

Each file is small on disk and enormous once decoded:
  png-pixels.png   a real 30000x30000 grey PNG (900 MP, about 0.9 MB of deflated zeros)
  png-declared.png a PNG whose header claims 100000x100000 over a few bytes of data
  png-text.png     a valid 64x64 PNG with a zTXt chunk that inflates to 1 GiB
  jpeg-declared.jpg SMALL_JPEG with its frame header claiming 65500x65500 (libjpeg's largest)
  webp-declared.webp SMALL_WEBP (lossy, VP8X) claiming 16383x16383 in both headers
Made at test time rather than committed: they are cheap to make and would look alarming in a
repository.
"""
import struct
import sys
import zlib
from pathlib import Path


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes, extra: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def deflated_zeros(count: int, block: int = 1 << 20) -> bytes:
    """zlib data that inflates to `count` zero bytes, made without holding them all."""
    compressor = zlib.compressobj(9)
    zeros = bytes(block)
    parts = []
    while count > 0:
        parts.append(compressor.compress(zeros[: min(block, count)]))
        count -= block
    parts.append(compressor.flush())
    return b"".join(parts)


def main() -> None:
    out, small_jpeg, small_webp = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)

    side = 30000  # each row: a filter byte (0) and `side` zero samples
    (out / "png-pixels.png").write_bytes(png(side, side, deflated_zeros(side * (side + 1))))
    (out / "png-declared.png").write_bytes(png(100000, 100000, zlib.compress(bytes(1000))))
    ztxt = chunk(b"zTXt", b"Comment\x00\x00" + deflated_zeros(1 << 30))
    (out / "png-text.png").write_bytes(png(64, 64, zlib.compress(bytes(64 * 65)), extra=ztxt))

    jpeg = bytearray(small_jpeg.read_bytes())
    at = 2
    while at < len(jpeg):  # walk the segments to the frame header (SOF0..SOF2)
        marker, length = jpeg[at + 1], int.from_bytes(jpeg[at + 2 : at + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            jpeg[at + 5 : at + 9] = struct.pack(">HH", 65500, 65500)  # height, width: libjpeg's largest
            break
        at += 2 + length
    else:
        sys.exit(f"{small_jpeg}: no frame header")
    (out / "jpeg-declared.jpg").write_bytes(bytes(jpeg))

    webp = bytearray(small_webp.read_bytes())
    at = 12
    while at < len(webp):
        kind, length = bytes(webp[at : at + 4]), struct.unpack("<I", webp[at + 4 : at + 8])[0]
        data = at + 8
        if kind == b"VP8X":  # canvas width-1 and height-1, 24 bits each
            webp[data + 4 : data + 10] = (16382).to_bytes(3, "little") * 2
        elif kind == b"VP8 ":  # key frame: 3-byte tag, start code, 14-bit width and height
            webp[data + 6 : data + 10] = struct.pack("<HH", 16383, 16383)
        at = data + length + (length & 1)
    (out / "webp-declared.webp").write_bytes(bytes(webp))


if __name__ == "__main__":
    main()
