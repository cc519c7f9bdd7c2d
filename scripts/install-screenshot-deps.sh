#!/usr/bin/env bash
# Installs what scripts/screenshot.sh and scripts/readme-screenshots.sh need to run the designer headless (Debian packages).
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends xvfb imagemagick mesa-vulkan-drivers libvulkan1 xdotool pngquant
