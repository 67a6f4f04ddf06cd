/*
 * systemdunit.h - the systemd unit that runs one node's monitor or keeper
 * (`pgkeel show systemd`), and the template unit pgkeel@.service the
 * package installs, both written by the same code (docs/systemd.md).
 */
#ifndef PGK_SYSTEMDUNIT_H
#define PGK_SYSTEMDUNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/command.h"

typedef struct {
	const char *description;
	const char *user;   /* User=, or NULL */
	const char *home;   /* PGKEEL_HOME, or NULL to leave it unset */
	const char *exec;   /* absolute path of the pgkeel binary */
	const char *pgdata; /* absolute; ignored for the template */
	bool template;      /* pgkeel@.service: the instance names PGDATA */
	int watchdog_s;     /* WatchdogSec= */
	int stop_timeout_s; /* TimeoutStopSec= */
} SystemdUnit;

/*
 * The longest a cycle of the loop may take without hanging: a transition
 * that stops and starts Postgres (each bounded by pg_ctl's timeout), two
 * calls to the store and the interval between cycles; in seconds,
 * rounded up. Copies with pg_basebackup and pg_rewind feed the watchdog
 * on each progress line, so their length does not count.
 */
int systemd_watchdog_sec(int64_t interval_ms, int64_t store_timeout_ms);
/* The cycle under way when SIGTERM arrives, then a clean Postgres stop. */
int systemd_stop_timeout_sec(int watchdog_s);

/* Writes the unit; false (with err) for a value a unit cannot hold. */
bool systemd_unit_write(FILE *out, const SystemdUnit *u, char *err,
			size_t errlen);

/* `pgkeel show systemd` (cmd_show_systemd.c). */
extern const Command show_systemd;

#endif
