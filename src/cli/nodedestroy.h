/*
 * nodedestroy.h - `drop node --destroy`: deleting a dropped node's data
 * directory, only when pgkeel created it, and pgkeel's files for it.
 */
#ifndef PGK_NODEDESTROY_H
#define PGK_NODEDESTROY_H

/* Checks before the drop that --destroy may delete pgdata: the data
 * directory of node node_id, created by pgkeel. EXIT_OK, or an exit code
 * after a message saying why not. */
int node_destroy_check(const char *pgdata, int node_id, const char *name);
/* After the drop: waits for the keeper and Postgres to stop, deletes.
 * EXIT_OK, or an exit code after a message on stderr saying what was
 * not deleted and what to do. */
int node_destroy(const char *pgdata);

#endif
