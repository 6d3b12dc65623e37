/* pngdiff.c — how far apart two PNGs of one size look, for export.sh:
 * prints the mean difference per channel (0-255) and the share of 8x8
 * pixel blocks whose mean grey differs by more than 24 (a shape or a word
 * out of place), both over a white background. Exit 2 when a file cannot
 * be read or the sizes differ.
 * Build: cc -o pngdiff pngdiff.c $(pkg-config --cflags --libs cairo) */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The PNG composited over white, as 32-bit RGB. */
static cairo_surface_t *load(const char *path)
{
	cairo_surface_t *png = cairo_image_surface_create_from_png(path);
	cairo_surface_t *out;
	cairo_t *cr;

	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
		return NULL;
	out = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
					 cairo_image_surface_get_width(png),
					 cairo_image_surface_get_height(png));
	cr = cairo_create(out);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_surface(cr, png, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(png);
	cairo_surface_flush(out);
	return out;
}

static double grey(const unsigned char *row, int x)
{
	const unsigned char *p = row + 4 * x;

	return (p[0] + p[1] + p[2]) / 3.0;
}

int main(int argc, char **argv)
{
	cairo_surface_t *a, *b;
	int w, h, sa, sb;
	const unsigned char *pa, *pb;
	double sum = 0;
	long blocks = 0, off = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: pngdiff A.png B.png\n");
		return 2;
	}
	a = load(argv[1]);
	b = load(argv[2]);
	if (!a || !b) {
		fprintf(stderr, "pngdiff: cannot read %s\n", a ? argv[2] : argv[1]);
		return 2;
	}
	w = cairo_image_surface_get_width(a);
	h = cairo_image_surface_get_height(a);
	if (w != cairo_image_surface_get_width(b) ||
	    h != cairo_image_surface_get_height(b)) {
		fprintf(stderr, "pngdiff: sizes differ: %dx%d and %dx%d\n", w,
			h, cairo_image_surface_get_width(b),
			cairo_image_surface_get_height(b));
		return 2;
	}
	sa = cairo_image_surface_get_stride(a);
	sb = cairo_image_surface_get_stride(b);
	pa = cairo_image_surface_get_data(a);
	pb = cairo_image_surface_get_data(b);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w * 4; x++)
			if (x % 4 != 3)
				sum += fabs((double)pa[y * sa + x] -
					    (double)pb[y * sb + x]);
	for (int by = 0; by + 8 <= h; by += 8)
		for (int bx = 0; bx + 8 <= w; bx += 8) {
			double ga = 0, gb = 0;

			for (int y = by; y < by + 8; y++)
				for (int x = bx; x < bx + 8; x++) {
					ga += grey(pa + y * sa, x);
					gb += grey(pb + y * sb, x);
				}
			blocks++;
			off += fabs(ga - gb) / 64 > 24;
		}
	printf("mean=%.3f blocks=%.3f%%\n", sum / ((double)w * h * 3),
	       blocks ? 100.0 * (double)off / (double)blocks : 0);
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
	return 0;
}
