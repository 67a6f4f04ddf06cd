/*
 * fuzz_store_params.c - formation parameters as a keeper reads them from
 * the postgres store (pgstore_parse_params: a JSON array of [name, value]
 * pairs) and writes them into postgresql.pgkeel.conf (pgconf_render).
 *
 * Invariants: at most STORE_MAX_PARAMS pairs, each name and value a
 * terminated string; whatever the store holds, the rendered file has
 * exactly one line per parameter applied (no row can add a line, hence
 * no row can set another parameter), and each of those lines starts with
 * a parameter name followed by " = '" (or is the comment that says a
 * TLS parameter is set per node).
 */
#include <ctype.h>

#include "fuzz_util.h"
#include "pg/pgconf.h"
#include "store/pgstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const char *text)
{
	size_t n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static void check_line(const char *line)
{
	const char *p = line;
	if (strncmp(p, "# ", 2) == 0) /* a parameter pgkeel sets per node */
		p += 2;
	const char *name = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
		p++;
	FUZZ_CHECK(p > name && (strncmp(p, " = '", 4) == 0 ||
				(name > line && p[0] == ':')));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *json = fuzz_string(data, size);
	static StoreFormation f;
	static PgParam params[STORE_MAX_PARAMS];
	static char values[STORE_MAX_PARAMS][520];
	PgConfSpec spec = {.port = 5432,
			   .listen_addresses = "*",
			   .socket_dir = "/tmp",
			   .synchronous_standby_names = "",
			   .params = params};

	if (!pgstore_parse_params(json, &f)) {
		free(json);
		return 0;
	}
	FUZZ_CHECK(f.nparams <= STORE_MAX_PARAMS);
	char *base = pgconf_render(&spec);
	size_t nbase = count_lines(base);
	for (size_t i = 0; i < f.nparams; i++) {
		FUZZ_CHECK(memchr(f.params[i].name, '\0', STORE_NAME_LEN));
		char *q = pgconf_quote(f.params[i].value);
		if (!q)
			continue; /* what the keeper does (keeper_role.c) */
		snprintf(values[spec.nparams], sizeof(values[0]), "%s", q);
		free(q);
		params[spec.nparams].name = f.params[i].name;
		params[spec.nparams].value = values[spec.nparams];
		spec.nparams++;
	}
	char *text = pgconf_render(&spec);
	size_t extra = count_lines(text) - nbase;
	FUZZ_CHECK(extra <= spec.nparams);
	const char *line = text + strlen(base);
	for (size_t i = 0; i < extra; i++) {
		check_line(line);
		line = strchr(line, '\n') + 1;
	}
	free(text);
	free(base);
	free(json);
	return 0;
}
