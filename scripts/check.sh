#!/usr/bin/env bash
# Runs exactly what CI runs (.ci/run), for use before pushing.
set -euo pipefail
exec "$(dirname "$0")/../.ci/run"
