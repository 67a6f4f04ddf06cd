/*
 * pgstore_schema.h - the SQL that creates the postgres store's schema in
 * the monitor's database, and the role keepers connect as.
 */
#ifndef PGK_PGSTORE_SCHEMA_H
#define PGK_PGSTORE_SCHEMA_H

#define PGSTORE_DB "pgkeel"
#define PGSTORE_NODE_ROLE "pgkeel_node"
#define PGSTORE_SCHEMA_VERSION 1

/* Statements run in order, in one transaction, by `create monitor`. */
extern const char *const pgstore_schema_sql[];

#endif
