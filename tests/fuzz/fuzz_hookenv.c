/*
 * fuzz_hookenv.c - the environment a state-change hook runs with: the
 * PGKEEL_* variables keeper_fire_hook (keeper/keeper_hooks.c) builds
 * from the keeper's state and configuration, and hookrun_var
 * (common/hookrun.c) on names and values of any length.
 *
 * Input: byte 0 and 1 the old and new states, 2-3 the port, 4-7 the node
 * id, then NUL-separated: event, node name, PGDATA, formation, hostname
 * (the last two through config_set, as a node's configuration is), and a
 * variable name and value for hookrun_var.
 * Invariants: one event is queued with the ten PGKEEL_* variables, in
 * order; each is NAME=VALUE with exactly the keeper's value, or (when the
 * value is too long to pass) absent: never cut short; hookrun_var never
 * holds more than HOOK_MAX_VARS variables.
 */
#include "common/hookrun.h"
#include "fuzz_util.h"
#include "common/log.h"
#include "keeper/keeper.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Keeper k;

/* The next NUL-terminated field of text[0..size], or "" past the end. */
static const char *field(const char *text, size_t size, size_t *pos)
{
	if (*pos > size)
		return "";
	const char *f = text + *pos;
	*pos += strlen(f) + 1;
	return f;
}

/* Variable i of e is name=want, or (want too long to pass) absent. */
static int expect(const HookEvent *e, int i, const char *name,
		  const char *want)
{
	size_t n = strlen(name);
	if (n + 1 + strlen(want) >= sizeof(e->vars[0])) {
		for (int j = 0; j < e->nvars; j++)
			FUZZ_CHECK(strncmp(e->vars[j], name, n) != 0 ||
				   e->vars[j][n] != '=');
		return i;
	}
	FUZZ_CHECK(i < e->nvars);
	if (strncmp(e->vars[i], name, n) != 0 || e->vars[i][n] != '=' ||
	    strcmp(e->vars[i] + n + 1, want) != 0)
		fprintf(stderr, "%s: got [%s], want [%s]\n", name, e->vars[i],
			want);
	FUZZ_CHECK(strncmp(e->vars[i], name, n) == 0);
	FUZZ_CHECK(e->vars[i][n] == '=');
	FUZZ_CHECK(strcmp(e->vars[i] + n + 1, want) == 0);
	return i + 1;
}

static void check_event(const HookEvent *e, const char *event, NodeState old,
			NodeState now)
{
	char id[16], port[16];
	int i = 0;

	snprintf(id, sizeof(id), "%d", k.st.node_id);
	snprintf(port, sizeof(port), "%d", k.node.port);
	i = expect(e, i, "PGKEEL_EVENT", event);
	i = expect(e, i, "PGKEEL_OLD_STATE", state_name(old));
	i = expect(e, i, "PGKEEL_NEW_STATE", state_name(now));
	i = expect(e, i, "PGKEEL_ROLE", state_role_name(now));
	i = expect(e, i, "PGKEEL_FORMATION", config_get(&k.cfg, S_FORMATION));
	i = expect(e, i, "PGKEEL_NODE_NAME", k.st.name);
	i = expect(e, i, "PGKEEL_NODE_ID", id);
	i = expect(e, i, "PGKEEL_HOST", config_get(&k.cfg, S_HOSTNAME));
	i = expect(e, i, "PGKEEL_PORT", port);
	i = expect(e, i, "PGKEEL_PGDATA", k.node.pgdata);
	FUZZ_CHECK(i == e->nvars);
}

static void check_var(const char *name, const char *value)
{
	HookEvent e = {.nvars = 0};
	for (int i = 0; i < HOOK_MAX_VARS + 2; i++)
		hookrun_var(&e, name, value);
	FUZZ_CHECK(e.nvars >= 0 && e.nvars <= HOOK_MAX_VARS);
	for (int i = 0; i < e.nvars; i++) {
		size_t n = strlen(name);
		FUZZ_CHECK(strncmp(e.vars[i], name, n) == 0);
		FUZZ_CHECK(e.vars[i][n] == '=');
		FUZZ_CHECK(strcmp(e.vars[i] + n + 1, value) == 0);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL_ERROR); /* refused variables are warnings */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	size_t pos = 8;

	if (size < 8)
		return 0;
	char *text = fuzz_string(data, size);
	NodeState old = (NodeState)(data[0] % NS_COUNT);
	NodeState now = (NodeState)(data[1] % NS_COUNT);
	const char *event = field(text, size, &pos);

	memset(&k, 0, sizeof(k));
	config_init(&k.cfg);
	k.node.port = data[2] << 8 | data[3];
	memcpy(&k.st.node_id, data + 4, sizeof(k.st.node_id));
	snprintf(k.st.name, sizeof(k.st.name), "%s", field(text, size, &pos));
	snprintf(k.node.pgdata, sizeof(k.node.pgdata), "%s",
		 field(text, size, &pos));
	(void)config_set(&k.cfg, S_FORMATION, field(text, size, &pos), err,
			 sizeof(err));
	(void)config_set(&k.cfg, S_HOSTNAME, field(text, size, &pos), err,
			 sizeof(err));
	hookrun_init(&k.hooks, "true", 1000);
	keeper_fire_hook(&k, event, old, now);
	FUZZ_CHECK(k.hooks.count == 1);
	check_event(&k.hooks.queue[k.hooks.head], event, old, now);
	const char *name = field(text, size, &pos);
	check_var(name, field(text, size, &pos));
	config_free(&k.cfg);
	free(text);
	return 0;
}
