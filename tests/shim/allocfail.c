/* allocfail.c — allocation-failure injection for `make allocfail`.
 *
 * Linked into a build of brief with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=strdup,--wrap=strndup: every allocation brief's
 * own code makes comes here first (the libraries' own allocations do not:
 * their out-of-memory handling is theirs). The environment says what to do:
 *
 *   ALLOCFAIL_N=n         the n-th allocation (1-based) fails, with errno
 *                         ENOMEM; with ALLOCFAIL_PERSIST=1 every one from
 *                         the n-th on fails. Unset or 0: none fails.
 *   ALLOCFAIL_COUNT=file  at exit, write how many allocations were made.
 *
 * When the n-th allocation fails, the call stack is printed to stderr
 * (AddressSanitizer's symbolised trace), so that a run that then crashes,
 * leaks or says the wrong thing can be traced to the branch at fault.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void __sanitizer_print_stack_trace(void);

static unsigned long count, fail_at;
static int persist, ready;

static void write_count(void)
{
	const char *path = getenv("ALLOCFAIL_COUNT");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%lu\n", count);
		fclose(f);
	}
}

static void init(void)
{
	const char *n = getenv("ALLOCFAIL_N");
	const char *p = getenv("ALLOCFAIL_PERSIST");

	ready = 1;
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	persist = p && *p == '1';
	atexit(write_count);
}

/* Count this allocation; true when it is to fail. */
static int fail_now(void)
{
	if (!ready)
		init();
	count++;
	if (!fail_at || count < fail_at || (count > fail_at && !persist))
		return 0;
	if (count == fail_at) {
		fprintf(stderr, "allocfail: failing allocation %lu here:\n",
			count);
		__sanitizer_print_stack_trace();
	}
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
	return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now() ? NULL : __real_strndup(s, n);
}
