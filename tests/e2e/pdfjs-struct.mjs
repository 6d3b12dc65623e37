// pdfjs-struct.mjs — the structure tree of a tagged PDF as pdf.js
// (Firefox's viewer, which reads it for screen readers) sees it, checked
// against the document's outline. Usage: node pdfjs-struct.mjs FILE.pdf
// (from a directory where `pdfjs-dist` is installed, see tests/cli/e2e.sh).
//
// Prints the headings ("H2 depth 2 The 2020 war": role, sections around
// it, text), each Figure's alt text length and each table's header cells,
// then one line per failed condition ("FAIL ...") and exits 1 if any:
//   - the headings, in reading order, are the bookmarks, in order, with
//     the same text and level, and a heading of level n sits in n nested
//     Sect elements (headings nest as the outline does);
//   - every Figure has a non-empty /Alt;
//   - every Table that starts on a page has TH cells (a continuation on a
//     later page repeats its header only as an artifact);
//   - every page has a structure tree (its content is tagged).
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0, useSystemFonts: false })
  .promise;
const fails = [];
const fail = (m) => fails.push(m);

// The outline flattened: [level, title] in order.
const outline = [];
(function walk(items, level) {
  for (const it of items ?? []) {
    outline.push([level, it.title]);
    walk(it.items, level + 1);
  }
})(await doc.getOutline(), 1);

const headings = []; // [level, text, sectDepth]
const seenTables = [];
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const tree = await page.getStructTree();
  if (!tree || !tree.children?.length) {
    fail(`page ${i} has no structure tree`);
    continue;
  }
  // Marked-content id -> its text on this page.
  const text = new Map();
  const stack = [];
  const tc = await page.getTextContent({ includeMarkedContent: true });
  for (const it of tc.items) {
    if (it.type === "beginMarkedContentProps" || it.type === "beginMarkedContent") {
      stack.push(it.id ?? null);
    } else if (it.type === "endMarkedContent") {
      stack.pop();
    } else if (typeof it.str === "string") {
      const id = stack.findLast((x) => x);
      if (id) text.set(id, (text.get(id) ?? "") + it.str);
    }
  }
  const textOf = (n) =>
    n.type === "content"
      ? (text.get(n.id) ?? "")
      : (n.children ?? []).map(textOf).join("");
  let first = true; // the first leaf element of the page
  (function walk(n, sects, parentRoles) {
    const role = n.role;
    if (!role) return;
    const m = /^H([1-6])$/.exec(role);
    if (m) headings.push([Number(m[1]), textOf(n).trim(), sects, i]);
    if (role === "Figure") {
      console.log(`page ${i} Figure alt ${(n.alt ?? "").length}`);
      if (!n.alt || !n.alt.trim()) fail(`page ${i}: a Figure without alt text`);
    }
    if (role === "Table") {
      const ths = [];
      (function th(x) {
        if (x.role === "TH") ths.push(textOf(x).trim());
        for (const c of x.children ?? []) th(c);
      })(n);
      console.log(`page ${i} Table TH ${ths.join(" | ")}`);
      if (!ths.length && !first)
        fail(`page ${i}: a table starting on the page has no TH cells`);
      seenTables.push(ths.length);
    }
    if (!["Document", "Sect", "Part", "Div"].includes(role) && n.children?.some((c) => c.type === "content"))
      first = false;
    for (const c of n.children ?? [])
      walk(c, sects + (role === "Sect" ? 1 : 0), [...parentRoles, role]);
  })(tree.children[0], 0, []);
}

// A heading split over two pages would be seen twice: it is not.
for (const [lv, t, d, p] of headings)
  console.log(`H${lv} depth ${d} page ${p} ${t}`);
const want = outline.map(([l, t]) => `${l} ${t}`).join("\n");
const got = headings.map(([l, t]) => `${l} ${t}`).join("\n");
if (want !== got)
  fail(`headings differ from the outline:\n--- outline\n${want}\n--- headings\n${got}`);
for (const [lv, t, d] of headings)
  if (d !== lv) fail(`H${lv} '${t}' is inside ${d} Sect elements, not ${lv}`);
if (!seenTables.some((n) => n > 0) && seenTables.length)
  fail("no table has header cells");
for (const f of fails) console.log(`FAIL ${f}`);
process.exit(fails.length ? 1 : 0);
