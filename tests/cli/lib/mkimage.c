/* mkimage.c — test logos for tests/cli/brand.sh, written with libpng and
 * libjpeg: mkimage KIND W H OUT, KIND one of
 *   rgba   PNG, RGB with alpha: a dark blue disc on transparency
 *   grey   PNG, 8-bit grey: a horizontal ramp
 *   rgb    JPEG, RGB: blue and orange halves
 *   cmyk   JPEG, CMYK
 * Built by the test with cc; not part of brief. */
#include <stdio.h> /* before jpeglib.h, which needs FILE and size_t */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

static int write_png(const char *out, int w, int h, int grey)
{
	FILE *f = fopen(out, "wb");
	png_structp p;
	png_infop info;
	int ch = grey ? 1 : 4;
	unsigned char *row = malloc((size_t)w * (size_t)ch);

	if (!f || !row)
		return 1;
	p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(p);
	if (setjmp(png_jmpbuf(p)))
		return 1;
	png_init_io(p, f);
	png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8,
		     grey ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGBA,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(p, info);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			unsigned char *px = row + (size_t)x * (size_t)ch;
			double dx = x - w / 2.0, dy = y - h / 2.0;
			double r = (h < w ? h : w) / 2.0;

			if (grey) {
				px[0] = (unsigned char)(255 * x / (w > 1 ? w - 1 : 1));
				continue;
			}
			px[0] = 0x0B;
			px[1] = 0x53;
			px[2] = 0x94;
			px[3] = dx * dx + dy * dy <= r * r ? 255 : 0;
		}
		png_write_row(p, row);
	}
	png_write_end(p, info);
	png_destroy_write_struct(&p, &info);
	free(row);
	return fclose(f) != 0;
}

static int write_jpeg(const char *out, int w, int h, int cmyk)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	FILE *f = fopen(out, "wb");
	int ch = cmyk ? 4 : 3;
	unsigned char *row = malloc((size_t)w * (size_t)ch);

	if (!f || !row)
		return 1;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = ch;
	c.in_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		for (int x = 0; x < w; x++) {
			unsigned char *px = row + (size_t)x * (size_t)ch;
			int left = x < w / 2;

			if (cmyk) {
				px[0] = left ? 200 : 0;
				px[1] = left ? 100 : 80;
				px[2] = left ? 0 : 200;
				px[3] = 0;
			} else {
				px[0] = left ? 0x00 : 0xE6;
				px[1] = left ? 0x72 : 0x9F;
				px[2] = left ? 0xB2 : 0x00;
			}
		}
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	int w, h;

	if (argc != 5) {
		fprintf(stderr, "usage: mkimage rgba|grey|rgb|cmyk W H OUT\n");
		return 2;
	}
	w = atoi(argv[2]);
	h = atoi(argv[3]);
	if (strcmp(argv[1], "rgba") == 0 || strcmp(argv[1], "grey") == 0)
		return write_png(argv[4], w, h, argv[1][0] == 'g');
	if (strcmp(argv[1], "rgb") == 0 || strcmp(argv[1], "cmyk") == 0)
		return write_jpeg(argv[4], w, h, argv[1][0] == 'c');
	return 2;
}
