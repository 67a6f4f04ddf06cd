/*
 * libpq_floor.c - the least a keeper's connections can cost: a program
 * that links libpq alone, holds the keeper's two sessions (to the store
 * over TLS, to its own Postgres over the Unix socket) and sends one
 * query on each every 500 ms, as an idle keeper's cycle does. Its
 * proportional memory is the floor bench/keeper_resources.py compares
 * the keeper with (docs/benchmarks.md, "Keeper resources"); the script
 * compiles it at run time.
 *
 *     libpq_floor STORE_CONNINFO LOCAL_CONNINFO
 *
 * Runs until SIGTERM or SIGINT; says "ready" on stdout once both
 * sessions answered.
 */
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One query; a failed one resets the session. 1 when it answered. */
static int ask(PGconn *c)
{
	PGresult *res = PQexec(c, "SELECT 1");
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	if (!ok) {
		fprintf(stderr, "libpq_floor: %s", PQerrorMessage(c));
		PQreset(c);
	}
	return ok;
}

int main(int argc, char **argv)
{
	struct timespec half = {0, 500 * 1000 * 1000};

	if (argc != 3) {
		fprintf(stderr, "usage: libpq_floor STORE_CONNINFO "
				"LOCAL_CONNINFO\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	PGconn *store = PQconnectdb(argv[1]);
	PGconn *local = PQconnectdb(argv[2]);
	if (!ask(store) || !ask(local))
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		ask(store);
		ask(local);
		nanosleep(&half, NULL);
	}
	PQfinish(store);
	PQfinish(local);
	return 0;
}
