/*
 * pgconninfo.h - rewriting a store URI for another identity: the
 * operator's URI that registers a node becomes that node's own URI (its
 * role, no password), and a URI gets the passfile that holds its
 * password. Parsing is libpq's own (PQconninfoParse).
 */
#ifndef PGK_PGCONNINFO_H
#define PGK_PGCONNINFO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * uri (a URI or keyword/value string) as a URI for user (NULL: keep the
 * user), without any password or passfile, with passfile when not NULL.
 * Every other parameter (hosts, ports, sslmode...) is kept. A malloc'd
 * string, or NULL with err when uri does not parse.
 */
char *pg_conninfo_rewrite(const char *uri, const char *user,
			  const char *passfile, char *err, size_t errlen);

/* True when uri sets keyword to a non-empty value ("password": visible
 * in `ps`); false when it does not, or uri does not parse. */
bool pg_conninfo_has(const char *uri, const char *keyword);

#endif
