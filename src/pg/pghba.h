/*
 * pghba.h - the block of pg_hba.conf that pgkeel manages.
 *
 * pgkeel's entries live between two marker lines at the top of
 * pg_hba.conf (first match wins, and ours are narrow: one user, one
 * database, one address each). The block is replaced as a whole; the
 * user's own lines below it are never touched.
 */
#ifndef PGK_PGHBA_H
#define PGK_PGHBA_H

#include <stdbool.h>
#include <stddef.h>

#define PGHBA_BEGIN "# BEGIN pgkeel managed block (regenerated; do not edit)"
#define PGHBA_END "# END pgkeel managed block"

typedef struct {
	const char *database; /* "replication", "postgres", ... */
	const char *user;
	const char *address;  /* host, IP, CIDR, samehost or samenet */
	const char *method;   /* "scram-sha-256" or "trust" */
} HbaEntry;

/*
 * Renders one "hostssl DB USER ADDR METHOD" line into buf: "hostssl"
 * (TLS required) when the server serves TLS, "host" only when it does not.
 * False, and the entry left out of the file, when a field is not a name
 * or the address is not a host, an IP address or ADDRESS/BITS
 * (common/idents.h).
 */
bool pghba_format_entry(const HbaEntry *e, bool ssl, char *buf, size_t len);
/*
 * Replaces the managed block of datadir/pg_hba.conf with entries, all
 * hostssl when ssl (the node's TLS, sslspec_server_on), followed then by
 * "hostnossl ... reject" lines for each of their users: pgkeel's roles
 * never connect without TLS, whatever lines follow. Sets *changed when
 * the file's content changed (then Postgres needs a reload). True when
 * the file holds the block; false with err naming the file that could
 * not be read or written (the system's reason; after a failed write or
 * out of memory that reason may be stale: the write's own is logged).
 */
bool pghba_write(const char *datadir, const HbaEntry *entries, size_t n,
		 bool ssl, bool *changed, char *err, size_t errlen);

#endif
