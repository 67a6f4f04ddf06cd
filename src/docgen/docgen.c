/*
 * docgen.c - the generated parts of docs/ and their markers (docgen.h).
 */
#include "docgen/docgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"

const DocPart doc_parts[] = {
	{"docs/state-machine.md", "states", "src/fsm/states.c",
	 docgen_states},
	{"docs/state-machine.md", "rules", "src/fsm/rules.c", docgen_rules},
	{"docs/state-machine.md", "candidate-flaws", "src/fsm/candidate.c",
	 docgen_flaws},
	{"docs/state-machine.md", "keeper-transitions",
	 "src/keeper/transitions.c", docgen_keeper},
	{"docs/configuration.md", "runtime-settings", "src/common/rtsettings.c",
	 docgen_runtime_settings},
	{"docs/configuration.md", "node-tags", "src/common/nodetags.c",
	 docgen_node_tags},
};
const size_t doc_nparts = sizeof(doc_parts) / sizeof(doc_parts[0]);

char *doc_render(const DocPart *part)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	part->render(out);
	fs_memstream_close(out, &text);
	return text;
}

char *doc_splice(const char *doc, const DocPart *part, const char *generated,
		 char *err, size_t errlen)
{
	char begin[256], end[128];

	snprintf(begin, sizeof(begin),
		 "<!-- BEGIN %s: generated from %s by `make docs`; edit "
		 "there -->\n",
		 part->name, part->source);
	snprintf(end, sizeof(end), "<!-- END %s -->", part->name);
	const char *b = strstr(doc, begin);
	const char *e = b ? strstr(b, end) : NULL;
	if (!b || !e) {
		snprintf(err, errlen, "%s has no lines \"%.*s\" and \"%s\"",
			 part->file, (int)strlen(begin) - 1, begin, end);
		return NULL;
	}
	b += strlen(begin);
	size_t len = (size_t)(b - doc) + strlen(generated) + strlen(e) + 1;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%.*s%s%s", (int)(b - doc), doc, generated,
			 e);
	return out;
}

char *doc_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, n;
	char buf[4096];
	FILE *out;

	if (!f)
		return NULL;
	out = open_memstream(&text, &len);
	while (out && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, out);
	if (out)
		fclose(out);
	fclose(f);
	return text;
}
