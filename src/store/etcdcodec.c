/*
 * etcdcodec.c - the JSON values of the etcd store's keys (etcdcodec.h).
 */
#include "store/etcdcodec.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dump(json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(j);
	return text;
}

static void copy(char *dst, size_t len, const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	if (v)
		snprintf(dst, len, "%s", v);
}

static long long num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static bool flag(const json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static json_t *params_json(const StoreFormation *f)
{
	json_t *p = json_object(), *slots = json_array();

	for (size_t i = 0; i < f->nparams; i++)
		json_object_set_new(p, f->params[i].name,
				    json_string(f->params[i].value));
	for (size_t i = 0; i < f->nslots; i++)
		json_array_append_new(
			slots, json_pack("{s:s, s:s, s:b}", "name",
					 f->slots[i].name, "kind",
					 f->slots[i].kind, "removed",
					 f->slots[i].removed));
	return json_pack("{s:o, s:o}", "params", p, "slots", slots);
}

char *ec_config_json(const StoreFormation *f, int64_t requested_ms)
{
	json_t *j = params_json(f);

	json_object_update_new(
		j, json_pack("{s:i, s:b, s:b, s:i, s:b, s:I, s:s, s:s, s:s,"
			     " s:i, s:s, s:s}",
			     "number_sync_standbys", f->number_sync_standbys,
			     "strict_sync", f->strict_sync, "paused",
			     f->paused, "switchover_to", f->switchover_to,
			     "failover_requested", f->failover_requested,
			     "requested_ms", (json_int_t)requested_ms,
			     "health", f->health, "repl_password",
			     f->repl_password, "health_password",
			     f->health_password, "retired_roles",
			     f->retired_roles, "pgbackrest_stanza",
			     f->pgbackrest_stanza, "standby_of",
			     f->standby_of));
	return dump(j);
}

static void params_read(StoreFormation *f, const json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;

	f->nparams = 0;
	json_object_foreach((json_t *)json_object_get(j, "params"), k, v)
	{
		if (f->nparams == STORE_MAX_PARAMS)
			break;
		StoreParam *p = &f->params[f->nparams++];
		snprintf(p->name, sizeof(p->name), "%s", k);
		snprintf(p->value, sizeof(p->value), "%s",
			 json_string_value(v) ? json_string_value(v) : "");
	}
	f->nslots = 0;
	json_array_foreach(json_object_get(j, "slots"), i, v)
	{
		if (f->nslots == STORE_MAX_SLOTS)
			break;
		StoreSlot *s = &f->slots[f->nslots++];
		copy(s->name, sizeof(s->name), v, "name");
		copy(s->kind, sizeof(s->kind), v, "kind");
		s->removed = flag(v, "removed");
	}
}

bool ec_config_read(StoreFormation *f, int64_t *requested_ms,
		    const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		return false;
	}
	f->number_sync_standbys = (int)num(j, "number_sync_standbys");
	f->strict_sync = flag(j, "strict_sync");
	f->paused = flag(j, "paused");
	f->switchover_to = (int)num(j, "switchover_to");
	f->failover_requested = flag(j, "failover_requested");
	*requested_ms = num(j, "requested_ms");
	copy(f->health, sizeof(f->health), j, "health");
	copy(f->repl_password, sizeof(f->repl_password), j, "repl_password");
	copy(f->health_password, sizeof(f->health_password), j,
	     "health_password");
	f->retired_roles = (int)num(j, "retired_roles");
	copy(f->pgbackrest_stanza, sizeof(f->pgbackrest_stanza), j,
	     "pgbackrest_stanza");
	copy(f->standby_of, sizeof(f->standby_of), j, "standby_of");
	params_read(f, j);
	json_decref(j);
	return true;
}

char *ec_spec_json(const StoreNode *n)
{
	return dump(json_pack(
		"{s:i, s:s, s:s, s:i, s:i, s:b, s:I, s:I, s:i, s:s, s:i}", "id",
		n->id, "name", n->name, "host", n->host, "port", n->port,
		"priority", n->priority, "quorum", n->quorum,
		"restart_requested", (json_int_t)n->restart_requested,
		"reinit_requested", (json_int_t)n->reinit_requested, "tags",
		n->tags, "replicate_from", n->replicate_from, "apply_delay",
		n->apply_delay));
}

bool ec_spec_read(StoreNode *n, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		return false;
	}
	n->id = (int)num(j, "id");
	copy(n->name, sizeof(n->name), j, "name");
	copy(n->host, sizeof(n->host), j, "host");
	n->port = (int)num(j, "port");
	n->priority = (int)num(j, "priority");
	n->quorum = flag(j, "quorum");
	n->restart_requested = num(j, "restart_requested");
	n->tags = (int)num(j, "tags"); /* a mask of common/nodetags.h's bits */
	n->reinit_requested = num(j, "reinit_requested");
	copy(n->replicate_from, sizeof(n->replicate_from), j,
	     "replicate_from");
	n->apply_delay = (int)num(j, "apply_delay"); /* milliseconds */
	json_decref(j);
	return true;
}

char *ec_goal_json(const StoreNode *n)
{
	return dump(json_pack("{s:s, s:i, s:s, s:b}", "goal",
			      state_name(n->goal), "upstream_id",
			      n->upstream_id, "sync_names", n->sync_names,
			      "reachable", n->reachable));
}

bool ec_goal_read(StoreNode *n, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *goal = json_string_value(json_object_get(j, "goal"));

	if (!goal || !state_parse(goal, &n->goal)) {
		json_decref(j);
		return false;
	}
	n->upstream_id = (int)num(j, "upstream_id");
	copy(n->sync_names, sizeof(n->sync_names), j, "sync_names");
	n->reachable = flag(j, "reachable");
	json_decref(j);
	return true;
}

char *ec_report_json(const NodeReport *r)
{
	char lsn[LSN_TEXT_LEN];

	return dump(json_pack(
		"{s:s, s:b, s:b, s:b, s:s, s:i, s:b, s:s, s:i, s:b, s:b,"
		" s:I, s:i, s:i, s:b}",
		"current", state_name(r->current), "pg_running", r->pg_running,
		"pg_failed", r->pg_failed, "in_recovery", r->in_recovery,
		"lsn", lsn_format(r->lsn, lsn, sizeof(lsn)), "timeline",
		r->timeline, "receiver_streaming", r->receiver_streaming,
		"upstream_host", r->upstream_host, "upstream_port",
		r->upstream_port, "pending_restart", r->pending_restart,
		"fenced", r->fenced, "restarted", (json_int_t)r->restarted,
		"http_port", r->http_port, "fence_ms", r->fence_ms,
		"promote_vetoed", r->promote_vetoed));
}

bool ec_report_read(NodeReport *r, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *cur = json_string_value(json_object_get(j, "current"));
	const char *lsn = json_string_value(json_object_get(j, "lsn"));

	if (!cur || !state_parse(cur, &r->current)) {
		json_decref(j);
		return false;
	}
	r->pg_running = flag(j, "pg_running");
	r->pg_failed = flag(j, "pg_failed");
	r->in_recovery = flag(j, "in_recovery");
	if (!lsn || !lsn_parse(lsn, &r->lsn))
		r->lsn = 0;
	r->timeline = (int)num(j, "timeline");
	r->receiver_streaming = flag(j, "receiver_streaming");
	copy(r->upstream_host, sizeof(r->upstream_host), j, "upstream_host");
	r->upstream_port = (int)num(j, "upstream_port");
	r->pending_restart = flag(j, "pending_restart");
	r->fenced = flag(j, "fenced");
	r->restarted = num(j, "restarted");
	r->http_port = (int)num(j, "http_port");
	r->fence_ms = (int)num(j, "fence_ms");
	r->promote_vetoed = flag(j, "promote_vetoed");
	json_decref(j);
	return true;
}

char *ec_asks_json(const StoreNode *n)
{
	return dump(json_pack("{s:b, s:b}", "maintenance", n->maintenance,
			      "drop_requested", n->drop_requested));
}

bool ec_asks_read(StoreNode *n, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		return false;
	}
	n->maintenance = flag(j, "maintenance");
	n->drop_requested = flag(j, "drop_requested");
	json_decref(j);
	return true;
}

char *ec_event_json(const StoreEvent *e)
{
	return dump(json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s}", "time_ms",
			      (json_int_t)e->time_ms, "formation",
			      e->formation, "node_id", e->node_id,
			      "node_name", e->node_name, "old_state",
			      e->old_state, "new_state", e->new_state,
			      "description", e->description));
}

bool ec_event_read(StoreEvent *e, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		return false;
	}
	memset(e, 0, sizeof(*e));
	e->time_ms = num(j, "time_ms");
	copy(e->formation, sizeof(e->formation), j, "formation");
	e->node_id = (int)num(j, "node_id");
	copy(e->node_name, sizeof(e->node_name), j, "node_name");
	copy(e->old_state, sizeof(e->old_state), j, "old_state");
	copy(e->new_state, sizeof(e->new_state), j, "new_state");
	copy(e->description, sizeof(e->description), j, "description");
	json_decref(j);
	return true;
}

char *ec_handover_json(int64_t requested_ms)
{
	return dump(json_pack("{s:I}", "requested_ms",
			      (json_int_t)requested_ms));
}

bool ec_handover_read(const char *text, int64_t *requested_ms)
{
	json_t *j = json_loads(text, 0, NULL);
	bool ok = json_is_object(j) && num(j, "requested_ms") > 0;

	if (ok)
		*requested_ms = num(j, "requested_ms");
	json_decref(j);
	return ok;
}

char *ec_slot_copy_json(Lsn confirmed_flush, const char *state)
{
	char lsn[LSN_TEXT_LEN];

	return dump(json_pack("{s:s, s:s}", "confirmed_flush",
			      lsn_format(confirmed_flush, lsn, sizeof(lsn)),
			      "state", state));
}

bool ec_slot_copy_read(StoreSlot *sl, int node_id, const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *lsn =
		json_string_value(json_object_get(j, "confirmed_flush"));
	const char *st = json_string_value(json_object_get(j, "state"));
	Lsn at;
	bool ok = lsn && st && lsn_parse(lsn, &at) &&
		  strlen(st) < sizeof(sl->state);

	if (ok) {
		sl->copy_node = node_id;
		sl->confirmed_flush = at;
		snprintf(sl->state, sizeof(sl->state), "%s", st);
	}
	json_decref(j);
	return ok;
}
