#!/usr/bin/env bash
# Architecture invariants (ARCHITECTURE.md, "Crates"), checked on each crate's normal and build
# dependency tree as `cargo tree` resolves it.
#
# GUI: only the app package (`meridian`) may depend on GUI crates, and only through its `gui`
# feature.
# - Every other workspace member (read from `cargo metadata`, so new crates are covered without
#   editing this script) must have no egui, egui_*, eframe, epaint, winit, wgpu*, glow or rfd in its
#   tree, with all its features on.
# - `meridian --no-default-features` (the command line alone, as the Containerfile builds it) must
#   have none either.
#
# Layers: each library crate knows only the crates below it.
# - model: no infrastructure-code formats (hcl-edit, hcl-rs, serde_yaml_ng), no other crate of
#   the workspace;
# - sim and iac: not each other, not assess or batch;
# - assess: no command-line or terminal crate (clap, anyhow, indicatif, console), not batch;
# - batch: no command-line or terminal crate, not the app.
# And the edges the layers are made of (ARCHITECTURE.md's graph: app -> {batch, assess},
# batch -> assess -> {sim, iac} -> model) must be there as direct dependencies, so that batch, say,
# cannot drift back to assembling its own pipeline from sim and model.
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

# crate | crates (an extended regex of names) its tree must not contain | what they are
rules=(
    "meridian-model|hcl-edit|hcl-rs|hcl-primitives|serde_yaml_ng|infrastructure-code formats (they belong to meridian-iac)"
    "meridian-model|meridian-sim|meridian-iac|meridian-assess|meridian-batch|crates above it"
    "meridian-sim|meridian-iac|meridian-assess|meridian-batch|crates beside or above it"
    "meridian-iac|meridian-sim|meridian-assess|meridian-batch|crates beside or above it"
    "meridian-assess|clap|anyhow|indicatif|console|command-line and terminal crates (they belong to the app)"
    "meridian-assess|meridian-batch|crates above it"
    "meridian-batch|clap|anyhow|indicatif|console|command-line and terminal crates (they belong to the app)"
    "meridian-batch|meridian|the app above it"
)
declare -A trees
for rule in "${rules[@]}"; do
    crate=${rule%%|*}
    rest=${rule#*|}
    what=${rest##*|}
    banned=${rest%|*}
    if ! grep -qx "$crate" <<<"$members"; then
        echo "error: the workspace has no package $crate; update scripts/check-layers.sh" >&2
        exit 1
    fi
    if [ -z "${trees[$crate]+x}" ]; then
        tree=$(cargo tree -p "$crate" -e normal,build --prefix none --locked)
        trees[$crate]=$(sed 's/ .*//' <<<"$tree" | sort -u)
    fi
    found=$(grep -xE "($banned)" <<<"${trees[$crate]}" | grep -vx "$crate" || true)
    if [ -n "$found" ]; then
        echo "error: $crate depends on $what, which ARCHITECTURE.md forbids:" >&2
        echo "$found" | sed 's/^/    /' >&2
        status=1
    else
        echo "ok: $crate has none of: $what"
    fi
done
# crate | workspace crates it must depend on directly
edges=(
    "meridian|meridian-batch meridian-assess"
    "meridian-batch|meridian-assess"
    "meridian-assess|meridian-sim meridian-iac"
    "meridian-sim|meridian-model"
    "meridian-iac|meridian-model"
)
for edge in "${edges[@]}"; do
    crate=${edge%%|*}
    direct=$(cargo tree -p "$crate" -e normal --depth 1 --prefix none --locked | sed 's/ .*//' | sort -u)
    for dep in ${edge#*|}; do
        if grep -qx "$dep" <<<"$direct"; then
            echo "ok: $crate depends on $dep"
        else
            echo "error: $crate does not depend on $dep, which ARCHITECTURE.md's layers say it does" >&2
            status=1
        fi
    done
done
exit $status
