/* layout_brand.c — the front matter keys of a report series and of an
 * organisation's identity (brand.h): number, series, period, next_report,
 * contacts, logo, accent, colors, paper and orientation. Each bad value is
 * an error at its place in the front matter. */
#include "layout_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "brand.h"

static struct doc_brand *lay_brand(struct lay *L)
{
	if (!L->doc->brand)
		L->doc->brand = brand_new();
	return L->doc->brand;
}

static bool want_scalar(struct lay *L, const struct ynode *k,
			const struct ynode *v, const char *what)
{
	if (v->kind == Y_SCALAR && v->str[0])
		return true;
	lay_error(L, v->line, v->col, "front matter '%s' must be %s, not %s",
		  k->str, what,
		  v->kind == Y_SCALAR ? "empty" : ynode_kind_name(v->kind));
	return false;
}

static bool parse_date(struct lay *L, const struct ynode *v, const char *key,
		       struct date *out)
{
	if (v->kind == Y_SCALAR && date_parse(v->str, strlen(v->str), out))
		return true;
	lay_error(L, v->line, v->col,
		  "%s must be a date (2025-03-09, 2025-03 or 2025), not '%s'",
		  key, v->kind == Y_SCALAR ? v->str : ynode_kind_name(v->kind));
	return false;
}

static enum brief_status key_number(struct lay *L, const struct ynode *k,
				    const struct ynode *v)
{
	struct doc_brand *b = lay_brand(L);
	char *end;
	long n;

	if (!want_scalar(L, k, v, "the edition's number (12)"))
		return BRIEF_EDATA;
	errno = 0;
	n = strtol(v->str, &end, 10);
	if (errno || *end || v->str[0] < '0' || v->str[0] > '9' || n < 1 ||
	    n > 999999) {
		lay_error(L, v->line, v->col,
			  "number is the edition's number, a whole number "
			  "from 1 (number: 12), not '%s'",
			  v->str);
		return BRIEF_EDATA;
	}
	b->number = n;
	b->at_number = lay_at(L, v->line, v->col);
	return BRIEF_OK;
}

/* period: {from: DATE, to: DATE}, or "DATE/DATE" (ISO 8601), or one DATE
 * (a month, a year). */
static enum brief_status key_period(struct lay *L, const struct ynode *v)
{
	struct doc_brand *b = lay_brand(L);
	const struct ynode *from = NULL, *to = NULL;
	bool ok = true;

	b->at_period = lay_at(L, v->line, v->col);
	if (v->kind == Y_MAP) {
		for (size_t i = 0; i + 1 < v->n; i += 2) {
			const struct ynode *k = &v->kids[i];

			if (strcmp(k->str, "from") == 0)
				from = &v->kids[i + 1];
			else if (strcmp(k->str, "to") == 0)
				to = &v->kids[i + 1];
			else {
				lay_error(L, k->line, k->col,
					  "unknown period key '%s' (from, to)",
					  k->str);
				ok = false;
			}
		}
		if (!from || !to) {
			lay_error(L, v->line, v->col,
				  "period needs both 'from' and 'to' "
				  "(period: {from: 2025-03-03, to: 2025-03-09})");
			return BRIEF_EDATA;
		}
		ok = parse_date(L, from, "period 'from'", &b->period_from) && ok;
		ok = parse_date(L, to, "period 'to'", &b->period_to) && ok;
	} else if (v->kind == Y_SCALAR) {
		const char *slash = strchr(v->str, '/');
		size_t n = slash ? (size_t)(slash - v->str) : strlen(v->str);

		if (!date_parse(v->str, n, &b->period_from) ||
		    !date_parse(slash ? slash + 1 : v->str,
				slash ? strlen(slash + 1) : n, &b->period_to)) {
			lay_error(L, v->line, v->col,
				  "period must be two dates, from/to "
				  "(2025-03-03/2025-03-09), or {from: ..., to: "
				  "...}, not '%s'",
				  v->str);
			return BRIEF_EDATA;
		}
	} else {
		lay_error(L, v->line, v->col,
			  "period must be from/to dates (2025-03-03/2025-03-09) "
			  "or a map {from: ..., to: ...}, not a list");
		return BRIEF_EDATA;
	}
	if (!ok)
		return BRIEF_EDATA;
	if (date_days_end(&b->period_to) < date_days(&b->period_from)) {
		lay_error(L, (to ? to : v)->line, (to ? to : v)->col,
			  "the period ends before it starts");
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}

static bool email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    at[1] == '.' || s[strlen(s) - 1] == '.')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || strchr("<>()[]\\,;:\"", *s))
			return false;
	return true;
}

static char *field_or_empty(const struct ynode *v)
{
	return lay_strdup(v ? v->str : "");
}

static enum brief_status one_contact(struct lay *L, const struct ynode *c,
				     struct brand_contact *out, bool *bad)
{
	static const char *const keys[] = {"name", "role", "email", "phone",
					   NULL};
	const struct ynode *name = ynode_get(c, "name");
	const struct ynode *email = ynode_get(c, "email");

	for (size_t i = 0; i + 1 < c->n; i += 2) {
		const struct ynode *k = &c->kids[i], *v = &c->kids[i + 1];
		size_t j;

		for (j = 0; keys[j] && strcmp(keys[j], k->str); j++)
			;
		if (!keys[j]) {
			lay_error(L, k->line, k->col,
				  "unknown contact key '%s' (name, role, "
				  "email, phone)",
				  k->str);
			*bad = true;
		} else if (v->kind != Y_SCALAR) {
			lay_error(L, v->line, v->col,
				  "contact '%s' must be a single value, not %s",
				  k->str, ynode_kind_name(v->kind));
			*bad = true;
		}
	}
	if (*bad)
		return BRIEF_OK;
	if (!name || !name->str[0]) {
		lay_error(L, c->line, c->col, "a contact needs a 'name'");
		*bad = true;
		return BRIEF_OK;
	}
	if (email && !email_valid(email->str)) {
		lay_error(L, email->line, email->col,
			  "'%s' is not an email address (name@example.org)",
			  email->str);
		*bad = true;
		return BRIEF_OK;
	}
	out->at = lay_at(L, name->line, name->col);
	out->name = field_or_empty(name);
	out->role = field_or_empty(ynode_get(c, "role"));
	out->email = field_or_empty(email);
	out->phone = field_or_empty(ynode_get(c, "phone"));
	if (!out->name || !out->role || !out->email || !out->phone)
		return BRIEF_ENOMEM;
	return BRIEF_OK;
}

/* contacts: a list of {name, role, email, phone}, or one such map. */
static enum brief_status key_contacts(struct lay *L, const struct ynode *v)
{
	struct doc_brand *b = lay_brand(L);
	const struct ynode *list = v;
	size_t n = v->kind == Y_SEQ ? v->n : 1;
	bool bad = false;

	if (v->kind == Y_SCALAR) {
		lay_error(L, v->line, v->col,
			  "contacts is a list of people, each with name, role "
			  "and email (- name: ...)");
		return BRIEF_EDATA;
	}
	b->contacts = calloc(n + 1, sizeof *b->contacts);
	if (!b->contacts)
		return BRIEF_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct ynode *c = v->kind == Y_SEQ ? &list->kids[i] : v;
		bool one_bad = false;
		enum brief_status st;

		if (c->kind != Y_MAP) {
			lay_error(L, c->line, c->col,
				  "a contact is a map with name, role and email");
			bad = true;
			continue;
		}
		st = one_contact(L, c, &b->contacts[b->ncontacts], &one_bad);
		if (st)
			return st;
		if (one_bad)
			bad = true;
		else
			b->ncontacts++;
	}
	return bad ? BRIEF_EDATA : BRIEF_OK;
}

static enum brief_status key_accent(struct lay *L, const struct ynode *v)
{
	struct doc_brand *b = lay_brand(L);

	if (v->kind != Y_SCALAR || !brand_parse_color(v->str, &b->accent)) {
		lay_error(L, v->line, v->col,
			  "accent must be a colour as #rrggbb (accent: "
			  "\"#0b5394\", quoted: YAML reads # as a comment)");
		return BRIEF_EDATA;
	}
	b->has_accent = true;
	return BRIEF_OK;
}

/* colors: {name: "#rrggbb", ...}: fixed colours for series names. */
static enum brief_status key_colors(struct lay *L, const struct ynode *v)
{
	struct doc_brand *b = lay_brand(L);
	bool bad = false;

	if (v->kind != Y_MAP) {
		lay_error(L, v->line, v->col,
			  "colors is a map of names to colours "
			  "(colors: {Government: \"#0b5394\"})");
		return BRIEF_EDATA;
	}
	b->colors = calloc(v->n / 2 + 1, sizeof *b->colors);
	if (!b->colors)
		return BRIEF_ENOMEM;
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *k = &v->kids[i], *c = &v->kids[i + 1];
		struct brand_color *e = &b->colors[b->ncolors];

		if (c->kind != Y_SCALAR || !brand_parse_color(c->str, &e->color)) {
			lay_error(L, c->line, c->col,
				  "the colour of '%s' must be #rrggbb, quoted "
				  "(\"#0b5394\")",
				  k->str);
			bad = true;
			continue;
		}
		e->name = lay_strdup(k->str);
		if (!e->name)
			return BRIEF_ENOMEM;
		b->ncolors++;
	}
	return bad ? BRIEF_EDATA : BRIEF_OK;
}

static enum brief_status key_orientation(struct lay *L, const struct ynode *k,
					 const struct ynode *v)
{
	if (!want_scalar(L, k, v, "portrait or landscape"))
		return BRIEF_EDATA;
	if (strcmp(v->str, "landscape") == 0) {
		lay_brand(L)->landscape = true;
	} else if (strcmp(v->str, "portrait") != 0) {
		lay_error(L, v->line, v->col,
			  "orientation must be portrait or landscape, not '%s'",
			  v->str);
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}

/* The logo's path: relative to the layout's directory. */
static char *logo_path(struct lay *L, const char *given)
{
	const char *slash = strrchr(L->path, '/');
	size_t n = slash && given[0] != '/' ? (size_t)(slash - L->path) + 1 : 0;
	char *p = malloc(n + strlen(given) + 1);

	if (p) {
		memcpy(p, L->path, n);
		strcpy(p + n, given);
	}
	return p;
}

/* Read and decode the logo file; its errors at the logo value. */
static enum brief_status load_logo(struct lay *L, const struct ynode *v,
				   struct diag *err)
{
	struct doc_brand *b = lay_brand(L);
	char msg[DIAG_MSG_MAX - 64];
	unsigned char *buf = NULL;
	size_t len = 0;
	struct stat sb;
	enum brief_status st;
	FILE *f;

	b->at_logo = lay_at(L, v->line, v->col);
	b->logo_path = logo_path(L, v->str);
	if (!b->logo_path)
		return BRIEF_ENOMEM;
	if (stat(b->logo_path, &sb) != 0) {
		lay_error(L, v->line, v->col, "logo '%s': %s", b->logo_path,
			  errno == ENOENT || errno == ENOTDIR
				  ? "no such file (the path is relative to "
				    "the layout)"
				  : strerror(errno));
		return BRIEF_EDATA;
	}
	if (!S_ISREG(sb.st_mode)) {
		lay_error(L, v->line, v->col, "logo '%s' is not a regular file",
			  b->logo_path);
		return BRIEF_EDATA;
	}
	if (sb.st_size > BRAND_LOGO_MAX_BYTES) {
		lay_error(L, v->line, v->col,
			  "logo '%s' is %lld bytes; a logo may have at most "
			  "%ld",
			  b->logo_path, (long long)sb.st_size,
			  BRAND_LOGO_MAX_BYTES);
		return BRIEF_EDATA;
	}
	f = fopen(b->logo_path, "rb");
	if (f) {
		buf = malloc((size_t)sb.st_size + 1);
		len = buf ? fread(buf, 1, (size_t)sb.st_size + 1, f) : 0;
		if (buf && ferror(f)) {
			free(buf);
			buf = NULL;
			errno = EIO;
		}
		fclose(f);
	}
	if (!buf)
		return f && errno != EIO
			       ? BRIEF_ENOMEM
			       : diag_set(err, BRIEF_EIO, b->logo_path, 0, 0,
					  "cannot read the logo: %s",
					  strerror(errno));
	st = brand_image_decode(buf, len, &b->logo, msg, sizeof msg);
	free(buf);
	if (st == BRIEF_EDATA)
		lay_error(L, v->line, v->col, "logo '%s': %s", b->logo_path,
			  msg);
	return st;
}

bool lay_brand_key(const char *key)
{
	static const char *const keys[] = {"number", "series", "period",
					   "next_report", "contacts", "logo",
					   "accent", "colors", "colours",
					   "orientation", NULL};

	for (size_t i = 0; keys[i]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

enum brief_status lay_brand_front(struct lay *L, const struct ynode *k,
				  const struct ynode *v, struct diag *err)
{
	struct doc_brand *b = lay_brand(L);
	const char *key = k->str;

	if (!b)
		return BRIEF_ENOMEM;
	if (strcmp(key, "number") == 0)
		return key_number(L, k, v);
	if (strcmp(key, "series") == 0) {
		if (!want_scalar(L, k, v, "the series' name (Situation report)"))
			return BRIEF_EDATA;
		b->series = lay_strdup(v->str);
		return b->series ? BRIEF_OK : BRIEF_ENOMEM;
	}
	if (strcmp(key, "period") == 0)
		return key_period(L, v);
	if (strcmp(key, "next_report") == 0) {
		b->at_next = lay_at(L, v->line, v->col);
		return parse_date(L, v, "next_report", &b->next_report)
			       ? BRIEF_OK
			       : BRIEF_EDATA;
	}
	if (strcmp(key, "contacts") == 0)
		return key_contacts(L, v);
	if (strcmp(key, "logo") == 0)
		return want_scalar(L, k, v, "the path of a PNG or JPEG file")
			       ? load_logo(L, v, err)
			       : BRIEF_EDATA;
	if (strcmp(key, "accent") == 0)
		return key_accent(L, v);
	if (strcmp(key, "colors") == 0 || strcmp(key, "colours") == 0)
		return key_colors(L, v);
	return key_orientation(L, k, v);
}

enum brief_status lay_brand_paper(struct lay *L, const struct ynode *v,
				  char **dst)
{
	struct doc_brand *b = lay_brand(L);
	const char *name;
	char *canon;

	if (!b)
		return BRIEF_ENOMEM;
	if (!brand_paper(v->str, &name, &b->page_w, &b->page_h, &b->margin)) {
		lay_error(L, v->line, v->col, "paper must be %s, not '%s'",
			  brand_paper_names, v->str);
		return BRIEF_EDATA;
	}
	canon = lay_strdup(name);
	if (!canon)
		return BRIEF_ENOMEM;
	free(*dst);
	*dst = canon;
	return BRIEF_OK;
}

enum brief_status lay_brand_done(struct lay *L)
{
	struct doc_brand *b = lay_brand(L);

	if (!b)
		return BRIEF_ENOMEM;
	if (b->landscape) {
		double w = b->page_w;

		b->page_w = b->page_h;
		b->page_h = w;
	}
	if (b->next_report.year && b->period_to.year &&
	    date_days_end(&b->next_report) <= date_days_end(&b->period_to)) {
		lay_error(L, b->at_next.line, b->at_next.col,
			  "next_report is not after the period this report "
			  "covers");
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}
