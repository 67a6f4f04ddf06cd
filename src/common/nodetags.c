/*
 * nodetags.c - the table of node tags and their text form (nodetags.h).
 */
#include "common/nodetags.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name, *doc;
} tags[NODE_TAG_COUNT] = {
	{"nofailover", "never promoted: not a candidate for a failover or a "
		       "switchover (`pgkeel explain` says so)"},
	{"noloadbalance", "its keeper answers 503 on /replica and /read-only "
			  "(reason \"tagged noloadbalance\"): no read traffic "
			  "from load balancers"},
};

const char *node_tag_name(int i)
{
	return i >= 0 && i < NODE_TAG_COUNT ? tags[i].name : NULL;
}

const char *node_tag_doc(int i)
{
	return i >= 0 && i < NODE_TAG_COUNT ? tags[i].doc : NULL;
}

void node_tags_known(char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < NODE_TAG_COUNT; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 i ? ", " : "", tags[i].name);
}

/* The bit of the tag text[0..n), or 0 when unknown. */
static int tag_bit(const char *text, size_t n)
{
	for (int i = 0; i < NODE_TAG_COUNT; i++) {
		if (strlen(tags[i].name) == n &&
		    strncmp(tags[i].name, text, n) == 0)
			return 1 << i;
	}
	return 0;
}

bool node_tags_parse(const char *text, int *mask, char *err, size_t errlen)
{
	int m = 0;

	for (const char *p = text; *p;) {
		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0)
			continue;
		int bit = tag_bit(p, n);
		if (!bit) {
			char known[128];
			node_tags_known(known, sizeof(known));
			snprintf(err, errlen,
				 "unknown tag \"%.*s\"; the known tags are %s",
				 (int)(n > 64 ? 64 : n), p, known);
			return false;
		}
		m |= bit;
		p += n;
	}
	*mask = m;
	return true;
}

char *node_tags_format(int mask, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < NODE_TAG_COUNT; i++) {
		if (mask & (1 << i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "," : "", tags[i].name);
	}
	return buf;
}
