/*
 * haproxy.c - writing the HAProxy configuration. Checks run every second
 * (inter 1s), a node is taken out after 2 failed checks and back in after
 * 1 good one; sessions to a node marked down are shut so that clients
 * reconnect to the new primary instead of hanging on the old one.
 *
 * The read pool (--read-only) balances over the standbys answering 200
 * on /replica; each node is also listed as a backup server that tracks
 * its server of the read-write section, so that the primary, whichever
 * node it is by then, takes the reads only while no standby passes.
 */
#include "cli/haproxy.h"

#include <stdio.h>

#include "common/idents.h"
static void header(FILE *out, const StoreFormation *f, const HaproxyOptions *o)
{
	fprintf(out,
		"# HAProxy configuration for pgkeel formation %s, from\n"
		"# `pgkeel show haproxy-config`. Port %d: the primary "
		"(read-write);\n"
		"# port %d: the standbys (read-only). Each node is checked "
		"through its\n"
		"# keeper's HTTP API (http.port) every second.\n"
		"global\n"
		"    maxconn 1000\n\n"
		"defaults\n"
		"    mode tcp\n"
		"    timeout connect 4s\n"
		"    timeout client 30m\n"
		"    timeout server 30m\n"
		"    timeout check 2s\n"
		"    default-server inter 1s fastinter 500ms fall 2 rise 1 "
		"on-marked-down shutdown-sessions\n\n",
		f->name, o->rw_port, o->ro_port);
	if (o->stats_port > 0)
		fprintf(out,
			"listen stats\n"
			"    mode http\n"
			"    bind %s:%d\n"
			"    stats enable\n"
			"    stats uri /\n\n",
			o->bind, o->stats_port);
}

/* HTTPS checks when the keepers serve their API over TLS. */
static void check_options(FILE *out, const HaproxyOptions *o)
{
	if (!o->check_ssl)
		return;
	if (o->ca_file)
		fprintf(out, " check-ssl verify required ca-file '%s'",
			o->ca_file);
	else
		fprintf(out, " check-ssl verify none");
}

/* Whether n can go in the file; say: a comment when it cannot. */
static bool usable(FILE *out, const StoreNode *n, bool say)
{
	/* the store checks these too; the file does not rely on it */
	if (!host_is_valid(n->host) || !name_is_valid(n->name)) {
		if (say)
			fprintf(out, "    # node %d is left out: its name or "
				     "host in the store is not valid\n",
				n->id);
		return false;
	}
	if (n->report.http_port <= 0) {
		if (say)
			fprintf(out,
				"    # %s (%s:%d) is left out: its keeper has "
				"no HTTP API (set http.port)\n",
				n->name, n->host, n->port);
		return false;
	}
	return true;
}

/* track: the read-write section whose servers the backups follow
 * (NULL: plain servers, checked by their own section) */
static void servers(FILE *out, const StoreFormation *f,
		    const HaproxyOptions *o, const char *track)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		const StoreNode *n = &f->nodes[i];
		if (!usable(out, n, track == NULL))
			continue;
		if (track) {
			fprintf(out, "    server %s_primary %s:%d backup track "
				     "%s/%s\n",
				n->name, n->host, n->port, track, n->name);
			continue;
		}
		fprintf(out, "    server %s %s:%d check port %d", n->name,
			n->host, n->port, n->report.http_port);
		check_options(out, o);
		fputc('\n', out);
	}
}

static void section(FILE *out, const StoreFormation *f,
		    const HaproxyOptions *o, const char *kind, int port,
		    const char *check)
{
	fprintf(out,
		"listen pgkeel_%s_%s\n"
		"    bind %s:%d\n"
		"    balance %s\n"
		"    option httpchk GET %s\n"
		"    http-check expect status 200\n",
		f->name, kind, o->bind, port,
		port == o->rw_port ? "first" : "roundrobin", check);
	servers(out, f, o, NULL);
	if (port != o->rw_port && o->read_pool) {
		char rw[STORE_NAME_LEN + 16];
		snprintf(rw, sizeof(rw), "pgkeel_%s_rw", f->name);
		fprintf(out, "    # the primary takes reads only while no "
			     "standby passes\n");
		servers(out, f, o, rw);
	}
	fputc('\n', out);
}

void haproxy_write(FILE *out, const StoreFormation *f, const HaproxyOptions *o)
{
	header(out, f, o);
	section(out, f, o, "rw", o->rw_port, "/primary");
	section(out, f, o, "ro", o->ro_port, "/replica");
}
