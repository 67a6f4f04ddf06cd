/*
 * store.c - dispatch from the store interface to its driver, keeping
 * Store.failure true on every call.
 */
#include "store/store.h"
#include "store/store_driver.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Every call starts without a failure... */
static void begin(Store *s)
{
	s->failure = STORE_OK;
	s->error[0] = '\0';
}

/* ...and one that failed without saying how counts as unavailable (the
 * kind a caller retries). */
static bool done(Store *s, bool ok)
{
	if (ok)
		s->failure = STORE_OK;
	else if (s->failure == STORE_OK)
		s->failure = STORE_UNAVAILABLE;
	return ok;
}

const char *store_failure_name(StoreFailure f)
{
	switch (f) {
	case STORE_OK:
		return "ok";
	case STORE_NOT_FOUND:
		return "not found";
	case STORE_REFUSED:
		return "refused";
	case STORE_UNAVAILABLE:
		return "unavailable";
	case STORE_FENCED:
		return "fenced";
	}
	return "unknown";
}

bool store_register_node(Store *s, const NodeRegistration *reg,
			 RegisteredNode *out)
{
	begin(s);
	return done(s, s->ops->register_node(s, reg, out));
}

bool store_report(Store *s, int node_id, const NodeReport *report)
{
	begin(s);
	return done(s, s->ops->report(s, node_id, report));
}

bool store_get_formation(Store *s, const char *formation, StoreFormation *out)
{
	begin(s);
	return done(s, s->ops->get_formation(s, formation, out));
}

bool store_report_read(Store *s, int node_id, const NodeReport *report,
		       const char *formation, StoreFormation *out)
{
	if (!s->ops->report_read)
		return store_report(s, node_id, report) &&
		       store_get_formation(s, formation, out);
	begin(s);
	return done(s, s->ops->report_read(s, node_id, report, formation,
					   out));
}

bool store_list_formations(Store *s, char (*names)[STORE_NAME_LEN],
			   size_t max, size_t *n)
{
	begin(s);
	return done(s, s->ops->list_formations(s, names, max, n));
}

bool store_events(Store *s, const char *formation, int count,
		  StoreEvent *out, size_t *n)
{
	begin(s);
	return done(s, s->ops->events(s, formation, count, out, n));
}

bool store_wait(Store *s, int timeout_ms)
{
	begin(s);
	s->woken = false;
	return done(s, s->ops->wait(s, timeout_ms));
}

void store_set_wake_fd(Store *s, int fd)
{
	s->wake_fd = fd;
}

void store_heard_beat(Store *s, StoreBeat b)
{
	for (size_t i = 0; i < s->nbeats; i++) {
		if (s->beats[i].node_id == b.node_id) {
			s->beats[i] = b;
			return;
		}
	}
	if (s->nbeats < STORE_MAX_BEATS)
		s->beats[s->nbeats++] = b;
}

size_t store_take_beats(Store *s, StoreBeat *out, size_t max)
{
	size_t n = s->nbeats < max ? s->nbeats : max;

	memcpy(out, s->beats, n * sizeof(*out));
	s->nbeats = 0;
	return n;
}

void store_set_deadline(Store *s, int64_t deadline_ms)
{
	s->ops->set_deadline(s, deadline_ms);
}

bool store_acquire(Store *s, const char *holder, const char *api,
		   int64_t *term)
{
	begin(s);
	return done(s, s->ops->acquire(s, holder, api, term));
}

bool store_apply(Store *s, int64_t term, const char *formation,
		 const StoreDecision *d, size_t nd, const StoreNodeView *views,
		 size_t nviews, const char *health, bool clear_requests)
{
	begin(s);
	return done(s, s->ops->apply(s, term, formation, d, nd, views, nviews,
				     health, clear_requests));
}

bool store_request(Store *s, const char *formation, const char *what,
		   const char *node_name)
{
	begin(s);
	return done(s, s->ops->request(s, formation, what, node_name));
}

bool store_set_pg_param(Store *s, const char *formation, const char *name,
			const char *value, char *context, size_t len)
{
	begin(s);
	return done(s, s->ops->set_pg_param(s, formation, name, value, context,
					    len));
}

/* A call the store's driver does not offer: refused, saying so. */
bool store_fail(Store *s, StoreFailure f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	s->failure = f;
	return false;
}

static bool unsupported(Store *s, const char *what)
{
	return store_fail(s, STORE_REFUSED, "this store keeps no %s", what);
}

bool store_depose(Store *s, const char *holder, int64_t term)
{
	begin(s);
	if (!s->ops->depose)
		return unsupported(s, "end of another monitor's lease");
	return done(s, s->ops->depose(s, holder, term));
}

bool store_list_monitors(Store *s, StoreMonitor *out, size_t max,
			 size_t *n)
{
	begin(s);
	*n = 0;
	if (!s->ops->list_monitors)
		return unsupported(s, "list of monitors");
	return done(s, s->ops->list_monitors(s, out, max, n));
}

bool store_last_node_id(Store *s, int64_t *id)
{
	begin(s);
	*id = 0;
	if (!s->ops->last_node_id)
		return unsupported(s, "node id counter to move");
	return done(s, s->ops->last_node_id(s, id));
}

bool store_import(Store *s, const StoreFormation *f, int64_t last_node_id)
{
	begin(s);
	if (!s->ops->import)
		return unsupported(s, "imported formations");
	return done(s, s->ops->import(s, f, last_node_id));
}

bool store_node_credential(Store *s, const char *formation, int node_id,
			   char *secret, size_t len)
{
	begin(s);
	secret[0] = '\0';
	if (!s->ops->node_credential)
		return unsupported(s, "credentials of imported nodes");
	return done(s, s->ops->node_credential(s, formation, node_id, secret,
						len));
}

bool store_set_backup(Store *s, const char *formation, const char *name,
		      const char *value)
{
	begin(s);
	if (!s->ops->set_backup)
		return unsupported(s, "backup settings");
	return done(s, s->ops->set_backup(s, formation, name, value));
}

bool store_set_slot(Store *s, const char *formation, const char *name,
		    const char *kind)
{
	begin(s);
	if (!s->ops->set_slot)
		return unsupported(s, "permanent slots");
	return done(s, s->ops->set_slot(s, formation, name, kind));
}

bool store_publish_slot(Store *s, int node_id, const char *name,
			Lsn confirmed_flush, const char *state)
{
	begin(s);
	if (!s->ops->publish_slot)
		return unsupported(s, "permanent slots");
	return done(s, s->ops->publish_slot(s, node_id, name, confirmed_flush,
					    state));
}

bool store_request_restart(Store *s, const char *formation,
			   const char *node_name, long long *seq)
{
	begin(s);
	return done(s, s->ops->request_restart(s, formation, node_name, seq));
}

bool store_request_reinit(Store *s, const char *formation,
			  const char *node_name, long long *seq)
{
	begin(s);
	if (!s->ops->request_reinit)
		return unsupported(s, "reinit requests");
	return done(s, s->ops->request_reinit(s, formation, node_name, seq));
}

bool store_schedule(Store *s, const char *formation, const StoreScheduled *op,
		    long long *id)
{
	begin(s);
	if (!s->ops->schedule)
		return unsupported(s, "scheduled operations");
	return done(s, s->ops->schedule(s, formation, op, id));
}

bool store_list_scheduled(Store *s, const char *formation,
			  StoreScheduled *out, size_t max, size_t *n)
{
	begin(s);
	*n = 0;
	if (!s->ops->list_scheduled)
		return unsupported(s, "scheduled operations");
	return done(s, s->ops->list_scheduled(s, formation, out, max, n));
}

bool store_end_scheduled(Store *s, const char *formation, long long id,
			 const char *outcome, const char *why)
{
	begin(s);
	if (!s->ops->end_scheduled)
		return unsupported(s, "scheduled operations");
	return done(s, s->ops->end_scheduled(s, formation, id, outcome, why));
}

bool store_rotate_secret(Store *s, const char *formation, const char *which)
{
	begin(s);
	return done(s, s->ops->rotate_secret(s, formation, which));
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
	begin(s);
	return done(s, s->ops->set_setting(s, formation, node_name, name,
					   value));
}

bool store_set_maintenance(Store *s, const char *formation,
			   const char *node_name, bool on)
{
	begin(s);
	return done(s, s->ops->set_maintenance(s, formation, node_name, on));
}

bool store_drop_node(Store *s, const char *formation, const char *node_name)
{
	begin(s);
	return done(s, s->ops->drop_node(s, formation, node_name));
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
	case RS_TAGS:
		*value = n ? n->tags : 0;
		return n != NULL;
	case RS_REPLICATE_FROM: /* text: store_runtime_text */
		*value = 0;
		return n != NULL;
	case RS_APPLY_DELAY:
		*value = n ? n->apply_delay : 0;
		return n != NULL;
	case RS_STANDBY_OF: /* text: store_runtime_text */
		*value = 0;
		return true;
	case RS_COUNT:
		break;
	}
	return false;
}

bool store_runtime_text(const StoreFormation *f, const char *node_name,
			RuntimeSettingId id, char *buf, size_t len)
{
	const StoreNode *n = store_formation_node_named(f, node_name);
	int v;

	if (!store_runtime_value(f, node_name, id, &v))
		return false;
	if (id == RS_REPLICATE_FROM)
		snprintf(buf, len, "%s", n->replicate_from);
	else if (id == RS_STANDBY_OF)
		snprintf(buf, len, "%s", f->standby_of);
	else
		runtime_setting_format(runtime_setting(id), v, buf, len);
	return true;
}

bool store_node_reinit_pending(const StoreNode *n)
{
	return n->reinit_requested > n->report.restarted;
}
