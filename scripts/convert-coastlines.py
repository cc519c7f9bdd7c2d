#!/usr/bin/env python3
"""Converts Natural Earth's 110m land polygons (TopoJSON, from the npm package world-atlas@2)
into assets/map/land-110m.bin, the compact coastline asset the designer draws its world map from.

Run once when updating the map:
    npm install --prefix /tmp/wa world-atlas@2
    scripts/convert-coastlines.py /tmp/wa/node_modules/world-atlas/land-110m.json assets/map/land-110m.bin

Format (little-endian): u32 ring count; per ring a u32 point count followed by that many
(i16 longitude * 100, i16 latitude * 100) pairs. Rings are closed polygon outlines of land.
"""
import json
import struct
import sys


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_points(ring, arcs):
    pts = []
    for i in ring:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(arc if not pts else arc[1:])
    return pts


def main(src, dst):
    topo = json.load(open(src))
    arcs = decode_arcs(topo)
    rings = []
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            for ring in poly:
                rings.append(ring_points(ring, arcs))
    with open(dst, "wb") as out:
        out.write(struct.pack("<I", len(rings)))
        for ring in rings:
            out.write(struct.pack("<I", len(ring)))
            for lon, lat in ring:
                out.write(struct.pack("<hh", round(lon * 100), round(lat * 100)))
    print(f"{len(rings)} rings, {sum(len(r) for r in rings)} points -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
