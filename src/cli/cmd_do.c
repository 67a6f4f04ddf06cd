/*
 * cmd_do.c - `pgkeel do ...`: the keeper's node operations one at a time,
 * for experts, debugging and the integration tests. Each subcommand runs
 * one operation of pg/pgnode.h against the data directory named by
 * --pgdata and exits; none needs a monitor.
 */
#include "cli/command.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/nodeflags.h"
#include "common/exitcode.h"
#include "common/log.h"
#include "common/reaper.h"
#include "common/signals.h"
#include "common/timeutil.h"
#include "pg/pgnode.h"
#include "pg/pgnode_supervise.h"
#include "pg/pgslots.h"

#define DO_FLAGS                                                          \
	FLAG_OF_REQUIRED(S_PGDATA), FLAG_OF(S_PGPORT), FLAG_OF(S_BINDIR),  \
		FLAG_OF(S_NAME), FLAG_OF(S_LISTEN_ADDRESSES),              \
		FLAG_OF(S_SOCKET_DIR), FLAG_OF(S_DBNAME), FLAG_OF(S_AUTH), \
		FLAG_OF(S_REPL_USER), FLAG_OF(S_REPL_PASSWORD),            \
		FLAG_OF(S_LOG_LEVEL), FLAG_OF(S_RESTART_RETRIES),          \
		FLAG_OF(S_KEEPER_INTERVAL),                                \
		FLAG_VALUE("upstream-host", "HOST", "the primary to follow", \
			   VAL_HOST, 0, 0, NULL),                          \
		FLAG_VALUE("upstream-port", "PORT", "its port", VAL_PORT,  \
			   1, 65535, NULL),                                \
		FLAG_VALUE("upstream-slot", "SLOT",                        \
			   "our slot on the primary", VAL_NAME, 0, 0,      \
			   NULL),                                          \
		FLAG_VALUE("allow-hosts", "H1,H2",                         \
			   "hosts admitted for replication", VAL_STRING,   \
			   0, 0, NULL),                                    \
		FLAG_VALUE("sync-names", "TEXT",                           \
			   "synchronous_standby_names", VAL_TEXT, 0, 0,    \
			   NULL),                                          \
		FLAG_VALUE("mode", "MODE", "stop mode", VAL_ENUM, 0, 0,    \
			   "smart|fast|immediate"),                        \
		FLAG_VALUE("slots", "S1,S2",                               \
			   "the slots this server must hold", VAL_TEXT, 0, \
			   0, NULL),                                       \
		FLAG_SWITCH("immediate", "immediate (fence)"),             \
		FLAG_SWITCH("json", "print JSON")

static const FlagDef do_flags[] = {DO_FLAGS};

static int report(bool ok, const char *what, const char *err)
{
	if (ok) {
		printf("%s: done\n", what);
		return EXIT_OK;
	}
	fprintf(stderr, "%s failed: %s\n", what, err);
	return EXIT_PGSQL;
}

static json_t *observation_json(const Observation *o)
{
	char a[LSN_TEXT_LEN], b[LSN_TEXT_LEN], c[LSN_TEXT_LEN];
	json_t *standbys = json_array();

	for (size_t i = 0; i < o->nstandbys; i++) {
		const ObservedStandby *s = &o->standbys[i];
		json_array_append_new(
			standbys,
			json_pack("{s:s, s:s, s:s, s:s}", "application_name",
				  s->application_name, "state", s->state,
				  "sync_state", s->sync_state, "flush_lsn",
				  lsn_format(s->flush_lsn, a, sizeof(a))));
	}
	return json_pack(
		"{s:b, s:b, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:b, s:s, s:o}",
		"running", o->running, "in_recovery", o->in_recovery,
		"current_lsn", lsn_format(o->current_lsn, a, sizeof(a)),
		"receive_lsn", lsn_format(o->receive_lsn, b, sizeof(b)),
		"replay_lsn", lsn_format(o->replay_lsn, c, sizeof(c)),
		"timeline", o->timeline, "receiver_status", o->receiver_status,
		"upstream_host", o->upstream_host, "upstream_port",
		o->upstream_port, "pending_restart", o->pending_restart,
		"sync_names", o->sync_names, "standbys", standbys);
}

static int do_observe(const PgNode *node)
{
	Observation obs;
	char err[1024];

	if (!pgnode_is_running(node)) {
		memset(&obs, 0, sizeof(obs));
	} else if (!pgnode_observe(node, &obs, err, sizeof(err))) {
		fprintf(stderr, "observe failed: %s\n", err);
		return EXIT_PGSQL;
	}
	cli_print_json(observation_json(&obs));
	return EXIT_OK;
}

static int do_slots(const PgNode *node, const Flags *flags)
{
	char err[1024], list[1024];
	const char *names[SLOTS_MAX];
	size_t n = 0;
	PgConn pc;

	snprintf(list, sizeof(list), "%s",
		 flags_get(flags, "slots") ? flags_get(flags, "slots") : "");
	for (char *save = NULL, *t = strtok_r(list, ",", &save);
	     t && n < SLOTS_MAX; t = strtok_r(NULL, ",", &save))
		names[n++] = t;
	if (!pgnode_connect(node, &pc, err, sizeof(err)))
		return report(false, "slots", err);
	bool ok = slots_sync(&pc, names, n, LSN_INVALID);
	snprintf(err, sizeof(err), "%s", pc.error);
	pg_disconnect(&pc);
	return report(ok, "slots", err);
}

/* Keeps Postgres running until SIGTERM, restarting it after crashes. */
static int do_supervise(const PgNode *node)
{
	Supervisor sup;
	char err[1024];
	bool gave_up = false;

	supervisor_init(&sup, node->restart_retries);
	signals_install();
	reaper_adopt_orphans();
	log_info("supervising Postgres in %s", node->pgdata);
	while (signals_stop_requested() == SIGNAL_STOP_NONE) {
		reaper_reap();
		SuperviseAction a = pgnode_supervise(
			node, &sup, true, time_monotonic_ms(), err, sizeof(err));
		if (a == SUPERVISE_GAVE_UP && !gave_up)
			log_error("Postgres keeps failing; not restarting it "
				  "again: %s", err);
		gave_up = a == SUPERVISE_GAVE_UP;
		time_sleep_ms(node->interval_ms);
	}
	return EXIT_OK;
}

static PgStopMode stop_mode(const Flags *flags)
{
	const char *m = flags_get(flags, "mode");
	if (m && strcmp(m, "smart") == 0)
		return STOP_SMART;
	if (m && strcmp(m, "immediate") == 0)
		return STOP_IMMEDIATE;
	return STOP_FAST;
}

static int run_do(const Command *cmd, Flags *flags)
{
	PgNode node;
	char err[2048] = "";
	const char *op = cmd->name;
	int timeline = 0;
	bool ok;

	if (!nodeflags_to_pgnode(flags, &node, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (strcmp(op, "observe") == 0)
		return do_observe(&node);
	if (strcmp(op, "slots") == 0)
		return do_slots(&node, flags);
	if (strcmp(op, "supervise") == 0)
		return do_supervise(&node);
	if (strcmp(op, "init-primary") == 0)
		ok = pgnode_init_primary(&node, err, sizeof(err));
	else if (strcmp(op, "adopt") == 0)
		ok = pgnode_adopt(&node, err, sizeof(err));
	else if (strcmp(op, "clone") == 0)
		ok = pgnode_clone_standby(&node, err, sizeof(err));
	else if (strcmp(op, "start") == 0)
		ok = pgnode_start(&node, err, sizeof(err));
	else if (strcmp(op, "stop") == 0)
		ok = pgnode_stop(&node, stop_mode(flags), err, sizeof(err));
	else if (strcmp(op, "promote") == 0)
		ok = pgnode_promote(&node, &timeline, err, sizeof(err));
	else if (strcmp(op, "demote") == 0)
		ok = pgnode_demote(&node, err, sizeof(err));
	else if (strcmp(op, "fence") == 0)
		ok = pgnode_fence(&node, flags_has(flags, "immediate"), err,
				  sizeof(err));
	else if (strcmp(op, "rejoin") == 0)
		ok = pgnode_rejoin(&node, err, sizeof(err));
	else /* follow, configure: rewrite the configuration and reload */
		ok = pgnode_follow(&node, err, sizeof(err));
	if (ok && timeline)
		printf("timeline %d\n", timeline);
	return report(ok, op, err);
}

#define DO_CMD(var, cmdname, text)                                        \
	static const Command var = {.name = cmdname,                      \
				    .summary = text,                      \
				    .flags = FLAGS(do_flags),             \
				    .run = run_do}

DO_CMD(do_init, "init-primary", "initdb (unless done), configure, start");
DO_CMD(do_adopt, "adopt", "take over an existing data directory");
DO_CMD(do_clone, "clone", "pg_basebackup from --upstream-* and stream");
DO_CMD(do_start, "start", "start Postgres");
DO_CMD(do_stop, "stop", "stop Postgres (--mode)");
DO_CMD(do_promote, "promote", "promote a standby and wait for writes");
DO_CMD(do_demote, "demote", "restart a primary as standby of --upstream-*");
DO_CMD(do_fence, "fence", "stop accepting writes now (--immediate)");
DO_CMD(do_follow, "follow", "point a standby at --upstream-* (reload)");
DO_CMD(do_configure, "configure",
       "rewrite the managed configuration (--sync-names...) and reload");
DO_CMD(do_rejoin, "rejoin", "pg_rewind (or re-clone) to follow --upstream-*");
DO_CMD(do_obs, "observe", "print what the keeper sees, as JSON");
DO_CMD(do_slot, "slots", "create/drop pgkeel slots to match --slots");
DO_CMD(do_sup, "supervise", "keep Postgres running, restarting it on crash");

static const Command *const do_subs[] = {
	&do_init,   &do_adopt,   &do_clone,     &do_start,  &do_stop,
	&do_promote, &do_demote, &do_fence,     &do_follow, &do_configure,
	&do_rejoin, &do_obs,     &do_slot,      &do_sup,   NULL};

const Command cmd_do = {
	.name = "do",
	.summary = "run one node operation (expert and test use)",
	.description =
		"Runs one of the keeper's operations on the local data "
		"directory and\nexits. Meant for debugging and tests: in "
		"production the keeper decides\nwhat to run.",
	.subs = do_subs,
};
