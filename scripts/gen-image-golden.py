#!/usr/bin/python3
"""Golden vectors for packages/core/src/image-normalize.ts, made with Debian's Pillow 9.4.

Run with Debian's python3-pil (`apt-get install python3-pil`; /usr/bin/python3):
    /usr/bin/python3 scripts/gen-image-golden.py > packages/core/src/__fixtures__/image-golden.json

Input images are not stored: both this script and the test synthesise them from a seed with
the same 32-bit LCG (see `synth`). Stored are Pillow's results: full 1024-pixel arrays for the
normalisation (so that a failing test can count mismatching pixels) and SHA-256 digests (first 16 hex digits) of the
intermediate steps and generic resamples (to keep the file small).
"""
import base64
import hashlib
import json
import sys

import PIL
from PIL import Image, ImageChops, ImageOps

assert PIL.__version__.startswith("9.4"), "use Debian bookworm's Pillow 9.4 (/usr/bin/python3)"

MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def lcg(state):
    return (state * 1664525 + 1013904223) & 0xFFFFFFFF


def synth(kind, w, h, c, seed):
    """Pixels (bytes, interleaved) for one synthetic image; mirrored in the TS test."""
    s = seed & 0xFFFFFFFF
    out = bytearray(w * h * c)
    # Border colour and inner rectangle for 'border' images.
    s = lcg(s)
    border = [(s >> (8 * k)) & 255 for k in range(4)]
    bx0, by0 = w // 5, h // 4
    bx1, by1 = w - w // 7, h - h // 3
    i = 0
    for y in range(h):
        for x in range(w):
            for ch in range(c):
                s = lcg(s)
                r = s >> 24
                if kind == "noise":
                    v = r
                elif kind == "smooth":
                    v = (x * 7 + y * 3 + ch * 50 + (r >> 5)) & 255
                elif kind == "border":
                    inside = bx0 <= x < bx1 and by0 <= y < by1
                    v = r if inside else border[ch]
                else:
                    raise ValueError(kind)
                if ch == c - 1 and c in (2, 4):
                    # Alpha: mostly the extremes, some partial values.
                    sel = r & 3
                    v = 0 if sel == 0 else 255 if sel == 1 else ((r * 37) & 255)
                    if kind == "border" and not (bx0 <= x < bx1 and by0 <= y < by1):
                        v = border[ch]
                out[i] = v
                i += 1
    return bytes(out)


def sha(b):
    # 64 bits of SHA-256 are plenty to detect a wrong pixel and keep the file small.
    return hashlib.sha256(bytes(b)).hexdigest()[:16]


def fill_transparency(img):
    # iscc-sdk image_fill_transparency, restated
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA"):
        bg = Image.new("RGB", img.size, (255, 255, 255))
        bg.paste(img, mask=img.getchannel("A"))
        return bg
    return img.convert("RGB")


def trim_border(img):
    # iscc-sdk image_trim_border, restated
    bg = Image.new(img.mode, img.size, img.getpixel((0, 0)))
    diff = ImageChops.difference(img, bg)
    diff = ImageChops.add(diff, diff)
    bbox = diff.getbbox()
    if bbox != (0, 0) + img.size:
        return img.crop(bbox)
    return img


def with_orientation(img, o):
    exif = Image.Exif()
    exif[0x0112] = o
    img.info["exif"] = exif.tobytes()
    return img


def normalize(img, transpose=True, fill=True, trim=True):
    if transpose:
        img = ImageOps.exif_transpose(img)
    if fill:
        img = fill_transparency(img)
    if trim:
        img = trim_border(img)
    img = img.convert("L")
    return img.resize((32, 32), Image.BICUBIC)


def put_pixels(case, key, b):
    """Every eighth case stores all 1024 pixels (base64) so that a failure can count mismatches;
    the others only a digest, to keep the fixture small."""
    if len(cases) % 8 == 0:
        case[key + "_b64"] = base64.b64encode(b).decode("ascii")
    else:
        case[key + "_sha256"] = sha(b)


cases = []
SIZES = [(1, 1), (1, 9), (9, 1), (1, 70), (70, 1), (3, 5), (31, 20), (33, 33), (32, 32),
         (64, 48), (10, 13), (200, 3), (45, 90), (17, 250)]
seed = 1
for kind in ("noise", "smooth", "border"):
    for c in (1, 2, 3, 4):
        for (w, h) in SIZES:
            seed += 1
            if kind == "noise" and c in (1, 2) and w * h > 5000:
                continue
            data = synth(kind, w, h, c, seed)
            img = Image.frombytes(MODES[c], (w, h), data)
            orientation = 1 + (seed % 8)
            with_orientation(img, orientation)
            case = dict(kind=kind, width=w, height=h, channels=c, seed=seed, orientation=orientation)
            t = ImageOps.exif_transpose(img)
            case["transposed_sha256"] = sha(t.tobytes())
            f = fill_transparency(t)
            case["filled_sha256"] = sha(f.tobytes())
            tr = trim_border(f)
            case["trimmed_size"] = list(tr.size)
            case["trimmed_sha256"] = sha(tr.tobytes())
            case["grey_sha256"] = sha(tr.convert("L").tobytes())
            put_pixels(case, "normalized", normalize(img).tobytes())
            if c in (2, 4) and kind != "noise":
                # Option off: trim and grey on the raw mode.
                put_pixels(case, "normalized_no_fill", normalize(img, fill=False).tobytes())
            cases.append(case)

# Generic resample: L, RGB and CMYK (4 independent channels; Pillow premultiplies RGBA/LA).
resamples = []
RS = [((1, 1), (5, 7)), ((7, 5), (1, 1)), ((31, 20), (32, 32)), ((100, 3), (7, 9)), ((13, 17), (40, 50)),
      ((64, 64), (32, 32)), ((250, 17), (32, 32)), ((50, 50), (50, 20)), ((50, 50), (20, 50)),
      ((9, 200), (300, 11)), ((40, 30), (40, 30))]
for kind in ("noise", "smooth"):
    for c, mode in ((1, "L"), (3, "RGB"), (4, "CMYK")):
        for (w, h), (ow, oh) in RS:
            seed += 1
            data = synth(kind, w, h, c, seed) if c != 4 else synth(kind, w, h, 4, seed)
            img = Image.frombytes(mode, (w, h), data)
            # CMYK synth shares the RGBA alpha rule for channel 4; fine: any bytes do.
            out = img.resize((ow, oh), Image.BICUBIC)
            resamples.append(dict(kind=kind, width=w, height=h, channels=c, seed=seed,
                                  out_width=ow, out_height=oh, sha256=sha(out.tobytes()),
                                  first16=list(out.tobytes()[:16])))

json.dump(dict(
    _about="Pillow %s golden vectors for image-normalize.ts; made by scripts/gen-image-golden.py" % PIL.__version__,
    cases=cases, resamples=resamples), sys.stdout, separators=(",", ":"))
