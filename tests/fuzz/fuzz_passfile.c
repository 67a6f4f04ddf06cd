/*
 * fuzz_passfile.c - libpq password files: passfile_write then
 * passfile_read (round trip), and passfile_read on hostile file content.
 *
 * Input: first byte: bit 0 picks the mode, the rest its length of user
 * name; then the user name and the password (or the file's content).
 * Invariants: what passfile_write accepts reads back exactly (user and
 * password), the file is private, and any error message is terminated
 * and never holds the password.
 */
#include <sys/stat.h>

#include "common/passfile.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const char *user, const char *password)
{
	char path[64], out[1024], err[512];
	struct stat st;

	fuzz_tempfile(NULL, 0, path, sizeof(path));
	err[0] = '\0';
	if (!passfile_write(path, user, password, err, sizeof(err))) {
		FUZZ_CHECK(err[0]);
		FUZZ_CHECK(strlen(password) < 4 || !strstr(err, password));
		unlink(path);
		return;
	}
	FUZZ_CHECK(stat(path, &st) == 0 && (st.st_mode & 077) == 0);
	FUZZ_CHECK(passfile_read(path, user, out, sizeof(out), err,
				 sizeof(err)));
	if (strcmp(out, password) != 0)
		fprintf(stderr, "wrote [%s] read [%s]\n", password, out);
	FUZZ_CHECK(strcmp(out, password) == 0);
	unlink(path);
}

static void hostile_file(const uint8_t *data, size_t size, const char *user)
{
	char path[64], out[64], err[512];

	fuzz_tempfile(data, size, path, sizeof(path));
	chmod(path, 0600);
	memset(out, 'x', sizeof(out));
	if (passfile_read(path, user, out, sizeof(out), err, sizeof(err)))
		FUZZ_CHECK(memchr(out, '\0', sizeof(out)));
	else
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)));
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t ulen = (size_t)(data[0] >> 1);
	if (ulen > size - 1)
		ulen = size - 1;
	char *user = fuzz_string(data + 1, ulen);
	if (data[0] & 1) {
		hostile_file(data + 1 + ulen, size - 1 - ulen,
			     *user ? user : "pgkeel");
	} else {
		char *password = fuzz_string(data + 1 + ulen, size - 1 - ulen);
		round_trip(user, password);
		free(password);
	}
	free(user);
	return 0;
}
