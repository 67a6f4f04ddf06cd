/*
 * nodepaths.h - where pgkeel keeps its own files for one data directory.
 *
 * Nothing of pgkeel's lives inside PGDATA (pg_basebackup and pg_rewind
 * copy and overwrite it). Instead each data directory has a node
 * directory: $PGKEEL_HOME/<absolute pgdata path>/, with PGKEEL_HOME
 * defaulting to $XDG_CONFIG_HOME/pgkeel or ~/.config/pgkeel.
 */
#ifndef PGK_NODEPATHS_H
#define PGK_NODEPATHS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char home[1024];   /* the node directory */
	char config[1200]; /* pgkeel.ini */
	char state[1200];  /* keeper.state (JSON) */
	char pid[1200];    /* pgkeel.pid, while a service runs */
	char pglog[1200];  /* the Postgres server log */
	char operator_pass[1200]; /* monitor: the operator's passfile */
	char store_pass[1200];    /* data node: its own store passfile */
	char repl_pass[1200];     /* data node: the replication passfile */
	char cert[1200];   /* server.crt, made by --ssl-self-signed */
	char key[1200];    /* server.key, its private key (0600) */
} NodePaths;

/* PGKEEL_HOME as this process sees it (defaults resolved). False with
 * err set when no home directory is known (set PGKEEL_HOME or HOME) or
 * the path would be too long. */
bool nodepaths_base(char *buf, size_t len, char *err, size_t errlen);
/* Computes the paths for pgdata (which must be absolute). False with err
 * set when pgdata is not absolute, no home directory is known (set
 * PGKEEL_HOME or HOME) or a path would be too long. */
bool nodepaths_init(NodePaths *paths, const char *pgdata, char *err,
		    size_t errlen);
/* Creates the node directory (mode 0700). False with err naming it and
 * the system's reason. */
bool nodepaths_create(const NodePaths *paths, char *err, size_t errlen);

#endif
