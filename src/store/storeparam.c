/*
 * storeparam.c - formation-wide Postgres parameters in a store that keeps
 * no Postgres of its own (etcd): before the driver records one, it is
 * checked against the formation's primary, logging in as the health-check
 * role (pghealth.h) with the formation's password, by the rules the
 * postgres store applies in its own Postgres (pg/pgparamcheck.h).
 */
#include "store/storeparam.h"

#include <stdio.h>
#include <stdlib.h>

#include "pg/pghealth.h"
#include "pg/pgparamcheck.h"

/* Connected to the primary of formation as the health-check role. */
static bool connect_primary(Store *s, const char *formation, const char *name,
			    PgConn *pc)
{
	StoreFormation *f = calloc(1, sizeof(*f));
	SslSpec ssl = {.mode = "prefer"};
	char where[STORE_HOST_LEN + 80];
	bool ok = false;

	if (!f)
		return store_fail(s, STORE_UNAVAILABLE, "out of memory");
	if (!store_get_formation(s, formation, f)) {
		free(f);
		return false;
	}
	const StoreNode *p = store_formation_primary(f);
	if (!p) {
		store_fail(s, STORE_REFUSED,
		     "formation %s has no primary to check postgresql.%s "
		     "against: try again once it has one",
		     formation, name);
	} else if (!pghealth_connect(pc, p->host, p->port, f->health_password,
				     ssl.mode, &ssl, STOREPARAM_TIMEOUT_MS)) {
		snprintf(where, sizeof(where), "%s (%s:%d)", p->name, p->host,
			 p->port);
		store_fail(s, STORE_UNAVAILABLE,
			   "cannot check postgresql.%s against the primary %s: "
			   "%s; the primary must admit the health-check role "
			   "from this host (postgresql.hba_network on the "
			   "nodes)",
			   name, where, pc->error);
	} else {
		ok = true;
	}
	free(f);
	return ok;
}

bool storeparam_check(Store *s, const char *formation, const char *name,
		      const char *value, char *context, size_t len)
{
	PgConn pc;
	char err[1024];

	if (!connect_primary(s, formation, name, &pc))
		return false;
	bool ok = pg_param_check(&pc, name, value, context, len, err,
				 sizeof(err));
	pg_disconnect(&pc);
	if (!ok)
		return store_fail(s, STORE_REFUSED, "%s", err);
	return true;
}
