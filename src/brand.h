/* brand.h — what makes a briefing one edition of a series and one
 * organisation's: the edition (its number, the period it covers, when the
 * next one is due, whom to contact), the logo, the accent colour and
 * per-name colours, and the paper. layout_brand.c reads them from the
 * front matter into a struct doc_brand; typeset.c prints them; the palette
 * takes the colours. This file also holds what they need that knows no
 * layout: colours and their contrast, paper sizes, image decoding. */
#ifndef BRIEF_BRAND_H
#define BRIEF_BRAND_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "data.h"
#include "diag.h"

/* One person to contact. Strings owned; role, email and phone are ""
 * when not given. at: where the name was written. */
struct brand_contact {
	char *name, *role, *email, *phone;
	struct text_origin at;
};

/* A decoded logo, flattened onto white (so it has no alpha channel, which
 * PDF/A-1 forbids). pixels: w * h * channels bytes, rows top to bottom,
 * owned. channels is 1 (grey) or 3 (RGB). */
struct brand_image {
	unsigned char *pixels;
	unsigned w, h, channels;
};

/* A name whose colour the layout fixes (`colors:`). Owned. */
struct brand_color {
	char *name;
	struct rgba color;
};

/* Owned by the doc (doc->brand, never NULL for a loaded layout). */
struct doc_brand {
	/* The edition: number 0 when the layout gives none; a date with
	 * year 0 when not given. */
	long number;
	char *series; /* the layout's label (owned); NULL: none given, and
		       * with a number the catalogue's "Situation report" */
	struct date period_from, period_to, next_report;
	struct brand_contact *contacts;
	size_t ncontacts;
	struct text_origin at_number, at_period, at_next;
	/* Identity. */
	struct brand_image *logo; /* NULL: none */
	char *logo_path;          /* as resolved from the layout (owned) */
	struct text_origin at_logo;
	bool has_accent;
	struct rgba accent;
	struct brand_color *colors;
	size_t ncolors;
	/* The page: size in pt (orientation applied) and margin. */
	double page_w, page_h, margin;
	bool landscape;
};

struct doc_brand *brand_new(void); /* A4 portrait, nothing else; NULL: ENOMEM */
void brand_free(struct doc_brand *b); /* NULL is fine */

/* The paper names brief knows (A3, A4, A5, letter, legal, in any case):
 * the canonical name, the portrait size in pt and a margin that suits it.
 * false for any other name. */
bool brand_paper(const char *name, const char **canonical, double *w,
		 double *h, double *margin);
/* "A3, A4, A5, letter or legal", for messages. */
extern const char brand_paper_names[];

/* "#0b5394" or "#05a" into *out; false for anything else. */
bool brand_parse_color(const char *s, struct rgba *out);

/* WCAG 2.1 contrast ratio of two opaque colours (1 to 21). */
double brand_contrast(struct rgba a, struct rgba b);

/* How far apart two colours look: CIE76 Delta E in CIELAB (D65). Under
 * about 20 they are easily confused, by colour-blind readers first. */
double brand_delta_e(struct rgba a, struct rgba b);

/* c, darkened just enough for a contrast of at least min against bg (a
 * light background); c itself when it already has it. */
struct rgba brand_darken_for(struct rgba c, struct rgba bg, double min);

/* The colours the page draws with. accent: rules, bars and fills (the
 * layout's, or brief's blue); accent_text: text in the accent colour, at
 * least 4.5:1 on white and on the key figures' light fill (WCAG AA for
 * body text); head_fill and head_text: a table header's background and
 * its text, 4.5:1 between them. */
struct brand_colors {
	struct rgba accent, accent_text, head_fill, head_text;
};
void brand_page_colors(const struct doc_brand *b, struct rgba light_fill,
		       struct rgba ink, struct brand_colors *out);

/* The period an edition covers in words: "3–9 March 2025", "28 February
 * – 6 March 2025", "March 2025", in the active catalogue's language
 * (l10n_period) (into buf, returned). */
char *brand_period_words(const struct date *from, const struct date *to,
			 char *buf, size_t size);

/* Logos: at most this many bytes in the file and pixels on a side. */
#define BRAND_LOGO_MAX_BYTES (8L << 20)
#define BRAND_LOGO_MAX_SIDE 4096

/* Decode the PNG or JPEG image in buf (len bytes) into *out (free with
 * brand_image_free). Every failure is BRIEF_EDATA with a message in msg
 * (size bytes) that says what is wrong with the file: not PNG or JPEG (an
 * SVG or PDF logo says how to make a PNG of it), corrupt, too large, a
 * CMYK JPEG. libpng and libjpeg report through brief's handlers, so a
 * corrupt file never aborts the process. BRIEF_ENOMEM when out of
 * memory. */
enum brief_status brand_image_decode(const unsigned char *buf, size_t len,
				     struct brand_image **out, char *msg,
				     size_t size);
void brand_image_free(struct brand_image *im);

#endif
