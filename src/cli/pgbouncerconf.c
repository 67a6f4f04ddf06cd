/*
 * pgbouncerconf.c - `pgkeel show pgbouncer-config`: the formation's
 * primary as pgBouncer's [databases] section, written by the same code
 * as the file the primary's keeper keeps up to date.
 */
#include "cli/pgbouncerconf.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "pg/pgbouncer.h"

static int show_pgbouncer_run(const Command *cmd, Flags *flags)
{
	Config cfg;
	Store *s = nodeconf_open_for_show(flags, &cfg);
	StoreFormation *f = s ? nodeconf_read_formation(s, &cfg) : NULL;
	const StoreNode *p = f ? store_formation_primary(f) : NULL;
	int code = !s ? EXIT_STORE : !f ? nodeconf_store_exit(s) : EXIT_FAILED;

	(void)cmd;
	if (f && !p)
		fprintf(stderr, "%s: formation %s has no primary now\n",
			cli_command_path(), f->name);
	if (p && pgbouncer_write_databases(stdout, f->name,
					   config_get(&cfg, S_PGB_DATABASE),
					   p->host, p->port))
		code = EXIT_OK;
	else if (p)
		fprintf(stderr, "%s: the primary's host in the store is not "
				"valid\n",
			cli_command_path());
	free(f);
	store_close(s);
	return code;
}

static const FlagDef pgbouncer_flags[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_FORMATION),
	FLAG_OF(S_PGB_DATABASE),
};

const Command show_pgbouncer = {
	.name = "pgbouncer-config",
	.summary = "pgBouncer's [databases] section, host= the primary",
	.description =
		"Prints the [databases] section of a pgBouncer in front of "
		"the formation: one pool (--pgbouncer-database, default "
		"postgres) whose server is the current primary. Keepers "
		"given [pgbouncer] settings keep such a file up to date and "
		"pause the pool during a switchover; see docs/pgbouncer.md.",
	.flags = FLAGS(pgbouncer_flags),
	.run = show_pgbouncer_run,
};
