/*
 * cfgslot.c - the formation's permanent slots through `pgkeel config`
 * (cfgslot.h). The name and kind are checked here for a clear message;
 * the store checks them again (store/pgstore_migrate.c).
 */
#include "cli/cfgslot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/command.h"
#include "cli/nodeconf.h"
#include "common/exitcode.h"
#include "common/slotdecl.h"

/* The declared kind of slot name, or NULL (also when removed). */
static const char *declared(const StoreFormation *f, const char *name)
{
	for (size_t i = 0; i < f->nslots; i++) {
		if (strcmp(f->slots[i].name, name) == 0 && !f->slots[i].removed)
			return f->slots[i].kind;
	}
	return NULL;
}

/* get, and unset's check: the slot's kind into kind (NULL: none). */
static int lookup(Store *s, const char *formation, const char *name,
		  char *kind, size_t len)
{
	StoreFormation *f = calloc(1, sizeof(StoreFormation));

	if (!f || !store_get_formation(s, formation, f)) {
		fprintf(stderr, "%s: %s\n", cli_command_path(),
			f ? s->error : "out of memory");
		free(f);
		return EXIT_STORE;
	}
	const char *k = declared(f, name);
	snprintf(kind, len, "%s", k ? k : "");
	free(f);
	if (k)
		return EXIT_OK;
	fprintf(stderr, "%s: slot %s is not declared for formation %s\n",
		cli_command_path(), name, formation);
	return EXIT_FAILED;
}

static int change(Store *s, const char *formation, const char *setting,
		  const char *value)
{
	const char *name = setting + strlen(SLOTDECL_SETTING_PREFIX);

	if (!store_set_slot(s, formation, name, value)) {
		return nodeconf_store_failed(s);
	}
	if (value) {
		printf("%s = %s\n", setting, value);
		printf("The primary creates it; standbys keep a copy "
		       "advanced to the primary's position.\n");
		if (strncmp(value, SLOTDECL_LOGICAL_PREFIX,
			    strlen(SLOTDECL_LOGICAL_PREFIX)) == 0)
			printf("A logical slot needs wal_level logical: a node "
			       "that still runs with replica (pgkeel show "
			       "state lists its pending restart) gets it "
			       "with `pgkeel perform restart --rolling`.\n");
	} else {
		printf("%s unset\n", setting);
		printf("Every node drops its copy once no client uses it.\n");
	}
	return EXIT_OK;
}

int cfgslot_run(Store *s, const char *formation, const char *verb,
		const char *setting, const char *value)
{
	const char *name = setting + strlen(SLOTDECL_SETTING_PREFIX);
	char err[512], kind[SLOTDECL_KIND_LEN];
	bool set = strcmp(verb, "set") == 0;

	if (!slotdecl_name_ok(name, err, sizeof(err)) ||
	    (set && !slotdecl_value_ok(value, err, sizeof(err)))) {
		fprintf(stderr, "%s: %s\n", cli_command_path(), err);
		return EXIT_REFUSED;
	}
	if (set)
		return change(s, formation, setting, value);
	int rc = lookup(s, formation, name, kind, sizeof(kind));
	if (rc != EXIT_OK)
		return rc;
	if (strcmp(verb, "get") == 0) {
		printf("%s\n", kind);
		return EXIT_OK;
	}
	return change(s, formation, setting, NULL);
}
