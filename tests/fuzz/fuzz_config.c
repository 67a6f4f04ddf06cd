/*
 * fuzz_config.c - configuration files: the INI reader (config_load in
 * common/config.c, through inih) on a temporary file, and pgkeel's own
 * load of a node's pgkeel.ini (nodeconf_load, flags then the file), with
 * PGKEEL_HOME pointing at a scratch directory.
 *
 * Invariants: a refusal explains itself; every value accepted still
 * validates against its setting; what is loaded is saved (config_save,
 * as `pgkeel create` does) and loads back to the same values.
 */
#include <sys/stat.h>

#include "cli/flags.h"
#include "cli/nodeconf.h"
#include "common/config.h"
#include "common/nodepaths.h"
#include "common/settings.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static NodePaths paths;

/* Removes the scratch node directory when the run ends. */
static void remove_home(void)
{
	unlink(paths.config);
	rmdir(paths.home);
	rmdir(getenv("PGKEEL_HOME"));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char home[64], err[256];
	(void)argc;
	(void)argv;

	snprintf(home, sizeof(home), "/tmp/pgkeel-fuzz-home-%d", (int)getpid());
	setenv("PGKEEL_HOME", home, 1);
	if (!nodepaths_init(&paths, "/data", err, sizeof(err)) ||
	    !nodepaths_create(&paths, err, sizeof(err))) {
		fprintf(stderr, "fuzz_config: %s\n", err);
		abort();
	}
	atexit(remove_home);
	return 0;
}

static void check_values(const Config *cfg)
{
	char why[300];
	for (int i = 0; i < SETTING_COUNT; i++) {
		if (!cfg->values[i])
			continue;
		const SettingDef *def = setting_def((SettingId)i);
		FUZZ_CHECK(value_validate(&def->spec, cfg->values[i], why,
					  sizeof(why)));
	}
}

static void check_round_trip(const Config *cfg)
{
	char path[64], err[512];
	Config again;

	fuzz_tempfile(NULL, 0, path, sizeof(path));
	FUZZ_CHECK(config_save(cfg, path));
	config_init(&again);
	if (!config_load(&again, path, err, sizeof(err)))
		fprintf(stderr, "saved file does not load: %s\n", err);
	FUZZ_CHECK(config_load(&again, path, err, sizeof(err)));
	for (int i = 0; i < SETTING_COUNT; i++) {
		const char *a = cfg->values[i], *b = again.values[i];
		if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
			fprintf(stderr, "%s: [%s] became [%s]\n",
				setting_def((SettingId)i)->key, a ? a : "(unset)",
				b ? b : "(unset)");
		FUZZ_CHECK((a == NULL) == (b == NULL));
		FUZZ_CHECK(!a || strcmp(a, b) == 0);
	}
	config_free(&again);
	unlink(path);
}

static void check_nodeconf(const uint8_t *data, size_t size)
{
	static const FlagDef defs[] = {FLAG_OF(S_PGDATA)};
	char *argv[] = {"fuzz", "--pgdata", "/data", NULL};
	Flags flags;
	bool help = false;
	Config cfg;
	char err[1024];
	FILE *f = fopen(paths.config, "w");

	FUZZ_CHECK(f && fwrite(data, 1, size, f) == size && fclose(f) == 0);
	chmod(paths.config, 0600);
	FUZZ_CHECK(flags_parse(defs, 1, 3, argv, &flags, &help, "fuzz"));
	err[0] = '\0';
	if (nodeconf_load(&flags, &cfg, true, err, sizeof(err)))
		check_values(&cfg);
	else
		FUZZ_CHECK(err[0]);
	config_free(&cfg);
	flags_free(&flags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	Config cfg;

	fuzz_tempfile(data, size, path, sizeof(path));
	config_init(&cfg);
	err[0] = '\0';
	if (config_load(&cfg, path, err, sizeof(err))) {
		check_values(&cfg);
		(void)config_timeouts_ordered(&cfg, err, sizeof(err));
		check_round_trip(&cfg);
	} else {
		FUZZ_CHECK(err[0] && memchr(err, '\0', sizeof(err)));
	}
	config_free(&cfg);
	unlink(path);
	check_nodeconf(data, size);
	return 0;
}
