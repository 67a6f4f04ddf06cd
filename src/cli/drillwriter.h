/*
 * drillwriter.h - the synthetic client of `pgkeel drill`: a thread that
 * inserts numbered rows into its own table through a connection string
 * (the formation's multi-host URI), reconnecting after errors, and records
 * every acknowledged commit with its time; afterwards it checks which
 * acknowledged rows the new primary has, and drops its table.
 */
#ifndef PGK_DRILLWRITER_H
#define PGK_DRILLWRITER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DRILL_TABLE "pgkeel_drill"

typedef struct {
	char *conninfo;
	pthread_t thread;
	pthread_mutex_t lock;
	bool stop;
	long long *acked;   /* ids of acknowledged commits, in order */
	int64_t *ack_ms;    /* their monotonic times */
	size_t nacked, cap;
	long long errors;   /* failed attempts (their outcome unknown) */
	char last_error[256];
} DrillWriter;

/* Creates the table and starts writing; false with err when the
 * formation cannot be written to, or the table exists already. */
bool drill_writer_start(DrillWriter *w, const char *conninfo, char *err,
			size_t errlen);
/* Waits until count more commits are acknowledged (false at timeout). */
bool drill_writer_wait_more(DrillWriter *w, size_t count, int timeout_ms);
void drill_writer_stop(DrillWriter *w);
/* The longest time between two acknowledged commits, in ms (0 with fewer
 * than two). */
int64_t drill_writer_max_gap_ms(DrillWriter *w);
/* Acknowledged rows the primary does not have (-1 with err when it
 * cannot be read); then drops the table. */
long long drill_writer_check(DrillWriter *w, char *err, size_t errlen);
void drill_writer_free(DrillWriter *w);

#endif
