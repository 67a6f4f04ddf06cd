/*
 * fsutil.h - small file-system helpers: create directories, read and
 * atomically replace small files, inspect a directory.
 */
#ifndef PGK_FSUTIL_H
#define PGK_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* mkdir -p with the given mode for the directories it creates. True when
 * path is a directory at the end; false with errno set by mkdir (left as
 * it was when path is longer than 4095 bytes). Logs nothing. */
bool fs_mkdir_p(const char *path, mode_t mode);
/* fs_exists, fs_is_dir: true when stat(path) succeeds (and it is a
 * directory); false otherwise, whatever the reason (errno from stat). */
bool fs_exists(const char *path);
bool fs_is_dir(const char *path);
/* True when path is a directory with no entries (or does not exist);
 * false when it has entries or cannot be opened (errno from opendir). */
bool fs_dir_is_empty(const char *path);
/* Reads a whole file into a malloc'd NUL-terminated buffer, or NULL when
 * it cannot be opened (errno from fopen) or memory ran out. A read error
 * part-way ends the text there, silently. */
char *fs_read_file(const char *path, size_t *len_out);
/* Writes via a temporary file, fsync and rename: readers never see half.
 * True when the file and its directory are on disk; false when not, with
 * the step that failed and its errno logged as an error (the temporary
 * file is removed; path keeps its old content unless the rename was done
 * and only the directory's sync failed). */
bool fs_write_file_atomic(const char *path, const char *data, size_t len,
			  mode_t mode);
/* Closes a stream from open_memstream whose text is *buf; when a write
 * to it failed (out of memory) frees that text, sets *buf to NULL and
 * returns false, so that no truncated text is ever used. */
bool fs_memstream_close(FILE *f, char **buf);
/* Joins two path parts into buf; false if it does not fit (buf then holds
 * the cut path: do not use it). */
bool fs_path_join(char *buf, size_t len, const char *a, const char *b);
/* Owner uid of path, or -1 when it cannot be read (errno from stat). */
long fs_owner_uid(const char *path);
/*
 * Deletes everything inside dir (not dir itself). Only for directories
 * pgkeel created: callers check that first. True when dir is empty or is
 * not a directory; false with errno set when an entry could not be
 * removed (the others may be gone). Logs nothing.
 */
bool fs_empty_dir(const char *dir);
/* Deletes dir and everything inside it (same rule as fs_empty_dir). True
 * when dir is gone or never existed; false with errno set. */
bool fs_remove_tree(const char *dir);

#endif
