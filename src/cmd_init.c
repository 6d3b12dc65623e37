/* cmd_init.c — `brief init DIR`: a new project from the templates
 * installed with brief (templates/project/), with the paths the schedule
 * examples need filled in. Never overwrites a file. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "diag.h"

#ifndef BRIEF_TEMPLATEDIR
#define BRIEF_TEMPLATEDIR "/usr/local/share/brief/templates"
#endif
#ifndef BRIEF_DOCDIR
#define BRIEF_DOCDIR "/usr/local/share/doc/brief"
#endif

#define TEMPLATE_MAX (1L << 20)

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_share_dir(const char *given, const char *env,
			  const char *sub, const char *installed, char *buf,
			  size_t size)
{
	const char *e = env ? getenv(env) : NULL;
	size_t need = strlen(sub) + 2;
	ssize_t n;

	if (given)
		return given;
	if (e && *e)
		return e;
	if (size > need + 1) {
		n = readlink("/proc/self/exe", buf, size - need - 1);
		if (n > 0) {
			char *slash;

			buf[n] = '\0';
			slash = strrchr(buf, '/');
			if (slash) {
				snprintf(slash, need + 1, "/%s", sub);
				if (is_dir(buf))
					return buf;
			}
		}
	}
	return installed;
}

/* ---- filling in the templates ---- */

/* As one shell word: single quotes, a quote inside as '\''. */
static void quote_sh(struct buf *b, const char *s)
{
	buf_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "'");
}

/* A shell word inside a crontab line, where % ends the command. */
static void quote_cron(struct buf *b, const char *s)
{
	struct buf w = BUF_INIT(0);
	size_t i;

	quote_sh(&w, s);
	for (i = 0; !w.st && i < w.n; i++) {
		if (w.s[i] == '%')
			buf_puts(b, "\\%");
		else
			buf_add(b, &w.s[i], 1);
	}
	if (w.st && !b->st)
		b->st = w.st;
	buf_free(&w);
}

/* Inside a double-quoted systemd argument: \ and " escaped, % and $
 * doubled (specifiers and variables). */
static void quote_systemd(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"') {
			buf_puts(b, "\\");
			buf_add(b, s, 1);
		} else if (*s == '%' || *s == '$') {
			buf_add(b, s, 1);
			buf_add(b, s, 1);
		} else {
			buf_add(b, s, 1);
		}
	}
}

struct fill {
	const char *dir;  /* the project, absolute */
	const char *bin;  /* this brief, absolute */
	const char *docs; /* brief's documentation */
	const char *dictionary; /* the data dictionary */
};

/* The placeholders a template may hold, and how each is written. */
static bool put_placeholder(struct buf *b, const char *name, size_t n,
			    const struct fill *f)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
	if (IS("BRIEF_DIR"))
		buf_puts(b, f->dir);
	else if (IS("BRIEF_DIR_SH"))
		quote_sh(b, f->dir);
	else if (IS("BRIEF_DIR_CRON"))
		quote_cron(b, f->dir);
	else if (IS("BRIEF_DIR_SYSTEMD"))
		quote_systemd(b, f->dir);
	else if (IS("BRIEF_BIN"))
		buf_puts(b, f->bin);
	else if (IS("BRIEF_BIN_SH"))
		quote_sh(b, f->bin);
	else if (IS("BRIEF_DOCS"))
		buf_puts(b, f->docs);
	else if (IS("BRIEF_DICTIONARY"))
		buf_puts(b, f->dictionary);
	else
		return false;
	return true;
#undef IS
}

/* The template text with every @NAME@ placeholder filled in (others
 * left as they are). */
static char *fill_text(const char *s, size_t len, const struct fill *f)
{
	struct buf b = BUF_INIT(0);
	size_t i = 0;

	buf_add(&b, "", 0);
	while (i < len) {
		const char *at = memchr(s + i, '@', len - i), *end;
		size_t k;

		if (!at) {
			buf_add(&b, s + i, len - i);
			break;
		}
		buf_add(&b, s + i, (size_t)(at - (s + i)));
		i = (size_t)(at - s);
		for (k = i + 1; k < len && ((s[k] >= 'A' && s[k] <= 'Z') ||
					    s[k] == '_');
		     k++)
			;
		end = s + k;
		if (k < len && *end == '@' &&
		    put_placeholder(&b, s + i + 1, k - i - 1, f)) {
			i = k + 1;
			continue;
		}
		buf_add(&b, "@", 1);
		i++;
	}
	return buf_take(&b);
}

/* ---- copying the tree ---- */

struct init {
	struct fill fill;
	bool quiet;
	unsigned created, kept;
};

static enum brief_status read_template(const char *path, char **out,
				       size_t *len, mode_t *mode,
				       struct diag *err)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *s;
	size_t got = 0;

	if (fd < 0)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot read: %s",
				strerror(errno));
	if (fstat(fd, &st) != 0 || st.st_size > TEMPLATE_MAX) {
		close(fd);
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"cannot read: not a template (over 1 MB)");
	}
	s = malloc((size_t)st.st_size + 1);
	if (!s) {
		close(fd);
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, s + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*out = s;
	*len = got;
	*mode = (st.st_mode & 0111) ? 0777 : 0666;
	return BRIEF_OK;
}

/* Write a new file; an existing one is kept (counted, never touched). */
static enum brief_status write_new(struct init *in, const char *path,
				   const char *rel, const char *text,
				   mode_t mode, struct diag *err)
{
	size_t n = strlen(text), done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);

	if (fd < 0 && errno == EEXIST) {
		in->kept++;
		if (!in->quiet)
			printf("  kept     %s (it exists)\n", rel);
		return BRIEF_OK;
	}
	if (fd < 0)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot create: %s",
				strerror(errno));
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;

			close(fd);
			unlink(path);
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"cannot write: %s", strerror(e));
		}
		done += (size_t)w;
	}
	if (close(fd) != 0) {
		unlink(path);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write: %s",
				strerror(errno));
	}
	in->created++;
	if (!in->quiet)
		printf("  created  %s\n", rel);
	return BRIEF_OK;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a directory, sorted (so the output is stable). */
static enum brief_status list_dir(const char *dir, char ***out, size_t *n,
				  struct diag *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return diag_set(err, BRIEF_EIO, dir, 0, 0, "cannot read: %s",
				strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) *
						       sizeof *v);

			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[*n] = strdup(e->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, name_cmp);
	*out = v;
	return BRIEF_OK;
nomem:
	closedir(d);
	while (*n)
		free(v[--*n]);
	free(v);
	return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
}

static void free_list(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

/* Copy template directory src (rel: its path inside the project) into
 * dst, which exists. */
static enum brief_status copy_tree(struct init *in, const char *src,
				   const char *dst, const char *rel, int depth,
				   struct diag *err)
{
	char **names;
	size_t n, i;
	enum brief_status st;

	if (depth > 8)
		return diag_set(err, BRIEF_EIO, src, 0, 0,
				"templates nested too deep");
	st = list_dir(src, &names, &n, err);
	for (i = 0; i < n && !st; i++) {
		char s[PATH_MAX], d[PATH_MAX], r[PATH_MAX];
		struct stat sb;

		if (snprintf(s, sizeof s, "%s/%s", src, names[i]) >= (int)sizeof s ||
		    snprintf(d, sizeof d, "%s/%s", dst, names[i]) >= (int)sizeof d ||
		    snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "",
			     names[i]) >= (int)sizeof r) {
			st = diag_set(err, BRIEF_EIO, src, 0, 0, "path too long");
			break;
		}
		if (lstat(s, &sb) != 0) {
			st = diag_set(err, BRIEF_EIO, s, 0, 0, "cannot read: %s",
				      strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			if (mkdir(d, 0777) != 0 && errno != EEXIST)
				st = diag_set(err, BRIEF_EIO, d, 0, 0,
					      "cannot create directory: %s",
					      strerror(errno));
			else if (!is_dir(d))
				st = diag_set(err, BRIEF_EIO, d, 0, 0,
					      "exists and is not a directory");
			else
				st = copy_tree(in, s, d, r, depth + 1, err);
		} else if (S_ISREG(sb.st_mode)) {
			char *text = NULL, *filled;
			size_t len = 0;
			mode_t mode = 0666;

			st = read_template(s, &text, &len, &mode, err);
			if (st)
				break;
			filled = fill_text(text, len, &in->fill);
			free(text);
			if (!filled) {
				st = diag_set(err, BRIEF_ENOMEM, s, 0, 0,
					      "out of memory");
				break;
			}
			st = write_new(in, d, r, filled, mode, err);
			free(filled);
		}
	}
	free_list(names, n);
	return st;
}

/* ---- the target directory ---- */

/* mkdir -p */
static enum brief_status make_dirs(const char *path, struct diag *err)
{
	char p[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof p)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "path too long");
	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return diag_set(err, BRIEF_EIO, p, 0, 0,
					"cannot create directory: %s",
					strerror(errno));
		p[i] = i == n ? '\0' : '/';
	}
	if (!is_dir(path))
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"exists and is not a directory");
	return BRIEF_OK;
}

static bool dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return false;
	while (empty && (e = readdir(d)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 ||
			strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* Where brief's documentation and data dictionary are: the installed
 * DOCDIR (make install), else the source tree the templates are part of;
 * both have docs/ and datasets/README.md. */
static void find_docs(const char *templates, char *docs, char *dict,
		      size_t size)
{
	char real[PATH_MAX], base[PATH_MAX];
	const char *slash;

	snprintf(base, sizeof base, "%s", BRIEF_DOCDIR);
	if (!is_dir(BRIEF_DOCDIR) && realpath(templates, real) &&
	    (slash = strrchr(real, '/')))
		snprintf(base, sizeof base, "%.*s", (int)(slash - real), real);
	snprintf(docs, size, "%.*s/docs", PATH_MAX - 8, base);
	snprintf(dict, size, "%.*s/datasets/README.md", PATH_MAX - 24, base);
}

static const struct option init_opts[] = {
	{"force", no_argument, NULL, 'f'},
	{"templates", required_argument, NULL, 't'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

int cmd_init(int argc, char **argv)
{
	const char *given = NULL, *dir, *tdir;
	char tbuf[PATH_MAX], src[PATH_MAX + 16], absdir[PATH_MAX],
		bin[PATH_MAX], docs[PATH_MAX], dict[PATH_MAX];
	struct init in;
	struct diag err;
	enum brief_status st;
	bool force = false;
	int c;

	memset(&in, 0, sizeof in);
	memset(&err, 0, sizeof err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "fqh", init_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 't':
			given = optarg;
			break;
		case 'q':
			in.quiet = true;
			break;
		case 'h':
			cli_help(stdout, "init");
			return 0;
		default:
			fprintf(stderr, "Try 'brief help init'.\n");
			return 2;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("init", "init takes one DIR");
	dir = argv[optind];
	tdir = cli_share_dir(given, "BRIEF_TEMPLATES", "templates",
			     BRIEF_TEMPLATEDIR, tbuf, sizeof tbuf);
	snprintf(src, sizeof src, "%s/project", tdir);
	if (!is_dir(src)) {
		fprintf(stderr,
			"brief: %s: no project template (is brief installed? "
			"--templates DIR or BRIEF_TEMPLATES name another)\n",
			src);
		return 3;
	}
	if (is_dir(dir) && !dir_empty(dir) && !force)
		return cli_usage_error("init",
				       "%s is not empty; --force adds the project "
				       "files to it (existing files are kept)",
				       dir);
	st = make_dirs(dir, &err);
	if (!st && !realpath(dir, absdir))
		st = diag_set(&err, BRIEF_EIO, dir, 0, 0, "cannot resolve: %s",
			      strerror(errno));
	if (!st) {
		ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 1);

		if (n <= 0)
			st = diag_set(&err, BRIEF_EINTERNAL, "/proc/self/exe", 0, 0,
				      "internal error in init: cannot tell "
				      "where brief is: %s",
				      strerror(errno));
		else
			bin[n] = '\0';
	}
	if (!st) {
		in.fill.dir = absdir;
		in.fill.bin = bin;
		find_docs(tdir, docs, dict, sizeof docs);
		in.fill.docs = docs;
		in.fill.dictionary = dict;
		if (!in.quiet)
			printf("brief: new project in %s\n", absdir);
		st = copy_tree(&in, src, absdir, "", 0, &err);
	}
	if (st) {
		diag_print(stderr, &err, DIAG_ERROR);
		return brief_exit_code(st);
	}
	if (!in.quiet) {
		if (in.kept)
			printf("brief: %u created, %u kept as they were\n",
			       in.created, in.kept);
		printf("\nNext:\n  cd %s\n  brief check && brief check "
		       "layouts/briefing.md\n  brief build layouts/briefing.md"
		       "   # -> reports/briefing.pdf\n"
		       "Every row is EXAMPLE DATA: replace the datasets, then "
		       "the layout's text.\nREADME.md there says what each "
		       "file is for.\n",
		       dir);
	}
	return 0;
}
