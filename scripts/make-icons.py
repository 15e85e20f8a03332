#!/usr/bin/env python3
"""Draws the extension's toolbar icons (extension/icons/cf503-N.png): an amber rounded square
with a white "5". Pure Python (zlib), so the icons can be rebuilt anywhere: run it from the
repository root. The PNGs are committed; nothing runs this at build time."""
import struct
import zlib

# A 5x7 bitmap of the digit 5.
FIVE = ["11111", "10000", "11110", "00001", "00001", "10001", "01110"]


def pixel(x, y, n):
    r = n * 0.2  # corner radius
    cx = min(max(x + 0.5, r), n - r)
    cy = min(max(y + 0.5, r), n - r)
    if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    # The digit occupies the middle 50% x 70%.
    gx = int((x - n * 0.25) / (n * 0.5) * 5) if n * 0.25 <= x < n * 0.75 else -1
    gy = int((y - n * 0.15) / (n * 0.7) * 7) if n * 0.15 <= y < n * 0.85 else -1
    if 0 <= gx < 5 and 0 <= gy < 7 and FIVE[gy][gx] == "1":
        return (255, 255, 255, 255)
    return (178, 74, 0, 255)


def png(n):
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y, n)) for x in range(n)) for y in range(n))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


for size in (16, 32, 48, 128):
    with open(f"extension/icons/cf503-{size}.png", "wb") as f:
        f.write(png(size))
