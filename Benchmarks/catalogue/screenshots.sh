#!/bin/sh
# Screenshots of the published catalogue as readers see it, taken with headless Chromium: the index, a
# learning opportunity's page (the good example), a multilingual one with quality misses, and a field page, each
# at 1280 px and at 320 px wide, cut into tiles of at most 1,200 px (tiles.py) so each can be looked at whole;
# and the good example's page printed to PDF (print style sheet), its first page as PNG (pdftoppm).
# The site is built from Schemas/examples plus 300 generated documents. Output: Benchmarks/out/catalogue-screenshots/.
#
#   Benchmarks/catalogue/screenshots.sh
#
# Environment: ECCOE_BINARY (default: a release build), CHROMIUM (default chromium). Needs poppler-utils for pdftoppm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/Benchmarks/out/catalogue-screenshots"
chromium=${CHROMIUM:-chromium}
cd "$root"
if [ -z "${ECCOE_BINARY:-}" ]; then
    swift build -c release --product eccoe >/dev/null
    ECCOE_BINARY="$(swift build -c release --show-bin-path)/eccoe"
fi
rm -rf "$out"
mkdir -p "$out/source"
python3 "$here/generate.py" "$out/gen" --documents 300 >/dev/null
cp -r "$out/gen/corpus" "$out/source/generated"
cp Schemas/examples/*learning-opportunity*.jsonld "$out/source/"
"$ECCOE_BINARY" catalogue "$out/source" --out "$out/site" --title "Exampleton catalogue of learning opportunities" 2>"$out/build.log" || true
tail -1 "$out/build.log"

multilingual=$(grep -l 'id="lang-de"' "$out"/site/opportunities/eccoe-lo-*.html | xargs grep -l 'status-missed' | head -1)
shoot() {  # name page width height
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$out/$1-$3.png" \
        --window-size="$3,$4" "file://$2" >/dev/null 2>&1
    python3 "$here/tiles.py" "$out/$1-$3.png" --height 1200 >/dev/null
}
for width in 1280 320; do
    shoot index "$out/site/index.html" "$width" 6000
    shoot opportunity "$out/site/opportunities/eccoe-lo-exampleton-rdm-2026.html" "$width" 6000
    shoot multilingual "$multilingual" "$width" 8000
    shoot field "$out/site/fields/06.html" "$width" 3000
done
"$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$out/opportunity-print.pdf" \
    "file://$out/site/opportunities/eccoe-lo-exampleton-rdm-2026.html" >/dev/null 2>&1
pdftoppm -png -r 60 -f 1 -l 2 "$out/opportunity-print.pdf" "$out/opportunity-print"
ls "$out"/*.png | sed "s|$root/||"
