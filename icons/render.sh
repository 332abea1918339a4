#!/usr/bin/env bash
# Renders icon.svg into the RGBA PNGs (and .ico) Tauri needs. The PNGs are committed;
# run this only after changing icon.svg. Needs librsvg2-bin (rsvg-convert) and imagemagick.
set -euo pipefail
cd "$(dirname "$0")"
render() { rsvg-convert -w "$1" -h "$1" icon.svg -o "/tmp/h2r-icon-$1.png"; /usr/bin/convert "/tmp/h2r-icon-$1.png" "PNG32:$2"; }
render 32 32x32.png
render 64 64x64.png
render 128 128x128.png
render 256 128x128@2x.png
render 512 icon.png
render 256 256x256.png
/usr/bin/convert 32x32.png 64x64.png 128x128.png 256x256.png icon.ico
rm -f /tmp/h2r-icon-*.png
