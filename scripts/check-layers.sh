#!/usr/bin/env bash
# Architecture invariant: only the app package (`meridian`) may depend on GUI crates, and only
# through its `gui` feature.
# - Every other workspace member (read from `cargo metadata`, so new crates are covered without
#   editing this script) must have no egui, egui_*, eframe, epaint, winit, wgpu*, glow or rfd in its
#   normal or build dependency tree, with all its features on.
# - `meridian --no-default-features` (the command line alone, as the Containerfile builds it) must
#   have none either.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
app=meridian
gui='^(egui|egui_[a-z_]+|eframe|epaint|winit|wgpu|glow|rfd)[ -]'
status=0

# Prints the GUI crates in a dependency tree; fails when cargo tree does.
gui_deps() {
    local tree
    tree=$(cargo tree "$@" -e normal,build --prefix none --locked)
    grep -E "$gui" <<<"$tree" | sort -u || true
}

report() {
    local what=$1 found=$2
    if [ -n "$found" ]; then
        echo "error: $what depends on GUI crates, which ARCHITECTURE.md forbids:" >&2
        echo "$found" >&2
        status=1
    else
        echo "ok: $what has no GUI dependency"
    fi
}

members=$(cargo metadata --no-deps --format-version 1 --locked | python3 -c '
import json, sys
meta = json.load(sys.stdin)
ids = set(meta["workspace_members"])
print("\n".join(sorted(p["name"] for p in meta["packages"] if p["id"] in ids)))
')
if ! grep -qx "$app" <<<"$members"; then
    echo "error: the workspace has no package $app; update scripts/check-layers.sh" >&2
    exit 1
fi
for crate in $members; do
    [ "$crate" = "$app" ] && continue
    found=$(gui_deps -p "$crate" --all-features)
    report "$crate" "$found"
done
found=$(gui_deps -p "$app" --no-default-features)
report "$app --no-default-features" "$found"
exit $status
