/*
 * passfile.h - libpq password files (the .pgpass format) holding one
 * role's password, so that no password is ever on a command line, in a
 * URI or in pgkeel.ini: connection strings name the file (passfile=).
 */
#ifndef PGK_PASSFILE_H
#define PGK_PASSFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Writes path (mode 0600, atomically) with one line giving user's
 * password for any host, port and database. False with err on failure;
 * the password never appears in err.
 */
bool passfile_write(const char *path, const char *user, const char *password,
		    char *err, size_t errlen);

/*
 * Reads user's password from path into out. False with err when the file
 * is missing, has no line for user, or is readable by others.
 */
bool passfile_read(const char *path, const char *user, char *out,
		   size_t len, char *err, size_t errlen);

/*
 * True when path is a regular file that only its owner can read or
 * write; otherwise false with err naming the file and the fix.
 */
bool passfile_is_private(const char *path, char *err, size_t errlen);

/* Fills buf with len - 1 random letters and digits from /dev/urandom;
 * false when no randomness could be read. */
bool passfile_random_password(char *buf, size_t len);

#endif
