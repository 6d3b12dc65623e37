/* render.c — renders every chart fixture to OUTDIR/<id>.png (2x) and
 * <id>.svg, and prints each chart's alt text and source line. Used by
 * tools/chart-refs.sh to regenerate the reference images on purpose. */
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "fixtures.h"

/* The chart alone, without margin, as the references are drawn. */
static int export_file(struct chart *c, const struct fontset *fs,
		       enum chart_format f, const char *path, struct diag *err)
{
	struct chart_export_opts o = { 2, 0, false, NULL };
	unsigned char *data = NULL;
	size_t len = 0;
	FILE *fp;
	int rc = 0;

	if (chart_export(c, fs, f, &o, NULL, &data, &len, err) != BRIEF_OK)
		return -1;
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len)
		rc = -1;
	if (fp && fclose(fp) != 0)
		rc = -1;
	if (rc)
		diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write");
	free(data);
	return rc;
}

int main(int argc, char **argv)
{
	struct fontset *fs = NULL;
	struct palette *pal = palette_new();
	struct diag err;
	const char *out = argc > 1 ? argv[1] : "build/charts";
	int rc = 0;

	if (fontset_open("fonts", &fs, &err) != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		return 1;
	}
	for (size_t i = 0; i < NFIXTURES; i++) {
		struct chart_spec *spec = fixture_spec(&fixtures[i]);
		struct sources src = { 0 };
		struct chart *c = NULL;
		char path[512];

		if (sources_load(fixtures[i].dir, &src, NULL, &err) != BRIEF_OK ||
		    chart_new(spec, &src, pal, &c, &err) != BRIEF_OK ||
		    chart_collect(c, fixtures[i].dir, &err) != BRIEF_OK) {
			diag_print(stderr, &err, DIAG_ERROR);
			rc = 1;
			goto next;
		}
		fixture_as_of(&fixtures[i], c);
		snprintf(path, sizeof path, "%s/%s.png", out, spec->id);
		if (export_file(c, fs, CHART_PNG, path, &err) != 0) {
			diag_print(stderr, &err, DIAG_ERROR);
			rc = 1;
		}
		snprintf(path, sizeof path, "%s/%s.svg", out, spec->id);
		if (export_file(c, fs, CHART_SVG, path, &err) != 0) {
			diag_print(stderr, &err, DIAG_ERROR);
			rc = 1;
		}
		printf("%s\n  alt: %s\n  %s\n", spec->id, chart_alt_text(c),
		       chart_source_line(c));
next:
		chart_free(c);
		sources_free(&src);
		chart_spec_free(spec);
		free(spec);
	}
	palette_free(pal);
	fontset_free(fs);
	return rc;
}
