#!/usr/bin/env bash
# Takes a screenshot of the designer under Xvfb.
#
#   scripts/screenshot.sh DESIGN.ron OUT.png [geographic|schematic] [dark|light]
#
# MERIDIAN_SHOT_KEYS="ctrl+e" presses those keys (xdotool names, space-separated) before the shot,
# to capture a dialog. MERIDIAN_COMPARE=variants opens the compare view on the design's strategy
# variants and runs it. MERIDIAN_SIMULATE=RUNS runs the Simulation tab's scenario (region-outage)
# with that many runs; the canvas then shows the outage at its first change. MERIDIAN_SHOT_SIZE=WxH
# sets the window (default 1600x1000). MERIDIAN_TAB="Data law" (or Cost, ...) shows that tab.
# MERIDIAN_SHOT_ZOOM=N zooms the canvas in N steps (Ctrl+=) after fitting it to the window. The picture is quantised with pngquant when it is installed.
# Needs: apt-get install -y --no-install-recommends xvfb imagemagick mesa-vulkan-drivers libvulkan1 xdotool
# (scripts/install-screenshot-deps.sh installs them). Builds the release binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
design=${1:?design file}
out=${2:?output png}
mode=${3:-schematic}
theme=${4:-light}
size=${MERIDIAN_SHOT_SIZE:-1600x1000}
width=${size%x*}
height=${size#*x}
for tool in Xvfb import xdotool; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing; run scripts/install-screenshot-deps.sh" >&2; exit 2; }
done
# MERIDIAN_SHOT_BIN=PATH takes the pictures with that binary (a debug build, say) instead.
bin=${MERIDIAN_SHOT_BIN:-target/release/meridian}
[ -n "${MERIDIAN_SHOT_BIN:-}" ] || cargo build --release --quiet -p meridian
# MERIDIAN_SHOT_DISPLAY=:N picks the X display (default: a random one from :90 to :98).
display=${MERIDIAN_SHOT_DISPLAY:-":$((90 + RANDOM % 9))"}
xdg=$(mktemp -d)
home=$(mktemp -d)
chmod 700 "$xdg"
Xvfb "$display" -screen 0 "${width}x${height}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$xdg" "$home"' EXIT
sleep 1
kill -0 "$xvfb" 2>/dev/null || { echo "error: Xvfb could not start on $display (in use?); set MERIDIAN_SHOT_DISPLAY" >&2; exit 1; }
# A fresh HOME so saved preferences and recovery files of the user do not leak in.
DISPLAY=$display XDG_RUNTIME_DIR=$xdg HOME=$home MERIDIAN_VIEW=$mode MERIDIAN_THEME=$theme \
    "$bin" "$design" >/dev/null 2>&1 &
app=$!
sleep 6
win=$(DISPLAY=$display xdotool search --sync --onlyvisible --name Meridian | head -n 1)
DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" "$width" "$height" >/dev/null 2>&1 || true
sleep 2
# Fit the design to the resized window (F), then zoom in (Ctrl+=) as asked.
DISPLAY=$display xdotool windowfocus --sync "$win" key f >/dev/null 2>&1 || true
sleep 0.5
for _ in $(seq "${MERIDIAN_SHOT_ZOOM:-0}"); do
    DISPLAY=$display xdotool key ctrl+equal >/dev/null 2>&1 || true
    sleep 0.3
done
# Park the pointer where it hovers nothing, so no tooltip covers the picture.
DISPLAY=$display xdotool mousemove $(( width - 10 )) 60 >/dev/null 2>&1 || true
sleep 2
if [ -n "${MERIDIAN_SHOT_KEYS:-}" ]; then
    # shellcheck disable=SC2086 # one argument per key on purpose
    DISPLAY=$display xdotool mousemove 800 500 click 1 >/dev/null 2>&1 || true
    DISPLAY=$display xdotool windowfocus --sync "$win" key $MERIDIAN_SHOT_KEYS >/dev/null 2>&1 || true
    sleep 2
fi
# MERIDIAN_SHOT_WAIT=SECONDS waits that much longer before the shot (a slow debug binary's compare).
sleep "${MERIDIAN_SHOT_WAIT:-0}"
DISPLAY=$display import -window root "$out"
if command -v pngquant >/dev/null; then
    pngquant --force --skip-if-larger --quality 70-95 --output "$out" -- "$out" || true
fi
echo "wrote $out ($(du -k "$out" | cut -f1) KB)"
