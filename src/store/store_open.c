/*
 * store_open.c - the one way to a store from a URI: its scheme picks the
 * driver from a table.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store/etcdstore.h"
#include "store/pgstore.h"
#include "store/store.h"

typedef struct {
	const char *scheme; /* what the URI starts with, "://" included */
	Store *(*open)(const char *uri, const SslSpec *ssl, int timeout_ms,
		       char *err, size_t errlen);
	const char *unavailable; /* non-NULL: named, but not in this version */
} StoreDriver;

static const StoreDriver drivers[] = {
	{"postgres://", pgstore_open, NULL},
	{"postgresql://", pgstore_open, NULL},
	{"etcd://", etcdstore_open, NULL},
};

#define NDRIVERS (sizeof(drivers) / sizeof(drivers[0]))

/* "scheme:" at the start (RFC 3986: a letter, then letters, digits, +,
 * - or .); a libpq keyword conninfo (host=... dbname=...) has none. */
static bool has_scheme(const char *uri)
{
	const char *p = uri;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	return *p == ':';
}

static const StoreDriver *driver_of(const char *uri)
{
	for (size_t i = 0; i < NDRIVERS; i++) {
		if (strncmp(uri, drivers[i].scheme, strlen(drivers[i].scheme)) ==
		    0)
			return &drivers[i];
	}
	/* a keyword conninfo is libpq's other spelling of postgres:// */
	return !has_scheme(uri) && strchr(uri, '=') ? &drivers[0] : NULL;
}

static void accepted_schemes(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NDRIVERS && used < len; i++) {
		if (drivers[i].unavailable)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", drivers[i].scheme);
	}
}

Store *store_open(const char *uri, const SslSpec *ssl, int timeout_ms,
		  char *err, size_t errlen)
{
	const StoreDriver *d = driver_of(uri);
	char schemes[128];

	if (d && d->unavailable) {
		snprintf(err, errlen, "%s", d->unavailable);
		return NULL;
	}
	if (d)
		return d->open(uri, ssl, timeout_ms, err, errlen);
	accepted_schemes(schemes, sizeof(schemes));
	snprintf(err, errlen,
		 "cannot tell which state store \"%.64s%s\" names: expected a "
		 "URI starting with %s (or a libpq keyword string, host=... "
		 "dbname=...)",
		 uri, strlen(uri) > 64 ? "..." : "", schemes);
	return NULL;
}
