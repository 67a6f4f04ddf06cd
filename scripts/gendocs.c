/*
 * gendocs.c - `make docs`: rewrites the generated parts of docs/ (the
 * tables of docs/state-machine.md and docs/configuration.md, between
 * their marker lines) from the tables in src/ they describe; see
 * src/docgen/docgen.h. Run from the repository's top.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docgen/docgen.h"

static bool write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f) != 0)
		ok = false;
	return ok;
}

static bool update(const DocPart *part)
{
	char err[512];
	char *doc = doc_read(part->file);
	char *text = doc_render(part);
	char *next = doc && text ? doc_splice(doc, part, text, err,
					      sizeof(err))
				 : NULL;
	bool ok = next != NULL;

	if (!doc)
		fprintf(stderr, "docs: cannot read %s\n", part->file);
	else if (!next)
		fprintf(stderr, "docs: %s\n", err);
	else if (strcmp(doc, next) != 0) {
		ok = write_file(part->file, next);
		printf("docs: %s: %s %s\n", part->file, part->name,
		       ok ? "rewritten" : "could not be written");
	}
	free(doc);
	free(text);
	free(next);
	return ok;
}

int main(void)
{
	bool ok = true;

	for (size_t i = 0; i < doc_nparts; i++)
		ok = update(&doc_parts[i]) && ok;
	return ok ? 0 : 1;
}
