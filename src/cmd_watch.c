/* cmd_watch.c — `brief watch LAYOUT`: build, then rebuild whenever the
 * layout or a file in its data directory changes.
 *
 * inotify watches the two directories (not the files: an editor that
 * saves by writing a new file and renaming it over the old one replaces
 * the inode a file watch would follow). A burst of events becomes one
 * rebuild: after the first, events are read until QUIET_MS pass without
 * one (at most BURST_MS in all). Each build is `brief build --if-changed`
 * run as a child process, so a change that does not change the inputs
 * (a touch, an editor's backup file) costs only the input hash, and a
 * failed build leaves the last good PDF in place (builds replace it
 * atomically). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "layout.h"

#define QUIET_MS 150
#define BURST_MS 2000
#define WATCH_MASK                                                            \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |           \
	 IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)
#define MAX_ARGS 24

struct watch {
	const char *layout;
	char layout_dir[PATH_MAX];
	const char *layout_base;
	const char *data_opt; /* -d, or NULL: the layout's `data` */
	char data_dir[PATH_MAX];
	int ifd, sfd;
	int wd_layout, wd_data; /* -1 when not watched */
	bool quiet;
	char *args[MAX_ARGS]; /* the child's argv */
	char exe[PATH_MAX];
	char changed[2 * PATH_MAX + 8]; /* what changed first, for the message */
};

/* Names an editor or brief writes beside real files: dot files (swap
 * files, brief's own temporary reports), backups, vim's write test. */
static bool ignored_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || (n && name[n - 1] == '~') ||
	       (n > 4 && (strcmp(name + n - 4, ".swp") == 0 ||
			  strcmp(name + n - 4, ".swx") == 0)) ||
	       strcmp(name, "4913") == 0;
}

static void split_path(const char *path, char *dir, size_t size,
		       const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, size, ".");
		*base = path;
	} else {
		snprintf(dir, size, "%.*s", slash == path ? 1 : (int)(slash - path),
			 path);
		*base = slash + 1;
	}
}

/* The data directory as a build would resolve it: -d, else the layout's
 * `data`. False (and the old one kept) when the layout does not load. */
static bool resolve_data(struct watch *w)
{
	struct layout_opts lo = {.data_dir = NULL};
	struct diag_sink quiet = {NULL, 0, 0, 0};
	struct diag err;
	struct doc *d = NULL;

	if (w->data_opt) {
		snprintf(w->data_dir, sizeof w->data_dir, "%s", w->data_opt);
		return true;
	}
	memset(&err, 0, sizeof err);
	if (layout_load(w->layout, &lo, &d, &quiet, &err) != BRIEF_OK)
		return false;
	snprintf(w->data_dir, sizeof w->data_dir, "%s", d->meta.data_dir);
	doc_free(d);
	return true;
}

static void watch_data(struct watch *w)
{
	int wd;

	if (!w->data_dir[0])
		return;
	wd = inotify_add_watch(w->ifd, w->data_dir, WATCH_MASK | IN_ONLYDIR);
	if (wd < 0) {
		fprintf(stderr, "brief: watch: cannot watch %s: %s\n",
			w->data_dir, strerror(errno));
		return;
	}
	if (w->wd_data >= 0 && w->wd_data != wd && w->wd_data != w->wd_layout)
		inotify_rm_watch(w->ifd, w->wd_data);
	w->wd_data = wd;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Read the queued events; true if one matters. *layout_changed says
 * whether the layout was among them. */
static bool read_events(struct watch *w, bool *layout_changed)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool relevant = false;
	ssize_t n;

	while ((n = read(w->ifd, buf, sizeof buf)) > 0) {
		char *p = buf;

		while (p < buf + n) {
			const struct inotify_event *e = (const void *)p;
			const char *name = e->len ? e->name : "";
			bool hit = false;

			p += sizeof *e + e->len;
			if (e->mask & (IN_IGNORED | IN_DELETE_SELF |
				       IN_MOVE_SELF)) {
				/* A watched directory went away. */
				if (e->wd == w->wd_data)
					w->wd_data = -1;
				if (e->wd == w->wd_layout)
					w->wd_layout = -1;
				hit = true;
			} else if (e->mask & IN_Q_OVERFLOW) {
				hit = true;
			} else if (e->wd == w->wd_layout &&
				   strcmp(name, w->layout_base) == 0) {
				*layout_changed = true;
				hit = true;
			}
			if (!hit && e->wd == w->wd_data && e->len &&
			    !ignored_name(name))
				hit = true;
			if (hit && !relevant) {
				snprintf(w->changed, sizeof w->changed, "%s%s%s",
					 e->wd == w->wd_layout ? w->layout_dir
							       : w->data_dir,
					 e->len ? "/" : "", name);
				relevant = true;
			}
		}
	}
	return relevant;
}

/* Returns 0 to go on, or a signal number when told to stop. */
static int take_signal(struct watch *w, pid_t child, int *status)
{
	struct signalfd_siginfo si;

	while (read(w->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD) {
			if (child > 0 && waitpid(child, status, WNOHANG) == child)
				return -1; /* the child is done */
			continue;
		}
		return (int)si.ssi_signo;
	}
	return 0;
}

/* Run one build; returns a stop signal, or 0. */
static int build(struct watch *w, const sigset_t *old_mask)
{
	struct pollfd pf = {w->sfd, POLLIN, 0};
	int status = 0, sig;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "brief: watch: cannot start a build: %s\n",
			strerror(errno));
		return 0;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		close(w->ifd);
		close(w->sfd);
		execv(w->exe, w->args);
		fprintf(stderr, "brief: watch: cannot run %s: %s\n", w->exe,
			strerror(errno));
		_exit(127);
	}
	for (;;) {
		if (poll(&pf, 1, -1) < 0 && errno != EINTR)
			break;
		sig = take_signal(w, pid, &status);
		if (sig < 0)
			return 0;
		if (sig > 0) {
			kill(pid, SIGTERM);
			waitpid(pid, &status, 0);
			return sig;
		}
	}
	waitpid(pid, &status, 0);
	return 0;
}

/* Wait for a relevant change (coalescing its burst); returns a stop
 * signal, or 0 when there is something to rebuild. */
static int wait_change(struct watch *w, bool *layout_changed)
{
	struct pollfd pf[2] = {{w->ifd, POLLIN, 0}, {w->sfd, POLLIN, 0}};
	bool pending = false;
	double first = 0;
	int sig;

	*layout_changed = false;
	for (;;) {
		int timeout = -1;

		if (pending) {
			double left = first + BURST_MS - now_ms();

			timeout = left < QUIET_MS ? (left > 0 ? (int)left : 0)
						  : QUIET_MS;
		}
		if (poll(pf, 2, timeout) < 0 && errno != EINTR)
			return SIGTERM;
		if (pf[1].revents && (sig = take_signal(w, 0, NULL)) > 0)
			return sig;
		if (pf[0].revents & POLLIN) {
			if (read_events(w, layout_changed) && !pending) {
				pending = true;
				first = now_ms();
			}
			continue;
		}
		if (pending)
			return 0; /* quiet for QUIET_MS, or the burst is long */
	}
}

static const struct option watch_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"data", required_argument, NULL, 'd'},
	{"charts", required_argument, NULL, 'c'},
	{"pdfa", no_argument, NULL, 'p'},
	{"fonts", required_argument, NULL, 'f'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

/* The child's command line: brief build --if-changed, the options given,
 * the layout. */
static int parse(struct watch *w, int argc, char **argv)
{
	int c, n = 0;

	w->args[n++] = w->exe;
	w->args[n++] = (char *)"build";
	w->args[n++] = (char *)"--if-changed";
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:d:qvh", watch_opts, NULL)) !=
	       -1) {
		if (n > MAX_ARGS - 4)
			return cli_usage_error("watch", "too many options");
		switch (c) {
		case 'o':
			w->args[n++] = (char *)"-o";
			w->args[n++] = optarg;
			break;
		case 'd':
			w->data_opt = optarg;
			w->args[n++] = (char *)"-d";
			w->args[n++] = optarg;
			break;
		case 'c':
			w->args[n++] = (char *)"--charts";
			w->args[n++] = optarg;
			break;
		case 'p':
			w->args[n++] = (char *)"--pdfa";
			break;
		case 'f':
			w->args[n++] = (char *)"--fonts";
			w->args[n++] = optarg;
			break;
		case 'q':
			w->quiet = true;
			w->args[n++] = (char *)"-q";
			break;
		case 'v':
			w->args[n++] = (char *)"-v";
			break;
		case 'h':
			cli_help(stdout, "watch");
			exit(0);
		default:
			fprintf(stderr, "Try 'brief help watch'.\n");
			return 2;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("watch", "watch takes one LAYOUT");
	w->layout = argv[optind];
	w->args[n++] = (char *)"--";
	w->args[n++] = argv[optind];
	w->args[n] = NULL;
	return 0;
}

int cmd_watch(int argc, char **argv)
{
	struct watch w;
	sigset_t mask, old;
	struct stat st;
	ssize_t n;
	int rc, sig = 0;

	memset(&w, 0, sizeof w);
	w.wd_layout = w.wd_data = -1;
	n = readlink("/proc/self/exe", w.exe, sizeof w.exe - 1);
	if (n <= 0) {
		fprintf(stderr, "brief: internal error in watch: cannot tell "
				"where brief is: %s\n",
			strerror(errno));
		return 4;
	}
	w.exe[n] = '\0';
	rc = parse(&w, argc, argv);
	if (rc)
		return rc;
	if (stat(w.layout, &st) != 0) {
		fprintf(stderr, "brief: %s: cannot read: %s\n", w.layout,
			strerror(errno));
		return errno == ENOENT ? 1 : 3;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "brief: %s: not a regular file\n", w.layout);
		return 1;
	}
	split_path(w.layout, w.layout_dir, sizeof w.layout_dir, &w.layout_base);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	w.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w.sfd < 0 || w.ifd < 0) {
		fprintf(stderr, "brief: watch: cannot watch files: %s\n",
			strerror(errno));
		return 3;
	}
	w.wd_layout = inotify_add_watch(w.ifd, w.layout_dir,
					WATCH_MASK | IN_ONLYDIR);
	if (w.wd_layout < 0) {
		fprintf(stderr, "brief: watch: cannot watch %s: %s\n",
			w.layout_dir, strerror(errno));
		return 3;
	}
	if (resolve_data(&w))
		watch_data(&w);
	else
		fprintf(stderr, "brief: watch: %s does not load, so its data "
				"directory is not known yet; watching the "
				"layout\n",
			w.layout);
	if (!w.quiet)
		printf("brief: watching %s%s%s (Ctrl-C stops)\n", w.layout,
		       w.data_dir[0] ? " and " : "", w.data_dir);
	fflush(stdout);
	sig = build(&w, &old);
	while (!sig) {
		bool layout_changed;

		fflush(stdout);
		sig = wait_change(&w, &layout_changed);
		if (sig)
			break;
		if (w.wd_layout < 0)
			w.wd_layout = inotify_add_watch(w.ifd, w.layout_dir,
							WATCH_MASK | IN_ONLYDIR);
		if ((layout_changed || w.wd_data < 0) && resolve_data(&w))
			watch_data(&w);
		if (!w.quiet)
			printf("brief: %s changed; rebuilding\n", w.changed);
		fflush(stdout);
		sig = build(&w, &old);
	}
	if (!w.quiet)
		printf("brief: watch stopped\n");
	close(w.ifd);
	close(w.sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}
