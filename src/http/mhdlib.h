/*
 * mhdlib.h - libmicrohttpd, loaded when the first HTTP server starts
 * (common/dynlib.h): a keeper without an HTTP API, the default, never
 * maps it nor the TLS library it brings (GnuTLS, p11-kit and theirs).
 */
#ifndef PGK_MHDLIB_H
#define PGK_MHDLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <microhttpd.h>

/* The library's file; the package's dependency (debian/control) names
 * the same version. */
#define MHDLIB_SONAME "libmicrohttpd.so.12"

/* The functions server.c calls: MHD_<name>. */
#define MHDLIB_FUNCTIONS(X)                                                  \
	X(start_daemon)                                                      \
	X(stop_daemon)                                                       \
	X(get_daemon_info)                                                   \
	X(lookup_connection_value)                                           \
	X(basic_auth_get_username_password)                                  \
	X(free)                                                              \
	X(create_response_from_buffer)                                       \
	X(add_response_header)                                               \
	X(queue_response)                                                    \
	X(destroy_response)

typedef struct {
#define MHDLIB_FIELD(name) __typeof__(&MHD_##name) name;
	MHDLIB_FUNCTIONS(MHDLIB_FIELD)
#undef MHDLIB_FIELD
} MhdLib;

/* The library's functions, loaded at the first call; NULL with err set
 * when it cannot be loaded. Thread-safe. */
const MhdLib *mhdlib_load(char *err, size_t errlen);
/* The same, once mhdlib_load succeeded (every server starts after it);
 * never NULL. */
const MhdLib *mhdlib(void);

#endif
