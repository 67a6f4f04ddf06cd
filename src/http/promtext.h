/*
 * promtext.h - writing metrics in the Prometheus text exposition format
 * (version 0.0.4): a family's HELP and TYPE lines once, then its samples
 * with escaped label values.
 */
#ifndef PGK_PROMTEXT_H
#define PGK_PROMTEXT_H

#include <stdio.h>

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* type: "gauge" or "counter". */
void prom_family(FILE *f, const char *name, const char *type,
		 const char *help);
/*
 * One sample: labels is a NULL-terminated list of name, value pairs
 * (may be NULL for none).
 */
void prom_sample(FILE *f, const char *name, const char *const *labels,
		 double value);

#endif
