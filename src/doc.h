/* doc.h — the resolved document: the layout's text with data, citations and
 * charts resolved, ready to typeset. Built by layout.c, read by typeset.c. */
#ifndef BRIEF_DOC_H
#define BRIEF_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "brand.h"
#include "chart.h"
#include "data.h"
#include "l10n.h"

enum run_style { RUN_BOLD = 1, RUN_ITALIC = 2, RUN_CODE = 4 };
/* LINK_URI: an external link (http, https or mailto only, see
 * doc_uri_allowed); LINK_ANCHOR: to a heading of the document, uri is the
 * heading's anchor; LINK_BIB: to a bibliography entry. */
enum run_link { LINK_NONE, LINK_URI, LINK_BIB, LINK_ANCHOR };

/* A stretch of text in one style. Text is UTF-8 and owned by the run;
 * uri owned too (NULL unless LINK_URI or LINK_ANCHOR); bib is the 1-based
 * bibliography number a LINK_BIB run points to. A hard line break is a
 * run "\n". at is where the text starts: the layout position or dataset
 * field it came from (at.file NULL: unknown, the block's position stands
 * in); a run merged from several pieces keeps the first one's. */
#define DOC_LANG_MAX 16 /* a language tag's bytes, with its NUL */

struct doc_run {
	char *text;
	unsigned style;
	enum run_link link;
	char *uri;
	int bib;
	struct text_origin at;
	/* The language of a span the layout marks as another than the
	 * document's (<span lang="fr">...</span>, docs/layouts.md): a BCP 47
	 * tag, "" for the document's own. The PDF marks it with /Lang. */
	char lang[DOC_LANG_MAX];
};

/* lang: the language runs added now get (layout.c sets it inside a
 * <span lang>); runs of different languages never merge. */
struct doc_runs {
	struct doc_run *v;
	size_t n;
	char lang[DOC_LANG_MAX];
};

enum block_kind {
	BLK_HEADING,    /* level 1..3, runs */
	BLK_PARAGRAPH,  /* runs */
	BLK_LIST,       /* ordered/start, children are BLK_ITEM */
	BLK_ITEM,       /* children: blocks */
	BLK_QUOTE,      /* children: blocks */
	BLK_CHART,      /* chart (also ```timeline) */
	BLK_KEYFIGURES, /* figs */
	BLK_TABLE,      /* table */
	BLK_PAGEBREAK
};

/* An OCHA-style big number: "8,000+" / label / citation runs ("[3]").
 * number_at: the dataset field its unit (or value) came from; label_at:
 * the label in the layout. */
struct doc_keyfigure {
	char *number;
	char *label;
	struct doc_runs cite;
	struct text_origin number_at, label_at;
};

/* A table of dataset rows, cells already worded. cells has nrows*ncols
 * entries, row-major. align[i] is 'l' or 'r'. */
struct doc_table {
	size_t ncols, nrows;
	char **header;
	char *align;
	struct doc_runs *cells;
	char *caption;           /* title above, may be NULL */
	struct doc_runs note;    /* source line under the table */
	/* NULL, or nrows flags (owned): cont[r] when row r belongs with the
	 * row above (another claim about the same quantity), so the two are
	 * not parted by a page break while the group fits on a page. */
	bool *cont;
};

struct doc_block {
	enum block_kind kind;
	int level;
	bool ordered;
	int start;
	struct doc_runs runs;
	struct doc_block *children;
	size_t nchildren;
	struct chart *chart;          /* owned */
	struct chart_spec *spec;      /* owned; the chart points into it */
	struct doc_keyfigure *figs;
	size_t nfigs;
	struct doc_table *table;      /* owned */
	long line, col;               /* in the layout file */
	char *anchor; /* BLK_HEADING: its link target "#anchor" (owned) */
};

struct doc_meta {
	char *title, *subtitle, *organisation, *author, *paper, *data_dir,
		*as_of, *disclaimer, *language, *keywords,
		*digits; /* "latin" or "native" (l10n_set_digits), or NULL */
	struct date as_of_date; /* resolved (auto = latest date in data) */
	/* Where the printed fields were written in the front matter. */
	struct {
		struct text_origin title, subtitle, organisation, author,
			as_of, disclaimer, keywords;
	} at;
};

/* A bibliography entry: number n is bib[n-1]. src points into sources. */
struct doc_bib {
	int number;
	const struct source *src;
};

/* The whole document. Owns every block, run, chart, the sources table and
 * the palette. Free with doc_free. */
struct doc {
	struct doc_meta meta;
	struct doc_block *blocks;
	size_t nblocks;
	struct doc_bib *bib;
	size_t nbib;
	struct sources sources;
	struct palette *palette;
	struct doc_brand *brand; /* series, identity and page (brand.h) */
	char *layout_path;
	char *layout_name;   /* file name without .md: the default output name */
	/* The layout's bytes and line starts, so that a diagnostic about a
	 * character can point at it (doc_locate); NULL for a doc not built
	 * from a layout file. */
	char *layout_src;
	size_t layout_len;
	size_t *layout_lines;
	long nlayout_lines;
	/* Each dataset's path, for the origins of text from its fields, by
	 * index in sources.datasets. */
	char *dataset_path[DATASETS_MAX];
	/* Hash of every input (layout, datasets; main.c then folds in fonts,
	 * version and PDF/A). typeset writes its first 16 bytes as both
	 * entries of the PDF /ID, which is what --if-changed looks for. */
	uint8_t input_hash[32];
	/* The catalogue of meta.language (l10n.h), owned; NULL: the
	 * generated text is brief's built-in English. */
	struct l10n *l10n;
};

void doc_free(struct doc *d); /* frees members and d; NULL is fine */

/* Helpers for building and reading a doc (doc.c). */

/* Append a run, merging it into the previous run when style and link are
 * the same (LINK_BIB runs never merge). text need not be NUL-terminated;
 * uri is copied (LINK_URI and LINK_ANCHOR). doc_runs_add_at also records
 * where the text came from (at may be NULL: unknown). BRIEF_ENOMEM on
 * allocation failure. */
enum brief_status doc_runs_add(struct doc_runs *r, const char *text,
			       size_t len, unsigned style, enum run_link link,
			       const char *uri, int bib);
enum brief_status doc_runs_add_at(struct doc_runs *r,
				  const struct text_origin *at,
				  const char *text, size_t len, unsigned style,
				  enum run_link link, const char *uri, int bib);
/* A dataset field as a run of its own (never merged into the one before),
 * so that a character in it is reported at that field. */
enum brief_status doc_runs_add_field(struct doc_runs *r,
				     const struct text_origin *at,
				     const char *text, size_t len);
void doc_runs_free(struct doc_runs *r); /* frees members, not r */
/* Frees a block's members (children, chart, table, ...) and zeroes it. */
void doc_block_clear(struct doc_block *b);
/* The runs' text concatenated, styles dropped (heap; NULL on ENOMEM). */
char *doc_runs_text(const struct doc_runs *r);
/* Only these URI schemes become live links: http, https and mailto. Others
 * (javascript:, file:, data:, vbscript:, ...) run code or reach into the
 * reader's machine when clicked in a PDF viewer. The scheme is compared
 * case-insensitively; uri is as the link will be written (entities and
 * escapes already decoded). */
bool doc_uri_allowed(const char *uri);

/* Where the k-th (from 0) occurrence of code point cp at or after `at`
 * is in the layout file, when `at` is a layout position whose text the
 * character was copied from (Markdown markup and escapes may lie in
 * between); otherwise, or when it is not found nearby, `at` itself. */
struct text_origin doc_locate(const struct doc *d,
			      const struct text_origin *at, unsigned long cp,
			      size_t k);
/* The layout line an origin in the layout points at (for quoting), or
 * NULL; *len is its length without the line end. */
const char *doc_layout_line(const struct doc *d, long line, size_t *len);

/* A plain-text dump of the document (blocks, runs, tables, key figures,
 * bibliography), one line per paragraph: for tests and `--dump`. */
void doc_dump(const struct doc *d, FILE *out);

#endif
