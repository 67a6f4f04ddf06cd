/*
 * fuzz_statefile.c - the keeper's state file (statefile_load), read from
 * a temporary file holding the input.
 *
 * Invariants: a refusal explains itself; an accepted file names a known
 * state and a terminated name, and what was read is saved and read back
 * unchanged (the keeper rewrites this file after every transition).
 */
#include "fuzz_util.h"
#include "keeper/statefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], again_path[80], err[512];
	KeeperState st, again;

	fuzz_tempfile(data, size, path, sizeof(path));
	err[0] = '\0';
	if (!statefile_load(path, &st, err, sizeof(err))) {
		FUZZ_CHECK(err[0] && memchr(err, '\0', sizeof(err)));
		unlink(path);
		return 0;
	}
	FUZZ_CHECK((int)st.current >= 0 && st.current < NS_COUNT);
	FUZZ_CHECK(memchr(st.name, '\0', sizeof(st.name)));
	snprintf(again_path, sizeof(again_path), "%s.saved", path);
	FUZZ_CHECK(statefile_save(again_path, &st));
	FUZZ_CHECK(statefile_load(again_path, &again, err, sizeof(err)));
	FUZZ_CHECK(again.node_id == st.node_id && again.current == st.current &&
		   strcmp(again.name, st.name) == 0 &&
		   again.created_pgdata == st.created_pgdata &&
		   again.restarted == st.restarted);
	unlink(again_path);
	unlink(path);
	return 0;
}
