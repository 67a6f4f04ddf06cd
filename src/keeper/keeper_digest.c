/*
 * keeper_digest.c - a digest of what a keeper's duties depend on: its
 * own state and the parts of the formation that shape its Postgres
 * configuration, slots (its own and the permanent ones) and roles (not
 * the reports, which change every cycle). Duties run again when it
 * changes (keeper_role.c).
 */
#include <string.h>

#include "keeper/keeper.h"

/* FNV-1a, 64 bits */
static uint64_t mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	return mix(h, s, strlen(s) + 1);
}

static uint64_t mix_node(uint64_t h, const StoreNode *n)
{
	int ints[] = {n->id,		n->port,	     (int)n->goal,
		      n->upstream_id, n->maintenance, n->drop_requested,
		      n->apply_delay};
	h = mix(h, ints, sizeof(ints));
	h = mix(h, &n->restart_requested, sizeof(n->restart_requested));
	h = mix_str(h, n->name);
	h = mix_str(h, n->host);
	return mix_str(h, n->sync_names);
}

uint64_t keeper_duties_digest(const StoreFormation *f, NodeState current)
{
	uint64_t h = 14695981039346656037ULL;
	int ints[] = {(int)current, f->number_sync_standbys, f->paused};

	h = mix(h, ints, sizeof(ints));
	h = mix_str(h, f->repl_password);
	h = mix_str(h, f->health_password);
	h = mix_str(h, f->pgbackrest_stanza);
	h = mix_str(h, f->standby_of);
	for (size_t i = 0; i < f->nparams; i++) {
		h = mix_str(h, f->params[i].name);
		h = mix_str(h, f->params[i].value);
	}
	for (size_t i = 0; i < f->nslots; i++) {
		h = mix_str(h, f->slots[i].name);
		h = mix_str(h, f->slots[i].removed ? "" : f->slots[i].kind);
	}
	for (size_t i = 0; i < f->nnodes; i++)
		h = mix_node(h, &f->nodes[i]);
	return h;
}
