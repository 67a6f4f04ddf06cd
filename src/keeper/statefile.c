/*
 * statefile.c - reading and writing keeper.state with jansson.
 */
#include "keeper/statefile.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/log.h"

bool statefile_load(const char *path, KeeperState *st, char *err,
		    size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	const char *name = NULL, *current = NULL;

	memset(st, 0, sizeof(*st));
	if (!root) {
		snprintf(err, errlen, "cannot read %s: %s", path, jerr.text);
		return false;
	}
	int created = 0;
	json_int_t restarted = 0;
	int rc = json_unpack(root, "{s:i, s:s, s:s, s?b, s?I}",
			     "node_id", &st->node_id, "name", &name,
			     "current_state", &current,
			     "created_pgdata", &created, "restarted",
			     &restarted);
	st->created_pgdata = created;
	st->restarted = (long long)restarted;
	/* a longer name would be cut, maybe inside a UTF-8 character,
	 * and the file could not be saved again */
	bool ok = rc == 0 && state_parse(current, &st->current) &&
		  strlen(name) < sizeof(st->name);
	if (ok) {
		snprintf(st->name, sizeof(st->name), "%s", name);
	} else {
		snprintf(err, errlen, "%s is malformed", path);
	}
	json_decref(root);
	return ok;
}

bool statefile_save(const char *path, const KeeperState *st)
{
	json_t *root = json_pack(
		"{s:i, s:s, s:s, s:b, s:I}", "node_id", st->node_id,
		"name", st->name, "current_state",
		state_name(st->current), "created_pgdata", st->created_pgdata,
		"restarted", (json_int_t)st->restarted);
	char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
	if (!text) /* the write's own failures are logged where they occur */
		log_error("cannot write %s: out of memory", path);
	bool ok = text && fs_write_file_atomic(path, text, strlen(text), 0600);

	free(text);
	json_decref(root);
	return ok;
}
