/*
 * storepolicy_admin.c - the rules of the operator's actions
 * (storepolicy.h): requests, run-time settings (validated by
 * common/rtsettings.h's table), maintenance, drops, restarts and
 * password rotation (Postgres parameters and backup settings:
 * storepolicy_params.c); a node's
 * credential may act on its own node only, and hand over its own
 * primary role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/nodetags.h"
#include "common/rtsettings.h"
#include "common/timeutil.h"
#include "pg/pgconninfo.h"
#include "store/storepolicy.h"

static bool is_operator(const StoreActor *a)
{
	return a->role != ACTOR_NODE;
}

/* The node's index, or -1 after a refusal naming it. */
static int existing_node(const StoreFormation *f, const char *name,
			 StorePolicyOut *out)
{
	for (size_t i = 0; name && i < f->nnodes; i++) {
		if (strcmp(f->nodes[i].name, name) == 0)
			return (int)i;
	}
	policy_fail(out, STORE_REFUSED, "no node %s in formation %s",
		    name ? name : "", f->name);
	return -1;
}

/* A node's credential hands over its own primary role, nothing else. */
static bool may_request(const StoreFormation *f, const StoreActor *a,
			const char *what, const char *node_name,
			StorePolicyOut *out)
{
	const StoreNode *me = store_formation_node(f, a->node_id);

	if (is_operator(a) || (me && state_is_primary(me->goal) &&
			       strcmp(what, "switchover") == 0 &&
			       !node_name[0]))
		return true;
	policy_fail(out, STORE_REFUSED,
		    "permission denied: a data node's credential can only "
		    "hand over its own primary role");
	return false;
}

StoreFailure policy_request(StoreFormation *f, const StoreActor *a,
			    const char *what, const char *node_name,
			    StorePolicyOut *out)
{
	int to = 0;

	if (!may_request(f, a, what, node_name, out))
		return STORE_REFUSED;
	if (node_name[0] && (to = existing_node(f, node_name, out)) < 0)
		return STORE_REFUSED;
	if (strcmp(what, "switchover") != 0 && strcmp(what, "failover") != 0)
		return policy_fail(out, STORE_REFUSED, "unknown request %s",
				   what);
	if (f->switchover_to >= 0 || f->failover_requested)
		return policy_fail(out, STORE_REFUSED,
				   "formation %s already has an operation "
				   "under way",
				   f->name);
	if (strcmp(what, "switchover") == 0)
		f->switchover_to = node_name[0] ? f->nodes[to].id : 0;
	else
		f->failover_requested = true;
	policy_event(out, f, NULL, "", "", "%s requested%s%s", what,
		     node_name[0] ? " to " : "", node_name);
	return STORE_OK;
}

/* Where a run-time setting lives in a formation snapshot. */
static int *setting_field(StoreFormation *f, int node, RuntimeSettingId id)
{
	switch (id) {
	case RS_NUMBER_SYNC_STANDBYS:
		return &f->number_sync_standbys;
	case RS_CANDIDATE_PRIORITY:
		return &f->nodes[node].priority;
	case RS_TAGS:
		return &f->nodes[node].tags;
	case RS_APPLY_DELAY:
		return &f->nodes[node].apply_delay;
	case RS_STRICT_SYNC:
	case RS_PAUSED:
	case RS_REPLICATION_QUORUM:
	case RS_REPLICATE_FROM:
	case RS_STANDBY_OF:
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
	case RS_TAGS:
	case RS_REPLICATE_FROM:
	case RS_APPLY_DELAY:
	case RS_STANDBY_OF:
	case RS_COUNT:
		break;
	}
	return NULL;
}

/* node.replicate_from: "" or another node of the formation, as the
 * postgres store's set_setting checks it. */
static StoreFailure assign_upstream(StoreFormation *f, int node,
				    const RuntimeSettingDef *rs,
				    const char *value, StorePolicyOut *out)
{
	StoreNode *n = &f->nodes[node];
	char old[STORE_NAME_LEN];

	if (value[0] && (strcmp(value, n->name) == 0 ||
			 !store_formation_node_named(f, value)))
		return policy_fail(out, STORE_REFUSED,
				   "invalid value \"%s\" for %s: not another "
				   "node of formation %s",
				   value, rs->name, f->name);
	snprintf(old, sizeof(old), "%s", n->replicate_from);
	snprintf(n->replicate_from, sizeof(n->replicate_from), "%s", value);
	policy_event(out, f, n, "", "", "%s changed from %s to %s", rs->name,
		     old[0] ? old : "(none)", value[0] ? value : "(none)");
	return STORE_OK;
}

/* formation.standby_of: "" or a postgres URI without a password, as the
 * postgres store's set_setting checks it. */
static StoreFailure assign_source(StoreFormation *f,
				  const RuntimeSettingDef *rs,
				  const char *value, StorePolicyOut *out)
{
	char why[200], old[STORE_URI_LEN];

	if (value[0] && (!value_validate(&rs->spec, value, why, sizeof(why)) ||
			 strlen(value) >= sizeof(f->standby_of)))
		return policy_fail(out, STORE_REFUSED,
				   "invalid value \"%s\" for %s: %s", value,
				   rs->name, "expected a postgres:// URI");
	if (value[0] && pg_conninfo_has(value, "password"))
		return policy_fail(out, STORE_REFUSED,
				   "invalid value for %s: a password in the "
				   "URI; name a passfile instead",
				   rs->name);
	for (size_t i = 0; value[0] && i < f->nnodes; i++)
		if (f->nodes[i].reported != NS_INIT)
			return policy_fail(out, STORE_REFUSED,
					   "formation %s has nodes at work: "
					   "only a new formation becomes a "
					   "standby formation",
					   f->name);
	snprintf(old, sizeof(old), "%s", f->standby_of);
	snprintf(f->standby_of, sizeof(f->standby_of), "%s", value);
	policy_event(out, f, NULL, "", "", "%s changed from %s to %s",
		     rs->name, old[0] ? old : "(none)",
		     value[0] ? value : "(none)");
	return STORE_OK;
}

/* Validates value against the table and stores it. */
static StoreFailure assign(StoreFormation *f, int node,
			   const RuntimeSettingDef *rs, const char *value,
			   StorePolicyOut *out)
{
	char why[200], old[64], new[64];
	int *i = setting_field(f, node, rs->id);
	bool *b = setting_flag(f, node, rs->id);
	bool v = false;
	int tags = 0;

	if (!value_validate(&rs->spec, value, why, sizeof(why)) ||
	    (b && !value_parse_bool(value, &v)) ||
	    (rs->spec.type == VAL_TAGS &&
	     !node_tags_parse(value, &tags, why, sizeof(why))))
		return policy_fail(out, STORE_REFUSED,
				   "invalid value \"%s\" for %s: %s", value,
				   rs->name, why);
	runtime_setting_format(rs, i ? *i : *b, old, sizeof(old));
	int64_t ms = 0;
	if (rs->spec.type == VAL_DURATION)
		duration_parse_ms(value, &ms); /* validated above */
	if (i)
		*i = rs->spec.type == VAL_TAGS	       ? tags
		     : rs->spec.type == VAL_DURATION ? (int)ms
						     : atoi(value);
	else
		*b = v;
	/* tags as the postgres store words them: in the table's order;
	 * durations in milliseconds */
	if (rs->spec.type == VAL_TAGS || rs->spec.type == VAL_DURATION)
		runtime_setting_format(rs, *i, new, sizeof(new));
	else
		snprintf(new, sizeof(new), "%s", value);
	policy_event(out, f, node >= 0 ? &f->nodes[node] : NULL, "", "",
		     "%s changed from %s to %s", rs->name,
		     old[0] ? old : "(none)", new[0] ? new : "(none)");
	return STORE_OK;
}

StoreFailure policy_set_setting(StoreFormation *f, const StoreActor *a,
				const char *node_name, const char *name,
				const char *value, StorePolicyOut *out)
{
	const RuntimeSettingDef *rs = runtime_setting_find(name);
	int node = -1;

	if (!is_operator(a))
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: settings take the "
				   "operator's credential");
	if (!rs)
		return policy_fail(out, STORE_REFUSED, "unknown setting %s",
				   name);
	if (rs->scope == RS_NODE &&
	    (node = existing_node(f, node_name, out)) < 0)
		return STORE_REFUSED;
	if (rs->spec.type == VAL_NODE)
		return assign_upstream(f, node, rs, value, out);
	if (rs->spec.type == VAL_URI)
		return assign_source(f, rs, value, out);
	return assign(f, node, rs, value, out);
}

/* The node an action of a node's own credential (or the operator's)
 * names: its index, or -1 after a refusal. */
static int acted_on(const StoreFormation *f, const StoreActor *a,
		    const char *node_name, StorePolicyOut *out)
{
	int i = existing_node(f, node_name, out);

	if (is_operator(a) || (i >= 0 && f->nodes[i].id == a->node_id))
		return i;
	policy_fail(out, STORE_REFUSED,
		    "permission denied: a data node's credential can act on "
		    "its own node only");
	return -1;
}

StoreFailure policy_set_maintenance(StoreFormation *f, const StoreActor *a,
				    const char *node_name, bool on,
				    StorePolicyOut *out)
{
	int i = acted_on(f, a, node_name, out);

	if (i < 0)
		return STORE_REFUSED;
	f->nodes[i].maintenance = on;
	policy_event(out, f, &f->nodes[i], "", "", "maintenance %s requested",
		     on ? "start" : "end");
	return STORE_OK;
}

StoreFailure policy_drop_node(StoreFormation *f, const StoreActor *a,
			      const char *node_name, StorePolicyOut *out)
{
	int i = acted_on(f, a, node_name, out);

	if (i < 0)
		return STORE_REFUSED;
	f->nodes[i].drop_requested = true;
	policy_event(out, f, &f->nodes[i], "", "", "drop requested");
	return STORE_OK;
}

StoreFailure policy_request_restart(StoreFormation *f, const StoreActor *a,
				    const char *node_name, long long *seq,
				    StorePolicyOut *out)
{
	int i;

	if (!is_operator(a))
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: restarts take the "
				   "operator's credential");
	if ((i = existing_node(f, node_name, out)) < 0)
		return STORE_REFUSED;
	StoreNode *n = &f->nodes[i];
	long long base = n->restart_requested > n->report.restarted
				 ? n->restart_requested
				 : n->report.restarted;
	*seq = n->restart_requested = base + 1;
	policy_event(out, f, n, "", "", "restart requested");
	return STORE_OK;
}

StoreFailure policy_may_rotate(const StoreActor *a, const char *which,
			       StorePolicyOut *out)
{
	if (a->role != ACTOR_MONITOR)
		return policy_fail(out, STORE_REFUSED,
				   "permission denied: only the monitor "
				   "draws formation passwords");
	if (strcmp(which, "replication") != 0 && strcmp(which, "health") != 0)
		return policy_fail(out, STORE_REFUSED,
				   "no formation password is called %s",
				   which);
	return STORE_OK;
}

void policy_rotated(const StoreFormation *f, const char *which,
		    StorePolicyOut *out)
{
	policy_event(out, f, NULL, "", "", "%s password rotated", which);
}
