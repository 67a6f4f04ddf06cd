/*
 * rtsettings.c - the table of run-time settings (rtsettings.h).
 *
 * Every store validates a change with this table (policy_set_setting,
 * store/storepolicy_admin.c); a unit test fails when the postgres
 * store's column defaults differ from it. A new row therefore means a
 * column in that store too, with an upgrade step for existing stores
 * (store/pgstore_migrate.c).
 */
#include "common/rtsettings.h"

#include <stdio.h>
#include <string.h>

#include "common/nodetags.h"
#include "common/timeutil.h"

#define BOOL_SPEC {VAL_BOOL, 0, 0, NULL}
#define INT_SPEC(lo, hi) {VAL_INT, lo, hi, NULL}

static const RuntimeSettingDef table[RS_COUNT] = {
	{RS_NUMBER_SYNC_STANDBYS, "formation.number_sync_standbys",
	 RS_FORMATION, INT_SPEC(0, 16), "1",
	 "how many standbys each commit waits for (0: asynchronous)"},
	{RS_STRICT_SYNC, "formation.strict_sync", RS_FORMATION, BOOL_SPEC,
	 "false", "never drop to asynchronous commits when standbys are lost"},
	{RS_PAUSED, "formation.paused", RS_FORMATION, BOOL_SPEC, "false",
	 "the monitor makes no decisions and keepers leave Postgres alone (no "
	 "restarts, transitions or fencing); `show state` says so. On resume "
	 "the monitor counts every node as just seen"},
	{RS_CANDIDATE_PRIORITY, "node.candidate_priority", RS_NODE,
	 INT_SPEC(0, 100), "50",
	 "failover preference of the node named by `--name` (or of "
	 "`--pgdata`'s node); 0 is never promoted automatically"},
	{RS_REPLICATION_QUORUM, "node.replication_quorum", RS_NODE, BOOL_SPEC,
	 "true", "whether that node counts for synchronous replication"},
	{RS_TAGS, "node.tags", RS_NODE, {VAL_TAGS, 0, 0, NULL}, "",
	 "that node's tags, comma-separated (`config unset` removes them): "
	 "`nofailover` is never promoted, `noloadbalance` answers 503 on "
	 "/replica and /read-only"},
	{RS_REPLICATE_FROM, "node.replicate_from", RS_NODE,
	 {VAL_NODE, 0, 0, NULL}, "",
	 "the standby that node streams from (cascading replication; "
	 "`config unset`: the primary). While that standby is not a healthy "
	 "standby streaming from the primary, the node follows the primary"},
	{RS_APPLY_DELAY, "node.apply_delay", RS_NODE,
	 {VAL_DURATION, 0, 86400000, NULL}, "0",
	 "how late that node replays WAL (its recovery_min_apply_delay); "
	 "above 0 it is never promoted and never a synchronous standby"},
	{RS_STANDBY_OF, "formation.standby_of", RS_FORMATION,
	 {VAL_URI, 0, 0, "postgres"}, "",
	 "the multi-host URI (target_session_attrs=read-write, no password) "
	 "of the formation this one is a standby formation of: its primary "
	 "streams from there and is never promoted; `config unset` (or "
	 "`perform promotion`) promotes it (docs/state-machine.md)"},
};

const RuntimeSettingDef *runtime_setting(RuntimeSettingId id)
{
	return (id >= 0 && id < RS_COUNT) ? &table[id] : NULL;
}

const RuntimeSettingDef *runtime_setting_find(const char *name)
{
	for (size_t i = 0; i < RS_COUNT; i++) {
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	}
	return NULL;
}

const char *runtime_setting_key(const RuntimeSettingDef *d)
{
	return strchr(d->name, '.') + 1;
}

static void duration_range(const RuntimeSettingDef *d, char *buf,
			   size_t len)
{
	char lo[32], hi[32];
	snprintf(buf, len, "%s..%s", duration_format(d->spec.min, lo, sizeof(lo)),
		 duration_format(d->spec.max, hi, sizeof(hi)));
}

void runtime_setting_values(const RuntimeSettingDef *d, const char *sep,
			    char *buf, size_t len)
{
	if (d->spec.type == VAL_BOOL)
		snprintf(buf, len, "true%sfalse", sep);
	else if (d->spec.type == VAL_TAGS)
		node_tags_format((1 << NODE_TAG_COUNT) - 1, buf, len);
	else if (d->spec.type == VAL_NODE)
		snprintf(buf, len, "a node's name");
	else if (d->spec.type == VAL_URI)
		snprintf(buf, len, "a URI");
	else if (d->spec.type == VAL_DURATION)
		duration_range(d, buf, len);
	else
		snprintf(buf, len, "%lld..%lld", (long long)d->spec.min,
			 (long long)d->spec.max);
}

void runtime_setting_format(const RuntimeSettingDef *d, int v, char *buf,
			    size_t len)
{
	if (d->spec.type == VAL_BOOL)
		snprintf(buf, len, "%s", v ? "true" : "false");
	else if (d->spec.type == VAL_TAGS)
		node_tags_format(v, buf, len);
	else if (d->spec.type == VAL_DURATION)
		duration_format(v, buf, len);
	else
		snprintf(buf, len, "%d", v);
}

void runtime_setting_names(const char *last, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < RS_COUNT && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 i == 0 ? "" : ", ", table[i].name);
		used += n > 0 ? (size_t)n : 0;
	}
	if (used < len)
		snprintf(buf + used, len - used, " and %s", last);
}
