/*
 * keeper_permslots.c - the formation's permanent physical replication
 * slots (`pgkeel config set slots.NAME physical`) on this node, one of
 * the duties of its role (keeper_role.c); logical ones are
 * keeper_logslots.c's.
 *
 * A primary creates each slot; its consumer (pg_receivewal, say) moves
 * it. A standby creates its own copy and advances it to the position
 * its upstream's slot has reached, never further: promoted, it holds
 * every WAL segment the consumer has not confirmed. A copy is made at
 * the standby's last restartpoint; a consumer further behind than that
 * when the copy is made can still find WAL missing after a failover
 * until it catches up (logged; docs/guarantees.md).
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/slotdecl.h"
#include "keeper/keeper.h"
#include "pg/permslots.h"
#include "pg/pgslots.h"

typedef struct {
	const char *names[STORE_MAX_SLOTS];
	size_t n;
} NameList;

/* The declared (removed false) or removed slots whose names are valid:
 * the store checks them too; this keeper does not rely on it. */
static void collect(const StoreFormation *f, bool removed, NameList *out)
{
	char err[256];

	out->n = 0;
	for (size_t i = 0; i < f->nslots && i < STORE_MAX_SLOTS; i++) {
		const StoreSlot *s = &f->slots[i];
		if (s->removed != removed)
			continue;
		SlotKind kind;
		if (!slotdecl_name_ok(s->name, err, sizeof(err)) ||
		    (!removed &&
		     !slotdecl_parse(s->kind, &kind, err, sizeof(err)))) {
			log_error("permanent slot not kept: %s", err);
			continue;
		}
		if (!removed && kind.logical)
			continue; /* keeper_logslots.c */
		out->names[out->n++] = s->name;
	}
}

/* Drops the removed slots still here (an active one stays, for now). */
static bool drop_removed(PgConn *pc, const NameList *gone)
{
	PermSlotPos here[STORE_MAX_SLOTS];
	bool ok = true;

	if (gone->n == 0)
		return true;
	if (!permslots_read(pc, gone->names, gone->n, here))
		return false;
	for (size_t i = 0; i < gone->n; i++) {
		if (here[i].exists)
			ok = slot_drop(pc, gone->names[i]) && ok;
	}
	return ok;
}

static void warn_if_ahead(const char *name, Lsn mine, Lsn upstream)
{
	char a[LSN_TEXT_LEN], b[LSN_TEXT_LEN];

	if (mine == LSN_INVALID || upstream == LSN_INVALID || mine <= upstream)
		return;
	log_warn("permanent slot %s starts at %s here, after its upstream's "
		 "%s: promoted now, this node would lack the WAL between for "
		 "its consumer",
		 name, lsn_format(mine, a, sizeof(a)),
		 lsn_format(upstream, b, sizeof(b)));
}

/* A standby's copies, advanced to the upstream's positions; false
 * (logged) when a step failed. */
static bool follow_upstream(Keeper *k, PgConn *pc, const NameList *want)
{
	PermSlotPos up[STORE_MAX_SLOTS], mine[STORE_MAX_SLOTS];
	char err[1024];
	bool ok = true;

	if (!permslots_read_upstream(&k->node, want->names, want->n, up, err,
				     sizeof(err))) {
		log_warn("permanent slots not advanced: %s", err);
		return false;
	}
	for (size_t i = 0; i < want->n; i++) {
		if (up[i].exists && up[i].restart_lsn != LSN_INVALID)
			ok = slot_advance(pc, want->names[i],
					  up[i].restart_lsn) && ok;
	}
	if (!ok || !permslots_read(pc, want->names, want->n, mine)) {
		log_warn("permanent slots not advanced: %s", pc->error);
		return false;
	}
	for (size_t i = 0; i < want->n; i++)
		warn_if_ahead(want->names[i], mine[i].restart_lsn,
			      up[i].restart_lsn);
	return ok;
}

bool keeper_permanent_slots(Keeper *k, bool primary)
{
	NameList want, gone;
	bool ok = true;

	collect(k->formation, false, &want);
	collect(k->formation, true, &gone);
	if (want.n == 0 && gone.n == 0)
		return true;
	PgConn *pc = keeper_local(k);
	if (!pc)
		return false;
	for (size_t i = 0; i < want.n; i++)
		ok = slot_create(pc, want.names[i]) && ok;
	ok = drop_removed(pc, &gone) && ok;
	if (!ok)
		log_warn("permanent slots: %s", pc->error);
	/* an upstream out of reach is tried again at the next refresh, not
	 * every cycle: each try may wait for a connection timeout */
	if (!primary && want.n > 0 && k->node.has_upstream)
		follow_upstream(k, pc, &want);
	return ok;
}
