/* timeit.c — run commands in turn, RUNS times each, and print for each
 * its wall time (median, min, max, in seconds), its peak resident memory
 * (median, KB) and its CPU time (median user + system, seconds), one line
 * per command in the order given. The commands alternate run by run, so
 * that a brief command and its floor see the same machine: on a shared
 * host the ratio of two medians taken this way is steadier than either.
 * One unmeasured warm-up run each first. Used by tools/bench.sh; not part
 * of brief.
 *
 * Usage: timeit RUNS CMD [ARGS...] [';;' CMD [ARGS...]]...
 * Output of the commands goes to /dev/null; a command that exits non-zero
 * is reported on stderr and makes timeit exit 1. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8

struct wait4_result {
	double wall, cpu;
	long rss;
	int ok;
};

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);

static struct wait4_result run(char **argv)
{
	struct wait4_result r = {0, 0, 0, 0};
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r.wall = (double)(t1.tv_sec - t0.tv_sec) +
		 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	r.rss = ru.ru_maxrss;
	r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	char **cmd[MAX_CMDS];
	int ncmd = 0, runs, i, k, bad = 0;
	double *wall[MAX_CMDS], *cpu[MAX_CMDS], *rss[MAX_CMDS];

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: timeit RUNS CMD [ARGS...] [';;' CMD...]\n");
		return 2;
	}
	cmd[ncmd++] = &argv[2];
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], ";;") == 0) {
			argv[i] = NULL;
			if (ncmd == MAX_CMDS || i + 1 >= argc)
				return 2;
			cmd[ncmd++] = &argv[i + 1];
		}
	for (k = 0; k < ncmd; k++) {
		wall[k] = calloc((size_t)runs, sizeof **wall);
		cpu[k] = calloc((size_t)runs, sizeof **cpu);
		rss[k] = calloc((size_t)runs, sizeof **rss);
		if (!wall[k] || !cpu[k] || !rss[k])
			return 1;
		(void)run(cmd[k]);
	}
	for (i = 0; i < runs; i++)
		for (k = 0; k < ncmd; k++) {
			struct wait4_result r = run(cmd[k]);

			if (!r.ok) {
				fprintf(stderr, "timeit: %s failed\n", cmd[k][0]);
				bad = 1;
			}
			wall[k][i] = r.wall;
			cpu[k][i] = r.cpu;
			rss[k][i] = (double)r.rss;
		}
	for (k = 0; k < ncmd; k++) {
		double med = median(wall[k], runs);

		/* median(), having sorted, leaves min and max at the ends. */
		printf("%.6f %.6f %.6f %.0f %.6f\n", med, wall[k][0],
		       wall[k][runs - 1], median(rss[k], runs),
		       median(cpu[k], runs));
	}
	return bad;
}
