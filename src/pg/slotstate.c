/*
 * slotstate.c - a slot's state file as hex (slotstate.h).
 */
#include "pg/slotstate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"

static bool state_path(const char *pgdata, const char *name, char *dir,
		       size_t dirlen, char *file, size_t filelen)
{
	return snprintf(dir, dirlen, "%s/pg_replslot/%s", pgdata, name) <
		       (int)dirlen &&
	       snprintf(file, filelen, "%s/state", dir) < (int)filelen;
}

bool slotstate_read(const char *pgdata, const char *name, char *hex,
		    size_t hexlen, char *err, size_t errlen)
{
	char dir[1200], file[1300];
	size_t len = 0;

	if (!state_path(pgdata, name, dir, sizeof(dir), file, sizeof(file))) {
		snprintf(err, errlen, "path too long");
		return false;
	}
	char *data = fs_read_file(file, &len);
	if (!data) {
		snprintf(err, errlen, "cannot read %s: %s", file,
			 strerror(errno));
		return false;
	}
	bool ok = len > 0 && len * 2 < hexlen;
	for (size_t i = 0; ok && i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)data[i]);
	free(data);
	if (!ok)
		snprintf(err, errlen, "%s: %zu bytes, not 1 to %zu", file, len,
			 (hexlen - 1) / 2);
	return ok;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* hex to bytes into out (len/2 of them); false for malformed hex. */
static bool unhex(const char *hex, size_t len, unsigned char *out)
{
	if (len == 0 || len % 2 != 0)
		return false;
	for (size_t i = 0; i < len; i += 2) {
		int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	bool ok = fd >= 0 && fsync(fd) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

bool slotstate_write(const char *pgdata, const char *name, const char *hex,
		     char *err, size_t errlen)
{
	char dir[1200], file[1300], parent[1100];
	size_t len = strlen(hex);
	unsigned char *data = malloc(len / 2 + 1);

	if (!data || !unhex(hex, len, data) ||
	    !state_path(pgdata, name, dir, sizeof(dir), file, sizeof(file))) {
		snprintf(err, errlen, "slot %s: malformed state or path", name);
		free(data);
		return false;
	}
	snprintf(parent, sizeof(parent), "%s/pg_replslot", pgdata);
	bool ok = (mkdir(dir, 0700) == 0 || errno == EEXIST) &&
		  sync_dir(parent) &&
		  fs_write_file_atomic(file, (const char *)data, len / 2, 0600);
	free(data);
	if (!ok)
		snprintf(err, errlen, "cannot write %s (see the log)", file);
	return ok;
}
