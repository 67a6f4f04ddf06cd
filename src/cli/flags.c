/*
 * flags.c - getopt_long-based parsing of declared flag tables.
 */
#define _GNU_SOURCE /* getopt_long */
#include "cli/flags.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const ValueSpec text_spec = {VAL_TEXT, 0, 0, NULL};

const char *flag_name(const FlagDef *def)
{
	if (def->setting != FLAG_NO_SETTING)
		return setting_def((SettingId)def->setting)->flag;
	return def->name;
}

const char *flag_metavar(const FlagDef *def)
{
	if (def->setting != FLAG_NO_SETTING)
		return setting_def((SettingId)def->setting)->metavar;
	return def->metavar;
}

const char *flag_help(const FlagDef *def)
{
	if (def->setting != FLAG_NO_SETTING)
		return setting_def((SettingId)def->setting)->help;
	return def->help;
}

const char *flag_default(const FlagDef *def)
{
	if (def->setting == FLAG_NO_SETTING)
		return NULL;
	const char *v = setting_def((SettingId)def->setting)->defval;
	return v && *v ? v : NULL;
}

const ValueSpec *flag_spec(const FlagDef *def)
{
	if (def->setting != FLAG_NO_SETTING)
		return &setting_def((SettingId)def->setting)->spec;
	return def->metavar ? &def->spec : &text_spec;
}

static void build_options(const FlagDef *defs, size_t ndefs,
			  struct option *opts)
{
	size_t i;
	for (i = 0; i < ndefs; i++) {
		opts[i].name = flag_name(&defs[i]);
		opts[i].has_arg = flag_metavar(&defs[i]) ? required_argument
							  : no_argument;
		opts[i].flag = NULL;
		opts[i].val = 1000 + (int)i;
	}
	opts[i] = (struct option){"help", no_argument, NULL, 'h'};
	opts[i + 1] = (struct option){NULL, 0, NULL, 0};
}

/* "rel/dir" becomes "$PWD/rel/dir"; the path need not exist yet. */
static char *absolute(const char *path)
{
	char cwd[4096];
	char *out = NULL;

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return NULL;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (strcmp(path, ".") == 0)
		return strdup(cwd);
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

static bool store_value(const FlagDef *def, const char *value, Flags *out,
			size_t idx, const char *cmd)
{
	char why[256];

	if (flag_metavar(def) && flag_spec(def)->type == VAL_ABSPATH &&
	    value[0] && value[0] != '/') {
		free(out->owned[idx]);
		out->owned[idx] = absolute(value);
		if (out->owned[idx])
			value = out->owned[idx];
	}

	if (flag_metavar(def) &&
	    !value_validate(flag_spec(def), value, why, sizeof(why))) {
		fprintf(stderr, "%s: invalid value \"%s\" for --%s: %s\n", cmd,
			setting_quotable(flag_metavar(def), value),
			flag_name(def), why);
		return false;
	}
	out->values[idx] = flag_metavar(def) ? value : "true";
	return true;
}

static void report_bad_option(int c, char **argv, const char *cmd)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		fprintf(stderr, "%s: flag %s needs a value\n", cmd, arg);
	else
		fprintf(stderr, "%s: unknown flag \"%s\"\n", cmd, arg);
	fprintf(stderr, "Try `pgkeel %s --help`.\n", cmd);
}

static bool check_required(const Flags *out, const char *cmd)
{
	for (size_t i = 0; i < out->ndefs; i++) {
		if (out->defs[i].required && !out->values[i]) {
			fprintf(stderr, "%s: missing required flag --%s %s\n",
				cmd, flag_name(&out->defs[i]),
				flag_metavar(&out->defs[i]));
			return false;
		}
	}
	return true;
}

bool flags_parse(const FlagDef *defs, size_t ndefs, int argc, char **argv,
		 Flags *out, bool *want_help, const char *cmd)
{
	struct option opts[FLAGS_MAX + 2];
	int c;

	memset(out, 0, sizeof(*out));
	out->defs = defs;
	out->ndefs = ndefs;
	*want_help = false;
	if (ndefs > FLAGS_MAX) {
		fprintf(stderr, "%s: %zu flags, more than the %d a command may "
				"have\n", cmd, ndefs, FLAGS_MAX);
		return false;
	}
	build_options(defs, ndefs, opts);
	optind = 0; /* 0, not 1: glibc then forgets a cluster like "-hx" half
		     * read by an earlier parse (found by the flags fuzz
		     * target) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			*want_help = true;
			return true;
		}
		if (c == '?' || c == ':') {
			report_bad_option(c, argv, cmd);
			return false;
		}
		size_t idx = (size_t)(c - 1000);
		if (!store_value(&defs[idx], optarg, out, idx, cmd))
			return false;
	}
	out->args = argv + optind;
	out->nargs = argc - optind;
	return check_required(out, cmd);
}

void flags_free(Flags *flags)
{
	for (size_t i = 0; i < FLAGS_MAX; i++) {
		free(flags->owned[i]);
		flags->owned[i] = NULL;
	}
}

static int find_index(const Flags *flags, const char *name)
{
	for (size_t i = 0; i < flags->ndefs; i++) {
		if (strcmp(flag_name(&flags->defs[i]), name) == 0)
			return (int)i;
	}
	return -1;
}

const char *flags_get(const Flags *flags, const char *name)
{
	int i = find_index(flags, name);
	return i >= 0 ? flags->values[i] : NULL;
}

bool flags_has(const Flags *flags, const char *name)
{
	return flags_get(flags, name) != NULL;
}

int flags_get_int(const Flags *flags, const char *name, int fallback)
{
	const char *v = flags_get(flags, name);
	return v ? atoi(v) : fallback;
}

bool flags_apply_to_config(const Flags *flags, Config *cfg)
{
	char err[512];

	for (size_t i = 0; i < flags->ndefs; i++) {
		int id = flags->defs[i].setting;
		if (id == FLAG_NO_SETTING || !flags->values[i])
			continue;
		if (!config_set(cfg, (SettingId)id, flags->values[i], err,
				sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return false;
		}
	}
	return true;
}
