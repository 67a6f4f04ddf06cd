/*
 * test_nodetags.c - the node tags' parser and text form
 * (common/nodetags.h), and the store's copy of their names.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "common/nodetags.h"
#include "common/settings.h"

static void tags_parse_in_any_order_and_print_in_one(void **state)
{
	char buf[64];
	int m = -1;
	(void)state;

	assert_true(node_tags_parse("", &m, buf, sizeof(buf)));
	assert_int_equal(m, 0);
	assert_true(node_tags_parse("noloadbalance, nofailover", &m, buf,
				    sizeof(buf)));
	assert_int_equal(m, NODE_TAG_NOFAILOVER | NODE_TAG_NOLOADBALANCE);
	assert_string_equal(node_tags_format(m, buf, sizeof(buf)),
			    "nofailover,noloadbalance");
	assert_true(node_tags_parse("nofailover,,nofailover ", &m, buf,
				    sizeof(buf)));
	assert_int_equal(m, NODE_TAG_NOFAILOVER);
	assert_string_equal(node_tags_format(0, buf, sizeof(buf)), "");
}

static void unknown_tags_are_named_with_the_known_ones(void **state)
{
	char err[200];
	int m = 7;
	(void)state;

	assert_false(node_tags_parse("nofailover,nofail", &m, err,
				     sizeof(err)));
	assert_int_equal(m, 7);
	assert_string_equal(err, "unknown tag \"nofail\"; the known tags are "
				 "nofailover, noloadbalance");
	assert_false(node_tags_parse("NOFAILOVER", &m, err, sizeof(err)));
	ValueSpec spec = {VAL_TAGS, 0, 0, NULL};
	assert_false(value_validate(&spec, "x", err, sizeof(err)));
	assert_true(value_validate(&spec, "noloadbalance", err, sizeof(err)));
}

/* NODE_TAGS_SQL_ARRAY, which the store's set_setting checks values
 * against, names the table's tags in its order. */
static void the_stores_tags_are_the_table(void **state)
{
	char want[200] = "ARRAY[";
	(void)state;

	for (int i = 0; node_tag_name(i); i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "%s'%s'", i ? ", " : "", node_tag_name(i));
	strcat(want, "]");
	assert_string_equal(NODE_TAGS_SQL_ARRAY, want);
	assert_null(node_tag_name(NODE_TAG_COUNT));
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(tags_parse_in_any_order_and_print_in_one),
	  cmocka_unit_test(unknown_tags_are_named_with_the_known_ones),
	  cmocka_unit_test(the_stores_tags_are_the_table))
