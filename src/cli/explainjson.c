/*
 * explainjson.c - an explanation as JSON (explainjson.h): the formation's
 * facts and sentences, each node's, the decisions, and what longer
 * unknown durations would change.
 */
#include "cli/explainjson.h"

#include <string.h>

const char *const explain_inputs[] = {
	"report ages are the store's (the monitor counts on its own clock "
	"from the report it saw last)",
	"the monitor's checks: its last result only; since when they fail is "
	"not kept, so it counts from now",
	"a standby not streaming: since its last report at least (the "
	"monitor knows since when)",
	"refused connections are not kept: counted as not refused",
	"timeouts: this command's configuration (the monitor's with its "
	"--pgdata)",
	NULL};

bool explain_differs(const FsmExplanation *x, const FsmExplanation *y)
{
	if (x->primary_down != y->primary_down || x->nnext != y->nnext)
		return true;
	for (size_t i = 0; i < x->nnext; i++) {
		if (x->next[i].node_id != y->next[i].node_id ||
		    x->next[i].to != y->next[i].to)
			return true;
	}
	return false;
}

static json_t *name_or_null(const FsmFormation *f, int id)
{
	const FsmNode *n = id ? fsm_node(f, id) : NULL;
	return n ? json_string(n->name) : json_null();
}

static json_t *lines_json(const FsmLines *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->text[i]));
	return a;
}

static json_t *decision_json(const FsmFormation *f, const FsmDecision *d)
{
	return json_pack("{s:o, s:s, s:s, s:s}", "node",
			 name_or_null(f, d->node_id), "from",
			 state_name(d->from), "to", state_name(d->to), "why",
			 d->why);
}

static json_t *decisions_json(const FsmFormation *f, const FsmExplanation *x)
{
	json_t *a = json_array();
	for (size_t i = 0; i < x->nnext; i++)
		json_array_append_new(a, decision_json(f, &x->next[i]));
	return a;
}

static json_t *signals_json(const FsmFormation *f, const FsmDownSignals *s)
{
	return json_pack(
		"{s:I, s:b, s:I, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:I, s:o, "
		"s:b, s:b, s:I, s:b, s:b, s:b}",
		"keeper_silent_ms", (json_int_t)s->keeper_silent_ms,
		"keeper_lost", s->keeper_lost, "health_failing_ms",
		(json_int_t)s->health_failing_ms, "health_lost",
		s->health_lost, "pg_failed", s->pg_failed, "pg_stopped",
		s->pg_stopped, "restart_overdue", s->restart_overdue,
		"postgres_lost", s->postgres_lost, "streaming_standby",
		name_or_null(f, s->streaming_standby), "holding_standby",
		name_or_null(f, s->holding_standby), "holding_stopped_ms",
		(json_int_t)s->holding_stopped_ms, "silent_standby",
		name_or_null(f, s->silent_standby), "standbys_let_go",
		s->standbys_let_go, "port_refused", s->port_refused,
		"fence_ms", (json_int_t)s->fence_ms, "fence_passed",
		s->fence_passed, "refused", s->refused, "down", s->down);
}

static json_t *flaws_json(unsigned flaws)
{
	json_t *a = json_array();
	for (int i = 0; i < FC_COUNT; i++) {
		if (flaws & (1u << i))
			json_array_append_new(a,
					      json_string(fsm_flaw_name(1u << i)));
	}
	return a;
}

static json_t *node_json(const FsmFormation *f, const FsmNodeExplanation *e)
{
	const FsmNode *n = e->node;
	json_t *j = json_pack(
		"{s:s, s:i, s:s, s:s, s:s, s:I, s:b, s:b, s:i, s:b, s:b, s:b, "
		"s:o, s:b, s:I, s:o, s:I, s:{s:b, s:b, s:b}, s:o}",
		"name", n->name, "node_id", n->id, "role",
		state_role_name(n->goal), "assigned_state", state_name(n->goal),
		"current_state", state_name(n->reported), "report_age_ms",
		(json_int_t)(f->now_ms - n->last_report_ms), "reachable",
		n->health_ok, "pg_running", n->pg_running, "candidate_priority",
		n->priority, "replication_quorum", n->quorum,
		"failover_candidate", e->flaws == 0, "chosen_candidate",
		e->candidate, "flaws", flaws_json(e->flaws), "sync_member",
		e->sync_member, "lag_bytes", (json_int_t)e->lag_bytes,
		"behind_node", name_or_null(f, e->ahead_id), "behind_bytes",
		(json_int_t)e->behind_bytes, "pending", "maintenance",
		e->maintenance_pending, "drop", e->drop_pending, "restart",
		e->restart_pending, "sentences", lines_json(&e->lines));
	if (!j)
		return NULL;
	json_object_set_new(j, "next_decision",
			    e->has_next ? decision_json(f, &e->next)
					: json_null());
	if (e->primary)
		json_object_set_new(j, "down_signals",
				    signals_json(f, &e->down));
	return j;
}

static json_t *inputs_json(void)
{
	json_t *a = json_array();
	for (size_t i = 0; explain_inputs[i]; i++)
		json_array_append_new(a, json_string(explain_inputs[i]));
	return a;
}

static json_t *switchover_json(const FsmFormation *f)
{
	int to = f->settings.switchover_to;
	if (to < 0)
		return json_null();
	return to == 0 ? json_string("best") : name_or_null(f, to);
}

json_t *explain_json(const StoreFormation *sf, const FsmExplanation *x,
		     const FsmExplanation *y, const FsmFormation *g)
{
	json_t *nodes = json_array();
	json_t *j = json_pack(
		"{s:s, s:s, s:b, s:o, s:b, s:o, s:s, s:o, s:b, s:o, s:o, "
		"s:o}",
		"formation", sf->name, "health", fsm_health_name(x->health),
		"paused", x->paused, "primary", name_or_null(g, x->primary_id),
		"primary_down", x->primary_down, "candidate",
		name_or_null(g, x->candidate_id), "candidate_why",
		x->candidate_why, "switchover_to", switchover_json(g),
		"failover_requested", x->failover_pending, "next_decisions",
		decisions_json(g, x), "sentences", lines_json(&x->lines),
		"approximations", inputs_json());

	if (!j || !nodes) {
		json_decref(j);
		json_decref(nodes);
		return NULL;
	}
	for (size_t i = 0; i < x->nnodes; i++)
		json_array_append_new(nodes, node_json(g, &x->nodes[i]));
	json_object_set_new(j, "nodes", nodes);
	json_object_set_new(
		j, "if_longer",
		explain_differs(x, y)
			? json_pack("{s:b, s:o}", "primary_down",
				    y->primary_down, "next_decisions",
				    decisions_json(g, y))
			: json_null());
	return j;
}
