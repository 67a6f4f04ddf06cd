/*
 * lsn.h - PostgreSQL log sequence numbers: parse "16/B374D848", format,
 * and measure the distance between two of them in bytes.
 */
#ifndef PGK_LSN_H
#define PGK_LSN_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef uint64_t Lsn;

#define LSN_INVALID ((Lsn)0)
#define LSN_TEXT_LEN 18 /* "FFFFFFFF/FFFFFFFF" + NUL */

/* Parses the textual form Postgres prints; false on malformed input or
 * NULL (*out unchanged). */
bool lsn_parse(const char *text, Lsn *out);
/* Writes "X/Y" into buf (at least LSN_TEXT_LEN bytes); returns buf,
 * never NULL. */
char *lsn_format(Lsn lsn, char *buf, size_t len);
/* Bytes from b up to a, or 0 when a is not ahead of b. */
uint64_t lsn_ahead_by(Lsn a, Lsn b);

#endif
