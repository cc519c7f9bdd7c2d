#!/usr/bin/env bash
# Retakes the README's pictures of the designer from the current release binary (or the one
# MERIDIAN_SHOT_BIN names, see scripts/screenshot.sh), under Xvfb.
#
#   scripts/readme-screenshots.sh [OUTDIR] [WxH]
#
# OUTDIR defaults to docs/img and WxH to 1600x1000 (the README's pictures). Take them again at
# 1280x800 and 1920x1080 into a scratch folder to check a laptop's and a desktop's screen, and look
# at every picture: this script takes them, it does not judge them.
# Needs what scripts/screenshot.sh needs (scripts/install-screenshot-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/img}
export MERIDIAN_SHOT_SIZE=${2:-1600x1000}
mkdir -p "$out"
design=examples/active-active-2region.ron
shot() { scripts/screenshot.sh "$@"; }
MERIDIAN_TAB=Cost shot "$design" "$out/designer-schematic.png" schematic light
MERIDIAN_TAB="Data law" shot "$design" "$out/designer-geographic.png" geographic dark
MERIDIAN_TAB=Cost shot examples/gdpr-eu-residency.ron "$out/designer-geographic-light.png" geographic light
# A simulation in progress: 1,000,000 runs of the region outage, taken while they run (the progress
# bar, and the figures of the first runs, marked as such: the run goes in passes growing tenfold
# from 10 runs), with the traced run's first change on the canvas (the region down,
# each population served from where it fails over to). The first passes take a second or two of
# the eight before the picture; the last takes minutes even in a release build, so the picture is always of a run in progress.
MERIDIAN_SIMULATE=1000000 shot "$design" "$out/designer-simulation.png" schematic light
MERIDIAN_COMPARE=variants shot "$design" "$out/compare-view.png" schematic light
