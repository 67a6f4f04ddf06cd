/*
 * pgconninfo.c - rebuilding a libpq URI with another user and passfile.
 */
#define _GNU_SOURCE /* strndup */
#include "pg/pgconninfo.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conninfo.h"

#define MAX_HOSTS 16
#define MAX_PARAMS 32

typedef struct {
	char *hosts_text, *ports_text;
	HostPort hosts[MAX_HOSTS];
	size_t nhosts;
	const char *user, *dbname;
	const char *params[2 * MAX_PARAMS + 1];
	size_t nparams;
} ParsedUri;

/* Splits "h1,h2" and "p1,p2" (or one port for all) into hosts. */
static void split_hosts(ParsedUri *u)
{
	int ports[MAX_HOSTS];
	size_t nports = 0;
	char *save = NULL;

	for (char *p = u->ports_text ? strtok_r(u->ports_text, ",", &save)
				     : NULL;
	     p && nports < MAX_HOSTS; p = strtok_r(NULL, ",", &save))
		ports[nports++] = atoi(p);
	save = NULL;
	for (char *h = strtok_r(u->hosts_text, ",", &save);
	     h && u->nhosts < MAX_HOSTS; h = strtok_r(NULL, ",", &save)) {
		size_t i = u->nhosts++;
		u->hosts[i].host = h;
		u->hosts[i].port = i < nports    ? ports[i]
				   : nports == 1 ? ports[0]
						 : 5432;
	}
}

static void take(ParsedUri *u, const PQconninfoOption *o)
{
	if (strcmp(o->keyword, "host") == 0)
		u->hosts_text = strdup(o->val);
	else if (strcmp(o->keyword, "port") == 0)
		u->ports_text = strdup(o->val);
	else if (strcmp(o->keyword, "user") == 0)
		u->user = o->val;
	else if (strcmp(o->keyword, "dbname") == 0)
		u->dbname = o->val;
	else if (strcmp(o->keyword, "password") != 0 &&
		 strcmp(o->keyword, "passfile") != 0 &&
		 u->nparams < MAX_PARAMS) {
		u->params[2 * u->nparams] = o->keyword;
		u->params[2 * u->nparams + 1] = o->val;
		u->nparams++;
	}
}

char *pg_conninfo_rewrite(const char *uri, const char *user,
			  const char *passfile, char *err, size_t errlen)
{
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(uri, &perr);
	ParsedUri u;

	if (!opts) {
		/* libpq's message does not quote the URI, so no password */
		snprintf(err, errlen, "invalid monitor URI: %s",
			 perr ? perr : "out of memory");
		PQfreemem(perr);
		return NULL;
	}
	memset(&u, 0, sizeof(u));
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (o->val && *o->val)
			take(&u, o);
	}
	if (passfile && u.nparams < MAX_PARAMS) {
		u.params[2 * u.nparams] = "passfile";
		u.params[2 * u.nparams + 1] = passfile;
		u.nparams++;
	}
	u.params[2 * u.nparams] = NULL;
	char *out = NULL;
	if (!u.hosts_text)
		snprintf(err, errlen, "the monitor URI names no host");
	else {
		split_hosts(&u);
		out = uri_build(u.hosts, u.nhosts, user ? user : u.user,
				u.dbname, u.params);
	}
	free(u.hosts_text);
	free(u.ports_text);
	PQconninfoFree(opts);
	return out;
}

bool pg_conninfo_has(const char *uri, const char *keyword)
{
	PQconninfoOption *opts = PQconninfoParse(uri, NULL);
	bool found = false;

	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (strcmp(o->keyword, keyword) == 0 && o->val && *o->val)
			found = true;
	}
	PQconninfoFree(opts);
	return found;
}

bool pg_conninfo_get(const char *uri, const char *keyword, char *buf,
		     size_t len)
{
	PQconninfoOption *opts = PQconninfoParse(uri, NULL);
	bool found = false;

	buf[0] = '\0';
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (strcmp(o->keyword, keyword) == 0 && o->val && *o->val) {
			snprintf(buf, len, "%s", o->val);
			found = true;
		}
	}
	PQconninfoFree(opts);
	return found;
}

char *pg_conninfo_keywords(const char *uri, const char *application_name)
{
	PQconninfoOption *opts = PQconninfoParse(uri, NULL);
	char *ci = NULL;
	bool ok = opts != NULL;

	for (PQconninfoOption *o = opts; ok && o->keyword; o++) {
		if (!o->val || !*o->val || strcmp(o->keyword, "password") == 0 ||
		    strcmp(o->keyword, "application_name") == 0)
			continue;
		ci = conninfo_append(ci, o->keyword, o->val);
		ok = ci != NULL;
	}
	if (ok && application_name)
		ci = conninfo_append(ci, "application_name", application_name);
	PQconninfoFree(opts);
	return ok ? ci : NULL;
}
