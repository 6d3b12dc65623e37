/* test_data_hxl.c — HXL 1.1 hashtags (normalising, fitting, finding the
 * hashtag row, binding columns by tag) and a data directory's
 * vocabulary.yaml, over small directories written to /tmp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "data.h"
#include "data_schema.h"

/* ---- hashtags ---------------------------------------------------------- */

static void assert_norm(const char *in, const char *want)
{
	char out[HXL_TAG_MAX];

	if (hxl_normalise(in, out, sizeof out) != HXL_OK)
		fail_msg("'%s' was refused", in);
	if (strcmp(out, want) != 0)
		fail_msg("'%s' gave '%s', want '%s'", in, out, want);
}

static void assert_not_tag(const char *in)
{
	char out[HXL_TAG_MAX];

	if (hxl_normalise(in, out, sizeof out) != HXL_INVALID)
		fail_msg("'%s' was taken as a hashtag", in);
}

static void test_normalise(void **state)
{
	char out[HXL_TAG_MAX], big[400];

	(void)state;
	assert_norm("#meta+id", "#meta+id");
	assert_norm("#Meta+Id", "#meta+id");      /* case-insensitive */
	assert_norm("#meta +id", "#meta+id");     /* whitespace */
	assert_norm("  #META + ID\t", "#meta+id");
	assert_norm("#affected +max +num", "#affected+max+num");
	assert_norm("#affected+num+max", "#affected+max+num"); /* any order */
	assert_norm("#meta+id+id", "#meta+id");
	assert_norm("#x_risk+i_en", "#x_risk+i_en");
	assert_norm("#adm1+name", "#adm1+name");
	assert_not_tag("meta+id");
	assert_not_tag("#");
	assert_not_tag("#1a");
	assert_not_tag("#a+");
	assert_not_tag("#a+1b");
	assert_not_tag("#a b");
	assert_not_tag("#a++b");
	assert_not_tag("#a-b");
	assert_not_tag("#caf\xC3\xA9");
	assert_not_tag("");
	memset(big, 'a', sizeof big);
	big[0] = '#';
	big[sizeof big - 1] = '\0';
	assert_int_equal(hxl_normalise(big, out, sizeof out), HXL_TOO_LONG);
	assert_int_equal(hxl_normalise("#meta+id", out, 5), HXL_TOO_LONG);
}

static void test_fit(void **state)
{
	(void)state;
	assert_int_equal(hxl_fit("#affected+max+num", "#affected+num"), 1);
	assert_int_equal(hxl_fit("#affected+max+num", "#affected+num+max"), 2);
	assert_int_equal(hxl_fit("#affected+killed", "#affected"), 0);
	assert_int_equal(hxl_fit("#affected", "#affected+num"), -1);
	assert_int_equal(hxl_fit("#affectedx", "#affected"), -1);
	assert_int_equal(hxl_fit("#meta+identity", "#meta+id"), -1);
	assert_int_equal(hxl_fit("#org+reporting", "#org+reporting"), 1);
	/* "-attr": must be absent. */
	assert_int_equal(hxl_fit("#affected+idps", "#affected+idps-max"), 1);
	assert_int_equal(hxl_fit("#affected+idps+max", "#affected+idps-max"), -1);
	assert_int_equal(hxl_fit("#affected+killed", "#affected-max"), 0);
	assert_int_equal(hxl_fit("#affected+maxi", "#affected-max"), 0);
}

static void row_of(struct csv_record *rec, struct csv_field *f,
		   const char *const *texts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		f[i].text = texts[i];
		f[i].len = strlen(texts[i]);
		f[i].line = 1;
		f[i].col = 1;
	}
	memset(rec, 0, sizeof *rec);
	rec->fields = f;
	rec->nfields = n;
}

/* libhxl's rule: at least half of the non-empty cells are hashtags. */
/* The matcher brief import's HXL mappings use (the loader's hxl_fit over
 * normalised tags): any case and spacing, attributes in any order, a
 * pattern's "-attr" excludes. */
static void test_match(void **state)
{
	(void)state;
	assert_true(hxl_match("#affected+killed", "#affected+killed"));
	assert_true(hxl_match("#Affected +Killed", "#affected+killed"));
	assert_true(hxl_match("#affected+f+killed", "#affected+killed"));
	assert_true(hxl_match("#adm1 +name", "#adm1+name"));
	assert_true(hxl_match("#date+start", "#date"));
	assert_true(hxl_match("#affected+idps+ind", "#affected+idps"));
	assert_false(hxl_match("#affected+injured", "#affected+killed"));
	assert_false(hxl_match("#affected+killedx", "#affected+killed"));
	assert_false(hxl_match("#adm1name", "#adm1+name"));
	assert_false(hxl_match("#adm2+name", "#adm1+name"));
	assert_false(hxl_match("adm1", "#adm1"));
	assert_false(hxl_match("", "#date"));
	assert_true(hxl_match("#affected +killed +f", "#affected+f+killed"));
	assert_true(hxl_match("#affected+idps", "#affected+idps-max"));
	assert_false(hxl_match("#affected+idps+max", "#affected+idps-max"));
	assert_false(hxl_match("#affected+", "#affected"));
}

static void test_row_like(void **state)
{
	static const char *const half[] = {"#a", "", "x"};
	static const char *const third[] = {"#a", "x", "y"};
	static const char *const empty[] = {"", " "};
	static const char *const bad[] = {"#1", "#2"};
	static const char *const spaced[] = {" #meta +id", "#date"};
	struct csv_field f[4];
	struct csv_record rec;

	(void)state;
	row_of(&rec, f, half, 3);
	assert_true(hxl_row_like(&rec));
	row_of(&rec, f, third, 3);
	assert_false(hxl_row_like(&rec));
	row_of(&rec, f, empty, 2);
	assert_false(hxl_row_like(&rec));
	row_of(&rec, f, bad, 2);
	assert_false(hxl_row_like(&rec));
	row_of(&rec, f, spaced, 2);
	assert_true(hxl_row_like(&rec));
}

/* ---- a scratch data directory ------------------------------------------ */

static const char base_sources[] =
	"id,title,publisher,author,published,url,accessed,kind,language,"
	"archive,note\n"
	"src-a,Report,Monitor,Jane Roe,2021-03-01,https://example.org/r,"
	"2024-01-10,ngo,en,a.txt,\n"
	"src-b,Statement,Ministry,unknown,unknown,,unknown,official,uk,,\n";
static const char base_casualties[] =
	"id,event,date_from,date_to,party,category,population,value,"
	"value_high,qualifier,reported_by,source,stated_as,note\n"
	"c1,E,2020,,P,killed,all,5,,exact,M,src-a,,\n";
static const char base_displacement[] =
	"id,event,date_from,date_to,group,origin,destination,value,value_high,"
	"qualifier,reported_by,source,stated_as,note\n"
	"d1,E,2020,,G,O,D,1,,exact,M,src-a,,\n";
static const char base_control[] =
	"id,date,area,controller,value,value_high,unit,of,qualifier,"
	"reported_by,source,stated_as,note\n"
	"k1,2020,A,B,10,,km2,,exact,M,src-a,,\n";
static const char base_figures[] =
	"id,date,subject,measure,value,value_high,unit,qualifier,reported_by,"
	"source,stated_as,note\n"
	"f1,2020,S,M,44,,days,exact,M,src-a,,\n";
static const char base_events[] =
	"id,date,kind,title,source\n"
	"e1,2020,military,T,src-a\n";

/* Write a directory: the base files, then (name, text) pairs replacing or
 * adding files. Returns the directory (static storage). */
static const char *scratch(const char *name, const char *text, ...)
{
	static char dir[64];
	static const char *const names[] = {
		"sources.csv", "casualties.csv", "displacement.csv",
		"control.csv", "figures.csv", "events.csv"};
	static const char *const texts[] = {
		base_sources, base_casualties, base_displacement,
		base_control, base_figures, base_events};
	char path[256];
	va_list ap;
	size_t i;
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/brief-test-hxl-XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs(texts[i], f);
		assert_int_equal(fclose(f), 0);
	}
	va_start(ap, text);
	while (name) {
		snprintf(path, sizeof path, "%s/%s", dir, name);
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs(text, f);
		assert_int_equal(fclose(f), 0);
		name = va_arg(ap, const char *);
		if (name)
			text = va_arg(ap, const char *);
	}
	va_end(ap);
	return dir;
}

static void scratch_free(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* What `brief check --data dir` would print, and its status. */
struct checked {
	char *text;
	size_t len;
	enum brief_status st;
	unsigned errors, warnings;
};

static void check_dir(const char *dir, struct checked *c)
{
	FILE *f = open_memstream(&c->text, &c->len);
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct diag err;
	size_t rows;

	assert_non_null(f);
	sink.out = f;
	c->st = data_check_dir(dir, NULL, &sink, &rows, &err);
	fclose(f);
	c->errors = sink.errors;
	c->warnings = sink.warnings;
}

/* The output with the scratch directory's path cut out of each line. */
static void assert_output(const struct checked *c, const char *dir,
			  const char *want)
{
	char *got = malloc(c->len + 1), *o = got;
	const char *p = c->text;
	size_t n = strlen(dir);

	assert_non_null(got);
	while (*p) {
		if (strncmp(p, dir, n) == 0 && p[n] == '/')
			p += n + 1;
		else
			*o++ = *p++;
	}
	*o = '\0';
	if (strcmp(got, want) != 0)
		fail_msg("got:\n%s\nwant:\n%s", got, want);
	free(got);
}

/* A copy of the casualties rows a scan saw. */
struct got {
	size_t n;
	char value[4][32], party[4][32], reported_by[4][32], note[4][64];
	char extra[4][32];
	long line[4];
};

static enum brief_status keep(void *ctx, const struct data_row *row,
			      struct diag *err)
{
	struct got *g = ctx;

	(void)err;
	assert_true(g->n < 4);
	snprintf(g->value[g->n], 32, "%s", data_row_get(row, "value"));
	snprintf(g->party[g->n], 32, "%s", data_row_get(row, "party"));
	snprintf(g->reported_by[g->n], 32, "%s", row->reported_by);
	snprintf(g->note[g->n], 64, "%s", data_row_get(row, "note"));
	snprintf(g->extra[g->n], 32, "%s", data_row_get(row, "Remarks 2"));
	g->line[g->n] = row->line;
	g->n++;
	return BRIEF_OK;
}

/* An HDX-style file: its own header names, a title row above them,
 * standard HXL tags in any case, spacing and order. It loads by tag. */
static const char hdx_casualties[] =
	"Casualties reported in the northern districts,,,,,,,,,,,,,,\n"
	"Incident ID,Incident,Start,End,Actor,Type,Population,Killed,"
	"Killed (high),Precision,Reporting organisation,Source,As stated,"
	"Remarks,Remarks 2\n"
	"#Meta +ID,#event+name,#date +start,#date+end,#group+name,"
	"#meta+category,#meta+population,#affected +killed,"
	"#affected+max+killed,#meta+qualifier,#org+reporting,#meta+source,"
	"#meta+stated,#description,\n"
	"h1,Siege,2021-02,,Militia A,killed,civilian,120,150,range,"
	"Monitor B,src-a,,First note,x\n"
	"h2,Siege,2021-03,,Militia A,killed,civilian,0,,exact,Monitor B,"
	"src-b,,,y\n";

static void test_load_by_hashtag(void **state)
{
	const char *dir = scratch("casualties.csv", hdx_casualties, NULL);
	struct sources s;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct got g;
	struct checked c;

	(void)state;
	memset(&g, 0, sizeof g);
	assert_int_equal(sources_load(dir, &s, &sink, &err), BRIEF_OK);
	assert_int_equal(data_scan(dir, DS_CASUALTIES, &s, keep, &g, &sink,
				   &err),
			 BRIEF_OK);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(sink.warnings, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.value[0], "120");
	assert_string_equal(g.party[0], "Militia A");
	assert_string_equal(g.reported_by[0], "Monitor B");
	assert_string_equal(g.note[0], "First note");
	assert_string_equal(g.extra[0], "x"); /* an extra column keeps its name */
	assert_int_equal(g.line[0], 4);
	assert_string_equal(g.value[1], "0");
	sources_free(&s);
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_OK);
	assert_output(&c, dir, "");
	free(c.text);
	scratch_free(dir);
}

/* A file that starts with its hashtag row names columns by tag. */
static void test_tags_only(void **state)
{
	static const char ev[] =
		"#meta+id,#date,#event+type,#event+name,#meta+source,#x_extra\n"
		"e1,2020-01,diplomatic,Talks,src-a,q\n";
	const char *dir = scratch("events.csv", ev, NULL);
	struct checked c;

	(void)state;
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_OK);
	assert_output(&c, dir, "");
	free(c.text);
	scratch_free(dir);
}

/* The hashtag row is looked for among the first 25 records; a later one
 * is data. */
static void test_row_25(void **state)
{
	char text[4096];
	size_t o = 0;
	int i;
	const char *dir;
	struct checked c;

	(void)state;
	for (i = 0; i < 23; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "title %d\n", i);
	o += (size_t)snprintf(text + o, sizeof text - o,
			      "Id,When,What,Label,From\n"
			      "#meta+id,#date,#meta+kind,#event+title,"
			      "#meta+source\n"
			      "e1,2020,war,T,src-a\n");
	dir = scratch("events.csv", text, NULL);
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_OK);
	free(c.text);
	scratch_free(dir);
	/* One more title line: the tags are record 26, a data row. */
	memmove(text + 8, text, strlen(text) + 1);
	memcpy(text, "title x\n", 8);
	dir = scratch("events.csv", text, NULL);
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_EDATA);
	assert_non_null(strstr(c.text, "events.csv:1:1: error: missing "
				       "required column 'id'\n"));
	free(c.text);
	scratch_free(dir);
}

/* A column named as brief names it but tagged otherwise: warned about,
 * read by its name. Standard aliases raise nothing. */
static void test_tag_warnings(void **state)
{
	static const char ev[] =
		"id,date,kind,title,source\n"
		"#meta+id,#date+occurred,#event+type,#Affected,#meta+source\n"
		"e1,2020,war,T,src-a\n";
	static const char cas[] =
		"id,event,date_from,date_to,party,category,population,value,"
		"value_high,qualifier,reported_by,source,stated_as,note\n"
		"#meta+id,#crisis+name,#date+start,#date+end,#group,"
		"#meta+category,#meta+population,#affected+killed,"
		"#affected+max,#meta+qualifier,#org+reporting,#meta+source,"
		"#meta+stated,#description\n"
		"c1,E,2020,,P,killed,all,5,,exact,M,src-a,,\n";
	const char *dir = scratch("events.csv", ev, "casualties.csv", cas,
				  NULL);
	struct checked c;

	(void)state;
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_OK);
	assert_int_equal(c.warnings, 1);
	assert_output(&c, dir,
		      "events.csv:2:37: warning: HXL tag '#affected' does not "
		      "fit column 'title' (brief's tag is #event+title); the "
		      "column is read by its name\n"
		      "    #meta+id,#date+occurred,#event+type,#Affected,"
		      "#meta+source\n"
		      "                                        ^\n");
	free(c.text);
	scratch_free(dir);
}

static void test_tag_errors(void **state)
{
	static const char ev[] =
		"id,date,kind,title,source\n"
		"#meta+id,#date,#meta+kind,#event+title,#meta+source,#extra\n"
		"e1,2020,war,T,src-a\n";
	static const char tie[] =
		"id,date,kind,Title,source\n"
		"#meta+id,#date,#meta+kind,#event+name+title,#meta+source\n"
		"e1,2020,war,T,src-a\n";
	const char *dir = scratch("events.csv", ev, NULL);
	struct checked c;

	(void)state;
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_EDATA);
	assert_output(&c, dir,
		      "events.csv:2:53: error: hashtag '#extra' has no column "
		      "in the header row\n"
		      "    #meta+id,#date,#meta+kind,#event+title,#meta+source,"
		      "#extra\n"
		      "                                                        "
		      "^\n");
	free(c.text);
	scratch_free(dir);
	/* "#event+name+title" fits title by brief's tag (1 attribute) and
	 * by the alias #event+name (1): brief's own wins, no warning. */
	dir = scratch("events.csv", tie, NULL);
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_OK);
	assert_output(&c, dir, "");
	free(c.text);
	scratch_free(dir);
}

/* ---- vocabulary.yaml -------------------------------------------------- */

static void vocab_case(const char *yaml, const char *want)
{
	const char *dir = scratch(VOCAB_FILE, yaml, NULL);
	struct checked c;

	check_dir(dir, &c);
	assert_int_equal(c.st, want[0] ? BRIEF_EDATA : BRIEF_OK);
	assert_output(&c, dir, want);
	free(c.text);
	scratch_free(dir);
}

static void test_vocab_valid(void **state)
{
	static const char cas[] =
		"id,event,date_from,date_to,party,category,population,value,"
		"value_high,qualifier,reported_by,source,stated_as,note\n"
		"c1,E,2020,,P,abducted,combatant,5,,exact,M,src-a,,\n"
		"c2,E,2020,,P,killed,civilian,5,,exact,M,src-a,,\n";
	static const char src[] =
		"id,title,publisher,author,published,url,accessed,kind,"
		"language,archive,note\n"
		"src-a,R,M,J,2021,,unknown,radio,en,,\n"
		"src-b,S,M,J,2021,,unknown,official,en,,\n";
	static const char ctl[] =
		"id,date,area,controller,value,value_high,unit,of,qualifier,"
		"reported_by,source,stated_as,note\n"
		"k1,2020,A,B,10,,ha,,exact,M,src-a,,\n";
	static const char voc[] =
		"# words of this conflict's data\n"
		"casualties:\n"
		"  category:\n"
		"    extend: [abducted]\n"
		"  population:\n"
		"    replace: [civilian, combatant, all]\n"
		"sources:\n"
		"  kind: {extend: [radio]}\n"
		"control:\n"
		"  unit:\n"
		"    extend:\n"
		"      - ha\n"
		"events:\n"
		"  kind:\n"
		"    replace: [military, \"humanitarian aid\"]\n";
	const char *dir = scratch("casualties.csv", cas, "sources.csv", src,
				  "control.csv", ctl, VOCAB_FILE, voc, NULL);
	struct checked c;
	struct sources s;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	char path[128];

	(void)state;
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_OK);
	assert_output(&c, dir, "");
	free(c.text);
	/* The build side reads the same file, and says where it is. */
	assert_int_equal(sources_load(dir, &s, &sink, &err), BRIEF_OK);
	snprintf(path, sizeof path, "%s/" VOCAB_FILE, dir);
	assert_string_equal(sources_vocabulary(&s), path);
	sources_free(&s);
	scratch_free(dir);
	/* An empty file (comments only) declares nothing. */
	vocab_case("# nothing yet\n", "");
	vocab_case("", "");
}

static void test_vocab_rows(void **state)
{
	static const char voc[] =
		"events:\n  kind:\n    replace: [military, diplomatic]\n"
		"casualties:\n  population:\n    replace: [civilian, all]\n";
	const char *dir = scratch(VOCAB_FILE, voc, "events.csv",
				  "id,date,kind,title,source\n"
				  "e1,2020,war,T,src-a\n",
				  "casualties.csv",
				  "id,event,date_from,date_to,party,category,"
				  "population,value,value_high,qualifier,"
				  "reported_by,source,stated_as,note\n"
				  "c1,E,2020,,P,killed,military,5,,exact,M,"
				  "src-a,,\n",
				  NULL);
	struct checked c;

	(void)state;
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_EDATA);
	assert_output(&c, dir,
		      "casualties.csv:2:21: error: unknown population "
		      "'military' (expected one of: civilian, all; from "
		      "vocabulary.yaml)\n"
		      "    c1,E,2020,,P,killed,military,5,,exact,M,src-a,,\n"
		      "                        ^\n"
		      "events.csv:2:9: error: unknown kind 'war' (expected one "
		      "of: military, diplomatic; from vocabulary.yaml)\n"
		      "    e1,2020,war,T,src-a\n"
		      "            ^\n");
	free(c.text);
	scratch_free(dir);
}

static void test_vocab_errors(void **state)
{
	(void)state;
	vocab_case("casualtes:\n  category:\n    extend: [x]\n",
		   "vocabulary.yaml:1:1: error: unknown dataset 'casualtes' "
		   "(expected sources, casualties, displacement, control, "
		   "figures or events)\n");
	vocab_case("casualties:\n  categroy:\n    extend: [x]\n",
		   "vocabulary.yaml:2:3: error: casualties has no column "
		   "'categroy'\n");
	vocab_case("casualties:\n  party:\n    replace: [A, B]\n",
		   "vocabulary.yaml:2:3: error: casualties.party is not a "
		   "vocabulary column (only columns with a list of words can "
		   "be declared here)\n");
	vocab_case("figures:\n  qualifier:\n    extend: [roughly]\n",
		   "vocabulary.yaml:2:3: error: figures.qualifier is brief's "
		   "own vocabulary: it words each figure from it (\"about\", "
		   "\"at least\"), so its words cannot be changed\n");
	vocab_case("casualties:\n  category:\n    extend: [abducted, "
		   "abducted]\n",
		   "vocabulary.yaml:3:24: error: 'abducted' is listed twice "
		   "for casualties.category\n");
	vocab_case("casualties:\n  category:\n    extend: [killed]\n",
		   "vocabulary.yaml:3:14: error: 'killed' is already one of "
		   "brief's words for casualties.category\n");
	vocab_case("events:\n  kind:\n    extend: [military]\n",
		   "vocabulary.yaml:3:5: error: events.kind accepts any text "
		   "until a list is declared: use 'replace' to give its "
		   "words\n");
	vocab_case("events:\n  kind:\n    replace: []\n",
		   "vocabulary.yaml:3:14: error: 'replace' needs at least one "
		   "word for events.kind\n");
	vocab_case("events:\n  kind: [a, b]\n",
		   "vocabulary.yaml:2:9: error: expected 'extend: [words]' or "
		   "'replace: [words]' for events.kind\n");
	vocab_case("events:\n  kind:\n    replace: [a, ' b']\n",
		   "vocabulary.yaml:3:18: error: word ' b' has a leading or "
		   "trailing space (no field could match it)\n");
	vocab_case("events:\n  kind:\n    replace: [a, \"\\u0007\"]\n",
		   "vocabulary.yaml:3:18: error: control character in word "
		   "'\a'\n");
	vocab_case("events:\n  kind:\n    replace: [a, \"\"]\n",
		   "vocabulary.yaml:3:18: error: empty word\n");
	vocab_case("events:\n  kind:\n    replace: [a\n",
		   "vocabulary.yaml:4:1: error: YAML: did not find expected ',' "
		   "or ']' (while parsing a flow sequence at line 3, column "
		   "14)\n");
	vocab_case("events:\n  kind:\n    replace: [a, \xC3(]\n",
		   "vocabulary.yaml:3:19: error: YAML: invalid trailing UTF-8 "
		   "octet\n");
	/* The file's structure is read first: an alias stops it there. */
	vocab_case("x: &w [a]\nevents:\n  kind:\n    replace: *w\n",
		   "vocabulary.yaml:4:14: error: YAML aliases (*name) are not "
		   "supported in a vocabulary file: write the words out\n");
	vocab_case("events:\n  kind:\n    replace: [a]\n"
		   "events:\n  kind:\n    replace: [b]\n",
		   "vocabulary.yaml:4:1: error: dataset 'events' appears "
		   "twice\n");
	vocab_case("- a\n- b\n",
		   "vocabulary.yaml:1:1: error: expected a mapping of dataset "
		   "names (casualties:, events:, ...)\n");
	vocab_case("a: 1\n---\nb: 2\n",
		   "vocabulary.yaml:3:1: error: a vocabulary file holds one "
		   "YAML document\n");
}

/* A broken vocabulary file switches the checks it could change off (no
 * flood of "unknown" words), and the build refuses the directory. */
static void test_vocab_broken(void **state)
{
	const char *dir = scratch(VOCAB_FILE, "events: [\n", "events.csv",
				  "id,date,kind,title,source\n"
				  "e1,2020,anything,T,src-a\n",
				  NULL);
	struct checked c;
	struct sources s;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};

	(void)state;
	check_dir(dir, &c);
	assert_int_equal(c.st, BRIEF_EDATA);
	assert_int_equal(c.errors, 1);
	free(c.text);
	assert_int_equal(sources_load(dir, &s, &sink, &err), BRIEF_EDATA);
	assert_int_equal(sink.errors, 1);
	sources_free(&s);
	scratch_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_row_like),
		cmocka_unit_test(test_load_by_hashtag),
		cmocka_unit_test(test_tags_only),
		cmocka_unit_test(test_row_25),
		cmocka_unit_test(test_tag_warnings),
		cmocka_unit_test(test_tag_errors),
		cmocka_unit_test(test_vocab_valid),
		cmocka_unit_test(test_vocab_rows),
		cmocka_unit_test(test_vocab_errors),
		cmocka_unit_test(test_vocab_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
