/*
 * store.c - dispatch from the store interface to its driver.
 */
#include "store/store.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

bool store_register_node(Store *s, const NodeRegistration *reg,
			 RegisteredNode *out)
{
	return s->ops->register_node(s, reg, out);
}

bool store_report(Store *s, int node_id, const NodeReport *report)
{
	return s->ops->report(s, node_id, report);
}

bool store_get_formation(Store *s, const char *formation, StoreFormation *out)
{
	return s->ops->get_formation(s, formation, out);
}

bool store_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			   size_t max, size_t *n)
{
	return s->ops->list_formations(s, names, max, n);
}

bool store_events(Store *s, const char *formation, int count,
		  StoreEvent *out, size_t *n)
{
	return s->ops->events(s, formation, count, out, n);
}

bool store_wait(Store *s, int timeout_ms)
{
	return s->ops->wait(s, timeout_ms);
}

void store_set_deadline(Store *s, int64_t deadline_ms)
{
	s->ops->set_deadline(s, deadline_ms);
}

bool store_acquire(Store *s, const char *holder, int64_t *term)
{
	return s->ops->acquire(s, holder, term);
}

bool store_apply(Store *s, int64_t term, const char *formation,
		 const StoreDecision *d, size_t nd, const StoreNodeView *views,
		 size_t nviews, const char *health, bool clear_requests)
{
	return s->ops->apply(s, term, formation, d, nd, views, nviews, health,
			     clear_requests);
}

bool store_request(Store *s, const char *formation, const char *what,
		   const char *node_name)
{
	return s->ops->request(s, formation, what, node_name);
}

bool store_set_pg_param(Store *s, const char *formation, const char *name,
			const char *value, char *context, size_t len)
{
	return s->ops->set_pg_param(s, formation, name, value, context, len);
}

bool store_set_backup(Store *s, const char *formation, const char *name,
		      const char *value)
{
	if (s->ops->set_backup)
		return s->ops->set_backup(s, formation, name, value);
	snprintf(s->error, sizeof(s->error),
		 "this store keeps no backup settings");
	return false;
}

bool store_set_slot(Store *s, const char *formation, const char *name,
		    const char *kind)
{
	return s->ops->set_slot(s, formation, name, kind);
}

bool store_request_restart(Store *s, const char *formation,
			   const char *node_name, long long *seq)
{
	return s->ops->request_restart(s, formation, node_name, seq);
}

bool store_rotate_secret(Store *s, const char *formation, const char *which)
{
	return s->ops->rotate_secret(s, formation, which);
}

void store_close(Store *s)
{
	if (s)
		s->ops->close(s);
}

const StoreNode *store_formation_primary(const StoreFormation *f)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (state_is_primary(f->nodes[i].goal))
			return &f->nodes[i];
	}
	return NULL;
}

const StoreNode *store_formation_node(const StoreFormation *f, int id)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].id == id)
			return &f->nodes[i];
	}
	return NULL;
}

bool store_set_setting(Store *s, const char *formation, const char *node_name,
		       const char *name, const char *value)
{
	return s->ops->set_setting(s, formation, node_name, name, value);
}

bool store_set_maintenance(Store *s, const char *formation,
			   const char *node_name, bool on)
{
	return s->ops->set_maintenance(s, formation, node_name, on);
}

bool store_drop_node(Store *s, const char *formation, const char *node_name)
{
	return s->ops->drop_node(s, formation, node_name);
}

const StoreNode *store_formation_node_named(const StoreFormation *f,
					    const char *name)
{
	for (size_t i = 0; name && i < f->nnodes; i++) {
		if (strcmp(f->nodes[i].name, name) == 0)
			return &f->nodes[i];
	}
	return NULL;
}

/* One case per row of the run-time settings' table: a row added there
 * fails to compile (-Wswitch) until it is read here. */
bool store_runtime_value(const StoreFormation *f, const char *node_name,
			 RuntimeSettingId id, int *value)
{
	const StoreNode *n = store_formation_node_named(f, node_name);

	switch (id) {
	case RS_NUMBER_SYNC_STANDBYS:
		*value = f->number_sync_standbys;
		return true;
	case RS_STRICT_SYNC:
		*value = f->strict_sync;
		return true;
	case RS_PAUSED:
		*value = f->paused;
		return true;
	case RS_CANDIDATE_PRIORITY:
		*value = n ? n->priority : 0;
		return n != NULL;
	case RS_REPLICATION_QUORUM:
		*value = n ? n->quorum : 0;
		return n != NULL;
	case RS_COUNT:
		break;
	}
	return false;
}
