/* test_io.c — infile (non-blocking, regular-files-only inputs and their
 * record), outfile (atomic replace, output-is-an-input, stale temporaries,
 * the --if-changed completeness check) and the exit status of each
 * brief_status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "infile.h"
#include "outfile.h"

#define HEX "0123456789abcdef0123456789abcdef"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/brief-test-io.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	infile_forget();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *at(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *get(const char *path, size_t *len)
{
	char *data = NULL;
	struct diag err;

	if (infile_read(path, 1 << 20, &data, len, &err) != BRIEF_OK)
		return NULL;
	return data;
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(brief_exit_code(BRIEF_OK), 0);
	assert_int_equal(brief_exit_code(BRIEF_EDATA), 1);
	assert_int_equal(brief_exit_code(BRIEF_EUSAGE), 2);
	assert_int_equal(brief_exit_code(BRIEF_EIO), 3);
	assert_int_equal(brief_exit_code(BRIEF_ENOMEM), 3);
	assert_int_equal(brief_exit_code(BRIEF_EINTERNAL), 4);
}

static void test_infile_kinds(void **state)
{
	struct diag err;
	struct stat st;
	int fd = -1;

	(void)state;
	put(at("in.csv"), "a,b\n");
	assert_int_equal(infile_open(at("in.csv"), &fd, &err), BRIEF_OK);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(at("in.csv"), &st), 0);
	assert_string_equal(infile_input_path(st.st_dev, st.st_ino),
			    at("in.csv"));

	assert_int_equal(infile_open(at("missing.csv"), &fd, &err), BRIEF_EDATA);
	assert_int_equal(fd, -1);
	assert_string_equal(err.file, at("missing.csv"));
	assert_string_equal(err.msg, "no such file");

	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_int_equal(infile_open(at("fifo"), &fd, &err), BRIEF_EDATA);
	assert_string_equal(err.msg, "is a FIFO, not a regular file");
	assert_int_equal(infile_open(dir, &fd, &err), BRIEF_EDATA);
	assert_string_equal(err.msg, "is a directory, not a regular file");
	assert_int_equal(infile_open("/dev/null", &fd, &err), BRIEF_EDATA);
	assert_string_equal(err.msg, "is a character device, not a regular file");
	/* A symlink to a FIFO is the FIFO. */
	assert_int_equal(symlink(at("fifo"), at("fifo-link")), 0);
	assert_int_equal(infile_check(at("fifo-link"), &err), BRIEF_EDATA);

	assert_int_equal(infile_check_dir(dir, &err), BRIEF_OK);
	assert_int_equal(infile_check_dir(at("in.csv"), &err), BRIEF_EDATA);
	assert_string_equal(err.msg, "is a file, not a directory");
	assert_int_equal(infile_check_dir(at("fifo"), &err), BRIEF_EDATA);
	assert_int_equal(infile_check_dir(at("nope"), &err), BRIEF_EDATA);
}

static void test_infile_read(void **state)
{
	char *data = NULL;
	size_t len = 9;
	struct diag err;

	(void)state;
	put(at("r.txt"), "hello");
	assert_int_equal(infile_read(at("r.txt"), 5, &data, &len, &err),
			 BRIEF_OK);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);
	assert_int_equal(infile_read(at("r.txt"), 4, &data, &len, &err),
			 BRIEF_EDATA);
	assert_null(data);
	assert_string_equal(err.msg, "larger than 4 bytes");
	put(at("empty.txt"), "");
	assert_int_equal(infile_read(at("empty.txt"), 5, &data, &len, &err),
			 BRIEF_OK);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
}

static void test_output_is_input(void **state)
{
	struct diag err;
	int fd;

	(void)state;
	put(at("layout.md"), "# x\n");
	put(at("other.pdf"), "x");
	assert_int_equal(infile_open(at("layout.md"), &fd, &err), BRIEF_OK);
	close(fd);
	assert_int_equal(outfile_check_not_input(at("layout.md"), &err),
			 BRIEF_EUSAGE);
	assert_int_equal(symlink("layout.md", at("via-symlink.pdf")), 0);
	assert_int_equal(link(at("layout.md"), at("via-link.pdf")), 0);
	assert_int_equal(outfile_check_not_input(at("via-symlink.pdf"), &err),
			 BRIEF_EUSAGE);
	assert_int_equal(outfile_check_not_input(at("via-link.pdf"), &err),
			 BRIEF_EUSAGE);
	assert_non_null(strstr(err.msg, "is the same file as the input"));
	assert_int_equal(outfile_check_not_input(at("other.pdf"), &err),
			 BRIEF_OK);
	assert_int_equal(outfile_check_not_input(at("new.pdf"), &err),
			 BRIEF_OK);
}

static void test_atomic_write(void **state)
{
	struct outfile *o;
	struct diag err;
	struct stat st;
	char *data;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(outfile_write_atomic(at("out.pdf"), "first", 5, &err),
			 BRIEF_OK);
	data = get(at("out.pdf"), &len);
	assert_string_equal(data, "first");
	free(data);
	assert_int_equal(chmod(at("out.pdf"), 0640), 0);
	/* Written by a library through the path outfile gives. */
	assert_int_equal(outfile_begin(at("out.pdf"), &o, &err), BRIEF_OK);
	f = fopen(outfile_write_path(o), "wb");
	assert_non_null(f);
	fputs("second", f);
	assert_int_equal(fclose(f), 0);
	data = get(at("out.pdf"), &len);
	assert_string_equal(data, "first"); /* nothing changed yet */
	free(data);
	assert_int_equal(outfile_commit(o, &err), BRIEF_OK);
	data = get(at("out.pdf"), &len);
	assert_string_equal(data, "second");
	free(data);
	assert_int_equal(stat(at("out.pdf"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* Aborted: the old file stays. */
	assert_int_equal(outfile_begin(at("out.pdf"), &o, &err), BRIEF_OK);
	assert_int_equal(outfile_write(o, "third", 5, &err), BRIEF_OK);
	outfile_abort(o);
	outfile_abort(NULL);
	data = get(at("out.pdf"), &len);
	assert_string_equal(data, "second");
	free(data);
	assert_int_equal(outfile_begin(at("no/such/dir/x.pdf"), &o, &err),
			 BRIEF_EIO);
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_int_equal(outfile_begin(dir, &o, &err), BRIEF_EIO);
}

/* A pid that is no process: a child that has exited and been reaped. */
static long dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	assert_true(p > 0);
	waitpid(p, NULL, 0);
	return (long)p;
}

static void test_stale_temporaries(void **state)
{
	char stale[64], live[64], other[64];
	struct diag err;
	long dead = dead_pid();

	(void)state;
	snprintf(stale, sizeof stale, ".s.pdf.brief-%ld-abc123", dead);
	snprintf(live, sizeof live, ".s.pdf.brief-%ld-abc123", (long)getppid());
	snprintf(other, sizeof other, ".t.pdf.brief-%ld-abc123", dead);
	put(at(stale), "x");
	put(at(live), "x");
	put(at(other), "x");
	put(at(".s.pdf.brief-notes"), "x");
	assert_int_equal(outfile_write_atomic(at("s.pdf"), "new", 3, &err),
			 BRIEF_OK);
	assert_int_equal(access(at(stale), F_OK), -1);
	assert_int_equal(access(at(live), F_OK), 0);
	assert_int_equal(access(at(other), F_OK), 0); /* another output's */
	assert_int_equal(access(at(".s.pdf.brief-notes"), F_OK), 0);
}

/* A small complete PDF whose trailer /ID is id; cut bytes from the end. */
static void write_pdf(const char *path, const char *id, size_t cut)
{
	char body[2048], *p = body;
	long o1, o2, xref;

	p += sprintf(p, "%%PDF-1.4\n");
	o1 = (long)(p - body);
	p += sprintf(p, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	o2 = (long)(p - body);
	p += sprintf(p, "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
	xref = (long)(p - body);
	p += sprintf(p, "xref\n0 3\n0000000000 65535 f\r\n%010ld 00000 n\r\n"
			"%010ld 00000 n\r\n",
		     o1, o2);
	p += sprintf(p, "trailer\n<<\n/ID [ <%s> <%s> ]\n/Root 1 0 R\n/Size 3\n"
			">>\nstartxref\n%ld\n%%%%EOF\n",
		     id, id, xref);
	*(p - cut) = '\0';
	put(path, body);
}

static void test_if_changed_checks(void **state)
{
	char upper[40];
	size_t i;

	(void)state;
	write_pdf(at("good.pdf"), HEX, 0);
	assert_true(outfile_has_hash(at("good.pdf"), HEX));
	assert_false(outfile_has_hash(at("good.pdf"),
				      "ffffffffffffffffffffffffffffffff"));
	for (i = 0; HEX[i]; i++)
		upper[i] = (char)(HEX[i] >= 'a' ? HEX[i] - 'a' + 'A' : HEX[i]);
	upper[i] = '\0';
	write_pdf(at("upper.pdf"), upper, 0);
	assert_true(outfile_has_hash(at("upper.pdf"), HEX));
	write_pdf(at("cut.pdf"), HEX, 3); /* "%%EOF" damaged */
	assert_false(outfile_has_hash(at("cut.pdf"), HEX));
	put(at("text.pdf"), "/ID [ <" HEX "> <" HEX "> ]\n%%EOF\n");
	assert_false(outfile_has_hash(at("text.pdf"), HEX));
	put(at("fake.pdf"), "%PDF-1.4\ntrailer\n<< /ID [ <" HEX "> ] >>\n"
			    "startxref\n9\n%%EOF\n");
	assert_false(outfile_has_hash(at("fake.pdf"), HEX));
	/* A cross-reference stream instead of a table. */
	put(at("stream.pdf"),
	    "%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 2 /W [1 2 1] /ID [<" HEX
	    "><" HEX ">] /Root 2 0 R /Length 0 >>\nstream\n\nendstream\n"
	    "endobj\nstartxref\n9\n%%EOF\n");
	assert_true(outfile_has_hash(at("stream.pdf"), HEX));
	assert_false(outfile_has_hash(at("missing.pdf"), HEX));
	assert_false(outfile_has_hash(dir, HEX));
	assert_false(outfile_has_hash("/dev/null", HEX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_infile_kinds),
		cmocka_unit_test(test_infile_read),
		cmocka_unit_test(test_output_is_input),
		cmocka_unit_test(test_atomic_write),
		cmocka_unit_test(test_stale_temporaries),
		cmocka_unit_test(test_if_changed_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
