/*
 * pgbouncerconf.h - `pgkeel show pgbouncer-config`: the [databases]
 * section of a pgBouncer in front of the formation, host= its primary
 * (docs/pgbouncer.md).
 */
#ifndef PGK_PGBOUNCERCONF_H
#define PGK_PGBOUNCERCONF_H

#include "cli/command.h"

extern const Command show_pgbouncer;

#endif
