/*
 * fuzz_settings.c - flag and pgkeel.ini values: value_validate for every
 * ValueType (through every setting of the catalog and through specs with
 * ranges taken from the input) and duration parsing (timeutil.c).
 *
 * Input: first byte picks a setting, the rest is the value.
 * Invariants: a refusal always explains itself; an accepted value is what
 * its type promises (one line, a port in 1..65535, a duration or integer
 * within [min, max], a boolean, one of the choices, an absolute path);
 * a whole-second or sub-second duration survives format and parse.
 */
#include <ctype.h>

#include "common/conninfo.h"
#include "common/idents.h"
#include "common/settings.h"
#include "common/timeutil.h"
#include "fuzz_util.h"
#include "common/nodetags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool one_of(const char *choices, const char *text)
{
	size_t n = strlen(text);
	for (const char *p = choices; p; p = strchr(p, '|'), p = p ? p + 1 : p)
		if (strncmp(p, text, n) == 0 && (p[n] == '|' || !p[n]))
			return true;
	return false;
}

static void check_accepted(const ValueSpec *spec, const char *text)
{
	int64_t v;
	bool b;

	FUZZ_CHECK(!strchr(text, '\n'));
	switch (spec->type) {
	case VAL_PORT:
		v = strtoll(text, NULL, 10);
		FUZZ_CHECK(v >= 1 && v <= 65535);
		break;
	case VAL_INT:
		v = strtoll(text, NULL, 10);
		FUZZ_CHECK(v >= spec->min && v <= spec->max);
		break;
	case VAL_DURATION:
		FUZZ_CHECK(duration_parse_ms(text, &v));
		FUZZ_CHECK(v >= spec->min && v <= spec->max);
		break;
	case VAL_BOOL:
		FUZZ_CHECK(value_parse_bool(text, &b));
		break;
	case VAL_ENUM:
		FUZZ_CHECK(one_of(spec->choices, text));
		break;
	case VAL_TAGS:
		FUZZ_CHECK(node_tags_parse(text, &(int){0}, NULL, 0));
		break;
	case VAL_ABSPATH:
		FUZZ_CHECK(text[0] == '/');
		break;
	case VAL_HOST:
		FUZZ_CHECK(host_is_valid(text));
		break;
	case VAL_STRING:
	case VAL_NAME:
		FUZZ_CHECK(*text);
		break;
	case VAL_NODE:
		FUZZ_CHECK(!*text || name_is_valid(text));
		break;
	default:
		break;
	}
}

static void check_one(const ValueSpec *spec, const char *text)
{
	char err[256];

	err[0] = '\0';
	if (value_validate(spec, text, err, sizeof(err)))
		check_accepted(spec, text);
	else
		FUZZ_CHECK(err[0] && memchr(err, '\0', sizeof(err)));
}

static void check_duration(const char *text)
{
	int64_t ms, again;
	char buf[64];

	if (!duration_parse_ms(text, &ms))
		return;
	FUZZ_CHECK(ms >= 0);
	duration_format(ms, buf, sizeof(buf));
	if (ms < 1000 || ms % 1000 == 0) {
		FUZZ_CHECK(duration_parse_ms(buf, &again));
		FUZZ_CHECK(again == ms);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = fuzz_string(data + 1, size - 1);
	const SettingDef *def = setting_def((SettingId)(data[0] % SETTING_COUNT));

	check_one(&def->spec, text);
	/* every type, with a range that depends on the input */
	for (int t = VAL_STRING; t <= VAL_NODE; t++) {
		ValueSpec spec = {(ValueType)t, data[0] % 7, 1000LL * data[0],
				  "a|b|on"};
		check_one(&spec, text);
	}
	check_duration(text);
	free(text);
	return 0;
}
