/*
 * pghba.c - replacing pgkeel's managed block in pg_hba.conf.
 */
#define _GNU_SOURCE /* open_memstream */
#include "pg/pghba.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"
#include "common/idents.h"

/* An IP address gets a host-only mask; names and keywords stay as is. */
static void format_address(const char *addr, char *buf, size_t len)
{
	unsigned char tmp[16];

	if (strchr(addr, '/'))
		snprintf(buf, len, "%s", addr);
	else if (inet_pton(AF_INET, addr, tmp) == 1)
		snprintf(buf, len, "%s/32", addr);
	else if (inet_pton(AF_INET6, addr, tmp) == 1)
		snprintf(buf, len, "%s/128", addr);
	else
		snprintf(buf, len, "%s", addr);
}

/* A host, an IP address or keyword, or ADDRESS/BITS. */
static bool address_is_valid(const char *addr)
{
	char host[300];
	const char *slash = strchr(addr, '/');
	size_t n = slash ? (size_t)(slash - addr) : strlen(addr);

	if (n >= sizeof(host))
		return false;
	memcpy(host, addr, n);
	host[n] = '\0';
	if (!host_is_valid(host))
		return false;
	if (!slash)
		return true;
	size_t bits = strlen(slash + 1);
	return bits >= 1 && bits <= 3 && strspn(slash + 1, "0123456789") == bits;
}

bool pghba_format_entry(const HbaEntry *e, bool ssl, char *buf, size_t len)
{
	char addr[300];

	/* defence in depth: whatever reaches here (a host read from the
	 * store) cannot add a line or a field to pg_hba.conf */
	const char *user = e->user[0] == '+' ? e->user + 1 : e->user;

	if (!name_is_valid(e->database) || !name_is_valid(user) ||
	    !name_is_valid(e->method) || !address_is_valid(e->address))
		return false;
	format_address(e->address, addr, sizeof(addr));
	int n = snprintf(buf, len, "%s %s %s %s %s", ssl ? "hostssl" : "host",
			 e->database, e->user, addr, e->method);
	return n > 0 && (size_t)n < len;
}

/* The user's part of the file: everything outside our block. */
static const char *skip_block(const char *text, size_t *prefix_len)
{
	const char *begin = strstr(text, PGHBA_BEGIN);
	const char *end = begin ? strstr(begin, PGHBA_END) : NULL;

	if (!begin || !end) {
		*prefix_len = 0;
		return text;
	}
	*prefix_len = (size_t)(begin - text);
	end += strlen(PGHBA_END);
	if (*end == '\n')
		end++;
	return end;
}

/* With TLS, pgkeel's roles may not connect without it from anywhere,
 * whatever the user's own lines below would admit. */
static void put_rejects(FILE *f, const HbaEntry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool seen = entries[i].user[0] == '+' ||
			    !name_is_valid(entries[i].user);
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(entries[j].user, entries[i].user) == 0;
		if (!seen)
			fprintf(f, "hostnossl all %s all reject\n"
				   "hostnossl replication %s all reject\n",
				entries[i].user, entries[i].user);
	}
}

static char *render(const char *old, const HbaEntry *entries, size_t n,
		    bool ssl)
{
	char *buf = NULL, line[600];
	size_t len = 0, prefix_len;
	const char *rest = skip_block(old, &prefix_len);
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fwrite(old, 1, prefix_len, f);
	fprintf(f, "%s\n", PGHBA_BEGIN);
	for (size_t i = 0; i < n; i++) {
		if (pghba_format_entry(&entries[i], ssl, line, sizeof(line)))
			fprintf(f, "%s\n", line);
	}
	if (ssl)
		put_rejects(f, entries, n);
	fprintf(f, "%s\n", PGHBA_END);
	fputs(rest, f);
	fs_memstream_close(f, &buf);
	return buf;
}

bool pghba_write(const char *datadir, const HbaEntry *entries, size_t n,
		 bool ssl, bool *changed, char *err, size_t errlen)
{
	char path[4096];

	*changed = false;
	fs_path_join(path, sizeof(path), datadir, "pg_hba.conf");
	char *old = fs_read_file(path, NULL);
	if (!old) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return false;
	}
	char *text = render(old, entries, n, ssl);
	bool same = text && strcmp(old, text) == 0;
	bool ok = text && (same || fs_write_file_atomic(path, text,
							 strlen(text), 0600));
	if (!ok)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
	*changed = ok && !same;
	free(old);
	free(text);
	return ok;
}
