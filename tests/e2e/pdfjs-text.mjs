// pdfjs-text.mjs — print the text of a PDF as pdf.js (Firefox's viewer)
// extracts it: one line per text line, then "pages: N". Warnings from
// pdf.js go to stderr prefixed "pdfjs-warning:". Run from a directory
// where `pdfjs-dist` is installed (tests/cli/e2e.sh copies it there).
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";

const log = console.log;
console.log = (...a) => {
  const s = a.join(" ");
  if (/warn/i.test(s)) process.stderr.write(`pdfjs-warning: ${s}\n`);
  else log(...a);
};
const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 1, useSystemFonts: false })
  .promise;
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const tc = await page.getTextContent();
  let line = "";
  for (const it of tc.items) {
    line += it.str;
    if (it.hasEOL) {
      log(line);
      line = "";
    }
  }
  if (line) log(line);
}
log(`pages: ${doc.numPages}`);
