/*
 * haproxy.h - `pgkeel show haproxy-config`: an HAProxy configuration for
 * a formation, routing a read-write port to the node whose keeper
 * answers 200 on /primary and a read-only port to those answering 200 on
 * /replica (with --read-only the primary as their backup), checked every
 * second through each keeper's HTTP API.
 */
#ifndef PGK_HAPROXY_H
#define PGK_HAPROXY_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/command.h"
#include "store/store.h"

typedef struct {
	const char *bind;  /* address HAProxy listens on */
	int rw_port;
	int ro_port;
	int stats_port;    /* 0: no stats page */
	bool check_ssl;    /* the keepers' HTTP APIs speak HTTPS */
	const char *ca_file; /* verify their certificates; NULL: verify none */
	bool read_pool;    /* --read-only: the primary backs the standbys up */
} HaproxyOptions;

/* Writes the configuration; nodes without an HTTP API are left out
 * with a comment. Write errors are left in out's error flag. */
void haproxy_write(FILE *out, const StoreFormation *f,
		   const HaproxyOptions *o);

/* `pgkeel show haproxy-config` (cmd_show_haproxy.c). */
extern const Command show_haproxy;

#endif
