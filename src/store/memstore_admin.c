/*
 * memstore_admin.c - operator actions in the in-memory store: requests,
 * run-time settings (validated by common/rtsettings.h's table),
 * maintenance, dropping nodes, formation-wide Postgres parameters and
 * restarts; with the postgres store's rights (pgstore_schema_operator.c):
 * a node's credential may act on its own node only, and hand over its
 * own primary role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rtsettings.h"
#include "common/timeutil.h"
#include "store/memstore_db.h"

/* The formation, or NULL after a refusal naming it. */
static MemFormation *existing(Store *s, const char *formation)
{
	MemFormation *mf = memstore_formation(memstore_handle(s)->db,
					      formation);
	if (!mf)
		memstore_fail(s, STORE_REFUSED, "formation %s does not exist",
			      formation);
	return mf;
}

/* The node's index, or -1 after a refusal naming it. */
static int existing_node(Store *s, const MemFormation *mf, const char *name)
{
	int i = memstore_node_index(mf, name);

	if (i < 0)
		memstore_fail(s, STORE_REFUSED, "no node %s in formation %s",
			      name, mf->f.name);
	return i;
}

/* A node's credential hands over its own primary role, nothing else. */
static bool may_request(Store *s, const MemFormation *mf, const char *what,
			const char *node_name)
{
	MemHandle *h = memstore_handle(s);
	const StoreNode *me = store_formation_node(&mf->f, h->node_id);

	if (memstore_is_operator(s) ||
	    (me && state_is_primary(me->goal) &&
	     strcmp(what, "switchover") == 0 && !node_name[0]))
		return true;
	return memstore_fail(s, STORE_REFUSED,
			     "permission denied: a data node's credential can "
			     "only hand over its own primary role");
}

bool memstore_request(Store *s, const char *formation, const char *what,
		      const char *node_name)
{
	MemFormation *mf;
	int to = 0;

	if (!memstore_call(s) || !(mf = existing(s, formation)) ||
	    !may_request(s, mf, what, node_name))
		return false;
	if (node_name[0] && (to = existing_node(s, mf, node_name)) < 0)
		return false;
	if (strcmp(what, "switchover") != 0 && strcmp(what, "failover") != 0)
		return memstore_fail(s, STORE_REFUSED, "unknown request %s",
				     what);
	if (mf->f.switchover_to >= 0 || mf->f.failover_requested)
		return memstore_fail(s, STORE_REFUSED,
				     "formation %s already has an operation "
				     "under way",
				     formation);
	if (strcmp(what, "switchover") == 0)
		mf->f.switchover_to = node_name[0] ? mf->f.nodes[to].id : 0;
	else
		mf->f.failover_requested = true;
	mf->requested_ms = time_monotonic_ms();
	memstore_event(memstore_handle(s)->db, formation, NULL, "", "",
		       "%s requested%s%s", what, node_name[0] ? " to " : "",
		       node_name);
	memstore_notify(memstore_handle(s)->db, MEM_WAKE_MONITOR);
	return true;
}

/* Where a run-time setting lives in a formation snapshot. */
static int *setting_field(StoreFormation *f, int node, RuntimeSettingId id)
{
	switch (id) {
	case RS_NUMBER_SYNC_STANDBYS:
		return &f->number_sync_standbys;
	case RS_CANDIDATE_PRIORITY:
		return &f->nodes[node].priority;
	case RS_STRICT_SYNC:
	case RS_PAUSED:
	case RS_REPLICATION_QUORUM:
	case RS_COUNT:
		break;
	}
	return NULL;
}

static bool *setting_flag(StoreFormation *f, int node, RuntimeSettingId id)
{
	switch (id) {
	case RS_STRICT_SYNC:
		return &f->strict_sync;
	case RS_PAUSED:
		return &f->paused;
	case RS_REPLICATION_QUORUM:
		return &f->nodes[node].quorum;
	case RS_NUMBER_SYNC_STANDBYS:
	case RS_CANDIDATE_PRIORITY:
	case RS_COUNT:
		break;
	}
	return NULL;
}

/* Validates value against the table and stores it; false refused. */
static bool assign(Store *s, MemFormation *mf, int node,
		   const RuntimeSettingDef *rs, const char *value)
{
	char why[200], old[32];
	int *i = setting_field(&mf->f, node, rs->id);
	bool *b = setting_flag(&mf->f, node, rs->id);
	bool v = false;

	if (!value_validate(&rs->spec, value, why, sizeof(why)) ||
	    (b && !value_parse_bool(value, &v)))
		return memstore_fail(s, STORE_REFUSED,
				     "invalid value \"%s\" for %s: %s", value,
				     rs->name, why);
	snprintf(old, sizeof(old), "%s", b ? (*b ? "true" : "false") : "");
	if (i) {
		snprintf(old, sizeof(old), "%d", *i);
		*i = atoi(value);
	} else {
		*b = v;
	}
	memstore_event(memstore_handle(s)->db, mf->f.name,
		       node >= 0 ? &mf->f.nodes[node] : NULL, "", "",
		       "%s changed from %s to %s", rs->name, old, value);
	return true;
}

bool memstore_set_setting(Store *s, const char *formation,
			  const char *node_name, const char *name,
			  const char *value)
{
	const RuntimeSettingDef *rs = runtime_setting_find(name);
	MemFormation *mf;
	int node = -1;

	if (!memstore_call(s))
		return false;
	if (!memstore_is_operator(s))
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: settings take the "
				     "operator's credential");
	if (!(mf = existing(s, formation)))
		return false;
	if (!rs)
		return memstore_fail(s, STORE_REFUSED, "unknown setting %s",
				     name);
	if (rs->scope == RS_NODE &&
	    (node = existing_node(s, mf, node_name)) < 0)
		return false;
	if (!assign(s, mf, node, rs, value))
		return false;
	memstore_notify(memstore_handle(s)->db, MEM_WAKE_MONITOR);
	return true;
}

/* The node an action of a node's own credential (or the operator's)
 * names: its index, or -1 after a refusal. */
static int acted_on(Store *s, MemFormation **mf, const char *formation,
		    const char *node_name)
{
	if (!memstore_call(s) || !(*mf = existing(s, formation)) ||
	    !memstore_may_act(s, *mf, node_name))
		return -1;
	return existing_node(s, *mf, node_name);
}

bool memstore_set_maintenance(Store *s, const char *formation,
			      const char *node_name, bool on)
{
	MemFormation *mf;
	int i = acted_on(s, &mf, formation, node_name);

	if (i < 0)
		return false;
	mf->f.nodes[i].maintenance = on;
	memstore_event(memstore_handle(s)->db, formation, &mf->f.nodes[i], "",
		       "", "maintenance %s requested", on ? "start" : "end");
	memstore_notify(memstore_handle(s)->db, MEM_WAKE_MONITOR);
	return true;
}

bool memstore_drop_node(Store *s, const char *formation,
			const char *node_name)
{
	MemFormation *mf;
	int i = acted_on(s, &mf, formation, node_name);

	if (i < 0)
		return false;
	mf->f.nodes[i].drop_requested = true;
	memstore_event(memstore_handle(s)->db, formation, &mf->f.nodes[i], "",
		       "", "drop requested");
	memstore_notify(memstore_handle(s)->db, MEM_WAKE_MONITOR);
	return true;
}

/* Without a Postgres to ask, a name in lower case and a value on one
 * line are all that is checked; every parameter reads as reloadable. */
static bool plausible_param(const char *name, const char *value)
{
	if (!name[0] || strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789") !=
				strlen(name))
		return false;
	return !value || (strlen(value) <= 255 && !strpbrk(value, "\r\n"));
}

static bool put_param(StoreFormation *f, const char *name, const char *value)
{
	size_t i = 0;

	while (i < f->nparams && strcmp(f->params[i].name, name) != 0)
		i++;
	if (!value) {
		if (i < f->nparams)
			f->params[i] = f->params[--f->nparams];
		return true;
	}
	if (i == f->nparams && f->nparams == STORE_MAX_PARAMS)
		return false;
	if (i == f->nparams)
		f->nparams++;
	snprintf(f->params[i].name, sizeof(f->params[i].name), "%s", name);
	snprintf(f->params[i].value, sizeof(f->params[i].value), "%s", value);
	return true;
}

bool memstore_set_pg_param(Store *s, const char *formation, const char *name,
			   const char *value, char *context, size_t len)
{
	MemFormation *mf;

	if (!memstore_call(s))
		return false;
	if (!memstore_is_operator(s))
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: parameters take the "
				     "operator's credential");
	if (!(mf = existing(s, formation)))
		return false;
	if (!plausible_param(name, value) || !put_param(&mf->f, name, value))
		return memstore_fail(s, STORE_REFUSED,
				     "invalid value for postgresql.%s", name);
	snprintf(context, len, "sighup");
	memstore_event(memstore_handle(s)->db, formation, NULL, "", "",
		       "postgresql.%s changed to %s", name,
		       value ? value : "(unset)");
	memstore_notify(memstore_handle(s)->db, MEM_WAKE_MONITOR);
	return true;
}

bool memstore_request_restart(Store *s, const char *formation,
			      const char *node_name, long long *seq)
{
	MemFormation *mf;
	int i;

	if (!memstore_call(s))
		return false;
	if (!memstore_is_operator(s))
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: restarts take the "
				     "operator's credential");
	if (!(mf = existing(s, formation)) ||
	    (i = existing_node(s, mf, node_name)) < 0)
		return false;
	StoreNode *n = &mf->f.nodes[i];
	long long base = n->restart_requested > n->report.restarted
				 ? n->restart_requested
				 : n->report.restarted;
	*seq = n->restart_requested = base + 1;
	memstore_event(memstore_handle(s)->db, formation, n, "", "",
		       "restart requested");
	memstore_notify(memstore_handle(s)->db, MEM_WAKE_MONITOR);
	return true;
}

/* As the postgres store's: a new password drawn, the keepers and the
 * monitor woken to apply it; the monitor's own handle alone. */
bool memstore_rotate_secret(Store *s, const char *formation,
			    const char *which)
{
	MemStoreDb *db = memstore_handle(s)->db;
	MemFormation *mf;
	char *pw;

	if (!memstore_call(s))
		return false;
	if (memstore_handle(s)->role != MEMSTORE_MONITOR)
		return memstore_fail(s, STORE_REFUSED,
				     "permission denied: only the monitor "
				     "draws formation passwords");
	if (strcmp(which, "replication") != 0 && strcmp(which, "health") != 0)
		return memstore_fail(s, STORE_REFUSED,
				     "no formation password is called %s",
				     which);
	if (!(mf = memstore_formation(db, formation)))
		return memstore_fail(s, STORE_NOT_FOUND,
				     "formation %s does not exist", formation);
	pw = which[0] == 'r' ? mf->f.repl_password : mf->f.health_password;
	snprintf(pw, sizeof(mf->f.repl_password), "mem-%s-%lld", which,
		 (long long)time_monotonic_ms());
	memstore_event(db, formation, NULL, "", "", "%s password rotated",
		       which);
	memstore_notify(db, MEM_WAKE_KEEPERS);
	memstore_notify(db, MEM_WAKE_MONITOR);
	return true;
}
