#!/usr/bin/python3
"""Image files + Pillow 9.4 expectations for packages/sdk (decoder + normalisation exactness).

Run with Debian's python3-pil (dev only; never needed at run time):
    /usr/bin/python3 scripts/gen-sdk-image-fixtures.py

Writes small images in many encodings to packages/sdk/src/__fixtures__/images/ and, in
expected.json, what iscc-sdk's `image_normalize` gives for each when Pillow opens the file
(restated below: exif_transpose, fill transparency, trim border, convert L, resize 32x32 BICUBIC).
"""
import base64
import io
import json
import os
import random

import PIL
from PIL import Image, ImageChops, ImageDraw, ImageOps

assert PIL.__version__.startswith("9.4")
OUT = os.path.join(os.path.dirname(__file__), "..", "packages", "sdk", "src", "__fixtures__", "images")
os.makedirs(OUT, exist_ok=True)
rnd = random.Random(5)


def base_rgb(w, h, border=0):
    """A structured picture (gradients, shapes, some noise), optionally with a flat border."""
    im = Image.new("RGB", (w, h), (250, 250, 250))
    px = im.load()
    for y in range(border, h - border):
        for x in range(border, w - border):
            px[x, y] = ((x * 255) // max(1, w - 1), (y * 255) // max(1, h - 1), (x * y + rnd.randrange(40)) & 255)
    d = ImageDraw.Draw(im)
    if w > 8 and h > 8:
        d.ellipse((w // 4, h // 4, 3 * w // 4, 3 * h // 4), fill=(30, 120, 200))
        d.line((0, 0, w, h), fill=(0, 0, 0), width=2)
    return im


def fill_transparency(img):
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA"):
        bg = Image.new("RGB", img.size, (255, 255, 255))
        bg.paste(img, mask=img.getchannel("A"))
        return bg
    if img.mode == "P":
        if "transparency" in img.info:
            rgba = img.convert("RGBA")
            bg = Image.new("RGB", img.size, (255, 255, 255))
            bg.paste(rgba, mask=rgba.getchannel("A"))
            return bg
        return img.convert("RGB")
    return img.convert("RGB")


def trim_border(img):
    bg = Image.new(img.mode, img.size, img.getpixel((0, 0)))
    diff = ImageChops.difference(img, bg)
    diff = ImageChops.add(diff, diff)
    bbox = diff.getbbox()
    if bbox != (0, 0) + img.size:
        return img.crop(bbox)
    return img


def normalize(img):
    img = ImageOps.exif_transpose(img)
    img = fill_transparency(img)
    img = trim_border(img)
    img = img.convert("L")
    return img.resize((32, 32), Image.BICUBIC)


def with_exif_orientation(o):
    ex = Image.Exif()
    ex[0x0112] = o
    return ex.tobytes()


files = {}


def save(name, img, **kw):
    path = os.path.join(OUT, name)
    img.save(path, **kw)
    files[name] = None


rgb = base_rgb(61, 47)
save("rgb.png", rgb)
save("rgb-border.png", base_rgb(40, 30, border=5))
save("l.png", rgb.convert("L"))
la = rgb.convert("LA"); la.putalpha(Image.linear_gradient("L").resize(rgb.size)); save("la.png", la)
rgba = rgb.convert("RGBA"); rgba.putalpha(Image.radial_gradient("L").resize(rgb.size)); save("rgba.png", rgba)
p = rgb.convert("P", palette=Image.ADAPTIVE, colors=16); save("p.png", p)
save("p-trns.png", p, transparency=3)
save("rgb-trns.png", rgb, transparency=rgb.getpixel((5, 5)))
save("l-trns.png", rgb.convert("L"), transparency=rgb.convert("L").getpixel((5, 5)))
i16 = Image.frombytes("I;16", rgb.size, bytes(rnd.randrange(256) if i % 2 else rnd.randrange(2) for i in range(61 * 47 * 2)))
save("grey16.png", i16)
save("onebit.png", rgb.convert("1"))
save("thin-1x40.png", base_rgb(1, 40))
save("thin-40x1.png", base_rgb(40, 1))
save("one-1x1.png", base_rgb(1, 1))
save("q50.jpg", rgb, quality=50)
save("q90-444.jpg", rgb, quality=90, subsampling=0)
save("q75-422.jpg", rgb, quality=75, subsampling=1)
save("progressive.jpg", rgb, quality=80, progressive=True)
save("grey.jpg", rgb.convert("L"), quality=80)
save("cmyk.jpg", rgb.convert("CMYK"), quality=85)
for o in range(2, 9):
    save("orient-%d.jpg" % o, rgb, quality=85, exif=with_exif_orientation(o))
save("orient-6.png", rgb, exif=with_exif_orientation(6))
# PNG orientation as Pillow reads it: ImageMagick's "Raw profile type exif" and XMP.
from PIL import PngImagePlugin
raw = with_exif_orientation(5)
info = PngImagePlugin.PngInfo()
info.add_text("Raw profile type exif", "\nexif\n%8d\n%s\n" % (len(raw), raw.hex()), zip=True)
save("orient-5-rawprofile.png", rgb, pnginfo=info)
info = PngImagePlugin.PngInfo()
info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              '<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="3"/></rdf:RDF></x:xmpmeta>', zip=True)
save("orient-3-xmp.png", rgb, pnginfo=info)
save("orient-6.webp", rgb, quality=70, exif=with_exif_orientation(6))
save("p-trns-multi.png", p, transparency=bytes([0, 64, 128, 200, 255, 10]))
save("plain.gif", rgb.convert("P", palette=Image.ADAPTIVE, colors=64))
save("trns.gif", p, transparency=3)
save("rgb.tif", rgb)
save("rgb-lzw.tif", rgb, compression="tiff_lzw")
save("rgba.tif", rgba)
save("l.tif", rgb.convert("L"))
save("rgb.bmp", rgb)
save("l.bmp", rgb.convert("L"))
save("p.bmp", p)
save("onebit.bmp", rgb.convert("1"))
save("lossless.webp", rgb, lossless=True)
save("lossy.webp", rgb, quality=60)
save("rgba.webp", rgba, lossless=True)
# iscc-sdk's tests/conftest.py `png_obj_alpha` (its expectations are in EXPECTED-iscc-sdk.json).
ell = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
ImageDraw.Draw(ell).ellipse((25, 25, 75, 75), fill=(126, 126, 126))
save("alpha-ellipse.png", ell)

# Encodings Pillow cannot write, made with ImageMagick's `convert` (Debian imagemagick) when
# present: 16-bit PNG/TIFF, BMP bitfields/RLE/4-bit, PSD (RLE, grey, CMYK, alpha), CMYK TIFF,
# animated GIF, more JPEG subsamplings. Pillow decides what they should decode to.
IM = [
    ("rgb.png", ["-depth", "16"], "PNG48:rgb16.png"),
    ("orient-6.jpg", [], "PNG:orient-6-exif-after-idat.png"),
    ("rgb.png", ["-orient", "RightTop", "-compress", "Zip"], "TIFF:orient-6.tif"),
    ("rgb.png", ["-orient", "TopRight", "-compress", "Zip"], "TIFF:orient-2.tif"),
    ("rgb.png", ["-orient", "BottomRight", "-compress", "Zip"], "TIFF:orient-3.tif"),
    ("rgb.png", ["-orient", "LeftTop", "-compress", "Zip"], "TIFF:orient-5.tif"),
    ("rgb.png", ["-orient", "RightBottom", "-compress", "Zip"], "TIFF:orient-7.tif"),
    ("rgb.png", ["-orient", "LeftBottom", "-compress", "Zip"], "TIFF:orient-8.tif"),
    ("rgb.png", ["-interlace", "PNG"], "PNG:interlaced.png"),
    ("rgba.png", ["-alpha", "on"], "TIFF:im-rgba.tif"),
    ("rgb.png", ["-compress", "JPEG", "-quality", "80"], "TIFF:jpeg.tif"),
    ("p.png", ["-type", "Palette"], "TIFF:palette.tif"),
    ("l.png", ["-depth", "16"], "TIFF:grey16.tif"),
    ("rgb.png", ["-compress", "Zip"], "TIFF:zip.tif"),
    ("la.png", [], "TIFF:la.tif"),
    ("rgba.png", ["-depth", "16"], "PNG64:rgba16.png"),
    ("la.png", ["-depth", "16"], "PNG:la16.png"),
    ("rgb.png", ["-define", "bmp:subtype=RGB555"], "BMP3:rgb555.bmp"),
    ("rgb.png", ["-define", "bmp:subtype=RGB565"], "BMP:rgb565.bmp"),
    ("rgba.png", ["-define", "bmp:subtype=ARGB8888"], "BMP:argb.bmp"),
    ("rgb.png", [], "BMP:rgb-v5.bmp"),
    ("p.png", ["-compress", "RLE"], "BMP3:rle8.bmp"),
    ("p.png", ["-colors", "16", "-type", "Palette", "-compress", "RLE"], "BMP3:rle4.bmp"),
    ("p.png", ["-colors", "16", "-type", "Palette"], "BMP3:p4.bmp"),
    ("rgb.png", [], "PSD:rgb.psd"),
    ("rgb.png", ["-compress", "None"], "PSD:rgb-raw.psd"),
    ("rgba.png", [], "PSD:rgba.psd"),
    ("l.png", [], "PSD:grey.psd"),
    ("rgb.png", ["-colorspace", "CMYK"], "PSD:cmyk.psd"),
    ("rgb.png", ["-depth", "16"], "TIFF:rgb16.tif"),
    ("rgb.png", ["-colorspace", "CMYK"], "TIFF:cmyk.tif"),
    ("rgb.png", ["-sampling-factor", "4:1:1", "-quality", "70"], "JPEG:s411.jpg"),
    ("rgb.png", ["-sampling-factor", "1x2", "-quality", "70"], "JPEG:s440.jpg"),
    ("rgb.png", ["-colorspace", "CMYK", "-quality", "80"], "JPEG:im-cmyk.jpg"),
]
import shutil
import subprocess
if shutil.which("convert"):
    for src, args, dst in IM:
        fmt, name = dst.split(":", 1)
        subprocess.run(["convert", os.path.join(OUT, src)] + args + [fmt + ":" + os.path.join(OUT, name)], check=True)
        files[name] = None
    # animated GIF: the first frame counts
    subprocess.run(["convert", "-delay", "10", os.path.join(OUT, "rgb.png"), os.path.join(OUT, "l.png"),
                    os.path.join(OUT, "anim.gif")], check=True)
    files["anim.gif"] = None

expected = {}
for name in sorted(files):
    try:
        im = Image.open(os.path.join(OUT, name))
        im.load()
    except Exception as e:  # Pillow cannot read it: then neither do we promise anything
        print("skip", name, e)
        os.remove(os.path.join(OUT, name))
        continue
    # The stored size (Pillow's TIFF loader transposes on load, so take it before loading).
    entry = {"mode": im.mode, "size": list(Image.open(os.path.join(OUT, name)).size)}
    entry["normalized_b64"] = base64.b64encode(normalize(Image.open(os.path.join(OUT, name))).tobytes()).decode()
    expected[name] = entry
# Reference samples (not copied): image/demo.* of ../shared/samples
samples = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "samples", "image")
for name in sorted(os.listdir(samples)):
    im = Image.open(os.path.join(samples, name))
    expected["samples/" + name] = {"mode": im.mode, "size": list(im.size),
                                  "normalized_b64": base64.b64encode(normalize(im).tobytes()).decode()}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"_about": "Pillow %s: iscc-sdk image_normalize of each file; made by scripts/gen-sdk-image-fixtures.py" % PIL.__version__, "files": expected}, f, separators=(",", ":"))
