#!/usr/bin/env bash
# The whole test suite: installs what the tests need (scripts/install-tools.sh: Debian packages such
# as chromium when missing, and the external validators in .tools/), then runs every test of the
# workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
cargo test --workspace --locked "$@"
