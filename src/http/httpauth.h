/*
 * httpauth.h - the credentials the HTTP API asks for on everything but
 * the routing checks (http.auth_file): one line, either
 * "basic USER:PASSWORD" (HTTP Basic) or "token TOKEN" (a bearer token).
 */
#ifndef PGK_HTTPAUTH_H
#define PGK_HTTPAUTH_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { HTTP_AUTH_NONE, HTTP_AUTH_BASIC, HTTP_AUTH_TOKEN } HttpAuthKind;

typedef struct {
	HttpAuthKind kind;
	char user[128];
	char secret[256]; /* the password or the token */
} HttpAuth;

/* Parses one line of an auth file. False with err (which never holds the
 * secret) when it is neither form. */
bool http_auth_parse(const char *line, HttpAuth *out, char *err,
		     size_t errlen);

/* Reads path (which must be 0600 or stricter) into out; false with err. */
bool http_auth_load(const char *path, HttpAuth *out, char *err,
		    size_t errlen);

/* Compares two strings in time that depends on their lengths only: true
 * when equal and not empty (an empty b never matches). */
bool http_auth_equal(const char *a, const char *b);

#endif
