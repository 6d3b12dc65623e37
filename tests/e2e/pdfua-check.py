#!/usr/bin/env python3
"""pdfua-check.py — the machine-checkable Matterhorn Protocol conditions
that apply to brief's PDFs, over qpdf's JSON view of a file.

Usage: pdfua-check.py FILE.pdf   (qpdf 11 on PATH)

Prints "ok CONDITION what" or "FAIL CONDITION what: detail" per condition
and exits 1 when any fails. docs/accessibility.md lists the conditions
checked here and the ones that are not (and why). Numbers are those of
the Matterhorn Protocol 1.1 (PDF Association); a condition of PDF/UA-1
itself that the protocol does not number is named by its clause.
"""
import base64
import json
import re
import subprocess
import sys

# PDF 1.7 standard structure types (ISO 32000-1 14.8.4).
STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead
TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
Warichu WT WP Figure Formula Form""".split())
PAINT = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*",
         "S", "s", "sh", "EI"}


def load(path):
    out = subprocess.run(
        ["qpdf", "--json=2", "--json-stream-data=inline",
         "--decode-level=generalized", path],
        check=True, capture_output=True).stdout
    j = json.loads(out)
    objs = {}
    for k, v in j["qpdf"][1].items():
        if k.startswith("obj:"):
            objs[k[4:]] = v
        elif k == "trailer":
            objs["trailer"] = v
    return objs


class Pdf:
    def __init__(self, path):
        self.o = load(path)

    def get(self, x):
        """A value with references followed (streams as their dict)."""
        while isinstance(x, str) and re.fullmatch(r"\d+ \d+ R", x):
            v = self.o.get(x)
            if v is None:
                return None
            x = v["stream"]["dict"] if "stream" in v else v.get("value")
        return x

    def data(self, ref):
        v = self.o.get(ref, {})
        d = v.get("stream", {}).get("data")
        return base64.b64decode(d) if d else b""

    @staticmethod
    def text(s):
        if not isinstance(s, str):
            return None
        if s.startswith("u:"):
            return s[2:]
        if s.startswith("b:"):
            b = bytes.fromhex(s[2:])
            if b[:2] == b"\xfe\xff":
                return b[2:].decode("utf-16-be", "replace")
            return b.decode("latin-1")
        return s


# ---- content streams ----

TOKEN = re.compile(rb"""
    (?P<ws>[\x00\t\n\f\r ]+|%[^\r\n]*)
  | (?P<str>\()
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<dopen><<) | (?P<dclose>>>)
  | (?P<aopen>\[) | (?P<aclose>\])
  | (?P<name>/[^\x00\t\n\f\r ()<>\[\]{}/%]*)
  | (?P<num>[+-]?(\d+\.?\d*|\.\d+))
  | (?P<op>[^\x00\t\n\f\r ()<>\[\]{}/%]+)
""", re.X)


def tokens(b):
    i, n = 0, len(b)
    while i < n:
        m = TOKEN.match(b, i)
        if not m:
            i += 1
            continue
        kind = m.lastgroup
        if kind == "str":  # balanced parentheses, backslash escapes
            depth, j = 1, m.end()
            while j < n and depth:
                c = b[j:j + 1]
                if c == b"\\":
                    j += 2
                    continue
                depth += c == b"(" and 1 or c == b")" and -1 or 0
                j += 1
            yield "str", b[m.start():j]
            i = j
            continue
        i = m.end()
        if kind != "ws":
            yield kind, m.group(0)


def sequences(b):
    """(op, marks) for each painting operator, marks being the stack of
    open marked-content sequences: (tag, mcid or None); plus a list of the
    MCIDs begun, and problems (unbalanced sequences)."""
    stack, operands, out, mcids, problems = [], [], [], [], []
    depth = 0
    for kind, tok in tokens(b):
        if kind in ("dopen", "aopen"):
            depth += 1
            operands.append((kind, tok))
            continue
        if kind in ("dclose", "aclose"):
            depth -= 1
            operands.append((kind, tok))
            continue
        if kind != "op" or depth:
            operands.append((kind, tok))
            continue
        op = tok.decode("latin-1")
        if op in ("BDC", "BMC"):
            tag = next((t.decode()[1:] for k, t in operands if k == "name"),
                       "?")
            mcid = None
            flat = b" ".join(t for _, t in operands)
            m = re.search(rb"/MCID\s+(\d+)", flat)
            if op == "BDC" and m:
                mcid = int(m.group(1))
                mcids.append(mcid)
            stack.append((tag, mcid))
        elif op == "EMC":
            if not stack:
                problems.append("EMC without a sequence")
            else:
                stack.pop()
        elif op in PAINT:
            out.append((op, list(stack)))
        operands = []
    if stack:
        problems.append(f"{len(stack)} sequences left open")
    return out, mcids, problems


# ---- the checks ----

class Report:
    def __init__(self):
        self.failed = 0

    def check(self, cond, what, problems):
        problems = [p for p in problems if p]
        if problems:
            self.failed += 1
            more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
            print(f"FAIL {cond} {what}: " + "; ".join(problems[:5]) + more)
        else:
            print(f"ok {cond} {what}")


def main():
    pdf = Pdf(sys.argv[1])
    g = pdf.get
    r = Report()
    trailer = pdf.o["trailer"]["value"]
    cat = g(trailer["/Root"])
    pages = []

    def walk_pages(ref):
        node = g(ref)
        if node.get("/Type") == "/Pages":
            for k in node.get("/Kids", []):
                walk_pages(k)
        else:
            pages.append((ref, node))
    walk_pages(cat["/Pages"])

    root = g(cat.get("/StructTreeRoot"))
    r.check("PDF/UA-1 7.1", "the document has a structure tree",
            [] if root else ["no /StructTreeRoot"])
    if not root:
        sys.exit(1)
    rolemap = {k[1:]: v[1:] for k, v in (g(root.get("/RoleMap")) or {}).items()}

    def std(role, seen=()):
        if role in STANDARD:
            return role
        if role in rolemap and role not in seen:
            return std(rolemap[role], seen + (role,))
        return None

    # Elements: walk the tree from the root, in order.
    elems = []  # (ref, dict, parent_ref)
    kids_mcr = {}  # (page ref, mcid) -> element ref
    objr = {}  # annotation ref -> element ref
    problems_tree = []

    def kids_of(d):
        k = d.get("/K")
        k = g(k) if isinstance(k, str) and k.endswith(" R") and \
            not isinstance(g(k), dict) else k
        if k is None:
            return []
        return k if isinstance(k, list) else [k]

    def walk(ref, parent, depth=0):
        d = g(ref)
        if depth > 100:
            problems_tree.append("tree deeper than 100")
            return
        elems.append((ref, d, parent))
        pg = d.get("/Pg")
        for k in kids_of(d):
            if isinstance(k, int):
                if not pg:
                    problems_tree.append(f"{ref}: MCID {k} with no /Pg")
                kids_mcr[(pg, k)] = ref
                continue
            kd = g(k)
            if not isinstance(kd, dict):
                continue
            t = kd.get("/Type")
            if t == "/MCR":
                kids_mcr[(kd.get("/Pg", pg), kd.get("/MCID"))] = ref
            elif t == "/OBJR":
                objr[kd.get("/Obj")] = ref
            else:
                if g(kd.get("/P")) is not d and kd.get("/P") != ref:
                    problems_tree.append(f"{k}: /P is not its parent {ref}")
                walk(k, ref, depth + 1)
    for k in kids_of(root):
        walk(k, None)
    role = {ref: d.get("/S", "/")[1:] for ref, d, _ in elems}
    srole = {ref: std(role[ref]) for ref in role}
    parent = {ref: p for ref, _, p in elems}

    # 01-005 and the content <-> structure links it rests on.
    untagged, nested, inconsistent, seq_problems = [], [], [], []
    parent_tree = {}

    def nums(node):
        node = g(node) or {}
        for kid in node.get("/Kids", []):
            nums(kid)
        n = node.get("/Nums", [])
        for i in range(0, len(n) - 1, 2):
            parent_tree[n[i]] = n[i + 1]
    nums(root.get("/ParentTree"))
    fonts_without_tu = set()
    for pno, (pref, page) in enumerate(pages, 1):
        contents = page.get("/Contents")
        refs = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(pdf.data(x) for x in refs if x)
        ops, mcids, probs = sequences(data)
        seq_problems += [f"page {pno}: {p}" for p in probs]
        for op, marks in ops:
            if not any(t == "Artifact" or m is not None for t, m in marks):
                untagged.append(f"page {pno}: {op} outside tagged content "
                                "or an artifact")
            if sum(m is not None for _, m in marks) > 1:
                nested.append(f"page {pno}: MCID inside another MCID")
            if any(t == "Artifact" for t, _ in marks) and \
                    any(m is not None for _, m in marks):
                nested.append(f"page {pno}: tagged content and an artifact "
                              "nested")
        sp = page.get("/StructParents")
        arr = g(parent_tree.get(sp)) if sp is not None else None
        if mcids and not isinstance(arr, list):
            inconsistent.append(f"page {pno}: no ParentTree entry")
            arr = []
        for m in mcids:
            owner = kids_mcr.get((pref, m))
            if owner is None:
                inconsistent.append(f"page {pno}: MCID {m} in no element")
            elif m >= len(arr) or arr[m] != owner:
                inconsistent.append(f"page {pno}: ParentTree[{sp}][{m}] is "
                                    "not the element holding it")
        for (pg, m), owner in kids_mcr.items():
            if pg == pref and m not in mcids:
                inconsistent.append(f"page {pno}: element {owner} names MCID"
                                    f" {m}, not on the page")
        res = g(page.get("/Resources")) or {}
        for fref in (g(res.get("/Font")) or {}).values():
            f = g(fref)
            if f.get("/Subtype") in ("/Type0", "/TrueType", "/Type1") and \
                    "/ToUnicode" not in f:
                fonts_without_tu.add(f.get("/BaseFont"))
    r.check("01-005", "all content is tagged or an artifact",
            untagged + seq_problems)
    r.check("PDF/UA-1 7.1", "no MCID inside another, none in an artifact",
            nested)
    r.check("PDF/UA-1 7.1", "every MCID is in one element and the "
            "ParentTree says so", inconsistent + problems_tree)
    mark = g(cat.get("/MarkInfo")) or {}
    r.check("01-007", "MarkInfo /Marked true, /Suspects not true",
            [] if mark.get("/Marked") is True and
            mark.get("/Suspects") is not True else [f"MarkInfo {mark}"])
    r.check("02-001 02-003 02-004", "roles map to standard types, standard "
            "types are not remapped",
            [f"{k} -> {v}" for k, v in rolemap.items()
             if k in STANDARD or std(k) is None] +
            [f"{ref}: role {role[ref]} is not standard"
             for ref in role if srole[ref] is None])

    # Metadata.
    meta = cat.get("/Metadata")
    xmp = pdf.data(meta).decode("utf-8", "replace") if meta else ""
    r.check("06-001", "the catalogue has an XMP metadata stream",
            [] if xmp else ["no /Metadata"])
    r.check("06-002", "the metadata has the PDF/UA identifier (part 1)",
            [] if re.search(r"pdfuaid:part(>|=['\"])1", xmp) else
            ["no pdfuaid:part 1"])
    r.check("06-003", "the metadata has a dc:title",
            [] if re.search(r"<dc:title>.*?<rdf:li[^>]*>[^<]+</rdf:li>", xmp,
                            re.S) else ["no dc:title"])
    vp = g(cat.get("/ViewerPreferences")) or {}
    r.check("07-001 07-002", "ViewerPreferences /DisplayDocTitle true",
            [] if vp.get("/DisplayDocTitle") is True else
            [f"DisplayDocTitle {vp.get('/DisplayDocTitle')}"])

    # Structure syntax.
    allowed = {"TR": {"Table", "THead", "TBody", "TFoot"},
               "TH": {"TR"}, "TD": {"TR"},
               "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"},
               "LI": {"L"}, "LBody": {"LI"}}
    bad = [f"{srole[ref]} in {srole.get(parent[ref])}" for ref in role
           if srole[ref] in allowed and
           srole.get(parent[ref]) not in allowed[srole[ref]]]
    r.check("09-004 09-005", "table and list elements sit where they may",
            bad)

    r.check("10-001", "every font maps its codes to Unicode (ToUnicode)",
            [f"{f} has no ToUnicode" for f in sorted(fonts_without_tu)])
    lang = pdf.text(cat.get("/Lang"))
    r.check("11-001", "the document's language is set (/Lang)",
            [] if lang and lang.strip() else ["no /Lang in the catalogue"])

    figs = [ref for ref in role if srole[ref] == "Figure"]
    r.check("13-004", f"every Figure ({len(figs)}) has alternative text",
            [f"{ref} has no /Alt" for ref in figs
             if not (pdf.text(g(ref).get("/Alt")) or
                     pdf.text(g(ref).get("/ActualText")) or "").strip()])

    heads = [int(srole[ref][1]) for ref, _, _ in elems
             if re.fullmatch(r"H[1-6]", srole[ref] or "")]
    r.check("14-002", "the first numbered heading is H1",
            [] if not heads or heads[0] == 1 else [f"first is H{heads[0]}"])
    r.check("14-003", "numbered heading levels are not skipped",
            [f"H{a} then H{b}" for a, b in zip(heads, heads[1:]) if b > a + 1])
    r.check("14-007", "not both H and H1-H6",
            ["both"] if heads and any(srole[x] == "H" for x in role) else [])

    def attrs(d):
        a = g(d.get("/A"))
        if isinstance(a, dict):
            return [a]
        return [g(x) for x in a if isinstance(g(x), dict)] if \
            isinstance(a, list) else []
    ths = [ref for ref in role if srole[ref] == "TH"]
    r.check("15-003", f"every TH ({len(ths)}) has a /Scope",
            [f"{ref} has no Scope" for ref in ths
             if not any("/Scope" in a for a in attrs(g(ref)))])

    # Annotations.
    links, no_link, no_contents, no_tabs, others = 0, [], [], [], []
    for pno, (pref, page) in enumerate(pages, 1):
        annots = g(page.get("/Annots")) or []
        if annots and page.get("/Tabs") != "/S":
            no_tabs.append(f"page {pno}")
        for a in annots:
            ad = g(a)
            st = ad.get("/Subtype")
            if st != "/Link":
                if st not in ("/Popup",):
                    others.append(f"page {pno}: {st}")
                continue
            links += 1
            owner = objr.get(a)
            sp = ad.get("/StructParent")
            if owner is None or srole.get(owner) != "Link":
                no_link.append(f"page {pno}: {a} not an OBJR of a Link")
            elif sp is None or parent_tree.get(sp) != owner:
                no_link.append(f"page {pno}: {a} /StructParent does not "
                               "lead to its Link")
            if not (pdf.text(ad.get("/Contents")) or "").strip():
                no_contents.append(f"page {pno}: {a}")
    r.check("28-002", "no annotation but links (others would need Annot)",
            others)
    r.check("28-008 28-009", "pages with annotations have /Tabs /S", no_tabs)
    r.check("28-011", f"every link annotation ({links}) is in a Link element",
            no_link)
    r.check("28-012", "every link annotation has /Contents", no_contents)
    sys.exit(1 if r.failed else 0)


if __name__ == "__main__":
    main()
