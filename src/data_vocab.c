/* data_vocab.c — a data directory's own vocabularies: DIR/vocabulary.yaml,
 * read with libyaml's event parser into a small tree, then checked
 * against the schemas. The file's shape:
 *
 *     casualties:
 *       category:
 *         extend: [abducted]
 *     events:
 *       kind:
 *         replace: [military, diplomatic, humanitarian]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "data_schema.h"

#define NODE_MAX 20000 /* far above any real file: a cap, not a limit */
#define DEPTH_MAX 6

enum ykind { Y_MAP, Y_SEQ, Y_STR };

/* A node with its position. A map's kids alternate key, value. */
struct ynode {
	enum ykind kind;
	char *text;   /* Y_STR: the scalar, owned */
	bool plain;   /* Y_STR: unquoted (so "" is a YAML null) */
	long line, col;
	struct ynode *kid;
	size_t n;
};

struct vload {
	const char *path;
	const char *buf;
	size_t len;
	yaml_parser_t parser;
	struct diag_sink *sink;
	struct diag *err;
	bool failed;
	size_t nodes;
};

static void ynode_free(struct ynode *y)
{
	size_t i;

	for (i = 0; i < y->n; i++)
		ynode_free(&y->kid[i]);
	free(y->kid);
	free(y->text);
}

/* Report a problem in the file. With a sink, go on (returns BRIEF_OK);
 * without, the first problem is the error. */
static enum brief_status problem(struct vload *L, long line, long col,
				 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static enum brief_status problem(struct vload *L, long line, long col,
				 const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	va_start(ap, fmt);
	diag_vset(&d, BRIEF_EDATA, L->path, line, col, fmt, ap);
	va_end(ap);
	L->failed = true;
	if (L->sink) {
		diag_emit(L->sink, &d, DIAG_ERROR);
		return BRIEF_OK;
	}
	if (L->err)
		*L->err = d;
	return BRIEF_EDATA;
}

/* Line and column (code points) of byte offset off in the file. */
static void offset_pos(const struct vload *L, size_t off, long *line,
		       long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < L->len; i++) {
		unsigned char b = (unsigned char)L->buf[i];

		if (b == '\n') {
			(*line)++;
			*col = 1;
		} else if ((b & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static enum brief_status yaml_failed(struct vload *L)
{
	long line, col;

	if (L->parser.error == YAML_MEMORY_ERROR)
		return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
				"out of memory");
	if (L->parser.error == YAML_READER_ERROR) {
		/* Invalid UTF-8, control characters: libyaml gives a byte
		 * offset, not a line. */
		offset_pos(L, L->parser.problem_offset, &line, &col);
	} else {
		line = (long)L->parser.problem_mark.line + 1;
		col = (long)L->parser.problem_mark.column + 1;
	}
	L->failed = true;
	if (L->parser.context)
		/* Where the construct it could not finish began. */
		diag_set(L->err, BRIEF_EDATA, L->path, line, col,
			 "YAML: %s (%s at line %ld, column %ld)",
			 L->parser.problem ? L->parser.problem : "cannot parse",
			 L->parser.context,
			 (long)L->parser.context_mark.line + 1,
			 (long)L->parser.context_mark.column + 1);
	else
		diag_set(L->err, BRIEF_EDATA, L->path, line, col, "YAML: %s",
			 L->parser.problem ? L->parser.problem
					   : "cannot parse");
	if (L->sink) {
		diag_emit(L->sink, L->err, DIAG_ERROR);
		L->err->msg[0] = '\0';
	}
	return BRIEF_EDATA;
}

static enum brief_status next_event(struct vload *L, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&L->parser, ev))
		return yaml_failed(L);
	return BRIEF_OK;
}

static enum brief_status load_node(struct vload *L, yaml_event_t *ev,
				   struct ynode *out, int depth);

/* The kids of a mapping or sequence, up to its end event. */
static enum brief_status load_kids(struct vload *L, struct ynode *out,
				   yaml_event_type_t end, int depth)
{
	yaml_event_t ev;
	enum brief_status st;

	for (;;) {
		struct ynode *k;

		st = next_event(L, &ev);
		if (st)
			return st;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return BRIEF_OK;
		}
		k = realloc(out->kid, (out->n + 1) * sizeof *k);
		if (!k) {
			yaml_event_delete(&ev);
			return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
					"out of memory");
		}
		out->kid = k;
		memset(&k[out->n], 0, sizeof *k);
		out->n++;
		st = load_node(L, &ev, &k[out->n - 1], depth + 1);
		yaml_event_delete(&ev);
		if (st)
			return st;
	}
}

static enum brief_status load_node(struct vload *L, yaml_event_t *ev,
				   struct ynode *out, int depth)
{
	out->line = (long)ev->start_mark.line + 1;
	out->col = (long)ev->start_mark.column + 1;
	if (++L->nodes > NODE_MAX || depth > DEPTH_MAX) {
		L->failed = true;
		return diag_set(L->err, BRIEF_EDATA, L->path, out->line,
				out->col,
				"the file is nested deeper or is larger than "
				"a vocabulary file can be");
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		out->kind = Y_STR;
		out->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		out->text = malloc(ev->data.scalar.length + 1);
		if (!out->text)
			return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
					"out of memory");
		memcpy(out->text, ev->data.scalar.value, ev->data.scalar.length);
		out->text[ev->data.scalar.length] = '\0';
		if (strlen(out->text) != ev->data.scalar.length) {
			L->failed = true;
			return diag_set(L->err, BRIEF_EDATA, L->path, out->line,
					out->col, "NUL byte (U+0000) in a word");
		}
		return BRIEF_OK;
	case YAML_SEQUENCE_START_EVENT:
		out->kind = Y_SEQ;
		return load_kids(L, out, YAML_SEQUENCE_END_EVENT, depth);
	case YAML_MAPPING_START_EVENT:
		out->kind = Y_MAP;
		return load_kids(L, out, YAML_MAPPING_END_EVENT, depth);
	case YAML_ALIAS_EVENT:
		L->failed = true;
		return diag_set(L->err, BRIEF_EDATA, L->path, out->line,
				out->col,
				"YAML aliases (*name) are not supported in a "
				"vocabulary file: write the words out");
	default:
		L->failed = true;
		return diag_set(L->err, BRIEF_EDATA, L->path, out->line,
				out->col, "unexpected YAML content");
	}
}

/* The file's one document into *root (kind Y_MAP, maybe empty). */
static enum brief_status load_tree(struct vload *L, struct ynode *root)
{
	yaml_event_t ev;
	enum brief_status st;
	bool done = false;

	memset(root, 0, sizeof *root);
	root->kind = Y_MAP;
	while (!done) {
		st = next_event(L, &ev);
		if (st)
			return st;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			if (root->line) {
				st = diag_set(L->err, BRIEF_EDATA, L->path,
					      (long)ev.start_mark.line + 1,
					      (long)ev.start_mark.column + 1,
					      "a vocabulary file holds one YAML "
					      "document");
				L->failed = true;
				yaml_event_delete(&ev);
				return st;
			}
			st = load_node(L, &ev, root, 0);
			if (!root->line)
				root->line = 1;
			if (st) {
				yaml_event_delete(&ev);
				return st;
			}
		}
		yaml_event_delete(&ev);
	}
	return BRIEF_OK;
}

/* ---- checking the tree against the schemas ---- */

static bool has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7F ||
		    (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return true;
	return false;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static size_t count_list(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Check the words of one declaration (seq) and keep them in d. */
static enum brief_status take_words(struct vload *L, const struct ynode *seq,
				    const struct schema *sc,
				    const struct coldef *cd, bool extend,
				    struct vocab_decl *d)
{
	size_t i, ndef = extend ? count_list(cd->vocab) : 0;
	enum brief_status st = BRIEF_OK;

	if (seq->kind != Y_SEQ)
		return problem(L, seq->line, seq->col,
			       "the words of %s.%s must be a list, e.g. [a, b]",
			       sc->name, cd->name);
	if (seq->n == 0 && !extend)
		return problem(L, seq->line, seq->col,
			       "'replace' needs at least one word for %s.%s",
			       sc->name, cd->name);
	if (seq->n + ndef > VOCAB_MAX_WORDS)
		return problem(L, seq->line, seq->col,
			       "%s.%s would have more than %d words", sc->name,
			       cd->name, VOCAB_MAX_WORDS);
	d->words = calloc(seq->n + ndef + 1, sizeof *d->words);
	if (!d->words)
		return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
				"out of memory");
	for (i = 0; i < ndef; i++) {
		d->words[d->n] = strdup(cd->vocab[i]);
		if (!d->words[d->n])
			return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
					"out of memory");
		d->n++;
	}
	for (i = 0; i < seq->n && st == BRIEF_OK; i++) {
		const struct ynode *w = &seq->kid[i];
		size_t len;

		if (w->kind != Y_STR) {
			st = problem(L, w->line, w->col,
				     "a word must be plain text, not a list or "
				     "mapping");
			continue;
		}
		len = strlen(w->text);
		if (len == 0)
			st = problem(L, w->line, w->col, "empty word");
		else if (len > VOCAB_WORD_MAX)
			st = problem(L, w->line, w->col,
				     "word longer than %d bytes",
				     VOCAB_WORD_MAX);
		else if (has_control(w->text))
			st = problem(L, w->line, w->col,
				     "control character in word '%s'", w->text);
		else if (w->text[0] == ' ' || w->text[len - 1] == ' ')
			st = problem(L, w->line, w->col,
				     "word '%s' has a leading or trailing space "
				     "(no field could match it)",
				     w->text);
		else if (extend && in_list(cd->vocab, ndef, w->text))
			st = problem(L, w->line, w->col,
				     "'%s' is already one of brief's words for "
				     "%s.%s",
				     w->text, sc->name, cd->name);
		else if (in_list((const char *const *)d->words + ndef,
				 d->n - ndef, w->text))
			st = problem(L, w->line, w->col,
				     "'%s' is listed twice for %s.%s", w->text,
				     sc->name, cd->name);
		else if (!(d->words[d->n] = strdup(w->text)))
			return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
					"out of memory");
		else
			d->n++;
	}
	return st;
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One column: `col: {extend|replace: [...]}`. */
static enum brief_status take_column(struct vload *L, struct vocab *v, int k,
				     const struct schema *sc,
				     const struct ynode *key,
				     const struct ynode *val)
{
	const struct coldef *cd = NULL;
	struct vocab_decl *d;
	size_t i, c;
	bool extend;
	enum brief_status st;

	if (key->kind != Y_STR)
		return problem(L, key->line, key->col,
			       "expected a column name of %s", sc->name);
	for (c = 0; c < sc->ncols; c++)
		if (strcmp(sc->cols[c].name, key->text) == 0)
			cd = &sc->cols[c];
	if (!cd)
		return problem(L, key->line, key->col,
			       "%s has no column '%s'", sc->name, key->text);
	c = (size_t)(cd - sc->cols);
	if (cd->type != T_VOCAB)
		return problem(L, key->line, key->col,
			       "%s.%s is not a vocabulary column (only columns "
			       "with a list of words can be declared here)",
			       sc->name, cd->name);
	if (cd->flags & COL_FIXED)
		return problem(L, key->line, key->col,
			       "%s.%s is brief's own vocabulary: it words each "
			       "figure from it (\"about\", \"at least\"), so "
			       "its words cannot be changed",
			       sc->name, cd->name);
	for (i = 0; i < v->ndecl; i++)
		if (v->decl[i].ds == k && v->decl[i].col == c)
			return problem(L, key->line, key->col,
				       "%s.%s is declared twice", sc->name,
				       cd->name);
	if (val->kind != Y_MAP || val->n != 2 || val->kid[0].kind != Y_STR ||
	    (strcmp(val->kid[0].text, "extend") != 0 &&
	     strcmp(val->kid[0].text, "replace") != 0))
		return problem(L, val->line, val->col,
			       "expected 'extend: [words]' or 'replace: "
			       "[words]' for %s.%s",
			       sc->name, cd->name);
	extend = strcmp(val->kid[0].text, "extend") == 0;
	if (extend && !cd->vocab)
		return problem(L, val->kid[0].line, val->kid[0].col,
			       "%s.%s accepts any text until a list is "
			       "declared: use 'replace' to give its words",
			       sc->name, cd->name);
	d = realloc(v->decl, (v->ndecl + 1) * sizeof *d);
	if (!d)
		return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
				"out of memory");
	v->decl = d;
	d = &v->decl[v->ndecl++];
	memset(d, 0, sizeof *d);
	d->ds = k;
	d->col = c;
	st = take_words(L, &val->kid[1], sc, cd, extend, d);
	if (st)
		return st;
	d->sorted = malloc((d->n + 1) * sizeof *d->sorted);
	if (!d->sorted)
		return diag_set(L->err, BRIEF_ENOMEM, L->path, 0, 0,
				"out of memory");
	if (d->n == 0)
		return BRIEF_OK; /* the words were refused (reported) */
	memcpy(d->sorted, d->words, d->n * sizeof *d->sorted);
	qsort(d->sorted, d->n, sizeof *d->sorted, cmp_word);
	return BRIEF_OK;
}

static enum brief_status take_tree(struct vload *L, struct vocab *v,
				   const struct ynode *root)
{
	size_t i, j, k2;
	enum brief_status st;

	if (root->kind == Y_STR && root->plain && !root->text[0])
		return BRIEF_OK; /* an empty document */
	if (root->kind != Y_MAP)
		return problem(L, root->line, root->col,
			       "expected a mapping of dataset names "
			       "(casualties:, events:, ...)");
	for (i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *key = &root->kid[i], *val = &root->kid[i + 1];
		const struct schema *sc;
		int k;

		if (key->kind != Y_STR ||
		    !(sc = schema_by_name(key->text, &k))) {
			st = problem(L, key->line, key->col,
				     "unknown dataset '%s' (expected sources, "
				     "casualties, displacement, control, "
				     "figures or events)",
				     key->kind == Y_STR ? key->text : "?");
			if (st)
				return st;
			continue;
		}
		for (k2 = 0; k2 < i; k2 += 2)
			if (root->kid[k2].kind == Y_STR &&
			    strcmp(root->kid[k2].text, key->text) == 0)
				break;
		if (k2 < i) {
			st = problem(L, key->line, key->col,
				     "dataset '%s' appears twice", key->text);
			if (st)
				return st;
			continue;
		}
		if (val->kind != Y_MAP) {
			st = problem(L, val->line, val->col,
				     "expected the columns of %s, e.g. "
				     "'kind:' on the next line, indented",
				     sc->name);
			if (st)
				return st;
			continue;
		}
		for (j = 0; j + 1 < val->n; j += 2) {
			st = take_column(L, v, k, sc, &val->kid[j],
					 &val->kid[j + 1]);
			if (st)
				return st;
		}
	}
	return BRIEF_OK;
}

static void decl_free(struct vocab_decl *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->words[i]);
	free(d->words);
	free(d->sorted);
}

void vocab_free(struct vocab *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->ndecl; i++)
		decl_free(&v->decl[i]);
	free(v->decl);
	free(v->path);
	memset(v, 0, sizeof *v);
}

/* The whole file into memory (it is small; a cap keeps it so). */
static enum brief_status read_all(FILE *f, const char *path, char **out,
				  size_t *len, struct diag *err)
{
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap), *nb;

	if (!buf)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n > (size_t)VOCAB_FILE_MAX) {
			free(buf);
			return diag_set(err, BRIEF_EDATA, path, 0, 0,
					"file larger than %ld bytes",
					VOCAB_FILE_MAX);
		}
		if (n == cap) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return diag_set(err, BRIEF_ENOMEM, path, 0, 0,
						"out of memory");
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(buf);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "read error: %s",
				strerror(errno));
	}
	*out = buf;
	*len = n;
	return BRIEF_OK;
}

enum brief_status vocab_load(const char *dir, struct vocab *out,
			     struct diag_sink *sink, struct diag *err)
{
	struct vload L;
	struct ynode root;
	char *path = NULL, *buf = NULL;
	size_t plen = strlen(dir) + sizeof VOCAB_FILE + 1, len = 0;
	FILE *f = NULL;
	struct diag d;
	struct stat sb;
	enum brief_status st;

	memset(out, 0, sizeof *out);
	memset(&root, 0, sizeof root);
	memset(&L, 0, sizeof L);
	path = malloc(plen);
	if (!path)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	snprintf(path, plen, "%s/%s", dir, VOCAB_FILE);
	if (lstat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
		free(path); /* no file: the defaults */
		return BRIEF_OK;
	}
	out->path = path;
	st = csv_open(path, &f, &d);
	if (st == BRIEF_OK)
		st = read_all(f, path, &buf, &len, &d);
	if (f)
		fclose(f);
	if (st != BRIEF_OK) {
		out->broken = true;
		if (st == BRIEF_EDATA && sink) {
			diag_emit(sink, &d, DIAG_ERROR);
		} else if (err) {
			*err = d;
		}
		return st;
	}
	L.path = path;
	L.buf = buf;
	L.len = len;
	L.sink = sink;
	L.err = err ? err : &d;
	if (!yaml_parser_initialize(&L.parser)) {
		free(buf);
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_string(&L.parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&L.parser, YAML_UTF8_ENCODING);
	st = load_tree(&L, &root);
	if (st == BRIEF_EDATA && sink && L.err->msg[0]) {
		diag_emit(sink, L.err, DIAG_ERROR);
		L.err->msg[0] = '\0';
	}
	if (st == BRIEF_OK)
		st = take_tree(&L, out, &root);
	yaml_parser_delete(&L.parser);
	ynode_free(&root);
	free(buf);
	if (st == BRIEF_OK && L.failed)
		st = BRIEF_EDATA;
	if (st == BRIEF_EDATA) {
		out->broken = true;
		/* A broken file declares nothing: its words would be half
		 * there. */
		path = out->path;
		out->path = NULL;
		vocab_free(out);
		out->path = path;
		out->broken = true;
	} else if (st != BRIEF_OK) {
		vocab_free(out);
	}
	return st;
}

void vocab_list_for(const struct vocab *v, int ds, size_t col,
		    const struct coldef *cd, struct vocab_list *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	if (v) {
		for (i = 0; i < v->ndecl; i++) {
			if (v->decl[i].ds == ds && v->decl[i].col == col) {
				out->words = (const char *const *)v->decl[i].words;
				out->sorted = v->decl[i].n > 16
						      ? v->decl[i].sorted
						      : NULL;
				out->n = v->decl[i].n;
				out->declared = true;
				return;
			}
		}
		if (v->broken && !(cd->flags & COL_FIXED)) {
			out->any = true;
			return;
		}
	}
	if (!cd->vocab) {
		out->any = true;
		return;
	}
	out->words = cd->vocab;
	out->n = count_list(cd->vocab);
}
