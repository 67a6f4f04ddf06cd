/*
 * fuzz_flags.c - the command line: flags_parse (cli/flags.c, getopt_long)
 * on an argv split from the input, then flags_apply_to_config and the
 * node's pgkeel.ini written from it, as `pgkeel create` does.
 *
 * Input: argv[1..] separated by NUL bytes (argv[0] is "fuzz"); a NUL
 * cannot be in a real argument, anything else can.
 * Invariants: parsing the same argv twice gives the same result (no state
 * left over from an earlier parse); every value accepted validates
 * against its flag's type, a path is absolute, a switch reads "true";
 * positional arguments are the argv's own; flags accepted are accepted by
 * the configuration too; what is saved to pgkeel.ini loads back to the
 * same values (or the save is refused, as a monitor URI too long is).
 */
#include "cli/flags.h"
#include "common/config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 24

static const FlagDef defs[] = {
	FLAG_OF(S_PGDATA),
	FLAG_OF(S_PGPORT),
	FLAG_OF(S_HOSTNAME),
	FLAG_OF(S_NAME),
	FLAG_OF(S_MONITOR),
	FLAG_OF(S_LISTEN_ADDRESSES),
	FLAG_OF(S_CANDIDATE_PRIORITY),
	FLAG_OF(S_REPLICATION_QUORUM),
	FLAG_OF(S_REPL_PASSWORD),
	FLAG_OF(S_SSL_MODE),
	FLAG_OF(S_KEEPER_INTERVAL),
	FLAG_OF(S_HOOK_STATE_CHANGE),
	FLAG_SWITCH("json", "JSON output"),
	FLAG_VALUE("count", "N", "how many", VAL_INT, 1, 1000, NULL),
	FLAG_VALUE("out", "FILE", "where", VAL_ABSPATH, 0, 0, NULL),
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

typedef struct {
	bool ok, help;
	int nargs;
	char *values[NDEFS];
	char *args[MAX_ARGS];
} Outcome;

/* A fresh argv (getopt_long permutes it) from the NUL-separated input. */
static int split(const char *text, size_t size, char **argv)
{
	int argc = 0;
	argv[argc++] = strdup("fuzz");
	for (size_t i = 0; i <= size && argc < MAX_ARGS; i++) {
		argv[argc++] = strdup(text + i);
		i += strlen(text + i);
	}
	argv[argc] = NULL;
	return argc;
}

static void check_parsed(const Flags *f, char **argv, int argc)
{
	char why[256];
	FUZZ_CHECK(f->nargs >= 0 && f->nargs < argc);
	for (int i = 0; i < f->nargs; i++) {
		bool own = false;
		for (int j = 1; j < argc; j++)
			own = own || f->args[i] == argv[j];
		FUZZ_CHECK(own);
	}
	for (size_t i = 0; i < NDEFS; i++) {
		const char *v = f->values[i];
		if (!v)
			continue;
		if (!flag_metavar(&defs[i])) {
			FUZZ_CHECK(strcmp(v, "true") == 0);
			continue;
		}
		FUZZ_CHECK(value_validate(flag_spec(&defs[i]), v, why,
					  sizeof(why)));
		if (flag_spec(&defs[i])->type == VAL_ABSPATH)
			FUZZ_CHECK(v[0] == '/');
	}
}

/* Parses argv, silencing the usage messages; records what came out. */
static void parse(const char *text, size_t size, Outcome *o, Flags *f,
		  char **argv)
{
	int argc = split(text, size, argv);
	FILE *err = stderr;

	stderr = fopen("/dev/null", "w");
	o->ok = flags_parse(defs, NDEFS, argc, argv, f, &o->help, "fuzz");
	fclose(stderr);
	stderr = err;
	memset(o->values, 0, sizeof(o->values));
	o->nargs = 0;
	if (!o->ok || o->help)
		return;
	check_parsed(f, argv, argc);
	for (size_t i = 0; i < NDEFS; i++)
		o->values[i] = f->values[i] ? strdup(f->values[i]) : NULL;
	o->nargs = f->nargs;
	for (int i = 0; i < f->nargs; i++)
		o->args[i] = strdup(f->args[i]);
}

static void free_all(Outcome *o, Flags *f, char **argv)
{
	for (size_t i = 0; i < NDEFS; i++)
		free(o->values[i]);
	for (int i = 0; i < o->nargs; i++)
		free(o->args[i]);
	for (int i = 0; argv[i]; i++)
		free(argv[i]);
	flags_free(f);
}

static bool same_text(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (!a || strcmp(a, b) == 0);
}

static void check_same(const Outcome *a, const Outcome *b)
{
	FUZZ_CHECK(a->ok == b->ok && a->help == b->help);
	FUZZ_CHECK(a->nargs == b->nargs);
	for (size_t i = 0; i < NDEFS; i++)
		FUZZ_CHECK(same_text(a->values[i], b->values[i]));
	for (int i = 0; i < a->nargs; i++)
		FUZZ_CHECK(strcmp(a->args[i], b->args[i]) == 0);
}

/* pgkeel.ini written from cfg (a monitor URI too long is refused before
 * saving, see keeper_create.c) reads back to the same values. */
static void check_saved(const Config *cfg)
{
	char path[64], err[512];
	Config again;
	const char *monitor = cfg->values[S_MONITOR];

	if (monitor && strlen(monitor) > SETTING_MAX_VALUE)
		return;
	snprintf(path, sizeof(path), "/dev/shm/pgkeel-fuzz-flags-%d.ini",
		 (int)getpid());
	FUZZ_CHECK(config_save(cfg, path));
	config_init(&again);
	err[0] = '\0';
	bool loaded = config_load(&again, path, err, sizeof(err));
	if (!loaded)
		fprintf(stderr, "saved file does not load: %s\n", err);
	FUZZ_CHECK(loaded);
	for (int i = 0; i < SETTING_COUNT; i++) {
		if (!same_text(cfg->values[i], again.values[i]))
			fprintf(stderr, "%s: [%s] became [%s]\n",
				setting_def((SettingId)i)->key,
				cfg->values[i] ? cfg->values[i] : "(unset)",
				again.values[i] ? again.values[i] : "(unset)");
		FUZZ_CHECK(same_text(cfg->values[i], again.values[i]));
	}
	config_free(&again);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *argv1[MAX_ARGS + 1], *argv2[MAX_ARGS + 1];
	Outcome a, b;
	Flags f1, f2;
	Config cfg;

	parse(text, size, &a, &f1, argv1);
	parse(text, size, &b, &f2, argv2);
	check_same(&a, &b);
	if (a.ok && !a.help) {
		config_init(&cfg);
		FILE *err = stderr;
		stderr = fopen("/dev/null", "w");
		bool applied = flags_apply_to_config(&f1, &cfg);
		fclose(stderr);
		stderr = err;
		FUZZ_CHECK(applied);
		check_saved(&cfg);
		config_free(&cfg);
	}
	free_all(&a, &f1, argv1);
	free_all(&b, &f2, argv2);
	free(text);
	return 0;
}
