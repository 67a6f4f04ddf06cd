/*
 * test_keeper_digest.c - the digest a keeper's duties run again on: it
 * changes with everything that shapes the node's configuration, slots
 * and roles, and not with the reports, which change every cycle.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keeper/keeper.h"

static StoreFormation *formation(void)
{
	StoreFormation *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->name, sizeof(f->name), "default");
	f->number_sync_standbys = 1;
	snprintf(f->repl_password, sizeof(f->repl_password), "r1");
	snprintf(f->health_password, sizeof(f->health_password), "h1");
	f->nnodes = 2;
	for (int i = 0; i < 2; i++) {
		StoreNode *n = &f->nodes[i];
		n->id = i + 1;
		snprintf(n->name, sizeof(n->name), "n%d", i + 1);
		snprintf(n->host, sizeof(n->host), "10.0.0.%d", i + 1);
		n->port = 5432;
		n->goal = i == 0 ? NS_PRIMARY : NS_SECONDARY;
		n->upstream_id = i == 0 ? 0 : 1;
	}
	snprintf(f->nodes[0].sync_names, sizeof(f->nodes[0].sync_names),
		 "ANY 1 (\"n2\")");
	return f;
}

static void reports_leave_it_alone(void **state)
{
	(void)state;
	StoreFormation *f = formation();
	uint64_t d = keeper_duties_digest(f, NS_PRIMARY);
	f->nodes[1].report.lsn += 4096;
	f->nodes[1].report_seq++;
	f->nodes[1].report_age_ms = 250;
	f->nodes[1].reachable = !f->nodes[1].reachable;
	snprintf(f->health, sizeof(f->health), "degraded");
	assert_true(keeper_duties_digest(f, NS_PRIMARY) == d);
	free(f);
}

static void what_shapes_the_node_changes_it(void **state)
{
	(void)state;
	for (int c = 0; c < 14; c++) {
		StoreFormation *f = formation();
		uint64_t d = keeper_duties_digest(f, NS_PRIMARY);
		NodeState current = NS_PRIMARY;
		StoreNode *b = &f->nodes[1];
		switch (c) {
		case 0: current = NS_WAIT_PRIMARY; break;
		case 1: f->number_sync_standbys = 2; break;
		case 2: f->repl_password[0] = 'x'; break;
		case 3: f->health_password[0] = 'x'; break;
		case 4:
			f->nparams = 1;
			snprintf(f->params[0].name, sizeof(f->params[0].name),
				 "work_mem");
			snprintf(f->params[0].value,
				 sizeof(f->params[0].value), "8MB");
			break;
		case 5: b->host[0] = '9'; break;
		case 6: b->port = 5433; break;
		case 7: b->goal = NS_CATCHINGUP; break;
		case 8: b->upstream_id = 0; break;
		case 9: f->nodes[0].sync_names[0] = '\0'; break;
		case 10: f->nodes[0].restart_requested = 3; break;
		case 11: f->nnodes = 1; break; /* a node left */
		case 12: /* a permanent slot declared */
			f->nslots = 1;
			snprintf(f->slots[0].name, sizeof(f->slots[0].name),
				 "archive");
			snprintf(f->slots[0].kind, sizeof(f->slots[0].kind),
				 "physical");
			break;
		case 13: /* and removed */
			f->nslots = 1;
			snprintf(f->slots[0].name, sizeof(f->slots[0].name),
				 "archive");
			f->slots[0].removed = true;
			break;
		}
		assert_true(keeper_duties_digest(f, current) != d);
		free(f);
	}
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(reports_leave_it_alone),
	  cmocka_unit_test(what_shapes_the_node_changes_it))
