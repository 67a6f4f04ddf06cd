/*
 * conninfo.h - building libpq connection strings and URIs safely.
 *
 * Keyword/value strings quote every value the way libpq expects
 * (single quotes, backslash-escaped quotes and backslashes). URIs
 * percent-encode user names, database names and parameter values, and put
 * IPv6 addresses in brackets. The multi-host URI is what clients use to
 * always reach the primary (target_session_attrs=read-write).
 */
#ifndef PGK_CONNINFO_H
#define PGK_CONNINFO_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	const char *host;
	int port;
} HostPort;

/* Appends " key='value'" (quoted) to a malloc'd string (or NULL: a new
 * one); returns it, or NULL when out of memory. conninfo is freed (or
 * reused) either way: never use it after the call. */
char *conninfo_append(char *conninfo, const char *key, const char *value);

/* Quotes one value for a keyword/value string into a new malloc'd string;
 * NULL when out of memory. */
char *conninfo_quote(const char *value);

/*
 * postgres://[user@]h1:p1,h2:p2/dbname?key=value&...
 * params is a NULL-terminated list of alternating keys and values (may be
 * NULL). Returns a malloc'd string; NULL when out of memory (a part whose
 * encoding ran out of memory is left out silently).
 */
char *uri_build(const HostPort *hosts, size_t nhosts, const char *user,
		const char *dbname, const char *const *params);

/* Percent-encodes everything but RFC 3986 unreserved characters; a new
 * malloc'd string, NULL when out of memory. */
char *uri_encode(const char *text);

#endif
