/* text_fonts.h — a fonts directory for the text tests: brief's Noto Sans
 * family (fonts/, the tests run at the top of the tree) with Noto Sans
 * Arabic and Noto Sans Hebrew from Debian's fonts-noto-core as fallbacks,
 * linked into a temporary directory with its own fonts.conf. */
#ifndef BRIEF_TEXT_FONTS_H
#define BRIEF_TEXT_FONTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEXT_NOTO_DIR "/usr/share/fonts/truetype/noto"

static const char *const text_font_files[][2] = {
	{"fonts", "NotoSans-Regular.ttf"},
	{"fonts", "NotoSans-Bold.ttf"},
	{"fonts", "NotoSans-Italic.ttf"},
	{"fonts", "NotoSans-BoldItalic.ttf"},
	{TEXT_NOTO_DIR, "NotoSansArabic-Regular.ttf"},
	{TEXT_NOTO_DIR, "NotoSansArabic-Bold.ttf"},
	{TEXT_NOTO_DIR, "NotoSansHebrew-Regular.ttf"},
	{TEXT_NOTO_DIR, "NotoSansHebrew-Bold.ttf"},
};

static const char text_fonts_conf[] =
	"regular NotoSans-Regular.ttf\n"
	"bold NotoSans-Bold.ttf\n"
	"italic NotoSans-Italic.ttf\n"
	"bolditalic NotoSans-BoldItalic.ttf\n"
	"fallback-regular NotoSansArabic-Regular.ttf\n"
	"fallback-bold NotoSansArabic-Bold.ttf\n"
	"fallback-regular NotoSansHebrew-Regular.ttf\n"
	"fallback-bold NotoSansHebrew-Bold.ttf\n";

/* Fill dir (64 bytes) with a fresh directory holding the fonts. Returns
 * 0, or -1 with a message on stderr (fonts-noto-core not installed). */
static inline int text_fonts_make(char *dir)
{
	char cwd[512], src[1024], dst[1024];
	FILE *f;

	if (!getcwd(cwd, sizeof cwd))
		return -1;
	snprintf(dir, 64, "/tmp/brief-text-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	for (size_t i = 0; i < sizeof text_font_files / sizeof *text_font_files;
	     i++) {
		const char *from = text_font_files[i][0];

		snprintf(src, sizeof src, "%s%s%s/%s", from[0] == '/' ? "" : cwd,
			 from[0] == '/' ? "" : "/", from, text_font_files[i][1]);
		snprintf(dst, sizeof dst, "%s/%s", dir, text_font_files[i][1]);
		if (access(src, R_OK) != 0 || symlink(src, dst) != 0) {
			fprintf(stderr, "text fonts: cannot use %s (install "
					"fonts-noto-core)\n", src);
			return -1;
		}
	}
	snprintf(dst, sizeof dst, "%s/fonts.conf", dir);
	f = fopen(dst, "w");
	if (!f)
		return -1;
	fputs(text_fonts_conf, f);
	return fclose(f) == 0 ? 0 : -1;
}

static inline void text_fonts_remove(const char *dir)
{
	char p[1024];

	for (size_t i = 0; i < sizeof text_font_files / sizeof *text_font_files;
	     i++) {
		snprintf(p, sizeof p, "%s/%s", dir, text_font_files[i][1]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/fonts.conf", dir);
	unlink(p);
	rmdir(dir);
}

#endif
