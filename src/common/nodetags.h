/*
 * nodetags.h - the tags an operator puts on a node (`pgkeel config set
 * node.tags nofailover,noloadbalance --name N`): their one table, and
 * the text form the store keeps, a comma-separated list in the table's
 * order ("" for none).
 *
 * nofailover: the node is never a promotion candidate (fsm/candidate.c);
 * noloadbalance: its keeper answers 503 on /replica and /read-only
 * (keeper/keeper_status.c). docs/configuration.md lists them.
 */
#ifndef PGK_NODETAGS_H
#define PGK_NODETAGS_H

#include <stdbool.h>
#include <stddef.h>

enum {
	NODE_TAG_NOFAILOVER = 1u << 0,
	NODE_TAG_NOLOADBALANCE = 1u << 1,
	NODE_TAG_COUNT = 2
};

/* The known tags as the store's set_setting checks them, in the table's
 * order (tests/unit/test_nodetags.c holds it to the table). */
#define NODE_TAGS_SQL_ARRAY "ARRAY['nofailover', 'noloadbalance']"

/* node_tag_name, node_tag_doc: tag i's name and effect; NULL for i
 * outside 0..NODE_TAG_COUNT-1. */
const char *node_tag_name(int i);
const char *node_tag_doc(int i);

/*
 * Parses "nofailover,noloadbalance" (any order, blanks around names
 * allowed, repeats ignored, "" for none) into a mask of NODE_TAG_ bits.
 * False with err naming the unknown tag and listing the known ones
 * (*mask unchanged).
 */
bool node_tags_parse(const char *text, int *mask, char *err, size_t errlen);
/* The mask's canonical text into buf ("" for none); returns buf, never
 * NULL. */
char *node_tags_format(int mask, char *buf, size_t len);
/* "nofailover, noloadbalance": for messages and the docs. */
void node_tags_known(char *buf, size_t len);

#endif
