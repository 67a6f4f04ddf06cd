/*
 * command.h - the command tree of the pgkeel binary.
 *
 * Each command group (create, show, perform, ...) lives in its own
 * cmd_*.c file and exports a Command; cli_main() walks the tree, parses
 * the flags the chosen command declares, prints help, and runs it.
 */
#ifndef PGK_COMMAND_H
#define PGK_COMMAND_H

#include <stddef.h>

#include <jansson.h>

#include "cli/flags.h"

typedef struct Command Command;

typedef int (*CommandFn)(const Command *cmd, Flags *flags);

struct Command {
	const char *name;
	const char *summary;     /* one line, shown in the parent's help */
	const char *description; /* paragraphs shown in this command's help */
	const FlagDef *flags;
	size_t nflags;
	const Command *const *subs; /* NULL-terminated, or NULL */
	CommandFn run;              /* NULL for a pure group */
	int max_args;               /* positional arguments accepted */
	const char *args_usage;     /* e.g. "NAME VALUE" */
};

#define FLAGS(arr) (arr), (sizeof(arr) / sizeof((arr)[0]))
#define NO_FLAGS NULL, 0

/* Runs the command argv names; returns its exit code (common/exitcode.h);
 * a success whose output could not be written becomes EXIT_FAILED (said
 * on stderr, but for a closed pipe). */
int cli_main(int argc, char **argv);

/* The command line cli_main was given, in its order (ending in NULL);
 * NULL outside cli_main, or when it could not be kept (out of memory). */
char *const *cli_argv(void);

/* The full command path ("show state") of the command being run;
 * "pgkeel" before one is chosen, never NULL. */
const char *cli_command_path(void);

/* Prints j to stdout, indented, with a newline, and frees it (NULL:
 * the newline alone). */
void cli_print_json(json_t *j);

/*
 * Runs the monitor or keeper of a node in the foreground, holding its PID
 * file (cmd_node.c); until_stable stops a keeper once its node reached a
 * stable state.
 */
int cli_run_service(const Config *cfg, bool until_stable);

/* The command groups: cmd_<group>.c each, but enable, disable and drop
 * (cmd_admin.c), run, stop and status (cmd_node.c), and version
 * (command.c). */
extern const Command cmd_create;
extern const Command cmd_run;
extern const Command cmd_stop;
extern const Command cmd_status;
extern const Command cmd_show;
extern const Command cmd_explain;
extern const Command cmd_perform;
extern const Command cmd_enable;
extern const Command cmd_disable;
extern const Command cmd_drop;
extern const Command cmd_config;
extern const Command cmd_config_check; /* config check */
extern const Command show_monitors;    /* show monitors */
extern const Command cmd_watch;
extern const Command cmd_do;
extern const Command cmd_version;
extern const Command cmd_rotate;
extern const Command cmd_drill;
extern const Command cmd_store;

#endif
