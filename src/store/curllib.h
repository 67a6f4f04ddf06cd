/*
 * curllib.h - libcurl, loaded when the first etcd store is opened
 * (common/dynlib.h): a keeper or monitor of a Postgres store never maps
 * it nor its dependencies (nghttp2, ssh2, rtmp with GnuTLS, ...).
 */
#ifndef PGK_CURLLIB_H
#define PGK_CURLLIB_H

#include <stddef.h>
#include <curl/curl.h>

/* The library's file; the package's dependency (debian/control) names
 * the same version. */
#define CURLLIB_SONAME "libcurl.so.4"

/* The functions the etcd driver calls: curl_<name>. */
#define CURLLIB_FUNCTIONS(X)                                                 \
	X(easy_init)                                                         \
	X(easy_cleanup)                                                      \
	X(easy_reset)                                                        \
	X(easy_setopt)                                                       \
	X(easy_perform)                                                      \
	X(easy_getinfo)                                                      \
	X(easy_strerror)                                                     \
	X(slist_append)                                                      \
	X(slist_free_all)                                                    \
	X(multi_init)                                                        \
	X(multi_cleanup)                                                     \
	X(multi_add_handle)                                                  \
	X(multi_remove_handle)                                               \
	X(multi_perform)                                                     \
	X(multi_info_read)                                                   \
	X(multi_poll)

typedef struct {
#define CURLLIB_FIELD(name) __typeof__(&curl_##name) name;
	CURLLIB_FUNCTIONS(CURLLIB_FIELD)
#undef CURLLIB_FIELD
} CurlLib;

/* The library's functions, loaded at the first call; NULL with err set
 * when it cannot be loaded. Thread-safe. */
const CurlLib *curllib_load(char *err, size_t errlen);
/* The same, once curllib_load succeeded (every etcd client is made
 * after it); never NULL. */
const CurlLib *curllib(void);

#endif
