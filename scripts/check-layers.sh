#!/usr/bin/env bash
# Architecture invariants (ARCHITECTURE.md, "Crates"): each library crate's dependency tree
# (normal and build dependencies, as `cargo tree` resolves them) has none of the crates it must
# not know about.
#
# - model, sim, iac, assess, batch: no GUI crate (egui, eframe, epaint, winit, wgpu, glow);
# - model: no infrastructure-code formats (hcl-edit, hcl-rs, serde_yaml_ng), no other crate of
#   the workspace;
# - sim and iac: not each other, not assess or batch;
# - assess: no command-line or terminal crate (clap, anyhow, indicatif, console), not batch.
set -euo pipefail
cd "$(dirname "$0")/.."

gui='egui|eframe|epaint|winit|wgpu|glow'
# crate | crates (an extended regex of names) its tree must not contain | what they are
rules=(
    "meridian-model|$gui|GUI crates"
    "meridian-model|hcl-edit|hcl-rs|hcl-primitives|serde_yaml_ng|infrastructure-code formats (they belong to meridian-iac)"
    "meridian-model|meridian-sim|meridian-iac|meridian-assess|meridian-batch|crates above it"
    "meridian-sim|$gui|GUI crates"
    "meridian-sim|meridian-iac|meridian-assess|meridian-batch|crates beside or above it"
    "meridian-iac|$gui|GUI crates"
    "meridian-iac|meridian-sim|meridian-assess|meridian-batch|crates beside or above it"
    "meridian-assess|$gui|GUI crates"
    "meridian-assess|clap|anyhow|indicatif|console|command-line and terminal crates (they belong to the app)"
    "meridian-assess|meridian-batch|crates above it"
    "meridian-batch|$gui|GUI crates"
)

status=0
declare -A trees
for rule in "${rules[@]}"; do
    crate=${rule%%|*}
    rest=${rule#*|}
    what=${rest##*|}
    banned=${rest%|*}
    if [ -z "${trees[$crate]+x}" ]; then
        trees[$crate]=$(cargo tree -p "$crate" -e normal,build --prefix none --locked | sed 's/ .*//' | sort -u)
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
exit $status
