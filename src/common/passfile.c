/*
 * passfile.c - writing and reading one-role libpq password files.
 *
 * The format is libpq's: host:port:database:user:password, with ':' and
 * '\' escaped by a backslash. pgkeel writes "*" for host, port and
 * database, so the one line serves every connection of that role.
 */
#include "common/passfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fsutil.h"

/* False when the escaped text does not fit in len (nothing is cut). */
static bool escape(const char *in, char *out, size_t len)
{
	size_t j = 0, i;

	for (i = 0; in[i] && j + 2 < len; i++) {
		if (in[i] == ':' || in[i] == '\\')
			out[j++] = '\\';
		out[j++] = in[i];
	}
	out[j] = '\0';
	return in[i] == '\0';
}

bool passfile_write(const char *path, const char *user, const char *password,
		    char *err, size_t errlen)
{
	char euser[256], epass[512], line[900];

	if (strchr(password, '\n') || strchr(user, '\n')) {
		snprintf(err, errlen, "a password cannot contain a line break");
		return false;
	}
	if (!escape(user, euser, sizeof(euser)) ||
	    !escape(password, epass, sizeof(epass))) {
		memset(epass, 0, sizeof(epass));
		snprintf(err, errlen, "cannot write %s: the user name or "
				      "password is too long (keep them under "
				      "127 and 255 characters)",
			 path);
		return false;
	}
	int n = snprintf(line, sizeof(line), "*:*:*:%s:%s\n", euser, epass);
	bool ok = n > 0 && (size_t)n < sizeof(line) &&
		  fs_write_file_atomic(path, line, (size_t)n, 0600);
	if (!ok)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
	memset(line, 0, sizeof(line));
	memset(epass, 0, sizeof(epass));
	return ok;
}

/* Splits one line at unescaped ':' into at most 5 fields, unescaping. */
static int split(char *line, char **fields)
{
	int n = 0;
	char *w = line;

	fields[n++] = w;
	for (char *r = line; *r && *r != '\n'; r++) {
		if (*r == '\\' && r[1]) {
			*w++ = *++r;
		} else if (*r == ':' && n < 5) {
			*w++ = '\0';
			fields[n++] = w;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return n;
}

bool passfile_read(const char *path, const char *user, char *out,
		   size_t len, char *err, size_t errlen)
{
	if (!passfile_is_private(path, err, errlen))
		return false;
	char *text = fs_read_file(path, NULL);
	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return false;
	}
	bool found = false;
	for (char *line = strtok(text, "\n"); line && !found;
	     line = strtok(NULL, "\n")) {
		char *f[5];
		if (line[0] != '#' && split(line, f) == 5 &&
		    strcmp(f[3], user) == 0) {
			snprintf(out, len, "%s", f[4]);
			found = true;
		}
	}
	memset(text, 0, strlen(text));
	free(text);
	if (!found)
		snprintf(err, errlen, "%s has no password for %s", path, user);
	return found;
}

bool passfile_is_private(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return false;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 077) == 0)
		return true;
	snprintf(err, errlen, "%s may hold a password but others can reach "
			      "it (mode %04o): chmod 600 %s",
		 path, (unsigned)(st.st_mode & 07777), path);
	return false;
}

bool passfile_random_password(char *buf, size_t len)
{
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyz"
				       "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char raw[64];
	FILE *f = fopen("/dev/urandom", "r");
	size_t n = f ? fread(raw, 1, sizeof(raw), f) : 0;

	if (f)
		fclose(f);
	if (len == 0 || n < len - 1)
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		buf[i] = alphabet[raw[i] % (sizeof(alphabet) - 1)];
	buf[len - 1] = '\0';
	return true;
}
