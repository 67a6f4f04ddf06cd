/*
 * fuzz_storejson.c - store rows as the monitor and `pgkeel show --json`
 * render them: a node, its formation and an event (store/storejson.c),
 * with texts copied into the records' fixed buffers the way the store
 * driver copies its columns (snprintf, so a long value is cut).
 *
 * Input: NUL-separated texts: node name, host, formation name, health,
 * event node name, old state, new state, description; the first 8 bytes
 * also give the numbers. The store holds UTF-8 only, so inputs that are
 * not UTF-8 are skipped.
 * Invariants: a node and an event always render (none goes missing from
 * the API), the JSON reads back, and each text shown is the stored text,
 * or that text without a character its buffer cut in half: never
 * anything the store did not hold.
 */
#include <jansson.h>

#include "fuzz_util.h"
#include "store/storejson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static const char *field(const char *text, size_t size, size_t *pos)
{
	if (*pos > size)
		return "";
	const char *f = text + *pos;
	*pos += strlen(f) + 1;
	return f;
}

static bool is_utf8(const char *s)
{
	json_t *j = json_string(s);
	json_decref(j);
	return j != NULL;
}

/* What the JSON shows of a text whose whole value was full and whose
 * copy in the record is kept. */
static void check_text(json_t *obj, const char *key, const char *full,
		       const char *kept)
{
	const char *shown = json_string_value(json_object_get(obj, key));
	FUZZ_CHECK(shown != NULL);
	size_t n = strlen(shown);
	FUZZ_CHECK(strncmp(shown, full, n) == 0);
	FUZZ_CHECK(n <= strlen(kept) && n + 3 >= strlen(kept));
}

static json_t *round_trip(json_t *j)
{
	FUZZ_CHECK(j != NULL);
	char *text = json_dumps(j, JSON_COMPACT);
	FUZZ_CHECK(text != NULL);
	json_t *back = json_loads(text, 0, NULL);
	FUZZ_CHECK(back != NULL && json_equal(j, back));
	free(text);
	json_decref(j);
	return back;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static StoreFormation f;
	const char *t[8];
	size_t pos = 8;

	if (size < 8)
		return 0;
	char *text = fuzz_string(data, size);
	for (int i = 0; i < 8; i++) {
		t[i] = field(text, size, &pos);
		if (!is_utf8(t[i])) {
			free(text);
			return 0;
		}
	}
	memset(&f, 0, sizeof(f));
	StoreNode *n = &f.nodes[0];
	StoreEvent e;
	memset(&e, 0, sizeof(e));
	COPY(n->name, t[0]);
	COPY(n->host, t[1]);
	COPY(f.name, t[2]);
	COPY(f.health, t[3]);
	COPY(e.node_name, t[4]);
	COPY(e.old_state, t[5]);
	COPY(e.new_state, t[6]);
	COPY(e.description, t[7]);
	n->id = data[0];
	n->port = data[1] << 8 | data[2];
	n->goal = (NodeState)(data[3] % NS_COUNT);
	n->reported = (NodeState)(data[4] % NS_COUNT);
	memcpy(&n->report.lsn, data, sizeof(n->report.lsn));
	e.time_ms = (int64_t)data[5] << 32 | data[6];
	e.node_id = data[7];

	json_t *node = round_trip(store_node_json(&f, n));
	check_text(node, "name", t[0], n->name);
	check_text(node, "host", t[1], n->host);
	check_text(node, "formation", t[2], f.name);
	check_text(node, "formation_health", t[3], f.health);
	json_decref(node);
	json_t *ev = round_trip(store_event_json(&e));
	check_text(ev, "node_name", t[4], e.node_name);
	check_text(ev, "old_state", t[5], e.old_state);
	check_text(ev, "new_state", t[6], e.new_state);
	check_text(ev, "description", t[7], e.description);
	json_decref(ev);
	free(text);
	return 0;
}
