/*
 * keeper_logslots.c - the formation's permanent logical slots
 * (`pgkeel config set slots.NAME logical:PLUGIN:DATABASE`) on this node,
 * one of the duties of its role (keeper_role.c).
 *
 * A primary creates each slot in its database and publishes it to the
 * store: its confirmed_flush_lsn and the bytes of its state file. A
 * standby cannot create a logical slot (before PostgreSQL 16), but it
 * loads one whose state file is in pg_replslot when it starts: its
 * keeper writes the primary's file there and restarts its Postgres once;
 * from then on it advances the copy to the primary's confirmed position
 * (never past what it replayed), and hot_standby_feedback makes the
 * primary keep the catalog rows the copy needs. A copy that lacks the
 * WAL it starts from is dropped and copied again once the primary's slot
 * moved on. What a failover keeps: docs/guarantees.md.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/slotdecl.h"
#include "keeper/keeper.h"
#include "pg/logslots.h"
#include "pg/pgslots.h"
#include "pg/slotstate.h"

/* The formation's primary, by its goal; 0 when it has none. */
static int primary_id(const StoreFormation *f)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		if (state_is_primary(f->nodes[i].goal))
			return f->nodes[i].id;
	}
	return 0;
}

/* A connection to the local Postgres's database db (closed by the
 * caller); false logged. */
static bool connect_db(Keeper *k, const char *db, PgConn *pc)
{
	if (pg_connect_local(pc, k->node.socket_dir, k->node.port, db, 2000))
		return true;
	log_warn("logical slots in database %s: %s", db, pc->error);
	return false;
}

/* On the primary: the slot created in its database when missing. */
static bool create_slot(Keeper *k, const StoreSlot *s, const SlotKind *kind)
{
	PgConn pc;

	if (!connect_db(k, kind->database, &pc))
		return false;
	bool ok = logslot_create(&pc, s->name, kind->plugin);
	if (!ok && strstr(pc.error, "wal_level"))
		log_warn("logical slot %s waits for wal_level logical, which "
			 "this Postgres has not started with yet: `pgkeel "
			 "perform restart --rolling` restarts each node in "
			 "turn (%s)",
			 s->name, pc.error);
	else if (!ok)
		log_warn("logical slot %s not created: %s", s->name, pc.error);
	pg_disconnect(&pc);
	return ok;
}

/* On the primary: the slot created when missing, then published when it
 * changed since the store last had it. */
static bool primary_slot(Keeper *k, const StoreSlot *s, const SlotKind *kind)
{
	const char *names[] = {s->name};
	char hex[STORE_SLOT_STATE_LEN], err[1024];
	const StoreNode *me = keeper_me(k);
	LogSlotPos pos;
	PgConn *pc;

	if (!create_slot(k, s, kind))
		return false;
	if (!slotstate_read(k->node.pgdata, s->name, hex, sizeof(hex), err,
			    sizeof(err))) {
		log_warn("logical slot %s not published: %s", s->name, err);
		return false;
	}
	/* read after the file: the position published is never behind the
	 * file's, so a standby's copy is never ahead of it */
	pc = keeper_local(k);
	if (!pc || !logslots_read(pc, names, 1, &pos) || !pos.exists)
		return false;
	if (strcmp(pos.plugin, kind->plugin) != 0 ||
	    strcmp(pos.database, kind->database) != 0) {
		log_error("slot %s is %s in %s here, declared %s in %s: left "
			  "alone, not published",
			  s->name, pos.plugin, pos.database, kind->plugin,
			  kind->database);
		return false;
	}
	if (!me || (s->copy_node == me->id &&
		    s->confirmed_flush == pos.confirmed_flush &&
		    strcmp(s->state, hex) == 0))
		return me != NULL;
	if (!store_publish_slot(k->store, me->id, s->name,
				pos.confirmed_flush, hex)) {
		log_warn("logical slot %s not published: %s", s->name,
			 k->store->error);
		return false;
	}
	return true;
}

/* The state this keeper last wrote for name (NULL: none), and a place
 * to note the next one. */
static char *written(Keeper *k, const char *name, bool make)
{
	for (size_t i = 0; i < SLOTDECL_MAX; i++) {
		if (strcmp(k->slot_copies[i].name, name) == 0)
			return k->slot_copies[i].state;
	}
	for (size_t i = 0; make && i < SLOTDECL_MAX; i++) {
		if (!k->slot_copies[i].name[0]) {
			snprintf(k->slot_copies[i].name,
				 sizeof(k->slot_copies[i].name), "%s", name);
			return k->slot_copies[i].state;
		}
	}
	return NULL;
}

/* On a standby without the slot: the primary's state file written into
 * pg_replslot, unless this very state was written already (then the
 * copy was of no use; wait until the primary's slot moves). True when
 * written: Postgres must restart to load it. */
static bool copy_slot(Keeper *k, const StoreSlot *s)
{
	char err[1024];
	char *last = written(k, s->name, true);

	if (!last || strcmp(last, s->state) == 0)
		return false;
	if (!slotstate_write(k->node.pgdata, s->name, s->state, err,
			     sizeof(err))) {
		log_error("logical slot %s not copied: %s", s->name, err);
		return false;
	}
	snprintf(last, STORE_SLOT_STATE_LEN, "%s", s->state);
	log_info("logical slot %s copied from the primary (node %d); "
		 "Postgres restarts to load it",
		 s->name, s->copy_node);
	return true;
}

/* A copy ahead of the primary's slot did not come from it (this node
 * was the primary, say): dropped, to be copied again. */
static bool drop_if_ahead(Keeper *k, const StoreSlot *s,
			  const LogSlotPos *mine)
{
	char a[LSN_TEXT_LEN], b[LSN_TEXT_LEN];
	PgConn *pc = keeper_local(k);

	log_warn("logical slot %s is at %s here, ahead of the primary's %s: "
		 "dropped, copied again from the primary",
		 s->name, lsn_format(mine->confirmed_flush, a, sizeof(a)),
		 lsn_format(s->confirmed_flush, b, sizeof(b)));
	return pc && slot_drop(pc, s->name);
}

/* On a standby with the copy: advanced to the primary's position. A
 * copy that lacks its WAL is dropped, to be copied again. */
static bool follow_slot(Keeper *k, const StoreSlot *s, const SlotKind *kind,
			const LogSlotPos *mine)
{
	PgConn pc;

	if (s->confirmed_flush == LSN_INVALID || mine->active)
		return true;
	if (mine->confirmed_flush > s->confirmed_flush)
		return drop_if_ahead(k, s, mine);
	if (mine->confirmed_flush == s->confirmed_flush)
		return true;
	if (!connect_db(k, kind->database, &pc))
		return false;
	bool ok = logslot_advance(&pc, s->name, s->confirmed_flush);
	if (!ok && logslot_missing_wal(&pc)) {
		log_warn("logical slot %s: this standby lacks the WAL its copy "
			 "starts from (%s): dropped, copied again once the "
			 "primary's slot moves on",
			 s->name, pc.error);
		ok = slot_drop(&pc, s->name);
	} else if (!ok) {
		log_warn("logical slot %s not advanced: %s", s->name,
			 pc.error);
	}
	pg_disconnect(&pc);
	return ok;
}

/* A standby's duty for one slot; *restart set when a copy was written. */
static bool standby_slot(Keeper *k, const StoreSlot *s, const SlotKind *kind,
			 int primary, bool *restart)
{
	const char *names[] = {s->name};
	LogSlotPos mine;
	PgConn *pc = keeper_local(k);

	if (!s->state[0] || s->copy_node != primary || primary == 0)
		return true; /* nothing published by the primary yet */
	if (!pc || !logslots_read(pc, names, 1, &mine)) {
		log_warn("logical slot %s: %s", s->name,
			 pc ? pc->error : "no local connection");
		return false;
	}
	if (!mine.exists) {
		*restart = copy_slot(k, s) || *restart;
		return true;
	}
	return follow_slot(k, s, kind, &mine);
}

/* Removed slots still here, logical ones only (a client's stay). */
static bool drop_removed(Keeper *k)
{
	bool ok = true;

	for (size_t i = 0; i < k->formation->nslots; i++) {
		const StoreSlot *s = &k->formation->slots[i];
		const char *names[] = {s->name};
		LogSlotPos here;
		PgConn *pc;
		if (!s->removed)
			continue;
		pc = keeper_local(k);
		if (!pc || !logslots_read(pc, names, 1, &here))
			return false;
		if (here.exists && !here.active)
			ok = slot_drop(pc, s->name) && ok;
	}
	return ok;
}

static void restart_to_load(Keeper *k)
{
	char err[1024];

	keeper_local_close(k);
	if (!pgnode_stop(&k->node, STOP_FAST, err, sizeof(err)) ||
	    !pgnode_start(&k->node, err, sizeof(err))) {
		/* the supervisor starts it again on the next cycle */
		log_error("restart to load logical slots failed: %s", err);
		return;
	}
	log_info("Postgres restarted with its logical slot copies");
}

/* A standby keeps copies only with hot_standby_feedback on: without it
 * the primary removes the catalog rows they need. */
static bool feedback_on(Keeper *k)
{
	PgConn *pc = keeper_local(k);
	bool on = false;

	if (!pc || !logslots_feedback_on(pc, &on))
		return false;
	if (!on)
		log_error("logical slots not kept on this standby: "
			  "hot_standby_feedback is off (postgresql."
			  "hot_standby_feedback; docs/guarantees.md)");
	return on;
}

bool keeper_logical_slots(Keeper *k, bool primary)
{
	int primary_node = primary_id(k->formation);
	bool ok = true, restart = false;
	char err[256];

	for (size_t i = 0; i < k->formation->nslots; i++) {
		const StoreSlot *s = &k->formation->slots[i];
		SlotKind kind;
		if (s->removed || !slotdecl_name_ok(s->name, err, sizeof(err)) ||
		    !slotdecl_parse(s->kind, &kind, err, sizeof(err)) ||
		    !kind.logical)
			continue;
		if (primary)
			ok = primary_slot(k, s, &kind) && ok;
		else if (feedback_on(k))
			ok = standby_slot(k, s, &kind, primary_node,
					  &restart) && ok;
		else
			ok = false;
	}
	ok = drop_removed(k) && ok;
	if (restart)
		restart_to_load(k);
	return ok;
}
