/*
 * pgleftover.c - what a dead postmaster leaves behind, read from its
 * postmaster.pid, the System V shared memory segment named there, and
 * /proc.
 */
#define _GNU_SOURCE /* strchrnul */
#include "pg/pgleftover.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "common/fsutil.h"

/* /proc/PID/stat's state letter, or '\0' when there is no such process. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '\0';
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')'); /* the name may hold spaces */
	return paren && paren[1] == ' ' ? paren[2] : '\0';
}

/* Line n (from 1) of text, copied into buf. */
static void line_of(const char *text, int n, char *buf, size_t len)
{
	const char *p = text;
	for (int i = 1; i < n && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	size_t l = p ? (size_t)(strchrnul(p, '\n') - p) : 0;
	snprintf(buf, len, "%.*s", (int)(l < len ? l : len - 1), p ? p : "");
}

/* Line 7 of postmaster.pid: "KEY ID" of the segment (PG 10 and later). */
static void read_segment(const char *text, PgLeftover *out)
{
	char line[128];
	unsigned long key = 0;
	long id = -1;

	line_of(text, 7, line, sizeof(line));
	if (sscanf(line, "%lu %ld", &key, &id) == 2 && id >= 0) {
		out->shm_key = (key_t)key;
		out->shm_id = (int)id;
	}
}

static void check_segment(PgLeftover *out)
{
	struct shmid_ds ds;

	if (out->shm_id < 0)
		return;
	if (shmctl(out->shm_id, IPC_STAT, &ds) != 0) {
		out->shm_id = -1; /* gone (EINVAL), or not ours (EACCES) */
		return;
	}
	if (ds.shm_perm.__key != out->shm_key) {
		out->shm_id = -1; /* the id was reused by another segment */
		return;
	}
	out->attached = (int)ds.shm_nattch;
}

void pgleftover_read(const char *datadir, PgLeftover *out)
{
	char path[4096], line[64];

	memset(out, 0, sizeof(*out));
	out->shm_id = -1;
	fs_path_join(path, sizeof(path), datadir, "postmaster.pid");
	char *text = fs_read_file(path, NULL);
	if (!text)
		return;
	out->pidfile = true;
	line_of(text, 1, line, sizeof(line));
	out->pid = (pid_t)atoi(line);
	line_of(text, 4, line, sizeof(line));
	out->port = atoi(line);
	line_of(text, 5, out->sockdir, sizeof(out->sockdir));
	read_segment(text, out);
	free(text);
	char state = out->pid > 0 ? proc_state(out->pid) : '\0';
	out->pid_zombie = state == 'Z' || state == 'X';
	out->pid_alive = state != '\0' && !out->pid_zombie;
	check_segment(out);
}

bool pgleftover_pidfile_is_stale(const PgLeftover *l)
{
	return l->pidfile && l->attached == 0;
}

static bool remove_file(const char *path, char *err, size_t errlen)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return true;
	snprintf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
	return false;
}

/* The socket's lock file, when it names l's postmaster. */
static bool remove_socket_lock(const PgLeftover *l, char *err, size_t errlen)
{
	char path[700], name[64], line[64];

	if (!l->sockdir[0] || l->port <= 0)
		return true;
	snprintf(name, sizeof(name), ".s.PGSQL.%d.lock", l->port);
	fs_path_join(path, sizeof(path), l->sockdir, name);
	char *text = fs_read_file(path, NULL);
	if (!text)
		return true;
	line_of(text, 1, line, sizeof(line));
	free(text);
	return atoi(line) != (int)l->pid || remove_file(path, err, errlen);
}

bool pgleftover_remove_stale(const PgLeftover *l, const char *datadir,
			     char *err, size_t errlen)
{
	char path[4096];

	fs_path_join(path, sizeof(path), datadir, "postmaster.pid");
	return remove_socket_lock(l, err, errlen) &&
	       remove_file(path, err, errlen);
}

/* Whether /proc/PID/maps maps the segment of key ("/SYSV0052e2c1"). */
static bool maps_segment(const char *pid, key_t key)
{
	char path[300], want[32], line[512];
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	snprintf(want, sizeof(want), "/SYSV%08x ", (unsigned)key);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

int pgleftover_kill_attached(const PgLeftover *l)
{
	DIR *d;
	struct dirent *e;
	int killed = 0;

	/* the caller checked that no server of this directory runs */
	if (l->shm_id < 0 || l->attached == 0 ||
	    !(d = opendir("/proc")))
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid != getpid() && maps_segment(e->d_name, l->shm_key) &&
		    kill(pid, SIGKILL) == 0)
			killed++;
	}
	closedir(d);
	return killed;
}
