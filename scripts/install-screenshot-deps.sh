#!/usr/bin/env bash
# Installs what scripts/screenshot.sh needs to run the designer headless (Debian packages).
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends xvfb imagemagick mesa-vulkan-drivers libvulkan1 xdotool
