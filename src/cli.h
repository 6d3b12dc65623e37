/* cli.h — the commands besides build and check, and the help text of
 * every command. Each cmd_* function takes the arguments after its name
 * (argv[0] is the command name, as getopt expects), prints its own output
 * and diagnostics, and returns the process exit status (see brief(1)). */
#ifndef BRIEF_CLI_H
#define BRIEF_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* ---- help (cmd_help.c) ---- */

/* True for a command brief has. */
bool cli_is_command(const char *name);
/* Print the help of `command` (its synopsis, what it does, its options)
 * or, for NULL, the overview of all commands. False for an unknown
 * command (nothing printed). */
bool cli_help(FILE *out, const char *command);
/* `brief help [COMMAND]`. */
int cmd_help(int argc, char **argv);
/* "brief: <message>\nTry 'brief help <command>'.\n" on stderr; returns 2
 * (a usage error). command may be NULL. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the commands ---- */

int cmd_init(int argc, char **argv);  /* cmd_init.c */
int cmd_diff(int argc, char **argv);  /* cmd_diff.c */
int cmd_watch(int argc, char **argv); /* cmd_watch.c */

/* A directory of brief's shared files (cmd_init.c): `given` (an option)
 * if set, else
 * the environment variable env, else `sub` beside the running executable
 * (the source tree), else installed (which may be NULL). May write into
 * buf; returns the directory. The fonts, catalogues, mappings and
 * templates are all found so. */
const char *cli_share_dir(const char *given, const char *env,
			  const char *sub, const char *installed, char *buf,
			  size_t size);

#endif
