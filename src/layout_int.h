/* layout_int.h — private to the layout stage (layout*.c): the parsing
 * context, YAML trees with layout positions, and the helpers the block
 * builders share. */
#ifndef BRIEF_LAYOUT_INT_H
#define BRIEF_LAYOUT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "chart.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "figure.h"
#include "layout.h"

/* Caps: beyond them a layout is an error, not unbounded memory. */
#define LAYOUT_MAX_BYTES (4L << 20)
#define LAYOUT_MAX_DEPTH 16
#define LAYOUT_TABLE_MAX_ROWS 500
#define LAYOUT_TABLE_MAX_COLS 24 /* more cannot be read on A4 anyway */
#define LAYOUT_CONTESTED_MAX_ROWS 20000
#define YAML_MAX_NODES 10000

/* A YAML node with its position in the layout file (1-based line, column
 * in code points). Scalars own str; a map's kids alternate key, value. */
enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };
struct ynode {
	enum ynode_kind kind;
	char *str;
	struct ynode *kids;
	size_t n;
	long line, col;
};

/* Parse YAML text whose first line is line `line0` of the layout and whose
 * lines are indented by `col0` columns there. One document, no aliases.
 * An empty text gives a NULL tree. On error err says where; BRIEF_EDATA. */
enum brief_status ynode_parse(const char *text, size_t len, const char *file,
			      long line0, long col0, struct ynode **out,
			      struct diag *err);
void ynode_free(struct ynode *y); /* frees y and its kids; NULL is fine */
/* Value of key in a map, NULL when absent or y is not a map. */
const struct ynode *ynode_get(const struct ynode *y, const char *key);
const char *ynode_kind_name(enum ynode_kind k);

/* A {{dataset:row-id}} or [@id; @id] found in the layout text. Before
 * cmark sees the text each one is replaced by a placeholder token that no
 * Markdown rule touches (private-use code points), so its exact position
 * and spelling survive parsing. */
enum ref_kind { REF_CITE, REF_FIGURE };
struct ref {
	enum ref_kind kind;
	long line, col;   /* of the "[@" or "{{" */
	size_t off, end;  /* byte span in the layout file */
	char **ids;       /* REF_CITE: source ids (owned) */
	size_t nids;
	char *dataset;    /* REF_FIGURE (owned) */
	char *row;
};

/* References (layout_refs.c). A token is U+E000 then four hex digits as
 * U+E010..U+E01F: TOKEN_LEN bytes of private-use code points. */
#define TOKEN_LEN 15
struct lay;
/* Find the references after the front matter and build L->body. */
enum brief_status lay_tokenise(struct lay *L);
/* Index of the token at p (with `left` bytes after it), or -1. */
long lay_token_read(const char *p, size_t left, size_t nrefs);
/* Malformed: neither ids nor a dataset. */
bool lay_ref_bad(const struct ref *r);
void lay_ref_free(struct ref *r);
/* text with tokens turned back into the layout's own spelling (heap). */
char *lay_untoken(const struct lay *L, const char *text);

/* A dataset row a figure reference or key figure asked for, copied out of
 * the scan. */
struct figrow {
	int ds; /* index in the directory's datasets (lay_ds) */
	char *id;
	bool found;
	struct figure fig; /* the row's, an owning copy (figure_copy) */
	long line, col; /* of the unit field (the value's without a unit) */
};

/* Wanted rows (layout_refs.c): ask for a row of the dataset called
 * `dataset` (unknown datasets are ignored here, reported where used); lay_want_done sorts them and takes
 * their rows from the shared scan (lay_share); lay_fetch then scans alone
 * each dataset that was not clean there; find one afterwards (NULL if
 * never asked for). */
struct lay;
enum brief_status lay_want(struct lay *L, const char *dataset,
			   const char *row);
enum brief_status lay_want_done(struct lay *L);
enum brief_status lay_fetch(struct lay *L, struct diag *err);
const struct figrow *lay_find_row(const struct lay *L, int ds,
				  const char *id);

/* The shared scan: every consumer of a dataset's rows (wanted rows,
 * tables, charts, the latest date for as_of: auto) registers before it,
 * then each dataset is read once and every valid row goes to each of its
 * consumers. It reports nothing: a dataset with any bad row or an I/O
 * error is not clean, and its consumers drop what they got and scan it
 * alone later, as they would without the shared scan, so diagnostics
 * are the same either way. fn returns BRIEF_OK, or BRIEF_ENOMEM to stop;
 * a consumer's own errors are kept by the consumer. */
struct lay_consumer {
	int ds; /* index in the directory's datasets */
	data_row_fn fn;
	void *ctx;
	/* The columns whose text it looks at on every row, numbered by the
	 * scan for it (data_scan_dataset_numbered); not owned. */
	const char *const *keys;
	size_t nkeys;
};
enum brief_status lay_consume(struct lay *L, int ds, data_row_fn fn,
			      void *ctx);
enum brief_status lay_consume_keyed(struct lay *L, int ds, data_row_fn fn,
				    void *ctx, const char *const *keys,
				    size_t nkeys);

/* The data directory's datasets (data.h), by index: a layout names them
 * (`dataset: casualties-acled`), the stages below hold the index. */
/* Index of the dataset called name, -1 when the directory has none. */
int lay_dataset_find(const struct lay *L, const char *name);
/* How many datasets the directory has (the range of lay_ds). */
size_t lay_nds(const struct lay *L);
/* lay_dataset_find, reporting "no dataset 'x' (have: ...)" at line:col
 * when there is none. */
int lay_dataset(struct lay *L, const char *name, long line, long col);
const struct dataset *lay_ds(const struct lay *L, int i);

/* A wanted rows' scan of one dataset: the figure rows it fills. */
struct lay_fetch {
	struct lay *L;
	int ds;
	size_t left; /* wanted rows of ds not found yet: none, no lookup */
};

/* A table block split around the shared scan (layout_table.c): prepare
 * reads the spec and reports its errors, consume registers its tables,
 * finish takes the rows (scanning alone when the dataset was not clean)
 * and builds the doc table (*out NULL when an error was reported). */
struct lay_tprep;
enum brief_status lay_table_prepare(struct lay *L, const struct ynode *y,
				    long line, long col, struct lay_tprep **out);
enum brief_status lay_tprep_consume(struct lay *L, struct lay_tprep *p);
enum brief_status lay_table_finish(struct lay *L, struct lay_tprep *p,
				   struct doc_table **out);
void lay_tprep_free(struct lay_tprep *p);

/* The context of one layout_load. */
#define LAY_LANG_DEPTH 8 /* <span lang> inside <span lang> */

struct lay {
	/* The languages outside the open <span lang>s (layout.c). */
	char langs[LAY_LANG_DEPTH][DOC_LANG_MAX];
	int nlangs;
	const char *path;           /* as given, for diagnostics */
	const struct layout_opts *opts;
	struct diag_sink *sink;
	struct doc *doc;
	char *src;                  /* the layout bytes, NUL-terminated */
	size_t len;
	size_t *line_off;           /* byte offset of each line start */
	long nlines;
	char *body;                 /* src with front matter blanked and refs tokenised */
	size_t body_len;
	size_t *body_line_off;      /* byte offset of each line start in body */
	/* lay_node_at's cursor: a body offset on cur_line and the source
	 * offset and column it stands for. */
	long cur_line, cur_col;
	size_t cur_b, cur_s;
	struct ref *refs;
	size_t nrefs;
	long body_line;             /* first line after the front matter */
	struct figrow *figs;        /* sorted by kind, id */
	size_t nfigs;
	int *bibno;                 /* per source index: its number, 0 = uncited */
	bool reported[DATASETS_MAX]; /* a dataset's row errors already shown */
	/* The shared scan. */
	struct lay_consumer *cons;
	size_t ncons;
	bool want_latest;           /* as_of: auto */
	bool clean[DATASETS_MAX];   /* scanned there, with no bad row */
	char **hdr[DATASETS_MAX];   /* a clean dataset's header names (owned) */
	size_t nhdr[DATASETS_MAX];
	struct lay_fetch fetch[DATASETS_MAX]; /* per dataset, for fetch_row */
	struct date latest;         /* latest date over all datasets */
	long latest_end;            /* its last day (date_days_end) */
	bool sources_ok;
	char **chart_ids;
	size_t nchart_ids;
	unsigned timelines;
	/* Heading anchors given so far, a hash table (the names belong to
	 * the blocks), and the #anchor links, checked against them once
	 * every heading is known. */
	struct lay_anchor *anchors;
	size_t nanchors, capanchors;
	struct lay_anchor_ref *anchor_refs;
	size_t nanchor_refs;
	/* Diagnostics about the layout file, held back so they can be
	 * reported in file order (pass 1 finds YAML errors first). */
	struct lay_pending *pending;
	size_t npending;
};

struct lay_anchor {
	const char *name;  /* NULL: an empty slot */
	unsigned repeats;  /* headings after the first with this text */
};

struct lay_anchor_ref {
	char *name; /* owned */
	long line, col;
};

struct lay_pending {
	struct diag d;
	enum diag_severity sev;
	size_t seq;
};

/* Report an error / warning at a layout position (quoting the line). */
void lay_error(struct lay *L, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void lay_warn(struct lay *L, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Emit a diagnostic another module filled; adds the quote when it points
 * into the layout. */
void lay_emit(struct lay *L, struct diag *d);
/* Report the diagnostics held so far, in file order (at the end of the
 * load: errors are found out of order, users read them in order). */
void lay_flush(struct lay *L);
/* The bibliography number of a source id (assigned on first use); 0 when
 * the id is not in sources.csv, -1 when out of memory. Has the
 * chart_cite_fn signature. */
int lay_cite(void *L, const char *source_id);
/* Append "[n]" (one LINK_BIB run between bracket runs) for one source. */
enum brief_status lay_cite_runs(struct lay *L, struct doc_runs *r,
				const char *source_id);
/* The figure of a row in words ("more than 8,000") into buf. */
char *lay_figure_words(const struct figrow *f, char *buf, size_t size);
/* The row's figure alone, without who claims it or where (borrowed). */
struct figure lay_figure_alone(const struct figrow *f);
/* data_scan with this layout's sources, reporting a dataset's row errors
 * only the first time it is scanned. */
enum brief_status lay_scan(struct lay *L, int ds, data_row_fn fn, void *ctx,
			   struct diag *err);
char *lay_strdup(const char *s);
char *lay_strndup(const char *s, size_t n);
/* Line (1-based) of byte offset off in the layout, and its column (code
 * points, 1-based) on that line. */
long lay_line_of(const struct lay *L, size_t off);
long lay_col_of(const struct lay *L, long line, size_t off);
/* A text origin at a layout line and column (the doc's own path). */
struct text_origin lay_at(const struct lay *L, long line, long col);

/* `filter:` (a map column: value or column: [v1, v2]) into filters; on
 * error *out may hold a partial array (free with lay_filters_free). */
enum brief_status lay_filters(struct lay *L, const struct ynode *v,
			      struct chart_filter **out, size_t *nout);
void lay_filters_free(struct chart_filter *f, size_t n);

/* Blocks built from fenced YAML (layout_yaml.c, layout_table.c). Errors are
 * reported through L; they return BRIEF_EDATA when they reported one. */
enum brief_status lay_chart_spec(struct lay *L, const struct ynode *y,
				 bool timeline, long line, long col,
				 struct chart_spec *spec);
enum brief_status lay_table(struct lay *L, const struct ynode *y, long line,
			    long col, struct doc_table **out);
/* The keys of a type: map chart (layout_map.c): whether a key is one,
 * one key into spec->map, and after all keys the check that map and chart
 * keys are not mixed (it creates spec->map for a map without keys). */
bool lay_map_key(const char *key);
enum brief_status lay_map_spec_key(struct lay *L, const struct ynode *k,
				   const struct ynode *v,
				   struct chart_spec *spec);
enum brief_status lay_map_spec_check(struct lay *L, const struct ynode *y,
				     struct chart_spec *spec);

/* The front matter of a series and a brand (layout_brand.c, brand.h):
 * whether a key is one of them; one such key into doc->brand (errors at
 * the value; BRIEF_EIO with err filled when the logo cannot be read);
 * `paper` checked and made canonical in *dst; and, after every key, the
 * checks between them and the page size. Each returns BRIEF_EDATA when it
 * reported an error. */
bool lay_brand_key(const char *key);
enum brief_status lay_brand_front(struct lay *L, const struct ynode *k,
				  const struct ynode *v, struct diag *err);
enum brief_status lay_brand_paper(struct lay *L, const struct ynode *v,
				  char **dst);
enum brief_status lay_brand_done(struct lay *L);

/* A `changes` block (layout_changes.c): b becomes a container of a
 * heading, a sentence and a list of what changed since the last edition,
 * from the record beside the report (or the block's `since`). Errors are
 * reported through L; BRIEF_ENOMEM only. */
enum brief_status lay_changes(struct lay *L, const struct ynode *y, long line,
			      long col, struct doc_block *b);

/* brief check: warn about each number in text (a paragraph or heading on
 * layout lines line1..line2, '\x01' where a citation or figure reference
 * stood) that has no citation in its sentence (layout_check.c). */
void lay_check_text(struct lay *L, const char *text, long line1, long line2,
		    bool heading);

#endif
