// pdfjs-links.mjs — print the link annotations of a PDF as pdf.js
// (Firefox's viewer) reads them, one a line: "page P goto PAGE" for a
// destination in the document, "page P url URL" for a link out. Run from
// a directory where `pdfjs-dist` is installed (see tests/cli/typeset_check.sh).
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0, useSystemFonts: false })
  .promise;
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  for (const a of await page.getAnnotations()) {
    if (a.subtype !== "Link") continue;
    if (a.url) {
      console.log(`page ${i} url ${a.url}`);
    } else if (Array.isArray(a.dest)) {
      const target = (await doc.getPageIndex(a.dest[0])) + 1;
      console.log(`page ${i} goto ${target}`);
    } else {
      console.log(`page ${i} other ${JSON.stringify(a.dest ?? a.action)}`);
    }
  }
}
