/*
 * fuzz_lag.c - the keeper's HTTP query handling: ?lag= values
 * (keeper_parse_lag) and the check they select (keeper_check).
 *
 * Invariants: an accepted lag is never negative; a value of plain digits
 * that is accepted reads back as the same number; keeper_check always
 * writes a NUL-terminated reason and a replica check with a limit under
 * the node's lag fails; a path selects a check only when it is exactly one
 * of the check paths.
 */
#include "fuzz_util.h"
#include "keeper/keeper_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	long long lag = -1;

	if (keeper_parse_lag(text, &lag)) {
		FUZZ_CHECK(lag >= 0);
		if (strspn(text, "0123456789") == strlen(text))
			FUZZ_CHECK(lag == strtoll(text, NULL, 10));
	}
	KeeperStatus st;
	memset(&st, 0, sizeof(st));
	st.goal = size ? (NodeState)(data[0] % NS_COUNT) : 0;
	st.current = st.goal;
	st.lsn = size > 1 ? data[1] : 0;
	st.primary_lsn = size > 2 ? (Lsn)data[2] << 24 : 0;
	st.known = st.store_ok = st.pg_running = true;
	st.in_recovery = st.streaming = size > 3 && (data[3] & 1);
	st.published_ms = 0;
	st.interval_ms = 1000;
	KeeperLimits lim = {lag, -1};
	for (int c = 0; c <= CHECK_NONE; c++) {
		char why[128];
		memset(why, 'x', sizeof(why));
		bool ok = keeper_check(&st, (KeeperCheck)c, &lim, 0, why,
				       sizeof(why));
		FUZZ_CHECK(memchr(why, '\0', sizeof(why)) != NULL);
		if (c == CHECK_REPLICA && lag >= 0 &&
		    keeper_status_lag(&st) > lag)
			FUZZ_CHECK(!ok);
		(void)keeper_check_name((KeeperCheck)c);
	}
	/* a check is selected by its exact path only: no query, no
	 * trailing slash, no other case */
	KeeperCheck by_path = keeper_check_for_path(text);
	FUZZ_CHECK(by_path >= CHECK_PRIMARY && by_path <= CHECK_NONE);
	if (by_path != CHECK_NONE)
		FUZZ_CHECK(text[0] == '/' &&
			   strspn(text + 1, "abcdefghijklmnopqrstuvwxyz-") ==
				   strlen(text + 1));
	free(text);
	return 0;
}
