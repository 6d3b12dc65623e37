#!/usr/bin/env python3
"""make-fixtures.py — the fictional boundaries of the map tests.

Orvania and its provinces are invented: shapes drawn by this script on
empty ocean (South Atlantic, 15-20 W, 27-31 S) so they cannot be read as
any real place. Writes, next to this script, data/geo/:
  orvania-adm1.geojson    provinces as GeoJSON (holes, a multipolygon)
  orvania-adm1.topo.json  the same as quantized TopoJSON (shared arcs)
  orvania-control.geojson areas by date for the control layer
  tafua.geojson           islands split at the antimeridian
Run it again only to change the fixtures; the tests read the files.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "geo")

J1 = (-17.6, -27.1)   # north coast
J2 = (-17.4, -29.0)   # centre
J3 = (-19.9, -29.1)   # west coast
J4 = (-15.1, -28.9)   # east coast
J5 = (-17.5, -30.9)   # south coast


def wiggle(pts, n, amp, seed):
    """A polyline through pts, n points per leg, bent by a fixed sine so
    that it looks drawn, with exact ends."""
    out = [pts[0]]
    for k in range(len(pts) - 1):
        (x0, y0), (x1, y1) = pts[k], pts[k + 1]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1
        nx, ny = -dy / length, dx / length
        for i in range(1, n + 1):
            t = i / n
            w = amp * math.sin(t * math.pi) * math.sin(7 * t + seed + k)
            if i == n:
                w = 0
            out.append((round(x0 + dx * t + nx * w, 6),
                        round(y0 + dy * t + ny * w, 6)))
    return out


def circle(cx, cy, r, n):
    pts = [(round(cx + r * math.cos(2 * math.pi * i / n) / math.cos(math.radians(cy)), 6),
            round(cy + r * math.sin(2 * math.pi * i / n), 6)) for i in range(n)]
    return pts + [pts[0]]


ARCS = [
    wiggle([J3, (-19.7, -28.0), (-18.9, -27.3), J1], 14, 0.05, 1),   # 0 NW coast
    wiggle([J1, (-16.3, -27.2), (-15.3, -27.9), J4], 14, 0.05, 2),   # 1 NE coast
    wiggle([J4, (-15.4, -30.1), (-16.4, -30.8), J5], 14, 0.05, 3),   # 2 SE coast
    wiggle([J5, (-18.6, -30.7), (-19.6, -30.0), J3], 14, 0.05, 4),   # 3 SW coast
    wiggle([J1, (-17.5, -28.1), J2], 10, 0.04, 5),                    # 4 Lumen|Brask
    wiggle([J2, (-16.2, -29.0), J4], 10, 0.04, 6),                    # 5 Brask|Aderre
    wiggle([J2, (-17.6, -30.0), J5], 10, 0.04, 7),                    # 6 Tessal|Aderre
    wiggle([J3, (-18.6, -29.0), J2], 10, 0.04, 8),                    # 7 Lumen|Tessal
    circle(-16.45, -28.15, 0.3, 36),                                  # 8 Mirél
    circle(-14.55, -30.25, 0.22, 24),                                 # 9 Pell Island
]


def ring(refs):
    pts = []
    for r in refs:
        a = ARCS[~r] [::-1] if r < 0 else ARCS[r]
        pts.extend(a if not pts else a[1:])
    return pts


PROVINCES = [
    # name, pcode, polygons (rings of arc refs)
    ("Lumen", "OR01", [[[0, 4, ~7]]]),
    ("Brask", "OR02", [[[1, ~5, ~4], [8]]]),
    ("Tessal", "OR03", [[[3, 7, 6]]]),
    ("Aderre", "OR04", [[[2, ~6, 5]], [[9]]]),
    ("Mirél", "OR05", [[[~8]]]),
]


def geometry(polys):
    coords = [[ring(r) for r in poly] for poly in polys]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def write(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def geojson():
    feats = []
    for name, code, polys in PROVINCES:
        feats.append({"type": "Feature", "id": code,
                      "properties": {"pcode": code, "name": name,
                                     "pop_2020": 100000 + 25000 * len(name)},
                      "geometry": geometry(polys)})
    write("orvania-adm1.geojson", {"type": "FeatureCollection", "features": feats})


def topojson():
    xs = [p[0] for a in ARCS for p in a]
    ys = [p[1] for a in ARCS for p in a]
    x0, y0 = min(xs), min(ys)
    q = 99999
    sx, sy = (max(xs) - x0) / q, (max(ys) - y0) / q
    arcs = []
    for a in ARCS:
        out, px, py = [], 0, 0
        for x, y in a:
            ix, iy = round((x - x0) / sx), round((y - y0) / sy)
            out.append([ix - px, iy - py])
            px, py = ix, iy
        arcs.append(out)
    geoms = []
    for name, code, polys in PROVINCES:
        g = {"type": "Polygon" if len(polys) == 1 else "MultiPolygon",
             "id": code, "properties": {"pcode": code, "name": name}}
        g["arcs"] = polys[0] if len(polys) == 1 else polys
        geoms.append(g)
    write("orvania-adm1.topo.json", {
        "type": "Topology",
        "transform": {"scale": [sx, sy], "translate": [x0, y0]},
        "objects": {"provinces": {"type": "GeometryCollection",
                                  "geometries": geoms}},
        "arcs": arcs})


def control():
    feats = []
    for name, code, polys in PROVINCES:
        if name == "Aderre":
            # Until mid-2023 Aderre includes Pell Island; then the island
            # is its own area.
            feats.append({"type": "Feature",
                          "properties": {"area": name, "date": "2019"},
                          "geometry": geometry(polys)})
            feats.append({"type": "Feature",
                          "properties": {"area": name, "date": "2023-06"},
                          "geometry": geometry(polys[:1])})
            feats.append({"type": "Feature",
                          "properties": {"area": "Pell Island",
                                         "date": "2023-06", "disputed": True},
                          "geometry": geometry(polys[1:])})
            continue
        feats.append({"type": "Feature",
                      "properties": {"area": name, "date": "2019"},
                      "geometry": geometry(polys)})
    write("orvania-control.geojson", {"type": "FeatureCollection", "features": feats})


def tafua():
    # One island across the antimeridian, split there as RFC 7946 asks,
    # and a smaller one east of it.
    west = [(179.4, -16.6), (179.4, -17.2), (180.0, -17.3), (180.0, -16.5), (179.4, -16.6)]
    east = [(-180.0, -16.5), (-180.0, -17.3), (-179.6, -17.0), (-179.7, -16.6), (-180.0, -16.5)]
    small = circle(-179.2, -16.2, 0.1, 16)
    feats = [
        {"type": "Feature", "properties": {"code": "TF1", "name": "Great Tafua"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[west], [east]]}},
        {"type": "Feature", "properties": {"code": "TF2", "name": "Little Tafua"},
         "geometry": {"type": "Polygon", "coordinates": [small]}},
    ]
    write("tafua.geojson", {"type": "FeatureCollection", "features": feats})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    geojson()
    topojson()
    control()
    tafua()
