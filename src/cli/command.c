/*
 * command.c - walking the command tree, help output and dispatch.
 */
#include "cli/command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cligen.h"
#include "common/exitcode.h"
#include "common/version.h"

/* The version: `pgkeel version` and `pgkeel --version`. */
static int run_version(const Command *cmd, Flags *flags)
{
	(void)cmd;
	(void)flags;
	printf("pgkeel %s\n", PGKEEL_VERSION);
	return EXIT_OK;
}

const Command cmd_version = {
	.name = "version",
	.summary = "print the version",
	.run = run_version,
};

static const Command *const top_level[] = {
	&cmd_create, &cmd_run,  &cmd_stop,   &cmd_status,
	&cmd_show,   &cmd_explain, &cmd_perform, &cmd_enable, &cmd_disable,
	&cmd_drop,   &cmd_config, &cmd_watch, &cmd_do, &cmd_rotate, &cmd_drill,
	&cmd_store,
	&cmd_version, NULL};

static const Command root = {
	.name = "pgkeel",
	.summary = "high availability for PostgreSQL",
	.description =
		"pgkeel keeps a PostgreSQL service available: a monitor watches "
		"a primary\nand its standbys, and a keeper beside each Postgres "
		"carries out its\ndecisions (failover, switchover, rejoin).",
	.subs = top_level,
};

static char command_path[256] = "pgkeel";
static char *const *main_argv;

char *const *cli_argv(void)
{
	return main_argv;
}

const char *cli_command_path(void)
{
	return command_path;
}

static void print_flag(FILE *out, const FlagDef *def)
{
	char left[96];
	const char *metavar = flag_metavar(def);

	snprintf(left, sizeof(left), "--%s%s%s", flag_name(def),
		 metavar ? " " : "", metavar ? metavar : "");
	fprintf(out, "  %-34s %s%s\n", left, flag_help(def),
		def->required ? " (required)" : "");
	if (flag_default(def))
		fprintf(out, "  %-34s [default: %s]\n", "", flag_default(def));
}

static void print_help(FILE *out, const Command *cmd)
{
	fprintf(out, "Usage: %s", command_path);
	if (cmd->subs)
		fprintf(out, " COMMAND");
	if (cmd->nflags)
		fprintf(out, " [FLAGS]");
	if (cmd->args_usage)
		fprintf(out, " %s", cmd->args_usage);
	fprintf(out, "\n\n%s\n", cmd->description ? cmd->description
						   : cmd->summary);
	if (cmd->subs) {
		fprintf(out, "\nCommands:\n");
		for (size_t i = 0; cmd->subs[i]; i++)
			fprintf(out, "  %-16s %s\n", cmd->subs[i]->name,
				cmd->subs[i]->summary);
		fprintf(out, "\nRun `%s COMMAND --help` for a command's flags.\n",
			command_path);
	}
	fprintf(out, "\nFlags:\n");
	for (size_t i = 0; i < cmd->nflags; i++)
		print_flag(out, &cmd->flags[i]);
	fprintf(out, "  %-34s %s\n", "--help", "show this help");
}

static const Command *find_sub(const Command *cmd, const char *name)
{
	for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) {
		if (strcmp(cmd->subs[i]->name, name) == 0)
			return cmd->subs[i];
	}
	return NULL;
}

static void append_path(const char *name)
{
	size_t n = strlen(command_path);
	snprintf(command_path + n, sizeof(command_path) - n, " %s", name);
}

static int run_group(const Command *cmd, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		print_help(argc < 2 ? stderr : stdout, cmd);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (cmd == &root && strcmp(argv[1], "--version") == 0)
		return cmd_version.run(&cmd_version, NULL);
	const Command *sub = find_sub(cmd, argv[1]);
	if (!sub) {
		fprintf(stderr, "%s: unknown command \"%s\"\n", command_path,
			argv[1]);
		fprintf(stderr, "Run `%s --help` for the list of commands.\n",
			command_path);
		return EXIT_USAGE;
	}
	append_path(sub->name);
	if (sub->subs)
		return run_group(sub, argc - 1, argv + 1);
	Flags flags;
	bool want_help;
	bool parsed = flags_parse(sub->flags, sub->nflags, argc - 1, argv + 1,
				  &flags, &want_help,
				  command_path + strlen("pgkeel "));
	if (!parsed || want_help || flags.nargs > sub->max_args) {
		if (parsed && want_help)
			print_help(stdout, sub);
		else if (parsed)
			fprintf(stderr, "%s: unexpected argument \"%s\"\n",
				command_path, flags.args[sub->max_args]);
		flags_free(&flags);
		return !parsed || !want_help ? EXIT_USAGE : EXIT_OK;
	}
	int rc = sub->run(sub, &flags);
	flags_free(&flags);
	return rc;
}

/* Output that could not be written (a full disk, a closed pipe) fails
 * the command: a script must not take a cut file for a whole one. */
static int output_written(int rc)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	if (errno != EPIPE)
		fprintf(stderr, "%s: cannot write the output: %s\n",
			command_path, errno ? strerror(errno) : "write error");
	return rc == EXIT_OK ? EXIT_FAILED : rc;
}

void cli_print_json(json_t *j)
{
	if (j)
		json_dumpf(j, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(j);
}

int cli_main(int argc, char **argv)
{
	/* not a command: what packaging makes from this tree (cligen.h) */
	if (argc >= 2 && strcmp(argv[1], CLIGEN_COMMAND) == 0)
		return output_written(cligen_main(&root, argc - 1, argv + 1));
	/* as given: getopt moves the arguments that are not flags last */
	char **given = malloc(((size_t)argc + 1) * sizeof(char *));
	if (given)
		memcpy(given, argv, ((size_t)argc + 1) * sizeof(char *));
	main_argv = given;
	int rc = output_written(run_group(&root, argc, argv));
	main_argv = NULL;
	free(given);
	return rc;
}

