/* fontset.c — the document's fonts (FreeType faces named in fonts.conf),
 * per-character fallback by glyph coverage, and the one width function. */
#include "fontset.h"
#include "infile.h"
#include "shape.h"

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#define FONTSET_MAX_FACES 16
#define FONTSET_PATH_MAX 1024

enum face_role {
	ROLE_REGULAR,
	ROLE_BOLD,
	ROLE_ITALIC,
	ROLE_BOLD_ITALIC,
	ROLE_FALLBACK_REGULAR,
	ROLE_FALLBACK_BOLD
};

struct fontset_face {
	FT_Face ft;
	cairo_font_face_t *cairo; /* one reference owned by the fontset */
	char *path;
	enum face_role role;
	double upem;
	/* ASCII advances in font units (-1: no glyph), so the common case of
	 * measuring costs a table look-up, not a FreeType call. */
	long ascii_adv[128];
};

/* Faces 0..3 are the main styles (always present); fallbacks follow in
 * file order. */
/* The FreeType library, shared by the fontset and every face cairo may
 * still hold: freed when the last of them lets go. */
struct ft_lib {
	FT_Library lib;
	int refs;
};

/* What cairo's font face owns (its user data). */
struct ft_owned {
	FT_Face face;
	struct ft_lib *lib;
};

struct fontset {
	struct ft_lib *lib;
	struct fontset_face face[FONTSET_MAX_FACES];
	int nfaces;
	struct shaper *sh; /* over the faces; measures and shapes all text */
};

static const cairo_user_data_key_t face_key;

static void lib_release(struct ft_lib *l)
{
	if (l && --l->refs == 0) {
		FT_Done_FreeType(l->lib);
		free(l);
	}
}

/* cairo owns the last reference to an FT_Face: it may keep a scaled font
 * in its cache after we drop ours, and its cache is keyed by the FT_Face
 * pointer. So the face (and its hold on the library) is released only
 * when cairo destroys the font face. */
static void face_release(void *data)
{
	struct ft_owned *o = data;

	FT_Done_Face(o->face);
	lib_release(o->lib);
	free(o);
}

static const char *role_names[] = {
	"regular", "bold", "italic", "bolditalic", "fallback-regular",
	"fallback-bold"
};

static bool parse_role(const char *s, enum face_role *out)
{
	for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum face_role)i;
			return true;
		}
	}
	return false;
}

/* Whether every table the sfnt directory of path lists lies inside the
 * file: FreeType opens a font cut short (it reads tables lazily) that the
 * subsetter then cannot read. A TrueType collection, or a file too short
 * for its directory, is left to FreeType. */
static bool sfnt_tables_inside(const char *path)
{
	unsigned char h[12 + 16 * 64];
	FILE *fp = fopen(path, "rb");
	long size;
	size_t n, k, ntables;
	bool ok = true;

	if (!fp)
		return true; /* FreeType says why */
	n = fread(h, 1, sizeof h, fp);
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || n < 12 ||
	    memcmp(h, "ttcf", 4) == 0) {
		fclose(fp);
		return true;
	}
	fclose(fp);
	ntables = (size_t)h[4] << 8 | h[5];
	for (k = 0; k < ntables && 12 + 16 * (k + 1) <= n; k++) {
		const unsigned char *e = h + 12 + 16 * k;
		unsigned long off = (unsigned long)e[8] << 24 | e[9] << 16 |
				    e[10] << 8 | e[11];
		unsigned long len = (unsigned long)e[12] << 24 | e[13] << 16 |
				    e[14] << 8 | e[15];

		if (off > (unsigned long)size || len > (unsigned long)size - off)
			ok = false;
	}
	return ok;
}

static enum brief_status face_load(struct fontset *fs, struct fontset_face *f,
				   const char *path, const char *conf,
				   long line, struct diag *err)
{
	FT_Face ft;
	struct ft_owned *o;
	struct diag why;
	enum brief_status st = infile_check(path, &why);
	FT_Error fe;

	if (st != BRIEF_OK) /* FreeType would wait on a FIFO */
		return diag_set(err, st, conf, line, 0,
				"cannot load font '%s': %s", path, why.msg);
	fe = FT_New_Face(fs->lib->lib, path, 0, &ft);
	if (fe == FT_Err_Out_Of_Memory)
		return diag_set(err, BRIEF_ENOMEM, conf, line, 0,
				"out of memory loading '%s'", path);
	if (fe == FT_Err_Cannot_Open_Resource)
		return diag_set(err, BRIEF_EIO, conf, line, 0,
				"cannot load font '%s': cannot read it", path);
	if (fe != 0) /* the file is there: what is in it is wrong */
		return diag_set(err, BRIEF_EDATA, conf, line, 0,
				"cannot load font '%s': %s (FreeType error "
				"0x%02X)", path,
				fe == FT_Err_Unknown_File_Format
					? "not a font file"
					: "a damaged or truncated font",
				(unsigned)fe);
	if (!sfnt_tables_inside(path)) {
		FT_Done_Face(ft);
		return diag_set(err, BRIEF_EDATA, conf, line, 0,
				"cannot load font '%s': a damaged or truncated "
				"font (its tables run past the end of the file)",
				path);
	}
	if (!FT_IS_SCALABLE(ft) || ft->units_per_EM == 0) {
		FT_Done_Face(ft);
		return diag_set(err, BRIEF_EDATA, conf, line, 0,
				"font '%s' is not a scalable font", path);
	}
	o = malloc(sizeof *o);
	if (!o) {
		FT_Done_Face(ft);
		return diag_set(err, BRIEF_ENOMEM, conf, line, 0,
				"out of memory loading '%s'", path);
	}
	o->face = ft;
	o->lib = fs->lib;
	f->cairo = cairo_ft_font_face_create_for_ft_face(ft, FT_LOAD_NO_HINTING);
	if (cairo_font_face_set_user_data(f->cairo, &face_key, o,
					  face_release) != CAIRO_STATUS_SUCCESS) {
		cairo_font_face_destroy(f->cairo);
		f->cairo = NULL;
		FT_Done_Face(ft);
		free(o);
		return diag_set(err, BRIEF_ENOMEM, conf, line, 0,
				"out of memory loading '%s'", path);
	}
	fs->lib->refs++;
	f->ft = ft;
	f->upem = ft->units_per_EM;
	f->path = strdup(path);
	if (!f->path)
		return diag_set(err, BRIEF_ENOMEM, conf, line, 0,
				"out of memory");
	for (unsigned c = 0; c < 128; c++) {
		FT_UInt g = FT_Get_Char_Index(ft, c);
		FT_Fixed adv = 0;

		if (g == 0 ||
		    FT_Get_Advance(ft, g, FT_LOAD_NO_SCALE, &adv) != 0)
			f->ascii_adv[c] = -1;
		else
			f->ascii_adv[c] = (long)adv;
	}
	return BRIEF_OK;
}

enum brief_status fontset_open(const char *dir, struct fontset **out,
			       struct diag *err)
{
	char conf[FONTSET_PATH_MAX], path[FONTSET_PATH_MAX], buf[512];
	struct fontset *fs = NULL;
	FILE *fp = NULL;
	enum brief_status st = BRIEF_OK;
	bool have[4] = { false, false, false, false };
	long line = 0;

	*out = NULL;
	snprintf(conf, sizeof conf, "%s/fonts.conf", dir);
	st = infile_fopen(conf, &fp, err);
	if (st != BRIEF_OK)
		return st;
	fs = calloc(1, sizeof *fs);
	if (!fs) {
		st = diag_set(err, BRIEF_ENOMEM, conf, 0, 0, "out of memory");
		goto out;
	}
	fs->lib = calloc(1, sizeof *fs->lib);
	if (!fs->lib || FT_Init_FreeType(&fs->lib->lib) != 0) {
		free(fs->lib);
		fs->lib = NULL;
		st = diag_set(err, BRIEF_ENOMEM, conf, 0, 0,
			      "out of memory initialising FreeType");
		goto out;
	}
	fs->lib->refs = 1;
	fs->nfaces = 4; /* main styles first, fallbacks appended */
	while (fgets(buf, sizeof buf, fp)) {
		char role[64], file[400];
		enum face_role r;
		struct fontset_face *f;

		line++;
		if (buf[0] == '#' || buf[0] == '\n' || buf[0] == '\0')
			continue;
		if (sscanf(buf, "%63s %399s", role, file) != 2 ||
		    !parse_role(role, &r)) {
			st = diag_set(err, BRIEF_EDATA, conf, line, 1,
				      "expected '<role> <file>' with role "
				      "regular, bold, italic, bolditalic, "
				      "fallback-regular or fallback-bold");
			goto out;
		}
		if (r <= ROLE_BOLD_ITALIC) {
			if (have[r]) {
				st = diag_set(err, BRIEF_EDATA, conf, line, 1,
					      "role '%s' given twice", role);
				goto out;
			}
			have[r] = true;
			f = &fs->face[r];
		} else {
			if (fs->nfaces >= FONTSET_MAX_FACES) {
				st = diag_set(err, BRIEF_EDATA, conf, line, 1,
					      "too many fonts (at most %d)",
					      FONTSET_MAX_FACES);
				goto out;
			}
			f = &fs->face[fs->nfaces++];
		}
		f->role = r;
		snprintf(path, sizeof path, "%s/%s", dir, file);
		st = face_load(fs, f, path, conf, line, err);
		if (st != BRIEF_OK)
			goto out;
	}
	for (int i = 0; i < 4; i++) {
		if (!have[i]) {
			st = diag_set(err, BRIEF_EDATA, conf, 0, 0,
				      "no '%s' font given", role_names[i]);
			goto out;
		}
	}
	st = shaper_new(fs, &fs->sh, err);
	if (st != BRIEF_OK)
		goto out;
	/* A measurement knob (make bench): every run shaped whole. */
	if (getenv("BRIEF_SHAPE_CACHE") && strcmp(getenv("BRIEF_SHAPE_CACHE"),
						  "0") == 0)
		shaper_set_cache(fs->sh, false);
	*out = fs;
	fs = NULL;
out:
	if (fp)
		fclose(fp);
	fontset_free(fs);
	return st;
}

void fontset_free(struct fontset *fs)
{
	if (!fs)
		return;
	shaper_free(fs->sh);
	for (int i = 0; i < FONTSET_MAX_FACES; i++) {
		struct fontset_face *f = &fs->face[i];

		if (f->cairo)
			cairo_font_face_destroy(f->cairo);
		else if (f->ft)
			FT_Done_Face(f->ft);
		free(f->path);
	}
	/* Drops our reference; faces cairo still caches keep theirs. */
	lib_release(fs->lib);
	free(fs);
}

int fontset_face_count(const struct fontset *fs)
{
	return fs ? fs->nfaces : 0;
}

const char *fontset_face_path(const struct fontset *fs, int face)
{
	if (!fs || face < 0 || face >= fs->nfaces)
		return NULL;
	return fs->face[face].path;
}

void *fontset_cairo_face(const struct fontset *fs, int face)
{
	if (!fs || face < 0 || face >= fs->nfaces)
		return NULL;
	return fs->face[face].cairo;
}

static bool face_has(const struct fontset_face *f, uint32_t cp)
{
	if (cp < 128)
		return f->ascii_adv[cp] >= 0;
	return FT_Get_Char_Index(f->ft, cp) != 0;
}

/* The face that draws cp in style: the style's own face, then fallbacks
 * of the same weight (italics fall back to upright), then -1. */
static int face_for(const struct fontset *fs, enum font_style style,
		    uint32_t cp)
{
	enum face_role want;

	if (face_has(&fs->face[style], cp))
		return (int)style;
	want = (style == FONT_BOLD || style == FONT_BOLD_ITALIC)
		       ? ROLE_FALLBACK_BOLD
		       : ROLE_FALLBACK_REGULAR;
	for (int i = 4; i < fs->nfaces; i++)
		if (fs->face[i].role == want && face_has(&fs->face[i], cp))
			return i;
	for (int i = 4; i < fs->nfaces; i++)
		if (face_has(&fs->face[i], cp))
			return i;
	return -1;
}

int fontset_face_for(const struct fontset *fs, enum font_style style,
		     unsigned long cp)
{
	if (!fs || cp > 0x10FFFF)
		return -1;
	if ((unsigned)style > FONT_BOLD_ITALIC)
		style = FONT_REGULAR;
	return face_for(fs, style, (uint32_t)cp);
}

int fontset_faces_tried(const struct fontset *fs, enum font_style style,
			int *faces, int max)
{
	enum face_role want;
	int n = 0;

	if ((unsigned)style > FONT_BOLD_ITALIC)
		style = FONT_REGULAR;
	want = (style == FONT_BOLD || style == FONT_BOLD_ITALIC)
		       ? ROLE_FALLBACK_BOLD
		       : ROLE_FALLBACK_REGULAR;
	if (n < max)
		faces[n++] = (int)style;
	for (int i = 4; i < fs->nfaces && n < max; i++)
		if (fs->face[i].role == want)
			faces[n++] = i;
	for (int i = 4; i < fs->nfaces && n < max; i++)
		if (fs->face[i].role != want)
			faces[n++] = i;
	return n;
}

static const char replacement[] = "\xEF\xBF\xBD";

int fontset_each_run(const struct fontset *fs, enum font_style style,
		     const char *s, size_t len, font_run_fn fn, void *ctx,
		     size_t *missing)
{
	size_t i = 0, start = 0;
	int cur = -2, rc;

	if (!fs || !s)
		return 0;
	if ((unsigned)style > FONT_BOLD_ITALIC)
		style = FONT_REGULAR;
	while (i < len) {
		uint32_t cp;
		size_t n = fontset_utf8_next(s + i, len - i, &cp);
		int f = cp == 0xFFFD && n == 1 ? -1 : face_for(fs, style, cp);

		if (f < 0) {
			/* Close the current run, then draw U+FFFD alone. */
			int rf = face_for(fs, style, 0xFFFD);

			if (cur >= 0 && i > start) {
				rc = fn(ctx, cur, s + start, i - start);
				if (rc)
					return rc;
			}
			if (missing)
				(*missing)++;
			if (rf >= 0) {
				rc = fn(ctx, rf, replacement,
					sizeof replacement - 1);
				if (rc)
					return rc;
			}
			cur = -2;
			i += n;
			start = i;
			continue;
		}
		if (f != cur) {
			if (cur >= 0 && i > start) {
				rc = fn(ctx, cur, s + start, i - start);
				if (rc)
					return rc;
			}
			cur = f;
			start = i;
		}
		i += n;
	}
	if (cur >= 0 && i > start)
		return fn(ctx, cur, s + start, i - start);
	return 0;
}

struct width_ctx {
	const struct fontset *fs;
	double units; /* sum of advance / upem */
};

static int width_run(void *ctx, int face, const char *s, size_t len)
{
	struct width_ctx *w = ctx;
	const struct fontset_face *f = &w->fs->face[face];
	long sum = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += fontset_utf8_next(s + i, len - i, &cp);
		if (cp < 128 && f->ascii_adv[cp] >= 0) {
			sum += f->ascii_adv[cp];
		} else {
			FT_UInt g = FT_Get_Char_Index(f->ft, cp);
			FT_Fixed adv = 0;

			if (FT_Get_Advance(f->ft, g, FT_LOAD_NO_SCALE, &adv) == 0)
				sum += (long)adv;
		}
	}
	w->units += (double)sum / f->upem;
	return 0;
}

size_t fontset_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	int k = u8_mbtoucr(cp, (const uint8_t *)s, n);

	if (k > 0)
		return (size_t)k;
	*cp = 0xFFFD;
	return 1;
}

double fontset_text_width(const struct fontset *fs, enum font_style style,
			  const char *s, size_t len, double size)
{
	if (!fs || !s)
		return 0;
	return shape_text_width(fs->sh, style, NULL, s, len, size);
}

struct shaper *fontset_shaper(const struct fontset *fs)
{
	return fs ? fs->sh : NULL;
}

double fontset_advance_width(const struct fontset *fs, enum font_style style,
			     const char *s, size_t len, double size)
{
	struct width_ctx w = { fs, 0 };

	if (!fs || !s)
		return 0;
	fontset_each_run(fs, style, s, len, width_run, &w, NULL);
	return w.units * size;
}

double fontset_ascent(const struct fontset *fs, enum font_style style,
		      double size)
{
	const struct fontset_face *f;

	if (!fs)
		return 0;
	f = &fs->face[(unsigned)style <= FONT_BOLD_ITALIC ? style : 0];
	return f->ft->ascender / f->upem * size;
}

double fontset_descent(const struct fontset *fs, enum font_style style,
		       double size)
{
	const struct fontset_face *f;

	if (!fs)
		return 0;
	f = &fs->face[(unsigned)style <= FONT_BOLD_ITALIC ? style : 0];
	return -f->ft->descender / f->upem * size;
}

unsigned long fontset_first_missing(const struct fontset *fs,
				    enum font_style style, const char *s,
				    size_t len)
{

	if (!fs || !s)
		return 0;
	if ((unsigned)style > FONT_BOLD_ITALIC)
		style = FONT_REGULAR;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = fontset_utf8_next(s + i, len - i, &cp);

		if ((cp == 0xFFFD && n == 1) || face_for(fs, style, cp) < 0)
			return cp;
		i += n;
	}
	return 0;
}
