/*
 * sync.c - which standbys a primary's commits wait for.
 *
 * The synchronous set is every quorum standby in sync (secondary) that
 * follows the primary itself (not a cascaded one, which Postgres cannot
 * count) and applies without delay (node.apply_delay); in strict mode standbys catching up stay in it,
 * so that losing them blocks commits rather than making them
 * asynchronous. Commits wait for number_sync_standbys of the set (ANY n).
 */
#include <stdio.h>
#include <string.h>

#include "fsm/fsm.h"

bool fsm_sync_member(const FsmFormation *f, const FsmNode *p,
		     const FsmNode *n)
{
	if (n == p || !n->quorum || n->upstream_id != p->id ||
	    n->apply_delay_ms > 0)
		return false;
	if (n->goal == NS_SECONDARY || n->goal == NS_PREPARE_PROMOTION)
		return true;
	return f->settings.strict_sync && n->goal == NS_CATCHINGUP;
}

int fsm_sync_eligible(const FsmFormation *f, const FsmNode *primary)
{
	int count = 0;
	for (size_t i = 0; i < f->nnodes; i++) {
		const FsmNode *n = &f->nodes[i];
		if (n != primary && n->quorum && n->apply_delay_ms <= 0 &&
		    (n->goal == NS_SECONDARY ||
		     n->goal == NS_PREPARE_PROMOTION) &&
		    n->upstream_id == primary->id)
			count++;
	}
	return count;
}

bool fsm_sync_names(const FsmFormation *f, const FsmNode *primary, char *buf,
		    size_t len)
{
	size_t off;
	int count = 0;

	buf[0] = '\0';
	if (primary->goal != NS_PRIMARY || f->settings.number_sync_standbys <= 0 ||
	    f->settings.standby_of)
		return true;
	off = (size_t)snprintf(buf, len, "ANY %d (",
			       f->settings.number_sync_standbys);
	for (size_t i = 0; i < f->nnodes && off < len; i++) {
		const FsmNode *n = &f->nodes[i];
		if (!fsm_sync_member(f, primary, n))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s\"%s\"",
					count++ ? ", " : "", n->name);
	}
	bool fits = off + 2 <= len;
	if (count == 0 || !fits)
		buf[0] = '\0';
	else
		snprintf(buf + off, len - off, ")");
	return fits;
}
