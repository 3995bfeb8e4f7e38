#!/usr/bin/env bash
# Remakes every fixture in this folder from nothing but the generator beside it, libvips' CLI
# (libvips-tools) and exiftool (libimage-exiftool-perl). The outputs are committed; run this
# only to change them. Each file's purpose is listed in README.md beside it.
set -euo pipefail
cd "$(dirname "$0")"
gen() { python3 make_pattern.py "$@"; }

# Upright references.
gen pattern 640 400 pattern-landscape.png
gen pattern 400 640 pattern-portrait.png
gen patches 480 320 patches.png

# EXIF orientations 1-8. The stored pixels are the inverse of what each orientation does on
# display, so every file shows the upright reference when oriented correctly.
mkdir -p orientation
for shape in landscape portrait; do
  src=pattern-$shape.png
  vips copy $src /tmp/o1.v
  vips flip $src /tmp/o2.v horizontal                                     # 2: mirror horizontal
  vips rot $src /tmp/o3.v d180                                            # 3: rotate 180
  vips flip $src /tmp/o4.v vertical                                       # 4: mirror vertical
  vips rot $src /tmp/r90.v d90 && vips flip /tmp/r90.v /tmp/o5.v horizontal  # 5: transpose
  vips rot $src /tmp/o6.v d270                                            # 6: shown turned 90 CW
  vips rot $src /tmp/r90b.v d90 && vips flip /tmp/r90b.v /tmp/o7.v vertical  # 7: transverse
  vips rot $src /tmp/o8.v d90                                             # 8: shown turned 270 CW
  for n in 1 2 3 4 5 6 7 8; do
    vips jpegsave /tmp/o$n.v orientation/$shape-$n.jpg --Q 95 --strip
    exiftool -q -overwrite_original -n -Orientation=$n orientation/$shape-$n.jpg
  done
done
rm -f /tmp/o?.v /tmp/r90.v /tmp/r90b.v

# Colour: the patches in Display-P3 (PNG and JPEG), in CMYK with and without a profile,
# as grey, as 16-bit, as a palette PNG, and with transparency.
mkdir -p colour
vips icc_transform patches.png colour/patches-p3.png p3 --input-profile srgb
vips icc_transform patches.png colour/patches-p3.jpg[Q=95] p3 --input-profile srgb
vips icc_transform patches.png colour/patches-cmyk.jpg[Q=95] cmyk --input-profile srgb
vips copy colour/patches-cmyk.jpg "colour/patches-cmyk-untagged.jpg[Q=95,strip]"
# What the CMYK patches should become: converted back through the profile they carry, at full
# size by the libvips CLI. Saturated sRGB leaves the CMYK gamut, so this is not patches.png.
vips icc_transform colour/patches-cmyk.jpg colour/patches-cmyk-expected.png srgb --embedded
vips colourspace patches.png colour/patches-grey.png b-w
vips colourspace patches.png colour/patches-16bit.png rgb16
vips copy patches.png "colour/patches-palette.png[palette,Q=100]"
# Left half opaque, right half fully transparent.
vips black /tmp/alpha.v 480 320 --bands 1
vips draw_rect /tmp/alpha.v 255 0 0 240 320 --fill
vips bandjoin "patches.png /tmp/alpha.v" colour/patches-alpha.png
rm -f /tmp/alpha.v

# Tiny and extreme shapes.
mkdir -p shapes
for size in 1x1 13x1 1x13 49x500 1920x96 10x5000 5000x10; do
  gen pattern ${size%x*} ${size#*x} shapes/$size.png
done

# The demo photo: what a phone would leave in a holiday picture.
mkdir -p demo
vips resize pattern-landscape.png /tmp/demo.v 2.5 --kernel lanczos3
vips rot /tmp/demo.v /tmp/demo-stored.v d270
vips jpegsave /tmp/demo-stored.v demo/holiday.jpg --Q 92 --strip
vips thumbnail pattern-landscape.png /tmp/thumb.jpg 160
exiftool -q -overwrite_original -n \
  -Orientation=6 -Make=ExampleCam -Model="ExampleCam X1" -SerialNumber=EC123456789 \
  -BodySerialNumber=EC123456789 -OwnerName="Alex Example" -Artist="Alex Example" \
  -ImageDescription="Beach walk with Sam" \
  -GPSLatitude=43.4674 -GPSLatitudeRef=N -GPSLongitude=11.8851 -GPSLongitudeRef=E \
  "-ThumbnailImage<=/tmp/thumb.jpg" \
  -XMP-mwg-rs:RegionAppliedToDimensionsW=1600 -XMP-mwg-rs:RegionAppliedToDimensionsH=1000 \
  -XMP-mwg-rs:RegionAppliedToDimensionsUnit=pixel \
  "-XMP-mwg-rs:RegionList={Name=Sam Example,Type=Face,Area={X=0.3,Y=0.4,W=0.1,H=0.15,Unit=normalized}}" \
  -XMP-dc:Creator="Alex Example" \
  -IPTC:By-line="Alex Example" -IPTC:City=Montevarchi \
  demo/holiday.jpg
rm -f /tmp/demo.v /tmp/demo-stored.v /tmp/thumb.jpg
# One file per privacy family that the demo photo does not cover, for inspect's report.
mkdir -p privacy
vips jpegsave pattern-landscape.png /tmp/base.jpg --Q 90 --strip
cp /tmp/base.jpg privacy/microsoft-regions.jpg
exiftool -q -overwrite_original \
  "-XMP-MP:RegionInfoMP={Regions=[{PersonDisplayName=Jo Example,Rectangle=0.1|, 0.2|, 0.15|, 0.2}]}" \
  privacy/microsoft-regions.jpg
cp /tmp/base.jpg privacy/iptc-regions.jpg
exiftool -q -overwrite_original \
  "-XMP-iptcExt:ImageRegion=[{Name=Kim Example,RegionBoundary={RbShape=rectangle,RbUnit=relative,RbX=0.5,RbY=0.2,RbW=0.1,RbH=0.2}}]" \
  "-XMP-iptcExt:PersonInImage=Kim Example" \
  privacy/iptc-regions.jpg
cp /tmp/base.jpg privacy/comment.jpg
exiftool -q -overwrite_original "-Comment=Taken at 12 Example Street" privacy/comment.jpg
vips copy pattern-landscape.png privacy/text.png
exiftool -q -overwrite_original "-PNG:Comment=Our street, spring" "-PNG:Author=Alex Example" privacy/text.png
vips webpsave pattern-landscape.png privacy/gps.webp --Q 80 --strip
# libvips 8.14 writes an EXIF chunk even with --strip; start from none.
exiftool -q -m -overwrite_original -all= privacy/gps.webp
exiftool -q -overwrite_original -GPSLatitude=51.5007 -GPSLatitudeRef=N -GPSLongitude=0.1246 -GPSLongitudeRef=W \
  -Artist="Alex Example" privacy/gps.webp
rm -f /tmp/base.jpg
echo "fixtures written"
