/*
 * docgen.h - the parts of docs/ written from the tables they describe:
 * the states, the monitor's rules, a candidate's flaws and the keeper's
 * transitions (docs/state-machine.md) and the run-time settings
 * (docs/configuration.md). `make docs` rewrites each part between its
 * two marker lines; a unit test (tests/unit/test_docs.c) fails while a
 * checked-in part differs from what would be written.
 */
#ifndef PGK_DOCGEN_H
#define PGK_DOCGEN_H

#include <stddef.h>
#include <stdio.h>

#include "fsm/rules.h"

typedef struct {
	const char *file;   /* docs/NAME.md, from the repository's top */
	const char *name;   /* the part's name in its markers */
	const char *source; /* the table it is written from */
	void (*render)(FILE *out);
} DocPart;

extern const DocPart doc_parts[];
extern const size_t doc_nparts;

/* The part's text as the tables give it now (malloc'd); NULL when out of
 * memory (a write that failed part-way is not detected). */
char *doc_render(const DocPart *part);
/*
 * doc with part's text, between its markers, replaced by generated
 * (malloc'd); NULL with err when doc lacks the markers (NULL with err
 * unset when out of memory).
 */
char *doc_splice(const char *doc, const DocPart *part, const char *generated,
		 char *err, size_t errlen);
/* A whole file (malloc'd); NULL when it cannot be read. */
char *doc_read(const char *path);

/* The tables' renderers (docgen_tables.c); a rule's row alone too. */
void docgen_states(FILE *out);
void docgen_rules(FILE *out);
void docgen_flaws(FILE *out);
void docgen_rule_row(FILE *out, const FsmRule *r);
void docgen_keeper(FILE *out);
void docgen_runtime_settings(FILE *out);
void docgen_node_tags(FILE *out);

#endif
