/*
 * nodepaths.c - the node directory and the files in it.
 */
#include "common/nodepaths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"

static bool fits(int n, size_t len)
{
	return n >= 0 && (size_t)n < len;
}

bool nodepaths_base(char *buf, size_t len, char *err, size_t errlen)
{
	const char *home = getenv("PGKEEL_HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *user_home = getenv("HOME");
	int n;

	if (home && *home)
		n = snprintf(buf, len, "%s", home);
	else if (xdg && *xdg)
		n = snprintf(buf, len, "%s/pgkeel", xdg);
	else if (user_home && *user_home)
		n = snprintf(buf, len, "%s/.config/pgkeel", user_home);
	else {
		snprintf(err, errlen, "cannot place pgkeel's files: set "
				      "PGKEEL_HOME or HOME");
		return false;
	}
	if (!fits(n, len))
		snprintf(err, errlen, "cannot place pgkeel's files: the "
				      "directory's path is too long");
	return fits(n, len);
}

/* The node directory's files; false when a path would be cut. */
static bool files(NodePaths *p)
{
	struct {
		char *buf;
		size_t len;
		const char *name;
	} f[] = {
		{p->config, sizeof(p->config), "pgkeel.ini"},
		{p->state, sizeof(p->state), "keeper.state"},
		{p->pid, sizeof(p->pid), "pgkeel.pid"},
		{p->pglog, sizeof(p->pglog), "postgres.log"},
		{p->operator_pass, sizeof(p->operator_pass), "operator.pgpass"},
		{p->store_pass, sizeof(p->store_pass), "store.pgpass"},
		{p->repl_pass, sizeof(p->repl_pass), "replication.pgpass"},
		{p->cert, sizeof(p->cert), "server.crt"},
		{p->key, sizeof(p->key), "server.key"},
	};
	bool ok = true;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		ok = fits(snprintf(f[i].buf, f[i].len, "%s/%s", p->home,
				   f[i].name), f[i].len) && ok;
	return ok;
}

bool nodepaths_init(NodePaths *p, const char *pgdata, char *err,
		    size_t errlen)
{
	char base[800];

	memset(p, 0, sizeof(*p));
	if (!pgdata || pgdata[0] != '/') {
		snprintf(err, errlen, "--pgdata must be an absolute path");
		return false;
	}
	if (!nodepaths_base(base, sizeof(base), err, errlen))
		return false;
	/* strip trailing slashes so /a/b and /a/b/ are the same node */
	size_t n = strlen(pgdata);
	while (n > 1 && pgdata[n - 1] == '/')
		n--;
	if (!fits(snprintf(p->home, sizeof(p->home), "%s%.*s", base, (int)n,
			   pgdata), sizeof(p->home)) ||
	    !files(p)) {
		snprintf(err, errlen, "the path of pgkeel's files for %s would "
				      "be too long", pgdata);
		return false;
	}
	return true;
}

bool nodepaths_create(const NodePaths *p, char *err, size_t errlen)
{
	if (fs_mkdir_p(p->home, 0700))
		return true;
	snprintf(err, errlen, "cannot create %s: %s", p->home,
		 strerror(errno));
	return false;
}
