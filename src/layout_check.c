/* layout_check.c — brief check's uncited-number warning: every number in
 * prose needs a citation in its sentence or must come from a figure
 * reference. Years, ordinals and section numbers are not quantities. */
#include "layout_int.h"

#include <string.h>
#include <strings.h>

static bool chk_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool chk_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       ((unsigned char)c >= 0x80 && c != '\x01');
}

static bool chk_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Does a sentence end at text[i] ('.', '!' or '?')? Only when followed by
 * white space (after closing quotes or brackets) and then not by a
 * lower-case letter, so "e.g. 5" and "2.5" stay inside. Sets *next. */
static bool chk_sentence_end(const char *text, size_t i, size_t *next)
{
	size_t k = i + 1;

	if (text[i] != '.' && text[i] != '!' && text[i] != '?')
		return false;
	for (;;) {
		if (text[k] == ')' || text[k] == '"' || text[k] == '\'') {
			k++;
		} else if (strncmp(text + k, "\xE2\x80\x9D", 3) == 0 ||
			   strncmp(text + k, "\xE2\x80\x99", 3) == 0) {
			k += 3; /* ” ’ */
		} else {
			break;
		}
	}
	if (text[k] == '\0') {
		*next = k;
		return true;
	}
	if (!chk_space(text[k]))
		return false;
	while (chk_space(text[k]))
		k++;
	if (text[k] >= 'a' && text[k] <= 'z')
		return false;
	*next = k;
	return true;
}

/* Words after which a number names a part of a text, not a quantity. */
static bool chk_section_word(const char *text, size_t from, size_t j)
{
	static const char *const words[] = { "section", "sections", "chapter",
					      "part", "annex", "article",
					      "paragraph", "resolution", "\xC2\xA7",
					      NULL };
	size_t e = j, s;
	int i;

	while (e > from && chk_space(text[e - 1]))
		e--;
	s = e;
	while (s > from && !chk_space(text[s - 1]))
		s--;
	for (i = 0; words[i]; i++)
		if (e - s == strlen(words[i]) &&
		    strncasecmp(text + s, words[i], e - s) == 0)
			return true;
	/* "§3" */
	return j >= from + 2 && strncmp(text + j - 2, "\xC2\xA7", 2) == 0;
}

/* Is byte p of the layout inside a {{...}} or [@...]? */
static bool chk_in_ref(const struct lay *L, size_t p)
{
	size_t i;

	for (i = 0; i < L->nrefs; i++)
		if (p >= L->refs[i].off && p < L->refs[i].end)
			return true;
	return false;
}

/* Find the number's digits in the layout from *cursor on, within lines
 * up to `limit`; fill line/col and move the cursor past it. */
static bool chk_locate(const struct lay *L, const char *num, size_t n,
		       size_t *cursor, size_t limit, long *line, long *col)
{
	size_t p;

	for (p = *cursor; p + n <= limit; p++) {
		const char *s = L->src + p;

		if (memcmp(s, num, n) != 0)
			continue;
		if (p > 0 && chk_digit(s[-1]))
			continue;
		if (chk_digit(s[n]) ||
		    ((s[n] == ',' || s[n] == '.') && chk_digit(s[n + 1])))
			continue;
		if (chk_in_ref(L, p))
			continue;
		*line = lay_line_of(L, p);
		*col = lay_col_of(L, *line, p);
		*cursor = p + n;
		return true;
	}
	return false;
}

static bool chk_ordinal(const char *s)
{
	static const char *const suf[] = { "st", "nd", "rd", "th", NULL };
	int i;

	for (i = 0; suf[i]; i++)
		if (strncasecmp(s, suf[i], 2) == 0 && !chk_alpha(s[2]))
			return true;
	return false;
}

static bool chk_year(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n != 4)
		return false;
	for (i = 0; i < n; i++) {
		if (!chk_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1000 && v <= 2100;
}

static bool chk_month_at(const char *s, size_t *len)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
		"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep",
		"Oct", "Nov", "Dec", NULL
	};
	int i;

	for (i = 0; months[i]; i++) {
		size_t n = strlen(months[i]);

		if (strncmp(s, months[i], n) == 0 && !chk_alpha(s[n])) {
			*len = n;
			return true;
		}
	}
	return false;
}

/* A day of the month: "27 September", "19–20 September", "September 27". */
static bool chk_day(const char *text, size_t start, size_t j, size_t k)
{
	size_t m, n;
	long v = 0;

	if (k - j > 2)
		return false;
	for (m = j; m < k; m++) {
		if (!chk_digit(text[m]))
			return false;
		v = v * 10 + (text[m] - '0');
	}
	if (v < 1 || v > 31)
		return false;
	m = k;
	if (strncmp(text + m, "\xE2\x80\x93", 3) == 0 || text[m] == '-') {
		m += text[m] == '-' ? 1 : 3;
		if (!chk_digit(text[m]))
			return false;
		while (chk_digit(text[m]))
			m++;
	}
	if (text[m] == ' ' && chk_month_at(text + m + 1, &n))
		return true;
	/* "September 27" */
	for (m = j; m > start && text[m - 1] == ' '; m--)
		;
	if (m == j || m == start)
		return false;
	n = m;
	while (m > start && chk_alpha(text[m - 1]))
		m--;
	return chk_month_at(text + m, &k) && m + k == n;
}

void lay_check_text(struct lay *L, const char *text, long line1, long line2,
		    bool heading)
{
	size_t len = strlen(text), start = 0, end, next, i, j, k, dots;
	size_t cursor, limit;
	bool cited, lead;

	if (line1 < 1 || line1 > L->nlines)
		return;
	if (line2 < line1)
		line2 = line1;
	cursor = L->line_off[line1 - 1];
	limit = line2 < L->nlines ? L->line_off[line2] : L->len;
	while (start < len) {
		/* One sentence: [start, end). */
		next = len;
		for (end = start; end < len; end++)
			if (chk_sentence_end(text, end, &next)) {
				end++;
				break;
			}
		if (end > len)
			end = len;
		cited = memchr(text + start, '\x01', end - start) != NULL;
		/* "... 500 people. [@a]": a citation right after the full
		 * stop belongs to the sentence before it. */
		if (!cited && next < len && text[next] == '\x01')
			cited = true;
		lead = true;
		for (j = start; j < end; j++) {
			if (!chk_digit(text[j])) {
				if (!chk_space(text[j]))
					lead = false;
				continue;
			}
			/* Digits glued to letters (A4, COVID-19, F-16) name things. */
			if ((j > start && (chk_alpha(text[j - 1]) ||
					   chk_digit(text[j - 1]))) ||
			    (j > start + 1 && text[j - 1] == '-' &&
			     chk_alpha(text[j - 2]))) {
				while (j + 1 < end && chk_digit(text[j + 1]))
					j++;
				lead = false;
				continue;
			}
			dots = 0;
			for (k = j; k < end; k++) {
				if (chk_digit(text[k]))
					continue;
				if ((text[k] == ',' || text[k] == '.') &&
				    chk_digit(text[k + 1])) {
					dots += text[k] == '.';
					continue;
				}
				break;
			}
			{
				long line = line1, col = 1;
				char num[64];
				size_t n = k - j < sizeof num - 1 ? k - j :
								    sizeof num - 1;
				bool excepted;

				memcpy(num, text + j, n);
				num[n] = '\0';
				chk_locate(L, num, n, &cursor, limit, &line, &col);
				excepted = chk_year(num, n) ||
					   chk_day(text, start, j, k) ||
					   chk_ordinal(text + k) ||
					   (heading && lead) || dots >= 2 ||
					   chk_section_word(text, start, j);
				if (!excepted && !cited) {
					if (text[k] == '%' && n + 1 < sizeof num) {
						num[n] = '%';
						num[n + 1] = '\0';
					}
					lay_warn(L, line, col,
						 "uncited number '%s' (cite a source in the same sentence, or use {{dataset:row-id}})",
						 num);
				}
			}
			lead = false;
			j = k - 1;
		}
		i = end;
		while (i < len && chk_space(text[i]))
			i++;
		start = i;
	}
}
