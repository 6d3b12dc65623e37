/* l10n.h — the generated text of a briefing in its language: page
 * furniture, bibliography, table and chart words, the wording of figures
 * (qualifiers, ranges, units with plural forms), dates and numbers.
 *
 * The words live in catalogues, one YAML file per language in the locale
 * directory (locale/en.yaml, fr.yaml, ...), not in the program: a
 * translator adds a language by adding a file. English (en.yaml) is the
 * reference: it has every key, and any key another catalogue lacks (or
 * gets wrong: a placeholder missing, a plural form missing) falls back to
 * English with a warning. docs/text-pipeline.md lists the keys. */
#ifndef BRIEF_L10N_H
#define BRIEF_L10N_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"
#include "diag.h"

/* The messages the program writes. Each has a key in the catalogues and
 * a fixed list of placeholders, given to l10n_format in this order. */
enum l10n_msg {
	L10N_SOURCES,          /* "Sources" (bibliography heading) */
	L10N_DATA_AS_OF,       /* "Data as of {date}" */
	L10N_PAGE_OF,          /* "Page {page} of {pages}" */
	L10N_DISCLAIMER,       /* the default disclaimer */
	L10N_UNTITLED,         /* "Untitled" */
	L10N_IN_LANGUAGE,      /* "In {language}." */
	L10N_ACCESSED,         /* "Accessed {date}." */
	L10N_TABLE_SOURCES,    /* "Sources:" before a table's source list */
	L10N_CONTESTED_QUANTITY,   /* contested table headers */
	L10N_CONTESTED_CLAIMED_BY,
	L10N_CONTESTED_FIGURE,
	L10N_CONTESTED_SOURCE,
	L10N_CONTESTED_NONE,   /* "No quantity has more than one claim." */
	L10N_CHART_SOURCE,     /* "Source: {sources}." */
	L10N_CHART_SOURCES,    /* "Sources: {sources}." */
	L10N_CHART_NONE_GIVEN, /* "none given" */
	L10N_LIST_SEPARATOR,   /* "; " between sources */
	L10N_CHART_DATA_AS_OF, /* "Data as of {date}." */
	L10N_CHART_QUALIFIER_KEY, /* legend of the uncertainty marks */
	L10N_CHART_PER,        /* "{series} (per {claimant})" */
	L10N_CHART_PER_ALONE,  /* "per {claimant}" */
	L10N_ALT_BY,           /* "{y} by {x}" */
	L10N_ALT_BY_AND,       /* "{y} by {x} and {group}" */
	L10N_ALT_OR,           /* " or " between filter values */
	L10N_ALT_EVENTS,       /* plural: "{count} events from {from} to {to}:" */
	L10N_ALT_MARKS,        /* plural: "{count} marks in all." */
	L10N_Y_VALUE,          /* axis titles */
	L10N_Y_EVENTS,
	L10N_Y_ROWS,
	L10N_Y_PEOPLE,
	L10N_Y_PEOPLE_DISPLACED,
	L10N_Y_PEOPLE_KILLED,
	L10N_Y_PEOPLE_WOUNDED,
	L10N_Y_PEOPLE_MISSING,
	L10N_Y_PEOPLE_CAPTURED,
	L10N_VALUE_ABOUT,      /* chart value labels: "~{n}" */
	L10N_VALUE_MORE_THAN,  /* ">{n}" */
	L10N_VALUE_AT_LEAST,   /* "{n}+" */
	L10N_VALUE_LESS_THAN,  /* "<{n}" */
	L10N_VALUE_UP_TO,      /* "up to {n}" */
	L10N_VALUE_RANGE,      /* "{low}–{high}" */
	L10N_CONTACTS,         /* "For further information, please contact:" */
	L10N_EDITION,          /* "{series} No. {number}" */
	L10N_SERIES,           /* "Situation report": the series by default */
	L10N_PERIOD,           /* "This report covers the period {period}." */
	L10N_NEXT_REPORT,      /* "The next report will be issued ... {date}." */
	L10N_COMMA,            /* ", " between the parts of an entry */
	L10N_STOP,             /* ". " after a part of a bibliography entry */
	L10N_CHART_CONTINUED,  /* "{title} (continued)" */
	L10N_CHART_MIXED_KEY,  /* legend of "mixed bounds" */
	L10N_ALT_TITLE,        /* "{type}: {title}." */
	L10N_ALT_FILTER,       /* "{column}: {values}" */
	L10N_ALT_MARK,         /* "{x}, {name}: {value}." */
	L10N_ALT_MARK_PLAIN,   /* "{x}: {value}." */
	L10N_ALT_EVENT,        /* "{date}, {title}" */
	L10N_MIXED,            /* "{n} (mixed bounds)" */
	L10N_MILLION,          /* plural: "{count} million" */
	L10N_BILLION,          /* plural: "{count} billion" */
	L10N_MONEY,            /* "{currency}{n}" */
	L10N_SCALE_OF,         /* "{n}": a compact number before its unit */
	L10N_AND,              /* " and " before a list's last part */
	L10N_CHANGES_TITLE,    /* the `changes` block (layout_changes.c) */
	L10N_CHANGES_FIRST,
	L10N_CHANGES_UNLISTED,
	L10N_CHANGES_NONE,     /* "No data changed since ...{since}." */
	L10N_CHANGES_COUNTS,   /* "Since the last edition{since}: {counts}." */
	L10N_CHANGES_AS_OF,    /* " (data as of {date})" */
	L10N_CHANGES_ROWS_ADDED,     /* plural: "{count} rows added" */
	L10N_CHANGES_ROWS_WITHDRAWN, /* plural, first in the list */
	L10N_CHANGES_AND_WITHDRAWN,  /* plural, after another part */
	L10N_CHANGES_ROWS_REVISED,
	L10N_CHANGES_AND_REVISED,
	L10N_CHANGES_SOURCES,  /* plural: "{count} sources added, ..." */
	L10N_CHANGES_MORE,     /* plural: "And {count} more (...)." */
	L10N_CHANGES_NEW,      /* the items' leads: "New: " */
	L10N_CHANGES_NEW_EVENT,
	L10N_CHANGES_WITHDRAWN,
	L10N_CHANGES_EVENT_WITHDRAWN,
	L10N_CHANGES_REVISED,
	L10N_CHANGES_NOW_CONTESTED,
	L10N_CHANGES_NO_LONGER_CONTESTED,
	L10N_CHANGES_UP_FROM,  /* "{summary}, up from {old}" */
	L10N_CHANGES_DOWN_FROM,
	L10N_CHANGES_PREVIOUSLY,
	L10N_CHANGES_CLAIMS,   /* ": " before a contested quantity's claims */
	L10N_CHANGES_CLAIM,    /* "{figure} according to {who}" */
	L10N_TABLE_SUM,        /* plural: "{who} (sum of {count} records)" */
	L10N_TABLE_SUM_PERIOD, /* plural: "... records, {period})" */
	L10N_LINK_SOURCE,      /* a citation link's alt text */
	L10N_LINK_SECTION,     /* an internal link's alt text */
	L10N_CHART_ALT,        /* "Chart {id}": a chart without alt text */
	L10N_MAP_BOUNDARIES,   /* maps (map_text.c, map_draw.c) */
	L10N_MAP_DISCLAIMER,
	L10N_MAP_ALL_AREAS,    /* class labels */
	L10N_MAP_UNDER,
	L10N_MAP_OR_MORE,
	L10N_MAP_RANGE,
	L10N_MAP_TO_UNDER,
	L10N_MAP_PERCENT,      /* legend headings and items */
	L10N_MAP_HELD_BY,
	L10N_MAP_HELD_ON,
	L10N_MAP_CLAIMED_BY,
	L10N_MAP_AND_OTHERS,
	L10N_MAP_DISPUTED_HELD_BY,
	L10N_MAP_DIFFER,
	L10N_MAP_NO_DATA,
	L10N_MAP_CAPITAL,
	L10N_MAP_TOWN,
	L10N_MAP_FOOTNOTE,     /* "Figures differ by source for {areas}; ..." */
	L10N_MAP_AND_MORE,     /* plural: "and {count} more" */
	L10N_MAP_CLAIM_PER,    /* "{figure} per {who}" */
	L10N_MAP_ALT_BOUNDARIES, /* alt text */
	L10N_MAP_ALT_PLACES,
	L10N_MAP_ALT_SHADED,
	L10N_MAP_ALT_VALUE,
	L10N_MAP_ALT_AREA,
	L10N_MAP_ALT_AREA_DIFFERS,
	L10N_MAP_ALT_AREAS,    /* plural: "{count} areas in all" */
	L10N_MAP_ALT_POINTS,   /* plural */
	L10N_MAP_ALT_CONTROL,
	L10N_MAP_ALT_HELD,
	L10N_MAP_ALT_CLAIMED,
	L10N_MAP_ALT_DISPUTED,
	L10N_MSG_COUNT
};

/* One language's catalogue, with English behind it for what it lacks.
 * Owns every string it returns; they live until l10n_free. */
struct l10n;

/* Open the catalogue of lang (a BCP 47 / ISO 639 tag: "fr", "fr-CA",
 * "pt_BR"; tried as given, then its primary language) from directory dir,
 * with dir/en.yaml behind it. A language without a catalogue, or with
 * keys missing or wrong, gives English text and warnings (to warn; NULL:
 * not reported). Returns BRIEF_OK; BRIEF_EIO when en.yaml cannot be read
 * (a broken installation); BRIEF_EDATA for a catalogue that is not valid
 * YAML of the expected shape (err at file:line:col); BRIEF_EINTERNAL when
 * en.yaml lacks a key the program needs; BRIEF_ENOMEM. *out is NULL on
 * failure. */
enum brief_status l10n_open(const char *dir, const char *lang,
			    struct diag_sink *warn, struct l10n **out,
			    struct diag *err);
void l10n_free(struct l10n *l); /* NULL is fine */

/* The language of the catalogue in use ("fr", or "en" after a fallback)
 * and its writing direction (meta.direction). */
const char *l10n_language(const struct l10n *l);
bool l10n_rtl(const struct l10n *l);

/* A message as written in the catalogue (placeholders left in). */
const char *l10n_text(const struct l10n *l, enum l10n_msg m);
/* l10n_text, or without a catalogue (l NULL) english. */
const char *l10n_text_or(const struct l10n *l, enum l10n_msg m,
			 const char *english);

/* A message with its placeholders filled from the const char * arguments
 * that follow, in the order given above ("{page}" then "{pages}"). For
 * the plural messages the first argument is the count, as digits
 * ("3"); it chooses the form and is shown in the catalogue's digits.
 * Writes into buf (truncating at size), returns buf. */
char *l10n_format(const struct l10n *l, enum l10n_msg m, char *buf,
		  size_t size, ...);
/* l10n_format, or without a catalogue (l NULL) english: the message in
 * English with the same placeholders ("{y} by {x}"), filled alike. For
 * callers that also run without a catalogue. */
char *l10n_say(const struct l10n *l, enum l10n_msg m, const char *english,
	       char *buf, size_t size, ...);

/* A word of an open family: family "language" (names of languages by
 * code), "table.columns" (column headers), "vocab.category",
 * "vocab.population", "vocab.kind", "vocab.event_kind",
 * "vocab.qualifier", "bib.untitled_kind", "chart.type", and the column
 * names of alt texts, "chart.alt.columns" (in a filter) and
 * "chart.alt.by_columns" (after chart.alt.by). The word itself
 * (name) when neither the catalogue nor English has it. */
const char *l10n_word(const struct l10n *l, const char *family,
		      const char *name);

/* Digits: the catalogue's own (number.digits), Latin 0-9, or the
 * language's native set (number.native_digits, e.g. Arabic-Indic for ar).
 * l10n_set_digits returns false (and changes nothing) when the catalogue
 * has no native digits. */
enum l10n_digits { L10N_DIGITS_CATALOGUE, L10N_DIGITS_LATIN,
		   L10N_DIGITS_NATIVE };
bool l10n_set_digits(struct l10n *l, enum l10n_digits d);

/* A number with the language's group and decimal separators and digits:
 * en "12,000" and "12.5", fr "12 000" (narrow no-break space) and "12,5",
 * ru "12 000", es "12.000" (but "1234": groups from five digits), ar
 * "12,000" or "١٢٬٠٠٠". decimals < 0: whole numbers plain, others with up
 * to two places (as number_format). Returns buf. */
char *l10n_number(const struct l10n *l, double v, int decimals, char *buf,
		  size_t size);
/* A whole number in the catalogue's digits without separators (years,
 * an edition's number): "12", "١٢". Returns buf. */
char *l10n_integer(const struct l10n *l, long v, char *buf, size_t size);
/* A percentage: en "12.5%", fr "12,5 %", ar "١٢٫٥٪". */
char *l10n_percent(const struct l10n *l, double v, int decimals, char *buf,
		   size_t size);

/* Dates by their precision: "19 September 2023" / "19 septembre 2023" /
 * "19 de septiembre de 2023" / "19 сентября 2023 г.", "September 2023",
 * "2023". Returns buf. */
char *l10n_date_long(const struct l10n *l, const struct date *d, char *buf,
		     size_t size);
/* Axis and timeline dates with abbreviated months: day and month (d->day
 * 0: month only), with the year when with_year: "19 Sep 2023", "Sep",
 * "19 sept.". Returns buf. */
char *l10n_date_short(const struct l10n *l, const struct date *d,
		      bool with_year, char *buf, size_t size);
/* A period from one date to another, the year said once: "3 March – 9
 * April 2025", "March – May 2024", and with month_once the month too
 * ("3–9 March 2025"; else "3 March – 9 March 2025"); one date when they
 * are the same. Returns buf. */
char *l10n_period(const struct l10n *l, const struct date *from,
		  const struct date *to, bool month_once, char *buf,
		  size_t size);
/* Month m (1..12): its name alone, the form used with a day (genitive in
 * Russian and Ukrainian), and the abbreviation. "" out of range. */
enum l10n_month_form { L10N_MONTH_NAME, L10N_MONTH_WITH_DAY,
		       L10N_MONTH_SHORT };
const char *l10n_month(const struct l10n *l, int m, enum l10n_month_form f);

/* The wording of a figure, as figure_format (data.h) does in English:
 * the qualifier ("at least 40" / "au moins 40"), a range
 * ("50 000–120 000"), and the unit after the number in the plural form
 * the number asks for ("44 jours", "1 день", "5 дней"): "percent" as the
 * language's percentage, "count" and "rank" none, a unit the catalogue
 * names (units.<unit>) translated, any other as written after the number.
 * Returns buf. */
char *l10n_figure(const struct l10n *l, double value, bool has_high,
		  double high, enum qualifier q, const char *unit, char *buf,
		  size_t size);

/* The compact and money forms of a figure (figure_words, figure.h):
 * scale 1e6 or 1e9 writes the number in millions or billions, three
 * significant digits ("3.8 million", "3,8 millions", "3,8 млн"), and the
 * unit after the scale word (figure.scale_of: "3,8 millions de
 * personnes"); currency, when not NULL, is the money symbol
 * (figure.money: "US$180 million"; a symbol's trailing space is kept
 * only before the number) and the unit is not written; plus writes a
 * lower bound as "8,000+" instead of its qualifier. */
struct l10n_form {
	double scale; /* 1, 1e6 or 1e9 */
	const char *currency;
	bool plus;
};
char *l10n_figure_in(const struct l10n *l, double value, bool has_high,
		     double high, enum qualifier q, const char *unit,
		     const struct l10n_form *form, char *buf, size_t size);

/* The catalogue the data layer's formatters speak (number_format,
 * date_format_long, date_month_abbr and figure_format in data.h: the
 * numbers, dates and figures of tables, charts, prose and the page): the
 * document's while it is laid out and typeset (layout_load and typeset
 * set it; doc_free clears it). NULL: their built-in English, for callers
 * without a catalogue. Not owned; brief builds one document at a time. */
void l10n_use(const struct l10n *l);
const struct l10n *l10n_active(void);

/* Check every catalogue in dir against en.yaml: each key present, of the
 * same kind (text, list of 12, plural forms), with the same placeholders,
 * with every plural form its rule needs, and no unknown keys. Problems go
 * to sink as warnings (at file:line:col); *ncat (may be NULL) gets the
 * number of catalogues read. Returns BRIEF_OK, BRIEF_EIO when dir or
 * en.yaml cannot be read, BRIEF_EDATA when a catalogue is not valid YAML
 * of the expected shape (also reported to sink), BRIEF_ENOMEM. */
enum brief_status l10n_check(const char *dir, struct diag_sink *sink,
			     size_t *ncat, struct diag *err);

/* v / scale for a compact number, in Latin digits: three significant
 * digits, at most two decimals, trailing zeros dropped ("3.8", "12.3",
 * "180"); returns the decimals kept. The one rule for compact figures,
 * with a catalogue (l10n_figure_in) and without (figure.c). */
int l10n_compact_digits(double v, double scale, char *t, size_t size);

#endif
