/*
 * test_docs.c - the generated parts of docs/ are what `make docs` would
 * write now: a table changed in src/ without `make docs`, or a generated
 * part edited by hand, fails here. Run from the repository's top.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/settings.h"
#include "docgen/docgen.h"

static void generated_parts_are_up_to_date(void **state)
{
	char err[512];
	(void)state;

	for (size_t i = 0; i < doc_nparts; i++) {
		const DocPart *part = &doc_parts[i];
		char *doc = doc_read(part->file);
		char *text = doc_render(part);
		if (!doc)
			fail_msg("cannot read %s (run from the repository's "
				 "top)",
				 part->file);
		assert_non_null(text);
		char *want = doc_splice(doc, part, text, err, sizeof(err));
		if (!want)
			fail_msg("%s", err);
		if (strcmp(doc, want) != 0)
			fail_msg("%s: its part \"%s\" differs from %s: run "
				 "make docs",
				 part->file, part->name, part->source);
		free(doc);
		free(text);
		free(want);
	}
}

/* A hand edit between the markers is found. */
static void an_edited_part_differs(void **state)
{
	char err[512];
	const DocPart *part = &doc_parts[0];
	char *text = doc_render(part);
	(void)state;

	assert_non_null(text);
	char *doc = doc_splice("", part, text, err, sizeof(err));
	assert_null(doc);
	assert_non_null(strstr(err, "<!-- END"));
	char *good = doc_read(part->file);
	assert_non_null(good);
	char *edited = doc_splice(good, part, "| hand | edit |\n", err,
				  sizeof(err));
	assert_non_null(edited);
	char *again = doc_splice(edited, part, text, err, sizeof(err));
	assert_string_equal(again, good);
	assert_string_not_equal(edited, good);
	free(text);
	free(good);
	free(edited);
	free(again);
}

/* Every setting of src/common/settings.c has its row in
 * docs/configuration.md, by section.key and flag. */
static void every_setting_is_documented(void **state)
{
	char *doc = doc_read("docs/configuration.md");
	(void)state;

	assert_non_null(doc);
	for (int i = 0; i < SETTING_COUNT; i++) {
		const SettingDef *d = setting_def((SettingId)i);
		char row[256];
		snprintf(row, sizeof(row), "| %s.%s | --%s ", d->section,
			 d->key, d->flag);
		if (!strstr(doc, row))
			fail_msg("docs/configuration.md lacks the row of %s.%s "
				 "(%s)", d->section, d->key, row);
	}
	free(doc);
}

UNIT_MAIN(NULL, NULL,
	  cmocka_unit_test(generated_parts_are_up_to_date),
	  cmocka_unit_test(every_setting_is_documented),
	  cmocka_unit_test(an_edited_part_differs))
