/*
 * fsutil.c - directory creation, atomic small-file writes, path joins.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw */
#endif
#include "common/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

bool fs_mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return false;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	return mkdir(buf, mode) == 0 || (errno == EEXIST && fs_is_dir(buf));
}

bool fs_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

bool fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_dir_is_empty(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	bool empty = true;

	if (!dir)
		return errno == ENOENT;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(dir);
	return empty;
}

char *fs_read_file(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO; /* nothing written, and no errno said why */
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* The rename lasts only once the directory holding it is on disk. */
static bool sync_parent(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path); /* fits: path.tmp did */
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	/* EINVAL: a file system that cannot sync a directory */
	bool ok = fd >= 0 && (fsync(fd) == 0 || errno == EINVAL);
	if (!ok)
		log_error("cannot sync directory \"%s\": %s", dir,
			  strerror(errno));
	if (fd >= 0)
		close(fd);
	return ok;
}

bool fs_write_file_atomic(const char *path, const char *data, size_t len,
			  mode_t mode)
{
	char tmp[4096];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		log_error("cannot write \"%s\": path too long", path);
		return false;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0) {
		log_error("cannot create \"%s\": %s", tmp, strerror(errno));
		return false;
	}
	bool ok = write_all(fd, data, len) && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) { /* the descriptor is gone either way */
		ok = false;
		saved = errno;
	}
	if (!ok) {
		log_error("cannot write \"%s\": %s", tmp, strerror(saved));
		unlink(tmp);
		return false;
	}
	if (rename(tmp, path) != 0) {
		log_error("cannot rename \"%s\" to \"%s\": %s", tmp, path,
			  strerror(errno));
		unlink(tmp);
		return false;
	}
	return sync_parent(path);
}

bool fs_memstream_close(FILE *f, char **buf)
{
	bool ok = !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		free(*buf);
		*buf = NULL;
	}
	return ok;
}

bool fs_path_join(char *buf, size_t len, const char *a, const char *b)
{
	size_t alen = strlen(a);
	bool slash = alen > 0 && a[alen - 1] == '/';
	int n = snprintf(buf, len, "%s%s%s", a, slash ? "" : "/", b);
	return n >= 0 && (size_t)n < len;
}

long fs_owner_uid(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_uid : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0)
		return 0; /* the top directory itself */
	return remove(path) == 0 ? 0 : -1;
}

bool fs_empty_dir(const char *dir)
{
	if (!fs_is_dir(dir))
		return true;
	return nftw(dir, remove_entry, 32, FTW_DEPTH | FTW_PHYS) == 0;
}

bool fs_remove_tree(const char *dir)
{
	if (!fs_exists(dir))
		return true;
	return fs_empty_dir(dir) && rmdir(dir) == 0;
}
