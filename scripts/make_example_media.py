#!/usr/bin/env python3
"""Make the small media files of the example account @news@social.example.

Everything here is invented: the pictures are simple shapes drawn with the
standard library only (PNG written with zlib and struct), the video, the
looping "gifv" and the audio jingle are one-second ffmpeg test signals.

Files are written to content/media/social.example/news/ and named like the
mirror names them: the first 16 hex digits of the file's SHA-256 plus the
extension. A manifest, scripts/example_media.json, maps the logical names used
by make_example_toots.py to the file names and their metadata (MIME type,
size, width/height, duration, blurhash).

    python3 scripts/make_example_media.py          # write files + manifest
    python3 scripts/make_example_media.py --prune  # also delete files in the
                                                   # folder the manifest no
                                                   # longer names

The PNGs are reproducible byte for byte. The ffmpeg outputs depend on the
ffmpeg/x264/lame versions; when ffmpeg is missing those entries are kept from
the existing manifest (install it with `apt-get install ffmpeg`). After a run
that changed any file name, run make_example_toots.py again.
"""

import hashlib
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEDIA_REL = "social.example/news"
MEDIA_DIR = os.path.join(ROOT, "content", "media", MEDIA_REL)
MANIFEST = os.path.join(ROOT, "scripts", "example_media.json")


# --------------------------------------------------------------------------
# A tiny raster canvas
# --------------------------------------------------------------------------

class Canvas:
    def __init__(self, w, h, bg, alpha=False):
        self.w, self.h = w, h
        self.ch = 4 if alpha else 3
        px = bytes(bg[: self.ch]) if len(bg) >= self.ch else bytes(bg) + b"\xff"
        self.buf = bytearray(px * (w * h))

    def _c(self, c):
        if self.ch == 4 and len(c) == 3:
            return bytes(c) + b"\xff"
        return bytes(c[: self.ch])

    def hspan(self, y, x0, x1, c):
        """Fill row y from x0 (incl.) to x1 (excl.)."""
        if y < 0 or y >= self.h:
            return
        x0, x1 = max(0, int(x0)), min(self.w, int(x1))
        if x1 <= x0:
            return
        c = self._c(c)
        i = (y * self.w + x0) * self.ch
        self.buf[i : i + (x1 - x0) * self.ch] = c * (x1 - x0)

    def rect(self, x0, y0, x1, y1, c):
        for y in range(max(0, int(y0)), min(self.h, int(y1))):
            self.hspan(y, x0, x1, c)

    def circle(self, cx, cy, r, c):
        for y in range(int(cy - r), int(cy + r) + 1):
            dy = y + 0.5 - cy
            if abs(dy) > r:
                continue
            dx = math.sqrt(r * r - dy * dy)
            self.hspan(y, round(cx - dx), round(cx + dx), c)

    def ring(self, cx, cy, r_out, r_in, c):
        for y in range(int(cy - r_out), int(cy + r_out) + 1):
            dy = y + 0.5 - cy
            if abs(dy) > r_out:
                continue
            do = math.sqrt(r_out * r_out - dy * dy)
            if abs(dy) < r_in:
                di = math.sqrt(r_in * r_in - dy * dy)
                self.hspan(y, round(cx - do), round(cx - di), c)
                self.hspan(y, round(cx + di), round(cx + do), c)
            else:
                self.hspan(y, round(cx - do), round(cx + do), c)

    def polygon(self, pts, c):
        ys = [p[1] for p in pts]
        for y in range(max(0, int(min(ys))), min(self.h, int(max(ys)) + 1)):
            sy = y + 0.5
            xs = []
            n = len(pts)
            for k in range(n):
                (x0, y0), (x1, y1) = pts[k], pts[(k + 1) % n]
                if (y0 <= sy < y1) or (y1 <= sy < y0):
                    xs.append(x0 + (sy - y0) * (x1 - x0) / (y1 - y0))
            xs.sort()
            for a, b in zip(xs[0::2], xs[1::2]):
                self.hspan(y, round(a), round(b), c)

    def line(self, x0, y0, x1, y1, width, c):
        dx, dy = x1 - x0, y1 - y0
        ln = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / ln * width / 2, dx / ln * width / 2
        self.polygon([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny),
                      (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)], c)
        self.circle(x0, y0, width / 2, c)
        self.circle(x1, y1, width / 2, c)

    def vgradient(self, c0, c1, y0=0, y1=None):
        y1 = self.h if y1 is None else y1
        for y in range(y0, y1):
            t = (y - y0) / max(1, (y1 - y0 - 1))
            c = tuple(round(a + (b - a) * t) for a, b in zip(c0, c1))
            self.hspan(y, 0, self.w, c)

    def scaled(self, w, h):
        """A smaller copy, each pixel the average of the area it covers."""
        out = Canvas(w, h, (0, 0, 0), alpha=self.ch == 4)
        fx, fy = self.w / w, self.h / h
        for y in range(h):
            sy0, sy1 = int(y * fy), max(int(y * fy) + 1, int((y + 1) * fy))
            for x in range(w):
                sx0, sx1 = int(x * fx), max(int(x * fx) + 1, int((x + 1) * fx))
                acc = [0] * self.ch
                for yy in range(sy0, sy1):
                    row = yy * self.w
                    for xx in range(sx0, sx1):
                        i = (row + xx) * self.ch
                        for c in range(self.ch):
                            acc[c] += self.buf[i + c]
                n = (sy1 - sy0) * (sx1 - sx0)
                j = (y * w + x) * self.ch
                out.buf[j : j + self.ch] = bytes(round(a / n) for a in acc)
        return out

    def pixel(self, x, y):
        i = (y * self.w + x) * self.ch
        return self.buf[i], self.buf[i + 1], self.buf[i + 2]

    def png(self):
        ctype = 6 if self.ch == 4 else 2
        stride = self.w * self.ch
        raw = bytearray()
        for y in range(self.h):
            raw.append(0)
            raw += self.buf[y * stride : (y + 1) * stride]

        def chunk(tag, data):
            return (struct.pack(">I", len(data)) + tag + data
                    + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

        ihdr = struct.pack(">IIBBBBB", self.w, self.h, 8, ctype, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
                + chunk(b"IEND", b""))


class Rng:
    """Small deterministic LCG, so the pictures never change between runs."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF

    def next(self):
        self.s = (1664525 * self.s + 1013904223) & 0xFFFFFFFF
        return self.s / 2 ** 32

    def uniform(self, a, b):
        return a + (b - a) * self.next()


# --------------------------------------------------------------------------
# Blurhash (https://blurha.sh), as Mastodon stores it for every image
# --------------------------------------------------------------------------

B83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"


def _b83(value, length):
    return "".join(B83[(value // 83 ** (length - i - 1)) % 83] for i in range(length))


def _to_lin(v):
    v /= 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _to_srgb(v):
    v = max(0.0, min(1.0, v))
    return round((v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055) * 255)


def blurhash(cv, nx=4, ny=3):
    step = max(1, max(cv.w, cv.h) // 64)
    xs, ys = range(0, cv.w, step), range(0, cv.h, step)
    samples = [(x / cv.w, y / cv.h, [_to_lin(v) for v in cv.pixel(x, y)]) for y in ys for x in xs]
    n = len(samples)
    comps = []
    for j in range(ny):
        for i in range(nx):
            norm = 1.0 if i == 0 and j == 0 else 2.0
            acc = [0.0, 0.0, 0.0]
            for u, v, rgb in samples:
                b = math.cos(math.pi * i * u) * math.cos(math.pi * j * v)
                for k in range(3):
                    acc[k] += b * rgb[k]
            comps.append([a * norm / n for a in acc])
    dc, ac = comps[0], comps[1:]
    out = _b83((nx - 1) + (ny - 1) * 9, 1)
    max_ac = max((abs(v) for c in ac for v in c), default=0.0)
    qmax = int(max(0, min(82, math.floor(max_ac * 166 - 0.5))))
    max_val = (qmax + 1) / 166
    out += _b83(qmax, 1)
    out += _b83((_to_srgb(dc[0]) << 16) + (_to_srgb(dc[1]) << 8) + _to_srgb(dc[2]), 4)

    def q(v):
        s = math.copysign(abs(v / max_val) ** 0.5, v)
        return int(max(0, min(18, math.floor(s * 9 + 9.5))))

    for c in ac:
        out += _b83(q(c[0]) * 361 + q(c[1]) * 19 + q(c[2]), 2)
    return out


# --------------------------------------------------------------------------
# The pictures
# --------------------------------------------------------------------------

NAVY = (16, 52, 110)
BLUE = (36, 99, 190)
SKY = (190, 222, 245)
WHITE = (255, 255, 255)
GREY = (120, 128, 140)
LIGHT = (238, 241, 245)
RED = (200, 40, 50)
YELLOW = (245, 196, 40)
GREEN = (46, 140, 80)
ORANGE = (235, 120, 40)


def emblem(cv, cx, cy, s, fg, bg):
    """The invented 'Beispielamt' emblem: a roof over three columns."""
    cv.polygon([(cx - s, cy - 0.25 * s), (cx, cy - s), (cx + s, cy - 0.25 * s)], fg)
    cv.rect(cx - 0.8 * s, cy - 0.2 * s, cx + 0.8 * s, cy - 0.05 * s, fg)
    for k in (-1, 0, 1):
        x = cx + k * 0.5 * s
        cv.rect(x - 0.13 * s, cy, x + 0.13 * s, cy + 0.6 * s, fg)
    cv.rect(cx - 0.9 * s, cy + 0.65 * s, cx + 0.9 * s, cy + 0.85 * s, fg)


def avatar():
    cv = Canvas(96, 96, NAVY)
    cv.ring(48, 48, 44, 40, YELLOW)
    emblem(cv, 48, 50, 26, WHITE, NAVY)
    return cv


def header():
    cv = Canvas(600, 200, NAVY)
    cv.vgradient(NAVY, BLUE)
    for k in range(-4, 20):
        x = k * 48
        cv.polygon([(x, 200), (x + 24, 200), (x + 124, 0), (x + 100, 0)], (44, 110, 200))
    cv.rect(0, 180, 600, 200, YELLOW)
    emblem(cv, 300, 95, 60, WHITE, NAVY)
    return cv


def emoji_amt():
    cv = Canvas(32, 32, (0, 0, 0, 0), alpha=True)
    cv.circle(16, 16, 15.5, NAVY)
    emblem(cv, 16, 17, 10, WHITE, NAVY)
    return cv


def emoji_balken():
    cv = Canvas(32, 32, (0, 0, 0, 0), alpha=True)
    cv.rect(3, 18, 10, 30, GREEN)
    cv.rect(12, 10, 19, 30, BLUE)
    cv.rect(21, 3, 28, 30, ORANGE)
    cv.rect(1, 29, 31, 31, (40, 40, 40))
    return cv


def avatar_anna():
    cv = Canvas(96, 96, (250, 226, 200))
    cv.circle(48, 104, 40, (90, 60, 140))          # shoulders
    cv.circle(48, 42, 22, (230, 180, 140))         # face
    cv.polygon([(24, 40), (30, 16), (66, 16), (72, 40), (64, 26), (32, 26)], (120, 70, 40))
    return cv


def avatar_statistik():
    cv = Canvas(96, 96, (230, 245, 235))
    for k, hgt in enumerate((30, 50, 40, 66)):
        cv.rect(14 + k * 18, 82 - hgt, 28 + k * 18, 82, (GREEN, BLUE, ORANGE, NAVY)[k])
    cv.rect(10, 82, 86, 86, (40, 40, 40))
    return cv


def card_image():
    cv = Canvas(640, 335, LIGHT)
    cv.rect(0, 0, 640, 70, NAVY)
    emblem(cv, 50, 36, 24, WHITE, NAVY)
    cv.rect(100, 26, 380, 34, (180, 200, 230))
    cv.rect(100, 42, 300, 48, (120, 150, 200))
    # the "report" document with a pie chart
    cv.polygon([(360, 100), (560, 100), (580, 120), (580, 320), (360, 320)], WHITE)
    cv.polygon([(560, 100), (580, 120), (560, 120)], (210, 215, 225))
    for y in range(250, 310, 14):
        cv.rect(380, y, 560, y + 6, (200, 205, 215))
    pie(cv, 470, 180, 55, [(0.45, BLUE), (0.3, ORANGE), (0.25, GREEN)])
    cv.rect(40, 110, 320, 140, NAVY)
    cv.rect(40, 160, 300, 172, GREY)
    cv.rect(40, 184, 280, 196, GREY)
    cv.rect(40, 208, 310, 220, GREY)
    cv.rect(40, 260, 170, 300, YELLOW)
    return cv


def pie(cv, cx, cy, r, parts):
    for y in range(int(cy - r), int(cy + r) + 1):
        for x in range(int(cx - r), int(cx + r) + 1):
            dx, dy = x + 0.5 - cx, y + 0.5 - cy
            if dx * dx + dy * dy > r * r:
                continue
            a = (math.atan2(dx, -dy) / (2 * math.pi)) % 1.0
            acc = 0.0
            for frac, col in parts:
                acc += frac
                if a < acc:
                    cv.hspan(y, x, x + 1, col)
                    break


def chart_frame(cv, x0, y0, x1, y1):
    cv.rect(x0, y0, x1, y1, WHITE)
    for k in range(5):
        y = y1 - 20 - k * (y1 - y0 - 40) / 4
        cv.rect(x0 + 40, y, x1 - 20, y + 1, (215, 220, 228))
    cv.rect(x0 + 40, y0 + 20, x0 + 42, y1 - 18, (60, 60, 60))
    cv.rect(x0 + 40, y1 - 20, x1 - 20, y1 - 18, (60, 60, 60))


def chart_bars():
    cv = Canvas(640, 360, LIGHT)
    chart_frame(cv, 20, 20, 620, 340)
    vals = [412, 380, 455, 470, 430, 398, 365, 340, 480, 512, 530, 470]
    for k, v in enumerate(vals):
        x = 80 + k * 44
        cv.rect(x, 320 - v * 0.52, x + 30, 320, BLUE if k < 11 else ORANGE)
    return cv


def chart_line():
    cv = Canvas(640, 360, (250, 250, 252))
    chart_frame(cv, 20, 20, 620, 340)
    paper = [260, 250, 245, 236, 230, 221, 214, 205, 199, 190, 183, 175]
    digital = [60, 72, 85, 96, 110, 121, 133, 148, 160, 171, 185, 198]
    for series, col in ((paper, GREY), (digital, GREEN)):
        pts = [(80 + k * 46, 320 - v * 1.0) for k, v in enumerate(series)]
        for a, b in zip(pts, pts[1:]):
            cv.line(a[0], a[1], b[0], b[1], 4, col)
        for x, y in pts:
            cv.circle(x, y, 6, col)
    return cv


def building(snow=False):
    cv = Canvas(640, 360, SKY)
    if snow:
        cv.vgradient((160, 170, 185), (215, 220, 228), 0, 300)
    else:
        cv.vgradient((120, 180, 235), SKY, 0, 300)
    cv.rect(0, 300, 640, 360, (250, 250, 250) if snow else (110, 160, 80))
    cv.rect(120, 110, 520, 310, (214, 196, 160))
    cv.polygon([(100, 112), (320, 40), (540, 112)], (150, 70, 50))
    if snow:
        cv.polygon([(100, 112), (320, 40), (540, 112), (520, 104), (320, 52), (120, 104)], WHITE)
    for row in range(3):
        for col in range(7):
            x, y = 145 + col * 52, 128 + row * 56
            if row == 2 and col == 3:
                continue
            cv.rect(x, y, x + 30, y + 38, (70, 90, 120))
            cv.rect(x + 14, y, x + 16, y + 38, (214, 196, 160))
    cv.rect(296, 240, 344, 310, (100, 60, 40))
    cv.rect(200, 300, 440, 312, (180, 180, 180))
    if snow:
        rng = Rng(7)
        for _ in range(260):
            cv.circle(rng.uniform(0, 640), rng.uniform(0, 300), rng.uniform(1.2, 2.8), WHITE)
    else:
        cv.circle(560, 60, 26, YELLOW)
    return cv


def city_map():
    cv = Canvas(640, 360, (236, 232, 220))
    cv.polygon([(0, 250), (180, 200), (330, 260), (640, 210), (640, 260), (330, 310), (180, 250), (0, 300)],
               (150, 195, 230))
    cv.rect(420, 40, 560, 150, (190, 220, 170))
    for x in range(40, 640, 110):
        cv.rect(x, 0, x + 10, 360, WHITE)
    for y in range(30, 360, 90):
        cv.rect(0, y, 640, y + 10, WHITE)
    cv.line(0, 340, 640, 20, 14, (250, 210, 120))
    cx, cy = 335, 118
    cv.polygon([(cx - 16, cy), (cx + 16, cy), (cx, cy + 40)], RED)
    cv.circle(cx, cy, 18, RED)
    cv.circle(cx, cy, 7, WHITE)
    return cv


def person(cv, x, y, s, shirt):
    cv.circle(x, y, s * 0.35, (225, 180, 140))
    cv.polygon([(x - s * 0.5, y + s * 1.6), (x - s * 0.4, y + s * 0.45),
                (x + s * 0.4, y + s * 0.45), (x + s * 0.5, y + s * 1.6)], shirt)


def gallery_stage():
    cv = Canvas(640, 360, (40, 36, 60))
    cv.polygon([(140, 0), (500, 0), (580, 200), (60, 200)], (70, 66, 100))
    cv.rect(60, 170, 580, 200, (120, 80, 50))
    cv.rect(250, 60, 390, 150, (230, 235, 245))
    cv.rect(258, 68, 382, 142, BLUE)
    person(cv, 200, 110, 34, RED)
    rng = Rng(3)
    for row in range(4):
        for k in range(12):
            x = 30 + k * 52 + (row % 2) * 26
            cv.circle(x, 230 + row * 36, 14, (int(rng.uniform(60, 120)),) * 3)
    return cv


def gallery_stand():
    cv = Canvas(640, 360, (245, 240, 230))
    cv.rect(0, 260, 640, 360, (200, 190, 170))
    cv.rect(80, 40, 200, 270, NAVY)
    emblem(cv, 140, 110, 36, WHITE, NAVY)
    cv.rect(96, 180, 184, 190, YELLOW)
    cv.rect(96, 200, 170, 206, WHITE)
    cv.rect(240, 190, 560, 270, WHITE)
    cv.rect(240, 190, 560, 200, BLUE)
    for k in range(6):
        cv.rect(260 + k * 48, 170, 296 + k * 48, 190, (ORANGE, GREEN, BLUE)[k % 3])
    person(cv, 400, 110, 40, GREEN)
    person(cv, 600, 150, 36, ORANGE)
    return cv


def gallery_paint():
    cv = Canvas(640, 360, WHITE)
    rng = Rng(11)
    cols = [RED, YELLOW, GREEN, BLUE, ORANGE, (150, 60, 170)]
    for k in range(40):
        cv.circle(rng.uniform(20, 620), rng.uniform(20, 340), rng.uniform(10, 40), cols[k % 6])
    cv.rect(0, 300, 640, 360, (205, 170, 120))
    for k in range(6):
        cv.rect(40 + k * 100, 310, 100 + k * 100, 326, cols[k])
    return cv


def gallery_tour():
    cv = Canvas(640, 360, (220, 210, 195))
    for k in range(8):
        cv.rect(20 + k * 78, 20, 80 + k * 78, 240, (150, 110, 70))
        for s in range(5):
            y = 36 + s * 42
            cv.rect(26 + k * 78, y, 74 + k * 78, y + 30, ((180, 60, 60), (60, 90, 150), (200, 180, 90))[(k + s) % 3])
    cv.rect(0, 240, 640, 360, (150, 140, 130))
    for k, col in enumerate((RED, GREEN, BLUE, ORANGE, NAVY)):
        person(cv, 120 + k * 90, 250, 30 if k else 38, col)
    return cv


def signage():
    cv = Canvas(640, 360, (200, 225, 240))
    cv.rect(0, 290, 640, 360, (160, 160, 160))
    cv.rect(310, 170, 330, 300, (90, 90, 90))
    cv.rect(170, 60, 470, 180, NAVY)
    cv.rect(178, 68, 462, 172, (24, 70, 140))
    emblem(cv, 230, 118, 32, WHITE, NAVY)
    cv.rect(280, 96, 440, 112, WHITE)
    cv.rect(280, 124, 400, 134, YELLOW)
    cv.polygon([(408, 140), (440, 140), (440, 130), (456, 146), (440, 162), (440, 152), (408, 152)], WHITE)
    return cv


def mold():
    cv = Canvas(640, 360, (226, 214, 180))
    rng = Rng(23)
    for _ in range(12):
        x0, y0 = rng.uniform(0, 600), rng.uniform(0, 330)
        cv.rect(x0, y0, x0 + rng.uniform(40, 220), y0 + rng.uniform(30, 120), (214, 200, 164))
    for _ in range(160):
        cx, cy = rng.uniform(120, 520), rng.uniform(60, 300)
        g = rng.uniform(0, 1)
        cv.circle(cx, cy, rng.uniform(3, 22),
                  (round(90 + 40 * g), round(110 + 30 * g), round(80 + 20 * g)))
    for _ in range(120):
        cv.circle(rng.uniform(100, 540), rng.uniform(40, 320), rng.uniform(1, 4), (50, 60, 45))
    return cv


def party():
    cv = Canvas(640, 360, (120, 20, 30))
    rng = Rng(5)
    for _ in range(50):
        cx, cy, r = rng.uniform(0, 640), rng.uniform(0, 360), rng.uniform(6, 18)
        pts = []
        for k in range(10):
            a = math.pi * k / 5
            rr = r if k % 2 == 0 else r * 0.45
            pts.append((cx + rr * math.sin(a), cy - rr * math.cos(a)))
        cv.polygon(pts, YELLOW)
    cv.polygon([(320, 40), (420, 300), (220, 300)], (30, 110, 50))
    cv.rect(305, 300, 335, 340, (100, 60, 30))
    return cv


def pie_chart():
    cv = Canvas(480, 270, WHITE)
    pie(cv, 150, 135, 105, [(0.42, BLUE), (0.27, GREEN), (0.18, ORANGE), (0.13, GREY)])
    for k, col in enumerate((BLUE, GREEN, ORANGE, GREY)):
        cv.rect(300, 70 + k * 38, 324, 94 + k * 38, col)
        cv.rect(336, 76 + k * 38, 440 - k * 14, 88 + k * 38, (200, 200, 205))
    return cv


def infographic():
    cv = Canvas(640, 360, (245, 247, 250))
    cv.rect(0, 0, 640, 56, NAVY)
    for k, days in enumerate((12, 9, 21, 6, 15)):
        y = 90 + k * 52
        cv.rect(40, y, 180, y + 30, (205, 210, 220))
        cv.rect(200, y, 200 + days * 18, y + 30, (BLUE, GREEN, ORANGE, GREEN, BLUE)[k])
    return cv


PICTURES = {
    # logical name: (draw function, description used only in this script)
    "avatar": avatar,
    "header": header,
    "emoji_beispielamt": emoji_amt,
    "emoji_balken": emoji_balken,
    "avatar_anna": avatar_anna,
    "avatar_statistik": avatar_statistik,
    "card_jahresbericht": card_image,
    "chart_antraege": chart_bars,
    "chart_digital": chart_line,
    "gebaeude": building,
    "gebaeude_schnee": lambda: building(snow=True),
    "lageplan": city_map,
    "tdot_buehne": gallery_stage,
    "tdot_infostand": gallery_stand,
    "tdot_malecke": gallery_paint,
    "tdot_fuehrung": gallery_tour,
    "schild": signage,
    "schimmel": mold,
    "weihnachtsfeier": party,
    "statistik_torte": pie_chart,
    # drawn but never written: its toot's file "could not be mirrored"
    "infografik_unmirrored": infographic,
}
NOT_WRITTEN = {"infografik_unmirrored"}
# Pictures used as images in toots also get a preview ("small") version, as
# a server gives them, 400 px wide, which lists offer through srcset.
PREVIEW_WIDTH = 400

# Pictures used as images in toots get a blurhash, like Mastodon gives them.
NO_BLURHASH = {"avatar", "header", "emoji_beispielamt", "emoji_balken",
               "avatar_anna", "avatar_statistik", "card_jahresbericht"}


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def store(data, ext):
    name = hashlib.sha256(data).hexdigest()[:16] + "." + ext
    path = os.path.join(MEDIA_DIR, name)
    if not os.path.exists(path) or open(path, "rb").read() != data:
        with open(path, "wb") as f:
            f.write(data)
    return name


def entry(name, mime, size, **meta):
    e = {"file": MEDIA_REL + "/" + name, "mime": mime, "size": size}
    e.update({k: v for k, v in meta.items() if v is not None})
    return e


def ffprobe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,width,height",
         "-of", "json", path], check=True, capture_output=True, text=True).stdout
    info = json.loads(out)
    w = h = None
    for s in info.get("streams", []):
        if s.get("codec_type") == "video":
            w, h = s["width"], s["height"]
    return w, h, round(float(info["format"]["duration"]), 2)


# Deterministic-ish encoder flags: no metadata, no encoder version strings.
BITEXACT = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]

AV_JOBS = {
    # logical name: (ffmpeg input+codec arguments, extension, MIME type)
    "video_terminbuchung": (
        ["-f", "lavfi", "-i", "testsrc=size=160x90:rate=12:duration=1",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=1",
         "-c:v", "libx264", "-preset", "veryslow", "-crf", "32", "-pix_fmt", "yuv420p",
         "-x264-params", "threads=1",
         "-c:a", "aac", "-b:a", "24k", "-ac", "1", "-shortest", "-movflags", "+faststart"],
        "mp4", "video/mp4"),
    "gifv_fortschritt": (
        ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=12:duration=1",
         "-c:v", "libx264", "-preset", "veryslow", "-crf", "32", "-pix_fmt", "yuv420p",
         "-x264-params", "threads=1", "-an", "-movflags", "+faststart"],
        "mp4", "video/mp4"),
    "audio_jingle": (
        ["-f", "lavfi", "-i",
         "aevalsrc=0.4*sin(2*PI*(523.25+261.6*gte(t\\,0.33)+130.8*gte(t\\,0.66))*t):s=22050:d=1",
         "-c:a", "libmp3lame", "-b:a", "32k", "-ac", "1"],
        "mp3", "audio/mpeg"),
}


def make_av(manifest, old):
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        print("ffmpeg/ffprobe not found: keeping video, gifv and audio entries from the old manifest",
              file=sys.stderr)
        for k, v in old.items():
            if k in AV_JOBS or k.endswith("_poster"):
                manifest[k] = v
        return
    with tempfile.TemporaryDirectory() as tmp:
        for key, (args, ext, mime) in AV_JOBS.items():
            out = os.path.join(tmp, key + "." + ext)
            subprocess.run(["ffmpeg", "-v", "error", "-y"] + args + BITEXACT + [out], check=True)
            w, h, dur = ffprobe(out)
            data = open(out, "rb").read()
            manifest[key] = entry(store(data, ext), mime, len(data), width=w, height=h, duration=dur)
            if w:
                poster = os.path.join(tmp, key + "_poster.png")
                subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", out, "-frames:v", "1",
                                "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
                                poster], check=True)
                pdata = open(poster, "rb").read()
                manifest[key + "_poster"] = entry(store(pdata, "png"), "image/png", len(pdata),
                                                  width=w, height=h)


def main():
    prune = "--prune" in sys.argv[1:]
    os.makedirs(MEDIA_DIR, exist_ok=True)
    old = {}
    if os.path.exists(MANIFEST):
        with open(MANIFEST, encoding="utf-8") as f:
            old = json.load(f)
    manifest = {}
    for key, draw in PICTURES.items():
        cv = draw()
        data = cv.png()
        bh = None if key in NO_BLURHASH else blurhash(cv)
        if key in NOT_WRITTEN:
            manifest[key] = {"width": cv.w, "height": cv.h, "blurhash": bh}
            continue
        manifest[key] = entry(store(data, "png"), "image/png", len(data),
                              width=cv.w, height=cv.h, blurhash=bh)
        if key not in NO_BLURHASH and cv.w > PREVIEW_WIDTH:
            small = cv.scaled(PREVIEW_WIDTH, round(cv.h * PREVIEW_WIDTH / cv.w))
            sdata = small.png()
            # A noisy picture can compress worse when smaller: then no preview.
            if len(sdata) < len(data):
                manifest[key + "_small"] = entry(store(sdata, "png"), "image/png", len(sdata),
                                                 width=small.w, height=small.h)
    make_av(manifest, old)

    with open(MANIFEST, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

    named = {os.path.basename(v["file"]) for v in manifest.values() if "file" in v}
    for key, v in manifest.items():
        if "file" in v:
            print(f"{v['file']:48} {v['size']:7d} B  {v['mime']:11} {key}")
    stale = sorted(set(os.listdir(MEDIA_DIR)) - named)
    for name in stale:
        if prune:
            os.remove(os.path.join(MEDIA_DIR, name))
            print("removed stale", name)
        else:
            print("stale (not in manifest; --prune deletes):", name, file=sys.stderr)


if __name__ == "__main__":
    main()
