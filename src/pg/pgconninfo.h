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

/* The value uri gives keyword into buf (len bytes); false and "" when
 * it gives none or uri does not parse. */
bool pg_conninfo_get(const char *uri, const char *keyword, char *buf,
		     size_t len);
/* uri (a URI or keyword/value string, multi-host) as a keyword/value
 * string with application_name (when not NULL) in place of its own, and
 * never a password: a malloc'd string, NULL when uri does not parse or
 * out of memory. */
char *pg_conninfo_keywords(const char *uri, const char *application_name);

#endif
