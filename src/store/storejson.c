/*
 * storejson.c - JSON renderings of store records.
 */
#include "store/storejson.h"

#include <stdlib.h>
#include <string.h>

#include "common/nodetags.h"
#include "common/timeutil.h"

/*
 * A text of the store as a JSON string. The store holds UTF-8, but a
 * value copied into a fixed buffer may end inside a character, and
 * jansson refuses what is not UTF-8: the cut character is dropped, any
 * other byte that is not UTF-8 becomes '?', rather than the whole record
 * going missing from `show --json` and the monitor's API (found by the
 * storejson fuzz target).
 */
static json_t *text(const char *s)
{
	size_t n = strlen(s);
	json_t *j = json_string(s);

	for (size_t cut = 1; !j && cut <= 3 && cut <= n &&
			     (unsigned char)s[n - cut] >= 0x80;
	     cut++)
		j = json_stringn(s, n - cut);
	if (j)
		return j;
	char *ascii = strdup(s);
	for (char *p = ascii; p && *p; p++)
		*p = (unsigned char)*p < 0x80 ? *p : '?';
	j = ascii ? json_string(ascii) : NULL;
	free(ascii);
	return j;
}

/* node.tags as an array of their names */
static json_t *tags(int mask)
{
	json_t *a = json_array();
	for (int i = 0; a && i < NODE_TAG_COUNT; i++) {
		if (mask & (1 << i))
			json_array_append_new(a, json_string(node_tag_name(i)));
	}
	return a;
}

json_t *store_node_json(const StoreFormation *f, const StoreNode *n)
{
	char lsn[LSN_TEXT_LEN];
	return json_pack(
		"{s:o, s:i, s:o, s:i, s:s, s:s, s:s, s:b, s:i, s:b, s:i,"
		" s:o, s:o, s:b, s:b, s:b, s:o, s:b}",
		"name", text(n->name), "node_id", n->id, "host", text(n->host),
		"port", n->port, "current_state", state_name(n->reported),
		"assigned_state", state_name(n->goal), "lsn",
		lsn_format(n->report.lsn, lsn, sizeof(lsn)), "reachable",
		n->reachable, "timeline", n->report.timeline, "pg_running",
		n->report.pg_running, "candidate_priority", n->priority,
		"formation", text(f->name), "formation_health", text(f->health),
		"replication_quorum", n->quorum, "pending_restart",
		n->report.pending_restart, "promote_vetoed",
		n->report.promote_vetoed, "tags", tags(n->tags),
		"standby_leader",
		f->standby_of[0] != '\0' && state_is_primary(n->goal));
}

json_t *store_event_json(const StoreEvent *e)
{
	char when[64];
	time_format_wall(e->time_ms, when, sizeof(when));
	return json_pack("{s:s, s:I, s:i, s:o, s:o, s:o, s:o}", "time", when,
			 "time_ms", (json_int_t)e->time_ms, "node_id",
			 e->node_id, "node_name", text(e->node_name),
			 "old_state", text(e->old_state), "new_state",
			 text(e->new_state), "description",
			 text(e->description));
}

json_t *store_monitor_json(const StoreMonitor *m)
{
	char since[64];
	time_format_wall(m->since_ms, since, sizeof(since));
	return json_pack("{s:o, s:b, s:s, s:I, s:I}", "name", text(m->holder),
			 "active", m->active, "since", since, "since_ms",
			 (json_int_t)m->since_ms, "term", (json_int_t)m->term);
}
