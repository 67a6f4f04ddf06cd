/*
 * standbypromote.c - `pgkeel perform promotion` on a standby formation
 * (docs/state-machine.md, "Standby formations"): removes
 * formation.standby_of, which the store records as an event, and waits
 * until the standby leader's keeper promoted its Postgres; its standbys
 * follow it on its new timeline.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/command.h"
#include "cli/perform.h"
#include "common/exitcode.h"
#include "common/timeutil.h"

#define PROMOTE_WAIT_MS 120000

/* The leader reports a writable Postgres. */
static bool promoted(Store *s, const char *formation, StoreFormation *f)
{
	if (!store_get_formation(s, formation, f))
		return false;
	const StoreNode *p = store_formation_primary(f);
	return p && p->report.pg_running && !p->report.in_recovery &&
	       p->reported == p->goal;
}

int perform_standby_promotion(Store *s, const StoreFormation *f, bool wait)
{
	const StoreNode *p = store_formation_primary(f);
	StoreFormation *now;

	if (!p || p->reported != p->goal) {
		fprintf(stderr, "%s: formation %s has no settled standby leader "
				"now (see `pgkeel show state`)\n",
			cli_command_path(), f->name);
		return EXIT_REFUSED;
	}
	if (!store_set_setting(s, f->name, "", "formation.standby_of", "")) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), s->error);
		return EXIT_FAILED;
	}
	printf("formation %s is no longer a standby formation: promoting "
	       "its standby leader %s\n",
	       f->name, p->name);
	if (!wait || !(now = calloc(1, sizeof(*now))))
		return EXIT_OK;
	int64_t t0 = time_monotonic_ms();
	while (!promoted(s, f->name, now) &&
	       time_monotonic_ms() - t0 < PROMOTE_WAIT_MS)
		time_sleep_ms(200);
	bool done = promoted(s, f->name, now);
	free(now);
	if (done) {
		printf("%s is the primary\n", p->name);
		return EXIT_OK;
	}
	fprintf(stderr, "%s: %s was not promoted within %d s; see its "
			"keeper's log\n",
		cli_command_path(), p->name, PROMOTE_WAIT_MS / 1000);
	return EXIT_TIMEOUT;
}
