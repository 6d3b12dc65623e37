/* doc.h — the resolved document: the layout's text with data, citations and
 * charts resolved, ready to typeset. Built by layout.c, read by typeset.c. */
#ifndef BRIEF_DOC_H
#define BRIEF_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chart.h"
#include "data.h"

enum run_style { RUN_BOLD = 1, RUN_ITALIC = 2, RUN_CODE = 4 };
enum run_link { LINK_NONE, LINK_URI, LINK_BIB };

/* A stretch of text in one style. Text is UTF-8 and owned by the run;
 * uri owned too (NULL unless LINK_URI); bib is the 1-based bibliography
 * number a LINK_BIB run points to. A hard line break is a run "\n". */
struct doc_run {
	char *text;
	unsigned style;
	enum run_link link;
	char *uri;
	int bib;
};

struct doc_runs {
	struct doc_run *v;
	size_t n;
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

/* An OCHA-style big number: "8,000+" / label / citation runs ("[3]"). */
struct doc_keyfigure {
	char *number;
	char *label;
	struct doc_runs cite;
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
	long line;                    /* in the layout file */
};

struct doc_meta {
	char *title, *subtitle, *organisation, *author, *paper, *data_dir,
		*as_of, *disclaimer, *language, *keywords;
	struct date as_of_date; /* resolved (auto = latest date in data) */
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
	char *layout_path;
	char *layout_name;   /* file name without .md: the default output name */
	/* Hash of every input (layout, datasets; main.c then folds in fonts,
	 * version and PDF/A). typeset writes its first 16 bytes as both
	 * entries of the PDF /ID, which is what --if-changed looks for. */
	uint8_t input_hash[32];
};

void doc_free(struct doc *d); /* frees members and d; NULL is fine */

/* Helpers for building and reading a doc (doc.c). */

/* Append a run, merging it into the previous run when style and link are
 * the same (LINK_BIB runs never merge). text need not be NUL-terminated;
 * uri is copied (LINK_URI only). BRIEF_ENOMEM on allocation failure. */
enum brief_status doc_runs_add(struct doc_runs *r, const char *text,
			       size_t len, unsigned style, enum run_link link,
			       const char *uri, int bib);
void doc_runs_free(struct doc_runs *r); /* frees members, not r */
/* Frees a block's members (children, chart, table, ...) and zeroes it. */
void doc_block_clear(struct doc_block *b);
/* The runs' text concatenated, styles dropped (heap; NULL on ENOMEM). */
char *doc_runs_text(const struct doc_runs *r);
/* A plain-text dump of the document (blocks, runs, tables, key figures,
 * bibliography), one line per paragraph: for tests and `--dump`. */
void doc_dump(const struct doc *d, FILE *out);

#endif
