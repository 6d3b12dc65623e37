/* hyphenate.h — where a word may be hyphenated, for the line breaker:
 * libhyphen with the hyphenation dictionaries Debian installs per language
 * (hyphen-fr, hyphen-ru, hyphen-es, hyphen-uk, hyphen-en-us, ... in
 * /usr/share/hyphen). A language without a dictionary is not hyphenated;
 * that is not an error. (Not named hyphen.h: that is libhyphen's header.) */
#ifndef BRIEF_HYPHENATE_H
#define BRIEF_HYPHENATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define HYPHEN_DIR_DEFAULT "/usr/share/hyphen"

/* Letters a word needs before it is hyphenated at all, and the fewest
 * letters left on either side of a break (a dictionary may ask for more). */
#define HYPHEN_MIN_WORD 5
#define HYPHEN_MIN_SIDE 2

/* Owns the dictionaries it has read (each on first use of its language),
 * their indexes and character set converters. A word is hyphenated by
 * libhyphen loaded with the patterns of its dictionary that can match in
 * it (the same points as the whole dictionary, at a small fraction of the
 * cost of loading it); a language with more than HYPHEN_SUBSET_WORDS words
 * to hyphenate gets its whole dictionary loaded once. Not thread-safe. */
struct hyphenator;

#define HYPHEN_SUBSET_WORDS 32

/* A hyphenator reading dictionaries from dir (NULL: HYPHEN_DIR_DEFAULT);
 * the directory need not exist. Returns BRIEF_OK or BRIEF_ENOMEM (err
 * filled). Free with hyphen_free (NULL is fine). */
enum brief_status hyphen_new(const char *dir, struct hyphenator **out,
			     struct diag *err);
void hyphen_free(struct hyphenator *h);

/* Load each dictionary whole, from its first word on (off after
 * hyphen_new): the reference the per-word subsets are tested against. */
void hyphen_set_whole(struct hyphenator *h, bool whole);

/* The dictionary file used for lang (a BCP 47 / ISO 639 tag such as
 * "fr", "en-GB", "pt_BR"): hyph_<ll>_<RR>.dic, hyph_<ll>.dic,
 * hyph_<ll>_<LL>.dic, then the first hyph_<ll>_*.dic by name. NULL when
 * there is none or it cannot be read. Owned by h. */
const char *hyphen_dictionary(struct hyphenator *h, const char *lang);

/* The points where word (UTF-8, len bytes, as it stands in the text, with
 * any punctuation around it) may be broken: byte offsets b, 0 < b < len,
 * meaning "s[0..b) then a hyphen, s[b..len) on the next line", in
 * increasing order, at most max of them written to at. Soft hyphens
 * (U+00AD) in the word are its only points when present. Otherwise each
 * run of letters of at least HYPHEN_MIN_WORD is hyphenated by the
 * language's dictionary (standard points only; all-capital words such as
 * acronyms, and words with '@', '/', ':' or a digit, are left alone).
 * Returns the number of points (0 without a dictionary, or when memory
 * ran out: not hyphenating is always safe). */
size_t hyphen_points(struct hyphenator *h, const char *lang, const char *word,
		     size_t len, size_t *at, size_t max);

#endif
