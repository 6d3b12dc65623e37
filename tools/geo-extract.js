#!/usr/bin/env node
// geo-extract.js — a small regional extract of Natural Earth country
// outlines from the npm package world-atlas (TopoJSON), for a locator map.
//
// usage: node tools/geo-extract.js COUNTRIES-10M.json WEST,SOUTH,EAST,NORTH \
//            "Name 1,Name 2,..." > OUT.topo.json
//
// Keeps the named countries' polygons that reach into the window. Inside
// the window and a 1-degree margin around it (the box), points are thinned
// to FINE degrees (Douglas-Peucker; 0.004, about 400 m, near world-atlas's
// own quantization). Outside the box each run of points that stays in one
// of the eight regions around it (north-west, north, ..., west: each
// convex) keeps only its ends: a straight line between two points of one
// region never enters the box, so everything inside the box, fills
// included, is as before, and a country reaching far away costs a few
// points. A ring that stays in one such region is dropped. Each arc is
// processed once, so shared borders stay shared. The output keeps
// world-atlas's quantization transform.
"use strict";
const fs = require("fs");

const [file, win, names] = process.argv.slice(2);
if (!file || !win || !names) {
	console.error("usage: geo-extract.js COUNTRIES.json W,S,E,N NAMES");
	process.exit(2);
}
const topo = JSON.parse(fs.readFileSync(file, "utf8"));
const [W, S, E, N] = win.split(",").map(Number);
const MARGIN = 1, FINE = 0.004;
const want = new Set(names.split(","));
const tf = topo.transform;

const decoded = topo.arcs.map((arc) => {
	let x = 0, y = 0;
	return arc.map(([dx, dy]) => [(x += dx), (y += dy)]);
});
const lon = (q) => q[0] * tf.scale[0] + tf.translate[0];
const lat = (q) => q[1] * tf.scale[1] + tf.translate[1];
const inside = (q, m) => lon(q) >= W - m && lon(q) <= E + m &&
	lat(q) >= S - m && lat(q) <= N + m;
// 4: inside the box; 0..8 otherwise, row by row from the south-west.
const region = (q) => {
	const x = lon(q), y = lat(q);
	const cx = x < W - MARGIN ? 0 : x > E + MARGIN ? 2 : 1;
	const cy = y < S - MARGIN ? 0 : y > N + MARGIN ? 2 : 1;
	return cy * 3 + cx;
};

function arcIndex(r) { return r < 0 ? ~r : r; }

function polygonReaches(rings) {
	return rings.some((ring) => ring.some((r) =>
		decoded[arcIndex(r)].some((q) => inside(q, 0))));
}

function dp(pts, tol) {
	if (pts.length < 3) return pts;
	const keep = new Array(pts.length).fill(false);
	keep[0] = keep[pts.length - 1] = true;
	const stack = [[0, pts.length - 1]];
	while (stack.length) {
		const [a, b] = stack.pop();
		let best = -1, far = 0;
		const ax = lon(pts[a]), ay = lat(pts[a]), bx = lon(pts[b]), by = lat(pts[b]);
		const len = Math.hypot(bx - ax, by - ay) || 1e-12;
		for (let i = a + 1; i < b; i++) {
			const d = Math.abs((bx - ax) * (ay - lat(pts[i])) -
				(ax - lon(pts[i])) * (by - ay)) / len;
			if (d > far) { far = d; best = i; }
		}
		if (far > tol) {
			keep[best] = true;
			stack.push([a, best], [best, b]);
		}
	}
	return pts.filter((_, i) => keep[i]);
}

// A closed run (a ring that meets no other): cut it at its point
// farthest from the start and keep the farthest point of each half, so
// that even a small enclave stays a ring.
function dpClosed(pts, tol) {
	const d2 = (a, b) => (lon(a) - lon(b)) ** 2 + (lat(a) - lat(b)) ** 2;
	let k = 1;
	for (let i = 1; i < pts.length - 1; i++)
		if (d2(pts[i], pts[0]) > d2(pts[k], pts[0])) k = i;
	const cut = (from, to) => {
		const seg = pts.slice(from, to + 1);
		if (seg.length < 3) return seg;
		let m = 1;
		const ax = lon(seg[0]), ay = lat(seg[0]);
		const bx = lon(seg[seg.length - 1]), by = lat(seg[seg.length - 1]);
		const off = (q) => Math.abs((bx - ax) * (ay - lat(q)) - (ax - lon(q)) * (by - ay));
		for (let i = 1; i < seg.length - 1; i++)
			if (off(seg[i]) > off(seg[m])) m = i;
		return dp(seg.slice(0, m + 1), tol).concat(dp(seg.slice(m), tol).slice(1));
	};
	return cut(0, k).concat(cut(k, pts.length - 1).slice(1));
}

// Runs of points inside the box thinned to FINE; outside it, each run
// within one region reduced to its ends. Runs meet at original segments.
function thin(arc) {
	const out = [];
	let run = [];
	const flush = () => {
		if (!run.length) return;
		const closed = run.length > 3 && run[0][0] === run[run.length - 1][0] &&
			run[0][1] === run[run.length - 1][1];
		out.push(...(closed ? dpClosed(run, FINE) : dp(run, FINE)));
		run = [];
	};
	arc.forEach((q, i) => {
		const r = region(q);
		if (r === 4) {
			run.push(q);
			return;
		}
		flush();
		const prev = i > 0 ? region(arc[i - 1]) : -1;
		const next = i + 1 < arc.length ? region(arc[i + 1]) : -1;
		if (prev !== r || next !== r) out.push(q);
	});
	flush();
	return out;
}

// A ring whose every point lies in one region outside the box.
function ringAway(ring) {
	const rs = new Set();
	for (const r of ring)
		for (const q of decoded[arcIndex(r)]) rs.add(region(q));
	return rs.size === 1 && !rs.has(4);
}

const geoms = [];
const used = new Map();
const arcs = [];
function ref(r) {
	const i = arcIndex(r);
	if (!used.has(i)) {
		used.set(i, arcs.length);
		arcs.push(thin(decoded[i]));
	}
	const j = used.get(i);
	return r < 0 ? ~j : j;
}
for (const g of topo.objects.countries.geometries) {
	if (!want.has(g.properties.name)) continue;
	const polys = g.type === "Polygon" ? [g.arcs] : g.arcs;
	const kept = polys.filter(polygonReaches)
		.map((rings) => rings.filter((ring) => !ringAway(ring))
			.map((ring) => ring.map(ref)));
	if (!kept.length) continue;
	geoms.push({
		type: kept.length === 1 ? "Polygon" : "MultiPolygon",
		id: g.id,
		properties: { name: g.properties.name },
		arcs: kept.length === 1 ? kept[0] : kept,
	});
}
const encoded = arcs.map((arc) => {
	let px = 0, py = 0;
	return arc.map(([x, y]) => {
		const d = [x - px, y - py];
		px = x;
		py = y;
		return d;
	});
});
process.stdout.write(JSON.stringify({
	type: "Topology",
	transform: tf,
	objects: { countries: { type: "GeometryCollection", geometries: geoms } },
	arcs: encoded,
}) + "\n");
