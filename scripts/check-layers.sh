#!/usr/bin/env bash
# Architecture invariant: the model and the simulator never depend on GUI crates.
# Fails if `cargo tree` finds egui, eframe, winit, wgpu or glow under meridian-model or meridian-sim.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for crate in meridian-model meridian-sim meridian-batch; do
    found=$(cargo tree -p "$crate" -e normal,build --prefix none --locked | grep -E '^(egui|eframe|epaint|winit|wgpu|glow)[ -]' | sort -u || true)
    if [ -n "$found" ]; then
        echo "error: $crate depends on GUI crates, which ARCHITECTURE.md forbids:" >&2
        echo "$found" >&2
        status=1
    else
        echo "ok: $crate has no GUI dependency"
    fi
done
exit $status
