/*
 * test_storejson.c - store records as JSON (`pgkeel show --json`, the
 * monitor's API): a text its buffer cut inside a UTF-8 character still
 * renders, without the cut character.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "store/storejson.h"

/* Found by the storejson fuzz target: an event whose description was cut
 * at 511 bytes inside "é" made json_pack fail, and the event went missing
 * from `show events --json` and the monitor's API. */
static void an_event_cut_inside_a_character_still_renders(void **state)
{
	StoreEvent e;
	char want[sizeof(e.description)];
	(void)state;

	memset(&e, 0, sizeof(e));
	snprintf(e.node_name, sizeof(e.node_name), "node_a");
	snprintf(e.old_state, sizeof(e.old_state), "secondary");
	snprintf(e.new_state, sizeof(e.new_state), "primary");
	for (size_t i = 0; i + 2 < sizeof(e.description); i += 2)
		memcpy(e.description + i, "\xc3\xa9", 2); /* é */
	e.description[sizeof(e.description) - 2] = '\xc3'; /* cut */
	json_t *j = store_event_json(&e);
	assert_non_null(j);
	memcpy(want, e.description, sizeof(want));
	want[sizeof(want) - 2] = '\0';
	assert_string_equal(
		json_string_value(json_object_get(j, "description")), want);
	assert_string_equal(json_string_value(json_object_get(j, "node_name")),
			    "node_a");
	json_decref(j);
}

static void a_node_with_bytes_that_are_not_utf8_still_renders(void **state)
{
	static StoreFormation f;
	(void)state;

	memset(&f, 0, sizeof(f));
	snprintf(f.name, sizeof(f.name), "default");
	snprintf(f.nodes[0].name, sizeof(f.nodes[0].name), "n\xffx");
	snprintf(f.nodes[0].host, sizeof(f.nodes[0].host), "h");
	json_t *j = store_node_json(&f, &f.nodes[0]);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
			    "n?x");
	assert_string_equal(json_string_value(json_object_get(j, "formation")),
			    "default");
	json_decref(j);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(an_event_cut_inside_a_character_still_renders),
	  cmocka_unit_test(
	  	a_node_with_bytes_that_are_not_utf8_still_renders))
