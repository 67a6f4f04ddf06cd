/*
 * nodedestroy.h - `drop node --destroy`: deleting a dropped node's data
 * directory, only when pgkeel created it, and pgkeel's files for it.
 */
#ifndef PGK_NODEDESTROY_H
#define PGK_NODEDESTROY_H

/* Checks before the drop that --destroy may delete pgdata; an exit code
 * (after a message) when it may not. */
int node_destroy_check(const char *pgdata);
/* After the drop: waits for the keeper and Postgres to stop, deletes. */
int node_destroy(const char *pgdata);

#endif
