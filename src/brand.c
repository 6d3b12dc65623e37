/* brand.c — paper sizes, colours and their contrast, and logo decoding
 * (PNG through libpng's simplified API, JPEG through libjpeg, both with
 * their errors returned, never abort()ed): see brand.h. */
#include "brand.h"

#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jpeglib.h>

#include "l10n.h"

/* ---- the doc's brand ---- */

struct doc_brand *brand_new(void)
{
	struct doc_brand *b = calloc(1, sizeof *b);
	const char *name;

	if (b)
		brand_paper("A4", &name, &b->page_w, &b->page_h, &b->margin);
	return b;
}

void brand_free(struct doc_brand *b)
{
	if (!b)
		return;
	free(b->series);
	for (size_t i = 0; i < b->ncontacts; i++) {
		free(b->contacts[i].name);
		free(b->contacts[i].role);
		free(b->contacts[i].email);
		free(b->contacts[i].phone);
	}
	free(b->contacts);
	brand_image_free(b->logo);
	free(b->logo_path);
	for (size_t i = 0; i < b->ncolors; i++)
		free(b->colors[i].name);
	free(b->colors);
	free(b);
}

/* ---- paper ---- */

/* ISO 216 sizes (mm converted at 72/25.4) and the US ones; the margin
 * grows with the page so that a line stays readable. */
static const struct {
	const char *name;
	double w, h, margin;
} papers[] = {
	{"A3", 841.89, 1190.55, 64},
	{"A4", 595.276, 841.89, 56},
	{"A5", 419.528, 595.276, 42},
	{"letter", 612, 792, 56},
	{"legal", 612, 1008, 56},
};

const char brand_paper_names[] = "A3, A4, A5, letter or legal";

bool brand_paper(const char *name, const char **canonical, double *w,
		 double *h, double *margin)
{
	for (size_t i = 0; i < sizeof papers / sizeof *papers; i++)
		if (strcasecmp(name, papers[i].name) == 0) {
			*canonical = papers[i].name;
			*w = papers[i].w;
			*h = papers[i].h;
			*margin = papers[i].margin;
			return true;
		}
	return false;
}

/* ---- colours ---- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool brand_parse_color(const char *s, struct rgba *out)
{
	size_t n = strlen(s);
	int v[6];

	if (s[0] != '#' || (n != 7 && n != 4))
		return false;
	for (size_t i = 1; i < n; i++)
		if ((v[i - 1] = hex_digit(s[i])) < 0)
			return false;
	if (n == 4) { /* #05a is #0055aa */
		out->r = v[0] * 17 / 255.0;
		out->g = v[1] * 17 / 255.0;
		out->b = v[2] * 17 / 255.0;
	} else {
		out->r = (v[0] * 16 + v[1]) / 255.0;
		out->g = (v[2] * 16 + v[3]) / 255.0;
		out->b = (v[4] * 16 + v[5]) / 255.0;
	}
	out->a = 1;
	return true;
}

static double linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(struct rgba c)
{
	return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) +
	       0.0722 * linear(c.b);
}

double brand_contrast(struct rgba a, struct rgba b)
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* CIELAB of an sRGB colour (D65 white). */
static void lab(struct rgba c, double out[3])
{
	double r = linear(c.r), g = linear(c.g), b = linear(c.b);
	double xyz[3] = {
		(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
		0.2126 * r + 0.7152 * g + 0.0722 * b,
		(0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
	};

	for (int i = 0; i < 3; i++)
		xyz[i] = xyz[i] > 216.0 / 24389 ? cbrt(xyz[i])
						: (24389.0 / 27 * xyz[i] + 16) / 116;
	out[0] = 116 * xyz[1] - 16;
	out[1] = 500 * (xyz[0] - xyz[1]);
	out[2] = 200 * (xyz[1] - xyz[2]);
}

double brand_delta_e(struct rgba a, struct rgba b)
{
	double x[3], y[3];

	lab(a, x);
	lab(b, y);
	return sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) +
		    (x[2] - y[2]) * (x[2] - y[2]));
}

static struct rgba scaled(struct rgba c, double f)
{
	c.r *= f;
	c.g *= f;
	c.b *= f;
	return c;
}

struct rgba brand_darken_for(struct rgba c, struct rgba bg, double min)
{
	double lo = 0, hi = 1;

	if (brand_contrast(c, bg) >= min)
		return c;
	/* Darkening keeps the hue; black always reaches min on a light bg. */
	for (int i = 0; i < 30; i++) {
		double mid = (lo + hi) / 2;

		if (brand_contrast(scaled(c, mid), bg) >= min)
			lo = mid;
		else
			hi = mid;
	}
	return scaled(c, lo);
}

/* brief's own accent: a dark blue (#1F4E79). */
static const struct rgba DEFAULT_ACCENT = {0x1F / 255.0, 0x4E / 255.0,
					   0x79 / 255.0, 1};
static const struct rgba WHITE = {1, 1, 1, 1};

void brand_page_colors(const struct doc_brand *b, struct rgba light_fill,
		       struct rgba ink, struct brand_colors *out)
{
	struct rgba a = b && b->has_accent ? b->accent : DEFAULT_ACCENT;

	out->accent = a;
	/* The light fill is the darker of the two backgrounds text in the
	 * accent colour stands on. */
	out->accent_text = brand_darken_for(brand_darken_for(a, light_fill, 4.5),
					    WHITE, 4.5);
	out->head_fill = a;
	if (brand_contrast(WHITE, a) >= 4.5) {
		out->head_text = WHITE;
	} else if (brand_contrast(ink, a) >= 4.5) {
		out->head_text = ink;
	} else {
		out->head_fill = out->accent_text;
		out->head_text = WHITE;
	}
}

/* ---- the edition ---- */

char *brand_period_words(const struct date *from, const struct date *to,
			 char *buf, size_t size)
{
	char a[64], b[64];
	size_t n;

	if (l10n_active())
		return l10n_period(l10n_active(), from, to, true, buf, size);
	date_format_long(from, a, sizeof a);
	date_format_long(to, b, sizeof b);
	if (date_cmp(from, to) == 0) {
		snprintf(buf, size, "%s", a);
		return buf;
	}
	n = strlen(a);
	if (from->year == to->year && from->month == to->month && from->day &&
	    to->day) {
		snprintf(buf, size, "%d\xE2\x80\x93%s", from->day, b);
		return buf;
	}
	if (from->year == to->year && n > 5)
		a[n - 5] = '\0'; /* the year once, at the end */
	if (strchr(a, ' ') || strchr(b, ' '))
		snprintf(buf, size, "%s \xE2\x80\x93 %s", a, b);
	else
		snprintf(buf, size, "%s\xE2\x80\x93%s", a, b);
	return buf;
}

/* ---- logos ---- */

void brand_image_free(struct brand_image *im)
{
	if (!im)
		return;
	free(im->pixels);
	free(im);
}

/* msg = what + detail; BRIEF_EDATA. */
static enum brief_status image_error(char *msg, size_t size, const char *what,
				     const char *detail)
{
	snprintf(msg, size, "%s%s", what, detail);
	return BRIEF_EDATA;
}

static enum brief_status check_size(unsigned long w, unsigned long h,
				    char *msg, size_t size)
{
	if (w == 0 || h == 0)
		return image_error(msg, size, "the image is empty", "");
	if (w > BRAND_LOGO_MAX_SIDE || h > BRAND_LOGO_MAX_SIDE) {
		snprintf(msg, size,
			 "the image is %lu x %lu pixels; a logo may have at "
			 "most %d on a side (600 across is plenty at print "
			 "resolution)",
			 w, h, BRAND_LOGO_MAX_SIDE);
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}

static enum brief_status decode_png(const unsigned char *buf, size_t len,
				    struct brand_image *im, char *msg,
				    size_t size)
{
	png_image img;
	png_color white = {255, 255, 255};
	enum brief_status st;

	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	/* The simplified API catches libpng's errors itself and returns 0
	 * with img.message: a corrupt file is a message, not abort(). */
	if (!png_image_begin_read_from_memory(&img, buf, len))
		return image_error(msg, size, "not a readable PNG image: ",
				   img.message);
	st = check_size(img.width, img.height, msg, size);
	if (st) {
		png_image_free(&img);
		return st;
	}
	/* No alpha in the output: libpng composes onto white. */
	im->channels = img.format & PNG_FORMAT_FLAG_COLOR ? 3 : 1;
	img.format = im->channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
	im->w = img.width;
	im->h = img.height;
	im->pixels = malloc(PNG_IMAGE_SIZE(img));
	if (!im->pixels) {
		png_image_free(&img);
		return BRIEF_ENOMEM;
	}
	if (!png_image_finish_read(&img, &white, im->pixels, 0, NULL))
		return image_error(msg, size, "not a readable PNG image: ",
				   img.message);
	return BRIEF_OK;
}

/* libjpeg's error manager: errors jump back to decode_jpeg, warnings
 * (a truncated file, corrupt data) are kept and make it fail too. */
struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
	char text[JMSG_LENGTH_MAX];
	bool warned;
};

static void jpeg_fail_exit(j_common_ptr c)
{
	struct jpeg_fail *f = (struct jpeg_fail *)(void *)c->err;

	c->err->format_message(c, f->text);
	longjmp(f->back, 1);
}

static void jpeg_fail_message(j_common_ptr c, int level)
{
	struct jpeg_fail *f = (struct jpeg_fail *)(void *)c->err;

	if (level < 0 && !f->warned) {
		c->err->format_message(c, f->text);
		f->warned = true;
	}
}

/* The decoder state lives on the heap: nothing that setjmp must keep is
 * in a local variable. */
struct jpeg_job {
	struct jpeg_decompress_struct d;
	struct jpeg_fail fail;
	struct brand_image *im;
	enum brief_status st; /* BRIEF_EDATA until the image is read */
};

static enum brief_status decode_jpeg(const unsigned char *buf, size_t len,
				     struct brand_image *im, char *msg,
				     size_t size)
{
	struct jpeg_job *j = calloc(1, sizeof *j);
	enum brief_status st;

	if (!j)
		return BRIEF_ENOMEM;
	j->im = im;
	j->st = BRIEF_EDATA;
	j->d.err = jpeg_std_error(&j->fail.mgr);
	j->fail.mgr.error_exit = jpeg_fail_exit;
	j->fail.mgr.emit_message = jpeg_fail_message;
	if (setjmp(j->fail.back)) {
		snprintf(msg, size, "not a readable JPEG image: %s",
			 j->fail.text);
		goto out;
	}
	jpeg_create_decompress(&j->d);
	jpeg_mem_src(&j->d, buf, (unsigned long)len);
	jpeg_read_header(&j->d, TRUE);
	if (j->d.jpeg_color_space == JCS_CMYK ||
	    j->d.jpeg_color_space == JCS_YCCK) {
		snprintf(msg, size,
			 "a CMYK JPEG cannot be placed on an RGB page: save "
			 "the logo as an RGB PNG or JPEG");
		goto out;
	}
	if (check_size(j->d.image_width, j->d.image_height, msg, size))
		goto out;
	j->d.out_color_space = j->d.num_components == 1 ? JCS_GRAYSCALE
							: JCS_RGB;
	jpeg_start_decompress(&j->d);
	im->w = j->d.output_width;
	im->h = j->d.output_height;
	im->channels = (unsigned)j->d.output_components;
	im->pixels = malloc((size_t)im->w * im->h * im->channels);
	if (!im->pixels) {
		j->st = BRIEF_ENOMEM;
		goto out;
	}
	while (j->d.output_scanline < j->d.output_height) {
		JSAMPROW row = im->pixels + (size_t)j->d.output_scanline *
						    im->w * im->channels;

		jpeg_read_scanlines(&j->d, &row, 1);
	}
	jpeg_finish_decompress(&j->d);
	if (j->fail.warned) {
		snprintf(msg, size, "not a readable JPEG image: %s",
			 j->fail.text);
		goto out;
	}
	j->st = BRIEF_OK;
out:
	jpeg_destroy_decompress(&j->d);
	st = j->st;
	free(j);
	return st;
}

static bool starts(const unsigned char *buf, size_t len, const char *sig,
		   size_t n)
{
	return len >= n && memcmp(buf, sig, n) == 0;
}

/* An SVG file: XML or <svg after any byte order mark and blanks. */
static bool looks_svg(const unsigned char *buf, size_t len)
{
	size_t i = starts(buf, len, "\xEF\xBB\xBF", 3) ? 3 : 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' ||
			   buf[i] == '\t'))
		i++;
	return starts(buf + i, len - i, "<?xml", 5) ||
	       starts(buf + i, len - i, "<svg", 4) ||
	       starts(buf + i, len - i, "<!--", 4);
}

enum brief_status brand_image_decode(const unsigned char *buf, size_t len,
				     struct brand_image **out, char *msg,
				     size_t size)
{
	struct brand_image *im;
	enum brief_status st;

	*out = NULL;
	msg[0] = '\0';
	if (starts(buf, len, "%PDF-", 5))
		return image_error(msg, size, "",
				   "a PDF logo cannot be placed (libharu 2.3.0 "
				   "cannot import pages of other PDFs): export "
				   "it as a PNG, 600 pixels across or more");
	if (looks_svg(buf, len))
		return image_error(msg, size, "",
				   "an SVG logo cannot be placed (libharu 2.3.0 "
				   "embeds no vector files): export it as a "
				   "PNG, e.g. rsvg-convert -w 1200 logo.svg -o "
				   "logo.png");
	if (!starts(buf, len, "\x89PNG\r\n\x1A\n", 8) &&
	    !starts(buf, len, "\xFF\xD8\xFF", 3))
		return image_error(msg, size, "",
				   "not a PNG or JPEG image (a logo must be "
				   "one of them)");
	im = calloc(1, sizeof *im);
	if (!im)
		return BRIEF_ENOMEM;
	st = buf[0] == 0x89 ? decode_png(buf, len, im, msg, size)
			    : decode_jpeg(buf, len, im, msg, size);
	if (st) {
		brand_image_free(im);
		return st;
	}
	*out = im;
	return BRIEF_OK;
}
