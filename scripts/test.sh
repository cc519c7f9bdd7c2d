#!/usr/bin/env bash
# The whole test suite: installs the external validators the tests use (scripts/install-tools.sh),
# then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
cargo test --workspace --locked "$@"
