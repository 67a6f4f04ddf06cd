/*
 * pgstore_schema.h - the SQL that creates the postgres store's schema in
 * the monitor's database, and the roles that reach it: one login role per
 * data node (member of a group that holds the nodes' rights) and the
 * operator's role. docs/security.md describes each.
 */
#ifndef PGK_PGSTORE_SCHEMA_H
#define PGK_PGSTORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#define PGSTORE_DB "pgkeel"
/* NOLOGIN group holding what every node's own role may do */
#define PGSTORE_NODES_GROUP "pgkeel_nodes"
/* a node's own login role is this prefix and its node id */
#define PGSTORE_NODE_ROLE_PREFIX "pgkeel_node_"
/* registration and every operator action */
#define PGSTORE_OPERATOR_ROLE "pgkeel_operator"
#define PGSTORE_SCHEMA_VERSION 2
#define PGSTORE_SCHEMA_VERSION_TEXT "2"

/* The query that reads a store's schema version, and the verdict on its
 * answer: false with err (what to do) when it is not this pgkeel's. A
 * store made by another pgkeel version has other roles and rights. */
#define PGSTORE_SCHEMA_VERSION_SQL "SELECT max(schema_version) FROM pgkeel.meta"
bool pgstore_schema_version_ok(const char *version, char *err, size_t errlen);

/* Lists of statements, run in order in one transaction by `create
 * monitor`: the tables, the functions, then the grants. */
extern const char *const *const pgstore_schema_sql[];
/* pgstore_schema_keeper.c: registration, reports, node-scoped actions */
extern const char *const pgstore_schema_keeper_sql[];
/* pgstore_schema_operator.c: requests, settings, parameters, restarts */
extern const char *const pgstore_schema_operator_sql[];

#endif
