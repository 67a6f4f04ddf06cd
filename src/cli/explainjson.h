/*
 * explainjson.h - `pgkeel explain --json`: an explanation (fsm/explain.h)
 * as JSON, with the same facts and sentences as the text, and the list
 * of the inputs the command can only approximate.
 */
#ifndef PGK_EXPLAINJSON_H
#define PGK_EXPLAINJSON_H

#include <jansson.h>
#include <stdbool.h>

#include "fsm/explain.h"
#include "store/store.h"

/* The inputs `pgkeel explain` approximates, one sentence each;
 * NULL-terminated. */
extern const char *const explain_inputs[];

/* True when y (unknown durations read as long) finds the primary down,
 * or decides, otherwise than x (read as starting now). */
bool explain_differs(const FsmExplanation *x, const FsmExplanation *y);

/* The explanation x of sf as a new object (the caller owns it), with
 * "if_longer" from y (explained on g) when explain_differs; NULL when
 * jansson runs out of memory. */
json_t *explain_json(const StoreFormation *sf, const FsmExplanation *x,
		     const FsmExplanation *y, const FsmFormation *g);

#endif
