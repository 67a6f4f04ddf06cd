/*
 * nodepaths.c - the node directory and the files in it.
 */
#include "common/nodepaths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"

bool nodepaths_base(char *buf, size_t len, char *err, size_t errlen)
{
	const char *home = getenv("PGKEEL_HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *user_home = getenv("HOME");

	if (home && *home)
		snprintf(buf, len, "%s", home);
	else if (xdg && *xdg)
		snprintf(buf, len, "%s/pgkeel", xdg);
	else if (user_home && *user_home)
		snprintf(buf, len, "%s/.config/pgkeel", user_home);
	else {
		snprintf(err, errlen, "cannot place pgkeel's files: set "
				      "PGKEEL_HOME or HOME");
		return false;
	}
	return true;
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
	snprintf(p->home, sizeof(p->home), "%s%.*s", base, (int)n, pgdata);
	snprintf(p->config, sizeof(p->config), "%s/pgkeel.ini", p->home);
	snprintf(p->state, sizeof(p->state), "%s/keeper.state", p->home);
	snprintf(p->pid, sizeof(p->pid), "%s/pgkeel.pid", p->home);
	snprintf(p->pglog, sizeof(p->pglog), "%s/postgres.log", p->home);
	snprintf(p->operator_pass, sizeof(p->operator_pass),
		 "%s/operator.pgpass", p->home);
	snprintf(p->store_pass, sizeof(p->store_pass), "%s/store.pgpass",
		 p->home);
	snprintf(p->repl_pass, sizeof(p->repl_pass), "%s/replication.pgpass",
		 p->home);
	snprintf(p->cert, sizeof(p->cert), "%s/server.crt", p->home);
	snprintf(p->key, sizeof(p->key), "%s/server.key", p->home);
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
