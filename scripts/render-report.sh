#!/usr/bin/env bash
# Renders a batch run's report.html with headless Chromium (Debian package `chromium`) to a PNG, to check that
# the self-contained page renders with no network and reads well.
#
#   scripts/render-report.sh DIR [WIDTHxHEIGHT]     → DIR/report.png (default 1280x2400)
#
# Exit codes: 0 rendered, 1 no report or the render failed, 2 chromium is not installed.
set -euo pipefail
dir="${1:?usage: scripts/render-report.sh DIR [WIDTHxHEIGHT]}"
size="${2:-1280x2400}"
report="$(cd "$dir" && pwd)/report.html"
[ -f "$report" ] || { echo "error: $report not found (run franca run CHAIN --input … --out $dir first)" >&2; exit 1; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "error: chromium not installed (apt-get install -y chromium)" >&2; exit 2; }
out="$(dirname "$report")/report.png"
rm -f "$out"
# No network: the page must not need any; --no-sandbox because CI containers often run as root.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking \
  --window-size="${size/x/,}" --screenshot="$out" "file://$report" >/dev/null 2>&1 || true
[ -s "$out" ] || { echo "error: chromium produced no screenshot" >&2; exit 1; }
echo "$out"
